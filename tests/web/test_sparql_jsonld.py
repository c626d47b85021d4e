"""CONSTRUCT and DESCRIBE answers in JSON-LD use the linked-data pages' context
(``/context.jsonld``, embedded) and hold exactly the triples of the Turtle answer."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.web.conftest import ID, ORGS, PROJECTS

QUERIES = {
    # the test data's graphs only: other tests' writes add change-log graphs
    "construct": (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ <{ORGS}> <{PROJECTS}> }} "
                  "GRAPH ?g { ?s ?p ?o } }"),
    "describe": f"DESCRIBE <{ID}project-imago> <{ID}org-umf-iasi>",
    "construct-from": f"CONSTRUCT {{ ?s ?p ?o }} FROM <{PROJECTS}> WHERE {{ ?s ?p ?o }}",
}


def answer(http: httpx.Client, query: str, accept: str) -> httpx.Response:
    response = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    return response


@pytest.mark.parametrize("name", QUERIES)
def test_json_ld_answers_have_the_turtle_answers_triples(http: httpx.Client, name: str) -> None:
    query = QUERIES[name]
    turtle = Graph().parse(data=answer(http, query, "text/turtle").content, format="turtle")
    jsonld = Graph().parse(data=answer(http, query, "application/ld+json").content,
                           format="json-ld")
    assert len(turtle) > 0
    assert isomorphic(turtle, jsonld)


def test_json_ld_answers_embed_the_published_context_and_use_its_terms(
        http: httpx.Client) -> None:
    published = http.get("/context.jsonld").json()["@context"]
    document = answer(http, QUERIES["construct"], "application/ld+json").json()
    assert document["@context"] == published
    nodes = {node["@id"]: node for node in document["@graph"]}
    imago = nodes["id:project-imago"]
    # an object property of the ontology, coerced to @id: IRIs as plain compact strings
    assert sorted(imago["hasParticipant"]) == ["id:org-tu-delft", "id:org-umf-iasi"]
    assert imago["title"] == "IMAGO-MOL"
    umf = nodes["id:org-umf-iasi"]
    assert umf["label"] == {"@language": "ro", "@value": "UMF Iași"}
    assert all("@graph" not in node for node in document["@graph"])  # triples, no graphs
