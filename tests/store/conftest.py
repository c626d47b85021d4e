"""Store fixtures: every backend behind one ``store`` fixture, and a real Oxigraph server.

The remote backend runs against ``oxigraph serve`` (the CLI of the ``oxigraph`` package in
the venv) on a free port of 127.0.0.1, started once per session and killed at teardown.
``ECOGRAPH_TEST_REMOTE_URL=sparql+http://…`` points the remote runs at another, throw-away
server instead (every graph on it is dropped before each test).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ecograph.store.base import Store
from ecograph.store.embedded import OxigraphStore
from ecograph.store.remote import RemoteStore

#: remote-staged: the remote backend uploading through Graph Store staging graphs + MOVE.
BACKENDS = ("embedded-disk", "embedded-memory", "remote", "remote-staged")


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_cli() -> Path:
    """The ``oxigraph`` executable installed beside this Python (pip package ``oxigraph``)."""
    exe = Path(sys.executable).parent / "oxigraph"
    found = exe if exe.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server CLI is missing: pip install 'oxigraph>=0.5,<0.6'")
    return Path(found)


class OxigraphServer:
    """``oxigraph serve`` (or ``serve-read-only``) on a free port, for one test session."""

    def __init__(self, location: Path, read_only: bool = False) -> None:
        self.location = location
        self.command = "serve-read-only" if read_only else "serve"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.log = location.parent / f"{location.name}-{self.command}.log"

    def start(self) -> OxigraphServer:
        for _ in range(3):  # a port taken between choosing and binding: try another
            port = free_port()
            with self.log.open("wb") as log:
                self.process = subprocess.Popen(
                    [str(oxigraph_cli()), self.command, "--location", str(self.location),
                     "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
            self.url = f"http://127.0.0.1:{port}"
            if self._wait():
                return self
            self.stop()
        pytest.fail(f"oxigraph {self.command} did not start: {self.log.read_text()[-2000:]}")

    def _wait(self) -> bool:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                httpx.get(f"{self.url}/query", timeout=1.0)
                return True
            except httpx.TransportError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    @property
    def location_url(self) -> str:
        """The ``--store`` value that opens this server."""
        return f"sparql+{self.url}/query"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real Oxigraph server, read-write, for the whole session."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def remote_location(oxigraph_server: OxigraphServer) -> str:
    """The location of the server the remote contract runs against."""
    return os.environ.get("ECOGRAPH_TEST_REMOTE_URL") or oxigraph_server.location_url


def clean(store: RemoteStore) -> None:
    """Drop every graph ecograph can see, and on our own Oxigraph everything else too."""
    if store.endpoints.family == "oxigraph" and "ECOGRAPH_TEST_REMOTE_URL" not in os.environ:
        store.update("DROP ALL")
    else:
        store.drop_graphs(store.graphs())


@pytest.fixture
def remote_store(remote_location: str) -> Iterator[RemoteStore]:
    """A remote store on the session's server, emptied for this test."""
    store = RemoteStore.from_location(remote_location)
    clean(store)
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend in turn: the contract suite runs once per backend."""
    if request.param == "remote":
        yield request.getfixturevalue("remote_store")
        return
    if request.param == "remote-staged":
        staged = RemoteStore.from_location(request.getfixturevalue("remote_location"),
                                           upload="gsp")
        clean(staged)
        yield staged
        staged.close()
        return
    backend = OxigraphStore(tmp_path / "store" if request.param == "embedded-disk" else None)
    yield backend
    backend.close()
