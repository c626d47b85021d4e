"""Commands that move data: ``load``, ``validate``, ``export`` and ``stats``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import Graph, URIRef

from ecograph import graphs
from ecograph.cli.common import bundle_for, opened, reports_errors, settings_for, store_option
from ecograph.errors import InputError
from ecograph.formats import RDF_SYNTAXES, syntax_by_name
from ecograph.load import expand_paths, parse_file
from ecograph.pipeline import load_bundled, load_sources, resulting_data
from ecograph.reports import report_to_json, report_to_text, report_to_turtle
from ecograph.validate import compact, validate

_RDF_NAMES = [s.name for s in RDF_SYNTAXES]


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@reports_errors
def load(files: tuple[Path, ...], store_location: str | None, dry_run: bool) -> None:
    """Parse, validate and atomically store FILES (none: the bundled data).

    Each file loads into its own named graph (graph/NAME for NAME.ttl), replacing what that
    graph held. The state after the load is validated against the shapes: on any Violation
    nothing is written and the report is printed (exit 1).
    """
    settings = settings_for(store_location)
    bundle = bundle_for(settings)
    with opened(settings) as store:
        if files:
            sources = [parse_file(p) for p in expand_paths(files)]
            outcome = load_sources(store, sources, bundle, dry_run=dry_run)
        else:
            outcome = load_bundled(store, bundle, dry_run=dry_run)
    verb = "would write" if dry_run else "wrote"
    for iri, count in outcome.written.items():
        replaced = " (replaced)" if iri in outcome.replaced else ""
        click.echo(f"{verb} {count:>8} triples to <{iri}>{replaced}")
    if outcome.report.results:
        click.echo(report_to_text(outcome.report, colour=sys.stdout.isatty(), limit=20),
                   nl=False)
    if outcome.inference is not None:
        click.echo(outcome.inference.summary())
    if outcome.inference_error:
        click.echo(f"error: the data was written, but inference failed: "
                   f"{outcome.inference_error}; run 'ecograph infer'", err=True)
        sys.exit(3)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--with-stored", is_flag=True,
              help="Validate FILES together with the data already stored.")
@click.option("--stored", is_flag=True,
              help="Full validation of everything stored (with FILES: together with them).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="Report format.")
@reports_errors
def validate_command(files: tuple[Path, ...], store_location: str | None, with_stored: bool,
                     stored: bool, fmt: str) -> None:
    """Validate FILES against the shapes (none given: everything stored). Writes nothing.

    Exit 0 when there is no Violation (Warnings are printed), 1 with Violations, 2 when
    validation could not run (unreadable input).
    """
    settings = settings_for(store_location)
    bundle = bundle_for(settings)
    shapes = bundle.shapes().graph
    schema = bundle.schema()
    sources = [parse_file(p) for p in expand_paths(files)]
    if files and not (with_stored or stored):
        data = Graph()
        for source in sources:
            data += source.graph
    else:
        with opened(settings) as store:
            data = resulting_data(store, sources)
    report = validate(data, shapes, schema)
    name = ", ".join(str(f) for f in files) or "stored data"
    if fmt == "json":
        click.echo(report_to_json(report))
    elif fmt == "turtle":
        click.echo(report_to_turtle(report), nl=False)
    else:
        click.echo(report_to_text(report, colour=sys.stdout.isatty(), source=name), nl=False)
    sys.exit(0 if report.accepted else 1)


validate_command.name = "validate"


@click.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(_RDF_NAMES), default="nquads",
              show_default=True, help="RDF syntax (a triple syntax needs --graph or gives the "
              "union of all graphs).")
@click.option("--graph", "graph_iri", metavar="IRI", default=None, help="Export one graph.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@reports_errors
def export(store_location: str | None, fmt: str, graph_iri: str | None,
           output: Path | None) -> None:
    """Write the stored dataset (or one graph) as RDF, streamed."""
    settings = settings_for(store_location)
    syntax = syntax_by_name(fmt)
    with opened(settings, autoload=True, reading=True) as store:
        chunks = store.export(syntax, URIRef(graph_iri) if graph_iri else None)
        if output is not None:
            with output.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
        else:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()


@click.command()
@store_option
@reports_errors
def stats(store_location: str | None) -> None:
    """Print the named graphs with their triple counts, and the instances per class."""
    settings = settings_for(store_location)
    with opened(settings, autoload=True, reading=True) as store:
        rows = [(str(g), store.count(g)) for g in store.graphs()]
        classes = store.query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . "
            "FILTER(STRSTARTS(STR(?class), 'https://w3id.org/ecograph/ontology#')) } "
            "GROUP BY ?class ORDER BY DESC(?n) ?class",
            default_graphs=[g for g in store.graphs() if g not in graphs.SYSTEM_GRAPHS] or None,
        )
        total = store.count()
    click.echo(f"store: {settings.store}")
    width = max((len(g) for g, _ in rows), default=10)
    for iri, count in rows:
        click.echo(f"  {iri.ljust(width)}  {count:>9}")
    click.echo(f"  {'total (quads)'.ljust(width)}  {total:>9}")
    if getattr(classes, "rows", None):
        click.echo("instances per class (asserted):")
        for cls, n in classes.rows:  # type: ignore[union-attr]
            click.echo(f"  {compact(cls):<40} {int(n):>9}")
    if not rows:
        raise InputError("the store is empty")


COMMANDS = [load, validate_command, export, stats]
