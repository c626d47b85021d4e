"""Fixtures for the hardening suites: the real ``ecograph serve`` and a store snapshot.

The server is the endpoint suite's (``tests.web.conftest.start_server``: a small store on
disk, a project folder, a free port on 127.0.0.1), writable with ``TOKEN``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
import pytest

from tests.web.conftest import TOKEN, Server, start_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}

_ALL = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def digest(client: httpx.Client) -> tuple[int, str]:
    """The number of quads in the store and a hash of them all, asked over HTTP."""
    response = client.post("/sparql", data={"query": _ALL},
                           headers={"Accept": "text/tab-separated-values"})
    assert response.status_code == 200, response.text
    rows = sorted(response.text.splitlines()[1:])
    return len(rows), hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def hard_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A writable server (token ``TOKEN``), time limit 3 s, 2 workers; logs in server.log."""
    yield from start_server(tmp_path_factory.mktemp("hardening"), "--writable", "--token",
                            TOKEN, "--query-timeout", "3", "--workers", "2",
                            env={"ECOGRAPH_MAX_BODY_BYTES": "200000"})


@pytest.fixture
def hard(hard_server: Server) -> Iterator[httpx.Client]:
    with hard_server.client() as client:
        yield client
