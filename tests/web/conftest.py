"""Fixtures for the endpoint: a small dataset on disk and the real server serving it.

``ecograph serve`` runs as a subprocess on 127.0.0.1 on a free port, with a project
folder (``project/``: a small ontology, shapes and the named queries) and is stopped at
the end of the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ecograph.store.embedded import OxigraphStore
from tests.serving import running_server

HERE = Path(__file__).resolve().parent
TOKEN = "test-token-4f1c"
ORGS = "https://w3id.org/ecograph/graph/test-organisations"
PROJECTS = "https://w3id.org/ecograph/graph/test-projects"
ID = "https://w3id.org/ecograph/id/"

DATA = f"""
PREFIX ecograph: <https://w3id.org/ecograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX id: <{ID}>
INSERT DATA {{
  GRAPH <{ORGS}> {{
    id:org-umf-iasi a ecograph:Organisation ; rdfs:label "UMF Iași"@ro ;
        ecograph:country "RO" .
    id:org-tu-delft a ecograph:Organisation ; rdfs:label "TU Delft" ; ecograph:country "NL" .
    id:org-imec a ecograph:Organisation ; rdfs:label "imec" ; ecograph:country "BE" .
  }}
  GRAPH <{PROJECTS}> {{
    id:project-imago a ecograph:Project ; dcterms:title "IMAGO-MOL" ;
        ecograph:hasParticipant id:org-umf-iasi, id:org-tu-delft ;
        ecograph:budget 1250000.50 .
    id:project-lumen a ecograph:Project ; dcterms:title "LUMEN \\"optics\\"" ;
        ecograph:hasParticipant id:org-tu-delft, id:org-imec .
  }}
}}
"""
#: Numbers of triples in the test graphs.
ORG_TRIPLES, PROJECT_TRIPLES = 9, 9


@dataclass
class Server:
    """A running ``ecograph serve``: its URL and store folder."""

    url: str
    store: Path
    process: subprocess.Popen[bytes]

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]


def make_store(path: Path) -> Path:
    store = OxigraphStore(path)
    store.update(DATA)
    store.close()
    return path


def make_project(path: Path) -> Path:
    """A project folder: this folder's small ontology, shapes and named queries."""
    shutil.copytree(HERE / "project", path)
    return path


def start_server(tmp: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start ``ecograph serve`` on a free port, wait until it answers, stop it afterwards."""
    store = make_store(tmp / "store")
    project = make_project(tmp / "project")
    environment = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(project), **(env or {})}
    for name in ("ECOGRAPH_TOKEN", "ECOGRAPH_WRITABLE", "ECOGRAPH_STORE"):
        if env is None or name not in env:
            environment.pop(name, None)
    with running_server(["--store", str(store), *args], environment, tmp / "server.log",
                        timeout=60) as (url, process):
        yield Server(url, store, process)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A writable server (token ``TOKEN``), time limit 3 s, at most 50 rows, 2 workers."""
    yield from start_server(tmp_path_factory.mktemp("server"), "--writable", "--token", TOKEN,
                            "--query-timeout", "3", "--max-rows", "50", "--workers", "2",
                            env={"ECOGRAPH_MAX_BODY_BYTES": "200000"})


@pytest.fixture(scope="session")
def readonly_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server started without --writable (writes off, the default)."""
    yield from start_server(tmp_path_factory.mktemp("readonly"), "--workers", "1",
                            env={"ECOGRAPH_TOKEN": TOKEN})


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def count(client: httpx.Client, graph: str | None = None) -> int:
    """The number of triples in *graph* (or in the union), asked through the endpoint."""
    pattern = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    response = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) "
                                                      f"WHERE {{ {pattern} }}"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])
