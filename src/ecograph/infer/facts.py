"""Fact sets the rules run over: in memory, in an Oxigraph store, or a store with an overlay.

Every fact set answers ``match(s, p, o)`` (``None`` = any) and ``contains(t)``; terms
are N-Triples strings. :class:`MemoryFacts` indexes triples by predicate both ways (and
by subject and object when the equality rules need it); :class:`StoreFacts` reads an
Oxigraph store, restricted to some graphs; :class:`Overlay` adds and hides triples on
top of another fact set without touching it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import pyoxigraph as ox

Triple = tuple[str, str, str]


class Facts(Protocol):
    """What the rule engine reads and (for the working set) writes."""

    def match(self, s: str | None, p: str | None, o: str | None) -> Iterator[Triple]:
        """Yield the triples matching the pattern (``None`` matches anything)."""
        ...

    def contains(self, t: Triple) -> bool:
        """Return whether the triple holds."""
        ...


class MemoryFacts:
    """Triples in dictionaries: predicate → subject → objects, and predicate → object → subjects."""

    def __init__(self, *, by_term: bool = False) -> None:
        self.sp: dict[str, dict[str, set[str]]] = {}
        self.op: dict[str, dict[str, set[str]]] = {}
        self.by_term = by_term
        self.s_preds: dict[str, set[str]] = {}
        self.o_preds: dict[str, set[str]] = {}

    def add(self, t: Triple) -> bool:
        """Add *t*; return whether it was new."""
        s, p, o = t
        by_s = self.sp.get(p)
        if by_s is None:
            by_s = self.sp[p] = {}
            self.op[p] = {}
        objects = by_s.get(s)
        if objects is None:
            objects = by_s[s] = set()
        elif o in objects:
            return False
        objects.add(o)
        subjects = self.op[p].get(o)
        if subjects is None:
            self.op[p][o] = {s}
        else:
            subjects.add(s)
        if self.by_term:
            self.s_preds.setdefault(s, set()).add(p)
            self.o_preds.setdefault(o, set()).add(p)
        return True

    def update(self, triples: Iterable[Triple]) -> None:
        """Add every triple of *triples*."""
        for t in triples:
            self.add(t)

    def contains(self, t: Triple) -> bool:
        by_s = self.sp.get(t[1])
        return by_s is not None and t[2] in by_s.get(t[0], ())

    def __len__(self) -> int:
        return sum(len(os) for by_s in self.sp.values() for os in by_s.values())

    def __iter__(self) -> Iterator[Triple]:
        for p, by_s in self.sp.items():
            for s, os in by_s.items():
                for o in os:
                    yield (s, p, o)

    def match(self, s: str | None, p: str | None, o: str | None) -> Iterator[Triple]:
        if p is not None:
            yield from self._match_p(s, p, o)
            return
        if s is not None and self.by_term:
            for pp in tuple(self.s_preds.get(s, ())):
                yield from self._match_p(s, pp, o)
        elif o is not None and self.by_term:
            for pp in tuple(self.o_preds.get(o, ())):
                yield from self._match_p(None, pp, o)
        else:
            for pp in tuple(self.sp):
                yield from self._match_p(s, pp, o)

    def _match_p(self, s: str | None, p: str, o: str | None) -> Iterator[Triple]:
        by_s = self.sp.get(p)
        if by_s is None:
            return
        if s is not None:
            objects = by_s.get(s)
            if not objects:
                return
            if o is not None:
                if o in objects:
                    yield (s, p, o)
                return
            for oo in tuple(objects):
                yield (s, p, oo)
        elif o is not None:
            for ss in tuple(self.op[p].get(o, ())):
                yield (ss, p, o)
        else:
            for ss, objects in tuple(by_s.items()):
                for oo in tuple(objects):
                    yield (ss, p, oo)


def to_ox(term: str, cache: dict[str, object]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Return the pyoxigraph term for the N-Triples *term* (memoised in *cache*)."""
    found = cache.get(term)
    if found is None:
        if term.startswith("<"):
            found = ox.NamedNode(term[1:-1])
        elif term.startswith("_:"):
            found = ox.BlankNode(term[2:])
        else:
            quad = next(iter(ox.parse(f"<x:s> <x:p> {term} .", format=ox.RdfFormat.N_TRIPLES)))
            found = quad.object
        cache[term] = found
    return found  # type: ignore[return-value]


class StoreFacts:
    """The triples of some named graphs of a pyoxigraph store (read only)."""

    def __init__(self, store: ox.Store, graphs: Iterable[str]) -> None:
        self._store = store
        self._graphs = frozenset(graphs)
        self._cache: dict[str, object] = {}

    def _term(self, term: str | None) -> object:
        return None if term is None else to_ox(term, self._cache)

    def match(self, s: str | None, p: str | None, o: str | None) -> Iterator[Triple]:
        if s is not None and s.startswith('"'):
            return
        seen: set[Triple] = set()
        for quad in self._store.quads_for_pattern(self._term(s), self._term(p), self._term(o),
                                                  None):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value in self._graphs:
                t = (str(quad.subject), str(quad.predicate), str(quad.object))
                if t not in seen:
                    seen.add(t)
                    yield t

    def contains(self, t: Triple) -> bool:
        return next(self.match(*t), None) is not None


class Overlay:
    """*base* with the triples of *plus* added and those of *minus* hidden."""

    def __init__(self, base: Facts, plus: Iterable[Triple] = (),
                 minus: Iterable[Triple] = ()) -> None:
        self.base = base
        self.plus = MemoryFacts(by_term=True)
        self.plus.update(plus)
        self.minus = set(minus)

    def add(self, t: Triple) -> bool:
        """Make *t* hold; return whether it was new."""
        if self.contains(t):
            return False
        self.minus.discard(t)
        if not self.base.contains(t):
            self.plus.add(t)
        return True

    def contains(self, t: Triple) -> bool:
        return self.plus.contains(t) or (t not in self.minus and self.base.contains(t))

    def match(self, s: str | None, p: str | None, o: str | None) -> Iterator[Triple]:
        minus = self.minus
        for t in self.base.match(s, p, o):
            if t not in minus:
                yield t
        yield from self.plus.match(s, p, o)
