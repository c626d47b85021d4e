"""The store contract for datasets: a query's ``FROM`` / ``FROM NAMED`` is honoured by every
backend (embedded on disk and in memory, remote with both upload ways against a real
``oxigraph serve``), and a protocol dataset overrides it (SPARQL 1.1 Protocol §2.1.4).

Each test runs once per backend through the ``store`` fixture of ``conftest.py`` and
checks the answer against the triples the fixture wrote, so all backends give the same.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Literal, URIRef

from ecograph.sparql_lexer import declares_dataset
from ecograph.store.base import AskResult, GraphResult, SelectResult, Store

EX = "http://example.org/"
G1, G2, G3 = (URIRef(f"{EX}graph/{n}") for n in ("one", "two", "three"))
NAME = URIRef(f"{EX}name")
NAMES = {G1: {"one 0", "one 1"}, G2: {"two 0"}, G3: {"three 0", "three 1", "three 2"}}


@pytest.fixture
def three(store: Store) -> Store:
    """Three graphs of people, each person named with its graph's word."""
    from rdflib import Graph

    graphs = {}
    for graph, names in NAMES.items():
        data = Graph()
        for name in names:
            data.add((URIRef(f"{EX}{name.replace(' ', '/')}"), NAME, Literal(name)))
        graphs[graph] = data
    store.replace_graphs(graphs)
    return store


def names(store: Store, sparql: str, **dataset: list[URIRef]) -> set[str]:
    result = store.query(sparql, **dataset)  # type: ignore[arg-type]
    assert isinstance(result, SelectResult)
    return {str(row[0]) for row in result.rows if row[0] is not None}


def pairs(store: Store, sparql: str, **dataset: list[URIRef]) -> set[tuple[str, str]]:
    result = store.query(sparql, **dataset)  # type: ignore[arg-type]
    assert isinstance(result, SelectResult)
    return {(str(g), str(n)) for g, n in result.rows}


def test_without_from_the_default_graph_is_the_union(three: Store) -> None:
    assert names(three, f"SELECT ?n WHERE {{ ?s <{NAME}> ?n }}") == set().union(*NAMES.values())


def test_from_makes_the_default_graph(three: Store) -> None:
    query = f"SELECT ?n FROM <{G1}> FROM <{G2}> WHERE {{ ?s <{NAME}> ?n }}"
    assert names(three, query) == NAMES[G1] | NAMES[G2]


def test_from_named_gives_the_named_graphs_and_an_empty_default_graph(three: Store) -> None:
    query = f"SELECT ?g ?n FROM NAMED <{G2}> WHERE {{ GRAPH ?g {{ ?s <{NAME}> ?n }} }}"
    assert pairs(three, query) == {(str(G2), n) for n in NAMES[G2]}
    empty = f"SELECT ?n FROM NAMED <{G2}> WHERE {{ ?s <{NAME}> ?n }}"
    assert names(three, empty) == set()


def test_from_and_from_named_together(three: Store) -> None:
    query = (f"SELECT ?n ?m FROM <{G3}> FROM NAMED <{G1}> WHERE {{ "
             f"{{ ?s <{NAME}> ?n }} UNION {{ GRAPH ?g {{ ?t <{NAME}> ?m }} }} }}")
    result = three.query(query)
    assert isinstance(result, SelectResult)
    default = {str(r[0]) for r in result.rows if r[0] is not None}
    named = {str(r[1]) for r in result.rows if r[1] is not None}
    assert (default, named) == (NAMES[G3], NAMES[G1])


def test_ask_construct_and_describe_honour_from(three: Store) -> None:
    ask = three.query(f"ASK FROM <{G2}> {{ ?s <{NAME}> 'one 0' }}")
    assert isinstance(ask, AskResult) and ask.value is False
    built = three.query(f"CONSTRUCT FROM <{G2}> WHERE {{ ?s <{NAME}> ?n }}")
    assert isinstance(built, GraphResult)
    assert {str(o) for o in built.graph.objects()} == NAMES[G2]
    described = three.query(f"DESCRIBE <{EX}one/0> FROM <{G2}>")
    assert isinstance(described, GraphResult) and len(described.graph) == 0


