"""Endpoint benchmark: ecograph against the Oxigraph server and rdflib-endpoint.

All three serve the same triples (the bundled sources plus the real CORDIS FP7/H2020
partnership network, NUTS and ISO 3166, built by ``bench/endpoint_dataset.py``) on 127.0.0.1, one
after the other in one run. For each server and mix it prints throughput (requests/s),
median and p95 latency, and resident memory at rest and at the peak under load (the
server with all its processes), as medians over the runs, then the ratios.

    .venv/bin/python bench/endpoint.py                # default: 3 runs, concurrency 8
    .venv/bin/python bench/endpoint.py --runs 1 --lookups 200

Mixes (``bench/endpoint_mixes.py``): *lookup* (entity descriptions, participants, exact-name and
region look-ups over a pool of repeated entities) and *analytic* (partners by shared
projects, projects per country, and the named queries ``region-partners`` and
``country-collaboration`` with parameters — ecograph answers those at
``/queries/{name}``, the peers get the same bound text at their SPARQL endpoint).
``ecograph (no cache)`` runs the lookup mix with every query text made unique, so no
answer comes from the cache: the raw pipeline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from endpoint_dataset import ROOT, build
from endpoint_mixes import Request, analytic_mix, lookup_mix
from endpoint_servers import (
    Server,
    start_ecograph,
    start_oxigraph,
    start_rdflib_endpoint,
)

from ecograph.queries import catalogue

ACCEPT = {"Accept": "application/sparql-results+json"}


@dataclass
class Outcome:
    """One run of one mix on one server."""

    throughput: float
    p50: float
    p95: float
    errors: int
    peak: int


def _send(client: httpx.Client, server: Server, request: Request, unique: int | None,
          timeout: float) -> tuple[float, bool]:
    started = time.perf_counter()
    if server.named_queries and request.named and unique is None:
        url = f"{server.extra['root']}/queries/{request.named}"
        response = client.get(url, params=dict(request.params), headers=ACCEPT,
                              timeout=timeout)
    else:
        text = request.sparql if unique is None else f"{request.sparql}\n# {unique}"
        response = client.post(server.url, data={"query": text}, headers=ACCEPT,
                               timeout=timeout)
    ok = response.status_code == 200 and _is_results(response.content)
    return time.perf_counter() - started, ok


def _is_results(body: bytes) -> bool:
    """Whether *body* is a SPARQL JSON results document (a failed answer is an error)."""
    try:
        document = json.loads(body)
    except ValueError:
        return False
    return isinstance(document, dict) and "head" in document


def run_mix(server: Server, requests: list[Request], concurrency: int, *, unique: bool,
            timeout: float, offset: int = 0) -> Outcome:
    """Send *requests* with *concurrency* clients; sample memory while they run."""
    peak = [server.memory()]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], server.memory())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    clients = [httpx.Client(timeout=timeout) for _ in range(concurrency)]
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(_send, clients[i % concurrency], server, request,
                               offset + i if unique else None, timeout)
                   for i, request in enumerate(requests)]
        for future in futures:
            try:
                latency, ok = future.result()
            except httpx.HTTPError:
                latency, ok = timeout, False
            latencies.append(latency)
            errors += not ok
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    for client in clients:
        client.close()
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    return Outcome(len(requests) / elapsed, statistics.median(latencies), p95, errors,
                   peak[0])


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--lookups", type=int, default=400)
    parser.add_argument("--rdflib-analytic", type=int, default=4,
                        help="analytic requests sent to rdflib-endpoint (it is slow)")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds a request may take; one that takes longer counts as "
                        "an error that took this long")
    args = parser.parse_args()

    store_path, nquads, ntriples = build()
    memory = ox.Store()
    memory.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    print(f"dataset: {len(memory):,} quads in {len(list(memory.named_graphs()))} graphs "
          f"({nquads})")
    lookups = lookup_mix(memory, args.lookups)
    analytics = analytic_mix(memory, catalogue(ROOT / "queries"))
    del memory

    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-"))
    results: dict[tuple[str, str], list[Outcome]] = {}
    rest: dict[str, int] = {}
    starters = [("ecograph", lambda: start_ecograph(store_path, work)),
                ("oxigraph", lambda: start_oxigraph(nquads, work))]
    if not args.skip_rdflib:
        starters.append(("rdflib-endpoint", lambda: start_rdflib_endpoint(ntriples, work)))
    servers: dict[str, Server] = {}
    try:
        for name, start in starters:
            print(f"starting {name} …", file=sys.stderr)
            servers[name] = start()
        time.sleep(2)
        rest = {name: server.memory() for name, server in servers.items()}
        # (row name, server, mix, unique query texts?) — runs interleave the servers, so
        # a change in the machine's load hits them alike
        plan = [("ecograph", "ecograph", "lookup", False),
                ("oxigraph", "oxigraph", "lookup", False),
                ("rdflib-endpoint", "rdflib-endpoint", "lookup", False),
                ("ecograph (no cache)", "ecograph", "lookup", True),
                ("ecograph", "ecograph", "analytic", False),
                ("oxigraph", "oxigraph", "analytic", False),
                ("ecograph (no cache)", "ecograph", "analytic", True)]
        mixes = {"lookup": lookups, "analytic": analytics}
        for _row, name, mix, unique in plan:
            if name in servers:
                run_mix(servers[name], mixes[mix][:8], args.concurrency, unique=unique,
                        timeout=args.timeout, offset=10**6)  # warm-up
        for run in range(args.runs):
            for row, name, mix, unique in plan:
                if name not in servers:
                    continue
                outcome = run_mix(servers[name], mixes[mix], args.concurrency, unique=unique,
                                  timeout=args.timeout, offset=run * 10**5)
                results.setdefault((row, mix), []).append(outcome)
                print(f"  {row:<20} {mix:<9} run {run + 1}: {outcome.throughput:8.2f} req/s, "
                      f"p95 {outcome.p95 * 1000:9.1f} ms, errors {outcome.errors}",
                      file=sys.stderr)
        if "rdflib-endpoint" in servers:  # slow: once, on the first requests of the mix
            outcome = run_mix(servers["rdflib-endpoint"], analytics[: args.rdflib_analytic],
                              args.concurrency, unique=False, timeout=args.timeout)
            results[("rdflib-endpoint", "analytic")] = [outcome]
            print(f"  rdflib-endpoint      analytic  run 1: {outcome.throughput:8.3f} req/s, "
                  f"errors {outcome.errors}", file=sys.stderr)
    finally:
        for server in servers.values():
            server.stop()

    def med(key: tuple[str, str], field: str) -> float:
        return statistics.median(getattr(o, field) for o in results[key])

    print(f"\n{'server':<20} {'mix':<9} {'req/s':>9} {'p50 ms':>9} {'p95 ms':>9} "
          f"{'errors':>6} {'mem rest':>10} {'mem peak':>10}")
    for key in sorted(results, key=lambda k: (k[1], k[0])):
        server = key[0].split(" ")[0]
        print(f"{key[0]:<20} {key[1]:<9} {med(key, 'throughput'):9.1f} "
              f"{med(key, 'p50') * 1000:9.1f} {med(key, 'p95') * 1000:9.1f} "
              f"{sum(o.errors for o in results[key]):6d} {mib(rest[server]):>10} "
              f"{mib(med(key, 'peak')):>10}")
    print("\nratios (ecograph / peer; throughput higher is better, p95 lower is better):")
    for peer in ("oxigraph", "rdflib-endpoint"):
        for mix in ("lookup", "analytic"):  # "(no cache)" rows share the mix name
            if (peer, mix) not in results:
                continue
            for mine in ("ecograph", "ecograph (no cache)"):
                if (mine, mix) not in results:
                    continue
                ratio = med((mine, mix), "throughput") / med((peer, mix), "throughput")
                p95 = med((mine, mix), "p95") / med((peer, mix), "p95")
                print(f"  {mine:<20} vs {peer:<16} {mix:<9} throughput ×{ratio:7.2f}   "
                      f"p95 ×{p95:6.2f}")
        if peer in rest:
            print(f"  memory at rest: ecograph {mib(rest['ecograph'])} vs {peer} "
                  f"{mib(rest[peer])}")


if __name__ == "__main__":
    main()
