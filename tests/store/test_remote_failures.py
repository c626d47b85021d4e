"""The remote backend when things go wrong: each failure names the endpoint and what failed,
leaves no half-written graph, and makes the CLI exit non-zero."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ecograph.errors import InputError, QueryTimeoutError
from ecograph.store.embedded import OxigraphStore
from ecograph.store.protocol import (
    HttpSettings,
    RemoteError,
    UnreachableError,
    UnsupportedOperationError,
)
from ecograph.store.remote import STAGING, RemoteStore
from tests.store.conftest import OxigraphServer, free_port
from tests.store.servers import JSON_TRUE, Reply, Seen, proxy, serving

EX = "http://example.org/"
G1, G2 = URIRef(f"{EX}graph/one"), URIRef(f"{EX}graph/two")
QUICK = HttpSettings(connect_timeout=1.0, read_timeout=2.0, retries=2, backoff=0.01)
ECOGRAPH = Path(sys.executable).parent / "ecograph"


def people(tag: str, n: int = 3) -> Graph:
    graph = Graph()
    for i in range(n):
        graph.add((URIRef(f"{EX}{tag}/{i}"), URIRef(f"{EX}name"), Literal(f"{tag} {i}")))
    return graph


def cli(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``ecograph`` executable with quick remote timeouts."""
    environment = {**os.environ, "ECOGRAPH_REMOTE_RETRIES": "0",
                   "ECOGRAPH_REMOTE_CONNECT_TIMEOUT": "1", **env}
    return subprocess.run([str(ECOGRAPH), *args], capture_output=True, text=True,
                          timeout=timeout, env=environment, check=False)


def no_description(seen: Seen) -> Reply | None:
    """Answer the discovery GET with 404, as servers without a service description do."""
    if seen.method == "GET" and "?" not in seen.path:
        return Reply(404, "text/plain", b"no description")
    return None


def test_an_unreachable_server_is_named_with_what_failed() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    store = RemoteStore(url, http=QUICK)
    with pytest.raises(UnreachableError) as caught:
        store.query("ASK {}")
    assert url in caught.value.message and "cannot connect" in caught.value.message
    result = cli("stats", "--store", f"sparql+{url}")
    assert result.returncode == 3
    assert url in result.stderr and "cannot connect" in result.stderr


def test_a_password_in_the_url_is_never_shown() -> None:
    port = free_port()
    store = RemoteStore(f"http://alice:s3cret@127.0.0.1:{port}/query", http=QUICK)
    assert "s3cret" not in store.location
    with pytest.raises(UnreachableError) as caught:
        store.graphs()
    assert "s3cret" not in str(caught.value) and f"127.0.0.1:{port}/query" in str(caught.value)


def test_basic_and_bearer_credentials_are_sent_but_never_shown() -> None:
    with serving(lambda seen: no_description(seen) or Reply(401, "text/plain", b"who?")) as srv:
        store = RemoteStore(f"{srv.url}/query", auth="bearer t0k3n", http=QUICK)
        with pytest.raises(RemoteError) as caught:
            store.query("ASK {}")
        assert srv.seen[-1].headers["authorization"] == "Bearer t0k3n"
        assert "t0k3n" not in str(caught.value) and caught.value.status == 401
        assert "ECOGRAPH_REMOTE_AUTH" in str(caught.value)
        basic = RemoteStore(f"http://bob:pw9@{srv.url.removeprefix('http://')}/query",
                            http=QUICK)
        with pytest.raises(RemoteError) as caught:
            basic.query("ASK {}")
        assert srv.seen[-1].headers["authorization"].startswith("Basic ")
        assert "pw9" not in str(caught.value)


def test_a_server_that_never_answers_times_out_naming_the_endpoint() -> None:
    slow = HttpSettings(connect_timeout=1.0, read_timeout=0.3, retries=0)
    with serving(lambda seen: no_description(seen) or Reply(delay=2.0)) as srv:
        store = RemoteStore(f"{srv.url}/sparql", http=slow)
        with pytest.raises(QueryTimeoutError) as caught:
            store.query("ASK {}")
        assert f"{srv.url}/sparql" in caught.value.message
        result = cli("query", "ASK {}", "--store", f"sparql+{srv.url}/sparql",
                     ECOGRAPH_REMOTE_TIMEOUT="0.3")
        assert result.returncode == 4
        assert f"{srv.url}/sparql" in result.stderr


def test_a_server_error_carries_status_and_message_and_is_not_retried() -> None:
    def reply(seen: Seen) -> Reply:
        return no_description(seen) or Reply(500, "text/plain", b"boom: the disk is full")

    with serving(reply) as srv:
        store = RemoteStore(f"{srv.url}/sparql", http=QUICK)
        with pytest.raises(RemoteError) as caught:
            store.query("ASK {}")
        error = caught.value
        assert error.status == 500 and error.endpoint == f"{srv.url}/sparql"
        assert "boom: the disk is full" in str(error) and "query" in error.action
        assert sum(1 for s in srv.seen if s.method == "POST") == 1


def test_busy_answers_are_retried_for_queries_but_never_for_updates() -> None:
    busy = iter([Reply(503, body=b"busy"), Reply(503, body=b"busy")])

    def reply(seen: Seen) -> Reply:
        return no_description(seen) or next(busy, JSON_TRUE)

    with serving(reply) as srv:
        store = RemoteStore(f"{srv.url}/sparql", update_url=f"{srv.url}/update",
                            union="server", http=QUICK)
        assert store.query("ASK {}").value  # type: ignore[union-attr]
        assert sum(1 for s in srv.seen if s.path == "/sparql" and s.method == "POST") == 3
        busy = iter([Reply(503, body=b"busy")] * 5)
        with pytest.raises(RemoteError) as caught:
            store.update("CLEAR ALL")
        assert caught.value.status == 503
        assert sum(1 for s in srv.seen if s.path == "/update") == 1


