"""Killed processes (SIGKILL) and a read-only store leave a store that opens and agrees with
its change log.

``ecograph change``, ``load``, ``infer`` and ``serve`` run as real subprocesses and
are killed with SIGKILL while they work; the store is then reopened and compared, as sorted
N-Quads, with the state it had after the last write that was acknowledged. The change log
must name exactly the acknowledged changes, and every triple they added must be stored.
(A kill *inside* the store's write is ``tests/curation/test_kill.py``.)
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from ecograph.changelog import get_change, list_changes
from ecograph.errors import StoreError
from ecograph.graphs import CHANGELOG, INFERRED, ONTOLOGY
from ecograph.store.embedded import OxigraphStore
from tests.curation.conftest import AUTH, ECOGRAPH, GRAPH, make_small_store, serve
from tests.curation.test_kill import snapshot

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def ntriples(path: Path, prefix: str, count: int) -> Path:
    path.write_text("".join(f'<http://example.org/{prefix}/{i}> {LABEL} "{prefix} {i}" .\n'
                            for i in range(count)), encoding="utf-8")
    return path


def change(store: Path, data: Path, message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ECOGRAPH, "change", "--add", str(data), "--graph", str(GRAPH),
                           "--store", str(store), "-m", message],
                          capture_output=True, text=True, timeout=120)


def kill_after(args: list[str], low: float, high: float) -> subprocess.Popen[bytes]:
    """Start *args*, SIGKILL it after a random delay in [low, high] s; return it, reaped."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(random.uniform(low, high))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return process


def agrees_with_log(path: Path, base: set[bytes], logged: int) -> None:
    """The store holds *base* plus what its *logged* changes added, and nothing else."""
    store = OxigraphStore(path)
    try:
        entries = list_changes(store, limit=1000)
        assert len(entries) == logged, [e.id for e in entries]
        added: set[tuple[object, ...]] = set()
        for entry in entries:
            full = get_change(store, entry.id)
            assert full is not None and len(full.additions) == entry.added
            added |= {(s, p, o, URIRef(str(g))) for s, p, o, g in full.additions}
        result = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                             f"FILTER(?g NOT IN (<{CHANGELOG}>, <{INFERRED}>)) }}")
        stored = {tuple(row) for row in result.rows}  # type: ignore[union-attr]
    finally:
        store.close()
    assert added <= stored
    assert len(stored) == len(base) + len(added)


def data_lines(lines: list[bytes]) -> set[bytes]:
    return {line for line in lines
            if not line.rstrip().endswith((f"<{CHANGELOG}> .".encode(),
                                           f"<{INFERRED}> .".encode()))}


