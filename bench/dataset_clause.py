"""How much finding a query's dataset clause costs: rdflib's full parser, its grammar over
the query head only, and :func:`ecograph.store.dataset_clause.declares_dataset` (word check,
then the head, cached) — on the named queries and on queries that do have ``FROM``.

    .venv/bin/python bench/dataset_clause.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rdflib.plugins.sparql.parser import parseQuery

from ecograph.store import dataset_clause
from ecograph.store.dataset_clause import declares_dataset, parsed_dataset_clauses

ROOT = Path(__file__).resolve().parent.parent


def median_ms(func: Callable[[str], object], text: str, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def uncached(text: str) -> bool:
    dataset_clause.declares_dataset.cache_clear()
    return declares_dataset(text)


def main() -> None:
    queries = {p.stem: p.read_text() for p in sorted((ROOT / "queries").glob("*.rq"))}
    queries["from-select"] = ("PREFIX g: <http://example.org/graph/>\nSELECT ?s ?n "
                              "FROM g:one FROM NAMED g:two WHERE { ?s ?p ?n }")
    queries["from-construct"] = ("CONSTRUCT { ?s ?p ?o } FROM <http://example.org/g> "
                                 "WHERE { ?s ?p ?o }")
    print(f"{'query':28} {'full rdflib ms':>15} {'head ms':>9} {'declares ms':>12} "
          f"{'cached ms':>10} {'full/head':>10}")
    for name, text in queries.items():
        full = median_ms(parseQuery, text, 5)
        head = median_ms(parsed_dataset_clauses, text)
        ours = median_ms(uncached, text)
        cached = median_ms(declares_dataset, text)
        print(f"{name:28} {full:15.2f} {head:9.2f} {ours:12.3f} {cached:10.4f} "
              f"{full / head:9.1f}×")


if __name__ == "__main__":
    main()
