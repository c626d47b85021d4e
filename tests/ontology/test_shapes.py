"""The shapes say what good data is: valid fixtures conform, each invalid one breaks its shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ecograph.bundle import Bundle
from ecograph.load import parse_file
from ecograph.validate import validate

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BREAKS = re.compile(r"^#\s*breaks:\s*<?(?P<shape>[^>\s]+)>?\s*$", re.MULTILINE)


def _fixtures(kind: str) -> list[Path]:
    return sorted((FIXTURES / kind).glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes(bundle: Bundle) -> Graph:
    return bundle.shapes().graph


@pytest.fixture(scope="module")
def schema(bundle: Bundle) -> Graph:
    return bundle.schema()


def test_there_are_enough_fixtures() -> None:
    assert len(_fixtures("valid")) >= 2
    assert len(_fixtures("invalid")) >= 12


def test_every_shape_has_severity_and_message(shapes: Graph) -> None:
    missing = []
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    ):
        if shapes.value(shape, SH.severity) is None:
            missing.append(f"{shape}: no sh:severity")
        if shapes.value(shape, SH.message) is None and not any(
            shapes.objects(shape, SH.property)
        ):
            missing.append(f"{shape}: no sh:message")
    assert missing == []


@pytest.mark.parametrize("path", _fixtures("valid"), ids=lambda p: p.name)
def test_valid_fixtures_conform(path: Path, shapes: Graph, schema: Graph) -> None:
    report = validate(parse_file(path).graph, shapes, schema)
    assert report.accepted, [(str(r.focus), str(r.shape), r.message) for r in report.results]


@pytest.mark.parametrize("path", _fixtures("invalid"), ids=lambda p: p.name)
def test_invalid_fixtures_break_exactly_the_shape_they_name(path: Path, shapes: Graph,
                                                          schema: Graph) -> None:
    match = BREAKS.search(path.read_text(encoding="utf-8"))
    assert match is not None, f"{path.name} does not say which shape it breaks"
    expected = URIRef(match["shape"])
    assert (expected, None, None) in shapes, f"{expected} is not a shape"
    report = validate(parse_file(path).graph, shapes, schema)
    assert report.results, f"{path.name} conforms but should break {expected}"
    assert report.shapes() == {expected}
