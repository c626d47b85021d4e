"""The narrow store interface every backend implements, and the results it returns.

A store holds an RDF dataset: named graphs, one per source, plus the system graphs
(ontology, shapes, vocabularies, inferred triples, change log). Queries see the union of
the named graphs as their default graph unless the caller names the default graphs.
Writes that replace graphs are atomic: a reader sees the state before or after, never
a mix, and a failure leaves the store as it was.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

from rdflib import Graph, URIRef
from rdflib.term import Node

from ecograph.formats import RdfSyntax


@dataclass
class SelectResult:
    """Rows of a SELECT query; each row a tuple aligned with ``variables`` (None = unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]

    def dicts(self) -> list[dict[str, Node | None]]:
        """Return the rows as dictionaries keyed by variable name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


@dataclass
class AskResult:
    """The answer of an ASK query."""

    value: bool


@dataclass
class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE query."""

    graph: Graph = field(default_factory=Graph)


QueryResult = Union[SelectResult, AskResult, GraphResult]  # noqa: UP007


class Store(ABC):
    """An RDF dataset ecograph reads and writes; see module docstring for the contract."""

    #: Where the store lives, as given to :func:`ecograph.store.open_store`.
    location: str

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query.

        The default graph is the union of all named graphs unless *default_graphs* is
        given. Raises ``QuerySyntaxError`` for a malformed query, ``QueryTimeoutError``
        past *timeout* seconds and ``StoreError`` when the store cannot be read.
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update atomically (raises ``QuerySyntaxError``, ``StoreError``)."""

    @abstractmethod
    def graphs(self) -> list[URIRef]:
        """Return the IRIs of the named graphs in the store, sorted."""

    @abstractmethod
    def count(self, graph: URIRef | None = None) -> int:
        """Return the number of triples in *graph*, or of quads in the whole store."""

    @abstractmethod
    def get_graph(self, graph: URIRef) -> Graph:
        """Return a copy of *graph* as an rdflib Graph (raises ``UnknownGraphError``)."""

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Replace each named graph by the given triples, all in one atomic step."""

    @abstractmethod
    def drop_graphs(self, graphs: Sequence[URIRef]) -> None:
        """Remove the named graphs, all in one atomic step (unknown graphs are ignored)."""

    @abstractmethod
    def export(self, syntax: RdfSyntax, graph: URIRef | None = None) -> Iterator[bytes]:
        """Stream the whole dataset (a dataset syntax) or one graph, serialised in *syntax*."""

    def has_graph(self, graph: URIRef) -> bool:
        """Return whether *graph* is a named graph of the store."""
        return graph in self.graphs()

    def is_empty(self) -> bool:
        """Return whether the store holds no triple at all."""
        return self.count() == 0

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the store holds (files, connections); idempotent."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
