"""Entity descriptions: outgoing and incoming statements, labels, inferred ones marked, paging."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ecograph.describe import describe, exists, fetch_labels
from ecograph.graphs import INFERRED, source_graph
from ecograph.search import search

from .conftest import ECO, ID

UMF = URIRef(ID + "organisation/umf-iasi")
RO = URIRef(ID + "country/RO")


def test_outgoing_statements_carry_their_graphs_and_the_labels_of_what_they_point_to(ld_store):
    d = describe(ld_store, UMF)
    assert d is not None
    assert d.label is not None and "Ia" in str(d.label)
    country = [s for s in d.outgoing if s.predicate == URIRef(ECO + "country")]
    assert [s.other for s in country] == [RO]
    assert str(country[0].other_label) == "Romania"
    stored = {q.graph_name.value for q in ld_store._store.quads_for_pattern(
        ox.NamedNode(str(UMF)), ox.NamedNode(ECO + "country"), ox.NamedNode(str(RO)), None)}
    assert {str(g) for g in country[0].graphs} == stored
    assert str(source_graph("organisation-registry")) in stored
    assert not country[0].inferred
    assert (UMF, URIRef(ECO + "rorId"), Literal("03hd30t45")) in d.graph()


def _graphs_of(store, s, p, o) -> set[str]:
    def term(node):
        return ox.NamedNode(str(node)) if isinstance(node, URIRef) else ox.Literal(
            str(node), language=node.language,
            datatype=ox.NamedNode(str(node.datatype)) if node.datatype else None)

    return {q.graph_name.value for q in store._store.quads_for_pattern(
        term(s), term(p), term(o), None)}


def test_inferred_statements_are_marked_and_kept_in_the_inferred_graph(ld_store):
    d = describe(ld_store, UMF)
    inferred = [s for s in d.outgoing if s.inferred]
    assert inferred, "the inferred graph holds statements about UMF Iasi"
    for s in d.outgoing:
        graphs = _graphs_of(ld_store, UMF, s.predicate, s.other)
        assert s.inferred == (graphs == {str(INFERRED)}), s
        assert {str(g) for g in s.graphs} == graphs
    quads = d.dataset()
    for s in inferred:
        assert (UMF, s.predicate, s.other) in quads.graph(INFERRED)
    assert (UMF, URIRef(ECO + "country"), RO) not in quads.graph(INFERRED)
    # Asserted types come first.
    types = [s for s in d.outgoing if s.predicate == RDF.type]
    assert d.types[:len([t for t in types if not t.inferred])] == [
        t.other for t in sorted(types, key=lambda t: t.inferred) if not t.inferred]
    tu = describe(ld_store, ID + "organisation/tu-iasi")
    project = URIRef(ID + "project/edih-diz")
    marks = {(s.predicate, s.other): s.inferred for s in tu.outgoing}
    assert marks[(URIRef(ECO + "participatesIn"), project)] is True
    assert {(s.predicate, s.other): s.inferred for s in tu.incoming}[
        (URIRef(ECO + "hasParticipant"), project)] is False


def test_incoming_statements_are_paged_and_every_page_is_distinct(ld_store):
    whole = describe(ld_store, RO, page_size=1000)
    assert whole.incoming_total == len(whole.incoming) >= 4
    size = 3
    pages = [describe(ld_store, RO, page=n, page_size=size)
             for n in range(1, -(-whole.incoming_total // size) + 1)]
    assert all(p.pages == -(-whole.incoming_total // size) for p in pages)
    seen = [(s.other, s.predicate) for p in pages for s in p.incoming]
    assert len(seen) == len(set(seen)) == whole.incoming_total
    assert set(seen) == {(s.other, s.predicate) for s in whole.incoming}
    past = describe(ld_store, RO, page=whole.incoming_total + 1, page_size=1)
    assert past is not None and past.incoming == []


def test_an_unknown_iri_has_no_description(ld_store):
    assert describe(ld_store, ID + "organisation/no-such-thing") is None
    assert not exists(ld_store, URIRef(ID + "organisation/no-such-thing"))
    assert exists(ld_store, UMF)


@pytest.mark.parametrize("page,size", [(0, 10), (1, 0), (-2, 5)])
def test_pages_start_at_one(ld_store, page, size):
    with pytest.raises(ValueError, match="start at 1"):
        describe(ld_store, UMF, page=page, page_size=size)


def test_labels_prefer_english_then_untagged(ld_store):
    labels = fetch_labels(ld_store, [RO, URIRef(ECO + "Organisation"), Literal("x")])
    assert str(labels[RO]) == "Romania"
    assert labels[URIRef(ECO + "Organisation")].language == "en"
    assert Literal("x") not in labels


def test_label_search_finds_diacritics_through_the_slug_and_ranks_exact_first(ld_store):
    hits = search(ld_store, "iasi")
    assert UMF in [h.iri for h in hits]
    exact = search(ld_store, "Romania")
    assert exact[0].iri == RO
    assert search(ld_store, 'x" } ; DROP ALL ; #') == []  # quoted, never pasted
    assert ld_store.count() > 0


@pytest.mark.parametrize("text", ["", "   ", "x" * 201])
def test_label_search_refuses_empty_or_huge_text(ld_store, text):
    with pytest.raises(ValueError):
        search(ld_store, text)


def test_rdfs_label_of_neighbours_is_added_to_the_description_graph(ld_store):
    d = describe(ld_store, UMF)
    assert (RO, RDFS.label, Literal("Romania", lang="en")) in d.graph() or \
        (RO, RDFS.label, Literal("Romania")) in d.graph()


@pytest.mark.parametrize("text", ["iasi", "Romania", "university", "Nord", "zzzzqq"])
def test_the_label_index_finds_what_sparql_finds(ld_store, text):
    from ecograph.iris import slugify
    from ecograph.search import LabelIndex, fold

    index = LabelIndex.build(ld_store)
    by_sparql = [h.iri for h in search(ld_store, text, limit=500)]
    by_index = [h.iri for h in search(ld_store, text, limit=500, index=index)]
    assert set(by_sparql) <= set(by_index)
    for hit in search(ld_store, text, limit=500, index=index):
        assert fold(text) in fold(hit.label) or slugify(text) in str(hit.iri) or any(
            fold(text) in fold(str(lbl)) for lbl in index_labels(ld_store, hit.iri))


def index_labels(store, iri):
    """Every label of *iri*, by SPARQL."""
    from ecograph.describe import LABEL_PROPERTIES

    props = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    return [row[0] for row in store.query(
        f"SELECT ?l WHERE {{ <{iri}> ?p ?l FILTER(?p IN ({props})) }}").rows]


def test_the_label_index_folds_accents(ld_store):
    from ecograph.search import LabelIndex, fold

    assert fold("Iași Ñ") == "iasi n"
    index = LabelIndex({URIRef("http://x/a"): [Literal("Universitatea din Iași", lang="ro")],
                        URIRef("http://x/b"): [Literal("Iași"), Literal("Jassy", lang="de")],
                        URIRef("http://x/c"): [Literal("Cluj")]})
    assert index.match("IASI", "", 10) == [(URIRef("http://x/b"), "Iași"),
                                            (URIRef("http://x/a"), "Universitatea din Iași")]
    assert index.match("jassy", "", 10) == [(URIRef("http://x/b"), "Iași")]
    assert index.match("iasi", "", 1) == [(URIRef("http://x/b"), "Iași")]
    assert index.match("x", "", 10) == []
