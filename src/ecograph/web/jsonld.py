"""Compact JSON-LD: Oxigraph's expanded output rewritten with prefixes and a ``@context``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

_KEEP = ("@value", "@language", "@direction")


def _shorten(iri: str, table: list[tuple[str, str]]) -> str:
    for prefix, namespace in table:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if not local.startswith("//"):
                return f"{prefix}:{local}"
    return iri


def _node(value: Any, table: list[tuple[str, str]]) -> Any:
    if isinstance(value, list):
        return [_node(v, table) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in _KEEP:
            out[key] = item
        elif key == "@id" and isinstance(item, str):
            out[key] = _shorten(item, table)
        elif key == "@type":
            out[key] = ([_shorten(t, table) for t in item] if isinstance(item, list)
                        else _shorten(item, table))
        elif key.startswith("@"):
            out[key] = _node(item, table)
        else:
            out[_shorten(key, table)] = _node(item, table)
    return out


def compact(expanded: bytes, prefixes: Mapping[str, str]) -> bytes:
    """Return *expanded* JSON-LD (a list of nodes) compacted with *prefixes* as context.

    >>> compact(b'[{"@id": "http://x.org/a", "http://x.org/p": [{"@id": "http://x.org/b"}]}]',
    ...         {"x": "http://x.org/"})
    b'{"@context": {"x": "http://x.org/"}, "@graph": [{"@id": "x:a", "x:p": [{"@id": "x:b"}]}]}'
    """
    data = json.loads(expanded) if expanded.strip() else []
    table = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    nodes = data if isinstance(data, list) else data.get("@graph", [data])
    document = {"@context": dict(prefixes), "@graph": _node(nodes, table)}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
