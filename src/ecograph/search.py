"""Label search: the resources whose label contains the words a user typed.

A hit is a resource (an IRI) with a label (``skos:prefLabel``, ``rdfs:label``,
``schema:name``, ``dcterms:title``) containing the query text, case-insensitively, or
whose IRI contains the query's slug, so ``iasi`` finds ``Iași`` through
``…/organisation/umf-iasi``. Hits are ranked: exact label, then label starting with the
query, then shorter labels first. The query text is passed to SPARQL as an escaped
string literal, never pasted as syntax.

Scanning every label with SPARQL ``CONTAINS`` takes seconds on a large graph, so a
server builds a :class:`LabelIndex` once per store version (one query for all labels)
and matches in memory, accents folded (``iasi`` matches ``Iași`` itself).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef

from ecograph.describe import LABEL_PROPERTIES, fetch_labels
from ecograph.iris import slugify
from ecograph.store.base import SelectResult, Store

MAX_QUERY_LENGTH = 200
_JSON = "application/sparql-results+json"
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


def fold(text: str) -> str:
    """Lower case without accents, for matching: ``fold("Iași")`` is ``'iasi'``."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class LabelIndex:
    """Every labelled IRI of a store: its preferred label, and all its labels folded."""

    def __init__(self, labels: Mapping[URIRef, Sequence[Literal | str]]) -> None:
        self.entries = []
        for iri, literals in labels.items():
            folded = [fold(str(lbl)) for lbl in literals]
            self.entries.append((iri, str(literals[0]), folded, str(iri).lower()))

    @classmethod
    def build(cls, store: Store) -> LabelIndex:
        """Read every label of *store* (one SPARQL query per label property).

        The answers are read as SPARQL JSON and kept as strings, and IRI subjects and
        literal labels are picked here rather than by a SPARQL ``FILTER``: on the CORDIS
        benchmark store this is several times faster than a filtered query read into
        rdflib terms (``bench/first_answers.py``).
        """
        found: dict[str, list[tuple[int, int, str]]] = {}
        for rank, prop in enumerate(LABEL_PROPERTIES):
            answer = store.query_serialized(f"SELECT ?s ?l WHERE {{ ?s <{prop}> ?l }}",
                                            results_type=_JSON, graph_type=None)
            for row in json.loads(answer.body)["results"]["bindings"]:
                subject, label = row.get("s"), row.get("l")
                if subject is None or label is None or subject["type"] != "uri" \
                        or label["type"] not in ("literal", "typed-literal"):
                    continue
                lang = label.get("xml:lang", "")
                found.setdefault(subject["value"], []).append(
                    (rank, 0 if lang.startswith("en") else 1 if not lang else 2,
                     label["value"]))
        return cls({URIRef(iri): [text for *_, text in sorted(keys)]
                    for iri, keys in found.items()})

    def match(self, query: str, slug: str, limit: int) -> list[tuple[URIRef, str]]:
        """The IRIs with a label containing the folded *query*, or whose IRI has *slug*."""
        wanted = fold(query)
        found = []
        for iri, label, folded, lowered in self.entries:
            if any(wanted in f for f in folded) or (slug and slug in lowered):
                best = min((0 if f == wanted else 1 if f.startswith(wanted) else 2, len(f))
                           for f in folded)
                found.append((best, fold(label), iri, label))
        found.sort(key=lambda e: (e[0], e[1]))
        return [(iri, label) for _, _, iri, label in found[:limit]]


def _clean(text: str) -> str:
    query = " ".join(text.split())
    if not query:
        raise ValueError("the search text is empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValueError(f"the search text is longer than {MAX_QUERY_LENGTH} characters")
    return query


def search(store: Store, text: str, *, limit: int = 50,
           index: LabelIndex | None = None) -> list[Hit]:
    """Return up to *limit* resources matching *text* (see module docstring).

    With *index* the labels are matched in memory; without, by SPARQL. Raises
    ``ValueError`` for an empty query or one longer than :data:`MAX_QUERY_LENGTH`
    characters.
    """
    query = _clean(text)
    slug = slugify(query)
    if index is not None:
        matched = index.match(query, slug, limit)
        types = _types(store, [iri for iri, _ in matched])
        return [Hit(iri, label, types.get(iri, ())) for iri, label in matched]
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
    return [Hit(i, _fallback(labels.get(i), i), types.get(i, ())) for i in ordered]


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
