"""Compaction with the ontology's context keeps every triple: values a term's coercion
does not fit, blank nodes, literal and blank-node types, IRIs confused with a prefix."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

from ecograph.context import OntologyFile
from ecograph.web.jsonld import compact

ROOT = Path(__file__).resolve().parents[2]
TRICKY = """
PREFIX e: <https://w3id.org/ecograph/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {
  <https://w3id.org/ecograph/id/region/RO21> e:nutsLevel 2, "2", "3"^^xsd:decimal, "x"@en ;
      e:memberOf <https://w3id.org/ecograph/id/cluster/a>, "a literal", _:b ;
      a e:Cluster, _:c, "a literal type" ;
      rdfs:label "Nord-Est"@ro, "plain", 5 ;
      <urn:x:p> <https://w3id.org/ecograph/id/> .
  _:b a e:Organisation ; rdfs:label "line\\nbreak \\"quoted\\"" .
  <http://schema.org/> <http://schema.org/> "v" .
}
"""


def both(store: ox.Store, context: dict) -> tuple[Graph, Graph, bytes]:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    ntriples = store.query(query).serialize(format=ox.RdfFormat.N_TRIPLES)
    document = compact(store.query(query).serialize(format=ox.RdfFormat.JSON_LD), context)
    return (Graph().parse(data=ntriples, format="nt"),
            Graph().parse(data=document, format="json-ld"), document)


def test_the_ontology_and_tricky_values_survive_compaction() -> None:
    context = OntologyFile(ROOT / "ontology" / "ecograph.ttl").context()
    store = ox.Store()
    store.load(path=str(ROOT / "ontology" / "ecograph.ttl"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode("urn:x:ontology"))
    store.update(TRICKY)
    expected, got, document = both(store, context)
    assert len(expected) > 500
    assert isomorphic(expected, got)
    nodes = {n["@id"]: n for n in json.loads(document)["@graph"]}
    region = nodes["id:region/RO21"]
    assert region["nutsLevel"] == "2"  # the term's datatype: a bare value
    assert {"@language": "en", "@value": "x"} in region["ecograph:nutsLevel"]
    assert "id:cluster/a" in region["memberOf"]  # @id-coerced: IRIs and blank nodes bare
    assert any(m.startswith("_:") for m in region["memberOf"])
    assert region["ecograph:memberOf"] == "a literal"
    assert region["type"] == "Cluster"


def test_an_iri_whose_scheme_is_a_prefix_leaves_the_answer_expanded() -> None:
    context = {"id": "https://w3id.org/ecograph/id/", "label": {"@id": "http://x/label"}}
    store = ox.Store()
    store.update("INSERT DATA { <id:not-an-ecograph-iri> <http://x/label> 'x' }")
    expected, got, document = both(store, context)
    assert isomorphic(expected, got)
    assert "@context" not in document.decode()
