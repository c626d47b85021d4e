"""The JSON-LD context: one term per ontology term, coerced right, and lossless round trips."""

from __future__ import annotations

import json

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from ecograph.context import OntologyFile, build_context, context_document, serialize_jsonld
from ecograph.load import parse_file
from ecograph.namespaces import ECOGRAPH

from .conftest import ROOT


def _ontology() -> Graph:
    return parse_file(ROOT / "ontology" / "ecograph.ttl").graph


def test_every_declared_term_has_a_context_entry():
    onto = _ontology()
    context = build_context(onto)
    declared = {str(s)[len(str(ECOGRAPH)):] for s in onto.subjects(RDF.type, None)
                if isinstance(s, URIRef) and str(s).startswith(str(ECOGRAPH))}
    assert declared and declared <= set(context)
    for name in declared:
        entry = context[name]
        target = entry if isinstance(entry, str) else entry["@id"]
        assert target == f"ecograph:{name}"


def test_object_properties_are_links_and_typed_datatype_properties_keep_their_type():
    context = build_context(_ontology())
    onto = _ontology()
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(str(ECOGRAPH)):
            assert context[str(prop)[len(str(ECOGRAPH)):]]["@type"] == "@id"
    assert context["nutsLevel"] == {"@id": "ecograph:nutsLevel", "@type": "xsd:integer"}
    assert "@type" not in context["rorId"]  # xsd:string needs no coercion
    assert context["label"] == {"@id": "rdfs:label"}


def test_a_graph_serialised_with_the_context_parses_back_to_the_same_graph(ld_store):
    from ecograph.describe import describe

    description = describe(ld_store, "https://w3id.org/ecograph/id/organisation/umf-iasi")
    graph = description.graph()
    context = build_context(_ontology())
    body = serialize_jsonld(graph, context)
    document = json.loads(body)
    assert document["@context"] == context
    assert "country" in json.dumps(document)  # compacted to the short term
    assert Graph().parse(data=body, format="json-ld").isomorphic(graph)


def test_the_context_document_and_the_file_cache(tmp_path):
    source = tmp_path / "ecograph.ttl"
    source.write_text("@prefix ecograph: <https://w3id.org/ecograph/ontology#> .\n"
                      "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                      "ecograph:Thing a owl:Class .\n", encoding="utf-8")
    cached = OntologyFile(source)
    assert cached.context()["Thing"] == "ecograph:Thing"
    assert "Other" not in cached.context()
    source.write_text(source.read_text() + "ecograph:Other a owl:Class .\n", encoding="utf-8")
    assert cached.context()["Other"] == "ecograph:Other"
    assert json.loads(context_document(cached.context()))["@context"]["Thing"]
