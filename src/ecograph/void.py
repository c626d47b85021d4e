"""VoID and DCAT description of the dataset and of each named graph, counted by SPARQL.

The dataset is a ``void:Dataset`` and ``dcat:Dataset`` whose subsets are the named
graphs (each named by its graph IRI). For the dataset and each graph it states the
number of triples, entities (distinct IRI subjects), distinct subjects and objects,
classes and properties, with class and property partitions; the licence, sources and
titles the store holds about each graph; the SPARQL endpoint; the dumps as DCAT
distributions; and a few example resources. Every number is computed by SPARQL through
the :class:`~ecograph.store.base.Store` interface, so the description is right on any
backend; the union counts use explicit ``DISTINCT`` so a triple asserted in two graphs
is counted once whatever the backend's union semantics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, XSD

from ecograph.namespaces import ONTOLOGY_IRI, PREFIXES, VOID
from ecograph.store.base import SelectResult, Store

#: What the store may say about a graph that VoID repeats (licence, sources, titles …).
METADATA = (DCTERMS.license, DCTERMS.source, DCTERMS.title, DCTERMS.description,
            DCTERMS.publisher, DCTERMS.created, DCTERMS.modified, DCTERMS.issued,
            PROV.wasDerivedFrom, PROV.generatedAtTime)
FORMATS = "http://www.w3.org/ns/formats/"
_IANA = "https://www.iana.org/assignments/media-types/"
EXAMPLES_PER_GRAPH = 3
_TSV = "text/tab-separated-values"


@dataclass(frozen=True)
class Dump:
    """A downloadable dump: where it is, what it holds (``graph`` None: everything)."""

    url: str
    media_type: str
    graph: URIRef | None = None
    compression: str | None = "application/gzip"
    title: str = ""


@dataclass(frozen=True)
class Counts:
    """The VoID statistics of one dataset or graph."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: int
    properties: int
    class_partitions: dict[URIRef, int]
    property_partitions: dict[URIRef, int]


def _rows(store: Store, sparql: str) -> list[tuple]:
    result = store.query(sparql)
    if not isinstance(result, SelectResult):  # pragma: no cover - a SELECT gives rows
        raise TypeError("expected SELECT results")
    return result.rows


def _int(node: object) -> int:
    return int(str(node)) if node is not None else 0


def _where(graph: URIRef | None, pattern: str) -> str:
    return f"GRAPH <{graph}> {{ {pattern} }}" if graph is not None else (
        f"GRAPH ?anyGraph {{ {pattern} }}")


def _subjects(store: Store, graph: URIRef | None) -> tuple[int, int]:
    """(distinct subjects, distinct IRI subjects) of *graph* or of the whole dataset.

    Read as the TSV list of distinct subjects, IRIs told by their ``<``: one DISTINCT
    pass, where a ``FILTER(isIRI(?s))`` query plus a ``COUNT(DISTINCT ?s)`` took two and
    the filter alone cost more than the pass (``bench/first_answers.py``).
    """
    answer = store.query_serialized(
        f"SELECT DISTINCT ?s WHERE {{ {_where(graph, '?s ?p ?o')} }}", results_type=_TSV,
        graph_type=None)
    rows = [line for line in answer.body.split(b"\n")[1:] if line.strip()]
    return len(rows), sum(1 for line in rows if line.startswith(b"<"))


def counts(store: Store, graph: URIRef | None = None) -> Counts:
    """Return the statistics of *graph*, or of the whole dataset (distinct triples)."""
    # A named graph is a set already; only the union needs DISTINCT across graphs.
    triples = (f"SELECT ?s ?p ?o WHERE {{ {_where(graph, '?s ?p ?o')} }}" if graph is not None
               else f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_where(graph, '?s ?p ?o')} }}")
    totals = _rows(store, "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?o) AS ?do) "
                          f"(COUNT(DISTINCT ?p) AS ?np) WHERE {{ {triples} }}")[0]
    subjects, entities = _subjects(store, graph)
    typed = (f"SELECT ?s ?c WHERE {{ {_where(graph, '?s a ?c')} }}" if graph is not None
             else f"SELECT DISTINCT ?s ?c WHERE {{ {_where(graph, '?s a ?c')} }}")
    classes = {URIRef(str(c)): _int(n) for c, n in _rows(
        store, f"SELECT ?c (COUNT(?s) AS ?n) WHERE {{ {typed} }} GROUP BY ?c") if c is not None}
    properties = {URIRef(str(p)): _int(n) for p, n in _rows(
        store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {triples} }} GROUP BY ?p") if p is not None}
    return Counts(_int(totals[0]), entities, subjects, _int(totals[1]),
                  len(classes), _int(totals[2]), classes, properties)


def _metadata(store: Store, graphs: Sequence[URIRef]) -> Graph:
    data = Graph()
    if not graphs:
        return data
    values = " ".join(f"<{g}>" for g in graphs)
    props = ", ".join(f"<{p}>" for p in METADATA)
    for g, p, o in _rows(store, f"SELECT DISTINCT ?g ?p ?o WHERE {{ VALUES ?g {{ {values} }} "
                                f"?g ?p ?o FILTER(?p IN ({props})) }}"):
        data.add((g, p, o))
    # A graph derived from source documents: its sources, and their licences.
    for g, src, licence in _rows(store, "SELECT DISTINCT ?g ?src ?l WHERE { VALUES ?g { "
                                        f"{values} }} ?g <{PROV.wasDerivedFrom}> ?src "
                                        f"OPTIONAL {{ ?src <{DCTERMS.license}> ?l }} }}"):
        data.add((g, DCTERMS.source, src))
        if licence is not None:
            data.add((g, DCTERMS.license, licence))
    return data


