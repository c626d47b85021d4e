"""Change sets: the quads a write adds and removes, computed before it runs, applied atomically.

Every write ecograph accepts — a SPARQL Update, a Graph Store ``PUT``/``POST``/``DELETE``,
a curator's change set — is first turned into a :class:`ChangeSet`: the exact quads it
would add and remove. That is what gets validated, logged and, if accepted, applied in
**one** SPARQL Update (``DROP``/``DELETE DATA``/``INSERT DATA`` plus the change-log entry),
so data and log commit together or not at all.

Blank nodes cannot be named in ``DELETE DATA``: removing blank-node triples is possible
only by replacing or dropping their whole graph (``PUT``, ``DELETE``, ``DROP GRAPH``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ecograph import graphs
from ecograph.errors import InputError, ParseError, QuerySyntaxError, UnknownGraphError
from ecograph.formats import RdfSyntax
from ecograph.store.base import GraphResult, SelectResult, Store
from ecograph.terms import to_rdflib
from ecograph.updatescan import involved_graphs

#: A quad: subject, predicate, object and named graph (``None``: the default graph).
Quad = tuple[Node, Node, Node, URIRef | None]

#: Graphs only ecograph itself writes; a change set touching them is refused.
PROTECTED_GRAPHS = graphs.SYSTEM_GRAPHS

_BATCH = 400
_IRI_FORBIDDEN = set('<>"{}|^`\\ ')


class ChangeConflictError(InputError):
    """A change that cannot apply to the store as it is now (e.g. removes absent triples)."""

    def __init__(self, message: str, quads: Iterable[Quad] = ()) -> None:
        self.quads = list(quads)
        super().__init__(message)


@dataclass
class ChangeSet:
    """Quads to add and remove; *cleared* graphs are emptied (dropped) before both.

    ``removals`` always lists every quad that disappears, including those of a cleared
    graph, so that validation, the log and a dry run see the full effect.
    """

    additions: set[Quad] = field(default_factory=set)
    removals: set[Quad] = field(default_factory=set)
    cleared: set[URIRef | None] = field(default_factory=set)
    created: set[URIRef] = field(default_factory=set)

    def is_empty(self) -> bool:
        """True when applying would change nothing."""
        return not (self.additions or self.removals or self.cleared or self.created)

    def touched_graphs(self) -> set[URIRef | None]:
        """The graphs the change writes to."""
        return ({q[3] for q in self.additions} | {q[3] for q in self.removals}
                | set(self.cleared) | set(self.created))

    def inverse(self) -> ChangeSet:
        """The change that undoes this one (for revert)."""
        return ChangeSet(additions=set(self.removals), removals=set(self.additions))

    def nodes(self) -> set[Node]:
        """Subjects and non-literal objects of every changed quad."""
        found: set[Node] = set()
        for s, _p, o, _g in self.additions | self.removals:
            found.add(s)
            if not isinstance(o, Literal):
                found.add(o)
        return found

    def summary(self) -> dict[str, int]:
        """Counts for messages and dry runs."""
        return {"added": len(self.additions), "removed": len(self.removals)}


def quads_of(graph: Graph, graph_iri: URIRef | None) -> set[Quad]:
    """The triples of *graph* as quads in *graph_iri*."""
    return {(s, p, o, graph_iri) for s, p, o in graph}


def check_graph(iri: object, syntax: RdfSyntax) -> URIRef | None:
    """The target graph of a change set's triples (required unless the syntax has graphs)."""
    if iri is None or iri == "":
        if not syntax.dataset:
            raise InputError("say which graph the triples belong to: \"graph\": IRI (or "
                             "?graph=IRI), or send TriG / N-Quads")
        return None
    text = str(iri).strip()
    if ":" not in text or any(c in _IRI_FORBIDDEN for c in text) or ord(min(text)) < 0x21:
        raise InputError(f"graph {text!r} is not an absolute IRI")
    graph = URIRef(text)
    if graph in PROTECTED_GRAPHS:
        raise InputError(f"<{graph}> is maintained by ecograph itself and cannot be changed "
                         "with a change set")
    return graph


def dataset_quads(data: str | bytes, syntax: RdfSyntax, target: URIRef | None,
                  origin: str) -> set[Quad]:
    """Parse *data* into quads: triples go to *target*, quads keep their graph."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        return set()
    try:
        parsed = list(ox.parse(raw, format=syntax.oxigraph))
    except SyntaxError as exc:
        reason = exc.msg if exc.msg else str(exc)
        raise ParseError(f"the {origin}", reason, exc.lineno, exc.offset) from None
    except ValueError as exc:
        raise ParseError(f"the {origin}", str(exc)) from None
    quads: set[Quad] = set()
    for quad in parsed:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            if target is None:
                raise InputError(f"the {origin} has triples outside any named graph: give "
                                 "\"graph\": IRI for them")
            graph = target
        else:
            graph = URIRef(quad.graph_name.value)  # type: ignore[union-attr]
        quads.add((to_rdflib(quad.subject), to_rdflib(quad.predicate),  # type: ignore[arg-type]
                   to_rdflib(quad.object), graph))
    return quads


# --- reading the store -----------------------------------------------------------------


def graph_quads(store: Store, graph_iri: URIRef) -> set[Quad]:
    """The quads of one stored graph, blank-node identifiers kept (empty if absent)."""
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, GraphResult)
    return quads_of(result.graph, graph_iri)


def default_graph_quads(store: Store) -> set[Quad]:
    """The triples of the store's own default graph (outside every named graph)."""
    from ecograph.store.embedded import OxigraphStore

    if isinstance(store, OxigraphStore):  # direct: no scan of the named graphs
        found = store._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return {(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), None)
                for q in found}  # type: ignore[misc]
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o "
                         "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
    assert isinstance(result, GraphResult)
    return quads_of(result.graph, None)


