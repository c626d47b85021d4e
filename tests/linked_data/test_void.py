"""VoID: every count equals the same count computed independently of the SPARQL that made it."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from ecograph.graphs import source_graph
from ecograph.namespaces import VOID
from ecograph.void import Dump, counts, describe_dataset

DATASET = URIRef("http://127.0.0.1/-/void#dataset")


def _void(store):
    return describe_dataset(store, dataset=DATASET, sparql_endpoint="http://127.0.0.1/sparql",
                            uri_space="https://w3id.org/ecograph/id/",
                            dumps=[Dump("http://127.0.0.1/-/dumps/dataset.nq.gz",
                                        "application/n-quads")])


def _quads(store) -> list[ox.Quad]:
    return list(store._store.quads_for_pattern(None, None, None, None))


def _number(void, node, prop) -> int:
    value = void.value(node, prop)
    assert value is not None and value.datatype == XSD.integer, (node, prop)
    return int(value)


def test_graph_counts_equal_a_direct_count_of_the_stored_quads(ld_store):
    void = _void(ld_store)
    by_graph: dict[str, list[ox.Quad]] = {}
    for quad in _quads(ld_store):
        by_graph.setdefault(quad.graph_name.value, []).append(quad)
    subsets = set(void.objects(DATASET, VOID.subset))
    assert {str(s) for s in subsets} == set(by_graph)
    for graph, quads in by_graph.items():
        node = URIRef(graph)
        assert _number(void, node, VOID.triples) == len(quads)
        assert _number(void, node, VOID.distinctSubjects) == len({q.subject for q in quads})
        assert _number(void, node, VOID.distinctObjects) == len({q.object for q in quads})
        assert _number(void, node, VOID.properties) == len({q.predicate for q in quads})
        assert _number(void, node, VOID.entities) == len(
            {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)})
        classes = Counter()
        for _subject, cls in {(q.subject, q.object) for q in quads
                             if q.predicate.value == str(RDF.type)}:
            classes[cls.value] += 1
        assert _number(void, node, VOID.classes) == len(classes)
        partitions = {str(void.value(p, VOID["class"])): _number(void, p, VOID.entities)
                      for p in void.objects(node, VOID.classPartition)}
        assert partitions == dict(classes)
        props = Counter(q.predicate.value for q in quads)
        assert {str(void.value(p, VOID.property)): _number(void, p, VOID.triples)
                for p in void.objects(node, VOID.propertyPartition)} == dict(props)


def test_dataset_counts_are_of_distinct_triples_across_graphs(ld_store):
    void = _void(ld_store)
    triples = {(q.subject, q.predicate, q.object) for q in _quads(ld_store)}
    assert _number(void, DATASET, VOID.triples) == len(triples)
    assert _number(void, DATASET, VOID.distinctSubjects) == len({t[0] for t in triples})
    # A triple asserted in two graphs is counted once in the dataset.
    graph = source_graph("organisation-registry")
    duplicate = next(q for q in _quads(ld_store) if q.graph_name.value == str(graph))
    ld_store._store.add(ox.Quad(duplicate.subject, duplicate.predicate, duplicate.object,
                                ox.NamedNode(str(source_graph("copy")))))
    again = _void(ld_store)
    assert _number(again, DATASET, VOID.triples) == len(triples)
    assert _number(again, URIRef(source_graph("copy")), VOID.triples) == 1


def test_licences_sources_examples_endpoint_and_dcat_distributions(ld_store):
    void = _void(ld_store)
    graph = source_graph("cordis-projects")
    assert URIRef("https://creativecommons.org/licenses/by/4.0/") in set(
        void.objects(graph, DCTERMS.license))
    assert URIRef("https://w3id.org/ecograph/id/source/cordis-fp7-2018") in set(
        void.objects(graph, DCTERMS.source))
    examples = set(void.objects(graph, VOID.exampleResource))
    assert examples and all(str(e).startswith("https://w3id.org/ecograph/id/") for e in examples)
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1/sparql")
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    dump = URIRef("http://127.0.0.1/-/dumps/dataset.nq.gz")
    assert (DATASET, VOID.dataDump, dump) in void
    distribution = void.value(DATASET, DCAT.distribution)
    assert void.value(distribution, DCAT.downloadURL) == dump
    assert void.value(distribution, DCTERMS.format) == Literal("application/n-quads")


def test_counts_work_on_an_empty_store(empty_store):
    stats = counts(empty_store)
    assert (stats.triples, stats.entities, stats.classes, stats.properties) == (0, 0, 0, 0)
    void = describe_dataset(empty_store, dataset=DATASET, sparql_endpoint="http://x/sparql",
                            uri_space="https://w3id.org/ecograph/id/")
    assert _number(void, DATASET, VOID.triples) == 0
    assert list(void.objects(DATASET, VOID.subset)) == []


def test_void_round_trips_through_rdflib(ld_store):
    text = _void(ld_store).serialize(format="trig")
    assert len(Dataset().parse(data=text, format="trig")) > 0
