"""Cheap queries behind runaways: their latency with and without the fast lane, in one run.

Starts ``ecograph serve`` over the benchmark dataset (``var/bench``, built by
``bench/endpoint_dataset.py``; the bundled data with ``--small``) twice per run, with
``--fast-workers 1`` and ``--fast-workers 0`` in turn (same ``--workers``, same time
limit). In each, runaway queries (8-way Cartesian products, each stopped at the limit with
503) keep every general worker busy — twice as many in flight as workers, each sent again
as soon as it is answered — while one client asks cheap queries one after the other: a
``DESCRIBE`` of an organisation, a named lookup (``organisation-partners``) and a small
``SELECT`` of labels, each with its own ``max-rows`` so no answer comes from the cache.
Prints the cheap queries' p50/p95/max per mode, the medians over runs and the ratios,
and the memory (RSS) of the server's processes with and without the lane.

    .venv/bin/python bench/lanes.py [--runs 2] [--seconds 20] [--workers 2] [--limit 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
ORG = "https://w3id.org/ecograph/id/organisation/umf-iasi"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n2 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }")
JSON = {"Accept": "application/sparql-results+json"}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_store(folder: Path, small: bool) -> Path:
    """A store to serve: the benchmark dataset (or, with *small*, the bundled data)."""
    store_path = folder / "store"
    if small:
        return store_path  # ecograph serve loads the bundled data into an empty store
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from endpoint_dataset import build

    _, nquads, _ = build()
    store = OxigraphStore(store_path)
    store.load_dataset(nquads)
    store.close()
    return store_path


def start(store: Path, workers: int, fast: int, limit: float,
          log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("ECOGRAPH_STORE", "ECOGRAPH_TOKEN", "ECOGRAPH_WRITABLE")}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "ecograph"), "serve", "--store", str(store),
         "--port", str(port), "--workers", str(workers), "--fast-workers", str(fast),
         "--query-timeout", str(limit)], env=env, stdout=log.open("wb"),
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(log.read_text())
        try:
            if httpx.get(f"{url}/-/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def tree_rss(pid: int) -> list[int]:
    """Resident memory (bytes) of *pid* and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    sizes, todo = [], [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) * 1024)
        except OSError:
            pass
    return sizes


def cheap_request(n: int) -> tuple[str, dict[str, str], dict[str, str]]:
    """The n-th cheap query: path, parameters, headers (max-rows makes each one new)."""
    rows = str(1000 + n)
    kind = n % 3
    if kind == 0:
        return "/sparql", {"query": f"DESCRIBE <{ORG}>", "max-rows": rows}, \
            {"Accept": "text/turtle"}
    if kind == 1:
        return "/queries/organisation-partners", {"org": ORG, "max-rows": rows}, JSON
    return "/sparql", {"query": f"SELECT ?l WHERE {{ <{ORG}> <{LABEL}> ?l }}",
                       "max-rows": rows}, JSON


def scenario(url: str, seconds: float, runaways: int) -> tuple[list[float], list[float], int]:
    """Cheap-query latencies (s) while *runaways* are kept in flight; runaway times; errors."""
    stop_at = time.monotonic() + seconds
    runaway_times: list[float] = []
    errors = 0

    def keep_running(i: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                started = time.monotonic()
                response = client.get("/sparql", params={"query": f"{RUNAWAY} # {i}.{n}"})
                if response.status_code == 503:
                    runaway_times.append(time.monotonic() - started)

    threads = [threading.Thread(target=keep_running, args=(i,)) for i in range(runaways)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    latencies = []
    with httpx.Client(base_url=url, timeout=120) as client:
        n = 0
        while time.monotonic() < stop_at:
            path, params, headers = cheap_request(n)
            n += 1
            started = time.perf_counter()
            response = client.get(path, params=params, headers=headers)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors += 1
    for thread in threads:
        thread.join()
    return latencies, runaway_times, errors


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=float, default=3)
    parser.add_argument("--small", action="store_true", help="serve the bundled data only")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ecograph-lanes-"))
    modes = {"fast lane (--fast-workers 1)": 1, "no lane (--fast-workers 0)": 0}
    summary: dict[str, dict[str, list[float]]] = {m: {"p50": [], "p95": [], "rss": []}
                                                   for m in modes}
    try:
        store = make_store(folder, args.small)
        for run in range(1, args.runs + 1):
            for mode, fast in modes.items():
                process, url = start(store, args.workers, fast, args.limit,
                                     folder / "server.log")
                try:
                    rss = tree_rss(process.pid)
                    latencies, runaway_times, errors = scenario(url, args.seconds,
                                                                2 * args.workers)
                finally:
                    stop(process)
                p50, p95 = pct(latencies, .5) * 1000, pct(latencies, .95) * 1000
                summary[mode]["p50"].append(p50)
                summary[mode]["p95"].append(p95)
                summary[mode]["rss"].append(sum(rss))
                print(f"run {run}  {mode:30} cheap n={len(latencies):5}  p50 {p50:8.1f} ms  "
                      f"p95 {p95:8.1f} ms  max {max(latencies) * 1000:8.1f} ms  "
                      f"not 200: {errors}  runaways 503 n={len(runaway_times)} median "
                      f"{statistics.median(runaway_times or [0]):.2f} s  "
                      f"RSS {sum(rss) / 2**20:.0f} MiB in {len(rss)} processes "
                      f"(largest {max(rss) / 2**20:.0f} MiB)", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lane, none = (summary[m] for m in modes)
    print(f"\nmedians over {args.runs} runs ({args.workers} general workers, "
          f"{2 * args.workers} runaways in flight, {args.limit:g} s limit):")
    print(f"{'':30} {'p50 ms':>10} {'p95 ms':>10} {'RSS MiB':>10}")
    for mode, values in summary.items():
        print(f"{mode:30} {statistics.median(values['p50']):10.1f} "
              f"{statistics.median(values['p95']):10.1f} "
              f"{statistics.median(values['rss']) / 2**20:10.0f}")
    print(f"ratio no lane / lane: p50 ×{statistics.median(none['p50']) / statistics.median(lane['p50']):.1f}, "  # noqa: E501
          f"p95 ×{statistics.median(none['p95']) / statistics.median(lane['p95']):.1f}; "
          f"the lane costs {(statistics.median(lane['rss']) - statistics.median(none['rss'])) / 2**20:.0f} MiB RSS")  # noqa: E501


if __name__ == "__main__":
    main()
