"""Limits: the query time limit, the row cap, the body size, federation off by default."""

from __future__ import annotations

import concurrent.futures
import time

import httpx

from tests.web.conftest import ORGS, count

#: A cross product far too large to finish: 18^8 combinations.
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n2 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }")
CHEAP = f"ASK {{ GRAPH <{ORGS}> {{ ?s ?p ?o }} }}"


def test_a_runaway_query_is_stopped_at_the_limit_while_others_are_answered(server):
    with httpx.Client(base_url=server.url, timeout=30) as client, \
            concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        runaway = pool.submit(client.get, "/sparql", params={"query": RUNAWAY})
        time.sleep(0.3)
        cheap_times = []
        while not runaway.done():
            t0 = time.monotonic()
            answer = client.get("/sparql", params={"query": CHEAP, "max-rows": "7"})
            cheap_times.append(time.monotonic() - t0)
            assert answer.status_code == 200
            assert answer.json()["boolean"] is True
            time.sleep(0.1)
        response = runaway.result()
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["type"] == "QueryTimeoutError"
    assert error["limit"] == "query_timeout" and error["seconds"] == 3
    assert "3 s" in error["message"]
    assert 2.9 < elapsed < 8
    assert len(cheap_times) >= 5 and max(cheap_times) < 1.5


def test_the_timeout_parameter_lowers_the_limit_but_cannot_raise_it(http):
    t0 = time.monotonic()
    lowered = http.get("/sparql", params={"query": RUNAWAY, "timeout": "1"})
    assert lowered.status_code == 503 and lowered.json()["error"]["seconds"] == 1
    assert time.monotonic() - t0 < 2.5
    t0 = time.monotonic()
    raised = http.get("/sparql", params={"query": RUNAWAY + " # 2", "timeout": "1000"})
    assert raised.status_code == 503 and raised.json()["error"]["seconds"] == 3
    assert time.monotonic() - t0 < 6


def test_workers_are_replaced_after_a_timeout(http):
    before = http.get("/-/health").json()["worker_restarts"]
    http.get("/sparql", params={"query": RUNAWAY + " # 3", "timeout": "0.5"})
    deadline = time.monotonic() + 20
    while http.get("/-/health").json()["worker_restarts"] == before:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    # both workers answer again
    for _ in range(6):
        assert http.get("/sparql", params={"query": CHEAP}).status_code == 200


#: At least 18 × 18 rows.
ROWS = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r } ORDER BY ?a ?b"


def test_the_row_cap_cuts_results_and_says_so(http):
    capped = http.get("/sparql", params={"query": ROWS}, headers={"Accept": "text/csv"})
    assert capped.status_code == 200
    assert len(capped.text.splitlines()) == 1 + 50
    assert capped.headers["x-sparql-maxrows"] == "50"
    lowered = http.get("/sparql", params={"query": ROWS, "max-rows": "4"},
                       headers={"Accept": "application/sparql-results+json"})
    assert len(lowered.json()["results"]["bindings"]) == 4
    assert lowered.headers["x-sparql-maxrows"] == "4"
    not_raised = http.get("/sparql", params={"query": ROWS, "max-rows": "100000"},
                          headers={"Accept": "text/tab-separated-values"})
    assert len(not_raised.text.splitlines()) == 1 + 50
    small = http.get("/sparql", params={"query": f"SELECT * {{ GRAPH <{ORGS}> {{ ?s ?p ?o }} }}"},
                     headers={"Accept": "text/csv"})
    assert len(small.text.splitlines()) == 1 + 9
    assert "x-sparql-maxrows" not in small.headers
    graph = http.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }",
                                        "max-rows": "3"},
                     headers={"Accept": "application/n-triples"})
    assert len(graph.text.splitlines()) == 3


def test_bodies_over_the_limit_get_413_and_change_nothing(http, auth):
    before = count(http)
    big = "INSERT DATA { " + " ".join(f"<urn:x:{i}> <urn:x:p> {i} ." for i in range(20000)) + "}"
    response = http.post("/sparql", content=big.encode(),
                         headers={**auth, "Content-Type": "application/sparql-update"})
    assert response.status_code == 413
    assert response.json()["error"]["limit"] == "max_body_bytes"

    def chunks():
        for _ in range(30):
            yield b"#" * 10000

    chunked = http.post("/sparql", content=chunks(),
                        headers={**auth, "Content-Type": "application/sparql-update"})
    assert chunked.status_code == 413
    assert count(http) == before


def test_service_is_off_by_default(http):
    query = f"SELECT * WHERE {{ SERVICE <{http.base_url}sparql> {{ ?s ?p ?o }} }}"
    response = http.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE is disabled" in response.json()["error"]["message"]
    quoted = http.get("/sparql", params={"query": 'SELECT ("SERVICE <x>" AS ?a) {}'})
    assert quoted.status_code == 200


def test_service_when_enabled_calls_only_local_or_allowed_endpoints(tmp_path):
    from tests.web.conftest import start_server

    # two workers: the SERVICE call comes back to this server while one of them waits
    servers = start_server(tmp_path, "--workers", "2",
                           env={"ECOGRAPH_FEDERATION": "1",
                                "ECOGRAPH_FEDERATION_ALLOW": "https://allowed.example/"})
    server = next(servers)
    try:
        with server.client() as client:
            query = (f"SELECT ?o WHERE {{ SERVICE <{server.sparql}> {{ GRAPH <{ORGS}> "
                     "{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } } } ORDER BY ?o")
            local = client.get("/sparql", params={"query": query, "timeout": "20"})
            assert local.status_code == 200, local.text
            assert len(local.json()["results"]["bindings"]) == 3
            remote = client.get("/sparql", params={
                "query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
            assert remote.status_code == 400
            assert "not allowed" in remote.json()["error"]["message"]
            variable = client.get("/sparql", params={
                "query": "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }"})
            assert variable.status_code == 400
            description = client.get("/sparql", headers={"Accept": "text/turtle"}).text
            assert "BasicFederatedQuery" in description
    finally:
        next(servers, None)