def infer_fills(path: Path, complete: int) -> None:
    """A full ``ecograph infer`` on the store at *path* leaves *complete* inferred triples."""
    done = subprocess.run([ECOGRAPH, "infer", "--store", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    store = OxigraphStore(path)
    try:
        assert store.count(INFERRED) == complete
    finally:
        store.close()


def test_a_killed_change_leaves_the_last_acknowledged_state(tmp_path: Path):
    store = make_small_store(tmp_path / "store")
    base = data_lines(snapshot(store))
    done = change(store, ntriples(tmp_path / "first.nt", "first", 50), "first")
    assert done.returncode == 0, done.stderr
    acknowledged = snapshot(store)
    big = ntriples(tmp_path / "big.nt", "big", 30_000)
    killed = kill_after([ECOGRAPH, "change", "--add", str(big), "--graph", str(GRAPH),
                         "--store", str(store), "-m", "big"], 1.0, 4.0)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(store) == acknowledged
    agrees_with_log(store, base, logged=1)
    again = change(store, ntriples(tmp_path / "second.nt", "second", 10), "after the kill")
    assert again.returncode == 0, again.stderr
    agrees_with_log(store, base, logged=2)


def test_a_killed_load_leaves_the_store_as_before(tmp_path: Path):
    store = make_small_store(tmp_path / "store")
    before = snapshot(store)
    big = ntriples(tmp_path / "big.nt", "big", 30_000)
    killed = kill_after([ECOGRAPH, "load", "--store", str(store), str(big)], 1.0, 3.0)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(store) == before
    stats = subprocess.run([ECOGRAPH, "stats", "--store", str(store)], capture_output=True,
                           text=True, timeout=60)
    assert stats.returncode == 0, stats.stderr


def test_a_server_killed_during_a_write_keeps_the_acknowledged_writes(tmp_path: Path):
    store = make_small_store(tmp_path / "store")
    base = data_lines(snapshot(store))
    running = serve(store, tmp_path / "server.log")
    server = next(running)
    outcome: dict[str, object] = {}
    try:
        with server.client() as client:
            small = (tmp_path / "small.nt")
            ntriples(small, "small", 20)
            first = client.post("/changes", params={"graph": str(GRAPH), "message": "small"},
                                content=small.read_bytes(),
                                headers={"Content-Type": "application/n-triples", **AUTH})
            assert first.status_code == 201, first.text
        body = ntriples(tmp_path / "big.nt", "big", 30_000).read_bytes()

        def write() -> None:
            try:
                outcome["response"] = httpx.post(
                    f"{server.url}/changes", params={"graph": str(GRAPH)}, content=body,
                    headers={"Content-Type": "application/n-triples", **AUTH}, timeout=120)
            except httpx.HTTPError as error:
                outcome["error"] = error

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(random.uniform(1.0, 3.0))
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=30)
        writer.join(timeout=60)
    finally:
        running.close()
    assert "error" in outcome, "the write finished before the kill; make it bigger"
    agrees_with_log(store, base, logged=1)


def test_a_killed_inference_leaves_the_store_as_before(tmp_path: Path):
    """``ecograph infer`` (a 9-deep class chain over 40,000 instances, ~4 s) is killed
    while it works: the store is as before; a full run afterwards fills the inferred graph,
    and a partial inferred graph is completed by the next run."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS

    ontology, data = Graph(), Graph()
    for i in range(10):
        ontology.add((URIRef(f"http://example.org/C{i}"), RDF.type, OWL.Class))
        if i:
            ontology.add((URIRef(f"http://example.org/C{i}"), RDFS.subClassOf,
                          URIRef(f"http://example.org/C{i - 1}")))
    for j in range(40_000):
        data.add((URIRef(f"http://example.org/x{j}"), RDF.type, URIRef("http://example.org/C9")))
    store = OxigraphStore(tmp_path / "store")
    store.replace_graphs({ONTOLOGY: ontology, GRAPH: data})
    store.close()
    before = snapshot(tmp_path / "store")
    killed = kill_after([ECOGRAPH, "infer", "--store", str(tmp_path / "store")], 1.0, 1.8)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(tmp_path / "store") == before
    done = subprocess.run([ECOGRAPH, "infer", "--store", str(tmp_path / "store")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    store = OxigraphStore(tmp_path / "store")
    try:
        complete = store.count(INFERRED)
        assert complete >= 9 * 40_000
        # What a kill inside the (non-transactional) bulk load could leave: part of it.
        store.update(f"DELETE WHERE {{ GRAPH <{INFERRED}> {{ ?x a <http://example.org/C0> }} }}")
        assert store.count(INFERRED) == complete - 40_000
    finally:
        store.close()
    infer_fills(tmp_path / "store", complete)


@pytest.fixture
def readonly_store() -> Iterator[Path]:
    """A store in a folder its user cannot write (as root: run the CLI as ``nobody``)."""
    folder = Path(tempfile.mkdtemp(prefix="ecograph-ro-"))
    try:
        folder.chmod(0o755)
        store = make_small_store(folder / "store")
        for path in [store, *store.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        yield store
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755)
        shutil.rmtree(folder)


def as_unprivileged(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root: the read-only test needs setpriv (util-linux)"
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *args]


@pytest.mark.parametrize("command", [["change", "--add", "{data}", "--graph", str(GRAPH)],
                                     ["load", "{data}"]])
def test_a_read_only_store_is_a_clear_error(readonly_store: Path, command: list[str]):
    before = snapshot(readonly_store)
    data = ntriples(readonly_store.parent / "data.nt", "ro", 5)
    data.chmod(0o444)
    args = [ECOGRAPH, *(part.replace("{data}", str(data)) for part in command),
            "--store", str(readonly_store)]
    done = subprocess.run(as_unprivileged(args), capture_output=True, text=True, timeout=60,
                          cwd=readonly_store.parent)
    assert done.returncode == 3, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert "cannot open the store" in done.stderr and "Permission denied" in done.stderr
    assert snapshot(readonly_store) == before


#: Runs a full inference in a real process, saying when the inferred graph's write starts
#: and ends (the write itself is the real ``write_changes``), so the kill lands inside it.
WRITE_DRIVER = """
import importlib, sys
from pathlib import Path
from ecograph.store.embedded import OxigraphStore
materialise = importlib.import_module("ecograph.infer.materialise")
write = materialise.write_changes
def announced(*args, **kwargs):
    print("writing", flush=True)
    write(*args, **kwargs)
    print("written", flush=True)
materialise.write_changes = announced
store = OxigraphStore(Path(sys.argv[1]))
materialise.materialise(store)
store.close()
"""


def chain_store(path: Path, instances: int) -> Path:
    """A store with a 10-deep class chain and *instances* members of the deepest class."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS

    ontology, data = Graph(), Graph()
    for i in range(10):
        ontology.add((URIRef(f"http://example.org/C{i}"), RDF.type, OWL.Class))
        if i:
            ontology.add((URIRef(f"http://example.org/C{i}"), RDFS.subClassOf,
                          URIRef(f"http://example.org/C{i - 1}")))
    for j in range(instances):
        data.add((URIRef(f"http://example.org/x{j}"), RDF.type, URIRef("http://example.org/C9")))
    store = OxigraphStore(path)
    store.replace_graphs({ONTOLOGY: ontology, GRAPH: data})
    store.close()
    return path


def test_a_kill_inside_the_first_inferred_write_leaves_it_empty_or_complete(tmp_path: Path):
    """The first write of a large inferred graph (108,000 triples, past ``BULK_THRESHOLD``)
    is killed at random moments inside it: the inferred graph is then empty or complete,
    never partial, the asserted data is as before, and the next run fills it."""
    import sys

    from ecograph.infer.closure import infer
    from ecograph.infer.materialise import BULK_THRESHOLD, _read

    base = chain_store(tmp_path / "base", 12_000)
    before = data_lines(snapshot(base))
    store = OxigraphStore(base)
    try:
        complete = len(infer(_read(store)[0]).inferred)
    finally:
        store.close()
    assert complete > BULK_THRESHOLD
    found = []
    for attempt in range(2):
        killed = tmp_path / f"killed-{attempt}"
        shutil.copytree(base, killed)
        process = subprocess.Popen([sys.executable, "-c", WRITE_DRIVER, str(killed)],
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "writing"
        time.sleep(random.uniform(0.02, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert "written" not in process.stdout.read(), "the write ended before the kill"
        assert data_lines(snapshot(killed)) == before
        store = OxigraphStore(killed)
        try:
            found.append(store.count(INFERRED))
        finally:
            store.close()
    assert all(count in (0, complete) for count in found), (found, complete)
    infer_fills(tmp_path / "killed-0", complete)


@pytest.mark.parametrize("command", [["stats"], ["export", "--format", "nquads"],
                                     ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                      "--format", "csv"]])
def test_a_read_only_store_can_still_be_read(readonly_store: Path, command: list[str]):
    """Read commands open a store folder they cannot write read-only: the answer is the
    store's, and nothing changes."""
    before = snapshot(readonly_store)
    done = subprocess.run(as_unprivileged([ECOGRAPH, *command, "--store", str(readonly_store)]),
                          capture_output=True, text=True, timeout=60, cwd=readonly_store.parent)
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    if command[0] == "stats":
        assert done.stdout.split("total (quads)")[1].split()[0] == str(len(before))
    elif command[0] == "export":
        assert sorted(line.encode() for line in done.stdout.splitlines() if line) == before
    else:
        assert done.stdout.splitlines()[-1].strip() == str(len(before))
    assert snapshot(readonly_store) == before


def test_a_store_open_read_only_refuses_writes(readonly_store: Path):
    before = snapshot(readonly_store)
    store = OxigraphStore(readonly_store, read_only=True)
    try:
        assert store.count() == len(before)
        with pytest.raises(StoreError, match="open read-only"):
            store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:x:a> <urn:x:b> 1 }} }}")
    finally:
        store.close()
    assert snapshot(readonly_store) == before


