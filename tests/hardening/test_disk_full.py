"""A store on a disk that fills up: a clear error, no traceback, and the last committed state.

The store lives on a real 8 MB tmpfs (``mount -t tmpfs``, as root) that a filler file has
all but filled, so the next big write gets ``ENOSPC`` from the kernel. Where mounting is
not permitted (not root, no ``CAP_SYS_ADMIN``) the same tests run the process with
``RLIMIT_FSIZE`` (``SIGXFSZ`` ignored), so its writes past the limit get ``EFBIG``; the
``efbig`` cases run that way everywhere, so both errors are always covered.

``ecograph change`` and ``ecograph load`` must exit 3 with ``error: … no space left …`` and
no traceback; ``POST /changes`` on ``ecograph serve`` must answer 507 with the error JSON
and keep serving reads. Once space is freed the store opens and holds exactly the state
after the last acknowledged write (sorted N-Quads compared), its change log agrees, and
the next write works.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.curation.conftest import AUTH, ECOGRAPH, GRAPH, make_small_store, serve
from tests.curation.test_kill import snapshot
from tests.hardening.test_faults import agrees_with_log, data_lines, ntriples

#: Size of the tmpfs and what the filler leaves free: enough for small writes, not a big one.
DISK = "8m"
LEFT_FREE = 300 * 1024
#: The file-size limit of the EFBIG variant (the big write's log file grows past it).
FSIZE = 500_000
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def fat(path: Path, count: int = 120, size: int = 10_000) -> Path:
    """*count* triples with *size*-character labels: a write of ~1.2 MB that is quick to
    validate (what fills the disk is bytes, not triples)."""
    path.write_text("".join(f'<http://example.org/fat/{i}> {LABEL} "{i} {"x" * size}" .\n'
                            for i in range(count)), encoding="utf-8")
    return path


@dataclass
class Disk:
    """Where the store lives and how the next write is made to run out of space."""

    folder: Path
    mode: str  # "enospc" (a full tmpfs) or "efbig" (RLIMIT_FSIZE)
    filler: Path | None = None

    def fill(self) -> None:
        """Leave only ``LEFT_FREE`` bytes on the tmpfs (nothing to do for ``efbig``)."""
        if self.mode == "enospc":
            stat = os.statvfs(self.folder)
            self.filler = self.folder / "filler"
            free = stat.f_bavail * stat.f_frsize
            with self.filler.open("wb") as out:
                out.truncate(0)
                out.write(b"\0" * max(free - LEFT_FREE, 0))

    def free(self) -> None:
        if self.filler is not None:
            self.filler.unlink()
            self.filler = None

    def limit(self) -> Callable[[], None] | None:
        """The ``preexec_fn`` that makes a child's big writes fail (``efbig`` only)."""
        if self.mode != "efbig":
            return None

        def apply() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE, FSIZE))

        return apply


def mount_tmpfs(folder: Path) -> bool:
    """Mount an ``DISK`` tmpfs on *folder*; ``False`` when this process may not mount."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    return done.returncode == 0


@pytest.fixture(params=["enospc", "efbig"])
def disk(request: pytest.FixtureRequest) -> Iterator[Disk]:
    """A folder on a tiny tmpfs (``enospc``; falls back to ``efbig`` when mounting is not
    permitted) or an ordinary folder whose writers get a file-size limit (``efbig``)."""
    folder = Path(tempfile.mkdtemp(prefix="ecograph-disk-"))
    mounted = request.param == "enospc" and mount_tmpfs(folder)
    try:
        yield Disk(folder, "enospc" if mounted else "efbig")
    finally:
        if mounted:
            done = subprocess.run(["umount", str(folder)], capture_output=True, text=True)
            if done.returncode != 0:
                subprocess.run(["umount", "-l", str(folder)], check=True)
        shutil.rmtree(folder, ignore_errors=True)


def cli(disk: Disk, *args: str, limited: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ECOGRAPH, *args], capture_output=True, text=True, timeout=120,
                          preexec_fn=disk.limit() if limited else None)


def assert_no_space_error(disk: Disk, done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 3, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    # The write finds no space, or already opening the store does (RocksDB writes then).
    assert re.match(r"error: cannot (write|open) the store at .*: no space left", last), last
    assert os.strerror(errno.ENOSPC if disk.mode == "enospc" else errno.EFBIG) in last, last


def test_change_and_load_on_a_full_disk_keep_the_last_committed_state(disk: Disk,
                                                                      tmp_path: Path):
    store = make_small_store(disk.folder / "store")
    base = data_lines(snapshot(store))
    first = cli(disk, "change", "--add", str(ntriples(tmp_path / "first.nt", "first", 50)),
                "--graph", str(GRAPH), "--store", str(store), "-m", "first")
    assert first.returncode == 0, first.stderr
    acknowledged = snapshot(store)
    disk.fill()
    big = fat(tmp_path / "big.nt")
    assert_no_space_error(disk, cli(disk, "change", "--add", str(big), "--graph", str(GRAPH),
                              "--store", str(store), "-m", "big"))
    assert_no_space_error(disk, cli(disk, "load", "--store", str(store), str(big)))
    disk.free()
    assert snapshot(store) == acknowledged
    agrees_with_log(store, base, logged=1)
    again = cli(disk, "change", "--add", str(ntriples(tmp_path / "second.nt", "second", 10)),
                "--graph", str(GRAPH), "--store", str(store), "-m", "after", limited=False)
    assert again.returncode == 0, again.stderr
    agrees_with_log(store, base, logged=2)


@pytest.fixture
def server_on(disk: Disk, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``ecograph serve --writable`` over a small store on *disk* (a real full tmpfs: the
    server test runs in the ``enospc`` mode only)."""
    running = serve(make_small_store(disk.folder / "store"), tmp_path / "server.log")
    server = next(running)
    try:
        yield server.url, server.process
    finally:
        running.close()


@pytest.mark.parametrize("disk", ["enospc"], indirect=True)  # EFBIG: the CLI test covers it
def test_a_write_through_serve_on_a_full_disk_is_507(disk: Disk, tmp_path: Path,
                                                     server_on: tuple[str, subprocess.Popen]):
    url, process = server_on
    store = disk.folder / "store"
    post = {"headers": {"Content-Type": "application/n-triples", **AUTH}, "timeout": 120}
    with httpx.Client(base_url=url) as client:
        first = client.post("/changes", params={"graph": str(GRAPH), "message": "small"},
                            content=ntriples(tmp_path / "small.nt", "small", 20).read_bytes(),
                            **post)
        assert first.status_code == 201, first.text
        disk.fill()
        full = client.post("/changes", params={"graph": str(GRAPH), "message": "big"},
                           content=fat(tmp_path / "big.nt").read_bytes(),
                           **post)
        assert full.status_code == 507, full.text
        error = full.json()["error"]
        assert error["type"] == "StoreFullError" and "no space left" in error["message"]
        assert full.headers["content-type"] == "application/problem+json"
        assert full.json()["type"] == "https://w3id.org/ecograph/problems/StoreFullError"
        health = client.get("/-/health")
        assert health.status_code == 200
        read = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"})
        assert read.status_code == 200 and read.json()["boolean"] is True
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    disk.free()
    base_store = make_small_store(tmp_path / "base")
    agrees_with_log(store, data_lines(snapshot(base_store)), logged=1)
