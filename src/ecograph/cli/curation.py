"""Curation from the shell: ``change`` (a gated change set), ``history`` and ``revert``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ecograph.changelog import get_change, list_changes
from ecograph.changes import ChangeSet, check_graph, dataset_quads
from ecograph.cli.common import bundle_for, opened, reports_errors, settings_for, store_option
from ecograph.curation import Outcome, Rules, current_user, revert, submit
from ecograph.errors import InputError
from ecograph.formats import syntax_for_path
from ecograph.reports import report_to_dict, report_to_text

_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                       show_default=True, help="Output format.")


def _read(paths: tuple[Path, ...], graph: str | None, what: str) -> set:  # type: ignore[type-arg]
    quads: set = set()  # type: ignore[type-arg]
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        syntax = syntax_for_path(path)
        target = check_graph(graph, syntax)
        quads |= dataset_quads(path.read_bytes(), syntax, target, f"{what} file {path}")
    return quads


def _show(outcome: Outcome, fmt: str) -> None:
    change = outcome.change
    if fmt == "json":
        click.echo(json.dumps({"id": outcome.change_id, "dryRun": outcome.dry_run,
                               "added": len(change.additions), "removed": len(change.removals),
                               "validation": outcome.validation.mode,
                               "report": report_to_dict(outcome.validation.report)}, indent=2))
        return
    if change.is_empty():
        click.echo("nothing to change: the store already holds this")
        return
    verb = "would add" if outcome.dry_run else "added"
    gone = "would remove" if outcome.dry_run else "removed"
    click.echo(f"{verb} {len(change.additions)} and {gone} {len(change.removals)} triple(s)"
               + ("" if outcome.dry_run else f" — change {outcome.change_id}"))
    if outcome.validation.report.results:
        click.echo(report_to_text(outcome.validation.report, colour=sys.stdout.isatty()),
                   nl=False)


@click.command()
@click.option("--add", "adds", multiple=True, type=click.Path(path_type=Path),
              help="RDF file of triples to add (repeatable).")
@click.option("--remove", "removes", multiple=True, type=click.Path(path_type=Path),
              help="RDF file of triples to remove (repeatable).")
@click.option("--graph", metavar="IRI", default=None,
              help="The graph the triples belong to (not needed for TriG / N-Quads).")
@click.option("-m", "--message", default=None, help="Why: recorded in the change log.")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@store_option
@_FORMAT
@reports_errors
def change(adds: tuple[Path, ...], removes: tuple[Path, ...], graph: str | None,
           message: str | None, dry_run: bool, store_location: str | None, fmt: str) -> None:
    """Apply a change set: validated with the stored data, logged, all or nothing.

    Exit 1 (nothing written) when the change breaks a shape, 2 when it removes triples
    that are not stored or cannot be read.
    """
    if not adds and not removes:
        raise InputError("give --add FILE and/or --remove FILE")
    proposed = ChangeSet(additions=_read(adds, graph, "add"),
                         removals=_read(removes, graph, "remove"))
    settings = settings_for(store_location)
    with opened(settings) as store:
        rules = Rules.from_store(store, bundle_for(settings))
        outcome = submit(store, proposed, rules, agent=current_user(), message=message,
                         dry_run=dry_run)
    _show(outcome, fmt)


@click.command()
@store_option
@click.option("--limit", default=20, show_default=True, help="How many changes to list.")
@click.argument("change_id", required=False)
@_FORMAT
@reports_errors
def history(store_location: str | None, limit: int, change_id: str | None, fmt: str) -> None:
    """List the accepted changes, newest first (with CHANGE_ID: show that one)."""
    settings = settings_for(store_location)
    with opened(settings) as store:
        if change_id is not None:
            entry = get_change(store, change_id)
            if entry is None:
                raise InputError(f"no change with id {change_id!r} in the change log")
            if fmt == "json":
                click.echo(json.dumps({**entry.summary(),
                                       "additions": sorted(_line(q) for q in entry.additions),
                                       "removals": sorted(_line(q) for q in entry.removals)},
                                      indent=2))
                return
            click.echo(_entry_line(entry.summary()))
            for quad in sorted(entry.removals, key=str):
                click.echo(click.style(f"- {_line(quad)}", fg="red")
                           if sys.stdout.isatty() else f"- {_line(quad)}")
            for quad in sorted(entry.additions, key=str):
                click.echo(click.style(f"+ {_line(quad)}", fg="green")
                           if sys.stdout.isatty() else f"+ {_line(quad)}")
            return
        entries = list_changes(store, limit=limit)
    if fmt == "json":
        click.echo(json.dumps([e.summary() for e in entries], indent=2))
        return
    if not entries:
        click.echo("no change recorded yet")
    for entry in entries:
        click.echo(_entry_line(entry.summary()))


def _entry_line(summary: dict[str, object]) -> str:
    why = f"  “{summary['message']}”" if summary.get("message") else ""
    notes = []
    if summary.get("reverts"):
        notes.append(f"reverts {summary['reverts']}")
    if summary.get("revertedBy"):
        notes.append(f"reverted by {summary['revertedBy']}")
    note = f"  ({'; '.join(notes)})" if notes else ""
    return (f"{summary['id']}  {str(summary['time'])[:19]}  {summary['agent']}  "
            f"+{summary['added']} -{summary['removed']}{why}{note}")


def _line(quad: tuple) -> str:  # type: ignore[type-arg]
    from ecograph.changes import term_text

    s, p, o, g = quad
    return f"{term_text(s)} {term_text(p)} {term_text(o)}" + (f" <{g}>" if g else "") + " ."


@click.command(name="revert")
@click.argument("change_id")
@click.option("-m", "--message", default=None, help="Why: recorded in the change log.")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@store_option
@_FORMAT
@reports_errors
def revert_command(change_id: str, message: str | None, dry_run: bool,
                   store_location: str | None, fmt: str) -> None:
    """Undo the change CHANGE_ID (itself a validated, logged change).

    Refused (exit 2) when the change's triples were changed since.
    """
    settings = settings_for(store_location)
    with opened(settings) as store:
        rules = Rules.from_store(store, bundle_for(settings))
        outcome = revert(store, change_id, rules, agent=current_user(), message=message,
                         dry_run=dry_run)
    _show(outcome, fmt)


COMMANDS = [change, history, revert_command]
