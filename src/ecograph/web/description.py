"""The SPARQL 1.1 Service Description of the endpoint, as an RDF graph.

It names the endpoint, the languages (Update only when writes are on), the result
formats, the features (the default graph is the union of the named graphs), and the
default dataset with each named graph and its size; ``rdfs:seeAlso`` points at the
VoID description under ``/-/void``.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ecograph.config import Settings
from ecograph.namespaces import PREFIXES, VOID
from ecograph.web.urls import Urls

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG",
                  "N-Quads")
INPUT_FORMATS = ("Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads")


def service_description(urls: Urls, settings: Settings, sizes: Mapping[str, int],
                        total: int) -> Graph:
    """Return the description of the service at *urls* holding graphs of *sizes* triples."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    for prefix in ("graph",):
        graph.bind(prefix, PREFIXES[prefix])
    service = URIRef(urls.sparql() + "#service")
    endpoint = URIRef(urls.sparql())
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.writable:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    for name in INPUT_FORMATS:
        graph.add((service, SD.inputFormat, FORMATS[name]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.feature, SD.EmptyGraphs))
    if settings.federation:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    graph.add((service, RDFS.label, Literal("ecograph SPARQL endpoint")))
    dataset = URIRef(urls.sparql() + "#dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDFS.seeAlso, URIRef(urls.void())))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    for iri, size in sorted(sizes.items()):
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(iri)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(size, datatype=XSD.integer)))
    graph.add((URIRef(urls.store()), RDFS.comment, Literal(
        "SPARQL 1.1 Graph Store HTTP Protocol endpoint of this service")))
    return graph
