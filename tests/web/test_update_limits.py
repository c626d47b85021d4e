"""Updates have limits: a runaway update is stopped at ``update_timeout`` with 503 and an
update adding more than ``max_update_triples`` is refused with 413; either way the store
is exactly as before (same dump), and the server goes on answering and accepting writes.

Runs its own real ``ecograph serve`` (2 s update limit, at most 10 added triples).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.web.conftest import ORG_TRIPLES, PROJECT_TRIPLES, TOKEN, Server, count, start_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TARGET = "urn:x:limits"
#: Eight unconstrained patterns over the 18 stored triples: 18⁸ ≈ 10¹⁰ solutions, hours.
#: (An update's WHERE reads the store's own default graph, so the patterns name graphs.)
RUNAWAY = ("INSERT { GRAPH <" + TARGET + "> { ?a0 ?b0 ?c0 } } WHERE { "
           + " . ".join(f"GRAPH ?g{i} {{ ?a{i} ?b{i} ?c{i} }}" for i in range(8)) + " }")


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("limits"), "--writable", "--token", TOKEN,
                            "--workers", "2",
                            env={"ECOGRAPH_TOKEN": TOKEN, "ECOGRAPH_UPDATE_TIMEOUT": "2",
                                 "ECOGRAPH_MAX_UPDATE_TRIPLES": "10"})


@pytest.fixture
def client(limited: Server) -> Iterator[httpx.Client]:
    with limited.client() as http:
        yield http


def dump_hash(client: httpx.Client) -> str:
    response = client.get("/-/dumps/dataset.nq")
    assert response.status_code == 200, response.text
    return hashlib.sha256(response.content).hexdigest()


def update(client: httpx.Client, text: str) -> httpx.Response:
    return client.post("/sparql", data={"update": text}, headers=AUTH)


def test_a_runaway_update_is_stopped_with_503_and_changes_nothing(client: httpx.Client) -> None:
    before = dump_hash(client)
    start = time.monotonic()
    response = update(client, RUNAWAY)
    elapsed = time.monotonic() - start
    assert response.status_code == 503, response.text
    error = response.json()["error"]
    assert error["type"] == "UpdateTimeoutError"
    assert (error["limit"], error["seconds"]) == ("update_timeout", 2)
    assert "nothing was changed" in error["message"]
    assert elapsed < 30  # stopped at the limit: the update itself would run for hours
    assert dump_hash(client) == before
    # the server answers and accepts writes after the killed worker is replaced
    assert count(client) == ORG_TRIPLES + PROJECT_TRIPLES
    ok = update(client, f"INSERT DATA {{ GRAPH <{TARGET}> {{ <urn:x:a> <urn:x:p> 1 }} }}")
    assert ok.status_code == 204, ok.text
    assert count(client, TARGET) == 1
    assert update(client, f"DROP GRAPH <{TARGET}>").status_code == 204


def test_an_update_adding_too_much_is_refused_with_413(client: httpx.Client) -> None:
    before = dump_hash(client)
    copy_all = (f"INSERT {{ GRAPH <{TARGET}> {{ ?s <urn:x:copy> ?o }} }} "
                f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    response = update(client, copy_all)
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["type"] == "UpdateTooLarge"
    assert (error["limit"], error["maximum"]) == ("max_update_triples", 10)
    assert error["triples"] == ORG_TRIPLES + PROJECT_TRIPLES
    assert dump_hash(client) == before
    # within the bound, the same kind of update goes through, with its WHERE evaluated
    labels = ("INSERT { GRAPH <" + TARGET + "> { ?s <urn:x:label> ?l } } WHERE { "
              "GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
    assert update(client, labels).status_code == 204
    assert count(client, TARGET) == 3
    assert update(client, f"DROP GRAPH <{TARGET}>").status_code == 204


def test_a_dry_run_of_a_runaway_update_is_stopped_too(client: httpx.Client) -> None:
    before = dump_hash(client)
    response = client.post("/sparql?dry-run=true", data={"update": RUNAWAY}, headers=AUTH)
    assert response.status_code == 503, response.text
    assert response.json()["error"]["type"] == "UpdateTimeoutError"
    assert dump_hash(client) == before
