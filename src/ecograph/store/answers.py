"""Reading a SPARQL server's answers (results JSON/XML, RDF) into ecograph's query results.

Terms are built exactly as the embedded backend builds them (``xsd:string`` literals are
plain literals), so both backends return equal results for equal data.
"""

from __future__ import annotations

import io
import json
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ecograph.errors import UnsupportedFormatError
from ecograph.formats import syntax_for_media_type
from ecograph.store.base import AskResult, GraphResult, QueryResult, SelectResult

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
#: What a query asks for: JSON results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE.
#: (Virtuoso answers a CONSTRUCT as a results table when results are acceptable, so the
#: form picks the Accept header; an unknown form accepts both.)
RESULTS_ACCEPT = f"{JSON_RESULTS}, {XML_RESULTS};q=0.8"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
QUERY_ACCEPT = f"{RESULTS_ACCEPT}, application/n-triples;q=0.9, text/turtle;q=0.7"


def accept_for(form: str | None) -> str:
    """The Accept header for a query of *form* (see :func:`sparql_text.query_form`)."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        return RDF_ACCEPT
    if form in ("SELECT", "ASK"):
        return RESULTS_ACCEPT
    return QUERY_ACCEPT
_PLAIN = (str(XSD.string), str(RDF.langString))


class AnswerError(ValueError):
    """An answer that is not SPARQL results or RDF, or does not parse; says what it was."""


def media_type(content_type: str | None) -> str:
    """The bare media type of a ``Content-Type`` header value."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def json_term(value: dict[str, Any]) -> Node:
    """One RDF term of SPARQL 1.1 Query Results JSON."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return Literal(value["value"], lang=lang)
        datatype = value.get("datatype")
        if datatype is None or datatype in _PLAIN:
            return Literal(value["value"])
        return Literal(value["value"], datatype=URIRef(datatype))
    raise AnswerError(f"unsupported term type {kind!r} in the results")


def parse_json_results(body: bytes) -> SelectResult | AskResult:
    """SPARQL 1.1 Query Results JSON → a select or ask result."""
    try:
        doc = json.loads(body)
        if "boolean" in doc:
            return AskResult(bool(doc["boolean"]))
        names = list(doc["head"].get("vars", []))
        rows = [tuple(json_term(b[n]) if n in b else None for n in names)
                for b in doc["results"]["bindings"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise AnswerError(f"malformed SPARQL JSON results ({exc})") from exc
    return SelectResult(names, rows)


def parse_xml_results(body: bytes) -> SelectResult | AskResult:
    """SPARQL Query Results XML → a select or ask result (for servers ignoring Accept)."""
    from rdflib.query import Result

    try:
        result = Result.parse(io.BytesIO(body), format="xml")
    except Exception as exc:
        raise AnswerError(f"malformed SPARQL XML results ({exc})") from exc
    if result.type == "ASK":
        return AskResult(bool(result.askAnswer))
    names = [str(v) for v in result.vars or []]
    rows = [tuple(_plain(row[i]) for i in range(len(names))) for row in result]
    return SelectResult(names, rows)


def _plain(term: Node | None) -> Node | None:
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in _PLAIN:
        return Literal(str(term))
    return term


def parse_rdf(body: bytes, content_type: str) -> Graph:
    """An RDF answer (N-Triples, Turtle, RDF/XML, JSON-LD…) → an rdflib Graph."""
    try:
        syntax = syntax_for_media_type(content_type)
    except UnsupportedFormatError:
        raise AnswerError(f"answered {media_type(content_type) or 'no content type'} "
                          "instead of RDF") from None
    graph = Graph()
    try:
        graph.parse(data=body, format=syntax.rdflib_format)
    except Exception as exc:
        raise AnswerError(f"the {syntax.name} answer does not parse ({exc})") from exc
    return graph


def parse_answer(body: bytes, content_type: str | None) -> QueryResult:
    """Any query answer, by its media type; raises :class:`AnswerError` for anything else."""
    kind = media_type(content_type)
    if kind in (JSON_RESULTS, "application/json"):
        return parse_json_results(body)
    if kind in (XML_RESULTS,):
        return parse_xml_results(body)
    try:
        if kind == "text/plain":  # an error page as often as N-Triples: refuse to guess
            raise UnsupportedFormatError(kind)
        syntax_for_media_type(kind)
    except UnsupportedFormatError:
        raise AnswerError(f"answered {kind or 'no content type'} instead of SPARQL results "
                          "or RDF") from None
    return GraphResult(parse_rdf(body, kind))
