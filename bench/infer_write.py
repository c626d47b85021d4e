"""Benchmark: the first large write of the inferred graph, bulk loader against one transaction.

``infer/materialise.py::write_changes`` writes a first large inferred graph (more than
``BULK_THRESHOLD`` triples into an empty ``graph/inferred``) in one transaction of quads
parsed by Oxigraph (``Store.extend``): a kill leaves the graph empty or complete. It used
Oxigraph's bulk loader, which is not transactional. This script builds a store with a
10-deep class chain over N instances (9 × N inferred types, as in
``tests/hardening/test_faults.py``), computes the inferences once, then writes them into
fresh copies of the store, in turn, with each way:

* ``bulk loader (old)``: ``Store.bulk_load`` of the N-Quads into ``graph/inferred``;
* ``extend, one transaction (new)``: what ``write_changes`` does now;
* ``bulk to staging + MOVE``: bulk-load into a staging graph, then ``MOVE`` it into place
  in one SPARQL Update (atomic, the other candidate);
* ``INSERT DATA``: one SPARQL Update, as for smaller writes.

It prints the median of each (write and flush), its ratio to the old way, and the median
of a whole first ``materialise`` (read, reason, write) to put the write in proportion.

    .venv/bin/python bench/infer_write.py [--instances 40000] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ecograph import graphs
from ecograph.infer.closure import infer
from ecograph.infer.materialise import _read, materialise, write_changes
from ecograph.store.embedded import OxigraphStore

INFERRED = f"<{graphs.INFERRED}>"
STAGING = "<https://w3id.org/ecograph/graph/inferred-staging>"
Triple = tuple[str, str, str]


def build(path: Path, instances: int) -> None:
    """A store with a 10-deep class chain and *instances* members of the deepest class."""
    ontology, data = Graph(), Graph()
    for i in range(10):
        ontology.add((URIRef(f"http://example.org/C{i}"), RDF.type, OWL.Class))
        if i:
            ontology.add((URIRef(f"http://example.org/C{i}"), RDFS.subClassOf,
                          URIRef(f"http://example.org/C{i - 1}")))
    for j in range(instances):
        data.add((URIRef(f"http://example.org/x{j}"), RDF.type,
                  URIRef("http://example.org/C9")))
    store = OxigraphStore(path)
    store.replace_graphs({graphs.ONTOLOGY: ontology, URIRef("http://example.org/g"): data})
    store.close()


def nquads(add: set[Triple], graph: str) -> bytes:
    return "".join(f"{s} {p} {o} {graph} .\n" for s, p, o in add).encode("utf-8")


def bulk(store: OxigraphStore, add: set[Triple]) -> None:
    store._store.bulk_load(nquads(add, INFERRED), format=ox.RdfFormat.N_QUADS)


def extend(store: OxigraphStore, add: set[Triple]) -> None:
    write_changes(store, add, set(), was_empty=True)


def staged(store: OxigraphStore, add: set[Triple]) -> None:
    store._store.bulk_load(nquads(add, STAGING), format=ox.RdfFormat.N_QUADS)
    store.update(f"MOVE SILENT GRAPH {STAGING} TO {INFERRED}")


def insert(store: OxigraphStore, add: set[Triple]) -> None:
    store.update(f"INSERT DATA {{ GRAPH {INFERRED} {{\n"
                 + "".join(f"{s} {p} {o} .\n" for s, p, o in add) + "} }")


WAYS: dict[str, Callable[[OxigraphStore, set[Triple]], None]] = {
    "bulk loader (old)": bulk,
    "extend, one transaction (new)": extend,
    "bulk to staging + MOVE": staged,
    "INSERT DATA": insert,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ecograph-bench-"))
    try:
        build(folder / "base", options.instances)
        store = OxigraphStore(folder / "base")
        given, _old = _read(store)
        add = infer(given).inferred
        store.close()
        print(f"{options.instances} instances: {len(add)} inferred triples to write")
        times: dict[str, list[float]] = {name: [] for name in WAYS}
        whole: list[float] = []
        for run in range(options.runs):
            for name, way in WAYS.items():  # interleaved, so load on the machine hits all
                copy = folder / f"run-{run}"
                shutil.copytree(folder / "base", copy)
                store = OxigraphStore(copy)
                started = time.perf_counter()
                way(store, add)
                store.flush()
                times[name].append(time.perf_counter() - started)
                assert store.count(graphs.INFERRED) == len(add), name
                store.close()
                shutil.rmtree(copy)
            copy = folder / f"whole-{run}"
            shutil.copytree(folder / "base", copy)
            store = OxigraphStore(copy)
            started = time.perf_counter()
            materialise(store, check=False)
            store.flush()
            whole.append(time.perf_counter() - started)
            store.close()
            shutil.rmtree(copy)
        old = statistics.median(times["bulk loader (old)"])
        print(f"{'way':32s} {'median':>8s} {'ratio':>6s}  runs (s)")
        for name, values in times.items():
            median = statistics.median(values)
            print(f"{name:32s} {median:7.2f}s {median / old:5.2f}x  "
                  + ", ".join(f"{v:.2f}" for v in values))
        print(f"{'whole first materialise (new)':32s} {statistics.median(whole):7.2f}s "
              f"(of which the old write would be {old:.2f}s)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
