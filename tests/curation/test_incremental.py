"""Incremental validation equals full validation: on the nodes it validates, the same
results; on every other node, nothing a full validation would report changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.changes import ChangeSet, graph_quads
from ecograph.curation import Rules
from ecograph.incremental import full_validation, load_report, validate_change
from ecograph.load import Source
from ecograph.store.embedded import OxigraphStore
from ecograph.validate import ValidationResult, validate
from tests.curation.conftest import EX, GRAPH, make_small_store, turtle


def key(result: ValidationResult) -> tuple[str, ...]:
    shape = result.shape if isinstance(result.shape, URIRef) else "_"
    return (str(result.focus), result.severity, str(shape), str(result.path),
            str(result.value), str(result.constraint), result.message)


def data_quads(store: OxigraphStore) -> list[tuple]:
    quads: set[tuple] = set()
    for graph in store.graphs():
        if graph not in graphs.SYSTEM_GRAPHS:
            quads |= graph_quads(store, graph)
    return sorted(quads, key=str)


def check_agreement(store: OxigraphStore, rules: Rules, change: ChangeSet,
                    before: list[tuple[str, ...]]) -> None:
    incremental = validate_change(store, change, rules.shapes, rules.schema, rules.reach)
    assert incremental.mode in ("incremental", "empty")
    full = full_validation(store, change, rules.shapes, rules.schema).report
    focus = {str(n) for n in incremental.focus_nodes}
    inside = sorted(key(r) for r in full.results if str(r.focus) in focus)
    assert sorted(key(r) for r in incremental.report.results) == inside
    # every node left out keeps exactly the results it had before the change
    assert sorted(k for k in (key(r) for r in full.results) if k[0] not in focus) == \
        sorted(k for k in before if k[0] not in focus)
    assert incremental.report.accepted == full.accepted or \
        any(k[1] == "Violation" and k[0] not in focus for k in before)


def changes(quads: list[tuple], terms: list[object], predicates: list[object]
            ) -> st.SearchStrategy[ChangeSet]:
    quad = st.sampled_from(quads)
    new_triple = st.tuples(st.sampled_from(terms), st.sampled_from(predicates),
                           st.one_of(st.sampled_from(terms),
                                     st.sampled_from([Literal("x"), Literal(7), Literal("RO")])))
    return st.builds(
        lambda removed, added: ChangeSet(additions={(*t, GRAPH) for t in added} - set(removed),
                                         removals=set(removed)),
        st.lists(quad, max_size=3, unique=True), st.lists(new_triple, max_size=3))


@pytest.fixture(scope="module")
def small_case(tmp_path_factory: pytest.TempPathFactory):
    store = OxigraphStore(make_small_store(tmp_path_factory.mktemp("small") / "store"))
    rules = Rules.from_store(store)
    quads = [q for q in data_quads(store) if q[3] == GRAPH]
    terms = sorted({q[0] for q in quads} | {URIRef(EX + n) for n in (
        "Org", "Project", "coordinator", "partner", "o9", "p9")}, key=str)
    predicates = sorted({q[1] for q in quads} | {RDF.type, URIRef(EX + "dissolved")}, key=str)
    before = sorted(key(r) for r in full_validation(store, ChangeSet(), rules.shapes,
                                                    rules.schema).report.results)
    yield store, rules, changes(quads, terms, predicates), before
    store.close()


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_incremental_equals_full_on_random_changes_to_small_data(small_case, data):
    store, rules, strategy, before = small_case
    check_agreement(store, rules, data.draw(strategy), before)


def test_a_change_deep_in_a_path_reaches_the_focus_node(small, rules):
    """ex:o5 dissolved → ex:o4 and ex:o2 (partOf* reaches it) are validated and refused."""
    change = ChangeSet(additions={(URIRef(EX + "o5"), URIRef(EX + "dissolved"), Literal(True),
                                   GRAPH)})
    result = validate_change(small, change, rules.shapes, rules.schema, rules.reach)
    assert {URIRef(EX + "o2"), URIRef(EX + "o4"), URIRef(EX + "o5")} <= set(result.focus_nodes)
    assert {str(r.focus) for r in result.report.results} == {EX + "o2", EX + "o4", EX + "o5"}
    assert URIRef(EX + "o3") not in result.focus_nodes  # not on any path to ex:o5


def test_a_sparql_constraint_sees_participations_added_elsewhere(small, rules):
    change = ChangeSet(additions={(s, p, o, GRAPH) for s, p, o in turtle(
        "ex:a9 ex:org ex:o3 ; ex:project ex:p1 ; ex:role ex:partner .")})
    result = validate_change(small, change, rules.shapes, rules.schema, rules.reach)
    assert [r.message for r in result.report.results if str(r.focus) == EX + "p1"] == [
        "declared partners fewer than the participations named"]


# --- the project's seed data and shapes --------------------------------------------------


@pytest.fixture(scope="module")
def seed(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory):
    import shutil

    copy = tmp_path_factory.mktemp("seed") / "store"
    shutil.copytree(loaded_store_path, copy)
    store = OxigraphStore(copy)
    rules = Rules.from_store(store)
    before = sorted(key(r) for r in full_validation(store, ChangeSet(), rules.shapes,
                                                    rules.schema).report.results)
    yield store, rules, before
    store.close()


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_incremental_equals_full_on_random_changes_to_the_seed(seed, data):
    store, rules, before = seed
    assert rules.reach.unsupported is None
    quads = data_quads(store)
    terms = sorted({q[0] for q in quads}, key=str)
    predicates = sorted({q[1] for q in quads}, key=str)
    check_agreement(store, rules, data.draw(changes(quads, terms, predicates)), before)


def test_a_load_into_a_large_store_is_validated_incrementally_with_the_same_verdict(
        seed, bundle: Bundle):
    from ecograph.load import parse_file
    from ecograph.pipeline import resulting_data

    store, rules, _ = seed
    good = parse_file(next(p for p in bundle.data_files() if p.name.startswith("organisation")))
    first_org = sorted(good.graph.subjects(RDFS.label, None), key=str)[0]
    broken = Source(good.graph_iri, good.origin, Graph())
    for triple in good.graph:
        if triple[0] != first_org or triple[1] != RDFS.label:
            broken.graph.add(triple)
    # the schema the store holds (the bundle's files may have moved on since it was loaded)
    system = [Source(g, "stored", store.get_graph(g))
              for g in (graphs.ONTOLOGY, graphs.VOCABULARIES, graphs.SHAPES)
              if store.has_graph(g)]
    verdicts = []
    for source in (good, broken):
        quick = load_report(store, [source], system, rules.shapes, rules.schema,
                            incremental_above=0)
        assert quick.focus_count is not None  # the incremental path was taken
        slow = validate(resulting_data(store, [source]), rules.shapes, rules.schema)
        assert quick.accepted == slow.accepted
        verdicts.append(quick.accepted)
    assert verdicts == [True, False]
