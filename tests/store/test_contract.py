"""The store contract: every backend (embedded on disk, in memory, remote) behaves the same.

Each test runs once per backend through the ``store`` fixture of ``conftest.py``.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from ecograph.errors import (
    EcographError,
    QuerySyntaxError,
    UnknownGraphError,
    UnsupportedFormatError,
)
from ecograph.formats import RDF_SYNTAXES, RESULTS_MEDIA_TYPES, syntax_by_name
from ecograph.store.base import AskResult, GraphResult, SelectResult, Store

EX = "http://example.org/"
G1, G2, G3 = (URIRef(f"{EX}graph/{n}") for n in ("one", "two", "three"))
P, NAME = URIRef(f"{EX}p"), URIRef(f"{EX}name")


def graph_of(*triples: tuple) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def people(tag: str, n: int = 3) -> Graph:
    """n people whose names carry *tag*."""
    return graph_of(*[(URIRef(f"{EX}{tag}/{i}"), NAME, Literal(f"{tag} {i}")) for i in range(n)])


@pytest.fixture
def filled(store: Store) -> Store:
    """Two source graphs: G1 with three people and a blank node, G2 with two people."""
    one = people("one")
    node = BNode()
    one.add((URIRef(f"{EX}one/0"), P, node))
    one.add((node, NAME, Literal("Iași", lang="ro")))
    store.replace_graphs({G1: one, G2: people("two", 2)})
    return store


def test_an_empty_store_has_no_graph_and_no_triple(store: Store) -> None:
    assert store.graphs() == []
    assert store.is_empty()
    assert store.count() == 0
    assert not store.has_graph(G1)


def test_replaced_graphs_are_listed_sorted_and_counted(filled: Store) -> None:
    assert filled.graphs() == sorted([G1, G2])
    assert filled.count(G1) == 5
    assert filled.count(G2) == 2
    assert filled.count() == 7
    assert filled.count(G3) == 0
    assert filled.has_graph(G2) and not filled.has_graph(G3)
    assert not filled.is_empty()


def test_the_default_graph_is_the_union_of_the_named_graphs(filled: Store) -> None:
    result = filled.query(f"SELECT ?name WHERE {{ ?s <{NAME}> ?name }}")
    assert isinstance(result, SelectResult)
    names = sorted(str(row[0]) for row in result.rows)  # plain vs tagged order is open
    assert names == sorted(["one 0", "one 1", "one 2", "Iași", "two 0", "two 1"])


def test_select_keeps_projection_order_and_unbound_values(filled: Store) -> None:
    result = filled.query(f"SELECT ?name ?s ?other WHERE {{ ?s <{NAME}> ?name "
                          f"OPTIONAL {{ ?s <{P}> ?other }} FILTER(?name = 'one 0') }}")
    assert isinstance(result, SelectResult)
    assert result.variables == ["name", "s", "other"]
    assert len(result.rows) == 1
    name, subject, other = result.rows[0]
    assert name == Literal("one 0") and subject == URIRef(f"{EX}one/0")
    assert isinstance(other, BNode)
    assert filled.query("SELECT ?x WHERE { OPTIONAL { ?x ?y ?z FILTER(false) } }").rows == [
        (None,)]


def test_graph_patterns_see_each_named_graph(filled: Store) -> None:
    result = filled.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                          "GROUP BY ?g ORDER BY ?g")
    assert isinstance(result, SelectResult)
    assert [(g, int(n)) for g, n in result.rows] == [(G1, 5), (G2, 2)]


def test_the_caller_may_name_the_default_and_named_graphs(filled: Store) -> None:
    only_two = filled.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[G2])
    assert int(only_two.rows[0][0]) == 2  # type: ignore[union-attr]
    nothing = filled.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[])
    assert int(nothing.rows[0][0]) == 0  # type: ignore[union-attr]
    named = filled.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                         default_graphs=[G2], named_graphs=[G1])
    assert named.rows == [(G1,)]  # type: ignore[union-attr]
    all_named = filled.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
                             default_graphs=[G2])
    assert all_named.rows == [(G1,), (G2,)]  # type: ignore[union-attr]


def test_ask_construct_and_describe(filled: Store) -> None:
    assert filled.query(f"ASK {{ <{EX}two/1> <{NAME}> 'two 1' }}") == AskResult(True)
    assert filled.query(f"ASK {{ <{EX}two/9> ?p ?o }}") == AskResult(False)
    built = filled.query(f"CONSTRUCT {{ ?s a <{EX}Person> }} WHERE {{ ?s <{NAME}> ?n }}")
    assert isinstance(built, GraphResult)
    assert len(built.graph) == 6
    assert (URIRef(f"{EX}two/0"), RDF.type, URIRef(f"{EX}Person")) in built.graph
    described = filled.query(f"DESCRIBE <{EX}two/0>")
    assert isinstance(described, GraphResult)
    assert (URIRef(f"{EX}two/0"), NAME, Literal("two 0")) in described.graph


def test_replace_swaps_only_the_given_graphs(filled: Store) -> None:
    filled.replace_graphs({G1: people("new", 1)})
    assert filled.count(G1) == 1
    assert filled.count(G2) == 2
    assert isomorphic(filled.get_graph(G1), people("new", 1))
    assert not filled.query(f"ASK {{ <{EX}one/1> ?p ?o }}").value  # type: ignore[union-attr]


def test_a_failed_replace_changes_nothing(filled: Store) -> None:
    before = {g: filled.get_graph(g) for g in filled.graphs()}
    with pytest.raises(EcographError):
        filled.replace_graphs({G2: people("half", 5), URIRef(f"{EX}bad graph"): people("x")})
    assert filled.graphs() == sorted(before)
    for iri, graph in before.items():
        assert isomorphic(filled.get_graph(iri), graph)


def test_readers_never_see_a_half_replaced_graph(filled: Store) -> None:
    versions = {tag: people(tag, 400) for tag in ("a", "b")}
    for graph in versions.values():
        for s, _, name in list(graph):
            graph.add((s, P, Literal(str(name).split()[0])))
    filled.replace_graphs({G3: versions["a"]})
    seen: list[list[tuple[str, int]]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            result = filled.query(f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH <{G3}> "
                                  f"{{ ?s <{P}> ?v }} }} GROUP BY ?v")
            seen.append([(str(v), int(n)) for v, n in result.rows])  # type: ignore[union-attr]

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_ in range(8):
            filled.replace_graphs({G3: versions["b" if round_ % 2 == 0 else "a"], G1: people(
                f"round{round_}")})
    finally:
        done.set()
        reader.join(timeout=60)
    assert seen, "the reader ran no query"
    assert all(rows in ([("a", 400)], [("b", 400)]) for rows in seen), seen[:5]


def test_drop_removes_the_graphs_and_ignores_unknown_ones(filled: Store) -> None:
    filled.drop_graphs([G1, G3])
    assert filled.graphs() == [G2]
    assert filled.count() == 2
    filled.drop_graphs([])
    assert filled.graphs() == [G2]


def test_get_graph_returns_a_copy_with_its_blank_nodes(filled: Store) -> None:
    got = filled.get_graph(G1)
    assert len(got) == 5
    (node,) = got.objects(URIRef(f"{EX}one/0"), P)
    assert isinstance(node, BNode)
    assert got.value(node, NAME) == Literal("Iași", lang="ro")
    with pytest.raises(UnknownGraphError):
        filled.get_graph(G3)


def test_blank_nodes_join_within_a_query(filled: Store) -> None:
    result = filled.query(f"SELECT ?label WHERE {{ ?s <{P}> ?b . ?b <{NAME}> ?label "
                          "FILTER(isBlank(?b)) }")
    assert result.rows == [(Literal("Iași", lang="ro"),)]  # type: ignore[union-attr]


def test_unicode_and_datatypes_survive_the_round_trip(store: Store) -> None:
    subject = URIRef(f"{EX}lieu/Iași-Łódź")
    values = [Literal("Ünïcödé ✓ 🌍 \"quoted\"\nnew line \\ back"), Literal("Kraków", lang="pl"),
              Literal(42), Literal("3.5", datatype=XSD.decimal),
              Literal("2024-02-29", datatype=XSD.date), Literal(True),
              Literal("x", datatype=URIRef(f"{EX}custom"))]
    data = graph_of(*[(subject, URIRef(f"{EX}v{i}"), v) for i, v in enumerate(values)])
    store.replace_graphs({G1: data})
    assert isomorphic(store.get_graph(G1), data)
    result = store.query(f"SELECT ?o WHERE {{ <{subject}> <{EX}v0> ?o }}")
    assert result.rows == [(values[0],)]  # type: ignore[union-attr]
    plain = store.query(f"SELECT ?o WHERE {{ <{subject}> <{EX}v1> ?o }}")
    assert plain.rows == [(Literal("Kraków", lang="pl"),)]  # type: ignore[union-attr]
    ask = store.query('ASK { ?s ?p "Ünïcödé ✓ 🌍 \\"quoted\\"\\nnew line \\\\ back" }')
    assert ask.value  # type: ignore[union-attr]


def test_update_writes_and_rejects_bad_syntax_without_change(store: Store) -> None:
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{NAME}> 'A' }} }}")
    assert store.count(G1) == 1
    with pytest.raises(QuerySyntaxError):
        store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}b> <{NAME}> 'B' }} ; broken")
    assert store.count(G1) == 1


def test_a_malformed_query_is_a_syntax_error(store: Store) -> None:
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT ?s WHERE { ?s ?p }")


@pytest.mark.parametrize("syntax", [s for s in RDF_SYNTAXES if s.dataset],
                         ids=lambda s: s.name)
def test_dataset_exports_hold_every_graph(filled: Store, syntax) -> None:
    body = b"".join(filled.export(syntax))
    dataset = Dataset()
    dataset.parse(data=body, format=syntax.rdflib_format)
    graphs = {URIRef(g.identifier): g for g in dataset.graphs() if len(g)}
    assert set(graphs) == {G1, G2}
    assert isomorphic(graphs[G1], filled.get_graph(G1))
    assert isomorphic(graphs[G2], filled.get_graph(G2))


@pytest.mark.parametrize("name", ["turtle", "ntriples", "rdfxml", "nquads"])
def test_one_graph_exports_in_each_syntax(filled: Store, name: str) -> None:
    syntax = syntax_by_name(name)
    body = b"".join(filled.export(syntax, G1))
    triples = Graph()
    for quad in ox.parse(body, format=syntax.oxigraph):
        assert quad.graph_name == ox.DefaultGraph()
    triples.parse(data=body, format="nt" if name == "nquads" else syntax.rdflib_format)
    assert isomorphic(triples, filled.get_graph(G1))
    with pytest.raises(UnknownGraphError):
        b"".join(filled.export(syntax, G3))


def test_a_triple_export_of_the_dataset_is_the_union(filled: Store) -> None:
    body = b"".join(filled.export(syntax_by_name("turtle")))
    union = Graph().parse(data=body, format="turtle")
    assert len(union) == 7


def _solutions(body: bytes, media: str) -> int:
    if media == "text/csv":
        return len(body.decode("utf-8").strip().splitlines()) - 1
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.from_media_type(media))
    return sum(1 for _ in parsed)


@pytest.mark.parametrize("media", sorted(RESULTS_MEDIA_TYPES.values()))
def test_serialized_results_are_capped_in_each_format(filled: Store, media: str) -> None:
    query = f"SELECT ?s ?name WHERE {{ ?s <{NAME}> ?name }}"
    capped = filled.query_serialized(query, results_type=media, graph_type=None, max_rows=4)
    assert (capped.media_type, capped.kind, capped.rows, capped.truncated) == (
        media, "select", 4, True)
    assert _solutions(capped.body, media) == 4
    whole = filled.query_serialized(query, results_type=media, graph_type=None, max_rows=100)
    assert (whole.rows, whole.truncated) == (6, False)
    assert _solutions(whole.body, media) == 6
    free = filled.query_serialized(query, results_type=media, graph_type=None)
    assert free.kind == "select" and _solutions(free.body, media) == 6


def test_serialized_ask_construct_and_refusals(filled: Store) -> None:
    ask = filled.query_serialized(f"ASK {{ ?s <{NAME}> 'two 1' }}",
                                  results_type="application/sparql-results+json",
                                  graph_type=None)
    assert ask.kind == "ask" and b"true" in ask.body
    built = filled.query_serialized(
        f"CONSTRUCT {{ ?s <{P}> ?name }} WHERE {{ ?s <{NAME}> ?name }}", results_type=None,
        graph_type="text/turtle", max_rows=2)
    assert (built.media_type, built.kind, built.rows, built.truncated) == (
        "text/turtle", "graph", 2, True)
    assert len(Graph().parse(data=built.body, format="turtle")) == 2
    with pytest.raises(UnsupportedFormatError):
        filled.query_serialized("SELECT * WHERE { ?s ?p ?o }", results_type=None,
                                graph_type="text/turtle")
    with pytest.raises(UnsupportedFormatError):
        filled.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }",
                                results_type="application/sparql-results+json",
                                graph_type=None)
    with pytest.raises(QuerySyntaxError):
        filled.query_serialized("SELECT ?s WHERE { ?s }", results_type="text/csv",
                                graph_type=None)
