"""Real linked-data clients against the running server: rdflib ``Graph.parse`` and ``rapper``."""

from __future__ import annotations

import subprocess

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ecograph.load import parse_file

from .conftest import ECO, ID, ROOT

UMF = URIRef(ID + "organisation/umf-iasi")
EXPECTED = {(UMF, URIRef(ECO + "rorId"), Literal("03hd30t45")),
            (UMF, URIRef(ECO + "country"), URIRef(ID + "country/RO")),
            (UMF, RDF.type, URIRef(ECO + "University"))}


def _rapper(*args: str) -> Graph:
    done = subprocess.run(["/usr/bin/rapper", "-q", "-o", "ntriples", *args],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return Graph().parse(data=done.stdout.decode("utf-8"), format="nt")


@pytest.mark.parametrize("fmt", [None, "turtle", "xml", "json-ld", "nt"])
def test_rdflib_graph_parse_of_an_entity_url(server, fmt):
    graph = Graph()
    graph.parse(server.path(UMF), format=fmt) if fmt else graph.parse(server.path(UMF))
    assert set(graph) >= EXPECTED


@pytest.mark.parametrize("parser", ["turtle", "rdfxml", "ntriples", "guess", "trig", "nquads"])
def test_rapper_reads_an_entity_with_each_parser(server, parser):
    graph = _rapper("-i", parser, server.path(UMF)) if parser != "guess" else _rapper(
        "-g", server.path(UMF))
    assert set(graph) >= EXPECTED


def test_rapper_and_rdflib_see_the_same_triples(server):
    by_rapper = _rapper("-i", "turtle", server.path(UMF))
    by_rdflib = Graph().parse(server.path(UMF), format="turtle")
    assert set(by_rapper) == set(by_rdflib)


def test_the_ontology_iri_and_its_terms_dereference_to_the_whole_ontology(server):
    expected = parse_file(ROOT / "ontology" / "ecograph.ttl").graph
    for url in (server.url + "/ontology", server.url + "/ontology#Cluster"):
        got = Graph().parse(url)
        assert got.isomorphic(expected), url
    cluster = URIRef(ECO + "Cluster")
    assert (cluster, RDF.type, OWL.Class) in _rapper("-i", "rdfxml", server.url + "/ontology")
    assert (cluster, RDFS.label, Literal("Cluster", lang="en")) in _rapper(
        "-i", "turtle", server.url + "/ontology.ttl")


def test_rapper_reads_void(server):
    void = _rapper("-i", "turtle", server.url + "/-/void")
    assert (URIRef(server.url + "/-/void#dataset"), URIRef("http://rdfs.org/ns/void#sparqlEndpoint"),
            URIRef(server.url + "/sparql")) in void
