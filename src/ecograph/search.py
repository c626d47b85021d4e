"""Label search: the resources whose label contains the words a user typed.

A hit is a resource (an IRI) with a label (``skos:prefLabel``, ``rdfs:label``,
``schema:name``, ``dcterms:title``) containing the query text, case-insensitively, or
whose IRI contains the query's slug, so ``iasi`` finds ``Iași`` through
``…/organisation/umf-iasi``. Hits are ranked: exact label, then label starting with the
query, then shorter labels first. The query text is passed to SPARQL as an escaped
string literal, never pasted as syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef

from ecograph.describe import LABEL_PROPERTIES, fetch_labels
from ecograph.iris import slugify
from ecograph.store.base import SelectResult, Store

MAX_QUERY_LENGTH = 200
_CANDIDATES = 500


@dataclass(frozen=True)
class Hit:
    """One search result: the resource, its label and its classes."""

    iri: URIRef
    label: str
    types: tuple[URIRef, ...]


def _literal(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
               .replace("\r", " "))
    return f'"{escaped}"'


def search(store: Store, text: str, *, limit: int = 50) -> list[Hit]:
    """Return up to *limit* resources matching *text* (see module docstring).

    Raises ``ValueError`` for an empty query or one longer than
    :data:`MAX_QUERY_LENGTH` characters.
    """
    query = " ".join(text.split())
    if not query:
        raise ValueError("the search text is empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(f"the search text is longer than {MAX_QUERY_LENGTH} characters")
    slug = slugify(query)
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    by_iri = f"|| CONTAINS(LCASE(STR(?s)), {_literal(slug)})" if slug else ""
    sparql = (f"SELECT DISTINCT ?s WHERE {{ VALUES ?p {{ {props} }} ?s ?p ?label "
              f"FILTER(isIRI(?s) && (CONTAINS(LCASE(STR(?label)), LCASE({_literal(query)})) "
              f"{by_iri})) }} LIMIT {_CANDIDATES}")
    result = store.query(sparql)
    if not isinstance(result, SelectResult):  # pragma: no cover - a SELECT gives rows
        raise TypeError("expected SELECT results")
    iris = [URIRef(str(row[0])) for row in result.rows if row[0] is not None]
    labels = fetch_labels(store, iris)
    types = _types(store, iris)
    lowered = query.lower()

    def rank(iri: URIRef) -> tuple[int, int, str]:
        label = str(labels.get(iri, iri)).lower()
        kind = 0 if label == lowered else 1 if label.startswith(lowered) else 2
        return kind, len(label), label

    ordered = sorted(iris, key=rank)[:limit]
    return [Hit(i, str(labels.get(i, _fallback(labels.get(i), i))), types.get(i, ()))
            for i in ordered]


def _fallback(label: Literal | None, iri: URIRef) -> str:
    return str(label) if label is not None else str(iri).rstrip("/").rsplit("/", 1)[-1]


def _types(store: Store, iris: list[URIRef]) -> dict[URIRef, tuple[URIRef, ...]]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    result = store.query(f"SELECT ?s ?c WHERE {{ VALUES ?s {{ {values} }} ?s a ?c }}")
    found: dict[URIRef, list[URIRef]] = {}
    if isinstance(result, SelectResult):
        for s, c in result.rows:
            if isinstance(c, URIRef):
                found.setdefault(URIRef(str(s)), []).append(c)
    return {s: tuple(sorted(cs)) for s, cs in found.items()}
