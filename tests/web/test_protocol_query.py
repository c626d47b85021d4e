"""SPARQL 1.1 Protocol queries through the real server: methods, dataset, formats, clients."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from tests.web.conftest import ID, ORG_TRIPLES, ORGS, PROJECT_TRIPLES, PROJECTS

NAMES = ("SELECT ?name WHERE { ?o a <https://w3id.org/ecograph/ontology#Organisation> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name")
ORG_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: The test data, for queries that must not see what write tests add.
DATASET = {"default-graph-uri": [ORGS, PROJECTS]}


def names_of(response: httpx.Response) -> list[str]:
    return [b["name"]["value"] for b in response.json()["results"]["bindings"]]


def test_get_post_form_and_post_direct_give_the_same_answer(http):
    accept = {"Accept": "application/sparql-results+json"}
    by_get = http.get("/sparql", params={"query": NAMES}, headers=accept)
    by_form = http.post("/sparql", data={"query": NAMES}, headers=accept)
    by_body = http.post("/sparql", content=NAMES.encode(),
                        headers={**accept, "Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert names_of(response) == ["TU Delft", "UMF Iași", "imec"]


def test_default_graph_is_the_union_and_default_graph_uri_narrows_it(http):
    whole = http.get("/sparql", params={"query": ORG_COUNT}, headers={"Accept": "text/csv"})
    graphs = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g "
                                                  "{ ?s ?p ?o } }"},
                      headers={"Accept": "text/csv"})
    assert whole.text.splitlines()[1] == graphs.text.splitlines()[1]
    assert int(whole.text.splitlines()[1]) >= ORG_TRIPLES + PROJECT_TRIPLES
    narrowed = http.get("/sparql", params={"query": ORG_COUNT, "default-graph-uri": ORGS},
                        headers={"Accept": "text/csv"})
    assert narrowed.text.splitlines()[1] == str(ORG_TRIPLES)
    both = http.post("/sparql", data={"query": ORG_COUNT,
                                      "default-graph-uri": [ORGS, PROJECTS]},
                     headers={"Accept": "text/csv"})
    assert both.text.splitlines()[1] == str(ORG_TRIPLES + PROJECT_TRIPLES)


def test_named_graph_uri_limits_the_graphs_a_query_sees(http):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = http.get("/sparql", params={"query": query, "named-graph-uri": PROJECTS},
                        headers={"Accept": "application/sparql-results+json"})
    graphs = [b["g"]["value"] for b in response.json()["results"]["bindings"]]
    assert graphs == [PROJECTS]
    # with only named graphs given, the default graph is empty
    empty = http.get("/sparql", params={"query": ORG_COUNT, "named-graph-uri": PROJECTS},
                     headers={"Accept": "text/csv"})
    assert empty.text.splitlines()[1] == "0"


@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ("application/json", "application/json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values; charset=utf-8"),
    ("text/*;q=0.2, application/sparql-results+xml;q=0.1", "text/csv; charset=utf-8"),
])
def test_select_results_in_each_format_by_negotiation(http, accept, media_type):
    response = http.get("/sparql", params={"query": NAMES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert "Accept" in response.headers["vary"]
    body = response.text
    if "json" in media_type:
        assert names_of(response)[1] == "UMF Iași"
    elif "xml" in media_type:
        root = ET.fromstring(response.content)
        ns = "{http://www.w3.org/2005/sparql-results#}"
        literal = root.findall(f".//{ns}literal")[1]
        assert literal.text == "UMF Iași"
        assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "ro"
    elif "csv" in media_type:
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == ["name"] and rows[2] == ["UMF Iași"]
    else:
        assert body.splitlines() == ["?name", '"TU Delft"', '"UMF Iași"@ro', '"imec"']


def test_ask_in_json_xml_csv_tsv(http):
    query = f"ASK {{ <{ID}org-imec> ?p ?o }}"
    assert http.get("/sparql", params={"query": query}).json() == {"head": {}, "boolean": True}
    xml = http.get("/sparql", params={"query": query},
                   headers={"Accept": "application/sparql-results+xml"})
    assert b"<boolean>true</boolean>" in xml.content
    tsv = http.get("/sparql", params={"query": query.replace("imec", "nobody")},
                   headers={"Accept": "text/tab-separated-values"})
    assert tsv.status_code == 200 and "false" in tsv.text


CONSTRUCT = (f"CONSTRUCT {{ ?o <http://www.w3.org/2000/01/rdf-schema#label> ?n }} "
             f"WHERE {{ GRAPH <{ORGS}> {{ ?o <http://www.w3.org/2000/01/rdf-schema#label> ?n }} }}")


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
    ("application/trig", "trig"), ("application/n-quads", "nquads"),
])
def test_construct_in_each_rdf_syntax_labelled_as_such(http, accept, rdflib_format):
    response = http.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph()
    graph.parse(data=response.content, format=rdflib_format)
    assert len(graph) == 3
    assert (URIRef(ID + "org-umf-iasi"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("UMF Iași", lang="ro")) in graph


def test_construct_as_json_ld_is_compact_with_the_ecograph_prefixes(http):
    response = http.get("/sparql", params={"query": CONSTRUCT},
                        headers={"Accept": "application/ld+json"})
    document = response.json()
    assert document["@context"]["id"] == ID
    ids = sorted(node["@id"] for node in document["@graph"])
    assert ids == ["id:org-imec", "id:org-tu-delft", "id:org-umf-iasi"]


def test_describe_answers_rdf(http):
    response = http.get("/sparql", params={"query": f"DESCRIBE <{ID}org-imec>"},
                        headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert f"<{ID}org-imec>" in response.text


def test_406_lists_the_offered_types(http):
    response = http.get("/sparql", params={"query": NAMES}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    error = response.json()["error"]
    assert "application/sparql-results+json" in error["offered"]
    assert "text/tab-separated-values" in error["message"]
    graph = http.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert graph.status_code == 406
    assert "text/turtle" in graph.json()["error"]["offered"]


def test_format_parameter_overrides_accept(http):
    response = http.get("/sparql", params={"query": NAMES, "format": "tsv"},
                        headers={"Accept": "application/sparql-results+json"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_sparqlwrapper_reads_every_results_format(server):
    wrapper = SPARQLWrapper(server.sparql)
    wrapper.setQuery(NAMES)
    wrapper.setReturnFormat(JSON)
    rows = wrapper.query().convert()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["TU Delft", "UMF Iași", "imec"]
    wrapper.setReturnFormat(XML)
    assert len(wrapper.query().convert().getElementsByTagName("result")) == 3
    wrapper.setReturnFormat(CSV)
    assert wrapper.query().convert().decode().splitlines()[0] == "name"
    wrapper.setMethod("POST")
    wrapper.setQuery(CONSTRUCT)
    wrapper.setReturnFormat(TURTLE)
    graph = Graph().parse(data=wrapper.query().convert(), format="turtle")
    assert len(graph) == 3


def test_rdflib_sparqlstore_queries_the_endpoint(server):
    store = SPARQLStore(server.sparql, returnFormat="json")
    graph = Graph(store=store)
    rows = list(graph.query(NAMES))
    assert [str(r[0]) for r in rows] == ["TU Delft", "UMF Iași", "imec"]
    assert rows[1][0] == Literal("UMF Iași", lang="ro")
    assert graph.query(f"ASK {{ <{ID}org-imec> ?p ?o }}").askAnswer is True
    store.close()


def test_rdflib_graph_parse_reads_a_construct_url(server):
    url = str(httpx.URL(server.sparql, params={"query": CONSTRUCT}))
    graph = Graph().parse(url, format="turtle")
    assert len(graph) == 3


def test_results_are_cached_with_an_etag_and_answer_304(http):
    first = http.get("/sparql", params={"query": NAMES})
    etag = first.headers["etag"]
    again = http.get("/sparql", params={"query": NAMES}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other = http.get("/sparql", params={"query": NAMES}, headers={"Accept": "text/csv"})
    assert other.headers["etag"] != etag


def test_json_errors_carry_the_parser_position(http):
    response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "QuerySyntaxError"
    assert (error["line"], error["column"]) == (1, 25)
    assert "error at 1:25" in error["message"]


def test_browsers_get_errors_as_a_page(http):
    response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"},
                        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "At line 1, column 25" in response.text


def test_cors_is_on_for_reads(http):
    response = http.get("/sparql", params={"query": NAMES},
                        headers={"Origin": "http://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = http.options("/sparql", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    no_token = http.options("/sparql", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert no_token.status_code == 400


def test_json_of_utf8_round_trips(http):
    response = http.post("/sparql", data={"query": 'SELECT ("Iași ✓" AS ?x) {}'})
    assert json.loads(response.content)["results"]["bindings"][0]["x"]["value"] == "Iași ✓"


def test_answers_larger_than_a_pipe_buffer_arrive_whole(http):
    big = "x" * 150_000  # one 150 kB literal: the answer spans several pipe buffers
    response = http.post("/sparql", data={"query": f'SELECT ?x {{ VALUES ?x {{ "{big}" }} }}'},
                         headers={"Accept": "text/tab-separated-values"})
    assert response.status_code == 200, response.text[:300]
    assert response.text.splitlines()[1] == f'"{big}"'
