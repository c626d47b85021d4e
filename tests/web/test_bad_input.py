"""Bad requests get the status the specifications name and a message, and change nothing."""

from __future__ import annotations

import pytest

from tests.web.conftest import ORGS, count

INSERT = f"INSERT DATA {{ GRAPH <{ORGS}> {{ <urn:x:bad> <urn:x:p> 1 }} }}"


@pytest.fixture
def unchanged(http):
    """Check after the test that the data was not changed."""
    before = count(http)
    yield
    assert count(http) == before


def error_of(response, status):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    return error


def test_unknown_parameter(http, unchanged):
    error = error_of(http.get("/sparql", params={"query": "ASK {}", "qeury": "x"}), 400)
    assert "qeury" in error["message"]


def test_both_query_and_update(http, auth, unchanged):
    response = http.post("/sparql", data={"query": "ASK {}", "update": INSERT}, headers=auth)
    assert "not both" in error_of(response, 400)["message"]


def test_update_on_get(http, auth, unchanged):
    response = http.get("/sparql", params={"update": INSERT}, headers=auth)
    assert "POST" in error_of(response, 400)["message"]


def test_two_queries(http, unchanged):
    response = http.get("/sparql", params={"query": ["ASK {}", "ASK {}"]})
    assert "2 times" in error_of(response, 400)["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/json",
                                          "application/sparql-results+json"])
def test_wrong_content_type(http, auth, content_type, unchanged):
    response = http.post("/sparql", content=INSERT.encode(),
                         headers={**auth, "Content-Type": content_type})
    assert content_type in error_of(response, 415)["message"]


def test_missing_content_type(http, auth, unchanged):
    response = http.post("/sparql", content=b"update=" + INSERT.encode(), headers=auth)
    assert "Content-Type" in error_of(response, 415)["message"]


def test_non_utf8_bodies(http, auth, unchanged):
    latin1 = 'SELECT ("Iaşi" AS ?x) {}'.encode("latin-1", errors="replace").replace(b"?", b"\xe9")
    for content_type in ("application/sparql-query", "application/sparql-update"):
        response = http.post("/sparql", content=latin1, headers={**auth,
                                                                 "Content-Type": content_type})
        assert "UTF-8" in error_of(response, 400)["message"]
    form = http.post("/sparql", content=b"query=ASK%20%7B%7D%E9",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "UTF-8" in error_of(form, 400)["message"]
    declared = http.post("/sparql", content=b"ASK {}", headers={
        "Content-Type": "application/sparql-query; charset=iso-8859-1"})
    assert "iso-8859-1" in error_of(declared, 415)["message"]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_query_and_update(http, auth, text, unchanged):
    assert "empty" in error_of(http.get("/sparql", params={"query": text}), 400)["message"]
    response = http.post("/sparql", data={"update": text}, headers=auth)
    assert "empty" in error_of(response, 400)["message"]


@pytest.mark.parametrize("graph", ["not an iri", "relative/path", "<http://x>", "http://a b"])
def test_graph_iri_that_is_not_an_iri(http, auth, graph, unchanged):
    query = http.get("/sparql", params={"query": "ASK {}", "default-graph-uri": graph})
    assert "not an absolute IRI" in error_of(query, 400)["message"]
    update = http.post("/sparql", data={"update": INSERT, "using-graph-uri": graph},
                       headers=auth)
    error_of(update, 400)
    store = http.put("/store", params={"graph": graph}, content=b"",
                     headers={**auth, "Content-Type": "text/turtle"})
    assert "not an absolute IRI" in error_of(store, 400)["message"]


def test_missing_token(http, unchanged):
    response = http.post("/sparql", data={"update": INSERT})
    assert "Bearer" in error_of(response, 401)["message"]
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_wrong_token(http, unchanged):
    response = http.post("/sparql", data={"update": INSERT},
                         headers={"Authorization": "Bearer not-the-token"})
    error_of(response, 401)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    basic = http.post("/sparql", data={"update": INSERT},
                      headers={"Authorization": "Basic dXNlcjpwYXNz"})
    error_of(basic, 401)


def test_writes_off_by_default(readonly_server, auth):
    with readonly_server.client() as client:
        before = count(client)
        response = client.post("/sparql", data={"update": INSERT}, headers=auth)
        assert "--writable" in error_of(response, 403)["message"]
        put = client.put("/store", params={"graph": ORGS}, content=b"",
                         headers={**auth, "Content-Type": "text/turtle"})
        error_of(put, 403)
        assert client.delete("/store", params={"graph": ORGS}, headers=auth).status_code == 403
        assert count(client) == before
        description = client.get("/sparql", headers={"Accept": "text/turtle"}).text
        assert "SPARQL11Update" not in description


def test_malformed_update_changes_nothing(http, auth, unchanged):
    text = INSERT + " ; DELETE WHERE { ?s ?p }"
    error = error_of(http.post("/sparql", data={"update": text}, headers=auth), 400)
    assert error["type"] == "QuerySyntaxError" and error["line"] == 1


def test_dataset_conflict_in_update(http, auth, unchanged):
    text = (f"WITH <{ORGS}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}")
    response = http.post("/sparql", data={"update": text, "using-graph-uri": ORGS},
                         headers=auth)
    assert "USING or WITH" in error_of(response, 400)["message"]


def test_query_parameters_on_an_update_and_the_reverse(http, auth, unchanged):
    update = http.post("/sparql", data={"update": INSERT, "default-graph-uri": ORGS},
                       headers=auth)
    assert "using-graph-uri" in error_of(update, 400)["message"]
    query = http.get("/sparql", params={"query": "ASK {}", "using-graph-uri": ORGS})
    assert "default-graph-uri" in error_of(query, 400)["message"]


def test_other_methods_are_405(http, unchanged):
    response = http.put("/sparql", content=b"ASK {}",
                        headers={"Content-Type": "application/sparql-query"})
    error_of(response, 405)


def test_bad_limits(http, unchanged):
    for params in ({"timeout": "-1"}, {"timeout": "soon"}, {"max-rows": "many"},
                   {"timeout": "inf"}):
        error_of(http.get("/sparql", params={"query": "ASK {}", **params}), 400)


def test_unknown_format_name(http, unchanged):
    response = http.get("/sparql", params={"query": "ASK {}", "format": "yaml"})
    assert "yaml" in error_of(response, 400)["message"]
