"""The base IRI is a setting: the server dereferences the IRIs under the base it is given."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from starlette.requests import Request

from ecograph.config import load_settings
from ecograph.graphs import source_graph
from ecograph.store.embedded import OxigraphStore
from ecograph.web.ld_answers import Linker, split_suffix

from .conftest import start_server, stop_server

BASE = "https://example.org/kg/"
ACME = URIRef(BASE + "id/organisation/acme")


def _request(host: str = "127.0.0.1:9999") -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"",
                    "headers": [(b"host", host.encode())], "scheme": "http",
                    "server": ("127.0.0.1", 9999), "root_path": ""})


def test_the_linker_maps_paths_and_iris_under_the_configured_base():
    linker = Linker(_request(), load_settings(base_iri=BASE))
    assert linker.iri_of("id/organisation/acme") == str(ACME)
    assert linker.href(str(ACME)) == "http://127.0.0.1:9999/id/organisation/acme"
    assert linker.href("https://w3id.org/ecograph/ontology#Cluster") == \
        "http://127.0.0.1:9999/ontology#Cluster"
    assert linker.href("https://ror.org/03hd30t45") == "https://ror.org/03hd30t45"


@pytest.mark.parametrize("path,bare,suffix", [
    ("region/RO21.ttl", "region/RO21", ".ttl"), ("region/RO21", "region/RO21", None),
    ("a.b/c", "a.b/c", None), ("x.JSONLD", "x", ".jsonld"), ("x.exe", "x.exe", None),
])
def test_split_suffix(path, bare, suffix):
    found, rep = split_suffix(path)
    assert found == bare and (rep.suffix if rep else None) == suffix


def test_a_server_with_another_base_serves_its_own_iris(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    data = Graph()
    data.add((ACME, RDFS.label, Literal("ACME")))
    data.add((URIRef("https://w3id.org/ecograph/id/organisation/acme"), RDFS.label,
              Literal("elsewhere")))
    store.replace_graphs({source_graph("acme"): data})
    store.close()
    running = start_server(tmp_path / "store", tmp_path / "server.log", env_base=BASE)
    try:
        with running.client() as http:
            answer = http.get("/id/organisation/acme.ttl")
            assert answer.status_code == 200
            graph = Graph().parse(data=answer.text, format="turtle")
            assert (ACME, RDFS.label, Literal("ACME")) in graph
            assert len(graph) == 1  # not the resource of the same path under another base
    finally:
        stop_server(running.process)
