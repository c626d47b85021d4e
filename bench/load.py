"""Load test: readers run named queries while a curator commits changes over HTTP.

A real ``ecograph serve --writable`` runs on 127.0.0.1 over a small store on disk. For
``--seconds`` seconds, ``--readers`` asyncio clients run the named queries (organisations,
an organisation's projects, and a counter), while one curator commits change sets through
``POST /changes``: each removes the counter's ``value`` and ``mirror`` (both N) and adds
them as N+1. Prints throughput, p50/p95/p99 latency per request kind and errors (goal: 0),
and checks isolation: every counter answer has exactly one row with ``value == mirror``
(never half a commit) and no reader ever sees the counter go back.

    .venv/bin/python bench/load.py [--seconds 30] [--readers 8] [--workers 2] [--fast-workers 1]

The test suite runs the same core for a few seconds (``tests/hardening/test_load.py``):
:func:`prepare` makes the store and project, :func:`run` the readers and the curator,
:func:`problems` says what went wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "tests" / "web" / "project"
TOKEN = "load-test-token"
GRAPH = "https://w3id.org/ecograph/graph/load-test"
EX = "http://example.org/load#"


def dataset() -> str:
    """The load test's store: 200 organisations, 400 projects and the counter."""
    return f"""
PREFIX ecograph: <https://w3id.org/ecograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX id: <https://w3id.org/ecograph/id/>
INSERT DATA {{ GRAPH <{GRAPH}> {{
  <{EX}counter> <{EX}value> 0 ; <{EX}mirror> 0 .
  {" ".join(f'id:org-{i} a ecograph:Organisation ; rdfs:label "Org {i}" ; '
            f'ecograph:country "{("RO", "BE", "NL", "DE")[i % 4]}" .'
            for i in range(200))}
  {" ".join(f'id:project-{i} a ecograph:Project ; dcterms:title "Project {i}" ; '
            f'ecograph:hasParticipant id:org-{i % 200}, id:org-{(i * 7) % 200} .'
            for i in range(400))}
}} }}
"""

COUNTER = f"""# title: Counter
# description: The load test's counter: its value and its mirror, always equal.
# columns: value, mirror
SELECT ?value ?mirror WHERE {{
  <{EX}counter> <{EX}value> ?value . OPTIONAL {{ <{EX}counter> <{EX}mirror> ?mirror }}
}}
"""
JSON = {"Accept": "application/sparql-results+json"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(folder: Path, workers: int,
            fast_workers: int = 1) -> tuple[list[str], dict[str, str]]:
    """Make the store and the project in *folder*; the ``serve`` arguments and environment."""
    store = OxigraphStore(folder / "store")
    store.update(dataset())
    store.close()
    project = folder / "project"
    shutil.copytree(PROJECT, project)
    (project / "queries" / "counter.rq").write_text(COUNTER, encoding="utf-8")
    env = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(project)}
    for name in ("ECOGRAPH_STORE", "ECOGRAPH_TOKEN", "ECOGRAPH_WRITABLE"):
        env.pop(name, None)
    return (["--store", str(folder / "store"), "--writable", "--token", TOKEN,
             "--workers", str(workers), "--fast-workers", str(fast_workers)], env)


