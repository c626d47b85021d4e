"""Commands that ask: ``query`` (a named query, a file or text) and ``queries`` (the list)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ecograph.cli.common import opened, reports_errors, settings_for, store_option
from ecograph.errors import ParameterError
from ecograph.formats import syntax_by_name
from ecograph.queries import NamedQuery, bind, catalogue, get_query, parse_header
from ecograph.results import RESULT_FORMATS, render
from ecograph.store.base import GraphResult


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param wants NAME=VALUE; got {pair!r}")
        values[name.strip()] = value
    return values


def _resolve(spec: str, folder: Path) -> NamedQuery | str:
    """A catalogue name, a file holding a query, or the query text itself."""
    if (folder / f"{spec}.rq").is_file() or (spec and spec.replace("-", "").isalnum()
                                              and not Path(spec).is_file()):
        return get_query(folder, spec)
    path = Path(spec)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if text.lstrip().startswith("#") and "# title:" in text:
            return parse_header(path, text)
        return text
    return spec


@click.command()
@click.argument("spec", metavar="NAME|FILE|TEXT")
@store_option
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A named-query parameter (repeatable).")
@click.option("--format", "fmt", default="table", show_default=True,
              help=f"Result format: {', '.join(RESULT_FORMATS)} (SELECT/ASK); an RDF syntax "
              "such as turtle or nt for CONSTRUCT/DESCRIBE.")
@reports_errors
def query(spec: str, store_location: str | None, params: tuple[str, ...], fmt: str) -> None:
    """Run a named query from queries/, a SPARQL file, or SPARQL text.

    The default graph is the union of all named graphs.
    """
    settings = settings_for(store_location)
    resolved = _resolve(spec, settings.queries_dir)
    values = _parse_params(params)
    if isinstance(resolved, NamedQuery):
        text = bind(resolved, values)
    else:
        if values:
            raise ParameterError("parameters apply to named queries (with a '# param:' header)")
        text = resolved
    with opened(settings, autoload=True, reading=True) as store:
        result = store.query(text, timeout=settings.query_timeout)
    if isinstance(result, GraphResult):
        syntax = syntax_by_name("turtle" if fmt == "table" else fmt)
        sys.stdout.write(result.graph.serialize(format=syntax.rdflib_format))
        return
    if fmt not in RESULT_FORMATS:
        raise ParameterError(f"unknown result format {fmt!r}; use one of {RESULT_FORMATS}")
    sys.stdout.write(render(result, fmt))


@click.command()
@store_option
def queries(store_location: str | None) -> None:
    """List the named queries with their parameters and columns."""
    settings = settings_for(store_location)
    for name, named in catalogue(settings.queries_dir).items():
        click.echo(f"{name}: {named.title}")
        if named.description:
            click.echo(f"    {named.description}")
        for p in named.parameters:
            need = "required" if p.required else f"default {p.default}" if p.default else "optional"
            click.echo(f"    --param {p.name}=<{p.type}> ({need}) {p.description}")
        if named.columns:
            click.echo(f"    columns: {', '.join(named.columns)}")


COMMANDS = [query, queries]
