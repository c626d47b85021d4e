"""Benchmark: validate and commit a ~50-triple change against a store holding the CORDIS graph.

Two ways, side by side on the same store and the same change:

- **incremental** — ecograph's gate (:func:`ecograph.curation.submit`): the change's
  focus nodes and their surroundings, validated with pyshacl, then one atomic commit;
- **full** — the baseline: pyshacl revalidating the whole resulting data graph, then the
  same commit.

The change copies real organisations of the store (all their triples, new IRIs, new
labels) and their participations, so it is valid exactly when the real data are. Each
commit is undone before the next run. Prints medians, the ratio and both verdicts.

    python bench/curation.py --store var/bench-store [--runs 7] [--full-runs 1]

Build the store first (about ten minutes here):

    ecograph load --store var/bench-store
    ecograph import nuts ../shared/data/nuts-eurostat --store var/bench-store
    ecograph import cordis-network ../shared/data/cordis-sod16-network --store var/bench-store
"""

from __future__ import annotations

import argparse
import statistics
import time

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from ecograph import graphs
from ecograph.changes import ChangeSet, apply, graph_quads
from ecograph.curation import Rules, submit
from ecograph.incremental import resulting_state
from ecograph.store.base import SelectResult
from ecograph.store.embedded import OxigraphStore
from ecograph.validate import validate

ORGS = """
PREFIX ecograph: <https://w3id.org/ecograph/ontology#>
SELECT ?org (COUNT(?p) AS ?n) WHERE {
  ?project ecograph:hasParticipant ?org . ?org a ?type . ?p ?x ?org
} GROUP BY ?org HAVING (COUNT(?p) <= 3) ORDER BY ?org LIMIT 40
"""


def make_change(store: OxigraphStore, size: int = 50) -> ChangeSet:
    """About *size* new triples: copies of real organisations and their participations."""
    answer = store.query(ORGS)
    assert isinstance(answer, SelectResult)
    data_graphs = [g for g in store.graphs() if g not in graphs.SYSTEM_GRAPHS]
    change = ChangeSet()
    for n, (org, _count) in enumerate(answer.rows):
        copy = URIRef(f"{org}-bench-copy-{n}")
        for graph in data_graphs:
            for s, p, o, g in graph_quads_about(store, graph, org):
                if s == org:
                    value = Literal(f"Benchmark copy {n}", lang="en") if p == RDFS.label else o
                    change.additions.add((copy, p, value, g))
                else:
                    change.additions.add((s, p, copy, g))
        if len(change.additions) >= size:
            break
    return change


def graph_quads_about(store: OxigraphStore, graph: URIRef, node: object) -> set[tuple]:
    answer = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ "
                         f"{{ <{node}> ?p ?o BIND(<{node}> AS ?s) }} UNION "
                         f"{{ ?s ?p <{node}> BIND(<{node}> AS ?o) }} }} }}")
    assert isinstance(answer, SelectResult)
    return {(s, p, o, graph) for s, p, o in answer.rows}


def undo(store: OxigraphStore, change: ChangeSet) -> None:
    apply(store, ChangeSet(removals=set(change.additions)))
    log = graph_quads(store, graphs.CHANGELOG) if store.has_graph(graphs.CHANGELOG) else set()
    if log:
        apply(store, ChangeSet(removals=log))


def _key(result: object) -> tuple[str, ...]:
    shape = getattr(result, "shape", None)
    return (str(getattr(result, "focus", "")), str(getattr(result, "severity", "")),
            str(shape) if isinstance(shape, URIRef) else "_", str(getattr(result, "path", "")),
            str(getattr(result, "value", "")), str(getattr(result, "message", "")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--full-runs", type=int, default=1)
    args = parser.parse_args()
    store = OxigraphStore(args.store)
    try:
        rules = Rules.from_store(store)
        change = make_change(store)
        print(f"store: {store.count()} quads; change: {len(change.additions)} triples added",
              flush=True)

        incremental, verdicts = [], set()
        focus_nodes: set[object] = set()
        incremental_results: set[tuple[str, ...]] = set()
        for _ in range(args.runs):
            started = time.perf_counter()
            try:
                outcome = submit(store, change, rules, agent="bench")
                verdicts.add(("accepted", outcome.validation.report.count("Warning")))
                mode = outcome.validation.mode
                focus = len(outcome.validation.focus_nodes)
                focus_nodes = set(outcome.validation.focus_nodes)
                incremental_results = {_key(r) for r in outcome.validation.report.results}
            except Exception as exc:  # a refusal is a verdict too
                verdicts.add((type(exc).__name__, 0))
                mode, focus = "refused", 0
            incremental.append(time.perf_counter() - started)
            undo(store, change)
        print(f"incremental ({mode}, {focus} focus nodes): median "
              f"{statistics.median(incremental) * 1000:.0f} ms over {args.runs} runs; "
              f"verdict {sorted(verdicts)}", flush=True)

        if args.full_runs == 0:
            return
        full, full_verdicts = [], set()
        for _ in range(args.full_runs):
            started = time.perf_counter()
            report = validate(resulting_state(store, change), rules.shapes, rules.schema)
            if report.accepted:
                apply(store, change)
            full.append(time.perf_counter() - started)
            full_verdicts.add(("accepted" if report.accepted else "ValidationFailedError",
                               report.count("Warning")))
            if report.accepted:
                undo(store, change)
        on_focus = {_key(r) for r in report.results if r.focus in focus_nodes}
        elsewhere = [r for r in report.results if r.focus not in focus_nodes]
        print(f"full validation on the change's {len(focus_nodes)} focus nodes equals the "
              f"incremental results: {on_focus == incremental_results}; results on other "
              f"nodes (already in the store, not caused by the change): "
              f"{sum(r.severity == 'Violation' for r in elsewhere)} Violation(s), "
              f"{sum(r.severity == 'Warning' for r in elsewhere)} Warning(s)")
        ratio = statistics.median(full) / statistics.median(incremental)
        print(f"full pyshacl revalidation: median {statistics.median(full):.1f} s over "
              f"{args.full_runs} run(s); verdict {sorted(full_verdicts)}")
        print(f"incremental is {ratio:.0f}x faster; same verdict on the whole state: "
              f"{[v[0] for v in verdicts] == [v[0] for v in full_verdicts]}")
    finally:
        store.close()


if __name__ == "__main__":
    main()
