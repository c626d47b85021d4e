"""``LOAD`` when federation is on: only http(s) IRIs under the allow-list are fetched.

Two local listeners serve the same Turtle document; the allow-list names one of them.
``LOAD`` from the allowed one stores its triples (through the same gate as every write);
from the other, or from a path outside the allowed prefix, or by a redirect out of it,
or from a ``file:`` IRI, it is refused with 400 and the refused listener receives no
request. Federation off: ``tests/hardening/test_security.py``
(``test_service_and_load_are_off_by_default``).
"""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.hardening.conftest import AUTH
from tests.serving import serving_http
from tests.web.conftest import TOKEN, Server, start_server

TURTLE = b'<http://example.org/loaded#a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\n'
GRAPH = "https://w3id.org/ecograph/graph/loaded"


@contextmanager
def listening(redirect_to: str | None = None) -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording its requests; it serves TURTLE (or redirects)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            if redirect_to is not None and self.path.endswith("/away"):
                self.send_response(302)
                self.send_header("Location", redirect_to)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(TURTLE)))
            self.end_headers()
            self.wfile.write(TURTLE)

        def log_message(self, *args: object) -> None:
            pass

    with serving_http(Handler) as url:
        yield url, hits


@pytest.fixture(scope="module")
def listeners() -> Iterator[tuple[tuple[str, list[str]], tuple[str, list[str]]]]:
    with listening() as refused, listening(redirect_to=f"{refused[0]}/x.ttl") as allowed:
        yield allowed, refused


@pytest.fixture(scope="module")
def federated(tmp_path_factory: pytest.TempPathFactory, listeners) -> Iterator[Server]:
    (allowed, _), _ = listeners
    yield from start_server(tmp_path_factory.mktemp("load"), "--writable", "--token", TOKEN,
                            "--workers", "1", "--fast-workers", "0",
                            env={"ECOGRAPH_FEDERATION": "1",
                                 "ECOGRAPH_FEDERATION_ALLOW": f"{allowed}/data/"})


def _labels(client: httpx.Client) -> list[str]:
    response = client.get("/sparql", params={
        "query": f"SELECT ?l WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?l }} }}"},
        headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [b["l"]["value"] for b in response.json()["results"]["bindings"]]


def test_load_fetches_only_from_the_allow_list(federated: Server, listeners):
    (allowed, allowed_hits), (refused, refused_hits) = listeners
    with federated.client() as client:
        response = client.post("/sparql", headers=AUTH, data={
            "update": f"LOAD <{allowed}/data/x.ttl> INTO GRAPH <{GRAPH}>"})
        assert response.status_code == 204, response.text
        assert allowed_hits == ["/data/x.ttl"]
        assert _labels(client) == ["A"]
        for update in [f"LOAD <{refused}/data/x.ttl> INTO GRAPH <{GRAPH}>",
                       f"LOAD SILENT <{refused}/x.ttl>",
                       f"load <{allowed}/private/x.ttl> into graph <{GRAPH}>",
                       f"LOAD <file:///etc/passwd> INTO GRAPH <{GRAPH}>",
                       "LOAD <ftp://127.0.0.1/x.ttl>",
                       f"LOAD <{allowed}/data/../private/x.ttl> INTO GRAPH <{GRAPH}>",
                       f"LOAD <{allowed}/data/%2E%2E/private/x.ttl> INTO GRAPH <{GRAPH}>",
                       f"PREFIX r: <{allowed}/data/> LOAD r:x.ttl"]:
            response = client.post("/sparql", headers=AUTH, data={"update": update})
            assert response.status_code == 400, (update, response.text)
        assert refused_hits == [] and allowed_hits == ["/data/x.ttl"]
        # an allowed IRI redirecting elsewhere: not followed, the other side never asked
        response = client.post("/sparql", headers=AUTH, data={
            "update": f"LOAD <{allowed}/data/away> INTO GRAPH <{GRAPH}>"})
        assert response.status_code == 400 and "302" in response.text, response.text
        assert allowed_hits == ["/data/x.ttl", "/data/away"]
        assert refused_hits == []
        assert _labels(client) == ["A"]