def test_html_instead_of_results_or_rdf_is_refused() -> None:
    page = b"<html><head><style>p{}</style></head><body><h1>Please log in</h1></body></html>"

    def reply(seen: Seen) -> Reply:
        return no_description(seen) or Reply(200, "text/html; charset=utf-8", page)

    with serving(reply) as srv:
        store = RemoteStore(f"{srv.url}/sparql", gsp_url=f"{srv.url}/data", http=QUICK)
        with pytest.raises(RemoteError) as caught:
            store.query("SELECT * WHERE { ?s ?p ?o }")
        assert "text/html instead of SPARQL results" in str(caught.value)
        assert "Please log in" in str(caught.value) and "p{}" not in str(caught.value)
        with pytest.raises(RemoteError) as caught:
            store.get_graph(G1)
        assert "text/html instead of RDF" in str(caught.value)
        assert f"{srv.url}/data" in str(caught.value)


def minimal_project(folder: Path) -> Path:
    """A project with a one-triple ontology and a shape nothing here targets."""
    (folder / "ontology" / "shapes").mkdir(parents=True)
    (folder / "ontology" / "vocabularies").mkdir()
    (folder / "data" / "sources").mkdir(parents=True)
    (folder / "ontology" / "ecograph.ttl").write_text(
        f"<{EX}onto> a <http://www.w3.org/2002/07/owl#Ontology> .\n", encoding="utf-8")
    (folder / "ontology" / "shapes" / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"<{EX}Shape> a sh:NodeShape ; sh:targetClass <{EX}Nothing> .\n", encoding="utf-8")
    return folder


def test_a_read_only_server_refuses_writes_and_keeps_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    seed = OxigraphStore(folder)
    seed.replace_graphs({G1: people("old")})
    seed.close()
    server = OxigraphServer(folder, read_only=True).start()
    try:
        store = RemoteStore.from_location(server.location_url)
        with pytest.raises(UnsupportedOperationError) as caught:
            store.replace_graphs({G1: people("new"), G2: people("two")})
        message = str(caught.value)
        assert f"{server.url}/update" in message and "403" in message
        assert "read-only" in message
        assert store.graphs() == [G1] and isomorphic(store.get_graph(G1), people("old"))
        data = tmp_path / "extra.nt"
        data.write_text(f'<{EX}x> <{EX}p> "y" .\n', encoding="utf-8")
        result = cli("load", str(data), "--store", server.location_url,
                     ECOGRAPH_PROJECT_DIR=str(minimal_project(tmp_path / "project")))
        assert result.returncode == 3, result.stderr
        assert f"{server.url}/update" in result.stderr and "read-only" in result.stderr
        assert store.graphs() == [G1]
    finally:
        server.stop()


def test_no_update_endpoint_known_says_how_to_configure_one() -> None:
    with serving(lambda seen: no_description(seen) or JSON_TRUE) as srv:
        store = RemoteStore(f"{srv.url}/somewhere", http=QUICK)
        with pytest.raises(UnsupportedOperationError) as caught:
            store.drop_graphs([G1])
        assert "ECOGRAPH_UPDATE_URL" in str(caught.value)
        assert f"{srv.url}/somewhere" in str(caught.value)


@pytest.mark.parametrize("failing", ["move", "second-upload"])
def test_a_failed_staged_upload_leaves_no_half_written_graph(
        oxigraph_server: OxigraphServer, failing: str) -> None:
    direct = RemoteStore.from_location(oxigraph_server.location_url)
    direct.update("DROP ALL")
    direct.replace_graphs({G1: people("old")})
    puts: list[Seen] = []

    def fail(seen: Seen) -> Reply | None:
        if seen.method == "PUT":
            puts.append(seen)
            if failing == "second-upload" and len(puts) == 2:
                return Reply(500, body=b"upload interrupted")
        if failing == "move" and seen.path == "/update" and b"MOVE" in seen.body:
            return Reply(500, body=b"move failed")
        return None

    with serving(proxy(oxigraph_server.url, fail)) as srv:
        store = RemoteStore(f"{srv.url}/query", upload="gsp", http=QUICK)
        with pytest.raises(RemoteError) as caught:
            store.replace_graphs({G1: people("new", 50), G2: people("two", 50)})
        assert caught.value.status == 500
    assert direct.graphs() == [G1]
    assert isomorphic(direct.get_graph(G1), people("old"))
    everything = direct.query("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")
    assert [str(g) for (g,) in everything.rows] == [str(G1)]  # type: ignore[union-attr]
    assert not any(str(g).startswith(STAGING) for (g,) in everything.rows)  # type: ignore[union-attr]
    direct.update("DROP ALL")


def test_a_graph_that_cannot_be_written_is_bad_input_and_nothing_is_sent(
        oxigraph_server: OxigraphServer) -> None:
    store = RemoteStore.from_location(oxigraph_server.location_url)
    store.update("DROP ALL")
    store.replace_graphs({G1: people("old")})
    broken = Graph()
    broken.add((URIRef(f"{EX}bad iri"), URIRef(f"{EX}p"), Literal("x")))
    with pytest.raises(InputError) as caught:
        store.replace_graphs({G1: people("new"), G2: broken})
    assert str(G2) in str(caught.value)
    assert store.graphs() == [G1] and isomorphic(store.get_graph(G1), people("old"))
    store.update("DROP ALL")
