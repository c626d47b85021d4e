"""Compact JSON-LD: Oxigraph's expanded output compacted with a ``@context``.

The context is the one the linked-data pages embed (``/context.jsonld``, built from the
ontology by :mod:`ecograph.context`), so a CONSTRUCT answer and an entity's page name the
same things alike; it is embedded in every answer, not linked, because a JSON-LD 1.1
processor ignores a ``Link`` context header on ``application/ld+json`` and a client then
needs no network. The context's kinds of term definitions are the ones compacted here:

- simple terms (``"Cluster": "ecograph:Cluster"``, ``"xsd": "http://…#"``) — names for
  classes and property IRIs, and prefixes for compact IRIs (``id:organisation/x``);
- expanded terms with an ``@id`` and an optional ``@type`` coercion to ``@id`` or a
  datatype (``"nutsLevel": {"@id": "ecograph:nutsLevel", "@type": "xsd:integer"}``);
- keyword aliases (``"type": "@type"``).

A value is written under a term only when the term's coercion matches it exactly (an IRI
under an ``@id`` term, a literal of the term's datatype); anything else keeps its full
form under a compact IRI, so the document expands to exactly the triples it came from
(JSON-LD 1.1 Compaction's term selection, restricted to those kinds of definitions; a
term with ``@container``, ``@language``, ``@reverse`` or a scoped context is not used).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_GEN_DELIMS = tuple(":/?#[]@")
_UNUSABLE = ("@container", "@language", "@reverse", "@context", "@nest", "@index",
             "@direction", "@prefix", "@protected")


class _Confused(Exception):
    """An absolute IRI whose scheme is a prefix of the context (``id:x``): no compact
    document can hold it (JSON-LD 1.1 "IRI confused with prefix")."""


@dataclass
class _Inverse:
    """What compaction needs from a context: prefixes, aliases, and terms by IRI."""

    prefixes: list[tuple[str, str]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    #: IRI → coercion (None, "@id" or a datatype IRI) → the shortest such term
    terms: dict[str, dict[str | None, str]] = field(default_factory=dict)
    #: every name the context defines (a compact IRI must not be one of them)
    terms_by_name: set[str] = field(default_factory=set)
    prefix_names: set[str] = field(default_factory=set)

    def expand(self, value: str) -> str:
        """Expand a compact IRI written in the context (``xsd:integer``) to an IRI."""
        prefix, colon, local = value.partition(":")
        if colon and not local.startswith("//"):
            for name, namespace in self.prefixes:
                if name == prefix:
                    return namespace + local
        return value

    def compact_iri(self, iri: str, coercion: str | None = "", *, vocab: bool) -> str:
        """A term (when *vocab* and one matches *coercion*), else a compact IRI, else *iri*."""
        if vocab and coercion != "":
            term = self.terms.get(iri, {}).get(coercion)
            if term is not None:
                return term
        scheme, colon, rest = iri.partition(":")
        if colon and not rest.startswith("//") and scheme in self.prefix_names:
            raise _Confused(iri)
        best = iri
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                candidate = f"{name}:{local}"
                if local.startswith("//") or candidate in self.terms_by_name:
                    continue
                if len(candidate) < len(best) or (len(candidate) == len(best)
                                                   and candidate < best):
                    best = candidate
        return best

    def alias(self, keyword: str) -> str:
        return self.aliases.get(keyword, keyword)


def _inverse(context: Mapping[str, Any]) -> _Inverse:
    inverse = _Inverse(terms_by_name=set(context))
    for name, definition in context.items():
        if isinstance(definition, str) and definition.startswith("@"):
            inverse.aliases.setdefault(definition, name)
        elif (isinstance(definition, str) and ":" in definition and ":" not in name
              and definition.endswith(_GEN_DELIMS)):
            inverse.prefixes.append((name, definition))
            inverse.prefix_names.add(name)
    for name, definition in context.items():
        if ":" in name or name.startswith("@"):
            continue
        if isinstance(definition, str) and not definition.startswith("@"):
            iri, coercion = inverse.expand(definition), None
        elif isinstance(definition, dict) and isinstance(definition.get("@id"), str) \
                and not any(key in definition for key in _UNUSABLE):
            iri = inverse.expand(definition["@id"])
            kind = definition.get("@type")
            coercion = None if kind is None else kind if kind == "@id" else inverse.expand(kind)
        else:
            continue
        if coercion not in (None, "@id") and not isinstance(coercion, str):
            continue
        by_coercion = inverse.terms.setdefault(iri, {})
        known = by_coercion.get(coercion)
        if known is None or (len(name), name) < (len(known), known):
            by_coercion[coercion] = name
    return inverse


def _value(value: dict[str, Any], inverse: _Inverse) -> tuple[str | None, Any]:
    """The coercion a term must have to hold *value* bare, and *value* compacted for a
    term without coercion (``None``: any term holds it as it is)."""
    if "@id" in value:
        return "@id", {inverse.alias("@id"): inverse.compact_iri(value["@id"], vocab=False)}
    kind = value.get("@type")
    if kind is not None and kind != _XSD_STRING:
        return kind, {inverse.alias("@value"): value["@value"],
                      inverse.alias("@type"): inverse.compact_iri(kind, None, vocab=True)}
    if "@language" in value or "@direction" in value:
        return None, {inverse.alias(k): v for k, v in value.items()}
    return None, value["@value"]


def _property(iri: str, values: list[Any], inverse: _Inverse, out: dict[str, Any]) -> None:
    for value in values:
        if not isinstance(value, dict):
            key, compacted = inverse.compact_iri(iri, None, vocab=True), value
        else:
            coercion, plain = _value(value, inverse)
            term = inverse.terms.get(iri, {}).get(coercion) if coercion else None
            if term is not None:
                key = term
                compacted = (inverse.compact_iri(value["@id"], vocab=False)
                             if coercion == "@id" else value["@value"])
            else:
                key, compacted = inverse.compact_iri(iri, None, vocab=True), plain
        out.setdefault(key, []).append(compacted)


def _node(node: dict[str, Any], inverse: _Inverse) -> dict[str, Any]:
    out: dict[str, Any] = {}
    grouped: dict[str, list[Any]] = {}
    types: list[str] = []
    for key, values in node.items():
        if key == "@id":
            out[inverse.alias("@id")] = inverse.compact_iri(values, vocab=False)
        elif key == "@type":
            types += values if isinstance(values, list) else [values]
        elif key.startswith("@"):
            out[inverse.alias(key)] = values
        elif key == _RDF_TYPE:
            rest = []
            for value in values:
                iri = value.get("@id") if isinstance(value, dict) else None
                if isinstance(iri, str) and not iri.startswith("_:"):
                    types.append(iri)
                else:
                    rest.append(value)
            if rest:
                _property(key, rest, inverse, grouped)
        else:
            _property(key, values if isinstance(values, list) else [values], inverse,
                      grouped)
    if types:
        names = [inverse.compact_iri(t, None, vocab=True) for t in types]
        out[inverse.alias("@type")] = names[0] if len(names) == 1 else names
    for key, items in grouped.items():
        out[key] = items[0] if len(items) == 1 else items
    return out


def compact(expanded: bytes, context: Mapping[str, Any]) -> bytes:
    """Return *expanded* JSON-LD (a list of nodes) compacted with *context*, embedded
    (left expanded if an IRI's scheme is one of the context's prefixes).

    *context* may be only prefixes:

    >>> compact(b'[{"@id": "http://x.org/a", "http://x.org/p": [{"@id": "http://x.org/b"}]}]',
    ...         {"x": "http://x.org/"})
    b'{"@context": {"x": "http://x.org/"}, "@graph": [{"@id": "x:a", "x:p": {"@id": "x:b"}}]}'

    or hold terms, used when their coercion fits the value:

    >>> compact(b'[{"@id": "http://x.org/a", "http://x.org/n": [{"@value": "2", '
    ...         b'"@type": "http://www.w3.org/2001/XMLSchema#integer"}]}]',
    ...         {"x": "http://x.org/", "xsd": "http://www.w3.org/2001/XMLSchema#",
    ...          "n": {"@id": "x:n", "@type": "xsd:integer"}})[-37:]
    b'"@graph": [{"@id": "x:a", "n": "2"}]}'
    """
    data = json.loads(expanded) if expanded.strip() else []
    inverse = _inverse(context)
    nodes = data if isinstance(data, list) else data.get("@graph", [data])
    try:
        document = {"@context": dict(context), "@graph": [_node(n, inverse) for n in nodes]}
    except _Confused:
        return expanded if expanded.strip() else b"[]"  # expanded JSON-LD is JSON-LD too
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
