"""The ``serve`` command: run the SPARQL endpoint on a local address with uvicorn."""

from __future__ import annotations

from pathlib import Path

import click

from ecograph.cli.common import opened, reports_errors, settings_for, store_option
from ecograph.config import Settings
from ecograph.errors import InputError
from ecograph.tokens import access_tokens


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default serves this machine only).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--writable", is_flag=True, default=None,
              help="Allow SPARQL Update and Graph Store writes (needs --tokens or --token) "
              "[env ECOGRAPH_WRITABLE].")
@click.option("--token", default=None, metavar="T",
              help="A bearer token with every scope (read, write, admin) [env ECOGRAPH_TOKEN].")
@click.option("--tokens", "tokens_file", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Tokens file: one 'sha256:HASH NAME SCOPE' a line; make lines with "
              "'ecograph token new' [env ECOGRAPH_TOKENS_FILE].")
@click.option("--private", is_flag=True, default=None,
              help="Every read needs a token too (scope read) [env ECOGRAPH_PRIVATE].")
@click.option("--query-timeout", type=float, default=None, metavar="S",
              help="Stop a query after S seconds (503) [env ECOGRAPH_QUERY_TIMEOUT; 30].")
@click.option("--max-rows", type=int, default=None, metavar="N",
              help="Return at most N rows or triples [env ECOGRAPH_MAX_ROWS; 100000].")
@click.option("--workers", "query_workers", type=int, default=None, metavar="N",
              help="Query worker processes [env ECOGRAPH_QUERY_WORKERS; one per CPU, 2-4].")
@click.option("--fast-workers", type=int, default=None, metavar="N",
              help="Extra workers only for cheap queries, so they are answered while "
              "runaways hold the others; 0: none [env ECOGRAPH_FAST_WORKERS; 1].")
@click.option("--fast-lane-limit", type=float, default=None, metavar="S",
              help="A cheap query still running after S seconds in the fast lane is "
              "run again on the other workers [env ECOGRAPH_FAST_LANE_LIMIT; 1].")
@reports_errors
def serve(store_location: str | None, host: str, port: int, writable: bool | None,
          token: str | None, tokens_file: Path | None, private: bool | None,
          query_timeout: float | None, max_rows: int | None,
          query_workers: int | None, fast_workers: int | None,
          fast_lane_limit: float | None) -> None:
    """Serve the SPARQL endpoint, Graph Store and query page at http://HOST:PORT/sparql.

    An empty store is first loaded with the bundled data. Writes need --writable and a
    token with the write scope (admin for DROP ALL, the default graph, system graphs and
    reverts); with --private, reads need a token with the read scope.
    """
    import logging

    import uvicorn

    from ecograph.web import create_app

    base = settings_for(store_location)
    settings = Settings(**{**base.__dict__, **{k: v for k, v in {
        "writable": writable, "token": token, "tokens_file": tokens_file,
        "private": private, "query_timeout": query_timeout,
        "max_rows": max_rows, "query_workers": query_workers,
        "fast_workers": fast_workers, "fast_lane_limit": fast_lane_limit,
    }.items() if v is not None}})
    if settings.query_timeout <= 0 or settings.max_rows < 0:
        raise InputError("--query-timeout must be positive and --max-rows not negative")
    if settings.fast_workers < 0 or settings.fast_lane_limit <= 0:
        raise InputError("--fast-workers must not be negative and --fast-lane-limit positive")
    tokens = access_tokens(settings)  # a bad tokens file stops here, before the store opens
    if settings.store != ":memory:":
        with opened(settings, autoload=True):
            pass
    app = create_app(settings)
    click.echo(f"ecograph: serving {settings.store} at http://{host}:{port}/sparql "
               f"({'writable' if settings.writable else 'read-only'}"
               f"{', private' if settings.private else ''})", err=True)
    if tokens:  # names and scopes only: a token's text never reaches the log
        click.echo(f"ecograph: {len(tokens)} token(s): "
                   f"{', '.join(t.describe() for t in tokens)}", err=True)
    # rdflib logs a full traceback for every ill-typed literal ("x"^^xsd:integer) it parses:
    # a client's body must not be able to flood the server's log with them.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    uvicorn.run(app, host=host, port=port, log_level="warning")


COMMANDS = [serve]
