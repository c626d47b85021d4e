"""Bulk SHACL-SPARQL evaluation gives pyshacl's answer, constraint by constraint."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from ecograph.bundle import Bundle
from ecograph.load import parse_file
from ecograph.shacl_sparql import bulk_constraints
from ecograph.validate import ValidationResult, validate

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("*/*.ttl"))

SHAPES = """
@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
ex:Short a sh:NodeShape ; sh:targetClass ex:Thing ; sh:severity sh:Warning ;
  sh:sparql ex:ShortSparql .
ex:ShortSparql a sh:SPARQLConstraint ; sh:prefixes ex:prefixes ;
  sh:message "{$this} has a short name {?value}" ;
  sh:select "SELECT $this ?value WHERE { $this ex:name ?value FILTER(STRLEN(?value) < 3) }" .
ex:Nameless a sh:NodeShape ; sh:targetNode ex:a , ex:c ; sh:sparql ex:NamelessSparql .
ex:NamelessSparql a sh:SPARQLConstraint ; sh:prefixes ex:prefixes ; sh:message "no name" ;
  sh:select '''SELECT $this WHERE {
    FILTER NOT EXISTS { { SELECT $this ?n WHERE { $this ex:name ?n } } } }''' .
"""
DATA = """@prefix ex: <http://example.org/> .
ex:Sub <http://www.w3.org/2000/01/rdf-schema#subClassOf> ex:Thing .
ex:a a ex:Sub ; ex:name "ab" . ex:b a ex:Thing ; ex:name "long enough" . ex:c a ex:Thing ."""


def key(result: ValidationResult) -> tuple[str, ...]:
    return (str(result.focus), str(result.shape), result.severity, str(result.path),
            str(result.value))


@pytest.fixture(scope="module")
def project(bundle: Bundle) -> tuple[Graph, Graph]:
    return bundle.shapes().graph, bundle.schema()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bulk_and_pyshacl_agree_on_every_fixture(path: Path, project: tuple[Graph, Graph]) -> None:
    shapes, schema = project
    data = parse_file(path).graph
    bulk = sorted(map(key, validate(data, shapes, schema).results))
    reference = sorted(map(key, validate(data, shapes, schema, bulk_sparql=False).results))
    assert bulk == reference


def test_the_project_shapes_mostly_run_in_bulk(project: tuple[Graph, Graph]) -> None:
    shapes, _ = project
    assert len(bulk_constraints(shapes)) >= 8


def test_subclass_targets_messages_and_unsafe_fallback() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    bulk = {c.constraint for c in bulk_constraints(shapes)}
    assert bulk == {URIRef("http://example.org/ShortSparql")}  # a sub-SELECT stays with pyshacl
    report = validate(data, shapes, data)
    reference = validate(data, shapes, data, bulk_sparql=False)
    assert sorted(map(key, report.results)) == sorted(map(key, reference.results))
    short = [r for r in report.results if r.shape == URIRef("http://example.org/Short")]
    assert [(str(r.focus), r.severity, r.message) for r in short] == [
        ("http://example.org/a", "Warning", "http://example.org/a has a short name ab")]
    assert {str(r.focus) for r in report.results
            if r.shape == URIRef("http://example.org/Nameless")} == {"http://example.org/c"}


def test_focus_nodes_limit_bulk_results_too() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    only_b = validate(data, shapes, data, focus_nodes=[URIRef("http://example.org/b")])
    assert [r for r in only_b.results if r.shape == URIRef("http://example.org/Short")] == []
    only_a = validate(data, shapes, data, focus_nodes=[URIRef("http://example.org/a")])
    assert len([r for r in only_a.results if r.shape == URIRef("http://example.org/Short")]) == 1
