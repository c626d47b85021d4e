"""The prefixes ecograph uses, as rdflib namespaces and as a SPARQL/Turtle prefix table."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

BASE = "https://w3id.org/ecograph/"
ONTOLOGY_IRI = BASE + "ontology"

ECOGRAPH = Namespace(ONTOLOGY_IRI + "#")
ECOSHAPE = Namespace(BASE + "shapes#")
ID = Namespace(BASE + "id/")
VOCAB = Namespace(BASE + "vocab/")
GRAPH = Namespace(BASE + "graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
EURIO = Namespace("http://data.europa.eu/s66#")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES: dict[str, str] = {
    "ecograph": str(ECOGRAPH),
    "ecoshape": str(ECOSHAPE),
    "id": str(ID),
    "vocab": str(VOCAB),
    "graph": str(GRAPH),
    "org": str(ORG),
    "eurio": str(EURIO),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "schema": str(SDO),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "void": str(VOID),
}


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """Return ``PREFIX`` lines for *prefixes* (default: every ecograph prefix).

    >>> sparql_prologue({"ex": "http://example.org/"})
    'PREFIX ex: <http://example.org/>\\n'
    """
    table = PREFIXES if prefixes is None else prefixes
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in table.items())
