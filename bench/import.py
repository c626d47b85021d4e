"""Benchmark: the full FP7 + H2020 import and regions-sharing-projects at NUTS-2 and country level.

Run: ``.venv/bin/python bench/import.py [--data ../shared/data] [--runs 3] [--skip-rdflib]``

1. A fresh store on disk gets the bundled data, then ``ecograph import nuts``, ``iso3166``
   and ``cordis-network`` (the full ``cordis-sod16-network`` folder), each as its own
   process: wall time, triples written, triples per second and peak resident memory.
2. ``regions-sharing-projects`` (``level=2`` and ``level=0``) is timed, median of
   ``--runs``, three ways on the same triples:
   * directly in pyoxigraph (the baseline),
   * over HTTP from ``ecograph serve`` (the endpoint of this project),
   * over HTTP from rdflib-endpoint serving an N-Triples dump of the same union graph;
   and the ratios are printed. Queries past ``--timeout`` seconds count as that time
   (a lower bound for the ratio).
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from endpoint_servers import BIN, Server, start_ecograph, start_rdflib_endpoint

from ecograph.queries import bind, get_query

ROOT = Path(__file__).resolve().parents[1]


def run_import(kind: str, path: Path, store: Path, logs: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "ecograph"), "import", kind, str(path), "--store",
                           str(store), "--log-dir", str(logs)], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import {kind} failed ({done.returncode}): {done.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    triples = int(re.search(r"wrote (\d+) triples", done.stdout)[1])  # type: ignore[index]
    return {"wall": wall, "triples": triples, "peak_mib": max(peak, before) / 1024}


def median_time(action, runs: int, timeout: float) -> float:
    """Median wall time of *action(run)*; a timeout counts as *timeout* and ends the runs."""
    times = []
    for run in range(runs):
        started = time.perf_counter()
        try:
            action(run)
        except (httpx.TimeoutException, TimeoutError):
            times.append(timeout)
            break
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def http_query(server: Server, text: str, timeout: float, expected: int) -> None:
    """POST *text* (made unique per run so no cache answers) and check the row count."""
    response = httpx.post(server.url, data={"query": text}, timeout=timeout,
                          headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    rows = len(response.json()["results"]["bindings"])
    if rows != expected:
        raise RuntimeError(f"{server.name}: {rows} rows, expected {expected}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--skip-rdflib", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-import-"))
    store, logs = work / "store", work / "logs"
    subprocess.run([str(BIN / "ecograph"), "load", "--store", str(store)], check=True,
                   capture_output=True)
    print(f"work folder: {work}")
    print(f"{'import':<16}{'wall s':>9}{'triples':>10}{'triples/s':>11}{'peak MiB':>10}")
    for kind, folder in (("nuts", "nuts-eurostat"), ("iso3166", "iso-3166-debian"),
                         ("cordis-network", "cordis-sod16-network")):
        result = run_import(kind, args.data / folder, store, logs)
        print(f"{kind:<16}{result['wall']:>9.1f}{result['triples']:>10}"
              f"{result['triples'] / result['wall']:>11.0f}{result['peak_mib']:>10.0f}")

    query = get_query(ROOT / "queries", "regions-sharing-projects")
    texts = {level: bind(query, {"level": level}) for level in ("2", "0")}
    timings: dict[tuple[str, str], float] = {}
    direct = ox.Store(str(store))
    expected = {level: len(list(direct.query(text, use_default_graph_as_union=True)))
                for level, text in texts.items()}
    print(f"\nrows: NUTS-2 {expected['2']}, country {expected['0']}")
    for level, text in texts.items():
        timings[("pyoxigraph", level)] = median_time(
            lambda run, t=text, d=direct: list(d.query(f"{t}\n# run {run}",
                                                        use_default_graph_as_union=True)),
            args.runs, args.timeout)
    dump = work / "union.nt"
    with open(dump, "wb") as out:
        direct.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                     use_default_graph_as_union=True).serialize(out, ox.RdfFormat.N_TRIPLES)
    direct.flush()
    del direct
    servers = [("ecograph serve", lambda: start_ecograph(store, work))]
    if not args.skip_rdflib:
        servers.append(("rdflib-endpoint", lambda: start_rdflib_endpoint(dump, work)))
    for name, start in servers:
        server = start()
        try:
            for level, text in texts.items():
                timings[(name, level)] = median_time(
                    lambda run, t=text, s=server, n=expected[level]: http_query(
                        s, f"{t}\n# run {run}", args.timeout, n), args.runs, args.timeout)
        finally:
            server.stop()
    print(f"\nregions-sharing-projects, median of {args.runs} (s)")
    print(f"{'':<18}{'NUTS-2':>10}{'country':>10}")
    for name in ("pyoxigraph", "ecograph serve", "rdflib-endpoint"):
        if (name, "2") in timings:
            print(f"{name:<18}{timings[(name, '2')]:>10.2f}{timings[(name, '0')]:>10.2f}")
    for level, label in (("2", "NUTS-2"), ("0", "country")):
        base = timings[("pyoxigraph", level)]
        http = timings[("ecograph serve", level)]
        line = f"{label}: ecograph over HTTP / pyoxigraph direct = {http / base:.2f}x"
        if ("rdflib-endpoint", level) in timings:
            line += (f"; rdflib-endpoint / ecograph = "
                     f"{timings[('rdflib-endpoint', level)] / http:.1f}x")
        print(line)


if __name__ == "__main__":
    main()
