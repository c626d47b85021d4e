"""Incremental maintenance after a change gives exactly what a full recompute gives."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecograph import graphs
from ecograph.infer import materialise, update_inferences
from ecograph.store.embedded import OxigraphStore
from tests.infer.conftest import fill

EX = "http://example.org/ont#"
ID = "http://example.org/id/"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SAME = "<http://www.w3.org/2002/07/owl#sameAs>"
DATA = graphs.source_graph("rules-data")

PEOPLE = [f"<{ID}{n}>" for n in ("umf", "tuiasi", "iasi", "ro213", "ro21", "ro", "p1", "imago",
                                 "romsoft", "romsoft-cordis", "tuiasi-ror", "iasi-city", "new")]
PROPERTIES = [f"<{EX}{n}>" for n in ("memberOf", "hasMember", "partnerOf", "champion",
                                     "locatedIn", "coordinator", "hasParticipant",
                                     "participatesIn", "projectRegion", "headquarters")]
CLASSES = [f"<{EX}{n}>" for n in ("Hospital", "HealthActor", "Organisation", "Region",
                                  "Project")]

links = st.tuples(st.sampled_from(PEOPLE), st.sampled_from([*PROPERTIES, SAME]),
                  st.sampled_from(PEOPLE))
typings = st.tuples(st.sampled_from(PEOPLE), st.just(A), st.sampled_from(CLASSES))
changes = st.tuples(st.sets(st.one_of(links, typings), max_size=6),
                    st.sets(st.integers(min_value=0, max_value=40), max_size=6))


def _block(triples) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples)


def _data(store: OxigraphStore) -> list[tuple[str, str, str]]:
    return sorted((s.n3(), p.n3(), o.n3()) for s, p, o in store.get_graph(DATA)
                  if not o.n3().startswith('"'))


def _apply(store: OxigraphStore, added, removed) -> None:
    parts = []
    if removed:
        parts.append(f"DELETE DATA {{ GRAPH <{DATA}> {{ {_block(removed)} }} }}")
    if added:
        parts.append(f"INSERT DATA {{ GRAPH <{DATA}> {{ {_block(added)} }} }}")
    if parts:
        store.update(" ;\n".join(parts))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes)
def test_incremental_equals_full_recompute(change):
    additions, picks = change
    store = OxigraphStore(None)
    try:
        fill(store, "rules-ontology.ttl", "rules-data.ttl")
        materialise(store)
        existing = _data(store)
        removed = {existing[i % len(existing)] for i in picks}
        added = additions - set(existing)
        _apply(store, added, removed)
        outcome = update_inferences(store, added, removed)
        assert outcome.mode == "incremental"
        full = materialise(store)
        assert (full.added, full.removed) == (0, 0), "incremental result differs from a full run"
    finally:
        store.close()


def test_removal_then_readdition_restores_the_graph(disk_store):
    fill(disk_store, "rules-ontology.ttl", "rules-data.ttl")
    materialise(disk_store)
    before = disk_store.get_graph(graphs.INFERRED)
    link = (f"<{ID}iasi>", f"<{EX}locatedIn>", f"<{ID}ro213>")
    _apply(disk_store, [], [link])
    down = update_inferences(disk_store, [], [link])
    assert down.mode == "incremental" and down.removed >= 2  # iasi→ro213, ro21, ro; tuiasi…
    _apply(disk_store, [link], [])
    up = update_inferences(disk_store, [link], [])
    assert up.added == down.removed
    assert set(disk_store.get_graph(graphs.INFERRED)) == set(before)


def test_a_change_to_axioms_falls_back_to_a_full_run(disk_store):
    fill(disk_store, "rules-ontology.ttl", "rules-data.ttl")
    materialise(disk_store)
    axiom = (f"<{EX}Hospital>", "<http://www.w3.org/2000/01/rdf-schema#subClassOf>",
             f"<{EX}Place>")
    disk_store.update(f"INSERT DATA {{ GRAPH <{graphs.ONTOLOGY}> {{ {' '.join(axiom)} . }} }}")
    outcome = update_inferences(disk_store, [axiom], [])
    assert outcome.mode == "full" and "axioms" in outcome.reason
    assert outcome.added >= 1


def test_removing_the_last_same_as_removes_what_it_copied(disk_store):
    from rdflib import URIRef

    fill(disk_store, "rules-ontology.ttl", "rules-data.ttl")
    disk_store.update(f"DELETE DATA {{ GRAPH <{DATA}> {{ <{ID}romsoft> <{EX}pic> \"999\" . "
                      f"<{ID}romsoft> <{EX}headquarters> <{ID}iasi-city> . }} }}")
    materialise(disk_store)
    copied = (URIRef(f"{ID}tuiasi-ror"), URIRef(f"{EX}champion"), URIRef(f"{ID}umf"))
    assert copied in set(disk_store.get_graph(graphs.INFERRED))
    link = (URIRef(f"{ID}tuiasi"), URIRef("http://www.w3.org/2002/07/owl#sameAs"),
            URIRef(f"{ID}tuiasi-ror"))
    _apply(disk_store, [], [tuple(t.n3() for t in link)])
    outcome = update_inferences(disk_store, [], [link])  # rdflib terms are accepted
    assert outcome.mode == "incremental"
    assert copied not in set(disk_store.get_graph(graphs.INFERRED))
    assert (materialise(disk_store).added, materialise(disk_store).removed) == (0, 0)
