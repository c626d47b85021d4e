"""Countries the network import refers to, and projects the source lists twice with other dates.

The real network extract is copied and given real rows from the full tables: the two
records of H2020 grant 656579 (POTENTIATE, RCN 196900 ends 2017-06-01, RCN 199051 ends
2017-05-31) and a Kosovar organisation (code XK, which ISO 3166-1 does not list). The
store holds the schema and the NUTS extract only: no country table.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

from ecograph.bundle import Bundle
from ecograph.errors import InputError
from ecograph.importers import run_import
from ecograph.pipeline import load_sources
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
P = "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"
NETWORK = URIRef("https://w3id.org/ecograph/graph/cordis-network")
ID = "https://w3id.org/ecograph/id/"
#: Real rows of h2020_projects.tsv, the newer record (higher RCN) first.
POTENTIATE = [
    "199051\t656579\tPOTENTIATE\tSIGNED\tH2020-EU.1.3.2.\tMSCA-IF-2014-EF\t2015-06-01\t"
    "2017-05-31\t165598,80\t165598,80\tH2020-MSCA-IF-2014\tMSCA-IF-EF-ST\t"
    "WAGENINGEN UNIVERSITY\tNL\t 1\t165598,80",
    "196900\t656579\tPOTENTIATE\tSIGNED\tH2020-EU.1.3.2.\tMSCA-IF-2014-EF\t2015-06-01\t"
    "2017-06-01\t165598,80\t165598,80\tH2020-MSCA-IF-2014\tMSCA-IF-EF-ST\t"
    "WAGENINGEN UNIVERSITY\tNL\t 1\t165598,80",
]
#: A real row of h2020_unique_org.tsv: a Kosovar organisation.
KCSS = ("927578603\tKOSOVAR CENTRE FOR SECURITY STUDIES\tKCSS\t"
        "XK-kosovar-centre-for-security-studies\tXK\t 1\t 1\t51875,00")


@pytest.fixture(scope="module")
def store(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory,
          ) -> Iterator[tuple[OxigraphStore, Path]]:
    folder = tmp_path_factory.mktemp("countries-dates")
    store = OxigraphStore(folder / "store")
    load_sources(store, [], bundle)
    run_import(store, "nuts", [REAL / "nuts"], log_dir=folder / "logs")
    yield store, folder
    store.close()


def _extract(folder: Path, **rows: list[str]) -> Path:
    """A copy of the network extract with *rows* appended to the named files."""
    target = folder / "network"
    shutil.copytree(REAL / "cordis-network", target)
    for name, lines in rows.items():
        path = target / name.replace("__", ".")
        text = path.read_text(encoding="utf-8")
        newline = "\r\n" if "\r\n" in text else "\n"
        path.write_text(text.rstrip("\r\n") + newline + newline.join(lines) + newline,
                        encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def imported(store, tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphStore, str]:
    db, folder = store
    files = _extract(tmp_path_factory.mktemp("rows"), h2020_projects__tsv=POTENTIATE,
                     h2020_unique_org__tsv=[KCSS])
    run_import(db, "cordis-network", [files], log_dir=folder / "logs")
    return db, (folder / "logs" / "import-cordis-network.log").read_text(encoding="utf-8")


def test_a_grant_listed_twice_keeps_the_newest_records_dates(imported) -> None:
    db, log = imported
    rows = db.query(P + f"""SELECT ?start ?end WHERE {{ GRAPH <{NETWORK}> {{
        <{ID}project/cordis-656579> ecograph:startDate ?start ; ecograph:endDate ?end }} }}""")
    assert [(str(s), str(e)) for s, e in rows.rows] == [("2015-06-01", "2017-05-31")]
    assert "grant 656579: RCN 199051: 2015-06-01 to 2017-05-31; RCN 196900: 2015-06-01 to " \
        "2017-06-01" in log
    assert "another record of the same grant (one project)" in log


def test_the_network_graph_declares_every_country_it_refers_to(imported) -> None:
    db, _ = imported
    rows = db.query(P + f"""SELECT ?name WHERE {{ GRAPH <{NETWORK}> {{
        <{ID}organisation/pic-927578603> ecograph:country ?c .
        ?c a ecograph:Country ; ecograph:isoAlpha2Code "XK" ;
           <http://www.w3.org/2000/01/rdf-schema#label> ?name }} }}""")
    assert [str(r[0]) for r in rows.rows] == ["Kosovo"]
    undeclared = db.query(P + f"""SELECT DISTINCT ?c WHERE {{ GRAPH <{NETWORK}> {{
        ?o ecograph:country ?c . FILTER NOT EXISTS {{ ?c a ecograph:Country }} }} }}""")
    assert undeclared.rows == []
    # Names come from the ISO table the project ships, not from the (absent) iso-3166 graph.
    morocco = db.query(P + f"""SELECT ?name WHERE {{ GRAPH <{NETWORK}> {{
        <{ID}country/MA> <http://www.w3.org/2000/01/rdf-schema#label> ?name }} }}""")
    assert [str(r[0]) for r in morocco.rows] == ["Morocco"]


def test_an_unknown_country_code_refuses_the_import_and_names_it(store, imported,
                                                                 tmp_path: Path) -> None:
    db, folder = store
    before = db.count(NETWORK)
    table = (REAL / "cordis-network" / "fp7_orgs.csv").read_text(encoding="utf-8")
    first = len(table.rstrip("\r\n").splitlines()) + 1  # the first appended row's line
    files = _extract(tmp_path, fp7_orgs__csv=[
        "0123456789abcdef0123456789abcdef;NOWHERE LABS;;;;QQ;;;;",
        "fedcba9876543210fedcba9876543210;ELSEWHERE LTD;;;;QZ;;;;"])
    with pytest.raises(InputError) as refused:
        run_import(db, "cordis-network", [files], log_dir=folder / "logs")
    message = str(refused.value)
    assert f"unknown country codes QQ (first in fp7_orgs.csv, line {first}); " \
        f"QZ (first in fp7_orgs.csv, line {first + 1})" in message
    assert "ecograph import iso3166" in message
    assert db.count(NETWORK) == before
