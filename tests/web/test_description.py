"""Service description, named queries over HTTP, system pages and the OpenAPI document."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from tests.web.conftest import ID, ORG_TRIPLES, ORGS, PROJECTS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"), ("*/*", "turtle"),
])
def test_service_description_by_negotiation(http, server, accept, fmt):
    response = http.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.content, format=fmt)
    service = next(graph.subjects(RDF.type, SD.Service))
    assert (service, SD.endpoint, URIRef(server.sparql)) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) in graph  # writable server
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV") in formats
    assert URIRef("http://www.w3.org/ns/formats/N-Quads") in formats
    dataset = graph.value(service, SD.defaultDataset)
    assert URIRef(f"{server.url}/-/void") in set(graph.objects(dataset))
    names = {graph.value(named, SD.name): graph.value(graph.value(named, SD.graph),
                                                      VOID.triples)
             for named in graph.objects(dataset, SD.namedGraph)}
    assert names[URIRef(ORGS)] == Literal(ORG_TRIPLES)
    assert URIRef(PROJECTS) in names


def test_service_description_406(http):
    response = http.get("/sparql", headers={"Accept": "application/pdf"})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["error"]["offered"]


def test_browsers_get_the_query_page_with_prefixes_and_examples(http):
    response = http.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    page = response.text
    assert "yasgui/yasgui.min.js" in page
    assert "PREFIX ecograph: \\u003chttps://w3id.org/ecograph/ontology#\\u003e" in page \
        or "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>" in page
    assert 'data-example="org-projects"' in page
    assert "Organisations by country" in page
    script = http.get("/-/static/yasgui/yasgui.min.js")
    assert script.status_code == 200 and len(script.content) > 500_000
    assert http.get("/-/static/yasgui/LICENSE.txt").text.startswith("The MIT License")


def test_named_queries_are_listed(http, server):
    listing = http.get("/queries").json()["queries"]
    by_name = {q["name"]: q for q in listing}
    projects = by_name["org-projects"]
    assert projects["title"] == "Projects of an organisation"
    assert projects["parameters"] == [{"name": "org", "type": "iri", "required": True,
                                       "default": None, "description": "the organisation"}]
    assert projects["columns"] == ["project", "title"]
    assert projects["url"] == f"{server.url}/queries/org-projects"


def test_named_query_runs_with_bound_parameters_and_negotiation(http):
    response = http.get("/queries/org-projects", params={"org": "id:org-tu-delft"},
                        headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    assert response.text.splitlines() == ["project,title",
                                          f"{ID}project-imago,IMAGO-MOL",
                                          f'{ID}project-lumen,"LUMEN ""optics"""']
    json_answer = http.get("/queries/organisations", params={"country": "RO"})
    rows = json_answer.json()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["UMF Iași"]
    everyone = http.get("/queries/organisations", params={"format": "tsv"})
    assert len(everyone.text.splitlines()) == 4


def test_named_query_parameters_cannot_inject(http):
    evil = 'RO" || true || "'
    response = http.get("/queries/organisations", params={"country": evil})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    bad_iri = http.get("/queries/org-projects", params={"org": "x> } ?s ?p ?o {"})
    assert bad_iri.status_code == 400
    assert "not an absolute IRI" in bad_iri.json()["error"]["message"]


def test_named_query_errors(http):
    missing = http.get("/queries/org-projects")
    assert missing.status_code == 400 and "org" in missing.json()["error"]["message"]
    unknown_param = http.get("/queries/organisations", params={"land": "RO"})
    assert unknown_param.status_code == 400
    unknown = http.get("/queries/org-project")
    assert unknown.status_code == 404
    assert "org-projects" in unknown.json()["error"]["message"]


def test_named_query_answers_are_cached_with_etags(http, auth):
    params = {"org": "id:org-imec"}
    first = http.get("/queries/org-projects", params=params)
    etag = first.headers["etag"]
    assert http.get("/queries/org-projects", params=params,
                    headers={"If-None-Match": etag}).status_code == 304
    insert = (f"INSERT DATA {{ GRAPH <{PROJECTS}> {{ <{ID}project-new> "
              f"<https://w3id.org/ecograph/ontology#hasParticipant> <{ID}org-imec> ; "
              "<http://purl.org/dc/terms/title> \"NEW\" } }")
    assert http.post("/sparql", data={"update": insert}, headers=auth).status_code == 204
    after = http.get("/queries/org-projects", params=params, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["etag"] != etag
    titles = [b["title"]["value"] for b in after.json()["results"]["bindings"]]
    assert titles == ["LUMEN \"optics\"", "NEW"]
    remove = insert.replace("INSERT DATA", "DELETE DATA")
    assert http.post("/sparql", data={"update": remove}, headers=auth).status_code == 204


def test_named_queries_appear_in_the_openapi_document(http):
    document = http.get("/openapi.json").json()
    operation = document["paths"]["/queries/org-projects"]["get"]
    assert operation["summary"] == "Projects of an organisation"
    parameter = next(p for p in operation["parameters"] if p["name"] == "org")
    assert parameter["required"] is True
    assert "/sparql" in document["paths"] and "/store" in document["paths"]


def test_health_and_version(http):
    health = http.get("/-/health").json()
    assert health["ok"] is True and health["workers"] == 2 and health["writable"] is True
    version = http.get("/-/version").json()
    assert version["ecograph"] and version["pyoxigraph"].startswith("0.5")


def test_unknown_paths_answer_in_the_one_error_shape(http):
    response = http.get("/no/such/page")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "nothing at /no/such/page"