def present(store: Store, quads: Iterable[Quad]) -> set[Quad]:
    """Those of *quads* (blank-node quads aside) that the store holds."""
    quads = [q for q in quads if not any(isinstance(t, BNode) for t in q)]
    todo = [q for q in quads if q[3] is not None]
    found: set[Quad] = set()
    if len(todo) < len(quads):
        found |= default_graph_quads(store) & set(quads)
    for start in range(0, len(todo), _BATCH):
        rows = " ".join(f"({s.n3()} {p.n3()} {term_text(o)} {g.n3()})"  # type: ignore[union-attr]
                        for s, p, o, g in todo[start:start + _BATCH])
        result = store.query("SELECT ?s ?p ?o ?g WHERE { VALUES (?s ?p ?o ?g) { " + rows
                             + " } GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, SelectResult)
        found.update((s, p, o, g) for s, p, o, g in result.rows)  # type: ignore[misc]
    return found


# --- what a write would do ---------------------------------------------------------------


def check_graphs(change: ChangeSet) -> None:
    """Refuse a change that writes to a graph only ecograph maintains."""
    bad = sorted(str(g) for g in change.touched_graphs() if g in PROTECTED_GRAPHS)
    if bad:
        raise InputError(f"<{bad[0]}> is maintained by ecograph itself and cannot be "
                         "written directly (ontology, shapes and vocabularies are loaded "
                         "with `ecograph load`; the change log records accepted changes)")


def settle(store: Store, change: ChangeSet) -> ChangeSet:
    """Return *change* reduced to its real effect on the store as it is now.

    Additions already present are dropped (so a revert never removes a pre-existing
    triple). Raises ``ChangeConflictError`` when a removal names a triple the store does
    not hold, or a blank-node triple outside a cleared graph.
    """
    check_graphs(change)
    loose = [q for q in change.removals if q[3] not in change.cleared]
    blank = [q for q in loose if any(isinstance(t, BNode) for t in q)]
    if blank:
        raise ChangeConflictError(
            f"{len(blank)} triple(s) to remove contain blank nodes, which cannot be named; "
            "replace the whole graph (Graph Store PUT) or use IRIs", blank)
    missing = set(loose) - present(store, loose)
    if missing:
        sample = "\n  ".join(_quad_text(q) for q in sorted(missing, key=str)[:5])
        raise ChangeConflictError(
            f"{len(missing)} triple(s) to remove are not in the store (changed since?); "
            f"nothing was written:\n  {sample}", missing)
    plain = [q for q in change.additions if q[3] not in change.cleared
             and not any(isinstance(t, BNode) for t in q)]
    already = present(store, plain) - change.removals
    return ChangeSet(additions=change.additions - already, removals=set(change.removals),
                     cleared=set(change.cleared), created=set(change.created))


def change_for_put(store: Store, graph_iri: URIRef, data: Graph) -> ChangeSet:
    """The effect of a Graph Store ``PUT``: *graph_iri* replaced by *data*."""
    old = graph_quads(store, graph_iri)
    new = quads_of(data, graph_iri)
    created = {graph_iri} if not new and not store.has_graph(graph_iri) else set()
    if any(isinstance(t, BNode) for q in old for t in q):
        return ChangeSet(additions=new, removals=old, cleared={graph_iri}, created=created)
    return ChangeSet(additions=new - old, removals=old - new, created=created)


def change_for_post(store: Store, graph_iri: URIRef, data: Graph) -> ChangeSet:
    """The effect of a Graph Store ``POST``: *data* merged into *graph_iri*."""
    created = {graph_iri} if len(data) == 0 and not store.has_graph(graph_iri) else set()
    return ChangeSet(additions=quads_of(data, graph_iri), created=created)


def change_for_delete(store: Store, graph_iri: URIRef) -> ChangeSet:
    """The effect of a Graph Store ``DELETE`` (raises ``UnknownGraphError``)."""
    if not store.has_graph(graph_iri):
        raise UnknownGraphError(str(graph_iri))
    return ChangeSet(removals=graph_quads(store, graph_iri), cleared={graph_iri})


def change_for_update(store: Store, sparql: str) -> ChangeSet:
    """The effect of a SPARQL 1.1 Update, computed without touching the store.

    The graphs the update can read or write are copied into an in-memory store, the
    update runs there, and the difference is the change set. An update that names its
    graphs copies only those; one with a graph variable, ``ALL``/``NAMED`` or patterns
    over the default graph copies every data graph. ``LOAD`` is refused (ecograph never
    fetches over the network). Raises ``QuerySyntaxError`` for a malformed update.
    """
    involved, everything, default = involved_graphs(sparql)
    stored = set(store.graphs())
    copied = (stored - PROTECTED_GRAPHS) | (involved & stored) if everything else \
        involved & stored
    scratch = ox.Store()
    before: set[Quad] = set()
    for iri in copied:
        quads = graph_quads(store, iri)
        before |= quads
        scratch.add_graph(ox.NamedNode(str(iri)))
        scratch.extend(ox.Quad(*(_to_ox(t) for t in q[:3]), ox.NamedNode(str(iri)))
                       for q in quads)
    if default or everything:
        quads = default_graph_quads(store)
        before |= quads
        scratch.extend(ox.Quad(*(_to_ox(t) for t in q[:3]), ox.DefaultGraph()) for q in quads)
    try:
        scratch.update(sparql)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL Update syntax error: {exc}") from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError(f"the update cannot run: {exc}") from exc
    after = {(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),
              None if isinstance(q.graph_name, ox.DefaultGraph) else to_rdflib(q.graph_name))
             for q in scratch}
    graphs_after = {URIRef(g.value) for g in scratch.named_graphs()
                    if isinstance(g, ox.NamedNode)}
    change = ChangeSet(additions=after - before, removals=before - after)  # type: ignore[arg-type]
    for iri in [*copied, *([None] if default or everything else [])]:
        remaining = any(q[3] == iri for q in after)
        if any(q[3] == iri and any(isinstance(t, BNode) for t in q) for q in change.removals):
            # blank nodes cannot be named in DELETE DATA: rewrite the whole graph
            change.cleared.add(iri)  # type: ignore[arg-type]
            change.additions |= {q for q in after if q[3] == iri}  # type: ignore[arg-type]
            if not remaining and iri is not None:
                change.created.add(iri)
            continue
        if iri is None:
            continue
        if iri not in graphs_after:
            change.cleared.add(iri)
        elif not remaining and any(q[3] == iri for q in change.removals):
            change.cleared.add(iri)
            change.created.add(iri)  # emptied, but the graph itself stays
    change.created |= {g for g in graphs_after - stored
                      if not any(q[3] == g for q in change.additions)}
    return change


