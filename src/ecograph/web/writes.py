"""Applying a change to the store: the one function every write path of the endpoint calls.

A change is a SPARQL Update (from ``/sparql``), a graph's new or extra triples, or a
graph dropped (from the Graph Store Protocol). :func:`apply_change` turns it into one
SPARQL Update and commits it atomically through the query pool: durably on disk first,
then in the workers' copies. Checks that must run before any write (SHACL validation
of the resulting state, for example) wrap this function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ecograph.web.pool import QueryPool


@dataclass(frozen=True)
class UpdateChange:
    """A SPARQL 1.1 Update, with its base IRI and protocol dataset already in the text."""

    sparql: str


@dataclass(frozen=True)
class GraphChange:
    """New triples for *graph* (``None``: the default graph), replacing or added to it."""

    graph: str | None
    triples: Sequence[ox.Triple]
    replace: bool


@dataclass(frozen=True)
class GraphDrop:
    """Remove *graph* (``None``: empty the default graph)."""

    graph: str | None


Change = UpdateChange | GraphChange | GraphDrop


def _ntriples(triples: Sequence[ox.Triple]) -> str:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def as_update(change: Change) -> str:
    """Return the SPARQL Update that performs *change*.

    >>> as_update(GraphDrop("http://g"))
    'DROP GRAPH <http://g>'
    """
    if isinstance(change, UpdateChange):
        return change.sparql
    if isinstance(change, GraphDrop):
        return "DROP DEFAULT" if change.graph is None else f"DROP GRAPH <{change.graph}>"
    target = "DEFAULT" if change.graph is None else f"GRAPH <{change.graph}>"
    parts = []
    if change.replace:
        parts.append(f"DROP SILENT {target}")
    if change.graph is not None:
        parts.append(f"CREATE SILENT GRAPH <{change.graph}>")
    if change.triples:
        body = _ntriples(change.triples)
        data = body if change.graph is None else f"GRAPH <{change.graph}> {{\n{body}}}"
        parts.append(f"INSERT DATA {{\n{data}}}")
    return " ;\n".join(parts)


async def apply_change(pool: QueryPool, change: Change) -> int:
    """Apply *change* to the store atomically and durably; return the store's new version.

    Raises ``QuerySyntaxError`` for an update that does not parse and ``StoreError``
    when the store cannot be written; in both cases nothing changed.
    """
    return await pool.write(as_update(change))