def start(folder: Path, workers: int,
          fast_workers: int) -> tuple[subprocess.Popen[bytes], str]:
    args, env = prepare(folder, workers, fast_workers)
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "ecograph"), "serve", *args, "--port", str(port)],
        env=env, stdout=(folder / "server.log").open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit((folder / "server.log").read_text())
        try:
            if httpx.get(f"{url}/-/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


class Tally:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.torn = 0  # answers showing half a commit
        self.backwards = 0  # a reader saw the counter go back
        self.seen: set[int] = set()

    def timed(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        self.latency[kind].append(seconds)
        if not ok:
            self.errors[kind] += 1
            if self.errors[kind] <= 3:
                print(f"  error on {kind}: {detail[:200]}", flush=True)


async def reader(client: httpx.AsyncClient, n: int, until: float, tally: Tally) -> None:
    last = -1
    i = n
    while time.monotonic() < until:
        i += 1
        kind = ("counter", "organisations", "org-projects")[i % 3]
        params = {"country": ("RO", "BE", "NL")[i % 3]} if kind == "organisations" else (
            {"org": f"id:org-{i % 200}"} if kind == "org-projects" else {})
        started = time.perf_counter()
        try:
            response = await client.get(f"/queries/{kind}", params=params, headers=JSON)
            ok = response.status_code == 200
            tally.timed(kind, time.perf_counter() - started, ok, response.text)
        except httpx.HTTPError as error:
            tally.timed(kind, time.perf_counter() - started, False, repr(error))
            continue
        if ok and kind == "counter":
            rows = response.json()["results"]["bindings"]
            values = {(r["value"]["value"], r.get("mirror", {}).get("value")) for r in rows}
            if len(rows) != 1 or len(values) != 1 or rows[0].get("mirror") is None or \
                    rows[0]["value"]["value"] != rows[0]["mirror"]["value"]:
                tally.torn += 1
                continue
            value = int(rows[0]["value"]["value"])
            tally.seen.add(value)
            if value < last:
                tally.backwards += 1
            last = value


async def curator(client: httpx.AsyncClient, until: float, tally: Tally) -> int:
    value = 0
    while time.monotonic() < until:
        triple = f"<{EX}counter> <{EX}value> {{n}} ; <{EX}mirror> {{n}} ."
        spec = {"remove": triple.format(n=value), "add": triple.format(n=value + 1),
                "format": "turtle", "graph": GRAPH, "message": f"tick {value + 1}"}
        started = time.perf_counter()
        try:
            response = await client.post("/changes", json=spec,
                                          headers={"Authorization": f"Bearer {TOKEN}"})
            ok = response.status_code == 201
            tally.timed("commit", time.perf_counter() - started, ok, response.text)
        except httpx.HTTPError as error:
            tally.timed("commit", time.perf_counter() - started, False, repr(error))
            ok = False
        if ok:
            value += 1
        await asyncio.sleep(0.05)
    return value


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(url: str, seconds: float, readers: int) -> tuple[Tally, int, int, float]:
    """Readers and the curator for *seconds*: the tally, commits acknowledged, the counter
    stored at the end and the time taken."""
    tally = Tally()
    limits = httpx.Limits(max_connections=readers + 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.monotonic()
        until = started + seconds
        tasks = [reader(client, n, until, tally) for n in range(readers)]
        results = await asyncio.gather(curator(client, until, tally), *tasks)
        elapsed = time.monotonic() - started
        final = await client.get("/queries/counter", headers=JSON)
        stored = int(final.json()["results"]["bindings"][0]["value"]["value"])
    return tally, int(results[0]), stored, elapsed


def problems(tally: Tally, commits: int, stored: int) -> list[str]:
    """What the run got wrong: errors, torn answers, reads going back, a lost commit."""
    found = [f"{n} errors on {kind}" for kind, n in sorted(tally.errors.items()) if n]
    if tally.torn:
        found.append(f"{tally.torn} torn answers")
    if tally.backwards:
        found.append(f"{tally.backwards} reads going back")
    if stored != commits:
        found.append(f"the stored counter is {stored}, but {commits} commits were acknowledged")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fast-workers", type=int, default=1,
                        help="fast-lane workers (cheap queries: here, all the named ones)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ecograph-load-"))
    process, url = start(folder, args.workers, args.fast_workers)
    try:
        tally, commits, stored, elapsed = asyncio.run(run(url, args.seconds, args.readers))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
    total = sum(len(v) for v in tally.latency.values())
    print(f"{args.readers} readers + 1 curator, {args.workers} query workers "
          f"+ {args.fast_workers} fast-lane, "
          f"{elapsed:.1f} s: {total} requests, {total / elapsed:.0f} requests/s, "
          f"{commits} commits ({commits / elapsed:.1f}/s)")
    for kind, values in sorted(tally.latency.items()):
        print(f"  {kind:14} n={len(values):6}  p50 {percentile(values, .5) * 1000:7.1f} ms  "
              f"p95 {percentile(values, .95) * 1000:7.1f} ms  "
              f"p99 {percentile(values, .99) * 1000:7.1f} ms  "
              f"mean {statistics.fmean(values) * 1000:7.1f} ms  errors {tally.errors[kind]}")
    print(f"isolation: {tally.torn} torn answers, {tally.backwards} reads going back, "
          f"{len(tally.seen)} distinct counter values seen of {commits + 1}")
    wrong = problems(tally, commits, stored)
    if wrong:
        raise SystemExit("; ".join(wrong))


if __name__ == "__main__":
    main()
