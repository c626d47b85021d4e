"""Materialisation in the store: the inferred graph, replaced by a full run or maintained.

Inference reads every named graph except the shapes, the change log and the inferred
graph itself (the data, the ontology and the vocabularies) and writes the entailments to
:data:`ecograph.graphs.INFERRED`, changing only the triples that differ from what it held.
:func:`materialise` recomputes everything; :func:`update_inferences` maintains the graph
after a small change (semi-naive for additions, delete–rederive for removals) and falls
back to a full run where maintenance would not be exact.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from ecograph import graphs
from ecograph.errors import StoreError
from ecograph.formats import syntax_by_name
from ecograph.infer.closure import infer
from ecograph.infer.consistency import Clash, clash_from
from ecograph.infer.engine import RuleIndex, clashes, consequences, derivable, saturate
from ecograph.infer.facts import Overlay, StoreFacts, Triple, to_ox
from ecograph.infer.restrict import SAME_AS, TYPE, is_blank, is_noise, structural_nodes
from ecograph.infer.rules import compile_checks, compile_rules, reads_hidden
from ecograph.infer.schema import TBOX_PREDICATES, TBOX_TYPES, close, is_tbox
from ecograph.store.base import Store
from ecograph.store.embedded import write_error

#: Graphs that are not inference input (derived edges are computed after inference).
NOT_INPUT = frozenset({graphs.SHAPES, graphs.INFERRED, graphs.CHANGELOG,
                       graphs.REGION_COLLABORATION})
#: Past this many new triples into an empty inferred graph, write them in one transaction
#: of parsed quads rather than one SPARQL Update (faster, and just as atomic).
BULK_THRESHOLD = 50_000
_INFERRED = f"<{graphs.INFERRED}>"


@dataclass
class InferenceOutcome:
    """What a run did: how, how many triples the inferred graph holds, what changed."""

    mode: str
    inferred: int | None
    added: int
    removed: int
    seconds: float
    clashes: list[Clash] = field(default_factory=list)
    reason: str = ""

    def summary(self) -> str:
        """One line for people."""
        why = f" ({self.reason})" if self.reason else ""
        held = "" if self.inferred is None else f"{self.inferred} inferred triples "
        return (f"{self.mode} inference{why}: {held}"
                f"(+{self.added} -{self.removed}) in {self.seconds:.2f} s")


def asserted_graphs(store: Store) -> list[URIRef]:
    """The named graphs to query to leave inferences out (all but the inferred graph).

    Pass them as ``default_graphs`` to :meth:`ecograph.store.base.Store.query`.
    """
    return [g for g in store.graphs() if g != graphs.INFERRED]


def input_graphs(store: Store) -> list[URIRef]:
    """The named graphs inference reads: data, ontology and vocabularies."""
    return [g for g in store.graphs() if g not in NOT_INPUT]


def _split_nquad(line: str) -> tuple[Triple, str | None]:
    s, p, rest = line.split(" ", 2)
    rest = rest[:-2] if rest.endswith(" .") else rest.rstrip(" .")
    cut = rest.rfind(" ")
    if cut > 0:
        last = rest[cut + 1:]
        if '"' not in last and ((last[0] == "<" and last[-1] == ">") or last[:2] == "_:"):
            return (s, p, rest[:cut]), last
    return (s, p, rest), None


def _read_embedded(store: Store, inner: ox.Store) -> tuple[list[Triple], set[Triple]]:
    """:func:`_read` for the embedded store: one N-Triples dump per graph, no thread."""
    given: list[Triple] = []
    old: set[Triple] = set()
    for graph in [*input_graphs(store), graphs.INFERRED]:
        if not inner.contains_named_graph(ox.NamedNode(str(graph))):
            continue
        data = inner.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(graph)))
        target: list[Triple] | set[Triple] = old if graph == graphs.INFERRED else given
        add = target.add if isinstance(target, set) else target.append
        for line in data.decode("utf-8").split("\n"):
            if line:
                s, p, rest = line.split(" ", 2)
                add((s, p, rest[:-2]))
    return given, old


def _read(store: Store) -> tuple[list[Triple], set[Triple]]:
    """Read the inference input and the current inferred graph from *store*."""
    inner = _oxigraph(store)
    if inner is not None:
        return _read_embedded(store, inner)
    skip = {f"<{g}>" for g in NOT_INPUT - {graphs.INFERRED}}
    given: list[Triple] = []
    old: set[Triple] = set()
    carry = ""
    for chunk in store.export(syntax_by_name("nquads")):
        lines = (carry + chunk.decode("utf-8")).split("\n")
        carry = lines.pop()
        for line in lines:
            if line and not line.startswith("#"):
                t, g = _split_nquad(line)
                if g == _INFERRED:
                    old.add(t)
                elif g not in skip:
                    given.append(t)
    if carry.strip():
        raise StoreError(f"the store export ended mid-line: {carry[:80]!r}")
    return given, old


def _oxigraph(store: Store) -> ox.Store | None:
    inner = getattr(store, "_store", None)
    return inner if isinstance(inner, ox.Store) else None


def _quads(triples: Iterable[Triple], cache: dict[str, object]) -> Iterator[ox.Quad]:
    graph = ox.NamedNode(str(graphs.INFERRED))
    for s, p, o in triples:
        yield ox.Quad(to_ox(s, cache), to_ox(p, cache), to_ox(o, cache), graph)  # type: ignore[arg-type]


def _data_block(triples: Iterable[Triple]) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples)


def write_changes(store: Store, add: set[Triple], remove: set[Triple], *,
                  was_empty: bool) -> None:
    """Apply the changes to the inferred graph, in one atomic update where possible.

    Triples without blank nodes go in one SPARQL Update (atomic). A large first write into
    an empty inferred graph goes in one transaction of quads parsed by Oxigraph
    (``Store.extend``), so a kill leaves the inferred graph empty or complete. (It used
    Oxigraph's bulk loader, about 5 times faster but not transactional: a kill could leave
    part of the graph, visible until the next run completed it; ``bench/infer_write.py``.)
    Otherwise, triples with blank nodes are written through the embedded store's API
    (SPARQL cannot name a stored blank node).
    """
    inner = _oxigraph(store)
    if inner is not None and was_empty and not remove and len(add) > BULK_THRESHOLD:
        data = "".join(f"{s} {p} {o} {_INFERRED} .\n" for s, p, o in add).encode("utf-8")
        try:
            inner.extend(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        except OSError as exc:
            raise write_error(store.location, exc) from exc
        store.update(f"CREATE SILENT GRAPH {_INFERRED}")
        return
    plain_add = {t for t in add if not (is_blank(t[0]) or is_blank(t[2]))}
    plain_remove = {t for t in remove if not (is_blank(t[0]) or is_blank(t[2]))}
    parts = [f"CREATE SILENT GRAPH {_INFERRED}"]
    if plain_remove:
        parts.append(f"DELETE DATA {{ GRAPH {_INFERRED} {{\n{_data_block(plain_remove)}}} }}")
    if plain_add:
        parts.append(f"INSERT DATA {{ GRAPH {_INFERRED} {{\n{_data_block(plain_add)}}} }}")
    store.update(" ;\n".join(parts))
    if inner is not None:
        cache: dict[str, object] = {}
        for quad in _quads(remove - plain_remove, cache):
            inner.remove(quad)
        inner.extend(list(_quads(add - plain_add, cache)))


def materialise(store: Store, *, check: bool = True, reason: str = "") -> InferenceOutcome:
    """Recompute the inferred graph of *store* from scratch and write what changed.

    Returns an :class:`InferenceOutcome` (with the consistency clashes if *check*);
    raises ``StoreError`` when the store cannot be read or written.
    """
    started = time.perf_counter()
    given, old = _read(store)
    result = infer(given, check=check)
    add = result.inferred - old
    remove = old - result.inferred
    write_changes(store, add, remove, was_empty=not old)
    return InferenceOutcome("full", len(result.inferred), len(add), len(remove),
                            time.perf_counter() - started, result.clashes, reason)


def _read_tbox(facts: StoreFacts) -> set[Triple]:
    found: set[Triple] = set()
    for p in TBOX_PREDICATES:
        found.update(facts.match(None, p, None))
    for kind in TBOX_TYPES:
        found.update(facts.match(None, TYPE, kind))
    return found


def _term(term: object) -> str:
    if isinstance(term, Literal):
        datatype = None if term.language or term.datatype is None else ox.NamedNode(term.datatype)
        return str(ox.Literal(str(term), language=term.language, datatype=datatype))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    return str(term)


def as_terms(triple: tuple[object, object, object]) -> Triple:
    """Return *triple* with N-Triples terms as Oxigraph writes them (rdflib terms converted).

    >>> as_terms((URIRef("http://e.org/a"), URIRef("http://e.org/p"), Literal("x", lang="ro")))
    ('<http://e.org/a>', '<http://e.org/p>', '"x"@ro')
    """
    s, p, o = triple
    return (_term(s), _term(p), _term(o))


def update_inferences(store: Store, added: Iterable[tuple[object, object, object]],
                      removed: Iterable[tuple[object, object, object]], *,
                      check: bool = True) -> InferenceOutcome:
    """Bring the inferred graph up to date after a committed change of asserted triples.

    *added* and *removed* are the triples the change asserted and retracted (rdflib terms
    or N-Triples strings); the store already holds the change. Additions are propagated
    semi-naively; removals by delete–rederive
    (over-delete what they supported, rederive what still has a derivation, propagate).
    Falls back to :func:`materialise` when the change touches axioms, when the rules read
    facts the store does not keep, or when the store is not the embedded one.
    """
    added, removed = {as_terms(t) for t in added}, {as_terms(t) for t in removed}
    inner = _oxigraph(store)
    if inner is None:
        return materialise(store, check=check, reason="not an embedded store")
    if any(is_tbox(*t) for t in added | removed):
        return materialise(store, check=check, reason="the change touches axioms")
    if not store.has_graph(graphs.INFERRED):
        return materialise(store, check=check, reason="no inferred graph yet")
    started = time.perf_counter()
    sources = [str(g) for g in input_graphs(store)]
    asserted = StoreFacts(inner, sources)
    stored = StoreFacts(inner, [str(graphs.INFERRED)])
    everything = StoreFacts(inner, [*sources, str(graphs.INFERRED)])
    axioms = _read_tbox(asserted)
    tbox = close(axioms)
    structural = structural_nodes(axioms)
    equality = (any(t[1] == SAME_AS for t in added | removed)
                or next(everything.match(None, SAME_AS, None), None) is not None)
    rules = compile_rules(tbox, equality=equality)
    if reads_hidden(rules, structural):
        return materialise(store, check=check, reason="rules read class-expression typing")
    index = RuleIndex(rules)
    removed = {t for t in removed if not asserted.contains(t)}
    added = {t for t in added if asserted.contains(t)}
    unseen = {t for t in added if not stored.contains(t)}
    before = Overlay(everything, plus=removed, minus=unseen)
    deleted = _overdelete(removed, index, before, asserted, tbox.triples)
    remaining = Overlay(everything, minus=deleted | unseen)
    rederived = {t for t in deleted if derivable(t, index, remaining)}
    after = Overlay(everything, plus=rederived, minus=deleted - rederived)
    new, _ = saturate(after, [*rederived, *added], index, add=after.add,
                      keep=lambda t: not t[0].startswith('"'))
    inserted = set(new)
    remove = {t for t in deleted - rederived - inserted if stored.contains(t)}
    remove |= {t for t in added if stored.contains(t)}
    add = {t for t in rederived | inserted
           if not is_noise(*t, structural) and not asserted.contains(t)
           and not stored.contains(t)}
    write_changes(store, add, remove, was_empty=False)
    found: list[Clash] = []
    if check:
        found = sorted({clash_from(c, env) for c, env in
                        clashes(compile_checks(tbox), after, [*added, *rederived, *inserted])})
    return InferenceOutcome("incremental", None, len(add), len(remove),
                            time.perf_counter() - started, found)


def _overdelete(removed: set[Triple], index: RuleIndex, before: Overlay, asserted: StoreFacts,
                protected: set[Triple]) -> set[Triple]:
    """Everything *removed* supports, transitively, that is not asserted (DRed phase one)."""
    deleted = set(removed)
    frontier = list(removed)
    while frontier:
        following: list[Triple] = []
        for t in frontier:
            for h in consequences(t, index, before):
                if h in deleted or h in protected or h[0].startswith('"'):
                    continue
                if asserted.contains(h):
                    continue
                deleted.add(h)
                following.append(h)
        frontier = following
    return deleted


def after_write(store: Store) -> tuple[InferenceOutcome | None, str | None]:
    """Materialise after a committed write; never raises (the asserted data is committed).

    Returns (outcome, None) on success, or (None, message) when inference failed; the
    message says that the data was written and how to retry.
    """
    try:
        return materialise(store), None
    except Exception as exc:  # the write is committed whatever happens here
        message = (f"the data was written, but inference failed: {exc}; the inferred graph "
                   "is unchanged; run `ecograph infer` to retry")
        logging.getLogger("ecograph.infer").error(message)
        return None, message
