"""The benchmark dataset: the bundled sources plus the real CORDIS partnership network.

Built once into ``var/bench/store`` (an ecograph store on disk) from ``data/sources`` and
``../shared/data`` (NUTS 2021, ISO 3166, the CORDIS FP7/H2020 participation network)
through ecograph's importers, then dumped as N-Quads (for the Oxigraph server) and as
N-Triples of the union graph (for rdflib-endpoint), so every server holds the same triples.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyoxigraph as ox

from ecograph.graphs import graph_for_file
from ecograph.importers.run import run_import
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
WORK = ROOT / "var" / "bench"
IMPORTS = (("nuts", "nuts-eurostat"), ("iso3166", "iso-3166-debian"),
           ("cordis-network", "cordis-sod16-network"))


def build(work: Path = WORK) -> tuple[Path, Path, Path]:
    """Return (store folder, N-Quads file, N-Triples file), building them if missing."""
    store_path, nquads, ntriples = work / "store", work / "dataset.nq", work / "dataset.nt"
    if store_path.is_dir() and nquads.is_file() and ntriples.is_file():
        return store_path, nquads, ntriples
    if not SHARED.is_dir():
        sys.exit(f"the real data is missing: {SHARED}")
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    store = OxigraphStore(store_path)
    try:
        bundled = work / "bundled.nq"
        quads = []
        for path in sorted((ROOT / "data" / "sources").glob("*.ttl")):
            graph = ox.NamedNode(str(graph_for_file(path)))
            quads += [ox.Quad(q.subject, q.predicate, q.object, graph)
                      for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        ox.serialize(quads, str(bundled), format=ox.RdfFormat.N_QUADS)
        store.load_dataset(bundled)  # as they are: the benchmark measures serving
        for kind, folder in IMPORTS:
            outcome = run_import(store, kind, [SHARED / folder], log_dir=work / "logs")
            print(f"  imported {kind}: {outcome.triples} triples", file=sys.stderr)
        store.dump_dataset(nquads)
        union = ox.Store()
        union.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        triples = union.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                              use_default_graph_as_union=True)
        triples.serialize(str(ntriples), format=ox.RdfFormat.N_TRIPLES)
    finally:
        store.close()
    print(f"  built the dataset in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return store_path, nquads, ntriples
