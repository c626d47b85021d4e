"""An entity's description: its outgoing and incoming triples, labelled, inferred ones marked.

The description of a resource is what a linked-data client gets when it dereferences the
resource's IRI: every triple with the resource as subject, the triples that point at it
(paged, since a country can be the object of thousands), the labels of the resources
they link to, and for each statement the named graphs it comes from. A statement found
only in the inferred graph (:data:`ecograph.graphs.INFERRED`) is marked inferred.
Everything is asked by SPARQL through the :class:`~ecograph.store.base.Store` interface,
so it works on any backend.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SDO, SKOS
from rdflib.term import Node

from ecograph.graphs import INFERRED
from ecograph.store.base import SelectResult, Store

#: Properties that name a resource, most preferred first.
LABEL_PROPERTIES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, SDO.name, DCTERMS.title)
#: How many incoming statements one page holds by default.
PAGE_SIZE = 100
_LABEL_BATCH = 400


@dataclass(frozen=True)
class Statement:
    """One statement about the described resource, seen from it.

    For an outgoing statement ``other`` is the object; for an incoming one, the subject.
    """

    predicate: URIRef
    other: Node
    graphs: tuple[URIRef, ...]
    other_label: Literal | None = None

    @property
    def inferred(self) -> bool:
        """Whether the statement is only in the inferred graph (not asserted by a source)."""
        return all(g == INFERRED for g in self.graphs)


@dataclass
class Description:
    """What the store says about one resource (see the module docstring)."""

    iri: URIRef
    outgoing: list[Statement]
    incoming: list[Statement]
    incoming_total: int
    page: int
    page_size: int
    labels: dict[Node, Literal] = field(default_factory=dict)

    @property
    def label(self) -> Literal | None:
        """The resource's preferred label, if it has one."""
        return self.labels.get(self.iri)

    @property
    def types(self) -> list[URIRef]:
        """The resource's classes (asserted first, then inferred), without duplicates."""
        ordered = sorted((s for s in self.outgoing if s.predicate == RDF.type),
                         key=lambda s: s.inferred)
        return [s.other for s in ordered if isinstance(s.other, URIRef)]

    @property
    def pages(self) -> int:
        """How many pages of incoming statements there are (at least one)."""
        return max(1, -(-self.incoming_total // self.page_size))

    def label_of(self, node: Node) -> Literal | None:
        """Return the label known for *node* (a neighbour or a predicate), if any."""
        return self.labels.get(node)

    def dataset(self) -> Dataset:
        """Return the description as quads: each statement in the graphs it comes from.

        Inferred statements are in the inferred graph; the labels of linked resources,
        added for the reader's convenience, are in the default graph.
        """
        data = Dataset()
        for s in self.outgoing:
            for g in s.graphs:
                data.graph(g).add((self.iri, s.predicate, s.other))
        for s in self.incoming:
            for g in s.graphs:
                data.graph(g).add((s.other, s.predicate, self.iri))
        for triple in self._label_triples():
            data.add(triple)
        return data

    def graph(self) -> Graph:
        """Return the description as plain triples (graphs merged), with neighbours' labels."""
        data = Graph()
        for s in self.outgoing:
            data.add((self.iri, s.predicate, s.other))
        for s in self.incoming:
            data.add((s.other, s.predicate, self.iri))
        for triple in self._label_triples():
            data.add(triple)
        return data

    def _label_triples(self) -> Iterable[tuple[Node, URIRef, Literal]]:
        own = {(self.iri, s.predicate, s.other) for s in self.outgoing}
        for node, label in self.labels.items():
            if node == self.iri or not isinstance(node, URIRef):
                continue
            triple = (node, RDFS.label, label)
            if triple not in own:
                yield triple


def _graph_list(value: Node | None) -> tuple[URIRef, ...]:
    return tuple(sorted(URIRef(g) for g in str(value or "").split() if g))


def _select(store: Store, sparql: str) -> SelectResult:
    result = store.query(sparql)
    if not isinstance(result, SelectResult):  # pragma: no cover - a SELECT gives rows
        raise TypeError("expected SELECT results")
    return result


def exists(store: Store, iri: URIRef) -> bool:
    """Return whether *iri* appears as subject or object of any statement in the store."""
    result = store.query(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")
    return bool(getattr(result, "value", False))


def fetch_labels(store: Store, nodes: Iterable[Node]) -> dict[Node, Literal]:
    """Return the preferred label of each IRI in *nodes* that has one.

    Preference: the property order of :data:`LABEL_PROPERTIES`, then English, then no
    language, then any other language.
    """
    iris = sorted({n for n in nodes if isinstance(n, URIRef)})
    ranked: dict[Node, tuple[int, int, str, Literal]] = {}
    # One branch per property: Oxigraph then looks each (?x, property) up in its index,
    # where a second VALUES block for the property would make it scan every triple.
    branches = " UNION ".join(f"{{ ?x <{p}> ?l BIND(<{p}> AS ?p) }}" for p in LABEL_PROPERTIES)
    for start in range(0, len(iris), _LABEL_BATCH):
        values = " ".join(f"<{i}>" for i in iris[start:start + _LABEL_BATCH])
        rows = _select(store, f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} {branches} "
                              "FILTER(isLiteral(?l)) }")
        for x, p, label in rows.rows:
            if x is None or not isinstance(label, Literal):
                continue
            lang = label.language or ""
            rank = (LABEL_PROPERTIES.index(URIRef(str(p))),
                    0 if lang.startswith("en") else 1 if not lang else 2, str(label), label)
            if x not in ranked or rank < ranked[x]:
                ranked[x] = rank
    return {node: rank[3] for node, rank in ranked.items()}


def _outgoing(store: Store, iri: URIRef) -> list[Statement]:
    rows = _select(store, "SELECT ?p ?o (GROUP_CONCAT(STR(?g); separator=' ') AS ?gs) "
                          f"WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} GROUP BY ?p ?o")
    return [Statement(URIRef(str(p)), o, _graph_list(gs)) for p, o, gs in rows.rows
            if p is not None and o is not None]


def _incoming(store: Store, iri: URIRef, page: int, page_size: int) -> tuple[list[Statement], int]:
    counted = _select(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p "
                             f"WHERE {{ ?s ?p <{iri}> }} }}")
    total = int(counted.rows[0][0]) if counted.rows and counted.rows[0][0] is not None else 0
    offset = (page - 1) * page_size
    rows = _select(store, "SELECT ?s ?p (GROUP_CONCAT(STR(?g); separator=' ') AS ?gs) "
                          f"WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }} GROUP BY ?s ?p "
                          f"ORDER BY ?p ?s LIMIT {page_size} OFFSET {offset}")
    statements = [Statement(URIRef(str(p)), s, _graph_list(gs)) for s, p, gs in rows.rows
                  if p is not None and s is not None]
    return statements, total


def _sort_key(labels: dict[Node, Literal]) -> object:
    first = {RDF.type: 0, SKOS.prefLabel: 1, RDFS.label: 2}

    def key(s: Statement) -> tuple[int, str, bool, str]:
        name = labels.get(s.predicate, str(s.predicate))
        other = s.other_label or str(s.other)
        return first.get(s.predicate, 3), name.lower(), s.inferred, other.lower()

    return key


def describe(store: Store, iri: URIRef | str, *, page: int = 1,
             page_size: int = PAGE_SIZE) -> Description | None:
    """Return the description of *iri*, or ``None`` when no statement mentions it.

    *page* (from 1) and *page_size* choose the slice of incoming statements. Raises
    ``ValueError`` for a page or page size below 1, ``StoreError`` when the store
    cannot be read.
    """
    if page < 1 or page_size < 1:
        raise ValueError("page and page size start at 1")
    subject = URIRef(str(iri))
    outgoing = _outgoing(store, subject)
    incoming, total = _incoming(store, subject, page, page_size)
    if not outgoing and total == 0:
        return None
    neighbours: list[Node] = [subject]
    for s in (*outgoing, *incoming):
        neighbours += [s.predicate, s.other]
    labels = fetch_labels(store, neighbours)
    key = _sort_key(labels)
    outgoing = sorted((_labelled(s, labels) for s in outgoing), key=key)  # type: ignore[arg-type]
    incoming = sorted((_labelled(s, labels) for s in incoming), key=key)  # type: ignore[arg-type]
    return Description(subject, outgoing, incoming, total, page, page_size, labels)


def _labelled(statement: Statement, labels: dict[Node, Literal]) -> Statement:
    return Statement(statement.predicate, statement.other, statement.graphs,
                     labels.get(statement.other))

