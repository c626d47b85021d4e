"""Parsing: RDF files and bytes into rdflib Graphs, with the file, line and reason on failure.

Parsing uses Oxigraph's parsers (fast, strict, positioned errors) and hands rdflib Graphs
to the next steps. Nothing is fetched over the network: a JSON-LD remote context or a
relative IRI without a base is an error, not a download.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ecograph.errors import InputError, ParseError
from ecograph.formats import RdfSyntax, syntax_for_path
from ecograph.graphs import graph_for_file
from ecograph.terms import to_rdflib


@dataclass
class Source:
    """A parsed source: its named graph, where it came from, and its triples."""

    graph_iri: URIRef
    origin: str
    graph: Graph


def parse_bytes(data: bytes | str, syntax: RdfSyntax, origin: str = "<input>",
                base_iri: str | None = None) -> Graph:
    """Parse *data* in *syntax* into a new Graph (quads of any graph are merged).

    Raises ``ParseError`` with *origin*, line and column when the data is malformed.

    >>> len(parse_bytes('<http://a> <http://b> "c" .', syntax_for_path(Path("x.nt"))))
    1
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    graph = Graph()
    try:
        quads = ox.parse(raw, format=syntax.oxigraph, base_iri=base_iri)
        graph_add = graph.add
        for quad in quads:
            graph_add((to_rdflib(quad.subject), to_rdflib(quad.predicate),
                       to_rdflib(quad.object)))
    except SyntaxError as exc:
        reason = exc.msg if exc.msg else str(exc)
        reason = reason.split(": ", 1)[1] if reason.startswith("Parser error") else reason
        raise ParseError(origin, reason, exc.lineno, exc.offset) from exc
    except ValueError as exc:
        raise ParseError(origin, str(exc)) from exc
    return graph


def parse_file(path: Path, syntax: RdfSyntax | None = None) -> Source:
    """Parse the RDF file at *path* (syntax from its extension unless given).

    Raises ``InputError`` for a missing file, ``UnsupportedFormatError`` for an unknown
    extension and ``ParseError`` for malformed content.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    chosen = syntax or syntax_for_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    return Source(graph_for_file(path), str(path), parse_bytes(data, chosen, str(path)))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Return the files named by *paths*, a folder standing for the RDF files inside it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir()
                                if p.is_file() and not p.name.startswith((".", "README"))))
        else:
            files.append(path)
    return files
