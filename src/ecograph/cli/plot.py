"""The ``plot`` command: the collaboration network of a region, country or cluster as SVG."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ecograph.cli.common import opened, reports_errors, settings_for, store_option
from ecograph.errors import InputError
from ecograph.plot import DEFAULT_LIMIT, KINDS, MAX_LIMIT, network, to_svg


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("key")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the picture here: .svg (the default, on stdout without -o) or "
              ".json (nodes with positions and edges).")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=DEFAULT_LIMIT,
              show_default=True, help="Show at most this many partners, most shared first.")
@store_option
@reports_errors
def plot(kind: str, key: str, output: Path | None, limit: int,
         store_location: str | None) -> None:
    """Draw who a region, country or cluster shares projects with.

    \b
    Examples:
      ecograph plot region RO21 -o nord-est.svg
      ecograph plot country RO --limit 15 -o romania.svg
      ecograph plot cluster imago-mol -o imago-mol.json
    """
    suffix = output.suffix.lower() if output is not None else ".svg"
    if suffix not in (".svg", ".json"):
        raise InputError(f"cannot write a {suffix or 'file without extension'}: "
                         "use an .svg or .json output file")
    with opened(settings_for(store_location), autoload=True, reading=True) as store:
        net = network(store, kind, key, limit=limit)
    text = (json.dumps(net.as_json(), indent=2, ensure_ascii=False) + "\n"
            if suffix == ".json" else to_svg(net))
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"{output}: {len(net.nodes)} nodes ({net.unit}), {len(net.edges)} links",
               err=True)


COMMANDS = [plot]
