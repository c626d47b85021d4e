"""Fixtures for linked data: the bundled data in a store on disk, and the real server on it.

The store holds the project's ontology, vocabularies and data sources, each in its named
graph as ``ecograph load`` writes them, plus an inferred graph: the inverse-property
entailments (OWL 2 RL ``prp-inv``) of ``hasParticipant``/``participatesIn`` and the
subclass entailments (``cax-sco``) of the types, computed here by SPARQL so the pages
have inferred statements to mark whatever the state of the inference module.
``ecograph serve`` runs as a subprocess on a free port of 127.0.0.1 and is stopped at
the end of the session.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from ecograph.graphs import INFERRED, ONTOLOGY, VOCABULARIES, graph_for_file
from ecograph.load import parse_file
from ecograph.store.base import GraphResult
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/ecograph/id/"
ECO = "https://w3id.org/ecograph/ontology#"
INFERENCE = f"""
PREFIX ecograph: <{ECO}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ ?o ecograph:participatesIn ?p . ?s a ?super . }} WHERE {{
  {{ ?p ecograph:hasParticipant ?o . FILTER NOT EXISTS {{ ?o ecograph:participatesIn ?p }} }}
  UNION
  {{ ?s a ?c . ?c rdfs:subClassOf+ ?super . FILTER(isIRI(?super))
     FILTER NOT EXISTS {{ ?s a ?super }} }}
}}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_store(path: Path) -> Path:
    """Write the bundled files and the inferred graph (see module docstring) to *path*."""
    store = OxigraphStore(path)
    try:
        graphs = {ONTOLOGY: parse_file(ROOT / "ontology" / "ecograph.ttl").graph}
        vocabularies = Graph()
        for file in sorted((ROOT / "ontology" / "vocabularies").glob("*.ttl")):
            vocabularies += parse_file(file).graph
        graphs[VOCABULARIES] = vocabularies
        for file in sorted((ROOT / "data" / "sources").glob("*.ttl")):
            graphs[graph_for_file(file)] = parse_file(file).graph
        store.replace_graphs(graphs)
        inferred = store.query(INFERENCE)
        assert isinstance(inferred, GraphResult) and len(inferred.graph) > 0
        store.replace_graphs({INFERRED: inferred.graph})
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def ld_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the bundled data and inferred triples (do not write to it)."""
    return build_store(tmp_path_factory.mktemp("ld") / "store")


@pytest.fixture
def ld_store(ld_store_path: Path, tmp_path: Path) -> Iterator[OxigraphStore]:
    """A private copy of the linked-data store."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(ld_store_path, copy)
    store = OxigraphStore(copy)
    yield store
    store.close()


@dataclass
class Server:
    """A running ``ecograph serve``: where it answers and what it serves."""

    url: str
    store: Path
    process: subprocess.Popen[bytes]

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]

    def path(self, iri: str | URIRef) -> str:
        """The server URL of an IRI under the default base IRI."""
        return self.url + "/" + str(iri).removeprefix("https://w3id.org/ecograph/")


def start_server(store: Path, log: Path, *options: str, env_base: str | None = None) -> Server:
    """Start ``ecograph serve`` on *store* (base IRI: the default, or *env_base*)."""
    port = free_port()
    env = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(ROOT), "ECOGRAPH_QUERY_WORKERS": "1"}
    env.pop("ECOGRAPH_BASE_IRI", None)
    if env_base is not None:
        env["ECOGRAPH_BASE_IRI"] = env_base
    command = [str(Path(sys.executable).parent / "ecograph"), "serve", "--store", str(store),
               "--host", "127.0.0.1", "--port", str(port), *options]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ecograph serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url + "/-/health", timeout=2).status_code == 200:
                return Server(url, store, process)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_server(process)
    pytest.fail(f"ecograph serve did not answer within 60 s:\n{log.read_text()}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def server(ld_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``ecograph serve`` on a copy of the linked-data store, for the whole session."""
    import shutil

    folder = tmp_path_factory.mktemp("served")
    store = folder / "store"
    shutil.copytree(ld_store_path, store)
    running = start_server(store, folder / "server.log")
    yield running
    stop_server(running.process)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http
