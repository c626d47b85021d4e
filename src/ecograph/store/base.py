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


@dataclass
class SerializedResult:
    """A query answer already serialised: its bytes, media type, size, and whether it was cut.

    ``kind`` is ``select``, ``ask`` or ``graph``; ``rows`` counts solutions or triples;
    ``truncated`` is true when the answer had more than the ``max_rows`` asked for.
    """

    media_type: str
    body: bytes
    kind: str
    rows: int
    truncated: bool = False


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

    def query_serialized(
        self,
        sparql: str,
        *,
        results_type: str | None,
        graph_type: str | None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        max_rows: int | None = None,
        timeout: float | None = None,
        base_iri: str | None = None,
    ) -> SerializedResult:
        """Run a query and serialise its answer as *results_type* or *graph_type*.

        *results_type* is the SPARQL results media type for SELECT/ASK, *graph_type* the
        RDF media type for CONSTRUCT/DESCRIBE; ``None`` means the caller accepts no such
        answer and ``UnsupportedFormatError`` is raised once the query form is known. At
        most *max_rows* solutions or triples are written (``truncated`` says if more were
        found). Raises what :meth:`query` raises. This default goes through :meth:`query`
        and rdflib; backends may override it with native serialisers.
        """
        from ecograph.errors import UnsupportedFormatError
        from ecograph.formats import RESULTS_MEDIA_TYPES, syntax_for_media_type
        from ecograph.results import render

        text = sparql if base_iri is None else f"BASE <{base_iri}>\n{sparql}"
        result = self.query(text, default_graphs=default_graphs, named_graphs=named_graphs,
                            timeout=timeout)
        if isinstance(result, GraphResult):
            if graph_type is None:
                raise UnsupportedFormatError("the query gives RDF triples; no RDF media type "
                                             "was acceptable")
            triples = list(result.graph)
            cut = max_rows is not None and len(triples) > max_rows
            graph = result.graph
            if cut:
                graph = Graph()
                for triple in triples[:max_rows]:
                    graph.add(triple)
            syntax = syntax_for_media_type(graph_type)
            body = graph.serialize(format=syntax.rdflib_format, encoding="utf-8")
            return SerializedResult(syntax.media_type, body, "graph", len(graph), cut)
        if results_type is None:
            raise UnsupportedFormatError("the query gives SPARQL results; no results media "
                                         "type was acceptable")
        names = {media: name for name, media in RESULTS_MEDIA_TYPES.items()}
        fmt = names.get(results_type.split(";", 1)[0].strip())
        if fmt is None:
            raise UnsupportedFormatError(f"unknown SPARQL results media type {results_type!r}")
        if isinstance(result, AskResult):
            return SerializedResult(results_type, render(result, fmt).encode(), "ask", 1)
        cut = max_rows is not None and len(result.rows) > max_rows
        if cut:
            result = SelectResult(result.variables, result.rows[:max_rows])
        return SerializedResult(results_type, render(result, fmt).encode(), "select",
                                len(result.rows), cut)

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
