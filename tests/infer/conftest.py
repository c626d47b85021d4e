"""Helpers for the inference tests: stores built from fixture files, owlrl comparisons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from ecograph import graphs
from ecograph.infer import input_graphs, reference_closure
from ecograph.infer.reference import normalise
from ecograph.load import parse_file
from ecograph.store.embedded import OxigraphStore

FIXTURES = Path(__file__).parent / "fixtures"


def fill(store: OxigraphStore, *names: str) -> None:
    """Write fixture files: ``*-ontology.ttl`` to the ontology graph, others to their own."""
    todo: dict = {}
    for name in names:
        source = parse_file(FIXTURES / name)
        iri = graphs.ONTOLOGY if name.endswith("-ontology.ttl") else source.graph_iri
        todo[iri] = todo.get(iri, Graph()) + source.graph
    store.replace_graphs(todo)


def input_graph(store: OxigraphStore) -> Graph:
    """The inference input of *store* as one rdflib Graph (blank nodes as stored)."""
    merged = Graph()
    for iri in input_graphs(store):
        merged += store.get_graph(iri)
    return merged


def inferred(store: OxigraphStore) -> set:
    """The triples of the inferred graph (literals normalised)."""
    if not store.has_graph(graphs.INFERRED):
        return set()
    return {(s, p, normalise(o)) for s, p, o in store.get_graph(graphs.INFERRED)}


def assert_equals_owlrl(store: OxigraphStore) -> set:
    """Check the inferred graph against owlrl's restricted closure; return it."""
    expected = set(reference_closure(input_graph(store)))
    found = inferred(store)
    missing = sorted(expected - found)[:10]
    extra = sorted(found - expected)[:10]
    assert not missing and not extra, f"missing {missing}\nextra {extra}"
    assert len(found) == len(expected)
    return found


@pytest.fixture
def disk_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    """An empty Oxigraph store on disk."""
    store = OxigraphStore(tmp_path / "infer-store")
    yield store
    store.close()
