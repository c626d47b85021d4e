"""Generated SPARQL-ish and RDF-ish input never makes the real server fail (no 5xx).

Hypothesis builds queries, updates, RDF bodies and media types from token soups and from
mutations of valid inputs, and sends them to ``/sparql``, ``/store`` and ``/validate`` on a
running ``ecograph serve``. Every answer is a 2xx or a 4xx (a 503 only for the documented
query time limit), and a refused write leaves the store exactly as it was.
"""

from __future__ import annotations

import os

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.conftest import AUTH, digest
from tests.web.conftest import ORGS

FUZZ = settings(max_examples=int(os.environ.get("ECOGRAPH_FUZZ_EXAMPLES", "100")), deadline=None,
                derandomize=not os.environ.get("ECOGRAPH_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

SPARQL_TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "*", "WHERE", "{", "}", "(", ")", "?s", "?p",
    "?o", "$x", "<http://example.org/a>", "<urn:x:b>", "<", ">", '"lit"', "'x'", '"""',
    "'''", "^^", "@en", "@", "PREFIX", "ex:", "ex:a", ":", "a", ".", ";", ",", "FILTER",
    "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "BIND", "AS", "VALUES", "LIMIT",
    "OFFSET", "-1", "99999999999999999999999", "1e999", "ORDER BY", "GROUP BY", "HAVING",
    "COUNT", "SUM", "REGEX", "STR", "LANG", "+", "*", "/", "|", "^", "!", "?", "#", "\n",
    "\\", "\\u0000", "\x00", "\ud7ff", "é", "BASE", "INSERT", "DELETE", "DATA", "LOAD",
    "CLEAR", "DROP", "CREATE", "ALL", "DEFAULT", "NAMED", "WITH", "USING", "INTO", "SILENT",
    "_:b", "[]", "[", "]", "true", "0", "1.5", "NOT", "EXISTS", "IN", "UNDEF", "FROM",
]
VALID_QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "ASK { ?s a ?type }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = 'ro') }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
]
VALID_UPDATES = [
    f"INSERT DATA {{ GRAPH <{ORGS}> {{ <urn:x:fuzz> <urn:x:p> \"v\" }} }}",
    f"DELETE WHERE {{ GRAPH <{ORGS}> {{ <urn:x:fuzz> ?p ?o }} }}",
]
TURTLE = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a a ex:Thing ; rdfs:label "A"@en, "x"^^<http://www.w3.org/2001/XMLSchema#integer> .
ex:b ex:p ( 1 2.5 true ) ; ex:q [ ex:r _:n ] .
"""
RDF_TOKENS = [
    "@prefix", "@base", "PREFIX", "ex:", "<http://example.org/a>", "<>", "<", ">", "a", ".",
    ";", ",", '"x"', '"""', "'", "@en", "^^", "_:b", "[", "]", "(", ")", "{", "}", "GRAPH",
    "true", "1", "-1.5e3", "#", "\n", "\\", "\\u00", "\x00", "<?xml version='1.0'?>",
    "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>", "</rdf:RDF>",
    "<rdf:Description rdf:about='http://e/x'>", '{"@context":', '"@id"', ":", "null",
    '{"@graph": [', "]}", '"@type"', "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    "&e;",
]
MEDIA_TYPES = [
    "text/turtle", "application/n-triples", "application/n-quads", "application/trig",
    "application/rdf+xml", "application/ld+json", "text/plain", "application/json",
    "text/turtle; charset=latin-1", "application/octet-stream", "text/turtle;;;", "",
    "multipart/form-data", "application/x-www-form-urlencoded",
]

soup = st.lists(st.sampled_from(SPARQL_TOKENS), max_size=30).map(" ".join)
rdf_soup = st.lists(st.sampled_from(RDF_TOKENS), max_size=30).map(" ".join)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A valid input with a few characters deleted, replaced or inserted."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(["", "{", "}", "<", ">", '"', "\\", "\x00", "?", "é",
                                      "\ufffd", " ", ".", "#", "'"]))
        cut = draw(st.integers(0, 3))
        text = text[:at] + piece + text[at + cut:]
    return text


queries = st.one_of(soup, mutated(VALID_QUERIES), st.text(max_size=60))
updates = st.one_of(soup, mutated(VALID_UPDATES), st.text(max_size=60))
rdf_bodies = st.one_of(rdf_soup.map(str.encode), mutated([TURTLE]).map(str.encode),
                       st.binary(max_size=200))


