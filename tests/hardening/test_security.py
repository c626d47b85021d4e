"""Security over HTTP on the real server: tokens, logs, CORS, federation, injection, headers.

Writes need the server's bearer token and a refused write changes nothing; the token never
reaches the server's log; CORS headers go with reads only; ``SERVICE`` and ``LOAD`` are
refused by default (and no request leaves the server); values bound into named queries
cannot change the query; HTML pages carry the security headers.
"""

from __future__ import annotations

import http.server
from collections.abc import Iterator

import pytest

from tests.hardening.conftest import AUTH, digest
from tests.serving import serving_http
from tests.web.conftest import ORGS, TOKEN

INSERT = f'INSERT DATA {{ GRAPH <{ORGS}> {{ <urn:x:sec> <urn:x:p> "v" }} }}'
TURTLE = b'<urn:x:sec> <urn:x:p> "v" .\n'
ORIGIN = {"Origin": "https://elsewhere.example"}
WRONG = [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
         {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Bearer {TOKEN[:-1]}"},
         {"Authorization": "Bearer"}]
WRITES = [
    ("POST", "/sparql", {"data": {"update": INSERT}}),
    ("PUT", "/store", {"params": {"graph": "urn:x:g"}, "content": TURTLE,
                       "headers": {"Content-Type": "text/turtle"}}),
    ("POST", "/store", {"params": {"graph": ORGS}, "content": TURTLE,
                        "headers": {"Content-Type": "text/turtle"}}),
    ("DELETE", "/store", {"params": {"graph": ORGS}}),
    ("POST", "/changes", {"params": {"graph": "urn:x:g"}, "content": TURTLE,
                          "headers": {"Content-Type": "text/turtle"}}),
]


def send(client, method, path, kwargs, headers):
    kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), **headers}}
    return client.request(method, path, **kwargs)


@pytest.mark.parametrize("headers", WRONG)
@pytest.mark.parametrize(("method", "path", "kwargs"), WRITES)
def test_writes_need_the_token(hard, method, path, kwargs, headers):
    before = digest(hard)
    response = send(hard, method, path, kwargs, headers)
    assert response.status_code == 401, response.text
    assert "Bearer" in response.headers["www-authenticate"]
    assert digest(hard) == before


def test_the_token_never_reaches_the_log(hard, hard_server):
    good = send(hard, "POST", "/sparql", {"data": {"update": INSERT}}, AUTH)
    assert good.status_code == 204, good.text
    for method, path, kwargs in WRITES:
        send(hard, method, path, kwargs, {"Authorization": f"Bearer {TOKEN}-guess"})
    hard.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p '{TOKEN}' }}"})
    hard.get("/nowhere", headers=AUTH)
    log = (hard_server.store.parent / "server.log").read_text(errors="replace")
    assert log.strip(), "the server logged nothing: the check would be empty"
    assert TOKEN not in log


@pytest.mark.parametrize(("method", "path", "kwargs"), [
    ("GET", "/sparql", {"params": {"query": "ASK {}"}}),
    ("POST", "/sparql", {"data": {"query": "ASK {}"}}),
    ("GET", "/store", {"params": {"graph": ORGS}}),
    ("POST", "/validate", {"content": TURTLE, "headers": {"Content-Type": "text/turtle"}}),
])
def test_reads_answer_any_origin(hard, method, path, kwargs):
    response = send(hard, method, path, kwargs, ORIGIN)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(("method", "path", "kwargs"), WRITES)
def test_writes_get_no_cors_headers(hard, method, path, kwargs):
    answer = send(hard, method, path, kwargs, {**ORIGIN, **AUTH})
    assert answer.status_code < 500, answer.text
    assert not [h for h in answer.headers if h.lower().startswith("access-control")]
    refused = send(hard, method, path, kwargs, ORIGIN)
    assert refused.status_code == 401
    assert not [h for h in refused.headers if h.lower().startswith("access-control")]
    preflight = hard.options(path, headers={**ORIGIN, "Access-Control-Request-Method": method,
                                            "Access-Control-Request-Headers":
                                                "authorization, content-type"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.headers["content-type"].startswith("application/problem+json")
    assert preflight.json()["type"].endswith("/problems/CORSRefused")
    hard.post("/sparql", data={"update": "DELETE WHERE { GRAPH ?g { <urn:x:sec> ?p ?o } }"
                                         }, headers=AUTH)


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording every request it gets (it should get none)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    with serving_http(Handler) as url:
        yield url, hits


def test_service_and_load_are_off_by_default(hard, listener):
    url, hits = listener
    before = digest(hard)
    queries = [f"SELECT * WHERE {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ service silent <{url}/b> {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ SERVICE#comment\n<{url}/c> {{ ?s ?p ?o }} }}",
               f"PREFIX r: <{url}/> SELECT * WHERE {{ SERVICE r:d {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ BIND(<{url}/e> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ SERV\\u0049CE <{url}/f> {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ SERVICE \\u003c{url}/g> {{ ?s ?p ?o }} }}"]
    for query in queries:
        response = hard.get("/sparql", params={"query": query})
        assert response.status_code == 400, (query, response.text)
    updates = [f"LOAD <{url}/h>", f"LOAD SILENT <{url}/i> INTO GRAPH <urn:x:g>",
               f"INSERT {{ GRAPH <urn:x:g> {{ ?s ?p ?o }} }} WHERE "
               f"{{ SERVICE <{url}/j> {{ ?s ?p ?o }} }}"]
    for update in updates:
        response = hard.post("/sparql", data={"update": update}, headers=AUTH)
        assert response.status_code == 400, (update, response.text)
    assert hits == []
    assert digest(hard) == before


@pytest.mark.parametrize("value", [
    "id:org-tu-delft> } UNION { ?project ?p ?title",
    "<https://w3id.org/ecograph/id/org-tu-delft> } ; DROP ALL ; SELECT * { ?s ?p ?o",
    "https://w3id.org/ecograph/id/x> . ?project ?any ?title } #",
    "}", ">", "<>", "\"x\"", "?title", "id:a id:b", "id:x\n}", "<urn:x:a>\\u003e }",
])
def test_named_query_parameters_cannot_inject(hard, value):
    before = digest(hard)
    response = hard.get("/queries/org-projects", params={"org": value},
                        headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 400, (value, response.text)
    assert digest(hard) == before


@pytest.mark.parametrize("value", ["RO\" } UNION { ?s ?p ?o } #", "RO'", "\\", "RO\"@en"])
def test_named_query_literals_are_escaped(hard, value):
    response = hard.get("/queries/organisations", params={"country": value},
                        headers={"Accept": "application/sparql-results+json"})
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        assert response.json()["results"]["bindings"] == []


@pytest.mark.parametrize(("path", "status"), [
    ("/sparql", 200), ("/-/search?q=delft", 200), ("/ontology", 200),
    ("/id/org-tu-delft", 400), ("/id/organisation/nowhere", 404), ("/nowhere", 404)])
def test_html_pages_carry_security_headers(hard, path, status):
    """Regression: the query page and the error pages had none of these headers."""
    response = hard.get(path, headers={"Accept": "text/html"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"] or \
        response.headers["x-frame-options"] == "DENY"
