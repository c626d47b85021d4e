"""RDF and SPARQL-results syntaxes: names, media types, file extensions, parser names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ecograph.errors import UnsupportedFormatError


@dataclass(frozen=True)
class RdfSyntax:
    """One RDF syntax as ecograph reads and writes it."""

    name: str
    media_type: str
    extensions: tuple[str, ...]
    rdflib_format: str
    oxigraph: ox.RdfFormat
    dataset: bool = False
    aliases: tuple[str, ...] = ()


RDF_SYNTAXES: tuple[RdfSyntax, ...] = (
    RdfSyntax("turtle", "text/turtle", (".ttl",), "turtle", ox.RdfFormat.TURTLE,
              aliases=("application/x-turtle",)),
    RdfSyntax("ntriples", "application/n-triples", (".nt",), "nt", ox.RdfFormat.N_TRIPLES,
              aliases=("text/plain",)),
    RdfSyntax("jsonld", "application/ld+json", (".jsonld", ".json"), "json-ld",
              ox.RdfFormat.JSON_LD, dataset=True),
    RdfSyntax("rdfxml", "application/rdf+xml", (".rdf", ".owl", ".xml"), "xml",
              ox.RdfFormat.RDF_XML),
    RdfSyntax("trig", "application/trig", (".trig",), "trig", ox.RdfFormat.TRIG, dataset=True),
    RdfSyntax("nquads", "application/n-quads", (".nq",), "nquads", ox.RdfFormat.N_QUADS,
              dataset=True),
    RdfSyntax("n3", "text/n3", (".n3",), "n3", ox.RdfFormat.N3),
)

RESULTS_MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def syntax_by_name(name: str) -> RdfSyntax:
    """Return the syntax called *name* (``turtle``, ``nquads``, …) or raise."""
    for syntax in RDF_SYNTAXES:
        if syntax.name == name.lower():
            return syntax
    names = ", ".join(s.name for s in RDF_SYNTAXES)
    raise UnsupportedFormatError(f"unknown RDF format {name!r}; use one of: {names}")


def syntax_for_media_type(media_type: str) -> RdfSyntax:
    """Return the syntax served as *media_type* (parameters ignored) or raise."""
    bare = media_type.split(";", 1)[0].strip().lower()
    for syntax in RDF_SYNTAXES:
        if bare == syntax.media_type or bare in syntax.aliases:
            return syntax
    offered = ", ".join(s.media_type for s in RDF_SYNTAXES)
    raise UnsupportedFormatError(f"unsupported RDF media type {bare!r}; use one of: {offered}")


def syntax_for_path(path: Path) -> RdfSyntax:
    """Return the syntax of a file by its extension (``.ttl``, ``.nt.gz`` is not read)."""
    suffix = path.suffix.lower()
    for syntax in RDF_SYNTAXES:
        if suffix in syntax.extensions:
            return syntax
    known = ", ".join(ext for s in RDF_SYNTAXES for ext in s.extensions)
    raise UnsupportedFormatError(
        f"{path}: unknown RDF file type {suffix or '(no extension)'!r}; known: {known}"
    )
