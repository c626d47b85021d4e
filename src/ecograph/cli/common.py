"""What every command shares: the store option, settings, and turning errors into exits."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from ecograph.bundle import Bundle
from ecograph.config import Settings, load_settings
from ecograph.errors import EcographError, StoreError, ValidationFailedError
from ecograph.pipeline import ensure_loaded
from ecograph.reports import report_to_text
from ecograph.store import Store, open_store

F = TypeVar("F", bound=Callable[..., Any])

store_option = click.option(
    "--store",
    "store_location",
    metavar="DIR|URL",
    default=None,
    help="Store location: a folder (embedded Oxigraph), ':memory:' or sparql+http(s)://… "
    "[env ECOGRAPH_STORE; default: var/store in the project folder]",
)


def settings_for(store_location: str | None) -> Settings:
    """Settings with the store location resolved (option, environment, then default)."""
    settings = load_settings(store=store_location)
    if store_location is None and settings.store == Settings().store:
        settings = load_settings(store=str(settings.project / "var" / "store"))
    return settings


def bundle_for(settings: Settings) -> Bundle:
    """The project's bundled files for *settings*."""
    return Bundle(settings.ontology_dir, settings.data_dir)


@contextmanager
def opened(settings: Settings, *, autoload: bool = False,
           reading: bool = False) -> Iterator[Store]:
    """Open the configured store; with *autoload*, load the bundled data if it is empty.

    *reading* (a command that only reads): a store folder this process cannot write is
    opened read-only rather than refused.
    """
    store = open_store(settings.store, reading=reading)
    try:
        if autoload:
            outcome = ensure_loaded(store, bundle_for(settings))
            if outcome is not None:
                total = sum(outcome.written.values())
                click.echo(f"ecograph: the store was empty; loaded the bundled data "
                           f"({total} triples in {len(outcome.written)} graphs)", err=True)
        yield store
    except BaseException:
        # The error that stopped the command is the one to report; closing a store that
        # failed a write (a full disk) fails again, and would hide it.
        with contextlib.suppress(StoreError):
            store.close()
        raise
    store.close()


def reports_errors(func: F) -> F:
    """Turn ecograph errors into a one-screen message on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailedError as exc:
            colour = sys.stderr.isatty()
            click.echo(report_to_text(exc.report, colour=colour, source=exc.source), err=True,
                       nl=False)
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        except EcographError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]
