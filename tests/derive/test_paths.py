"""Every write path keeps the edges in step: a change from the shell (and its revert), a
change over HTTP to the real server, and the remote store (SPARQL only)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ecograph import graphs
from ecograph.derive import after_change, before_change, derive_edges
from ecograph.infer import update_inferences
from ecograph.store.base import Store
from ecograph.store.embedded import OxigraphStore
from ecograph.store.remote import RemoteStore
from tests.derive.helpers import ROOT, P, derived, rows
from tests.serving import running_server
from tests.store.conftest import OxigraphServer

TOKEN = "derive-token-51c0"
HAS_PARTICIPANT = "https://w3id.org/ecograph/ontology#hasParticipant"
NETWORK = graphs.source_graph("cordis-network")


def _countries(store: Store, where: str, subject: str) -> dict[str, set[str]]:
    """The countries (NUTS-0 regions) of *subject* bound by *where*."""
    found = store.query(P + f"""
        SELECT DISTINCT {subject} ?country WHERE {{ {where}
          ?org ecograph:locatedIn/ecograph:locatedIn? ?base .
          ?base ecograph:nutsLevel ?l ; ecograph:parentRegion* ?country .
          ?country ecograph:nutsLevel 0 . }}""")
    countries: dict[str, set[str]] = {}
    for thing, country in found.rows:
        countries.setdefault(str(thing), set()).add(str(country))
    return countries


def new_partner(store: Store) -> tuple[str, str]:
    """A CORDIS project and an organisation of a country none of its participants is in."""
    projects = _countries(store, f"GRAPH <{NETWORK}> {{ ?project ecograph:hasParticipant ?org }}",
                          "?project")
    organisations = _countries(store, "?any ecograph:hasParticipant ?org .", "?org")
    return next((project, org) for project, countries in sorted(projects.items())
                for org, places in sorted(organisations.items()) if not places & countries)


def _release(store: OxigraphStore) -> None:
    """Close *store* so that another process can open it."""
    store.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "ecograph"), *args],
                          capture_output=True, text=True, timeout=300, check=False)


def test_a_change_from_the_shell_and_its_revert_keep_the_edges(loaded_store_path, tmp_path
                                                                ) -> None:
    folder = tmp_path / "store"
    shutil.copytree(loaded_store_path, folder)
    store = OxigraphStore(folder)
    project, org = new_partner(store)
    original = derived(store)
    before = rows(store, "region-collaborations", level="0")
    _release(store)
    added = tmp_path / "add.nt"
    added.write_text(f"<{project}> <{HAS_PARTICIPANT}> <{org}> .\n")
    done = _cli("change", "--store", str(folder), "--add", str(added), "--graph", str(NETWORK),
                "-m", "a new partner", "--format", "json")
    assert done.returncode == 0, done.stderr
    change_id = json.loads(done.stdout)["id"]
    store = OxigraphStore(folder)
    after = rows(store, "region-collaborations", level="0")
    assert after != before
    assert after == rows(store, "regions-sharing-projects", level="0")
    kept = derived(store)
    derive_edges(store)
    assert derived(store) == kept, "the change left the edges a full run gives"
    _release(store)
    undone = _cli("revert", "--store", str(folder), change_id)
    assert undone.returncode == 0, undone.stderr
    store = OxigraphStore(folder)
    assert derived(store) == original
    _release(store)


@pytest.fixture(scope="module")
def seed_server(tmp_path_factory: pytest.TempPathFactory, loaded_store_path: Path,
                ) -> Iterator[tuple[str, tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("derive-server")
    shutil.copytree(loaded_store_path, folder / "store")
    store = OxigraphStore(folder / "store")
    change = new_partner(store)
    _release(store)
    env = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(ROOT)}
    for name in ("ECOGRAPH_TOKEN", "ECOGRAPH_STORE"):
        env.pop(name, None)
    args = ["--store", str(folder / "store"), "--writable", "--token", TOKEN, "--workers", "1"]
    with running_server(args, env, folder / "server.log") as (url, _process):
        yield url, change


def _answer(client: httpx.Client, name: str) -> list[tuple[str, ...]]:
    got = client.get(f"/queries/{name}", params={"level": "0"},
                     headers={"Accept": "application/sparql-results+json"})
    assert got.status_code == 200, got.text
    body = got.json()
    names = body["head"]["vars"]
    return [tuple(b.get(n, {}).get("value", "") for n in names)
            for b in body["results"]["bindings"]]


def test_a_change_over_http_reaches_the_edges_the_endpoint_answers_from(seed_server) -> None:
    url, (project, org) = seed_server
    with httpx.Client(base_url=url, timeout=120) as client:
        before = _answer(client, "region-collaborations")
        assert before == _answer(client, "regions-sharing-projects")
        body = {"add": f"<{project}> <{HAS_PARTICIPANT}> <{org}> .", "graph": str(NETWORK),
                "message": "a new partner"}
        done = client.post("/changes", content=json.dumps(body),
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "application/json"})
        assert done.status_code == 201, done.text
        after = _answer(client, "region-collaborations")
        assert after != before
        assert after == _answer(client, "regions-sharing-projects")


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    server = OxigraphServer(tmp_path_factory.mktemp("derive-remote") / "oxigraph").start()
    store = RemoteStore.from_location(server.location_url)
    yield store
    store.close()
    server.stop()


def test_the_remote_store_derives_and_maintains_the_same_edges(remote, loaded_store) -> None:
    remote.replace_graphs({g: loaded_store.get_graph(g) for g in loaded_store.graphs()
                           if g != graphs.REGION_COLLABORATION})
    outcome = derive_edges(remote)
    assert outcome.edges and outcome.edges > 100
    assert derived(remote) == derived(loaded_store)
    project, org = new_partner(remote)
    link = (f"<{project}>", f"<{HAS_PARTICIPANT}>", f"<{org}>")
    pending = before_change(remote, [link], [])
    remote.update(f"INSERT DATA {{ GRAPH <{NETWORK}> {{ {' '.join(link)} . }} }}")
    update_inferences(remote, [link], [])
    assert after_change(remote, pending).mode == "incremental"
    kept = derived(remote)
    assert kept != derived(loaded_store)
    derive_edges(remote)
    assert derived(remote) == kept
