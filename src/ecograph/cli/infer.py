"""The ``infer`` command: materialise the OWL 2 RL entailments into the inferred graph."""

from __future__ import annotations

import sys

import click

from ecograph.cli.common import opened, reports_errors, settings_for, store_option
from ecograph.infer import materialise
from ecograph.infer.consistency import report


@click.command()
@store_option
@click.option("--check", is_flag=True,
              help="Exit 1 when the data is inconsistent with the ontology (members of "
              "owl:Nothing, disjoint classes shared, …); the clashes are printed either way.")
@reports_errors
def infer(store_location: str | None, check: bool) -> None:
    """Recompute the inferred graph (OWL 2 RL entailments of the ontology over the data).

    The entailments go to the graph …/graph/inferred, replacing what it held; asserted
    graphs are never touched. Queries see asserted and inferred triples together.
    """
    settings = settings_for(store_location)
    with opened(settings, autoload=True) as store:
        outcome = materialise(store, check=True)
    click.echo(outcome.summary())
    if outcome.clashes:
        click.echo(f"{len(outcome.clashes)} inconsistency(ies):", err=True)
        click.echo(report(outcome.clashes), err=True, nl=False)
        if check:
            sys.exit(1)


COMMANDS = [infer]
