"""Conversions between pyoxigraph and rdflib terms, and term serialisation for SPARQL."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term (``xsd:string`` → plain literal).

    >>> to_rdflib(ox.Literal("Iași", language="ro"))
    rdflib.term.Literal('Iași', lang='ro')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term: {term!r}")


def graph_as_ntriples(graph: Graph) -> str:
    """Serialise *graph* as N-Triples text, the escaping every backend relies on."""
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
