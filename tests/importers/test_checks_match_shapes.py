"""The importers' staging checks stand for the shapes: what they let through, the shapes accept.

The real extracts (``tests/fixtures/real``) are imported into a store that holds only the
ontology, vocabularies and shapes — no bundled data, no country table — and the result is
validated with the project's real shapes: no Violation may remain. A check that drifts
from its shape fails here, instead of in a 13-minute validation of the full store, which
once found 2,356 ``Located-country`` Violations the checks had let through
(organisations pointing to countries that no graph declared).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from ecograph.bundle import Bundle
from ecograph.changes import ChangeSet, graph_quads
from ecograph.importers import run_import
from ecograph.importers.run import importer, run_checks
from ecograph.incremental import resulting_state, validate_change
from ecograph.pipeline import load_sources
from ecograph.shapereach import ShapeReach
from ecograph.store.embedded import OxigraphStore
from ecograph.validate import ValidationReport, validate

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
G = "https://w3id.org/ecograph/graph/"
P = "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"
MOROCCO = URIRef("https://w3id.org/ecograph/id/country/MA")
LOCATED_COUNTRY = "https://w3id.org/ecograph/shapes#Located-country"
#: The kinds that refer to countries, after the NUTS regions they need.
REFERRING = [("nuts", "nuts"), ("cordis-network", "cordis-network"),
             ("cordis-horizon", "cordis-horizon"), ("ror", "ror")]
#: The kinds that declare countries (their graphs stand alone).
DECLARING = [("cordis-reference", "cordis-reference", "cordis-reference"),
             ("iso3166", "iso3166", "iso-3166")]


@pytest.fixture(scope="module")
def imported(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory,
             ) -> Iterator[tuple[OxigraphStore, Path]]:
    """The schema and the four imports that refer to countries; no country table anywhere."""
    folder = tmp_path_factory.mktemp("checks-vs-shapes")
    store = OxigraphStore(folder / "store")
    load_sources(store, [], bundle)
    for kind, fixture in REFERRING:
        run_import(store, kind, [REAL / fixture], log_dir=folder / "logs")
    yield store, folder
    store.close()


def _violations(report: ValidationReport) -> list[tuple[str, str, str, str]]:
    return sorted((str(r.focus), str(r.shape), str(r.value), r.message)
                  for r in report.results if r.severity == "Violation")


def test_what_the_checks_let_through_the_shapes_accept(imported, bundle: Bundle) -> None:
    store, _ = imported
    assert not store.has_graph(URIRef(G + "iso-3166"))
    data = resulting_state(store, ChangeSet())
    assert len(data) > 10_000
    report = validate(data, bundle.shapes().graph, bundle.schema())
    assert _violations(report) == []


@pytest.mark.parametrize(("kind", "fixture", "graph"), DECLARING, ids=[k for k, _, _ in DECLARING])
def test_the_country_tables_conform_on_their_own(kind: str, fixture: str, graph: str,
                                                 bundle: Bundle, tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    try:
        load_sources(store, [], bundle)
        run_import(store, kind, [REAL / fixture], log_dir=tmp_path / "logs")
        data = Graph()
        data += store.get_graph(URIRef(G + graph))
    finally:
        store.close()
    assert len(data) > 50
    assert _violations(validate(data, bundle.shapes().graph, bundle.schema())) == []


@pytest.mark.parametrize("graph", ["cordis-network", "cordis-horizon-europe", "ror-europe"])
def test_each_graph_declares_the_countries_it_refers_to(imported, graph: str) -> None:
    store, _ = imported
    used = store.query(P + f"""SELECT DISTINCT ?c WHERE {{ GRAPH <{G}{graph}> {{
        ?o ecograph:country ?c }} }}""").rows
    undeclared = store.query(P + f"""SELECT DISTINCT ?c WHERE {{ GRAPH <{G}{graph}> {{
        ?o ecograph:country ?c .
        FILTER NOT EXISTS {{ ?c a ecograph:Country ; ecograph:isoAlpha2Code ?code ;
                                <http://www.w3.org/2000/01/rdf-schema#label> ?name }} }} }}""")
    assert len(used) >= 5
    assert undeclared.rows == []


def test_the_checks_and_the_shapes_refuse_the_same_undeclared_country(imported,
                                                                      bundle: Bundle) -> None:
    """Morocco's declaration taken out of the network graph: both name the same organisations."""
    store, _ = imported
    graph = URIRef(G + "cordis-network")
    declaration = {q for q in graph_quads(store, graph) if q[0] == MOROCCO}
    assert declaration, "the network graph does not declare Morocco, which fp7_orgs.csv uses"
    shapes = bundle.shapes().graph
    change = ChangeSet(removals=declaration)
    by_shapes = validate_change(store, change, shapes, bundle.schema(), ShapeReach.of(shapes))
    assert by_shapes.mode == "incremental"
    store.update(P + f"DELETE WHERE {{ GRAPH <{graph}> {{ <{MOROCCO}> ?p ?o }} }}")
    try:
        by_checks = run_checks(store, graph, importer("cordis-network").CHECKS)
    finally:
        triples = " ".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o, _g in declaration)
        store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}")
    shaped = {(focus, shape) for focus, shape, _value, _message in _violations(by_shapes.report)}
    checked = {(str(r.focus), str(r.shape)) for r in by_checks.results}
    assert checked, "the checks let an undeclared country through"
    assert {shape for _, shape in checked} == {LOCATED_COUNTRY}
    assert checked == shaped