def test_the_protocol_dataset_overrides_the_query_dataset(three: Store) -> None:
    query = f"SELECT ?n FROM <{G1}> WHERE {{ ?s <{NAME}> ?n }}"
    assert names(three, query, default_graphs=[G3]) == NAMES[G3]
    # with only named graphs in the protocol, the default graph is empty, not G1
    assert names(three, query, default_graphs=[], named_graphs=[G2]) == set()
    graph_query = f"SELECT ?g ?n FROM NAMED <{G1}> WHERE {{ GRAPH ?g {{ ?s <{NAME}> ?n }} }}"
    assert pairs(three, graph_query, default_graphs=[], named_graphs=[G2]) == {
        (str(G2), n) for n in NAMES[G2]}


#: A FROM inside a comment, a string, an IRI, a prefixed name, a variable, a language tag.
NOT_CLAUSES = [
    "# FROM <{g1}>\nSELECT ?n WHERE {{ ?s <{name}> ?n FILTER(?n != 'FROM <{g1}>') }}",
    "PREFIX from: <{ex}> SELECT ?n WHERE {{ ?s from:name ?n }}",
    "SELECT ?n ?from WHERE {{ ?s <{name}> ?n OPTIONAL {{ ?s <{ex}from> ?from }} }}",
    "SELECT ?n ('x'@from AS ?l) WHERE {{ ?s <{name}> ?n }}",
    "PREFIX ex: <{ex}> SELECT ?n WHERE {{ ?s <{name}> ?n OPTIONAL {{ ?s ex:a\\-from ?x }} }}",
]
#: Dataset clauses after BASE, with prefixed names, lower case, after a comment.
CLAUSES = [
    "BASE <{ex}graph/> SELECT ?n FROM <one> WHERE {{ ?s <{name}> ?n }}",
    "PREFIX g: <{ex}graph/> select ?n from g:one where {{ ?s <{name}> ?n }}",
    "PREFIX from: <{ex}graph/> SELECT ?n # FROM <{ex}graph/two>\n"
    "FROM from:one {{ ?s <{name}> ?n }}",
]


def test_from_that_is_not_a_dataset_clause_keeps_the_union(three: Store) -> None:
    for query in NOT_CLAUSES:
        text = query.format(g1=G1, name=NAME, ex=EX)
        assert not declares_dataset(text), text
        assert names(three, text) == set().union(*NAMES.values()), text


def test_dataset_clauses_with_base_prefixes_and_comments(three: Store) -> None:
    for query in CLAUSES:
        text = query.format(ex=EX, name=NAME)
        assert declares_dataset(text), text
        assert names(three, text) == NAMES[G1], text


def test_serialized_answers_honour_from_and_the_protocol(three: Store) -> None:
    json_type = "application/sparql-results+json"
    query = f"SELECT ?n FROM <{G2}> WHERE {{ ?s <{NAME}> ?n }}"

    def values(**dataset: list[URIRef]) -> set[str]:
        answer = three.query_serialized(query, results_type=json_type, graph_type=None,
                                        **dataset)  # type: ignore[arg-type]
        return {b["n"]["value"] for b in json.loads(answer.body)["results"]["bindings"]}

    assert values() == NAMES[G2]
    assert values(default_graphs=[G1], named_graphs=[]) == NAMES[G1]
    built = three.query_serialized(f"CONSTRUCT FROM <{G2}> WHERE {{ ?s <{NAME}> ?n }}",
                                   results_type=None, graph_type="application/n-triples")
    assert built.body.count(b"\n") == len(NAMES[G2])


def test_a_store_queried_with_from_closes_and_reopens(tmp_path) -> None:
    """Regression: finding the dataset clause ran rdflib's pyparsing grammar, whose
    exceptions kept the query's stack (and its Oxigraph answer) in a reference cycle, so
    a closed store kept its lock until a garbage collection."""
    from ecograph.store.embedded import OxigraphStore

    for _ in range(2):
        store = OxigraphStore(tmp_path / "store")
        assert store.query(f"ASK FROM <{G1}> {{ }}") is not None
        store.close()
        del store
