"""Change sets: the effect of each kind of write computed before it runs, refused when it
cannot apply, applied in one atomic update, one writer at a time."""

from __future__ import annotations

import threading

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS

from ecograph import graphs
from ecograph.changes import (
    ChangeConflictError,
    ChangeSet,
    apply,
    change_for_delete,
    change_for_post,
    change_for_put,
    change_for_update,
    graph_quads,
    quads_of,
    settle,
    update_text,
)
from ecograph.curation import submit
from ecograph.errors import InputError, QuerySyntaxError, UnknownGraphError
from ecograph.updatescan import involved_graphs
from tests.curation.conftest import EX, GRAPH, turtle

O1 = URIRef(EX + "o1")
LABEL_O1 = (O1, RDFS.label, Literal("O1"), GRAPH)


def test_insert_and_delete_data_become_exact_quads(small):
    change = change_for_update(small, f"""
        DELETE DATA {{ GRAPH <{GRAPH}> {{ <{O1}> <{RDFS.label}> "O1" }} }} ;
        INSERT DATA {{ GRAPH <{GRAPH}> {{ <{O1}> <{RDFS.label}> "Org one"@en }} }}""")
    assert change.removals == {LABEL_O1}
    assert change.additions == {(O1, RDFS.label, Literal("Org one", lang="en"), GRAPH)}
    assert change.cleared == set()


def test_a_pattern_update_runs_on_a_copy_not_on_the_store(small):
    before = small.count()
    change = change_for_update(small, f"""
        DELETE {{ GRAPH <{GRAPH}> {{ ?o <{RDFS.label}> ?l }} }}
        INSERT {{ GRAPH <{GRAPH}> {{ ?o <{RDFS.label}> "renamed" }} }}
        WHERE {{ GRAPH <{GRAPH}> {{ ?o a <{EX}Org> ; <{RDFS.label}> ?l }} }}""")
    assert len(change.removals) == 4  # o1, o3, o4, o5 (o2 is a University with ex:name)
    assert all(q[2] == Literal("renamed") for q in change.additions)
    assert small.count() == before


def test_drop_graph_clears_it_and_unknown_graphs_are_errors(small):
    change = change_for_update(small, f"DROP GRAPH <{GRAPH}>")
    assert change.cleared == {GRAPH}
    assert change.removals == graph_quads(small, GRAPH)
    with pytest.raises(InputError, match="does not exist"):
        change_for_update(small, "DROP GRAPH <http://example.org/no-such-graph>")
    with pytest.raises(QuerySyntaxError):
        change_for_update(small, "INSERT DATA { <a> <b> ")
    with pytest.raises(InputError, match="LOAD"):
        change_for_update(small, "LOAD <http://example.org/data.ttl>")


def test_graph_store_effects(small):
    replacement = turtle("ex:o1 a ex:Org ; rdfs:label \"O1\" .")
    put = change_for_put(small, GRAPH, replacement)
    assert put.additions == set()
    assert len(put.removals) == len(graph_quads(small, GRAPH)) - 2
    post = change_for_post(small, GRAPH, turtle("ex:o9 a ex:Org ."))
    assert post.additions == {(URIRef(EX + "o9"), URIRef(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(EX + "Org"), GRAPH)}
    delete = change_for_delete(small, GRAPH)
    assert delete.cleared == {GRAPH}
    with pytest.raises(UnknownGraphError):
        change_for_delete(small, URIRef(EX + "missing"))


def test_removing_absent_triples_is_refused_and_present_additions_dropped(small):
    absent = (O1, RDFS.label, Literal("never said"), GRAPH)
    with pytest.raises(ChangeConflictError, match="not in the store") as caught:
        settle(small, ChangeSet(removals={LABEL_O1, absent}))
    assert caught.value.quads == [absent]
    settled = settle(small, ChangeSet(additions={LABEL_O1, (O1, RDFS.comment, Literal("x"),
                                                              GRAPH)}))
    assert settled.additions == {(O1, RDFS.comment, Literal("x"), GRAPH)}


def test_blank_node_removals_need_the_whole_graph(small):
    small.update(f'INSERT DATA {{ GRAPH <{EX}bnodes> {{ <{O1}> <{EX}knows> [ <{EX}n> "B" ] }} }}')
    quads = graph_quads(small, URIRef(EX + "bnodes"))
    with pytest.raises(ChangeConflictError, match="blank nodes"):
        settle(small, ChangeSet(removals=quads))
    replaced = change_for_update(
        small, f"DELETE WHERE {{ GRAPH <{EX}bnodes> {{ ?s <{EX}n> ?o }} }}")
    assert replaced.cleared == {URIRef(EX + "bnodes")}
    apply(small, settle(small, replaced))
    left = graph_quads(small, URIRef(EX + "bnodes"))
    assert len(left) == 1 and isinstance(next(iter(left))[2], BNode)


def test_protected_graphs_cannot_be_written(small):
    for graph in (graphs.SHAPES, graphs.CHANGELOG, graphs.ONTOLOGY):
        with pytest.raises(InputError, match="maintained by ecograph"):
            settle(small, ChangeSet(additions={(O1, RDFS.label, Literal("x"), graph)}))


def test_one_update_applies_data_and_log_together(small):
    log = [(URIRef(EX + "change"), RDFS.comment, Literal("log entry"), graphs.CHANGELOG)]
    change = ChangeSet(additions={(O1, RDFS.comment, Literal("c"), GRAPH)}, removals={LABEL_O1})
    text = update_text(change, log)
    assert text.count("DELETE DATA") == 1 and text.count("INSERT DATA") == 1
    apply(small, change, log)
    assert LABEL_O1 not in graph_quads(small, GRAPH)
    assert graph_quads(small, graphs.CHANGELOG) == set(log)


def test_involved_graphs_are_found_without_parsing_the_data():
    assert involved_graphs(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <a:b> <c:d> \"GRAPH <x:y>\" }} }}") \
        == ({GRAPH}, False, False)
    assert involved_graphs("DELETE WHERE { ?s ?p ?o }")[1] is True
    assert involved_graphs("WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")[:2] == (
        {URIRef("x:g")}, False)
    assert involved_graphs("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }"
                           )[1] is True
    assert involved_graphs("PREFIX g: <x:> CLEAR GRAPH g:one")[0] == {URIRef("x:one")}
    assert involved_graphs("DROP DEFAULT")[2] is True


def test_conflicting_concurrent_changes_are_serialised(small, rules):
    """Two writers remove the same triple: one wins, the other sees its result."""
    outcomes: list[object] = []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        start.wait()
        try:
            outcomes.append(submit(small, ChangeSet(
                removals={(URIRef(EX + "o1"), URIRef(EX + "country"), URIRef(EX + "ro"),
                           GRAPH)}), rules, agent=name))
        except ChangeConflictError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("ana", "ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(type(o).__name__ for o in outcomes) == ["ChangeConflictError", "Outcome"]


def test_quads_of_keeps_the_graph():
    assert quads_of(turtle("ex:a ex:b ex:c ."), GRAPH) == {
        (URIRef(EX + "a"), URIRef(EX + "b"), URIRef(EX + "c"), GRAPH)}
