"""Small facts about SPARQL text the remote backend needs: IRIs to write, dataset clauses."""

from __future__ import annotations

import re

from rdflib import URIRef

from ecograph.errors import InputError

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# Strings, IRIs and comments first, so a FROM inside them is skipped; then the keywords,
# not when part of a prefixed name (``ask:x``) or a variable (``?from``).
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
    r"|(?P<from>(?<![\w:?$.-])FROM(?![\w:.-]))"
    r"|(?P<form>(?<![\w:?$.-])(?:SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:.-]))",
    re.IGNORECASE,
)


def iri(term: URIRef | str) -> str:
    """Write *term* as a SPARQL IRI, refusing one that could break out of ``<…>``.

    >>> iri("https://w3id.org/ecograph/graph/a")
    '<https://w3id.org/ecograph/graph/a>'
    """
    text = str(term)
    if not text or _IRI_FORBIDDEN.search(text):
        raise InputError(f"not a usable graph IRI: {text!r}")
    return f"<{text}>"


def declares_dataset(sparql: str) -> bool:
    """Whether the query has its own ``FROM`` / ``FROM NAMED`` clauses.

    >>> declares_dataset("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    True
    >>> declares_dataset("SELECT * WHERE { ?s ?p 'from' } # FROM here")
    False
    """
    return any(m.group("from") for m in _TOKENS.finditer(sparql))


def query_form(sparql: str) -> str | None:
    """The form of a query: ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE`` (``None``: unknown).

    >>> query_form("PREFIX s: <http://x/select#> CONSTRUCT WHERE { ?s ?p 'SELECT' }")
    'CONSTRUCT'
    """
    for match in _TOKENS.finditer(sparql):
        if match.group("form"):
            return match.group("form").upper()
    return None
