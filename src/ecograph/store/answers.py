"""Reading a SPARQL server's answers (results JSON/XML, RDF) into ecograph's query results.

Terms are built exactly as the embedded backend builds them (``xsd:string`` literals are
plain literals), so both backends return equal results for equal data.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pyoxigraph as ox
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
_LABEL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


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
        return blank(value["value"])
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return Literal(value["value"], lang=lang)
        datatype = value.get("datatype")
        if datatype is None or datatype in _PLAIN:
            return Literal(value["value"])
        return Literal(value["value"], datatype=URIRef(datatype))
    raise AnswerError(f"unsupported term type {kind!r} in the results")


def blank(label: str) -> BNode:
    """A blank node for a server's label, made a valid label if it is not one.

    Virtuoso labels blank nodes ``nodeID://b10125``, which no N-Triples or TSV writer may
    write; such a label is hex-encoded (the same label always gives the same node).

    >>> blank("b0"), blank("nodeID://b1")
    (rdflib.term.BNode('b0'), rdflib.term.BNode('x6e6f646549443a2f2f6231'))
    """
    if _LABEL.match(label):
        return BNode(label)
    return BNode("x" + label.encode("utf-8").hex())


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
    if isinstance(term, BNode):
        return blank(str(term))
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


def results_format(kind: str) -> ox.QueryResultsFormat:
    """The Oxigraph results format of a SPARQL results media type (raises if unknown)."""
    found = ox.QueryResultsFormat.from_media_type(kind)
    if found is None:
        raise UnsupportedFormatError(f"unknown SPARQL results media type {kind!r}")
    return found


def cap_results(body: bytes, kind: str, target: str, max_rows: int,
                ) -> tuple[bytes, int, bool]:
    """A results answer in *kind* as *target* with at most *max_rows* rows.

    Returns the body, the rows it holds and whether rows were cut. The answer passes
    through untouched when it is already *target* and short enough.
    """
    solutions = ox.parse_query_results(body, format=results_format(kind))
    if isinstance(solutions, ox.QueryBoolean):
        out = body if kind == target else solutions.serialize(format=results_format(target))
        return out, 1, False
    tsv = solutions.serialize(format=ox.QueryResultsFormat.TSV).split(b"\n")
    rows = len(tsv) - 2  # the header line, and the empty string after the last newline
    if rows <= max_rows and kind == target:
        return body, rows, False
    cut = rows > max_rows
    kept = b"\n".join(tsv[: min(rows, max_rows) + 1]) + b"\n"
    parsed = ox.parse_query_results(kept, format=ox.QueryResultsFormat.TSV)
    return parsed.serialize(format=results_format(target)), min(rows, max_rows), cut


def cap_triples(body: bytes, kind: str, target: str, max_rows: int,
                ) -> tuple[bytes, int, bool]:
    """An RDF answer in *kind* as *target* with at most *max_rows* triples (as above)."""
    source, wanted = syntax_for_media_type(kind), syntax_for_media_type(target)
    triples = list(ox.parse(body, format=source.oxigraph))
    if len(triples) <= max_rows and source == wanted:
        return body, len(triples), False
    kept = triples[:max_rows]
    return ox.serialize(kept, format=wanted.oxigraph), len(kept), len(triples) > max_rows
