"""The ``import`` command: real open data (CORDIS, NUTS, ISO 3166, ROR) into the store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ecograph.cli.common import opened, reports_errors, settings_for, store_option
from ecograph.importers.run import KINDS, input_files, run_import


@click.command("import")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--log-dir", type=click.Path(path_type=Path), default=None,
              help="Where the import log and the reconciliation CSV go "
              "[default: var/logs in the project folder].")
@reports_errors
def import_command(kind: str, paths: tuple[Path, ...], store_location: str | None,
                   log_dir: Path | None) -> None:
    """Import the KIND files at PATHS (files, or the folder holding them) into their graph.

    \b
    Kinds and what they read (as in ../shared/data):
      nuts              nuts2021_classification.csv [+ changes, latin names]
      iso3166           iso_3166-1.json
      cordis-reference  cordisref-*.csv
      cordis-network    fp7_orgs.csv fp7_edges.tsv h2020_*.tsv [+ fp7_organizations.csv]
      cordis-horizon    organization*.csv project*.csv (Horizon Europe, official format)
      ror               ror_europe_flat.csv

    Each import replaces the kind's named graph, all or nothing: a bad file changes
    nothing (exit 2, or 1 when the mapped data breaks the shapes). Import nuts before
    cordis-network and cordis-horizon. Skipped and repaired rows, with reasons, are listed
    in the log file; matches with the seed's organisations in a CSV beside it.
    """
    settings = settings_for(store_location)
    logs = log_dir or settings.project / "var" / "logs"
    files = input_files(kind, list(paths))
    total = sum(f.stat().st_size for f in files)
    bar_options: dict[str, Any] = {"length": total, "label": f"importing {kind}", "show_pos": False,
                   "file": sys.stderr}
    with opened(settings, autoload=True) as store, click.progressbar(**bar_options) as bar:
        outcome = run_import(store, kind, files, log_dir=logs, progress=bar.update)
    tally = outcome.tally
    click.echo(f"{kind}: {tally.summary()}")
    click.echo(f"wrote {outcome.triples} triples to <{outcome.graph}> in "
               f"{sum(outcome.timings.values()):.1f} s "
               f"({', '.join(f'{k} {v:.1f} s' for k, v in outcome.timings.items())})")
    for note in outcome.notes:
        click.echo(note)
    click.echo(f"log: {outcome.log}")


COMMANDS = [import_command]
