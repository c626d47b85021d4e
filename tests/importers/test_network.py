"""Importing real extracts of NUTS, ISO 3166 and the CORDIS networks into a real store on disk."""

from __future__ import annotations

import csv
import io
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from ecograph.cli import main
from ecograph.errors import InputError
from ecograph.importers import run_import
from ecograph.queries import bind, get_query
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
ORG = "https://w3id.org/ecograph/id/organisation/"
P = "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"
#: The imported graphs only: the seed's own facts (its FP7 project, where it places the
#: organisations) are not in the files the direct computation reads.
IMPORTED = [URIRef(f"https://w3id.org/ecograph/graph/{name}") for name in
            ("cordis-network", "nuts-2021")]


@pytest.fixture(scope="module")
def imported(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory,
             ) -> Iterator[tuple[OxigraphStore, Path]]:
    folder = tmp_path_factory.mktemp("network")
    shutil.copytree(loaded_store_path, folder / "store")
    store = OxigraphStore(folder / "store")
    for kind, path in (("nuts", REAL / "nuts"), ("iso3166", REAL / "iso3166"),
                       ("cordis-network", REAL / "cordis-network")):
        run_import(store, kind, [path], log_dir=folder / "logs")
    yield store, folder / "logs"
    store.close()


def _count(store: OxigraphStore, where: str) -> int:
    rows = store.query(P + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows
    return int(rows[0][0])


def _edges(name: str) -> set[tuple[str, str]]:
    lines = (REAL / "cordis-network" / name).read_text(encoding="utf-8").splitlines()[1:]
    return {tuple(line.split("\t")) for line in lines if line}  # type: ignore[misc]


def test_counts_of_projects_and_participations_match_the_files(imported):
    store, _ = imported
    fp7 = _edges("fp7_edges.tsv")
    graph = "<https://w3id.org/ecograph/graph/cordis-network>"
    fp7_projects = _count(store, f"GRAPH {graph} {{ ?p a ecograph:Project ; ecograph:fundedBy "
                          "<https://w3id.org/ecograph/id/programme/fp7> }")
    assert fp7_projects == len({rcn for rcn, _ in fp7})
    h2020_rows = (REAL / "cordis-network" / "h2020_projects.tsv").read_text().splitlines()[1:]
    assert _count(store, f"GRAPH {graph} {{ ?p ecograph:cordisProjectId ?id }}") == \
        len(h2020_rows)
    links = _count(store, f"SELECT DISTINCT ?p ?o WHERE {{ GRAPH {graph} "
                   "{ ?p ecograph:hasParticipant ?o } }")
    # One link per distinct (project, organisation) row: the duplicate row collapses.
    assert links == len(fp7) + len(_edges("h2020_edges.tsv"))


def test_the_log_names_every_skip_repair_and_merge(imported):
    _, logs = imported
    text = (logs / "import-cordis-network.log").read_text(encoding="utf-8")
    assert "merged\tduplicate participation row" in text
    assert "NUTS code coarsened" in text and "organisation without PIC" in text
    assert "name has characters replaced by '?'" in text


def test_old_nuts_codes_are_coarsened_and_regions_rolled_up(imported):
    store, _ = imported
    # ROMSOFT SRL is coded RO213 (Iasi); it is located in RO213, RO21, RO2 and RO.
    regions = store.query(P + f"SELECT ?r WHERE {{ <{ORG}romsoft> ecograph:locatedIn ?r }}")
    codes = {str(r[0]).rsplit("/", 1)[-1] for r in regions.rows}
    assert {"RO213", "RO21", "RO2", "RO"} <= codes
    # 451 RESEARCH LIMITED is coded UKI11 (NUTS 2010); NUTS 2021 has UKI but no UKI1.
    uk = store.query(P + f"SELECT ?r WHERE {{ <{ORG}pic-999733023> ecograph:locatedIn ?r }}")
    assert {str(r[0]).rsplit("/", 1)[-1] for r in uk.rows} == {"UKI", "UK"}


def test_seed_organisations_are_reconciled_with_their_cordis_records(imported):
    store, logs = imported
    with open(logs / "matches-cordis-network.csv", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    accepted = {row["seed_organisation"].rsplit("/", 1)[-1] for row in rows
                if row["decision"] == "accepted"}
    assert {"umf-iasi", "tu-iasi", "petru-poni-institute", "romsoft", "adr-nord-est",
            "biocat", "sofia-university", "ncbj", "san-raffaele-roma"} <= accepted
    assert all(0 <= float(r["score"]) <= 1 and r["evidence"] for r in rows)
    # Not merged: a review row stays a separate resource.
    review = [r for r in rows if r["decision"] == "review"]
    assert any(r["seed_organisation"].endswith("/gate-institute") for r in review)
    assert _count(store, f"<{ORG}gate-institute> ecograph:legalName "
                  '"SOFIISKI UNIVERSITET SVETI KLIMENT OHRIDSKI"') == 0
    # TU Iasi's FP7 (name hash) and H2020 (PIC) records are one resource: the seed's.
    assert _count(store, f"<{ORG}tu-iasi> ecograph:cordisPic \"999853303\"") >= 1
    assert _count(store, f"?p ecograph:hasParticipant <{ORG}tu-iasi>") >= 2
    assert _count(store, f"?o ecograph:cordisPic \"999853303\" FILTER(?o != <{ORG}tu-iasi>)") == 0


def test_projects_sharing_an_acronym_stay_distinct(imported):
    store, _ = imported
    secure = store.query(P + 'SELECT DISTINCT ?p WHERE { ?p ecograph:acronym "SECURE" ; '
                         "ecograph:cordisProjectId ?id }")
    assert {str(r[0]).rsplit("/", 1)[-1] for r in secure.rows} >= {"cordis-633765",
                                                                    "cordis-642667"}


def _direct_region_counts() -> dict[str, int]:
    """RO21's FP7 partner regions (NUTS-2) and shared projects, straight from the files."""
    classification = (REAL / "nuts" / "nuts2021_classification.csv").read_text("utf-8")
    known = {row["nuts_code"].strip() for row in csv.DictReader(io.StringIO(classification))}
    changes = (REAL / "nuts" / "nuts2016_to_nuts2021_changes.csv").read_text("utf-8")
    recoded = {r["code_2016"].strip(): r["code_2021"].strip()
               for r in csv.DictReader(io.StringIO(changes)) if r["code_2021"].strip()}

    def level2(code: str) -> str | None:
        code = recoded.get(code, code)
        while code and code not in known:
            code = code[:-1]
        return code[:4] if len(code) >= 4 else None

    orgs = (REAL / "cordis-network" / "fp7_orgs.csv").read_text("utf-8")
    region: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(orgs), delimiter=";"):
        nuts = row["REGION_Level_NUTS_3"].strip()
        code = level2(nuts) if nuts else None
        region[row["new_org_id"]] = {code} if code else set()
    by_project: dict[str, set[str]] = defaultdict(set)
    for rcn, org in _edges("fp7_edges.tsv"):
        by_project[rcn] |= region.get(org, set())
    counts: dict[str, int] = defaultdict(int)
    for regions in by_project.values():
        if "RO21" in regions:
            for other in regions - {"RO21"}:
                counts[other] += 1
    return dict(counts)


def test_ro21_shares_fp7_projects_with_the_counts_of_a_direct_computation(imported):
    store, _ = imported
    query = get_query(ROOT / "queries", "region-partners")
    text = bind(query, {"region": "<https://w3id.org/ecograph/id/region/RO21>",
                        "programme": "FP7"})
    rows = store.query(text, default_graphs=IMPORTED).dicts()
    got = {str(r["partnerCode"]): int(r["projects"]) for r in rows}
    expected = _direct_region_counts()
    assert expected and got == expected


def test_regions_sharing_projects_at_level_2_lists_ro21_with_the_direct_counts(imported):
    store, _ = imported
    query = get_query(ROOT / "queries", "regions-sharing-projects")
    rows = store.query(bind(query, {"level": "2", "programme": "FP7"}),
                       default_graphs=IMPORTED).dicts()
    region = "https://w3id.org/ecograph/id/region/"
    got = {}
    for row in rows:
        a, b = str(row["regionA"]), str(row["regionB"])
        if f"{region}RO21" in (a, b):
            other = b if a == f"{region}RO21" else a
            got[other.rsplit("/", 1)[-1]] = int(row["projects"])
    expected = _direct_region_counts()
    assert expected and got == expected


@pytest.mark.parametrize("name, content, message", [
    ("fp7_orgs.csv", "new_org_id;name;country\r\nabc;X;RO\r\n",
     r"missing column\(s\) REGION_Level_NUTS_3"),
    ("fp7_orgs.csv", None, r"ends in the middle of a record"),
    ("fp7_orgs.csv", "new_org_id;name;shortName;organizationUrl;REGION_Level_NUTS_3;country\r\n"
     "999769495;ROMSOFT SRL;;;ZZ9Z9;RO\r\n", r"unknown NUTS code 'ZZ9Z9'"),
    ("fp7_orgs.csv", "new_org_id;name;shortName;organizationUrl;REGION_Level_NUTS_3;country\r\n"
     "999769495;ROMSOFT SRL;;;RO213;RO\r\n999769495;ROMSOFT GMBH;;;;DE\r\n",
     r"organisation id 999769495 collides"),
])
def test_bad_input_is_refused_and_the_graph_left_as_it_was(imported, tmp_path, name, content,
                                                            message):
    store, _ = imported
    folder = tmp_path / "bad"
    shutil.copytree(REAL / "cordis-network", folder)
    if content is None:
        text = (folder / name).read_text(encoding="utf-8")
        content = text[: len(text) // 2].rsplit(";", 3)[0]
    (folder / name).write_text(content, encoding="utf-8")
    graph = "https://w3id.org/ecograph/graph/cordis-network"
    before = store.count(graph)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=message):
        run_import(store, "cordis-network", [folder], log_dir=tmp_path / "logs")
    assert store.count(graph) == before  # type: ignore[arg-type]


def test_the_cli_exits_non_zero_on_a_file_of_the_wrong_kind(loaded_store_path, tmp_path):
    shutil.copytree(loaded_store_path, tmp_path / "store")
    graph = "https://w3id.org/ecograph/graph/nuts-2021"
    store = OxigraphStore(tmp_path / "store")
    before = store.get_graph(graph)  # type: ignore[arg-type]  # the bundled subset
    store.close()
    wrong = tmp_path / "nuts2021_classification.csv"
    shutil.copy(REAL / "cordis-network" / "fp7_edges.tsv", wrong)
    result = CliRunner().invoke(main, ["import", "nuts", str(wrong), "--store",
                                       str(tmp_path / "store"), "--log-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "not a NUTS 2021 classification: missing column(s) nuts_code" in result.output
    store = OxigraphStore(tmp_path / "store")
    try:
        assert len(before) > 0
        assert store.get_graph(graph).isomorphic(before)  # type: ignore[arg-type]
    finally:
        store.close()


def test_the_cli_imports_and_summarises(loaded_store_path, tmp_path):
    shutil.copytree(loaded_store_path, tmp_path / "store")
    result = CliRunner().invoke(main, ["import", "iso3166", str(REAL / "iso3166"), "--store",
                                       str(tmp_path / "store"), "--log-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "iso3166: read 11 rows, wrote 11 records" in result.output
    assert "graph/iso-3166" in result.output
