"""Where the endpoint should hold its working set: the store on disk or a copy in memory.

Runs the endpoint benchmark's lookup and analytic queries directly through pyoxigraph
(no HTTP) on the benchmark store on disk and on an in-memory copy of the same quads,
one query at a time, and prints the median time per query of each mix and the ratio.
The server holds the working set in memory (the query workers) because of this.

    .venv/bin/python bench/store_residence.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from endpoint_dataset import ROOT, build
from endpoint_mixes import analytic_mix, lookup_mix

from ecograph.queries import catalogue

JSON = ox.QueryResultsFormat.JSON


def timed(store: ox.Store, queries: list[str], rounds: int) -> list[float]:
    """Median seconds of each query over *rounds* runs (results serialised as JSON)."""
    medians = []
    for text in queries:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            store.query(text, use_default_graph_as_union=True).serialize(format=JSON)
            times.append(time.perf_counter() - started)
        medians.append(statistics.median(times))
    return medians


def main() -> None:
    store_path, nquads, _ = build()
    copy = Path(tempfile.mkdtemp(prefix="ecograph-residence-")) / "store"
    shutil.copytree(store_path, copy)
    disk = ox.Store(str(copy))
    memory = ox.Store()
    started = time.perf_counter()
    memory.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    print(f"copied {len(memory):,} quads into memory in {time.perf_counter() - started:.1f} s")
    lookups = list(dict.fromkeys(r.sparql for r in lookup_mix(memory, 400)))[:120]
    analytics = list(dict.fromkeys(r.sparql for r in analytic_mix(memory,
                                                                  catalogue(ROOT / "queries"))))
    print(f"{'mix':<9} {'queries':>7} {'disk ms':>10} {'memory ms':>10} {'disk/memory':>12}")
    for label, queries, rounds in (("lookup", lookups, 5), ("analytic", analytics, 1)):
        on_disk = timed(disk, queries, rounds)
        in_memory = timed(memory, queries, rounds)
        ratios = [d / m for d, m in zip(on_disk, in_memory, strict=True)]
        print(f"{label:<9} {len(queries):7d} {statistics.median(on_disk) * 1000:10.2f} "
              f"{statistics.median(in_memory) * 1000:10.2f} "
              f"{statistics.median(ratios):11.2f}×")
    shutil.rmtree(copy.parent)


if __name__ == "__main__":
    main()
