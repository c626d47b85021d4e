"""Finding the update and Graph Store endpoints and the union mode of a SPARQL server."""

from __future__ import annotations

import pytest

from ecograph.errors import StoreError
from ecograph.store import open_store
from ecograph.store.discovery import family_of, layout
from ecograph.store.remote import RemoteStore
from ecograph.store.sparql_text import declares_dataset, query_form
from tests.store.conftest import OxigraphServer
from tests.store.servers import Reply, Seen, serving

SELECT_NONE = Reply(200, "application/sparql-results+json",
                    b'{"head":{"vars":["g"]},"results":{"bindings":[]}}')


@pytest.mark.parametrize(("server", "path", "family", "update", "gsp"), [
    ("Oxigraph/0.5.13", "/query", "oxigraph", "http://h:7878/update", "http://h:7878/store"),
    ("", "/query", "oxigraph", "http://h:7878/update", "http://h:7878/store"),
    ("Apache Jena Fuseki (5.1.0)", "/ds/query", "fuseki", "http://h:7878/ds/update",
     "http://h:7878/ds/data"),
    ("", "/ds/sparql", "fuseki", "http://h:7878/ds/update", "http://h:7878/ds/data"),
    ("Virtuoso/07.20.3229 (Linux)", "/sparql", "virtuoso", "http://h:7878/sparql",
     "http://h:7878/sparql-graph-crud"),
    ("", "/repositories/eco", "rdf4j", "http://h:7878/repositories/eco/statements",
     "http://h:7878/repositories/eco/rdf-graphs/service"),
    ("QLever", "/", "qlever", "http://h:7878", None),
    ("nginx", "/endpoint", "generic", None, None),
])
def test_known_server_layouts(server: str, path: str, family: str, update: str | None,
                              gsp: str | None) -> None:
    assert family_of(server, set(), path) == family
    assert layout(family, f"http://h:7878{path}") == (update, gsp)


def test_fuseki_is_told_by_its_request_id_header() -> None:
    assert family_of("Jetty", {"fuseki-request-id"}, "/x/sparql") == "fuseki"


def test_the_real_oxigraph_server_is_recognised(oxigraph_server: OxigraphServer) -> None:
    store = RemoteStore.from_location(oxigraph_server.location_url)
    found = store.endpoints
    assert (found.family, found.union) == ("oxigraph", "param")
    assert found.update == f"{oxigraph_server.url}/update"
    assert found.gsp == f"{oxigraph_server.url}/store"
    assert "SPARQL11Query" in found.features


def test_a_service_description_gives_update_and_union(monkeypatch: pytest.MonkeyPatch) -> None:
    description = (b"@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
                   b"[] a sd:Service ; sd:endpoint <> ; sd:feature sd:UnionDefaultGraph ;\n"
                   b"   sd:supportedLanguage sd:SPARQL11Query, sd:SPARQL11Update .\n")

    def reply(seen: Seen) -> Reply:
        if seen.method == "GET":
            return Reply(200, "text/turtle", description)
        return SELECT_NONE

    with serving(reply) as srv:
        store = RemoteStore(f"{srv.url}/endpoint")
        assert store.endpoints.union == "server"
        assert store.endpoints.update == f"{srv.url}/endpoint"
        assert store.endpoints.gsp is None
        store.query("SELECT ?g WHERE { ?g ?p ?o }")
        sent = srv.seen[-1]
        assert "default-graph-uri" not in sent.form and "union-default-graph" not in sent.path


def test_explicit_union_sends_every_graph_as_the_dataset() -> None:
    graphs = (b'{"head":{"vars":["g"]},"results":{"bindings":['
              b'{"g":{"type":"uri","value":"http://g/b"}},'
              b'{"g":{"type":"uri","value":"http://g/a"}}]}}')

    def reply(seen: Seen) -> Reply:
        if seen.method == "GET":
            return Reply(404)
        if "GRAPH ?g" in seen.form["query"][0]:
            return Reply(200, "application/sparql-results+json", graphs)
        return SELECT_NONE

    with serving(reply) as srv:
        store = RemoteStore(f"{srv.url}/endpoint")
        assert store.endpoints.union == "explicit"
        store.query("SELECT ?s WHERE { ?s ?p ?o }")
        sent = srv.seen[-1].form
        assert sent["default-graph-uri"] == ["http://g/a", "http://g/b"]
        assert sent["named-graph-uri"] == ["http://g/a", "http://g/b"]
        store.query("SELECT ?s FROM <http://g/a> WHERE { ?s ?p ?o }")
        assert "default-graph-uri" not in srv.seen[-1].form  # the query's own dataset rules


def test_the_environment_overrides_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(lambda seen: Reply(404) if seen.method == "GET" else Reply(204)) as srv:
        monkeypatch.setenv("ECOGRAPH_UPDATE_URL", f"{srv.url}/my-update")
        monkeypatch.setenv("ECOGRAPH_GSP_URL", f"{srv.url}/my-gsp")
        monkeypatch.setenv("ECOGRAPH_REMOTE_UNION", "server")
        store = RemoteStore(f"{srv.url}/query")
        assert store.endpoints.found["update"] == "ECOGRAPH_UPDATE_URL"
        assert (store.endpoints.gsp, store.endpoints.union) == (f"{srv.url}/my-gsp", "server")
        store.update("CLEAR ALL")
        assert srv.seen[-1].path == "/my-update" and srv.seen[-1].body == b"CLEAR ALL"
        assert srv.seen[-1].headers["content-length"] == "9"


def test_bad_settings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StoreError, match="sparql"):
        open_store("sparql+ftp://example.org/")
    with pytest.raises(StoreError, match="SPARQL endpoint URL"):
        RemoteStore("http:///query")
    monkeypatch.setenv("ECOGRAPH_REMOTE_AUTH", "digest secret-value")
    with pytest.raises(StoreError) as caught:
        RemoteStore("http://127.0.0.1:1/query")
    assert "secret-value" not in str(caught.value)


@pytest.mark.parametrize(("text", "form", "dataset"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
    ("PREFIX ask: <http://x/construct#>\nDESCRIBE <http://x/from>", "DESCRIBE", False),
    ("# SELECT FROM\nASK FROM NAMED <http://g> { GRAPH ?g {} }", "ASK", True),
    ('CONSTRUCT WHERE { ?s ?p """FROM\nSELECT""" }', "CONSTRUCT", False),
    ("select ?x from <http://g> where {}", "SELECT", True),
    ("SELECT ?from WHERE { ?from ex:from $from }", "SELECT", False),
])
def test_query_form_and_dataset_clauses_skip_strings_iris_and_comments(
        text: str, form: str, dataset: bool) -> None:
    assert query_form(text) == form
    assert declares_dataset(text) is dataset
