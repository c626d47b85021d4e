"""The ``ecograph`` command line: a thin shell over the library.

Exit codes (a documented contract, as in pySHACL):

====  ==========================================================================
0     success; for ``validate``: the data conforms (Warnings may be printed)
1     SHACL Violations: the data was refused / does not conform
2     bad input: malformed RDF or SPARQL, unknown file type, missing file, unknown
      query, missing or bad parameter, bad option
3     the store could not be opened, read or written
4     a query ran past its time limit
====  ==========================================================================
"""

from __future__ import annotations

import click

from ecograph import __version__
from ecograph.cli import curation, data, doctor, importers, infer, plot, query, serve, tokens


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ecograph")
def main() -> None:
    """ecograph: a knowledge graph of health-innovation partnerships."""


for module in (curation, data, doctor, importers, infer, plot, query, serve, tokens):
    for command in module.COMMANDS:
        main.add_command(command)

__all__ = ["main"]