def no_server_error(response: httpx.Response) -> None:
    """A 2xx or 4xx, or the documented 503 of the query time limit."""
    if response.status_code == 503:
        assert "time" in response.text.lower(), response.text
        return
    assert response.status_code < 500, (response.status_code, response.text)


@FUZZ
@given(query=queries)
def test_get_query(hard, query):
    no_server_error(hard.get("/sparql", params={"query": query}))


@FUZZ
@given(query=queries, form=st.booleans())
def test_post_query(hard, query, form):
    if form:
        response = hard.post("/sparql", data={"query": query})
    else:
        response = hard.post("/sparql", content=query.encode("utf-8", "surrogatepass"),
                             headers={"Content-Type": "application/sparql-query"})
    no_server_error(response)


@FUZZ
@given(update=updates, token=st.sampled_from([None, "wrong", "valid"]))
def test_post_update(hard, update, token):
    before = digest(hard)
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    if token == "valid":
        headers = dict(AUTH)
    response = hard.post("/sparql", data={"update": update}, headers=headers)
    no_server_error(response)
    if response.status_code >= 400:
        assert digest(hard) == before, (update, response.text)
    if token != "valid":
        assert response.status_code in (400, 401, 403), response.text
    hard.post("/sparql", data={"update": VALID_UPDATES[1]}, headers=AUTH)  # tidy up


@FUZZ
@given(body=rdf_bodies, media_type=st.sampled_from(MEDIA_TYPES[:6]) | st.sampled_from(MEDIA_TYPES),
       method=st.sampled_from(["PUT", "POST"]), token=st.booleans() | st.just(True))
def test_store_bodies(hard, body, media_type, method, token):
    before = digest(hard)
    headers = {"Content-Type": media_type} if media_type else {}
    if token:
        headers.update(AUTH)
    graph = "urn:x:fuzz-graph"
    response = hard.request(method, "/store", params={"graph": graph}, content=body,
                            headers=headers)
    no_server_error(response)
    if response.status_code >= 400:
        assert digest(hard) == before, (body, response.text)
    if not token:
        assert response.status_code in (401, 403), response.text
    if response.is_success:
        assert hard.delete("/store", params={"graph": graph}, headers=AUTH).status_code == 204


@FUZZ
@given(body=rdf_bodies, media_type=st.sampled_from(MEDIA_TYPES[:6]) | st.sampled_from(MEDIA_TYPES),
       against=st.sampled_from([None, "store"]))
def test_validate_bodies(hard, body, media_type, against):
    before = digest(hard)
    headers = {"Content-Type": media_type} if media_type else {}
    params = {"against": against} if against else {}
    response = hard.post("/validate", params=params, content=body, headers=headers)
    no_server_error(response)
    assert digest(hard) == before


@FUZZ
@given(body=rdf_bodies, media_type=st.sampled_from(MEDIA_TYPES[:6]),
       spec=st.none() | st.fixed_dictionaries({}, optional={
           "add": rdf_soup | mutated([TURTLE]), "remove": rdf_soup,
           "format": st.sampled_from(["turtle", "nt", "trig", "xml", "bogus", ""]),
           "graph": st.sampled_from(["urn:x:g", "not an iri", ORGS, "<>", ""]),
           "message": st.text(max_size=20)}))
def test_change_sets(hard, body, media_type, spec):
    before = digest(hard)
    if spec is None:
        response = hard.post("/changes", content=body, headers={"Content-Type": media_type,
                                                                 **AUTH})
    else:
        response = hard.post("/changes", json=spec, headers=AUTH)
    no_server_error(response)
    if response.status_code >= 400:
        assert digest(hard) == before, response.text


def test_ill_typed_literals_do_not_flood_the_log(hard, hard_server):
    """Regression (fuzzing): rdflib logged a traceback per ill-typed literal in a body."""
    log = hard_server.store.parent / "server.log"
    size = log.stat().st_size
    body = b'<urn:x:a> <urn:x:p> "x"^^<http://www.w3.org/2001/XMLSchema#integer> .\n' * 20
    for _ in range(3):
        response = hard.post("/validate", content=body,
                             headers={"Content-Type": "application/n-triples"})
        no_server_error(response)
    assert "Traceback" not in log.read_text(errors="replace")[size:]


def test_the_server_logged_no_traceback(hard_server):
    """Runs last: nothing above made the server log an unhandled exception."""
    log = (hard_server.store.parent / "server.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
