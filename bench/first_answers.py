"""The first VoID description and the first label search after a start or a write: the
work each does on the store, before and after reading distinct subjects and labels
without SPARQL ``FILTER``s (the previous ways are kept here as the reference).

Needs a store at CORDIS scale: ``var/bench/store`` as built by ``bench/endpoint.py``
(567k quads), or ``--store DIR`` (never one a running server holds). Runs interleave the
two ways, so a change in the machine's load hits both alike; prints medians and ratios.

    .venv/bin/python bench/first_answers.py --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ecograph import void
from ecograph.describe import LABEL_PROPERTIES
from ecograph.search import LabelIndex
from ecograph.store.base import SelectResult, Store
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
NEW_COUNTS = void.counts


def old_counts(store: Store, graph: URIRef | None = None) -> void.Counts:
    """VoID counts as computed before: COUNT(DISTINCT ?s) and a FILTER(isIRI) query."""
    where = void._where
    triples = (f"SELECT ?s ?p ?o WHERE {{ {where(graph, '?s ?p ?o')} }}" if graph is not None
               else f"SELECT DISTINCT ?s ?p ?o WHERE {{ {where(graph, '?s ?p ?o')} }}")
    totals = void._rows(store, "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?ds) "
                               "(COUNT(DISTINCT ?o) AS ?do) (COUNT(DISTINCT ?p) AS ?np) "
                               f"WHERE {{ {triples} }}")[0]
    entities = void._rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { "
                                 f"{where(graph, '?s ?p ?o')} FILTER(isIRI(?s)) }}")[0][0]
    typed = (f"SELECT ?s ?c WHERE {{ {where(graph, '?s a ?c')} }}" if graph is not None
             else f"SELECT DISTINCT ?s ?c WHERE {{ {where(graph, '?s a ?c')} }}")
    classes = {URIRef(str(c)): int(str(n)) for c, n in void._rows(
        store, f"SELECT ?c (COUNT(?s) AS ?n) WHERE {{ {typed} }} GROUP BY ?c") if c is not None}
    properties = {URIRef(str(p)): int(str(n)) for p, n in void._rows(
        store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {triples} }} GROUP BY ?p") if p is not None}
    return void.Counts(int(str(totals[0])), int(str(entities)), int(str(totals[1])),
                       int(str(totals[2])), len(classes), int(str(totals[3])), classes,
                       properties)


def old_label_index(store: Store) -> LabelIndex:
    """The label index as built before: filtered queries read into rdflib terms."""
    found: dict[URIRef, list[tuple[int, int, Literal]]] = {}
    for rank, prop in enumerate(LABEL_PROPERTIES):
        result = store.query(f"SELECT ?s ?l WHERE {{ ?s <{prop}> ?l "
                             "FILTER(isIRI(?s) && isLiteral(?l)) }")
        assert isinstance(result, SelectResult)
        for iri, label in result.rows:
            if isinstance(label, Literal):
                lang = label.language or ""
                found.setdefault(URIRef(str(iri)), []).append(
                    (rank, 0 if lang.startswith("en") else 1 if not lang else 2, label))
    return LabelIndex({iri: [lbl for *_, lbl in sorted(keys, key=lambda k: (k[0], k[1],
                                                                              str(k[2])))]
                       for iri, keys in found.items()})


def describe(store: Store, counts: Callable[..., void.Counts]) -> Graph:
    void.counts = counts  # describe_dataset looks the function up in its module
    try:
        graph = void.describe_dataset(store, dataset=URIRef("https://w3id.org/ecograph/"),
                                      sparql_endpoint="http://127.0.0.1/sparql",
                                      uri_space="https://w3id.org/ecograph/id/")
    finally:
        void.counts = NEW_COUNTS
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "var" / "bench" / "store")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    store = OxigraphStore(args.store)
    print(f"store {args.store}: {store.count():,} quads")
    tasks: dict[str, Callable[[], object]] = {
        "VoID before": lambda: describe(store, old_counts),
        "VoID now": lambda: describe(store, NEW_COUNTS),
        "labels before": lambda: old_label_index(store).entries,
        "labels now": lambda: LabelIndex.build(store).entries,
    }
    times: dict[str, list[float]] = {name: [] for name in tasks}
    answers: dict[str, object] = {}
    for _ in range(args.runs):
        for name, task in tasks.items():
            start = time.perf_counter()
            answers[name] = task()
            times[name].append(time.perf_counter() - start)
    same_void = isomorphic(answers["VoID before"], answers["VoID now"])  # type: ignore[arg-type]
    same_labels = answers["labels before"] == answers["labels now"]
    print(f"same answers: VoID {same_void} ({len(answers['VoID now'])} triples), "  # type: ignore[arg-type]
          f"labels {same_labels} ({len(answers['labels now'])} entries)")  # type: ignore[arg-type]
    for name in tasks:
        print(f"{name:14} median {statistics.median(times[name]):7.2f} s  "
              f"runs {', '.join(f'{t:.2f}' for t in times[name])}")
    for what in ("VoID", "labels"):
        before, now = (statistics.median(times[f"{what} {w}"]) for w in ("before", "now"))
        print(f"{what}: before/now = {before / now:.2f}×")
    store.close()


if __name__ == "__main__":
    main()
