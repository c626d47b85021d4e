"""The ``token`` commands: make a new access token, check a tokens file."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ecograph.cli.common import reports_errors
from ecograph.errors import InputError
from ecograph.tokens import Scope, check_name, line_for, new_token, read_tokens

SCOPES = click.Choice([s.word for s in Scope], case_sensitive=False)


@click.group()
def token() -> None:
    """Access tokens for 'ecograph serve --tokens FILE' (scopes read, write, admin)."""


@token.command("new")
@click.argument("name")
@click.option("--scope", type=SCOPES, default="read", show_default=True,
              help="What the token may do: read (queries, when the server is private), "
              "write (updates, Graph Store, change sets) or admin (also DROP ALL, the default "
              "and system graphs, reverts).")
@click.option("--file", "tokens_file", metavar="FILE", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Append the token's line to this tokens file (created if missing, "
              "readable by you only).")
@reports_errors
def new(name: str, scope: str, tokens_file: Path | None) -> None:
    """Make a random token called NAME: print it once on stdout, and its tokens-file line.

    Only the token's SHA-256 hash goes into the tokens file; keep the token itself secret,
    it cannot be shown again. The server reads the tokens file when it starts.
    """
    try:
        check_name(name)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    text = new_token()
    line = line_for(text, name, Scope[scope.upper()])
    if tokens_file is not None:
        if tokens_file.exists():
            taken = {t.name for t in read_tokens(tokens_file)}
            if name in taken:
                raise InputError(f"{tokens_file} already has a token called {name!r}")
        add_line(tokens_file, line)
        click.echo(f"ecograph: added token {name!r} ({scope.lower()}) to {tokens_file}; "
                   "restart the server to use it", err=True)
    else:
        click.echo(f"ecograph: add this line to the tokens file:\n{line}", err=True)
    click.echo(text)


def add_line(path: Path, line: str) -> None:
    """Append *line* to the file at *path*, created readable and writable by its owner only."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as out:
            if out.tell() > 0 and not path.read_bytes().endswith(b"\n"):
                out.write("\n")
            out.write(line + "\n")
    except OSError as exc:
        raise InputError(f"cannot write the tokens file {path}: {exc.strerror}") from None


@token.command("check")
@click.argument("tokens_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def check(tokens_file: Path) -> None:
    """Check a tokens file: list each token's name and scope, or every bad line (exit 2)."""
    for entry in read_tokens(tokens_file):
        click.echo(f"{entry.name}\t{entry.scope.word}")


COMMANDS = [token]