#: Publishes a checked N-Quads file over an existing graph with the importers' real
#: ``publish``, saying when it starts and ends, so the kill lands inside it.
PUBLISH_DRIVER = """
import sys
from pathlib import Path
from rdflib import Graph, URIRef
from ecograph.importers.run import publish
from ecograph.store.embedded import OxigraphStore
store = OxigraphStore(Path(sys.argv[1]))
print("writing", flush=True)
publish(store, URIRef(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
print("written", flush=True)
store.close()
"""


def test_a_kill_inside_a_large_import_publish_never_leaves_part_of_a_graph(tmp_path: Path):
    """A re-import of a graph past ``ATOMIC_LIMIT`` (bulk path) killed at random moments:
    the graph then holds the old import, nothing (a re-run repairs it) or the whole new
    one, never part of either."""
    import sys

    from ecograph.importers.run import ATOMIC_LIMIT

    count = ATOMIC_LIMIT * 3
    old = ntriples(tmp_path / "old.nt", "old", 1_000)
    new = tmp_path / "new.nq"
    new.write_text("".join(f'<http://example.org/new/{i}> {LABEL} "new {i}" <{GRAPH}> .\n'
                           for i in range(count)), encoding="utf-8")
    base = tmp_path / "base"
    store = OxigraphStore(base)
    store.replace_graphs({GRAPH: Graph().parse(old, format="nt")})
    store.close()
    seen = []
    for attempt in range(3):
        killed = tmp_path / f"killed-{attempt}"
        shutil.copytree(base, killed)
        process = subprocess.Popen([sys.executable, "-c", PUBLISH_DRIVER, str(killed),
                                    str(GRAPH), str(new), str(count)],
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "writing"
        time.sleep(random.uniform(0.05, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        finished = "written" in process.stdout.read()
        store = OxigraphStore(killed)
        try:
            subjects = ({str(s).rsplit("/", 2)[-2] for s, _, _ in store.get_graph(GRAPH)}
                        if store.has_graph(GRAPH) else set())
            held = store.count(GRAPH)
        finally:
            store.close()
        assert (held, subjects) in ((1_000, {"old"}), (0, set()), (count, {"new"})), \
            (held, subjects)
        seen.append((held, finished))
    assert any(not finished for _, finished in seen), "every publish ended before its kill"
