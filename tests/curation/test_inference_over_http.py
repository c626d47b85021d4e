"""A change accepted over HTTP reaches the inferred graph that the endpoint answers from."""

from __future__ import annotations

import json

import httpx

from ecograph import graphs
from tests.curation.conftest import AUTH

MEMBER = "https://w3id.org/ecograph/id/organisation/rayscape"
NETWORK = "https://w3id.org/ecograph/id/network/medic-nest"
ONTOLOGY = "https://w3id.org/ecograph/ontology#"


def inferred(client: httpx.Client) -> bool:
    query = (f"ASK {{ GRAPH <{graphs.INFERRED}> "
             f"{{ <{NETWORK}> <{ONTOLOGY}hasMember> <{MEMBER}> }} }}")
    answer = client.get("/sparql", params={"query": query},
                        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def test_a_change_over_http_updates_the_inferred_graph(seed_server) -> None:
    with seed_server.client() as client:
        assert not inferred(client)
        body = {"add": f"<{MEMBER}> <{ONTOLOGY}memberOf> <{NETWORK}> .",
                "graph": str(graphs.source_graph("imago-mol-article")),
                "message": "Rayscape joins MEDIC-NEST"}
        done = client.post("/changes", content=json.dumps(body),
                           headers={**AUTH, "Content-Type": "application/json"})
        assert done.status_code == 201, done.text
        assert inferred(client)
        undone = client.post(f"/changes/{done.json()['id']}/revert", headers=AUTH)
        assert undone.status_code in (200, 201), undone.text
        assert not inferred(client)
