"""``ecograph doctor``: what the configured store supports, and what will not work."""

from __future__ import annotations

import sys

import click

from ecograph.cli.common import reports_errors, settings_for, store_option
from ecograph.errors import StoreError
from ecograph.store import open_store
from ecograph.store.checkup import FAIL, WARN, checkup


@click.command()
@store_option
@click.option("--no-writes", is_flag=True,
              help="Only read: skip the probes that write (and then drop) a probe graph.")
@reports_errors
def doctor(store_location: str | None, no_writes: bool) -> None:
    """Check the store: query, update, named graphs, union default graph, blank nodes and,
    for a remote server, its endpoints and the Graph Store Protocol.

    The write probes use graphs named urn:ecograph:doctor:… and drop them again. Exit 0
    when everything ecograph needs works (warnings are limits it works around), 3 when
    something fails.
    """
    settings = settings_for(store_location)
    store = open_store(settings.store)
    try:
        checks = checkup(store, writes=not no_writes)
    finally:
        store.close()
    click.echo(f"store: {store.location}")
    for check in checks:
        lines = check.detail.splitlines() or [""]
        click.echo(f"  {check.status:<4}  {check.name:<22} {lines[0]}")
        for line in lines[1:]:
            click.echo(f"  {'':<4}  {'':<22} {line}")
    failed = [c for c in checks if c.status == FAIL]
    limits = [c for c in checks if c.status in (FAIL, WARN) and c.consequence]
    if limits:
        click.echo("what will not work:")
        for check in limits:
            click.echo(f"  - {check.name}: {check.consequence}")
    if failed:
        click.echo(f"error: {len(failed)} check(s) failed: "
                   + ", ".join(c.name for c in failed), err=True)
        sys.exit(StoreError.exit_code)
    click.echo("ecograph can use this store.")


COMMANDS = [doctor]
