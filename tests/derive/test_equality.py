"""The derived edges give exactly the pairs and counts of the on-the-fly query.

On the bundled data (derived by the load) and on a real CORDIS slice (derived by the
import), for every NUTS level, without and with each framework programme.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from ecograph import graphs
from ecograph.derive import derive_edges
from ecograph.derive.edges import EdgeKey, edge_iri
from ecograph.importers import run_import
from ecograph.iris import parse_entity_iri
from ecograph.namespaces import ECOGRAPH
from ecograph.store.embedded import OxigraphStore
from ecograph.validate import validate
from tests.derive.helpers import ROOT, derived, root_codes, rows

REAL = ROOT / "tests" / "fixtures" / "real"


@pytest.fixture(scope="module")
def real_slice(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory,
               ) -> Iterator[OxigraphStore]:
    """The bundle with real NUTS and CORDIS network extracts imported (edges derived)."""
    folder = tmp_path_factory.mktemp("derive-real")
    shutil.copytree(loaded_store_path, folder / "store")
    store = OxigraphStore(folder / "store")
    for kind in ("nuts", "cordis-network"):
        run_import(store, kind, [REAL / kind], log_dir=folder / "logs")
    yield store
    store.close()


def _same_answers(store: OxigraphStore, levels: tuple[str, ...] = ("0", "1", "2", "3"),
                  programme_levels: tuple[str, ...] = ("0", "1", "2", "3")) -> int:
    """Compare both queries at *levels* (and each framework programme at
    *programme_levels*); return the pairs compared."""
    compared = 0
    for level in levels:
        for programme in [None, *(root_codes(store) if level in programme_levels else [])]:
            extra = {} if programme is None else {"programme": programme}
            expected = rows(store, "regions-sharing-projects", level=level, **extra)
            found = rows(store, "region-collaborations", level=level, **extra)
            assert found == expected, (level, programme)
            compared += len(expected)
    return compared


def test_edges_equal_the_on_the_fly_query_on_the_bundle(loaded_store) -> None:
    assert loaded_store.count(graphs.REGION_COLLABORATION) > 0, "the load derives the edges"
    assert len(root_codes(loaded_store)) >= 2
    assert _same_answers(loaded_store) > 100
    ro21 = [r for r in rows(loaded_store, "region-collaborations", level="2")
            if "region/RO21" in r[0] + r[2]]
    assert {"ES51", "BG41", "PL91", "ITI4"} <= {
        (r[2] if r[0].endswith("RO21") else r[0]).rsplit("/", 1)[1] for r in ro21}


def test_edges_equal_the_on_the_fly_query_on_a_real_cordis_slice(real_slice) -> None:
    before = derived(real_slice)
    assert _same_answers(real_slice, programme_levels=("2",)) > 500
    assert derive_edges(real_slice).edges == len(
        {s for s, p, _ in before if p == f"<{ECOGRAPH.firstRegion}>"})
    assert derived(real_slice) == before, "the import left the edges a full run gives"


def test_the_minimum_keeps_the_pairs_sharing_enough(real_slice) -> None:
    every = rows(real_slice, "region-collaborations", level="0")
    some = rows(real_slice, "region-collaborations", level="0", minimum="3")
    assert some == [r for r in every if int(r[4]) >= 3]
    assert 0 < len(some) < len(every)


def test_edge_iris_are_minted_and_match_the_python_minter(real_slice) -> None:
    found = real_slice.query(
        "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"
        "SELECT ?e ?a ?b ?level ?programme WHERE { ?e ecograph:firstRegion ?a ; "
        "ecograph:secondRegion ?b ; ecograph:collaborationLevel ?level . "
        "OPTIONAL { ?e ecograph:collaborationProgramme ?programme } }")
    assert len(found.rows) > 500
    for edge, a, b, level, programme in found.rows:
        assert parse_entity_iri(str(edge)) is not None, edge
        key = EdgeKey(str(a), str(b), int(level), None if programme is None else str(programme))
        assert edge_iri(key) == edge


def _edges_with_their_regions(store: OxigraphStore) -> Graph:
    """The derived graph plus the types and levels of the regions and programmes it names."""
    found = store.query(
        "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"
        "CONSTRUCT { ?e ?p ?o . ?x a ?type ; ecograph:nutsLevel ?level } WHERE {"
        f" {{ GRAPH <{graphs.REGION_COLLABORATION}> {{ ?e ?p ?o }} }} UNION"
        f" {{ GRAPH <{graphs.REGION_COLLABORATION}> {{ ?e ?link ?x . FILTER(isIRI(?x)) }}"
        "   ?x a ?type . OPTIONAL { ?x ecograph:nutsLevel ?level } } }")
    return found.graph


def test_the_edges_conform_to_their_shape(real_slice, bundle) -> None:
    data = _edges_with_their_regions(real_slice)
    edges = sorted(set(data.subjects(ECOGRAPH.firstRegion, None)))
    assert len(edges) > 500
    sample = edges[::4]  # every level and programme, a quarter of the pairs (pyshacl is slow)
    report = validate(data, bundle.shapes().graph, bundle.schema(), focus_nodes=sample)
    assert [r for r in report.results if r.severity == "Violation"] == []


def test_the_shape_refuses_an_edge_out_of_order(real_slice, bundle) -> None:
    data = _edges_with_their_regions(real_slice)
    edge = sorted(data.subjects(ECOGRAPH.firstRegion, None))[0]
    first = data.value(edge, ECOGRAPH.firstRegion)
    second = data.value(edge, ECOGRAPH.secondRegion)
    data.set((edge, ECOGRAPH.firstRegion, second))
    data.set((edge, ECOGRAPH.secondRegion, first))
    report = validate(data, bundle.shapes().graph, bundle.schema(), focus_nodes=[edge])
    assert [(str(r.shape), str(r.constraint)) for r in report.results] == [
        ("https://w3id.org/ecograph/shapes#RegionCollaboration",
         "http://www.w3.org/ns/shacl#SPARQLConstraintComponent")]
