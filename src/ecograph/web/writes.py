"""Applying a change to the store: the one function every write path of the endpoint calls.

A change is a SPARQL Update (from ``/sparql``), a graph's new or extra triples, or a
graph dropped (from the Graph Store Protocol). :func:`apply_change` turns it into one
SPARQL Update and commits it atomically through the query pool: durably on disk first,
then in the workers' copies. Checks that must run before any write (SHACL validation
of the resulting state, for example) wrap this function.

A SPARQL Update is first turned into its effect by a query worker, under the time limit
``update_timeout`` (:mod:`ecograph.web.update_effect`): a runaway update is stopped
there with ``503`` and the store is untouched; an effect adding more than
``max_update_triples`` quads is refused with ``413``. Only the effect, a concrete update,
reaches the store on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ecograph.errors import QueryTimeoutError
from ecograph.web.errors import HTTPProblem
from ecograph.web.pool import QueryPool
from ecograph.web.update_effect import Effect


@dataclass(frozen=True)
class UpdateLimits:
    """How long an update's effect may take to compute, and how many quads it may add."""

    seconds: float = 30.0
    max_triples: int = 1_000_000


@dataclass(frozen=True)
class UpdateChange:
    """A SPARQL 1.1 Update, with its base IRI and protocol dataset already in the text."""

    sparql: str
    limits: UpdateLimits = UpdateLimits()


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


async def bounded_effect(pool: QueryPool, change: UpdateChange) -> Effect:
    """The effect of *change*, computed in a query worker within its limits.

    Raises ``HTTPProblem`` 503 past the time limit (the worker is killed) and 413 for an
    effect adding more quads than allowed; ``QuerySyntaxError``/``InputError`` as the
    update itself does. Writes nothing.
    """
    limits = change.limits
    try:
        effect: Effect = await pool.effect(change.sparql, limits.seconds)
    except QueryTimeoutError:
        raise HTTPProblem(
            503, f"the update ran past the time limit of {limits.seconds:g} s and was "
                 "stopped; nothing was changed (setting update_timeout, "
                 "ECOGRAPH_UPDATE_TIMEOUT)", type_="UpdateTimeoutError",
            limit="update_timeout", seconds=limits.seconds) from None
    if effect.additions > limits.max_triples:
        raise HTTPProblem(
            413, f"the update would add {effect.additions} triples, more than the "
                 f"{limits.max_triples} one update may add; nothing was changed (setting "
                 "max_update_triples, ECOGRAPH_MAX_UPDATE_TRIPLES)",
            type_="UpdateTooLarge", limit="max_update_triples",
            maximum=limits.max_triples, triples=effect.additions)
    return effect


async def apply_change(pool: QueryPool, change: Change) -> int:
    """Apply *change* to the store atomically and durably; return the store's new version.

    A SPARQL Update is applied as its effect (:func:`bounded_effect`), when the pool has
    workers to compute it in. Raises ``QuerySyntaxError`` for an update that does not
    parse, ``StoreError`` when the store cannot be written and ``HTTPProblem`` past an
    update's limits; in every case nothing changed.
    """
    if isinstance(change, UpdateChange) and hasattr(pool, "effect"):
        return await pool.write((await bounded_effect(pool, change)).update)
    return await pool.write(as_update(change))
