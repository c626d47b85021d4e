"""Fixtures for curation: a small store with shapes on disk, and the real server serving stores.

The small store holds ``data.ttl`` in graph ``GRAPH`` with ``shapes.ttl`` and
``ontology.ttl`` as its stored shapes and ontology, so validation takes milliseconds.
``ecograph serve`` runs as a subprocess on 127.0.0.1 on a free port and is stopped by
its process id at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from ecograph import graphs
from ecograph.curation import Rules
from ecograph.store.embedded import OxigraphStore
from tests.conftest import ROOT
from tests.serving import running_server

HERE = Path(__file__).resolve().parent
GRAPH = URIRef("https://w3id.org/ecograph/graph/curation-test")
EX = "http://example.org/"
TOKEN = "curation-token-7d2e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PREFIXES = ("@prefix ex: <http://example.org/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
ECOGRAPH = str(Path(sys.executable).parent / "ecograph")


def small_graphs() -> dict[URIRef, Graph]:
    return {GRAPH: Graph().parse(HERE / "data.ttl"),
            graphs.SHAPES: Graph().parse(HERE / "shapes.ttl"),
            graphs.ONTOLOGY: Graph().parse(HERE / "ontology.ttl")}


def make_small_store(path: Path) -> Path:
    store = OxigraphStore(path)
    store.replace_graphs(small_graphs())
    store.close()
    return path


@pytest.fixture
def small(tmp_path: Path) -> Iterator[OxigraphStore]:
    """A store on disk holding the small data, its shapes and its ontology."""
    store = OxigraphStore(make_small_store(tmp_path / "small"))
    yield store
    store.close()


@pytest.fixture
def rules(small: OxigraphStore) -> Rules:
    return Rules.from_store(small)


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


@dataclass
class Server:
    url: str
    store: Path
    process: subprocess.Popen[bytes]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120)


def serve(store: Path, log: Path) -> Iterator[Server]:
    """Run ``ecograph serve --writable`` on *store* until the caller is done."""
    env = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(ROOT)}
    for name in ("ECOGRAPH_TOKEN", "ECOGRAPH_STORE"):
        env.pop(name, None)
    args = ["--store", str(store), "--writable", "--token", TOKEN, "--workers", "1"]
    with running_server(args, env, log) as (url, process):
        yield Server(url, store, process)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A writable server over a fresh small store (one per test module)."""
    folder = tmp_path_factory.mktemp("curation-server")
    yield from serve(make_small_store(folder / "store"), folder / "server.log")


@pytest.fixture(scope="module")
def seed_server(tmp_path_factory: pytest.TempPathFactory,
                loaded_store_path: Path) -> Iterator[Server]:
    """A writable server over a copy of the store holding the project's seed data."""
    folder = tmp_path_factory.mktemp("seed-server")
    shutil.copytree(loaded_store_path, folder / "store")
    yield from serve(folder / "store", folder / "server.log")


@pytest.fixture(scope="module")
def schema_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A writable server over a store holding the project's ontology, vocabularies and
    shapes but no data: what a write is checked against, and nothing it could lean on."""
    from ecograph.bundle import Bundle

    folder = tmp_path_factory.mktemp("schema-server")
    store = OxigraphStore(folder / "store")
    bundle = Bundle(ROOT / "ontology", ROOT / "data" / "sources")
    store.replace_graphs({s.graph_iri: s.graph for s in bundle.system_sources()})
    store.close()
    yield from serve(folder / "store", folder / "server.log")


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client
