"""Many concurrent runaway queries: each is stopped at the time limit counted from its
arrival, cheap queries still get answers, and the server answers normally afterwards."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib.namespace import RDF, RDFS

from ecograph.store.embedded import OxigraphStore
from ecograph.web.query_cost import is_cheap
from tests.web.conftest import ID as ORGS_ID
from tests.web.conftest import Server, start_server
from tests.web.test_limits import CHEAP, RUNAWAY

LIMIT = 2.0
RUNAWAYS = 6  # three times the workers


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("runaway"), "--workers", "2",
                            "--query-timeout", str(LIMIT))


def test_queued_runaways_are_each_stopped_at_the_limit(busy_server: Server):
    """Regression: the limit counted only once a worker was free, so the sixth runaway on
    two workers answered after 3 × the limit and cheap queries waited as long."""
    def runaway(client: httpx.Client) -> tuple[int, float, str]:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": RUNAWAY})
        return response.status_code, time.monotonic() - started, response.text

    with busy_server.client() as client, \
            concurrent.futures.ThreadPoolExecutor(RUNAWAYS) as pool:
        futures = [pool.submit(runaway, client) for _ in range(RUNAWAYS)]
        time.sleep(0.3)
        cheap = []
        while not all(f.done() for f in futures):
            started = time.monotonic()
            answer = client.get("/sparql", params={"query": CHEAP})
            cheap.append((answer.status_code, time.monotonic() - started))
        results = [f.result() for f in futures]
        after = time.monotonic()
        final = client.get("/sparql", params={"query": CHEAP})
        after = time.monotonic() - after
    for status, seconds, text in results:
        assert status == 503 and "time limit" in text, text
        assert LIMIT - 0.1 < seconds < LIMIT + 1.5, seconds
    assert cheap and all(status in (200, 503) for status, _ in cheap)
    assert max(seconds for _, seconds in cheap) < LIMIT + 1.5
    assert final.status_code == 200 and final.json()["boolean"] is True
    assert after < 1.0


# -- the fast lane: cheap queries keep their latency while runaways hold the general workers

DEEP = "http://example.org/deep#"
CHAIN = 4000  # nodes of the chain the property paths walk: 8 M pairs along :a/:b, 16 M along
#               p|^p (1,500 let (:a/:b)* finish inside 2 s on a quiet machine)
HUB = 1500  # members of one hub: pairs of members are 2.25 M, triples of them 3.4 G
LANE_LIMIT = 0.3
LIMIT_NOW = 2  # the time limit the runaway requests ask for (the server allows 8 s)
ENTITY = "https://w3id.org/ecograph/id/organisation/lane-test"


def _deep_data(path: Path) -> None:
    """A chain for the property paths, a hub for the joins, an entity to dereference."""
    node, edge = (lambda i: ox.NamedNode(f"{DEEP}n{i}")), (lambda n: ox.NamedNode(DEEP + n))
    hub = ox.NamedNode(f"{DEEP}hub")
    quads = [ox.Quad(hub, ox.NamedNode(str(RDF.type)), edge("Hub")),
             ox.Quad(ox.NamedNode(ENTITY), ox.NamedNode(str(RDFS.label)),
                     ox.Literal("Lane test organisation"))]
    for i in range(CHAIN):
        quads += [ox.Quad(node(i), edge("p"), node(i + 1)),
                  ox.Quad(node(i), edge("a"), ox.NamedNode(f"{DEEP}m{i}")),
                  ox.Quad(ox.NamedNode(f"{DEEP}m{i}"), edge("b"), node(i + 1))]
    quads += [ox.Quad(ox.NamedNode(f"{DEEP}h{i}"), edge("in"), hub) for i in range(HUB)]
    graph = ox.NamedNode("https://w3id.org/ecograph/graph/lane-test")
    quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]
    dump = path.with_suffix(".nq")
    dump.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    store = OxigraphStore(path)
    store.load_dataset(dump)
    store.close()


@pytest.fixture(scope="module")
def lane_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """2 general workers, 1 fast-lane worker (0.3 s lane limit), an 8 s time limit (room
    for the misclassified query on a loaded machine; the runaways ask for 2 s)."""
    tmp = tmp_path_factory.mktemp("lanes")
    _deep_data(tmp / "store")
    yield from start_server(tmp, "--workers", "2", "--fast-workers", "1",
                            "--fast-lane-limit", str(LANE_LIMIT), "--query-timeout", "8")


def _timed(client: httpx.Client, path: str, **kwargs: object) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.get(path, **kwargs)  # type: ignore[arg-type]
    return response, time.monotonic() - started


def _restarts(client: httpx.Client) -> int:
    return client.get("/-/health").json()["worker_restarts"]


def test_cheap_queries_keep_their_latency_while_runaways_hold_every_general_worker(
        lane_server: Server):
    """Before the fast lane a cheap query waited for a runaway to be stopped (2.8 s at a
    3 s limit); now it is answered while every general worker still runs a runaway."""
    json_results = {"Accept": "application/sparql-results+json"}
    cheap = [  # each asked with a different max-rows, so no answer comes from the cache
        lambda n: ("/sparql", {"query": f"DESCRIBE <{ENTITY}>", "max-rows": str(100 + n)},
                   {"Accept": "text/turtle"}, "Lane test organisation"),
        lambda n: ("/queries/org-projects", {"org": f"{ORGS_ID}org-tu-delft",
                                             "max-rows": str(100 + n)}, json_results,
                   "LUMEN"),
        lambda n: ("/sparql", {"query": f"SELECT ?label WHERE {{ <{ENTITY}> "
                                        f"<{RDFS.label}> ?label }}",
                               "max-rows": str(100 + n)}, json_results,
                   "Lane test organisation"),
        lambda n: (f"/id/organisation/lane-test.ttl?n={n}", None, {}, "Lane test"),
    ]
    with lane_server.client() as client, concurrent.futures.ThreadPoolExecutor(4) as pool:
        for n in range(-len(cheap), 0):  # warm: the ontology, templates, first parses
            path, params, headers, _ = cheap[n % len(cheap)](n)
            assert client.get(path, params=params, headers=headers).status_code == 200
        runaways = [pool.submit(_timed, client, "/sparql",
                                params={"query": RUNAWAY + f" # {i}", "timeout": LIMIT_NOW})
                    for i in range(4)]  # twice the general workers
        time.sleep(0.4)
        answers = []
        for n in range(8):
            path, params, headers, expected = cheap[n % len(cheap)](n)
            response, seconds = _timed(client, path, params=params, headers=headers)
            answers.append((path, response.status_code, seconds, expected in response.text,
                            any(f.done() for f in runaways)))
        results = [f.result() for f in runaways]
    for path, status, seconds, found, runaway_over in answers:
        assert status == 200 and found, path
        assert not runaway_over, "the runaways ended before the cheap queries: no test"
        assert seconds < 1.0, (path, seconds)
    for response, seconds in results:
        assert response.status_code == 503 and "time limit" in response.text, response.text
        assert LIMIT_NOW - 0.1 < seconds < LIMIT_NOW + 1.5, seconds


def test_a_misclassified_heavy_query_is_run_again_and_answered_right(lane_server: Server):
    """Classified cheap (every pattern anchored, one join), it overruns the 0.3 s lane:
    the lane's worker is replaced and the query answered by a general worker."""
    pairs = (f"PREFIX : <{DEEP}> SELECT (COUNT(*) AS ?n) "
             "WHERE { ?h a :Hub . ?x :in ?h . ?y :in ?h . }")
    assert is_cheap(pairs)
    with lane_server.client() as client:
        before = _restarts(client)
        response, seconds = _timed(client, "/sparql", params={"query": pairs},
                                   headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, (seconds, response.text)
        assert response.json()["results"]["bindings"][0]["n"]["value"] == str(HUB * HUB)
        assert _restarts(client) == before + 1, seconds  # the lane's worker, stopped at 0.3 s
        triples = pairs.replace("?y :in ?h .", "?y :in ?h . ?z :in ?h .")
        assert is_cheap(triples)
        response, seconds = _timed(client, "/sparql", params={"query": triples,
                                                              "timeout": LIMIT_NOW})
        assert response.status_code == 503 and "time limit" in response.text, response.text
        assert LIMIT_NOW - 0.1 < seconds < LIMIT_NOW + 1.5, seconds
        # the same shape with other constants now goes straight to the general workers
        again = triples.replace(":Hub", "<urn:x:Hub>")
        restarts = _restarts(client)
        response, seconds = _timed(client, "/sparql", params={"query": again})
        assert response.status_code == 200, (seconds, response.text)
        assert _restarts(client) == restarts


@pytest.mark.parametrize("path", ["(:p|^:p)*", "(:a/:b)*", "((:p/:p)*|^(:a/:b)+)*"])
def test_deep_property_paths_are_stopped_at_the_limit(lane_server: Server, path: str):
    query = f"PREFIX : <{DEEP}> SELECT (COUNT(*) AS ?n) WHERE {{ ?x {path} ?y }}"
    with lane_server.client() as client:
        response, seconds = _timed(client, "/sparql",
                                   params={"query": query, "timeout": LIMIT_NOW})
        assert response.status_code == 503, response.text
        assert response.json()["error"]["type"] == "QueryTimeoutError"
        assert LIMIT_NOW - 0.1 < seconds < LIMIT_NOW + 1.5, seconds
        after, seconds = _timed(client, "/sparql", params={
            "query": f"ASK {{ <{DEEP}n7> <{DEEP}p> <{DEEP}n8> }} # {path}"})
        assert after.status_code == 200 and after.json()["boolean"] is True
        assert seconds < 1.0
