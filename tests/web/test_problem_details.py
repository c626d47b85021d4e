"""Error answers are RFC 9457 problem details, on the real server.

Each error status the endpoint answers comes as ``application/problem+json`` with ``type``
(an absolute IRI per error kind, served at ``/problems/NAME``), ``title``, ``status``,
``detail`` and ``instance``, the error's extras as extension members, and the deprecated
``error`` object of the shape before. A browser still gets an HTML page; a client asking
only ``application/json`` gets the same problem document (RFC 9457 §3).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from ecograph.tokens import Scope, line_for, new_token
from ecograph.web.errors import HTTPProblem, instance_of, problem_document
from tests.web.conftest import ORGS, TOKEN, Server, count, start_server

PROBLEM_JSON = "application/problem+json"
PROBLEMS = "https://w3id.org/ecograph/problems/"
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n2 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }")
SRC = Path(__file__).resolve().parents[2] / "src" / "ecograph"


def problem_of(answer: httpx.Response, status: int, kind: str, *, echo: bool = True) -> dict:
    """The problem document of *answer*, checked against RFC 9457 and the old shape
    (``instance`` being the request path, or absent when the answer must not *echo* it)."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].split(";")[0] == PROBLEM_JSON
    body = answer.json()
    assert body["type"] == PROBLEMS + kind
    assert urlsplit(body["type"]).scheme == "https" and urlsplit(body["type"]).netloc
    assert body["status"] == status and isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    if echo:
        assert body["instance"] == urlsplit(str(answer.request.url)).path
    else:
        assert "instance" not in body
        assert urlsplit(str(answer.request.url)).path not in answer.text
    legacy = body["error"]
    assert legacy["status"] == status and legacy["type"] == kind
    assert legacy["title"] == body["title"] and legacy["message"] == body["detail"]
    return body


def test_a_syntax_error_is_400_with_its_line_and_column(http):
    answer = http.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p }"})
    body = problem_of(answer, 400, "QuerySyntaxError")
    assert body["title"] == "Bad Request"
    assert body["line"] == 2 and body["column"] >= 1
    assert (body["error"]["line"], body["error"]["column"]) == (body["line"], body["column"])
    assert "Vary" in answer.headers and "Accept" in answer.headers["vary"]


def test_a_write_without_a_token_is_401(http):
    answer = http.post("/sparql", data={"update": f"CLEAR GRAPH <{ORGS}>"})
    problem_of(answer, 401, "Unauthorized")
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_unknown_paths_and_named_queries_are_404(http):
    body = problem_of(http.get("/no/such/thing"), 404, "NotFound")
    assert body["instance"] == "/no/such/thing"
    problem_of(http.get("/queries/no-such-query"), 404, "UnknownQueryError")


def test_nothing_acceptable_is_406_listing_the_offers(http):
    answer = http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    # image/png is not offered for the error either: it is served as problem+json
    body = problem_of(answer, 406, "NotAcceptable")
    assert "application/sparql-results+json" in body["offered"]
    assert body["offered"] == body["error"]["offered"]


def test_a_body_over_the_limit_is_413(http, auth):
    answer = http.post("/sparql", content=b"#" * 200_001,
                       headers={**auth, "Content-Type": "application/sparql-update"})
    body = problem_of(answer, 413, "ContentTooLarge")
    assert body["limit"] == "max_body_bytes" and "200000 bytes" in body["detail"]


def test_a_body_of_the_wrong_type_is_415(http):
    answer = http.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    problem_of(answer, 415, "UnsupportedMediaType")


def test_a_shacl_violation_is_422_with_the_report_as_extension_members(http, auth):
    before = count(http)
    change = {"add": "<https://w3id.org/ecograph/id/org-unnamed> a "
                     "<https://w3id.org/ecograph/ontology#Organisation> .", "graph": ORGS}
    answer = http.post("/changes", content=json.dumps(change),
                       headers={**auth, "Content-Type": "application/json"})
    body = problem_of(answer, 422, "ValidationFailedError")
    assert body["title"] == "Unprocessable Content"
    assert body["accepted"] is False and body["counts"]["Violation"] >= 1
    assert [g["node"] for g in body["focusNodes"]] == [
        "https://w3id.org/ecograph/id/org-unnamed"]
    assert count(http) == before


