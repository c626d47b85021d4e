"""The endpoint's pure parts: negotiation, SPARQL text inspection, JSON-LD compaction,
ETags, change-to-update translation, and the store's serialised answers."""

from __future__ import annotations

import doctest
import json

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from ecograph import sparql_lexer
from ecograph.store.base import Store
from ecograph.store.embedded import OxigraphStore
from ecograph.web import cache, jsonld, negotiation, sparql_text, writes
from ecograph.web.negotiation import RDF_OFFERS, RESULTS_OFFERS, choose


@pytest.mark.parametrize("module", [negotiation, sparql_text, sparql_lexer, jsonld, writes])
def test_doctests(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0


@pytest.mark.parametrize(("accept", "offered", "expected"), [
    (None, RESULTS_OFFERS, "application/sparql-results+json"),
    ("", RDF_OFFERS, "text/turtle"),
    ("text/csv;q=0", RESULTS_OFFERS, None),
    ("text/csv;q=0, */*;q=0.1", RESULTS_OFFERS, "application/sparql-results+json"),
    ("*/*;q=0.1, text/csv;q=0", ("text/csv",), None),
    ("application/*;q=0.5, text/turtle;q=0.4", RDF_OFFERS, "application/n-triples"),
    ("TEXT/TURTLE", RDF_OFFERS, "text/turtle"),
    ("text/turtle;q=abc", RDF_OFFERS, None),
    ("application/rdf+xml; charset=utf-8; q=0.8, application/ld+json;q=0.9", RDF_OFFERS,
     "application/ld+json"),
])
def test_choose(accept, offered, expected):
    assert choose(accept, offered) == expected


def test_tokens_skip_strings_iris_and_comments():
    text = 'SELECT * { ?s ?p "SERVICE <http://x>" } # SERVICE <http://y>\n'
    assert sparql_text.remote_targets(text, "SERVICE") == []
    assert sparql_text.query_form("# ASK\nPREFIX : <http://x#> CONSTRUCT WHERE {}") == \
        "CONSTRUCT"
    assert sparql_text.remote_targets("SELECT * { SERVICE ?e { } }", "SERVICE") == [None]
    assert sparql_text.remote_targets("LOAD SILENT <http://a/b> INTO GRAPH <g>", "LOAD") == \
        ["http://a/b"]


def test_add_using_goes_before_each_modify_where_only():
    update = ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o < 3) } ; "
              "DELETE WHERE { ?a ?b ?c } ; INSERT { ?x ?y 1 } WHERE { ?x ?y ?z }")
    done = sparql_text.add_using(update, ["http://g"], ["http://n"])
    assert done.count("USING <http://g> USING NAMED <http://n> WHERE") == 2
    assert "DELETE WHERE { ?a" in done
    assert sparql_text.has_dataset_clause("WITH <g> DELETE { } WHERE { }")
    assert not sparql_text.has_dataset_clause('INSERT DATA { <a> <b> "USING" }')


def test_json_ld_compaction_keeps_values_and_shortens_iris():
    expanded = json.dumps([{"@id": "https://w3id.org/ecograph/id/x",
                            "@type": ["https://w3id.org/ecograph/ontology#Project"],
                            "http://example.org/p": [{"@value": "https://w3id.org/ecograph/id/y"}],
                            "https://w3id.org/ecograph/ontology#n": [
                                {"@value": "1", "@type": "http://www.w3.org/2001/XMLSchema#integer"}]}])
    prefixes = {"id": "https://w3id.org/ecograph/id/",
                "ecograph": "https://w3id.org/ecograph/ontology#",
                "xsd": "http://www.w3.org/2001/XMLSchema#"}
    compacted = jsonld.compact(expanded.encode(), prefixes)
    node = json.loads(compacted)["@graph"][0]
    # JSON-LD 1.1 compaction: one value is not an array, a plain string is bare (a
    # string that looks like an IRI is still a string, not shortened)
    assert node["@id"] == "id:x" and node["@type"] == "ecograph:Project"
    assert node["http://example.org/p"] == "https://w3id.org/ecograph/id/y"
    assert node["ecograph:n"] == {"@value": "1", "@type": "xsd:integer"}
    original = Graph().parse(data=expanded, format="json-ld")
    again = Graph().parse(data=compacted, format="json-ld")
    assert set(original) == set(again)


def test_etags_change_with_the_version_and_match_weakly():
    answers = cache.AnswerCache(max_bytes=100, max_entry=60)
    tag = answers.etag("q", 1)
    assert tag != answers.etag("q", 2) and tag != answers.etag("r", 1)
    assert cache.matches(tag.removeprefix("W/"), tag)
    assert cache.matches(f'"other", {tag}', tag) and cache.matches("*", tag)
    assert not cache.matches(None, tag)
    answers.put("q", 1, cache.Cached(b"x" * 50, "text/csv"))
    answers.put("big", 1, cache.Cached(b"x" * 70, "text/csv"))
    assert answers.get("q", 1) is not None and answers.get("big", 1) is None
    answers.put("r", 2, cache.Cached(b"y", "text/csv"))
    assert answers.get("q", 1) is None  # a new version drops the old answers


def test_graph_changes_become_one_update():
    triple = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal('say "hi"\n'))
    text = writes.as_update(writes.GraphChange("http://g", [triple], replace=True))
    store = ox.Store()
    store.update("INSERT DATA { GRAPH <http://g> { <urn:old> <urn:b> 1 } }")
    store.update(text)
    assert [q.triple for q in store] == [triple]
    store.update(writes.as_update(writes.GraphChange(None, [triple], replace=False)))
    assert len(store) == 2
    store.update(writes.as_update(writes.GraphDrop(None)))
    assert len(store) == 1


@pytest.mark.parametrize("media_type", ["application/sparql-results+json",
                                        "application/sparql-results+xml", "text/csv",
                                        "text/tab-separated-values"])
def test_native_serialisation_agrees_with_the_default(media_type):
    store = OxigraphStore(None)
    store.update('INSERT DATA { GRAPH <http://g> { <http://a> <http://p> "x"@en, 2, '
                 '"tab\\there" , "line\\nbreak" } }')
    query = "SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    native = store.query_serialized(query, results_type=media_type, graph_type=None,
                                    max_rows=3)
    default = Store.query_serialized(store, query, results_type=media_type,
                                     graph_type=None, max_rows=3)
    assert native.truncated and default.truncated
    assert (native.rows, default.rows) == (3, 3)
    fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV}.get(media_type)
    if fmt is None:
        assert native.body.replace(b"\r\n", b"\n") == default.body.replace(b"\r\n", b"\n")
    else:
        rows = [[str(s[v]) for v in ("p", "o")]
                for s in ox.parse_query_results(native.body, format=fmt)]
        expected = [[str(s[v]) for v in ("p", "o")]
                    for s in ox.parse_query_results(default.body, format=fmt)]
        assert rows == expected
    store.close()


def test_native_construct_is_capped_and_labelled():
    store = OxigraphStore(None)
    store.update("INSERT DATA { GRAPH <http://g> { <http://a> <http://p> 1, 2, 3 } }")
    answer = store.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }", results_type=None,
                                    graph_type="application/n-quads", max_rows=2)
    assert answer.media_type == "application/n-quads" and answer.truncated
    assert len(answer.body.splitlines()) == 2
    whole = store.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }", results_type=None,
                                   graph_type="text/turtle", max_rows=None)
    assert len(Graph().parse(data=whole.body, format="turtle")) == 3
    assert URIRef("http://g") in store.graphs()
    store.close()
