"""SPARQL text for the remote backend: IRIs and update bodies it writes, clauses it reads."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from rdflib import Graph, URIRef

from ecograph.errors import InputError
from ecograph.sparql_lexer import declares_dataset, query_form
from ecograph.terms import graph_as_ntriples

__all__ = ["declares_dataset", "iri", "ntriples", "query_form", "replace_request"]

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri(term: URIRef | str) -> str:
    """Write *term* as a SPARQL IRI, refusing one that could break out of ``<…>``.

    >>> iri("https://w3id.org/ecograph/graph/a")
    '<https://w3id.org/ecograph/graph/a>'
    """
    text = str(term)
    if not text or _IRI_FORBIDDEN.search(text):
        raise InputError(f"not a usable graph IRI: {text!r}")
    return f"<{text}>"


def ntriples(target: URIRef, data: Graph) -> str:
    """The graph as N-Triples; a term rdflib cannot write is bad input, named as such."""
    try:
        return graph_as_ntriples(data)
    except Exception as exc:  # rdflib raises a bare Exception for a malformed IRI
        raise InputError(f"graph <{target}> cannot be written as N-Triples: {exc}") from exc


class Body:
    """A request body held as parts: sent with its length, never chunked, and re-sendable.

    Virtuoso 7.2 answers 200 to a chunked update request without running it, so every
    body ecograph sends carries a ``Content-Length``; the parts are still sent one by
    one, never joined into one copy.
    """

    def __init__(self, parts: Sequence[bytes | str]) -> None:
        self.parts = [p.encode("utf-8") if isinstance(p, str) else p for p in parts]
        self.length = sum(len(p) for p in self.parts)

    def __call__(self) -> Iterator[bytes]:
        return iter(self.parts)


def replace_request(graphs: Mapping[URIRef, Graph]) -> Body:
    """One update replacing every graph."""
    parts: list[bytes | str] = []
    for number, (target, data) in enumerate(graphs.items()):
        name = iri(target)
        parts.append(f"{' ;' if number else ''}\nDROP SILENT GRAPH {name} ;\n")
        if not len(data):
            parts.append(f"CREATE SILENT GRAPH {name}")
            continue
        parts += [f"INSERT DATA {{ GRAPH {name} {{\n", ntriples(target, data), "} }"]
    return Body(parts)
