"""Maintenance after a change gives exactly the edges a full recompute gives.

A small world (``world.ttl``, with the real ontology so that inverses are inferred) is
changed at random through the change pipeline's own steps: read the touched projects'
edges, commit, update the inferences, adjust the edges. The derived graph must then equal
what :func:`ecograph.derive.derive_edges` computes from scratch.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecograph import graphs
from ecograph.derive import after_change, before_change, derive_edges
from ecograph.infer import materialise, update_inferences
from ecograph.load import parse_file
from ecograph.store.embedded import OxigraphStore
from tests.derive.helpers import ROOT, derived

HERE = Path(__file__).resolve().parent
DATA = graphs.source_graph("derive-world")
E = "https://w3id.org/ecograph/ontology#"
ID = "https://w3id.org/ecograph/id/"

PROJECTS = [f"<{ID}project/p{n}>" for n in range(1, 5)]
ORGS = [f"<{ID}organisation/o{n}>" for n in range(1, 7)]
PARTS = [f"<{ID}participation/x{n}>" for n in range(1, 3)]
CITIES = [f"<{ID}city/c{n}>" for n in range(1, 3)]
REGIONS = [f"<{ID}region/{c}>" for c in ("AA111", "AA121", "AA12", "BB111", "BB1", "CC11", "CC")]
PROGRAMMES = [f"<{ID}programme/{c}>" for c in ("fp7", "h2020", "h2020-health")]


def _triples(subjects: list[str], predicate: str, objects: list[str]) -> st.SearchStrategy:
    return st.tuples(st.sampled_from(subjects), st.just(f"<{E}{predicate}>"),
                     st.sampled_from(objects))


links = st.one_of(
    _triples(PROJECTS, "hasParticipant", ORGS), _triples(PROJECTS, "coordinator", ORGS),
    _triples(ORGS, "participatesIn", PROJECTS), _triples(ORGS, "coordinates", PROJECTS),
    _triples(PARTS, "project", PROJECTS), _triples(PARTS, "organisation", ORGS),
    _triples(ORGS, "locatedIn", [*CITIES, *REGIONS]), _triples(CITIES, "locatedIn", REGIONS),
    _triples(PROJECTS, "fundedBy", PROGRAMMES))
changes = st.tuples(st.sets(links, max_size=6), st.sets(st.integers(0, 60), max_size=5))


@cache
def _world(folder: str) -> Path:
    """The world with its ontology, inferences and edges, as an N-Quads file (built once)."""
    store = OxigraphStore(None)
    store.replace_graphs({graphs.ONTOLOGY: parse_file(ROOT / "ontology" / "ecograph.ttl").graph,
                          DATA: parse_file(HERE / "world.ttl").graph})
    materialise(store)
    derive_edges(store)
    path = Path(folder) / "world.nq"
    store.dump_dataset(path)
    store.close()
    return path


def _links(store: OxigraphStore) -> list[tuple[str, str, str]]:
    """The world's links between resources, the region and programme hierarchies aside."""
    return sorted((s.n3(), p.n3(), o.n3()) for s, p, o in store.get_graph(DATA)
                  if not o.n3().startswith('"') and "parent" not in str(p))


def _apply(store: OxigraphStore, added: set, removed: set) -> None:
    block = lambda triples: "".join(f"{s} {p} {o} .\n" for s, p, o in triples)  # noqa: E731
    parts = []
    if removed:
        parts.append(f"DELETE DATA {{ GRAPH <{DATA}> {{ {block(removed)} }} }}")
    if added:
        parts.append(f"INSERT DATA {{ GRAPH <{DATA}> {{ {block(added)} }} }}")
    if parts:
        store.update(" ;\n".join(parts))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes)
def test_incremental_equals_full_recompute(tmp_path_factory, change) -> None:
    additions, picks = change
    store = OxigraphStore(None)
    try:
        store.load_dataset(_world(str(tmp_path_factory.getbasetemp())))
        existing = _links(store)
        removed = {existing[i % len(existing)] for i in picks}
        added = additions - set(existing)
        pending = before_change(store, added, removed)
        assert pending.full_reason == ""
        _apply(store, added, removed)
        update_inferences(store, added, removed)
        outcome = after_change(store, pending)
        assert outcome.mode == "incremental"
        kept = derived(store)
        derive_edges(store)
        assert kept == derived(store), "incremental edges differ from a full recompute"
    finally:
        store.close()


def test_a_change_that_moves_a_city_changes_the_edges_of_its_organisations(tmp_path) -> None:
    store = OxigraphStore(None)
    store.load_dataset(_world(str(tmp_path)))
    before = derived(store)
    move = (f"<{ID}city/c2>", f"<{E}locatedIn>", f"<{ID}region/BB111>")
    there = (f"<{ID}city/c2>", f"<{E}locatedIn>", f"<{ID}region/CC11>")
    pending = before_change(store, [there], [move])
    assert f"{ID}project/p1" in pending.projects and f"{ID}project/p2" in pending.projects
    _apply(store, {there}, {move})
    update_inferences(store, [there], [move])
    outcome = after_change(store, pending)
    assert outcome.mode == "incremental" and outcome.changed > 0
    assert derived(store) != before
    kept = derived(store)
    derive_edges(store)
    assert kept == derived(store)
    store.close()


def test_a_change_to_the_region_hierarchy_recomputes_everything(tmp_path) -> None:
    store = OxigraphStore(None)
    store.load_dataset(_world(str(tmp_path)))
    link = (f"<{ID}region/AA12>", f"<{E}parentRegion>", f"<{ID}region/AA1>")
    pending = before_change(store, [], [link])
    assert "hierarchy" in pending.full_reason
    _apply(store, set(), {link})
    outcome = after_change(store, pending)
    assert outcome.mode == "full"
    store.close()