def _examples(store: Store, graph: URIRef, uri_space: str) -> list[URIRef]:
    rows = _rows(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s a ?c }} "
                        f"FILTER(STRSTARTS(STR(?s), {_quote(uri_space)})) }} "
                        f"LIMIT {EXAMPLES_PER_GRAPH}")
    return sorted(URIRef(str(r[0])) for r in rows if r[0] is not None)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _namespace(iri: URIRef) -> str:
    text = str(iri)
    cut = max(text.rfind("#"), text.rfind("/"))
    return text[:cut + 1]


def _add_counts(void: Graph, node: URIRef, stats: Counts) -> None:
    for prop, value in ((VOID.triples, stats.triples), (VOID.entities, stats.entities),
                        (VOID.distinctSubjects, stats.distinct_subjects),
                        (VOID.distinctObjects, stats.distinct_objects),
                        (VOID.classes, stats.classes), (VOID.properties, stats.properties)):
        void.add((node, prop, Literal(value, datatype=XSD.integer)))
    for cls, n in sorted(stats.class_partitions.items()):
        part = BNode()
        void.add((node, VOID.classPartition, part))
        void.add((part, VOID["class"], cls))
        void.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for prop, n in sorted(stats.property_partitions.items()):
        part = BNode()
        void.add((node, VOID.propertyPartition, part))
        void.add((part, VOID.property, prop))
        void.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))
    for namespace in sorted({_namespace(p) for p in stats.property_partitions}
                            | {_namespace(c) for c in stats.class_partitions}):
        void.add((node, VOID.vocabulary, URIRef(namespace)))


def _add_dump(void: Graph, dataset: URIRef, dump: Dump) -> None:
    url = URIRef(dump.url)
    void.add((dataset, VOID.dataDump, url))
    dist = URIRef(dump.url + "#distribution")
    void.add((dataset, DCAT.distribution, dist))
    void.add((dist, RDF.type, DCAT.Distribution))
    void.add((dist, DCAT.downloadURL, url))
    void.add((dist, DCAT.accessURL, url))
    void.add((dist, DCAT.mediaType, URIRef(_IANA + dump.media_type)))
    void.add((dist, DCTERMS.format, Literal(dump.media_type)))
    if dump.compression:
        void.add((dist, DCAT.compressFormat, URIRef(_IANA + dump.compression)))
    if dump.title:
        void.add((dist, DCTERMS.title, Literal(dump.title, lang="en")))


def describe_dataset(store: Store, *, dataset: URIRef, sparql_endpoint: str,
                     uri_space: str, dumps: Sequence[Dump] = (),
                     title: str = "ecograph", lookup_formats: Sequence[str] = ()) -> Graph:
    """Return the VoID + DCAT description of the store's dataset (see module docstring).

    *dataset* is the IRI given to the whole dataset, *uri_space* the IRI prefix of its
    entities, *dumps* the downloads offered (a dump with ``graph`` set belongs to that
    graph's subset), *lookup_formats* the names of formats (``Turtle``, ``JSON-LD`` …)
    an entity IRI dereferences to. Raises ``StoreError`` when the store cannot be read.
    """
    void = Graph()
    for prefix in ("void", "dcterms", "xsd", "rdf"):
        void.bind(prefix, PREFIXES[prefix])
    void.bind("dcat", DCAT)
    void.bind("foaf", FOAF)
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add((dataset, RDF.type, DCAT.Dataset))
    void.add((dataset, DCTERMS.title, Literal(title, lang="en")))
    void.add((dataset, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    void.add((dataset, VOID.uriSpace, Literal(uri_space)))
    void.add((dataset, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    for name in lookup_formats:
        void.add((dataset, VOID.feature, URIRef(FORMATS + name)))
    service = URIRef(sparql_endpoint)
    void.add((service, RDF.type, DCAT.DataService))
    void.add((service, DCAT.endpointURL, service))
    void.add((service, DCAT.servesDataset, dataset))
    _add_counts(void, dataset, counts(store))
    graphs = store.graphs()
    void += _metadata(store, graphs)
    licences = set()
    for graph in graphs:
        void.add((dataset, VOID.subset, graph))
        void.add((graph, RDF.type, VOID.Dataset))
        void.add((graph, VOID.inDataset, dataset))
        void.add((graph, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
        _add_counts(void, graph, counts(store, graph))
        for example in _examples(store, graph, uri_space):
            void.add((graph, VOID.exampleResource, example))
            void.add((dataset, VOID.exampleResource, example))
        licences |= set(void.objects(graph, DCTERMS.license))
    if len(licences) == 1:
        void.add((dataset, DCTERMS.license, licences.pop()))
    for dump in dumps:
        _add_dump(void, dump.graph if dump.graph is not None else dataset, dump)
    return void