def test_a_query_past_the_time_limit_is_503(http):
    answer = http.get("/sparql", params={"query": RUNAWAY, "timeout": "0.5"})
    body = problem_of(answer, 503, "QueryTimeoutError")
    assert body["limit"] == "query_timeout" and body["seconds"] == 0.5


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", PROBLEM_JSON,
                                    "application/json;q=0.5, application/problem+json",
                                    "text/html;q=0.2, application/json"])
def test_programs_get_problem_json_however_they_ask(http, accept):
    headers = {"Accept": accept} if accept else {}
    answer = http.get("/changes/no-such-change", headers=headers)
    body = problem_of(answer, 404, "UnknownChange")
    assert json.loads(answer.content) == body  # a plain JSON parser reads it


def test_a_browser_still_gets_a_page(http):
    answer = http.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p }"},
                      headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert "400 Bad Request" in answer.text and "At line 2" in answer.text
    assert answer.headers["x-frame-options"] == "DENY"


@pytest.fixture(scope="module")
def scoped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A private, writable server whose tokens file holds a read-only token (and the
    single --token, which may write)."""
    tmp = tmp_path_factory.mktemp("scoped")
    reader = new_token()
    (tmp / "tokens.txt").write_text(line_for(reader, "reader", Scope.READ) + "\n")
    (tmp / "tokens.txt").chmod(0o600)
    yield from ((server, reader) for server in start_server(
        tmp, "--private", "--writable", "--tokens", str(tmp / "tokens.txt"), "--token", TOKEN,
        "--workers", "1"))


def test_a_token_without_the_scope_is_403_naming_it(scoped):
    server, reader = scoped
    with server.client(headers={"Authorization": f"Bearer {reader}"}) as client:
        before = count(client, ORGS)
        answer = client.post("/sparql", data={"update": f"CLEAR GRAPH <{ORGS}>"})
        assert before > 0 and count(client, ORGS) == before
    body = problem_of(answer, 403, "InsufficientScope")
    assert body["scope"] == "write" and "'write' scope" in body["detail"]
    assert 'error="insufficient_scope"' in answer.headers["www-authenticate"]


def test_a_private_server_refuses_reads_as_problem_details(scoped):
    server, _ = scoped
    with server.client() as client:
        answer = client.get("/-/dumps/graph/test-organisations.ttl")
    problem_of(answer, 401, "Unauthorized", echo=False)
    assert answer.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("name,status", [("QuerySyntaxError", 400), ("InsufficientScope", 403),
                                         ("ContentTooLarge", 413), ("NotFound", 404),
                                         ("ValidationFailedError", 422),
                                         ("QueryTimeoutError", 503)])
def test_each_type_iri_dereferences_on_the_server(http, name, status):
    as_json = http.get(f"/problems/{name}")
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    kind = as_json.json()
    assert kind["type"] == PROBLEMS + name and kind["status"] == status and kind["description"]
    page = http.get(f"/problems/{name}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f"<h1>{name}</h1>" in page.text and f"HTTP {status}" in page.text


def test_the_problem_list_names_every_kind_the_code_answers_with(http):
    listed = {k["name"]: k for k in http.get("/problems").json()["problems"]}
    named = set()
    for path in SRC.rglob("*.py"):
        named |= set(re.findall(r'type_="(\w+)"', path.read_text()))
    assert named and named <= set(listed), named - set(listed)
    assert listed["ChangeConflictError"]["status"] == 409
    unknown = http.get("/problems/NoSuchProblem")
    problem_of(unknown, 404, "NotFound")
    refused = problem_of(http.get("/problems/NotFound", headers={"Accept": "image/png"}),
                         406, "NotAcceptable")
    assert refused["offered"] == ["application/json", "text/html"]



def test_instance_is_the_path_as_sent_percent_encoded():
    assert instance_of({"raw_path": b"/id/a%20b", "path": "/id/a b"}) == "/id/a%20b"
    assert instance_of({"path": "/id/a b"}) == "/id/a%20b"
    assert instance_of({"raw_path": b"/sparql?query=x", "path": "/sparql"}) == "/sparql"


def test_an_extra_never_overwrites_a_member_of_rfc_9457():
    problem = HTTPProblem(400, "bad", type_="BadParameter", detail="sneaky", graph="urn:g")
    body = problem_document(problem, "/store")
    assert body["detail"] == "bad" and body["graph"] == "urn:g"
    assert body["type"] == PROBLEMS + "BadParameter" and body["instance"] == "/store"
