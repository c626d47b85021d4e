"""What a SPARQL Update would change, computed where it can be stopped: in a query worker.

Oxigraph cannot interrupt an update any more than a query, and the store on disk must
never be killed mid-write. So the endpoint never runs a client's update on the store
directly: a query worker (a process the pool kills at the time limit) works out the
update's effect over its in-memory copy — :func:`ecograph.changes.change_for_update`,
which runs the update on a scratch copy of the graphs it involves — and answers with
that effect as a *concrete* update (``DROP``/``DELETE DATA``/``INSERT DATA``/``CREATE``,
no ``WHERE`` left to evaluate). The parent applies that one atomically, at a cost
bounded by its size, never by the cost of the client's patterns.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecograph.changes import change_for_update, update_text
from ecograph.store.base import Store


@dataclass(frozen=True)
class Effect:
    """An update's effect as a concrete update, and how many quads it adds and removes."""

    update: str
    additions: int
    removals: int


def effect_of(store: Store, sparql: str) -> Effect:
    """Compute the effect of *sparql* on *store* without changing it.

    Raises what :func:`~ecograph.changes.change_for_update` raises (``QuerySyntaxError``,
    ``InputError``).
    """
    change = change_for_update(store, sparql)
    return Effect(update_text(change), len(change.additions), len(change.removals))
