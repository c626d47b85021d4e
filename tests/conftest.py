"""Shared fixtures: the project's bundle and stores on disk, empty or holding the bundled data.

Fixtures that need a running server or an external SPARQL server live in the conftest of
the test folder that uses them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecograph.bundle import Bundle
from ecograph.config import Settings, load_settings
from ecograph.pipeline import load_bundled
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def root() -> Path:
    """The checkout: ontology/, data/, queries/ live here."""
    return ROOT


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data beside the checkout (``../shared/data``)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the shared data folder is missing: {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return Bundle(ROOT / "ontology", ROOT / "data" / "sources")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh store folder under the test's temporary directory."""
    return load_settings(store=str(tmp_path / "store"), project=ROOT)


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    """A new, empty Oxigraph store on disk."""
    store = OxigraphStore(tmp_path / "empty-store")
    yield store
    store.close()


@pytest.fixture(scope="session")
def loaded_store_path(tmp_path_factory: pytest.TempPathFactory, bundle: Bundle) -> Path:
    """A store folder holding the bundled data, built once per session (do not write to it)."""
    path = tmp_path_factory.mktemp("loaded") / "store"
    store = OxigraphStore(path)
    load_bundled(store, bundle)
    store.close()
    return path


@pytest.fixture
def loaded_store(loaded_store_path: Path, tmp_path: Path) -> Iterator[OxigraphStore]:
    """A private copy of the store holding the bundled data; tests may write to it."""
    import shutil

    copy = tmp_path / "loaded-copy"
    shutil.copytree(loaded_store_path, copy)
    store = OxigraphStore(copy)
    yield store
    store.close()
