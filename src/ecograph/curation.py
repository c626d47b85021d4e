"""Gated writes: compute a change, validate it incrementally, log it and commit — or refuse it.

:func:`submit` is the one gate every write path goes through (curator change sets,
SPARQL Update, Graph Store writes, reverts). Under the store's write lock it

1. computes the change set against the store as it is now (so a second, conflicting
   change sees the first's result and is refused if it no longer applies);
2. validates the state it would leave (:mod:`ecograph.incremental`); any Violation →
   ``ValidationFailedError``, nothing written;
3. unless it is a dry run, commits the data and its PROV-O log entry in one update.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.changelog import entry_quads, get_change, new_id
from ecograph.changes import (
    ChangeConflictError,
    ChangeSet,
    apply,
    present,
    settle,
    update_text,
    write_lock,
)
from ecograph.derive import keep_in_step, prepare
from ecograph.errors import UnknownChangeError, ValidationFailedError
from ecograph.incremental import ChangeValidation, validate_change
from ecograph.infer.materialise import update_inferences
from ecograph.shapereach import ShapeReach
from ecograph.store.base import Store

ChangeBuilder = ChangeSet | Callable[[Store], ChangeSet]


@dataclass
class Rules:
    """The shapes and schema a change is validated against, analysed once."""

    shapes: Graph
    schema: Graph
    reach: ShapeReach

    @classmethod
    def of(cls, shapes: Graph, schema: Graph) -> Rules:
        return cls(shapes, schema, ShapeReach.of(shapes))

    @classmethod
    def from_store(cls, store: Store, bundle: Bundle | None = None) -> Rules:
        """The shapes and schema stored with the data (else the bundle's, else none)."""
        if store.has_graph(graphs.SHAPES):
            schema = Graph()
            for iri in (graphs.ONTOLOGY, graphs.VOCABULARIES):
                if store.has_graph(iri):
                    schema += store.get_graph(iri)
            return cls.of(store.get_graph(graphs.SHAPES), schema)
        if bundle is not None and any((bundle.ontology_dir / "shapes").glob("*.ttl")):
            return cls.of(bundle.shapes().graph, bundle.schema())
        return cls.of(Graph(), Graph())  # no shapes anywhere: every change conforms


@dataclass
class Outcome:
    """What a gated write did — or, on a dry run, would do."""

    change: ChangeSet
    validation: ChangeValidation
    change_id: str | None
    dry_run: bool

    @property
    def written(self) -> bool:
        return self.change_id is not None and not self.dry_run


def current_user() -> str:
    """Who runs the command line (for the change log)."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment
        return "cli"


def submit(store: Store, build: ChangeBuilder, rules: Rules, *, agent: str,
           message: str | None = None, dry_run: bool = False, reverts: str | None = None,
           commit: Callable[[str], object] | None = None) -> Outcome:
    """Validate and (unless *dry_run*) atomically apply a change; see the module docstring.

    *build* is a change set or a function computing one from the store (called under the
    lock). *commit* runs the final SPARQL Update (default: ``store.update``; the web app
    routes it through its query pool). Raises ``ValidationFailedError`` on a Violation,
    ``ChangeConflictError`` when the change no longer applies, ``InputError`` for a
    change to a graph only ecograph writes; in every case nothing is written.
    """
    with write_lock(store):
        raw = build(store) if callable(build) else build
        change = settle(store, raw)
        validation = validate_change(store, change, rules.shapes, rules.schema, rules.reach)
        if not validation.report.accepted:
            raise ValidationFailedError(validation.report, source="the change")
        if change.is_empty():
            return Outcome(change, validation, None, dry_run)
        change_id = new_id()
        if dry_run:
            return Outcome(change, validation, change_id, True)
        log = entry_quads(change_id, change, agent, message, reverts,
                          warnings=validation.report.count("Warning"))
        edges = prepare(store, *_data_triples(change))  # region edges before the commit
        if commit is None:
            apply(store, change, log)
            infer_after(store, change)
            keep_in_step(store, edges)
        else:
            commit(update_text(change, log))
            infer_after(_CommitThrough(store, commit), change)
            keep_in_step(_CommitThrough(store, commit), edges)  # type: ignore[arg-type]
        return Outcome(change, validation, change_id, False)


class _CommitThrough:
    """*store* for reading; its updates go through *commit* (the endpoint's query pool, so
    that the pool's in-memory copies see the inferred triples too)."""

    def __init__(self, store: Store, commit: Callable[[str], object]) -> None:
        self._inner = store
        self._store = getattr(store, "_store", None)
        self._commit = commit

    def update(self, sparql: str) -> None:
        self._commit(sparql)

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def _data_triples(change: ChangeSet) -> tuple[list[tuple], list[tuple]]:  # type: ignore[type-arg]
    """The triples a change adds and removes, system graphs left out."""
    def triples(quads: set) -> list[tuple]:  # type: ignore[type-arg]
        return [q[:3] for q in quads if q[3] not in graphs.SYSTEM_GRAPHS]

    return triples(change.additions), triples(change.removals)


def infer_after(store: Store | _CommitThrough, change: ChangeSet) -> None:
    """Bring the inferred graph up to date with a committed change (never raises).

    The change is committed whatever happens here; a failure is logged with how to retry.
    """
    try:
        update_inferences(store, *_data_triples(change))  # type: ignore[arg-type]
    except Exception as exc:  # the asserted change stands; inference can be re-run
        logging.getLogger("ecograph.curation").error(
            "the change was written, but inference failed: %s; run `ecograph infer`", exc)


def revert(store: Store, change_id: str, rules: Rules, *, agent: str,
           message: str | None = None, dry_run: bool = False,
           commit: Callable[[str], object] | None = None) -> Outcome:
    """Undo a logged change, as a new validated change that records what it reverts.

    Raises ``UnknownChangeError`` for an unknown change and ``ChangeConflictError`` when its
    triples were changed since (an added triple is gone or a removed one is back).
    """

    def build(current: Store) -> ChangeSet:
        entry = get_change(current, change_id)
        if entry is None:
            raise UnknownChangeError(f"no change with id {change_id!r} in the change log")
        if entry.reverted_by:
            raise ChangeConflictError(f"change {change_id} was already reverted by "
                                      f"{entry.reverted_by}")
        if entry.blank_nodes:
            raise ChangeConflictError(f"change {change_id} touched blank nodes, which cannot "
                                      "be identified again; it cannot be reverted")
        gone = entry.additions - present(current, entry.additions)
        back = present(current, entry.removals)
        if gone or back:
            raise ChangeConflictError(
                f"cannot revert change {change_id}: its triples were changed since "
                f"({len(gone)} added triple(s) no longer there, {len(back)} removed "
                "triple(s) present again); nothing was written", gone | back)
        return ChangeSet(additions=set(entry.removals), removals=set(entry.additions))

    return submit(store, build, rules, agent=agent,
                  message=message or f"revert change {change_id}", dry_run=dry_run,
                  reverts=change_id, commit=commit)


__all__ = ["ChangeBuilder", "Outcome", "Rules", "current_user", "revert", "submit",
           "update_text"]
