"""Precomputed region-collaboration edges against the on-the-fly query, at full scale.

On a store holding the full NUTS and CORDIS FP7 + H2020 network imports, measures in one
run, side by side:

1. the full derivation of the edges (one SPARQL query + one atomic update);
2. the named query ``regions-sharing-projects`` (computed on the fly) against
   ``region-collaborations`` (reads the edges) at NUTS-2 and country level, interleaved,
   median of ``--runs``, their ratio, and whether both give the same rows — on the store
   on disk, and on an in-memory copy (what the endpoint's query workers hold);
3. incremental maintenance after a one-triple change (a project gains a participant from
   a country it had none in), then its removal: the edge work (read before + adjust
   after) and, for context, the inference update, median of ``--runs``; at the end the
   maintained edges are compared with a full recompute.

Build the store first (about a minute), then run::

    ECOGRAPH_STORE=/tmp/bigstore-re .venv/bin/ecograph import nuts ../shared/data/nuts-eurostat
    ECOGRAPH_STORE=/tmp/bigstore-re .venv/bin/ecograph import cordis-network \\
        ../shared/data/cordis-sod16-network
    .venv/bin/python bench/region_edges.py --store /tmp/bigstore-re --runs 5

The queries run in-process through the store interface (no HTTP, no cache).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ecograph import graphs
from ecograph.derive import after_change, before_change, derive_edges
from ecograph.infer import update_inferences
from ecograph.queries import bind, get_query
from ecograph.store.base import SelectResult
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
HAS_PARTICIPANT = "https://w3id.org/ecograph/ontology#hasParticipant"
NETWORK = graphs.source_graph("cordis-network")
P = "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"


def run_named(store: OxigraphStore, name: str, **params: str) -> tuple[float, list[tuple]]:
    """Seconds to run the named query *name*, and its rows (as text)."""
    text = bind(get_query(ROOT / "queries", name), params)
    started = time.perf_counter()
    result = store.query(text)
    seconds = time.perf_counter() - started
    assert isinstance(result, SelectResult)
    return seconds, [tuple(str(t) for t in row) for row in result.rows]


def new_partner(store: OxigraphStore) -> tuple[str, str]:
    """A CORDIS project of five partners and an organisation of a country it has none in."""
    found = store.query(P + f"""
        SELECT ?project ?country WHERE {{
          {{ SELECT ?project WHERE {{ GRAPH <{NETWORK}> {{
               ?project ecograph:hasParticipant ?m }} }}
             GROUP BY ?project HAVING (COUNT(?m) = 5) ORDER BY ?project LIMIT 1 }}
          ?project ecograph:hasParticipant/ecograph:locatedIn/ecograph:locatedIn? ?base .
          ?base ecograph:nutsLevel ?l ; ecograph:parentRegion* ?country .
          ?country ecograph:nutsLevel 0 . }}""")
    assert isinstance(found, SelectResult) and found.rows, "no project with five partners"
    project = str(found.rows[0][0])
    taken = " ".join(f"<{row[1]}>" for row in found.rows)
    other = store.query(P + f"""
        SELECT ?org WHERE {{
          GRAPH <{NETWORK}> {{ ?p ecograph:hasParticipant ?org }}
          ?org ecograph:locatedIn ?country . ?country ecograph:nutsLevel 0 .
          FILTER(?country NOT IN ({taken.replace(" ", ", ")}))
        }} ORDER BY ?org LIMIT 1""")
    assert isinstance(other, SelectResult) and other.rows, "no organisation elsewhere"
    return project, str(other.rows[0][0])


def compare_queries(store: OxigraphStore, runs: int, where: str) -> None:
    print(f"\n{where}")
    print(f"{'query':<34} {'level':>5} {'rows':>7} {'median s':>9} {'min s':>7}  same rows")
    for level in ("2", "0"):
        slow: list[float] = []
        fast: list[float] = []
        expected: list[tuple] = []
        found: list[tuple] = []
        for _ in range(runs):  # interleaved, so both see the same machine load
            seconds, expected = run_named(store, "regions-sharing-projects", level=level)
            slow.append(seconds)
            seconds, found = run_named(store, "region-collaborations", level=level)
            fast.append(seconds)
        same = "yes" if found == expected else "NO"
        for name, times, rows in (("regions-sharing-projects (fly)", slow, expected),
                                  ("region-collaborations (edges)", fast, found)):
            print(f"{name:<34} {level:>5} {len(rows):>7} {statistics.median(times):>9.3f} "
                  f"{min(times):>7.3f}  {same}")
        print(f"{'ratio fly / edges (medians)':<34} {level:>5} {'':>7} "
              f"{statistics.median(slow) / statistics.median(fast):>8.0f}x")


def incremental(store: OxigraphStore, runs: int) -> None:
    project, org = new_partner(store)
    link = (f"<{project}>", f"<{HAS_PARTICIPANT}>", f"<{org}>")
    insert = f"INSERT DATA {{ GRAPH <{NETWORK}> {{ {' '.join(link)} . }} }}"
    delete = f"DELETE DATA {{ GRAPH <{NETWORK}> {{ {' '.join(link)} . }} }}"
    print(f"\nincremental: {project} gains and loses {org}")
    timings: dict[str, list[float]] = {"edges, add": [], "edges, remove": [],
                                       "inference, add": [], "inference, remove": []}
    changed = []
    for _ in range(runs):
        for verb, update, added, removed in (("add", insert, [link], []),
                                             ("remove", delete, [], [link])):
            started = time.perf_counter()
            pending = before_change(store, added, removed)
            read = time.perf_counter() - started
            store.update(update)
            started = time.perf_counter()
            update_inferences(store, added, removed)
            timings[f"inference, {verb}"].append(time.perf_counter() - started)
            outcome = after_change(store, pending)
            assert outcome.mode == "incremental", outcome.summary()
            timings[f"edges, {verb}"].append(read + outcome.seconds)
            changed.append(outcome.changed)
    for name, times in timings.items():
        print(f"  {name:<18} median {statistics.median(times) * 1000:8.1f} ms  "
              f"(min {min(times) * 1000:.1f} ms, {runs} runs)")
    print(f"  edges changed per step: {sorted(set(changed))}")
    pending = before_change(store, [link], [])
    store.update(insert)
    update_inferences(store, [link], [])
    after_change(store, pending)
    kept = set(store.get_graph(graphs.REGION_COLLABORATION))
    derive_edges(store)
    same = kept == set(store.get_graph(graphs.REGION_COLLABORATION))
    print(f"  maintained edges equal a full recompute after the change: {'yes' if same else 'NO'}")
    pending = before_change(store, [], [link])
    store.update(delete)
    update_inferences(store, [], [link])
    after_change(store, pending)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default="/tmp/bigstore-re", help="the full-scale store")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement")
    args = parser.parse_args()
    store = OxigraphStore(Path(args.store))
    print(f"store {args.store}: {store.count():,} quads")
    started = time.perf_counter()
    outcome = derive_edges(store)
    print(f"full derivation: {outcome.edges:,} edges, "
          f"{store.count(graphs.REGION_COLLABORATION):,} triples, "
          f"{time.perf_counter() - started:.1f} s")
    compare_queries(store, args.runs, "store on disk (ecograph query, no server)")
    with tempfile.TemporaryDirectory(prefix="ecograph-edges-") as folder:
        store.dump_dataset(Path(folder) / "all.nq")
        memory = OxigraphStore(None)
        memory.load_dataset(Path(folder) / "all.nq")
    compare_queries(memory, args.runs, "copy in memory (what the endpoint's query workers hold)")
    memory.close()
    incremental(store, args.runs)
    store.close()


if __name__ == "__main__":
    main()
