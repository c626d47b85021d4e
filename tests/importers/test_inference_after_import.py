"""An import is followed by inference: the inferred graph covers what was just published."""

from __future__ import annotations

from pathlib import Path

from ecograph import graphs
from ecograph.formats import syntax_by_name
from ecograph.importers import run_import
from ecograph.infer.materialise import materialise
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"


def inferred_quads(store: OxigraphStore) -> set[str]:
    text = b"".join(store.export(syntax_by_name("ntriples"), graphs.INFERRED)).decode()
    return set(text.splitlines())


def test_the_inferred_graph_is_fresh_after_an_import(loaded_store: OxigraphStore,
                                                     tmp_path: Path) -> None:
    run_import(loaded_store, "nuts", [REAL / "nuts"], log_dir=tmp_path / "logs")
    before = inferred_quads(loaded_store)
    outcome = run_import(loaded_store, "cordis-network", [REAL / "cordis-network"],
                         log_dir=tmp_path / "logs")
    assert "infer" in outcome.timings
    after = inferred_quads(loaded_store)
    assert after != before
    materialise(loaded_store)  # a full recompute finds nothing left to do
    assert inferred_quads(loaded_store) == after
