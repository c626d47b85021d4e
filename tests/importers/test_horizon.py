"""Importing the real Horizon Europe sample: participations with roles, NUTS 2021, the seed."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ecograph.errors import InputError
from ecograph.importers import run_import
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
P = "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"
GRAPH = "<https://w3id.org/ecograph/graph/cordis-horizon-europe>"


@pytest.fixture(scope="module")
def store(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("horizon")
    shutil.copytree(loaded_store_path, folder / "store")
    opened = OxigraphStore(folder / "store")
    run_import(opened, "nuts", [REAL / "nuts"], log_dir=folder / "logs")
    run_import(opened, "cordis-horizon", [REAL / "cordis-horizon"], log_dir=folder / "logs")
    yield opened
    opened.close()


def _rows() -> list[dict[str, str]]:
    with open(REAL / "cordis-horizon" / "organization_sample100.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_each_row_is_a_participation_with_its_role(store):
    rows = _rows()
    answer = store.query(P + f"""SELECT ?role (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH {GRAPH} {{
        ?x a ecograph:Participation ; ecograph:participationRole ?role }} }} GROUP BY ?role""")
    counts = {str(r[0]).rsplit("/", 1)[-1]: int(r[1]) for r in answer.rows}
    keys = {(r["projectID"], r["organisationID"], r["role"]) for r in rows}
    assert counts["coordinator"] == sum(1 for k in keys if k[2] == "coordinator")
    assert counts["partner"] == sum(1 for k in keys if k[2] == "participant")
    assert counts["participant"] == sum(1 for k in keys
                                        if k[2] in ("thirdParty", "associatedPartner"))
    coordinators = store.query(P + f"""SELECT ?p WHERE {{ GRAPH {GRAPH} {{
        ?p ecograph:coordinator ?c }} }} GROUP BY ?p HAVING (COUNT(?c) > 1)""")
    assert coordinators.rows == []


def test_ncbj_is_the_seeds_organisation_located_in_its_nuts_2021_region(store):
    answer = store.query(P + f"""SELECT DISTINCT ?r WHERE {{ GRAPH {GRAPH} {{
        <https://w3id.org/ecograph/id/organisation/ncbj> ecograph:locatedIn ?r }} }}""")
    assert "https://w3id.org/ecograph/id/region/PL912" in {str(r[0]) for r in answer.rows}


def test_a_project_table_alone_is_refused(store, tmp_path):
    with pytest.raises(InputError, match="needs a project table and an organization table"):
        run_import(store, "cordis-horizon", [REAL / "cordis-horizon" / "project_sample100.csv"],
                   log_dir=tmp_path)
