"""Dereferencing entity IRIs over HTTP: negotiation with q-values, suffix URLs, bad input."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from .conftest import ECO, ID

UMF = URIRef(ID + "organisation/umf-iasi")
PATH = "/id/organisation/umf-iasi"
COUNTRY = (UMF, URIRef(ECO + "country"), URIRef(ID + "country/RO"))
ROR = (UMF, URIRef(ECO + "rorId"), Literal("03hd30t45"))
PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt",
           "application/ld+json": "json-ld", "application/rdf+xml": "xml",
           "application/trig": "trig", "application/n-quads": "nquads"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def _parse(body: bytes, media_type: str) -> Graph:
    data = Dataset()
    data.parse(data=body, format=PARSERS[media_type])
    merged = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


@pytest.mark.parametrize("accept,expected", [
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/trig", "application/trig"),
    ("application/n-quads", "application/n-quads"),
    ("*/*", "text/turtle"),
    ("", "text/turtle"),
    ("text/*", "text/turtle"),
    ("application/*", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("text/turtle, text/html", "text/turtle"),  # an RDF client that lists both gets RDF
    ("text/html, text/turtle", "text/turtle"),
    ("text/html;q=0.9, text/turtle;q=0.5", "text/html"),
    ("text/turtle;q=0.1, application/rdf+xml;q=0.8", "application/rdf+xml"),
    ("application/rdf+xml;q=0.5, application/n-triples;q=0.50001, */*;q=0.1",
     "application/n-triples"),
    ("image/png, application/ld+json;q=0.2", "application/ld+json"),
    ("TEXT/TURTLE", "text/turtle"),
    ("text/x-nquads, */*;q=0.1", "application/n-quads"),  # rapper -i nquads
    ("application/x-trig, */*;q=0.1", "application/trig"),  # rapper -i trig
    ("text/plain, */*;q=0.1", "application/n-triples"),  # rdflib format="nt"
    ("text/turtle; charset=utf-8; q=1", "text/turtle"),
    ("text/html;q=0, */*", "text/turtle"),
    (BROWSER, "text/html"),
])
def test_each_accept_gets_its_representation_with_the_same_triples(client, accept, expected):
    answer = client.get(PATH, headers={"Accept": accept})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == expected
    assert "Accept" in answer.headers["vary"]
    assert answer.headers["content-location"].endswith(PATH + {
        "text/turtle": ".ttl", "application/n-triples": ".nt", "application/ld+json": ".jsonld",
        "application/rdf+xml": ".rdf", "application/trig": ".trig",
        "application/n-quads": ".nq", "text/html": ".html"}[expected])
    if expected == "text/html":
        assert "<h1>" in answer.text and "03hd30t45" in answer.text
        return
    graph = _parse(answer.content, expected)
    assert COUNTRY in graph and ROR in graph
    assert (UMF, RDF.type, URIRef(ECO + "University")) in graph


@pytest.mark.parametrize("accept", ["image/png", "text/csv", "application/pdf;q=1, text/html;q=0",
                                    "text/turtle;q=0"])
def test_nothing_acceptable_is_406_listing_the_offers(client, accept):
    answer = client.get(PATH, headers={"Accept": accept})
    assert answer.status_code == 406
    error = answer.json()["error"]
    assert set(error["offered"]) >= set(PARSERS) | {"text/html"}
    assert "text/turtle" in error["message"]
    assert "Accept" in answer.headers["vary"]


@pytest.mark.parametrize("suffix,media_type", [
    (".ttl", "text/turtle"), (".nt", "application/n-triples"),
    (".jsonld", "application/ld+json"), (".json", "application/ld+json"),
    (".rdf", "application/rdf+xml"), (".trig", "application/trig"),
    (".nq", "application/n-quads"), (".html", "text/html"),
])
def test_suffix_urls_need_no_negotiation(client, suffix, media_type):
    answer = client.get(PATH + suffix, headers={"Accept": "image/png"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media_type
    if media_type != "text/html":
        assert ROR in _parse(answer.content, media_type)


def test_jsonld_is_compact_with_the_project_context(client):
    context = client.get("/context.jsonld").json()["@context"]
    document = client.get(PATH + ".jsonld").json()
    assert document["@context"] == context
    text = json.dumps(document)
    assert '"rorId"' in text and "https://w3id.org/ecograph/ontology#rorId" not in text


def test_trig_keeps_inferred_statements_in_the_inferred_graph(client, ld_store):
    import pyoxigraph as ox

    data = Dataset()
    data.parse(data=client.get(PATH + ".trig").content, format="trig")
    inferred = URIRef("https://w3id.org/ecograph/graph/inferred")
    served = {(s, p, o) for s, p, o in data.graph(inferred) if s == UMF}
    stored = {(q.subject.value, q.predicate.value, q.object.value)
              for q in ld_store._store.quads_for_pattern(
                  ox.NamedNode(str(UMF)), None, None, ox.NamedNode(str(inferred)))}
    assert served and {(str(s), str(p), str(o)) for s, p, o in served} == stored
    registry = data.graph(URIRef("https://w3id.org/ecograph/graph/organisation-registry"))
    assert ROR in registry and ROR not in data.graph(inferred)


def test_head_answers_like_get_without_a_body(client):
    answer = client.head(PATH, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200 and answer.content == b""
    assert answer.headers["content-type"].startswith("text/turtle")


def test_link_header_lists_every_twin(client):
    links = client.get(PATH, headers={"Accept": "text/turtle"}).headers["link"]
    for suffix in (".ttl", ".jsonld", ".nt", ".rdf", ".trig", ".nq"):
        assert f"{PATH}{suffix}>" in links


def test_unknown_iri_is_404_with_search_suggestions(client):
    answer = client.get("/id/organisation/umf-iasii", headers={"Accept": BROWSER})
    assert answer.status_code == 404
    assert "search-suggestion" in answer.text and "/-/search?q=umf+iasii" in answer.text
    assert "/id/organisation/umf-iasi" in answer.text  # a suggestion by a shared word
    as_json = client.get("/id/organisation/umf-iasii", headers={"Accept": "text/turtle"})
    assert as_json.status_code == 404
    error = as_json.json()["error"]
    assert error["iri"] == ID + "organisation/umf-iasii"
    assert ID + "organisation/umf-iasi" in [s["iri"] for s in error["suggestions"]]
    assert "/-/search?q=" in error["search"]


@pytest.mark.parametrize("path", [
    "/id/organisation/", "/id/organisation", "/id/planet/earth", "/id/organisation/UMF%20Iasi",
    "/id/organisation/a/b", "/id/country/ROU", "/id/organisation/umf--iasi",
])
def test_malformed_paths_are_400(client, path):
    answer = client.get(path, headers={"Accept": "text/turtle"})
    assert answer.status_code == 400, (path, answer.text)
    assert "entity path" in answer.json()["error"]["message"]


def test_a_non_canonical_key_redirects_to_the_canonical_iri(client):
    answer = client.get("/id/region/ro21.ttl", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"].endswith("/id/region/RO21.ttl")


@pytest.mark.parametrize("page", ["0", "-1", "two"])
def test_a_bad_page_number_is_400(client, page):
    answer = client.get("/id/country/RO", params={"page": page},
                        headers={"Accept": "text/turtle"})
    assert answer.status_code == 400


def test_incoming_statements_are_paged_with_a_next_link(client, ld_store):
    from ecograph.describe import PAGE_SIZE, describe

    total = describe(ld_store, ID + "country/RO").incoming_total
    first = client.get("/id/country/RO.ttl")
    assert first.status_code == 200
    if total > PAGE_SIZE:  # pragma: no cover - the bundled data is small
        assert 'rel="next"' in first.headers["link"]
    else:
        assert 'rel="next"' not in first.headers["link"]
    graph = Graph().parse(data=first.text, format="turtle")
    assert len(set(graph.subjects(None, URIRef(ID + "country/RO")))) == len(
        {s.other for s in describe(ld_store, ID + "country/RO", page_size=PAGE_SIZE).incoming})


def test_html_pages_carry_security_headers_and_a_turtle_twin(client):
    answer = client.get(PATH, headers={"Accept": BROWSER})
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert f'<link rel="alternate" type="text/turtle" href="{client.base_url}{PATH}.ttl"' \
        in answer.text


def test_identifiers_are_linked_out(client):
    page = client.get(PATH + ".html").text
    for href in ("https://ror.org/03hd30t45", "https://www.wikidata.org/entity/Q2779762"):
        assert f'href="{href}"' in page
    region = client.get("/id/region/RO21.html").text
    assert 'href="http://data.europa.eu/nuts/code/RO21"' in region
    assert "/-/network/region/RO21" in region


def test_concepts_and_graphs_dereference_too(client):
    graph_page = client.get("/graph/cordis-projects.ttl")
    assert graph_page.status_code == 200
    assert "wasDerivedFrom" in graph_page.text
    assert client.get("/graph/no-such-graph.ttl").status_code == 404
