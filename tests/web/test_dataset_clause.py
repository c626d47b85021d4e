"""``/sparql`` answers a query's ``FROM`` / ``FROM NAMED`` in the query workers as SPARQL
says, and the protocol's ``default-graph-uri``/``named-graph-uri`` override them."""

from __future__ import annotations

import httpx

from tests.web.conftest import ORG_TRIPLES, ORGS, PROJECT_TRIPLES, PROJECTS


def number(http: httpx.Client, query: str, **dataset: str | list[str]) -> int:
    response = http.get("/sparql", params={"query": query, **dataset},
                        headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_from_and_from_named_in_the_query_workers(http: httpx.Client) -> None:
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert number(http, everything) >= ORG_TRIPLES + PROJECT_TRIPLES
    from_orgs = f"SELECT (COUNT(*) AS ?n) FROM <{ORGS}> WHERE {{ ?s ?p ?o }}"
    assert number(http, from_orgs) == ORG_TRIPLES
    only_named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ORGS}> WHERE {{ ?s ?p ?o }}"
    assert number(http, only_named) == 0
    named = (f"SELECT (COUNT(*) AS ?n) FROM <{ORGS}> FROM NAMED <{PROJECTS}> "
             f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert number(http, named) == PROJECT_TRIPLES
    relative = "SELECT (COUNT(*) AS ?n) FROM <nothing-here> WHERE { ?s ?p ?o }"
    assert number(http, relative) == 0  # resolved against the endpoint's URL: no such graph


def test_the_protocol_dataset_overrides_the_query_dataset(http: httpx.Client) -> None:
    from_orgs = f"SELECT (COUNT(*) AS ?n) FROM <{ORGS}> WHERE {{ ?s ?p ?o }}"
    assert number(http, from_orgs, **{"default-graph-uri": PROJECTS}) == PROJECT_TRIPLES
    assert number(http, from_orgs, **{"named-graph-uri": PROJECTS}) == 0
