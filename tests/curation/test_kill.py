"""A write killed halfway (SIGKILL) leaves the store exactly as it was before the write.

A subprocess applies one large change set — the same single atomic update every gated
write ends in (data and change-log entry together) — and is killed while the store is
writing it. Reopened, the store holds exactly what it held before.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from ecograph.formats import syntax_by_name
from ecograph.store.embedded import OxigraphStore
from tests.curation.conftest import GRAPH, make_small_store

TRIPLES = 400_000

WRITER = textwrap.dedent("""
    import sys
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS
    from ecograph.changelog import entry_quads
    from ecograph.changes import ChangeSet, apply
    from ecograph.store.embedded import OxigraphStore

    store = OxigraphStore(sys.argv[1])
    graph = URIRef(sys.argv[2])
    change = ChangeSet(additions={(URIRef(f"http://example.org/bulk/{i}"), RDFS.label,
                                   Literal(f"bulk {i}"), graph) for i in range(int(sys.argv[3]))})
    log = entry_quads("kill-test", change, "kill-test")
    print("writing", flush=True)
    apply(store, change, log)
    store.close()
    print("written", flush=True)
""")


def snapshot(path: Path) -> list[bytes]:
    store = OxigraphStore(path)
    try:
        return sorted(b"".join(store.export(syntax_by_name("nquads"))).splitlines())
    finally:
        store.close()


def test_a_write_killed_halfway_leaves_the_store_as_before(tmp_path: Path):
    store = make_small_store(tmp_path / "store")
    before = snapshot(store)
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(store), str(GRAPH),
                                str(TRIPLES)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"writing", process.stderr.read()
        time.sleep(random.uniform(0.3, 1.2))  # somewhere inside the update
        process.send_signal(signal.SIGKILL)
        rest = process.stdout.read()
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert b"written" not in rest, "the write finished before it was killed; raise TRIPLES"
    assert snapshot(store) == before


def test_the_same_write_completes_when_not_interrupted(tmp_path: Path):
    store = make_small_store(tmp_path / "store")
    before = snapshot(store)
    done = subprocess.run([sys.executable, "-c", WRITER, str(store), str(GRAPH), "1000"],
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    after = snapshot(store)
    assert len(after) > len(before) + 1000  # the data and its change-log entry
