"""``ecograph doctor`` against a real Oxigraph server, a read-only one and none at all."""

from __future__ import annotations

from pathlib import Path

from ecograph.store.embedded import OxigraphStore
from ecograph.store.remote import RemoteStore
from tests.store.conftest import OxigraphServer, free_port
from tests.store.test_remote_failures import G1, cli, people


def test_doctor_finds_everything_on_oxigraph_and_leaves_nothing_behind(
        oxigraph_server: OxigraphServer) -> None:
    store = RemoteStore.from_location(oxigraph_server.location_url)
    store.update("DROP ALL")
    result = cli("doctor", "--store", oxigraph_server.location_url)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("query", "update", "named graphs", "union default graph", "blank nodes",
                 "graph store protocol"):
        assert any(line.split()[:1] == ["ok"] and name in line
                   for line in result.stdout.splitlines()), (name, result.stdout)
    assert f"update: {oxigraph_server.url}/update" in result.stdout
    assert "union mode: param" in result.stdout
    assert "what will not work" not in result.stdout
    leftovers = store.query("SELECT ?g WHERE { GRAPH ?g {} }")
    assert leftovers.rows == []  # type: ignore[union-attr]


def test_doctor_says_a_read_only_server_cannot_load(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    seed = OxigraphStore(folder)
    seed.replace_graphs({G1: people("old")})
    seed.close()
    server = OxigraphServer(folder, read_only=True).start()
    try:
        result = cli("doctor", "--store", server.location_url)
        assert result.returncode == 3
        assert "FAIL  update" in result.stdout and "read-only" in result.stdout
        assert "ecograph load, infer and the writable endpoint will not work" in result.stdout
        assert "1 check(s) failed: update" in result.stderr
        reading = cli("doctor", "--no-writes", "--store", server.location_url)
        assert reading.returncode == 0, reading.stdout + reading.stderr
        assert "skip  update" in reading.stdout
    finally:
        server.stop()


def test_doctor_fails_when_nothing_answers() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = cli("doctor", "--store", f"sparql+{url}")
    assert result.returncode == 3
    assert "FAIL  query" in result.stdout and url in result.stdout
    assert "nothing will work" in result.stdout
