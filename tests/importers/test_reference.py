"""Importing real extracts of the CORDIS reference tables: countries, programmes, code lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecograph.errors import InputError
from ecograph.importers import run_import
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real" / "cordis-reference"
P = "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"
GRAPH = "<https://w3id.org/ecograph/graph/cordis-reference>"
ID = "https://w3id.org/ecograph/id/"


@pytest.fixture(scope="module")
def imported(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("reference")
    shutil.copytree(loaded_store_path, folder / "store")
    store = OxigraphStore(folder / "store")
    outcome = run_import(store, "cordis-reference", [REAL], log_dir=folder / "logs")
    yield store, outcome
    store.close()


def _objects(store: OxigraphStore, subject: str, predicate: str) -> set[str]:
    rows = store.query(P + f"SELECT DISTINCT ?o WHERE {{ GRAPH {GRAPH} {{ <{subject}> "
                       f"{predicate} ?o }} }}").rows
    return {str(r[0]) for r in rows}


def test_cordis_country_codes_become_iso_countries_with_names(imported):
    store, _ = imported
    greece = store.query(P + f"""SELECT ?code ?label WHERE {{ GRAPH {GRAPH} {{
        <{ID}country/GR> <http://www.w3.org/2004/02/skos/core#notation> ?code ;
        <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}""").rows
    assert {(str(c), str(label)) for c, label in greece} == {("EL", "Greece")}
    assert "GB" in _objects(store, f"{ID}country/GB", "ecograph:isoAlpha2Code")
    # Kosovo: CORDIS gives no ISO code ("NULL"); its CORDIS code KO/XK maps to XK.
    assert _objects(store, f"{ID}country/XK", "ecograph:isoAlpha2Code") == {"XK"}
    assert not _objects(store, f"{ID}country/EL", "ecograph:isoAlpha2Code")


def test_programmes_are_parts_of_their_framework_with_titles(imported):
    store, outcome = imported
    part = f"{ID}programme/h2020-eu-3-1-7-12"
    assert _objects(store, part, "ecograph:parentProgramme") == {f"{ID}programme/horizon-2020"}
    assert "Vaccine" in _objects(store, part, "<http://www.w3.org/2000/01/rdf-schema#label>")
    # Call topics in the H2020 table (e.g. MSCA-ITN-2014-ETN) are not programmes: skipped.
    assert outcome.tally.reasons["not a programme of FP7, H2020 or Horizon Europe"] >= 1
    assert any("cordisref-sicCode.csv: not mapped" in note for note in outcome.notes)


def test_activity_types_are_a_skos_scheme(imported):
    store, _ = imported
    rows = store.query(f"""SELECT ?code WHERE {{ GRAPH {GRAPH} {{ ?c
        <http://www.w3.org/2004/02/skos/core#inScheme>
        <https://w3id.org/ecograph/vocab/cordis-activity-type> ;
        <http://www.w3.org/2004/02/skos/core#notation> ?code }} }}""").rows
    assert {str(r[0]) for r in rows} == {"HES", "REC", "PRC", "PUB", "OTH"}


def test_a_table_that_is_not_a_reference_table_is_refused(imported, tmp_path):
    store, _ = imported
    with pytest.raises(InputError, match="not a CORDIS reference table"):
        run_import(store, "cordis-reference", [ROOT / "pyproject.toml"], log_dir=tmp_path)
