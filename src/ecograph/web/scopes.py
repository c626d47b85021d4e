"""Which scope each operation of the endpoint needs: ``read``, ``write`` or ``admin``.

- ``read``: every query, Graph Store ``GET``, dump, page and ``/validate`` (asked for only
  when the server is private);
- ``write``: SPARQL Update, Graph Store ``PUT``/``POST``/``DELETE`` of a named graph,
  ``POST /store``, ``POST /changes``;
- ``admin``: what is destructive or global — ``DROP``/``CLEAR`` of ``ALL``, ``NAMED`` or
  ``DEFAULT``, ``MOVE``/``COPY`` involving ``DEFAULT``, Graph Store ``PUT``/``DELETE`` of the
  default graph, any write naming a system graph (ontology, shapes, vocabularies,
  inferred, change log), and reverting a change.

The functions here only read the request's text; they never refuse it (the protocol and
the curation gate do that afterwards), so a client without the right token learns no
more than 401 or 403.
"""

from __future__ import annotations

from rdflib import URIRef

from ecograph.errors import InputError
from ecograph.graphs import SYSTEM_GRAPHS
from ecograph.tokens import Scope
from ecograph.updatescan import involved_graphs, tokens

_WHOLESALE = {"ALL", "NAMED", "DEFAULT"}


def _words(text: str) -> list[str]:
    return [value.upper() if kind == "word" else value for kind, value in tokens(text)]


def _wholesale(words: list[str]) -> bool:
    """Whether an operation drops or clears every graph, the named ones or the default one,
    or moves/copies the default graph (which empties or replaces it)."""
    for i, word in enumerate(words):
        if word in ("DROP", "CLEAR"):
            rest = [w for w in words[i + 1:i + 3] if w != "SILENT"]
            if rest and rest[0] in _WHOLESALE:
                return True
        if word in ("MOVE", "COPY"):
            end = words.index(";", i) if ";" in words[i:] else len(words)
            if "DEFAULT" in words[i + 1:end]:
                return True
    return False


def update_scope(text: str) -> Scope:
    """The scope a SPARQL Update needs.

    >>> update_scope("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }").word
    'write'
    >>> update_scope("CLEAR SILENT ALL").word
    'admin'
    """
    words = _words(text)
    if _wholesale(words):
        return Scope.ADMIN
    if "LOAD" in words:  # read LOAD <doc> INTO GRAPH <g> as ADD <doc> TO GRAPH <g>
        text = " ".join({"LOAD": "ADD", "INTO": "TO"}.get(w, w) for w in words)
    try:
        named, _, _ = involved_graphs(text)
    except InputError:
        return Scope.WRITE  # refused later with 400, whoever asks
    return Scope.ADMIN if named & SYSTEM_GRAPHS else Scope.WRITE


def graph_store_scope(method: str, graph: str | None) -> Scope:
    """The scope a Graph Store write needs: *graph* is None for the default graph.

    >>> graph_store_scope("DELETE", None).word
    'admin'
    >>> graph_store_scope("POST", None).word
    'write'
    """
    if graph is None and method in ("PUT", "DELETE"):
        return Scope.ADMIN
    if graph is not None and URIRef(graph) in SYSTEM_GRAPHS:
        return Scope.ADMIN
    return Scope.WRITE


#: Undoing a logged change rewrites history that others may rely on.
REVERT = Scope.ADMIN
#: Submitting a change set (system graphs are refused by the gate whoever asks).
CHANGE = Scope.WRITE
