"""The ontology is shipped like a standard: every ecograph term used anywhere is declared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from ecograph.load import parse_file
from ecograph.namespaces import ECOGRAPH, ONTOLOGY_IRI

ROOT = Path(__file__).resolve().parents[2]
TERM = re.compile(r"(?:(?<![\w:/.-])ecograph:|https://w3id\.org/ecograph/ontology#)([A-Za-z_][\w-]*)")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_file(ROOT / "ontology" / "ecograph.ttl").graph


def _rdf_files() -> list[Path]:
    folders = ["ontology/shapes", "ontology/vocabularies", "data/sources",
               "tests/fixtures/valid", "tests/fixtures/invalid"]
    return sorted(p for f in folders for p in (ROOT / f).glob("*.ttl"))


def _used_terms() -> dict[str, set[str]]:
    """Every ecograph term IRI used in RDF files, queries and Python sources → where."""
    used: dict[str, set[str]] = {}
    for path in _rdf_files():
        for triple in parse_file(path).graph:
            for term in triple:
                if isinstance(term, URIRef) and str(term).startswith(str(ECOGRAPH)):
                    used.setdefault(str(term), set()).add(str(path.relative_to(ROOT)))
    texts = [*(ROOT / "queries").rglob("*.rq"), *(ROOT / "src").rglob("*.py")]
    for path in texts:
        for match in TERM.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(str(ECOGRAPH[match[1]]), set()).add(str(path.relative_to(ROOT)))
    return used


def test_the_ontology_has_a_header(ontology: Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, DCTERMS.license) is not None
    assert ontology.value(onto, DCTERMS.title) is not None


def test_every_declared_term_has_label_comment_and_is_defined_by(ontology: Graph) -> None:
    declared = {s for s in ontology.subjects(RDF.type, None)
                if isinstance(s, URIRef) and str(s).startswith(str(ECOGRAPH))}
    assert len(declared) > 40
    problems = []
    for term in sorted(declared):
        labels = [lbl for lbl in ontology.objects(term, RDFS.label)
                  if isinstance(lbl, Literal) and lbl.language == "en"]
        if not labels:
            problems.append(f"{term}: no rdfs:label@en")
        if ontology.value(term, RDFS.comment) is None:
            problems.append(f"{term}: no rdfs:comment")
        if ontology.value(term, RDFS.isDefinedBy) != URIRef(ONTOLOGY_IRI):
            problems.append(f"{term}: rdfs:isDefinedBy is not the ontology")
    assert problems == []


def test_no_undeclared_ecograph_term_is_used_anywhere(ontology: Graph) -> None:
    declared = {str(s) for s in ontology.subjects(RDF.type, None)}
    undeclared = {term: sorted(where) for term, where in _used_terms().items()
                  if term not in declared}
    assert undeclared == {}


def test_the_check_catches_a_misspelt_term(ontology: Graph, tmp_path: Path) -> None:
    # The ORG ontology shipped org:subOrganzationOf; make sure our check would notice ours.
    declared = {str(s) for s in ontology.subjects(RDF.type, None)}
    assert str(ECOGRAPH["memberOff"]) not in declared
    sample = "SELECT * { ?a ecograph:memberOff ?b }"
    assert [m[1] for m in TERM.finditer(sample)] == ["memberOff"]


def test_imports_are_shipped_as_files_and_nothing_is_fetched(ontology: Graph) -> None:
    imports = ROOT / "ontology" / "imports"
    shipped = sorted(p.name for p in imports.glob("*.ttl"))
    assert "eurio.ttl" in shipped
    for target in ontology.objects(None, OWL.imports):
        assert any(p.stem in str(target).lower() for p in imports.glob("*.ttl")), target
