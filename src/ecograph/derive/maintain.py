"""Region-collaboration edges in the store: derived in full, or maintained after a change.

:func:`derive_edges` replaces :data:`ecograph.graphs.REGION_COLLABORATION` by every edge
the data give, in one SPARQL Update (atomic). After a committed change,
:func:`before_change` (run before the commit) finds the projects the change can touch
and counts their edges as they were; :func:`after_change` counts them again and adds the
difference to the stored counts of just those edges, in one update. Everything goes
through SPARQL on the :class:`~ecograph.store.base.Store` interface, so it works on the
embedded and the remote store alike.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib.term import Node

from ecograph import graphs
from ecograph.derive import sparql
from ecograph.derive.edges import EdgeKey, difference, edge_iri, pair_counts
from ecograph.infer.materialise import as_terms
from ecograph.infer.restrict import SAME_AS
from ecograph.infer.schema import is_tbox
from ecograph.namespaces import ECOGRAPH
from ecograph.store.base import SelectResult, Store

GRAPH = graphs.REGION_COLLABORATION
#: Past this many resources named by a change, recomputing everything is cheaper.
MAX_SEEDS = 2_000
_LOG = logging.getLogger("ecograph.derive")


@dataclass
class DeriveOutcome:
    """What a derivation did: how, how many edges the graph holds, what changed."""

    mode: str
    edges: int | None
    changed: int
    seconds: float
    reason: str = ""

    def summary(self) -> str:
        """One line for people."""
        why = f" ({self.reason})" if self.reason else ""
        held = "" if self.edges is None else f"{self.edges} region collaborations "
        return (f"{self.mode} derivation{why}: {held}({self.changed} changed) "
                f"in {self.seconds:.2f} s")


@dataclass
class Seeds:
    """The resources a change names, by the role they play for edges: projects whose
    participants or funding changed, participation resources whose organisation changed,
    and things (organisations, cities) whose place changed."""

    projects: set[str] = field(default_factory=set)
    participations: set[str] = field(default_factory=set)
    moved: set[str] = field(default_factory=set)

    def size(self) -> int:
        return len(self.projects) + len(self.participations) + len(self.moved)


@dataclass
class Pending:
    """What :func:`before_change` found: the touched projects and their edges before, or
    why only a full recompute will do."""

    projects: list[str] = field(default_factory=list)
    before: Counter[EdgeKey] = field(default_factory=Counter)
    full_reason: str = ""


def _iri(term: str) -> str | None:
    return term[1:-1] if term.startswith("<") and term.endswith(">") else None


def _name(predicate: str) -> str | None:
    iri = _iri(predicate)
    prefix = str(ECOGRAPH)
    return iri[len(prefix):] if iri is not None and iri.startswith(prefix) else None


def seeds_of(triples: Iterable[tuple[str, str, str]]) -> Seeds | str:
    """Sort the resources of changed N-Triples-term triples by role, or say why a full
    recompute is needed (axioms, ``owl:sameAs``, region or programme hierarchy).

    >>> e = "https://w3id.org/ecograph/ontology#"
    >>> seeds_of([("<p>", f"<{e}hasParticipant>", "<o>"), ("<o>", f"<{e}locatedIn>", "<c>")])
    Seeds(projects={'p'}, participations=set(), moved={'o'})
    >>> seeds_of([("<r>", f"<{e}parentRegion>", "<s>")])
    'the change touches the region or programme hierarchy (parentRegion)'
    """
    seeds = Seeds()
    for s, p, o in triples:
        if is_tbox(s, p, o) or p == SAME_AS:
            return "the change touches axioms or owl:sameAs"
        name = _name(p)
        if name is None:
            continue
        if name in sparql.HIERARCHY:
            return f"the change touches the region or programme hierarchy ({name})"
        subject, value = _iri(s), _iri(o)
        if name in sparql.PROJECT_SUBJECT and subject:
            seeds.projects.add(subject)
        elif name in sparql.PROJECT_OBJECT and value:
            seeds.projects.add(value)
        elif name in sparql.PARTICIPATION_SUBJECT and subject:
            seeds.participations.add(subject)
        elif name in sparql.MOVED_SUBJECT and subject:
            seeds.moved.add(subject)
    return seeds


def _rows(store: Store, text: str) -> list[tuple[Node | None, ...]]:
    result = store.query(text)
    if not isinstance(result, SelectResult):
        raise TypeError("expected SELECT results")
    return result.rows


def count_edges(store: Store) -> int:
    """How many edges the derived graph holds."""
    rows = _rows(store, f"{sparql.PROLOGUE}SELECT (COUNT(?e) AS ?n) WHERE {{ GRAPH <{GRAPH}> "
                       "{ ?e a ecograph:RegionCollaboration } }")
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0  # type: ignore[arg-type]


def edges_now(store: Store) -> dict[EdgeKey, int]:
    """Every edge the stored data give, with its count, computed by one SPARQL query."""
    return {EdgeKey(str(a), str(b), int(level),  # type: ignore[arg-type]
                    None if programme is None else str(programme)): int(n)  # type: ignore[arg-type]
            for a, b, level, programme, n in _rows(store, sparql.edges_query())}


def derive_edges(store: Store, *, reason: str = "") -> DeriveOutcome:
    """Replace the derived graph by every edge the stored data give (one atomic update).

    The edges are computed by one SPARQL query over the union of the graphs (what the named
    queries see), then written in one SPARQL Update: an update's WHERE clause would read
    the store's default graph, and naming every graph with ``USING`` is 3-4x slower.
    """
    started = time.perf_counter()
    edges = edges_now(store)
    store.update(sparql.replace_all_update(GRAPH, edges))
    return DeriveOutcome("full", len(edges), len(edges), time.perf_counter() - started, reason)


def project_counts(store: Store, projects: list[str]) -> Counter[EdgeKey]:
    """The edge counts contributed by *projects* alone, as the store holds them now."""
    if not projects:
        return Counter()
    involved = [(str(p), str(r), int(lv))  # type: ignore[arg-type]
                for p, r, lv in _rows(store, sparql.involvement_select(projects))]
    funded = [(str(p), str(f)) for p, f in _rows(store, sparql.programme_select(projects))]
    return pair_counts(involved, funded)


def before_change(store: Store, added: Iterable[tuple[object, object, object]],
                  removed: Iterable[tuple[object, object, object]]) -> Pending:
    """Before a change is committed: the projects it can touch and their edges now.

    *added* and *removed* are the asserted triples (rdflib terms or N-Triples strings).
    """
    seeds = seeds_of([as_terms(t) for t in [*added, *removed]])
    if isinstance(seeds, str):
        return Pending(full_reason=seeds)
    if seeds.size() > MAX_SEEDS:
        return Pending(full_reason=f"the change names {seeds.size()} resources")
    if not seeds.size():
        return Pending()
    text = sparql.affected_select(seeds.projects, seeds.participations, seeds.moved)
    projects = sorted({str(row[0]) for row in _rows(store, text)} | seeds.projects)
    return Pending(projects, project_counts(store, projects))


def after_change(store: Store, pending: Pending) -> DeriveOutcome:
    """After the commit (and inference): add the touched projects' difference to the
    stored counts of the edges it changes, in one update; full recompute where needed."""
    if pending.full_reason:
        return derive_edges(store, reason=pending.full_reason)
    if not store.has_graph(GRAPH):
        return derive_edges(store, reason="no derived edges yet")
    started = time.perf_counter()
    change = difference(pending.before, project_counts(store, pending.projects))
    if not change:
        return DeriveOutcome("incremental", None, 0, time.perf_counter() - started)
    iris = {str(edge_iri(key)): key for key in change}
    stored = {str(e): int(n) for e, n in _rows(store, sparql.counts_select(GRAPH, iris))}  # type: ignore[arg-type]
    updated: dict[EdgeKey, int] = {}
    for iri, key in iris.items():
        total = stored.get(iri, 0) + change[key]
        if total < 0:
            return derive_edges(store, reason="stored counts out of step")
        if total:
            updated[key] = total
    store.update(sparql.replace_edges_update(GRAPH, set(stored), updated))
    return DeriveOutcome("incremental", None, len(change), time.perf_counter() - started)


def after_write(store: Store) -> tuple[DeriveOutcome | None, str | None]:
    """Derive every edge after a committed write; never raises (the write stands).

    Returns (outcome, None), or (None, message) when the derivation failed.
    """
    try:
        return derive_edges(store), None
    except Exception as exc:  # the data are committed whatever happens here
        message = (f"the data were written, but deriving region collaborations failed: {exc}; "
                   "the derived graph is unchanged")
        _LOG.error(message)
        return None, message


def prepare(store: Store, added: Iterable[tuple[object, object, object]],
            removed: Iterable[tuple[object, object, object]]) -> Pending:
    """:func:`before_change` that never raises (a failure asks for a full recompute)."""
    try:
        return before_change(store, added, removed)
    except Exception as exc:  # reading failed: recompute after the commit instead
        return Pending(full_reason=f"reading the edges before the change failed: {exc}")


def keep_in_step(store: Store, pending: Pending) -> DeriveOutcome | None:
    """:func:`after_change` that never raises (the change is committed); logs a failure."""
    try:
        return after_change(store, pending)
    except Exception as exc:  # the change stands; a full derivation repairs the edges
        _LOG.error("the change was written, but updating region collaborations failed: %s",
                   exc)
        return None
