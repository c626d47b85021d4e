"""Remote vs embedded: import and named-query latency on the same data, and where it goes.

Starts ``oxigraph serve`` (the venv's CLI) on a free port of 127.0.0.1 and compares, on
the bundled data repeated ``--scale`` times (IRIs renamed per copy):

- import: ``replace_graphs`` of every graph (store cost only: no parsing, no SHACL) on the
  embedded store on disk, the remote store in one update request, and through Graph
  Store staging graphs + ``MOVE``;
- each named query (parameters from defaults, required ones from the data): embedded,
  remote (Oxigraph's union parameter), remote listing the graphs (``explicit`` union,
  as on servers without a union option), and the remote pass-through of the server's
  own serialisation (``query_serialized``, no parsing into rdflib terms);
- the fixed cost of one HTTP round trip (``ASK {}``).

Prints medians (ms) and ratios against the embedded store. Run:
``.venv/bin/python bench/remote.py [--scale 20] [--repeat 15]``
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ecograph.bundle import Bundle  # noqa: E402
from ecograph.errors import EcographError  # noqa: E402
from ecograph.load import parse_file  # noqa: E402
from ecograph.queries import bind, catalogue  # noqa: E402
from ecograph.store.base import Store  # noqa: E402
from ecograph.store.embedded import OxigraphStore  # noqa: E402
from ecograph.store.remote import RemoteStore  # noqa: E402


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm caches and connections once
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def scaled(bundle: Bundle, scale: int) -> dict[URIRef, Graph]:
    """The bundled graphs, each holding *scale* copies with per-copy IRIs."""
    sources = [*bundle.system_sources(), *(parse_file(p) for p in bundle.data_files())]
    out: dict[URIRef, Graph] = {}
    for source in sources:
        graph = Graph()
        for copy in range(scale):
            for s, p, o in source.graph:
                graph.add((_renamed(s, copy), p, _renamed(o, copy)))
        out[source.graph_iri] = graph
    return out


def _renamed(term: object, copy: int) -> object:
    if copy and isinstance(term, URIRef) and "/ecograph/" in term and "#" not in term:
        return URIRef(f"{term}-{copy}")
    return term


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = Path(sys.executable).parent / "oxigraph"
    process = subprocess.Popen([str(exe), "serve", "--location", str(folder), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/query", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("oxigraph serve did not start")


def query_texts(store: Store) -> dict[str, str]:
    """Every named query, bound with defaults and, for required IRIs, a subject found."""
    texts = {}
    for name, query in catalogue(ROOT / "queries").items():
        values = {}
        for parameter in query.parameters:
            if parameter.required and parameter.default is None:
                if parameter.type != "iri":
                    break
                rows = store.query("SELECT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) } "
                                   "ORDER BY ?s LIMIT 1").rows  # type: ignore[union-attr]
                values[parameter.name] = str(rows[0][0])
        else:
            texts[name] = bind(query, values)
    texts["(all triples)"] = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    data = scaled(Bundle(ROOT / "ontology", ROOT / "data" / "sources"), args.scale)
    triples = sum(len(g) for g in data.values())
    print(f"data: {len(data)} graphs, {triples} triples (bundled data x{args.scale}); "
          f"medians of {args.repeat} runs, ms")
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_server(Path(tmp) / "server")
        try:
            embedded = OxigraphStore(Path(tmp) / "embedded")
            remote = RemoteStore(f"{url}/query")
            staged = RemoteStore(f"{url}/query", upload="gsp")
            explicit = RemoteStore(f"{url}/query", union="explicit")
            imports = {
                "embedded (disk)": lambda: embedded.replace_graphs(data),
                "remote, one update": lambda: remote.replace_graphs(data),
                "remote, GSP + MOVE": lambda: staged.replace_graphs(data),
            }
            repeat = max(3, args.repeat // 3)
            base = None
            print("\nimport (replace every graph)")
            for name, run in imports.items():
                ms = median_ms(run, repeat)
                base = base or ms
                print(f"  {name:<22} {ms:9.1f}   x{ms / base:5.2f}")
            ask = median_ms(lambda: remote.query("ASK {}"), args.repeat * 3)
            print(f"\none HTTP round trip (ASK {{}}): {ask:.2f} ms")
            print(f"\n{'query':<28}{'embedded':>10}{'remote':>10}{'x':>7}{'explicit':>10}"
                  f"{'x':>7}{'raw bytes':>10}{'x':>7}")
            for name, text in query_texts(embedded).items():
                try:
                    embedded.query(text)
                except EcographError as exc:
                    print(f"{name[:27]:<28}  (skipped: {exc.message[:60]})")
                    continue
                row = [median_ms(lambda t=text: embedded.query(t), args.repeat)]
                row.append(median_ms(lambda t=text: remote.query(t), args.repeat))
                row.append(median_ms(lambda t=text: explicit.query(t), args.repeat))
                row.append(median_ms(lambda t=text: remote.query_serialized(
                    t, results_type="application/sparql-results+json",
                    graph_type="application/n-triples"), args.repeat))
                print(f"{name[:27]:<28}{row[0]:10.2f}" + "".join(
                    f"{ms:10.2f}{ms / row[0]:7.1f}" for ms in row[1:]))
            for store in (remote, staged, explicit):
                store.close()
            embedded.close()
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
