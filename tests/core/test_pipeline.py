"""Loading is gated by the shapes and atomic: refused data changes nothing, reloads replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.errors import ValidationFailedError
from ecograph.load import parse_file
from ecograph.pipeline import load_sources
from ecograph.store.embedded import OxigraphStore

ONTOLOGY = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Hospital rdfs:subClassOf ex:Organisation ."""
SHAPES = """@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
ex:OrgShape a sh:NodeShape ; sh:targetClass ex:Organisation ;
  sh:property ex:OrgLabel .
ex:OrgLabel a sh:PropertyShape ; sh:path ex:label ; sh:minCount 1 ;
  sh:severity sh:Violation ; sh:message "An organisation needs a label." .
ex:OrgSite a sh:PropertyShape ; sh:path ex:site ; sh:minCount 1 ;
  sh:severity sh:Warning ; sh:message "An organisation should have a site." .
ex:OrgShape sh:property ex:OrgSite ."""
GOOD = "@prefix ex: <http://example.org/> . ex:h a ex:Hospital ; ex:label \"H\" ; ex:site ex:x ."
WARN = "@prefix ex: <http://example.org/> . ex:h2 a ex:Hospital ; ex:label \"H2\" ."
BAD = "@prefix ex: <http://example.org/> . ex:h3 a ex:Hospital ."


@pytest.fixture
def bundle(tmp_path: Path) -> Bundle:
    onto = tmp_path / "ontology"
    (onto / "shapes").mkdir(parents=True)
    (onto / "vocabularies").mkdir()
    (onto / "ecograph.ttl").write_text(ONTOLOGY, encoding="utf-8")
    (onto / "shapes" / "core.ttl").write_text(SHAPES, encoding="utf-8")
    (onto / "vocabularies" / "none.ttl").write_text("", encoding="utf-8")
    return Bundle(onto, tmp_path / "data")


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_data_lands_in_its_graph_with_the_schema(tmp_path: Path, bundle: Bundle,
                                                       empty_store: OxigraphStore) -> None:
    outcome = load_sources(empty_store, [parse_file(_file(tmp_path, "good.ttl", GOOD))], bundle)
    graph = graphs.source_graph("good")
    assert outcome.written[graph] == 3
    assert set(empty_store.graphs()) >= {graph, graphs.ONTOLOGY, graphs.SHAPES}
    assert empty_store.count(graph) == 3


def test_subclass_instances_are_targeted_and_violations_refuse_everything(
    tmp_path: Path, bundle: Bundle, empty_store: OxigraphStore
) -> None:
    load_sources(empty_store, [parse_file(_file(tmp_path, "good.ttl", GOOD))], bundle)
    before = empty_store.count()
    sources = [parse_file(_file(tmp_path, "other.ttl", WARN)),
               parse_file(_file(tmp_path, "bad.ttl", BAD))]
    with pytest.raises(ValidationFailedError) as caught:
        load_sources(empty_store, sources, bundle)
    report = caught.value.report
    assert report.count("Violation") == 1
    (violation,) = [r for r in report.results if r.severity == "Violation"]
    assert violation.focus == URIRef("http://example.org/h3")
    assert violation.shape == URIRef("http://example.org/OrgLabel")
    assert violation.message == "An organisation needs a label."
    assert empty_store.count() == before
    assert graphs.source_graph("other") not in empty_store.graphs()


def test_warnings_are_written_and_reported(tmp_path: Path, bundle: Bundle,
                                           empty_store: OxigraphStore) -> None:
    outcome = load_sources(empty_store, [parse_file(_file(tmp_path, "w.ttl", WARN))], bundle)
    assert outcome.report.accepted and not outcome.report.conforms
    assert outcome.report.count("Warning") == 1
    assert empty_store.count(graphs.source_graph("w")) == 2


def test_loading_twice_replaces_never_duplicates(tmp_path: Path, bundle: Bundle,
                                                  empty_store: OxigraphStore) -> None:
    path = _file(tmp_path, "good.ttl", GOOD)
    load_sources(empty_store, [parse_file(path)], bundle)
    first = empty_store.count()
    outcome = load_sources(empty_store, [parse_file(path)], bundle)
    assert empty_store.count() == first
    assert graphs.source_graph("good") in outcome.replaced
    path.write_text(GOOD.replace('"H"', '"Renamed"'), encoding="utf-8")
    load_sources(empty_store, [parse_file(path)], bundle)
    labels = empty_store.query("SELECT ?l WHERE { ?s <http://example.org/label> ?l }")
    assert [str(r[0]) for r in labels.rows] == ["Renamed"]


def test_dry_run_writes_nothing(tmp_path: Path, bundle: Bundle,
                                empty_store: OxigraphStore) -> None:
    outcome = load_sources(empty_store, [parse_file(_file(tmp_path, "good.ttl", GOOD))], bundle,
                           dry_run=True)
    assert outcome.dry_run and outcome.written
    assert empty_store.is_empty()


def test_validation_sees_stored_data_of_other_sources(tmp_path: Path, bundle: Bundle,
                                                       empty_store: OxigraphStore) -> None:
    # The label of ex:h3 comes from another, already stored, source.
    load_sources(empty_store, [parse_file(_file(tmp_path, "labels.ttl",
                 '@prefix ex: <http://example.org/> . ex:h3 ex:label "H3" .'))], bundle)
    outcome = load_sources(empty_store, [parse_file(_file(tmp_path, "bad.ttl", BAD))], bundle)
    assert outcome.report.accepted