# --- applying ----------------------------------------------------------------------------


def update_text(change: ChangeSet, log: Iterable[Quad] = ()) -> str:
    """The single SPARQL Update that applies *change* and inserts the *log* quads."""
    parts = [f"DROP SILENT GRAPH <{g}>" if g is not None else "DROP SILENT DEFAULT"
             for g in sorted(change.cleared, key=str)]
    removals = [q for q in change.removals if q[3] not in change.cleared]
    if removals:
        parts.append("DELETE DATA {\n" + _data_block(removals) + "}")
    inserts = [*change.additions, *log]
    if inserts:
        parts.append("INSERT DATA {\n" + _data_block(inserts) + "}")
    parts.extend(f"CREATE SILENT GRAPH <{g}>" for g in sorted(change.created))
    return " ;\n".join(parts)


def apply(store: Store, change: ChangeSet, log: Iterable[Quad] = ()) -> None:
    """Apply *change* and the *log* quads in one atomic update (raises ``StoreError``)."""
    text = update_text(change, log)
    if text:
        store.update(text)


def _data_block(quads: Iterable[Quad]) -> str:
    by_graph: dict[URIRef | None, list[str]] = {}
    for s, p, o, g in quads:
        by_graph.setdefault(g, []).append(f"{s.n3()} {p.n3()} {term_text(o)} .")
    lines = []
    for g, triples in by_graph.items():
        body = "\n".join(triples)
        lines.append(body if g is None else f"GRAPH <{g}> {{\n{body}\n}}")
    return "\n".join(lines) + "\n"


def term_text(term: Node) -> str:
    """*term* as SPARQL/N-Triples text (literals escaped as Oxigraph writes them)."""
    if isinstance(term, Literal):
        return _to_ox(term).__str__()
    return term.n3()


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _quad_text(quad: Quad) -> str:
    s, p, o, g = quad
    where = f" in <{g}>" if g is not None else ""
    return f"{s.n3()} {p.n3()} {term_text(o)}{where}"


# --- one writer at a time ----------------------------------------------------------------

_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


@contextmanager
def write_lock(store: Store) -> Iterator[None]:
    """Serialise writers of one store: the second waits, then sees the first's result."""
    key = store.location if store.location != ":memory:" else f"memory:{id(store)}"
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(key, threading.RLock())
    with lock:
        yield
