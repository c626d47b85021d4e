"""Linked data on the real CORDIS-scale graph: dereferencing, dumps and VoID, side by side.

Baselines, run in the same session on the same quads:

- dereferencing an organisation IRI on ecograph (``GET /id/organisation/…``, Turtle: the
  outgoing and incoming statements, graphs, labels of neighbours) against the Oxigraph
  server answering ``DESCRIBE <iri>`` (outgoing statements only) in Turtle;
- streaming the whole dataset: ecograph's ``/-/dumps/dataset.nq.gz`` (gzip on the fly)
  against the Oxigraph server's ``GET /store`` (N-Quads, uncompressed), with each server's
  resident memory before and at peak during the download (constant memory means the peak
  does not grow with the dump);
- VoID: the first ``/-/void`` (counted by SPARQL) and a repeated one (cached per version);
- label search: the first (builds the in-memory label index) and repeated ones.

Run: ``.venv/bin/python bench/linked_data.py [--requests 200]``. Prints medians, p95 and
ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
from endpoint_dataset import ROOT, build
from endpoint_servers import rss_bytes, start_ecograph, start_oxigraph

WORK = ROOT / "var" / "bench-linked-data"
BASE = "https://w3id.org/ecograph/"


def _store(nquads: Path) -> Path:
    """An ecograph store of the benchmark quads, private to this benchmark."""
    path = WORK / "store"
    if not path.is_dir():
        store = ox.Store(str(path))
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
    return path


def _sample(nquads: Path, n: int) -> list[str]:
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    orgs = sorted({q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None, None)
        if q.subject.value.startswith(BASE + "id/organisation/")})
    return random.Random(5).sample(orgs, min(n, len(orgs)))


def _timed(client: httpx.Client, requests: list[tuple[str, dict]]) -> list[float]:
    times = []
    for url, params in requests:
        started = time.perf_counter()
        answer = client.get(url, params=params, headers={"Accept": "text/turtle"})
        answer.raise_for_status()
        times.append(time.perf_counter() - started)
    return times


def _summary(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    print(f"  {name:<34} median {median * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")
    return median


def _download(url: str, pid: int, params: dict | None = None) -> tuple[float, int, int, int]:
    """Seconds, bytes, RSS before and peak RSS (process tree) while streaming *url*."""
    before, peak, done = rss_bytes(pid), [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes(pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    size, started = 0, time.perf_counter()
    with httpx.stream("GET", url, params=params, timeout=600,
                      headers={"Accept": "application/n-quads"}) as answer:
        answer.raise_for_status()
        for chunk in answer.iter_raw():
            size += len(chunk)
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    return seconds, size, before, peak[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    _, nquads, _ = build()
    store = _store(nquads)
    iris = _sample(nquads, args.requests)
    print(f"dataset: {nquads} ({nquads.stat().st_size / 1e6:.0f} MB N-Quads); "
          f"{len(iris)} organisation IRIs")
    ecograph = start_ecograph(store, WORK)
    oxigraph = start_oxigraph(nquads, WORK)
    try:
        root = ecograph.extra["root"]
        store_url = oxigraph.url.rsplit("/", 1)[0] + "/store"
        with httpx.Client(timeout=120) as client:
            print("dereferencing (sequential, Turtle):")
            warm = [(f"{root}/{iri[len(BASE):]}", {}) for iri in iris[:10]]
            _timed(client, warm)
            ours = _summary("ecograph GET /id/organisation/…",
                            _timed(client, [(f"{root}/{iri[len(BASE):]}", {}) for iri in iris]))
            _timed(client, [(oxigraph.url, {"query": f"DESCRIBE <{iri}>"}) for iri in iris[:10]])
            theirs = _summary("oxigraph DESCRIBE <iri>", _timed(
                client, [(oxigraph.url, {"query": f"DESCRIBE <{iri}>"}) for iri in iris]))
            print(f"  ratio ecograph / oxigraph: {ours / theirs:.2f}× the latency "
                  "(ecograph also returns incoming statements, graphs and labels)")
            print("VoID:")
            started = time.perf_counter()
            client.get(f"{root}/-/void.ttl").raise_for_status()
            cold = time.perf_counter() - started
            started = time.perf_counter()
            client.get(f"{root}/-/void.ttl").raise_for_status()
            print(f"  first /-/void {cold:.2f} s, repeated {time.perf_counter() - started:.3f} s")
            print("label search:")
            started = time.perf_counter()
            client.get(f"{root}/-/search.json", params={"q": "universi"}).raise_for_status()
            cold = time.perf_counter() - started
            _summary("ecograph /-/search.json (index built)", _timed(
                client, [(f"{root}/-/search.json", {"q": w}) for w in
                         ("iasi", "hospital", "univ", "instituto", "gmbh") * 10]))
            print(f"  first search (builds the label index) {cold:.2f} s")
        print("whole-dataset dump (streamed):")
        for name, server, url, params in (
                ("ecograph /-/dumps/dataset.nq.gz", ecograph, f"{root}/-/dumps/dataset.nq.gz",
                 None),
                ("oxigraph GET /store (N-Quads)", oxigraph, store_url, None)):
            seconds, size, before, peak = _download(url, server.process.pid, params)
            print(f"  {name:<34} {seconds:6.1f} s  {size / 1e6:7.1f} MB sent  "
                  f"RSS {before / 1e6:6.0f} MB at rest, {peak / 1e6:6.0f} MB peak "
                  f"(+{max(peak - before, 0) / 1e6:.0f} MB)")
    finally:
        ecograph.stop()
        oxigraph.stop()


if __name__ == "__main__":
    main()
