"""The seed article's facts are in the graph, with their source, and the named queries answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from ecograph.graphs import source_graph
from ecograph.iris import parse_entity_iri
from ecograph.load import parse_file
from ecograph.namespaces import BASE, ECOGRAPH
from ecograph.queries import bind, get_query
from ecograph.store.base import SelectResult
from ecograph.store.embedded import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
ID = BASE + "id/"
ARTICLE = ROOT / "data" / "sources" / "imago-mol-article.ttl"

COORDINATORS = {
    "preciseu": ("biocat", "ES"),
    "veles": ("gate-institute", "BG"),
    "edih-diz": ("tu-iasi", "RO"),
    "secure": ("ncbj", "PL"),
    "revert": ("san-raffaele-roma", "IT"),
    "innomedcatalyst": ("adr-nord-est", "RO"),
}
FOUNDERS = {"adr-nord-est", "umf-iasi", "iro-iasi", "sf-spiridon-hospital"}


def run(store: OxigraphStore, name: str, **params: str) -> list[dict[str, object]]:
    result = store.query(bind(get_query(ROOT / "queries", name), params))
    assert isinstance(result, SelectResult)
    return result.dicts()


def key(term: object) -> str:
    parsed = parse_entity_iri(str(term))
    assert parsed is not None, term
    return parsed[1]


def test_project_coordinators_lists_the_six_coordinated_projects(loaded_store) -> None:
    rows = run(loaded_store, "project-coordinators")
    found = {key(r["project"]): (key(r["coordinator"]), key(r["coordinatorCountry"]))
             for r in rows if key(r["project"]) in COORDINATORS}
    assert found == COORDINATORS
    assert all(r["coordinatorLabel"] for r in rows)


def test_regions_sharing_projects_pairs_north_east_with_the_coordinators_regions(
    loaded_store,
) -> None:
    rows = run(loaded_store, "regions-sharing-projects", level="2")
    partners = {key(r["regionB"]) if key(r["regionA"]) == "RO21" else key(r["regionA"])
                for r in rows if "RO21" in (key(r["regionA"]), key(r["regionB"]))}
    assert {"ES51", "BG41", "PL91", "ITI4"} <= partners
    pairs = [(str(r["regionA"]), str(r["regionB"])) for r in rows]
    assert all(a < b for a, b in pairs), "each unordered pair once"
    counts = [int(r["projects"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_cluster_members_flags_the_four_founders(loaded_store) -> None:
    rows = run(loaded_store, "cluster-members")
    founders = {key(r["member"]) for r in rows if r["founding"] == Literal(True)}
    assert founders == FOUNDERS
    hospitals = {key(r["member"]) for r in rows if str(r["type"]) == str(ECOGRAPH.Hospital)}
    assert len(hospitals) == 7
    assert all(r["label"] and r["type"] for r in rows)


def test_organisation_partners_of_the_cluster(loaded_store) -> None:
    rows = run(loaded_store, "organisation-partners", org=f"{ID}cluster/imago-mol")
    partners = {key(r["partner"]) for r in rows}
    assert {"biocat", "ncbj", "san-raffaele-roma"} <= partners
    assert "imago-mol" not in partners


def test_declared_counts_of_the_article_are_in_the_graph(loaded_store) -> None:
    values = loaded_store.query(
        "PREFIX ecograph: <https://w3id.org/ecograph/ontology#> "
        "SELECT ?n WHERE { ?s ecograph:declaredCount/ecograph:countValue ?n }"
    )
    assert isinstance(values, SelectResult)
    numbers = {int(r[0]) for r in values.rows}
    assert {71, 45, 7, 25, 11, 12, 18, 14, 15, 17} <= numbers


def test_every_entity_is_minted_and_nothing_is_a_blank_node() -> None:
    graph = parse_file(ARTICLE).graph
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)
    entities = {t for triple in graph for t in triple
                if isinstance(t, URIRef) and str(t).startswith(ID)}
    assert len(entities) > 60
    assert [str(e) for e in entities if parse_entity_iri(str(e)) is None] == []


def test_the_article_graph_carries_its_provenance() -> None:
    graph = parse_file(ARTICLE).graph
    graph_iri = source_graph("imago-mol-article")
    documents = list(graph.objects(graph_iri, PROV.wasDerivedFrom))
    assert documents
    (document,) = documents
    assert "Ecosystem of the Month" in str(graph.value(document, DCTERMS.title))
    assert graph.value(document, DCTERMS.publisher) is not None
    assert str(graph.value(document, DCTERMS.issued)) == "2024-10-23"
    assert (graph_iri, RDF.type, None) in graph


@pytest.mark.parametrize("name", ["project-countries", "projects-by-programme"])
def test_other_catalogue_queries_answer(loaded_store, name: str) -> None:
    rows = run(loaded_store, name)
    assert rows
    assert {key(r["project"]) for r in rows} >= {"preciseu", "secure", "revert"}
