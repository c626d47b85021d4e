"""Importers of real open data (CORDIS, Eurostat NUTS, ISO 3166, ROR), one module per kind.

Each kind module offers ``select(paths)`` (its files), ``convert(job, files)`` (rows to
triples, streaming), ``CHECKS`` (SPARQL checks standing for the shapes) and ``SOURCE``
(its provenance); :func:`ecograph.importers.run.run_import` runs one import end to end.
"""

from __future__ import annotations

from ecograph.importers.run import KINDS, ImportOutcome, input_files, run_import

__all__ = ["KINDS", "ImportOutcome", "input_files", "run_import"]
