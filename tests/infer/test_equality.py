"""ecograph's inferred graph equals owlrl's restricted closure: none missing, none extra."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.infer import materialise
from ecograph.iris import mint
from ecograph.load import parse_file
from ecograph.namespaces import ECOGRAPH, VOCAB
from tests.infer.conftest import assert_equals_owlrl, fill

FIXTURE_SETS = [
    ("rules-ontology.ttl", "rules-data.ttl"),
    ("restrictions-ontology.ttl", "restrictions-data.ttl"),
    ("rules-ontology.ttl", "rules-data.ttl", "restrictions-ontology.ttl",
     "restrictions-data.ttl"),
]


@pytest.mark.parametrize("names", FIXTURE_SETS, ids=["rules", "restrictions", "both"])
def test_fixtures_equal_owlrl(disk_store, names):
    fill(disk_store, *names)
    outcome = materialise(disk_store)
    found = assert_equals_owlrl(disk_store)
    assert outcome.inferred == len(found) > 10


def _seed(store, bundle: Bundle) -> None:
    todo = {s.graph_iri: s.graph for s in bundle.system_sources()}
    for path in bundle.data_files():
        source = parse_file(path)
        todo[source.graph_iri] = source.graph
    store.replace_graphs(todo)


def test_seed_data_equals_owlrl(disk_store, bundle):
    _seed(disk_store, bundle)
    materialise(disk_store)
    found = assert_equals_owlrl(disk_store)
    umf = mint("organisation", "umf-iasi")
    assert any(s == umf for s, _, _ in found), "the seed's organisations gain inferred facts"


def cordis_slice(edges: Path, limit: int) -> Graph:
    """Map the first *limit* project–organisation edges to the ontology's participation terms."""
    graph = Graph()
    role = URIRef(str(VOCAB) + "participation-role/participant")
    with edges.open(newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle, delimiter="\t")):
            if i == limit:
                break
            project = mint("project", f"rcn-{row['projectRcn']}")
            org = mint("organisation", f"cordis-{row['new_org_id']}")
            part = mint("participation", f"{row['projectRcn']}-{row['new_org_id']}")
            graph.add((project, ECOGRAPH.hasParticipant, org))
            graph.add((part, RDF.type, ECOGRAPH.Participation))
            graph.add((part, ECOGRAPH.organisation, org))
            graph.add((part, ECOGRAPH.project, project))
            graph.add((part, ECOGRAPH.participationRole, role))
            graph.add((org, RDFS.label, Literal(row["new_org_id"])))
    return graph


def test_cordis_slice_equals_owlrl(disk_store, bundle, shared_data):
    edges = shared_data / "cordis-sod16-network" / "h2020_edges.tsv"
    disk_store.replace_graphs({
        graphs.ONTOLOGY: bundle.ontology().graph,
        graphs.VOCABULARIES: bundle.vocabularies().graph,
        graphs.source_graph("cordis-slice"): cordis_slice(edges, 300),
    })
    materialise(disk_store)
    found = assert_equals_owlrl(disk_store)
    assert len(found) > 600
