"""The JSON-LD context of the ontology, and compact JSON-LD written with it.

The context gives every class and property of the ecograph ontology a short term (its
local name), coerces object properties to ``@id`` and typed datatype properties to their
range, and adds the prefixes and a few common external terms (``label``, ``sameAs`` …).
It is served at ``/context.jsonld`` and embedded in every JSON-LD answer, so a JSON-LD
document from ecograph parses with no network access.

>>> from rdflib import Graph
>>> onto = Graph().parse(data='''
...   @prefix ecograph: <https://w3id.org/ecograph/ontology#> .
...   @prefix owl: <http://www.w3.org/2002/07/owl#> .
...   ecograph:memberOf a owl:ObjectProperty .''', format="turtle")
>>> build_context(onto)["memberOf"]
{'@id': 'ecograph:memberOf', '@type': '@id'}
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from ecograph.load import parse_file
from ecograph.namespaces import ECOGRAPH, PREFIXES

#: Datatypes that need no coercion in the context (a plain JSON string is already one).
_PLAIN = {XSD.string, RDF.langString, RDFS.Literal}

#: Common external terms, used when the ontology has no term of the same name.
EXTERNAL_TERMS: dict[str, tuple[URIRef, bool]] = {
    "label": (RDFS.label, False),
    "comment": (RDFS.comment, False),
    "seeAlso": (RDFS.seeAlso, True),
    "isDefinedBy": (RDFS.isDefinedBy, True),
    "sameAs": (OWL.sameAs, True),
    "prefLabel": (SKOS.prefLabel, False),
    "altLabel": (SKOS.altLabel, False),
    "notation": (SKOS.notation, False),
    "inScheme": (SKOS.inScheme, True),
    "broader": (SKOS.broader, True),
    "title": (DCTERMS.title, False),
    "identifier": (DCTERMS.identifier, False),
    "homepage": (SDO.url, True),
    "wasDerivedFrom": (PROV.wasDerivedFrom, True),
}


def _compact(iri: URIRef) -> str:
    """Return ``prefix:local`` for an IRI in a known namespace, else the IRI."""
    text = str(iri)
    best = ""
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, prefix
    return f"{name}:{text[len(best):]}" if best else text


def _definition(ontology: Graph, term: URIRef) -> str | dict[str, str]:
    types = set(ontology.objects(term, RDF.type))
    if OWL.ObjectProperty in types:
        return {"@id": _compact(term), "@type": "@id"}
    if OWL.DatatypeProperty in types:
        ranges = [r for r in ontology.objects(term, RDFS.range) if isinstance(r, URIRef)]
        if len(ranges) == 1 and ranges[0] not in _PLAIN and str(ranges[0]).startswith(str(XSD)):
            return {"@id": _compact(term), "@type": _compact(ranges[0])}
    if types & {OWL.Class, RDFS.Class}:
        return _compact(term)
    return {"@id": _compact(term)}


def build_context(ontology: Graph) -> dict[str, Any]:
    """Return the JSON-LD context (the value of ``@context``) for the *ontology* graph.

    Terms are the local names of ``ecograph:`` IRIs declared in the ontology; a local
    name used twice (which a well-formed ontology never does) keeps its first IRI in
    sorted order. Never raises for a well-formed graph; an empty graph gives prefixes only.
    """
    context: dict[str, Any] = {"id": "@id", "type": "@type"}
    context.update({p: ns for p, ns in sorted(PREFIXES.items())})
    namespace = str(ECOGRAPH)
    declared = sorted({s for s in ontology.subjects(RDF.type, None)
                       if isinstance(s, URIRef) and str(s).startswith(namespace)
                       and len(str(s)) > len(namespace)})
    for term in declared:
        name = str(term)[len(namespace):]
        if name not in context:
            context[name] = _definition(ontology, term)
    for name, (iri, is_link) in EXTERNAL_TERMS.items():
        if name not in context:
            context[name] = {"@id": _compact(iri), "@type": "@id"} if is_link else {
                "@id": _compact(iri)}
    return context


def context_document(context: dict[str, Any]) -> bytes:
    """Return the context as the JSON document served at ``/context.jsonld``."""
    return json.dumps({"@context": context}, indent=2, ensure_ascii=False).encode("utf-8")


def serialize_jsonld(data: Graph, context: dict[str, Any]) -> bytes:
    """Serialise *data* as compact JSON-LD with *context* embedded (a Dataset keeps graphs)."""
    text = data.serialize(format="json-ld", context=context, auto_compact=True,
                          ensure_ascii=False)
    return text.encode("utf-8")


class OntologyFile:
    """The ontology file, parsed (and its context built) again only when it changes.

    Thread-safe; ``graph()`` and ``context()`` raise ``ParseError`` for a malformed file
    and ``FileNotFoundError`` when it is missing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._graph = Graph()
        self._context: dict[str, Any] = {}

    def _refresh(self) -> None:
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                graph = parse_file(self.path).graph
                self._graph, self._context = graph, build_context(graph)
                self._stamp = stamp

    @property
    def stamp(self) -> tuple[int, int] | None:
        """The file's (modification time, size) when last read."""
        return self._stamp

    def graph(self) -> Graph:
        """Return the ontology graph (do not modify it)."""
        self._refresh()
        return self._graph

    def context(self) -> dict[str, Any]:
        """Return the JSON-LD context of the ontology."""
        self._refresh()
        return self._context
