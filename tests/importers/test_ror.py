"""Importing a real ROR extract: ids, Wikidata ids, names, kinds and the seed's organisations."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecograph.errors import InputError
from ecograph.importers import run_import
from ecograph.importers.model import ECOGRAPH_TERMS
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real" / "ror"
ORG = "https://w3id.org/ecograph/id/organisation/"
P = "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"


@pytest.fixture(scope="module")
def imported(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory,
             ) -> Iterator[tuple[OxigraphStore, Path, object]]:
    folder = tmp_path_factory.mktemp("ror")
    shutil.copytree(loaded_store_path, folder / "store")
    store = OxigraphStore(folder / "store")
    outcome = run_import(store, "ror", [REAL], log_dir=folder / "logs")
    yield store, folder / "logs", outcome
    store.close()


def _values(store: OxigraphStore, subject: str, predicate: str) -> set[str]:
    rows = store.query(P + f"SELECT DISTINCT ?v WHERE {{ <{subject}> {predicate} ?v }}").rows
    return {str(r[0]) for r in rows}


def test_counts_and_withdrawn_records(imported):
    _store, logs, outcome = imported
    with open(REAL / "ror_europe_flat.csv", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    withdrawn = sum(1 for r in rows if r["status"] == "withdrawn")
    assert withdrawn >= 1
    assert outcome.tally.read == len(rows)
    assert outcome.tally.skipped == withdrawn
    assert outcome.tally.written == len(rows) - withdrawn
    assert "withdrawn ROR record" in (logs / "import-ror.log").read_text(encoding="utf-8")
    assert outcome.tally.repairs["label without a language tag"] >= 1


def test_seed_organisations_take_their_ror_and_wikidata_ids(imported):
    store, logs, _ = imported
    assert _values(store, f"{ORG}tu-iasi", "ecograph:wikidataId") == {"Q458666"}
    assert "014zxnz40" in _values(store, f"{ORG}tu-iasi", "ecograph:rorId")
    assert _values(store, f"{ORG}ror-014zxnz40", "a") == set()  # no second resource
    with open(logs / "matches-ror.csv", encoding="utf-8") as stream:
        accepted = {r["seed_organisation"].rsplit("/", 1)[-1]: r["record_id"]
                    for r in csv.DictReader(stream) if r["decision"] == "accepted"}
    assert accepted["umf-iasi"] == "03hd30t45"
    assert accepted["biocat"] == "03j42y490"
    assert accepted["san-raffaele-roma"] == "006x48140"
    assert accepted["ncbj"] == "00nzsxq20"
    assert accepted["sofia-university"] == "02jv3k292"


def test_other_records_are_organisations_with_kinds_and_parents(imported):
    store, _, _ = imported
    irccs = f"{ORG}ror-04tfzc498"
    assert "https://w3id.org/ecograph/ontology#HealthcareProvider" in _values(store, irccs, "a")
    # San Raffaele Rome's parent in ROR is the IRCCS network, present in the extract.
    assert irccs in _values(store, f"{ORG}san-raffaele-roma", "ecograph:subOrganisationOf")


def test_a_ror_file_without_its_columns_is_refused(imported, tmp_path):
    store, _, _ = imported
    bad = tmp_path / "ror_europe_flat.csv"
    bad.write_text("id,name\r\nhttps://ror.org/03hd30t45,X\r\n", encoding="utf-8")
    before = store.count("https://w3id.org/ecograph/graph/ror-europe")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"not a ROR flat file: missing column\(s\) status"):
        run_import(store, "ror", [bad], log_dir=tmp_path)
    assert store.count("https://w3id.org/ecograph/graph/ror-europe") == before  # type: ignore[arg-type]


def test_every_ecograph_term_the_importers_write_is_declared_in_the_ontology():
    ontology = (ROOT / "ontology" / "ecograph.ttl").read_text(encoding="utf-8")
    missing = [t for t in ECOGRAPH_TERMS
               if f"ecograph:{t.rsplit('#', 1)[1]}\n" not in ontology]
    assert ECOGRAPH_TERMS and not missing
