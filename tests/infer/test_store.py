"""The inferred graph in the store: written after each load, replaced on each run, kept apart."""

from __future__ import annotations

from click.testing import CliRunner
from rdflib import Graph, URIRef

from ecograph import graphs
from ecograph.cli import main
from ecograph.infer import asserted_graphs, materialise
from ecograph.pipeline import load_sources
from ecograph.store.base import AskResult, SelectResult
from tests.infer.conftest import FIXTURES, fill, inferred

EX = "http://example.org/ont#"
ID = "http://example.org/id/"


def test_load_materialises(loaded_store):
    assert loaded_store.count(graphs.INFERRED) > 100
    again = materialise(loaded_store)
    assert (again.added, again.removed) == (0, 0), "the load left the inferred graph complete"


def test_queries_see_the_union_and_can_leave_inferences_out(disk_store):
    fill(disk_store, "rules-ontology.ttl", "rules-data.ttl")
    materialise(disk_store)
    ask = f"ASK {{ <{ID}imago> <{EX}hasMember> <{ID}umf> }}"
    union = disk_store.query(ask)
    asserted = disk_store.query(ask, default_graphs=asserted_graphs(disk_store))
    assert isinstance(union, AskResult) and union.value is True
    assert isinstance(asserted, AskResult) and asserted.value is False
    assert graphs.INFERRED not in asserted_graphs(disk_store)
    assert graphs.ONTOLOGY in asserted_graphs(disk_store)


def test_each_run_replaces_the_inferred_graph_and_leaves_asserted_graphs(disk_store):
    fill(disk_store, "rules-ontology.ttl", "rules-data.ttl")
    materialise(disk_store)
    stale = (URIRef(f"{ID}imago"), URIRef(f"{EX}hasMember"), URIRef(f"{ID}umf"))
    assert stale in inferred(disk_store)
    data = graphs.source_graph("rules-data")
    changed = disk_store.get_graph(data)
    changed.remove((URIRef(f"{ID}umf"), URIRef(f"{EX}memberOf"), URIRef(f"{ID}imago")))
    disk_store.replace_graphs({data: changed})
    before = {g: disk_store.count(g) for g in asserted_graphs(disk_store)}
    outcome = materialise(disk_store)
    assert stale not in inferred(disk_store)
    assert outcome.removed >= 1
    assert before == {g: disk_store.count(g) for g in asserted_graphs(disk_store)}


def test_inferences_about_blank_nodes_join_with_the_data(disk_store):
    g = Graph()
    g.parse(data=f"""@prefix ex: <{EX}> .
        ex:Hospital <http://www.w3.org/2000/01/rdf-schema#subClassOf> ex:Organisation .
        <{ID}cluster> ex:declared [ a ex:Hospital ] .""", format="turtle")
    disk_store.replace_graphs({graphs.source_graph("blank"): g})
    materialise(disk_store)
    rows = disk_store.query(f"SELECT ?b WHERE {{ <{ID}cluster> <{EX}declared> ?b . "
                            f"?b a <{EX}Organisation> }}")
    assert isinstance(rows, SelectResult) and len(rows.rows) == 1
    assert disk_store.count(graphs.INFERRED) == 1


def test_a_failed_inference_keeps_the_load_and_says_so(empty_store, bundle, monkeypatch):
    import importlib

    from ecograph.load import parse_file

    m = importlib.import_module("ecograph.infer.materialise")

    def broken(*args, **kwargs):
        raise RuntimeError("reasoner exploded")

    monkeypatch.setattr(m, "infer", broken)
    source = parse_file(next(p for p in bundle.data_files() if p.name == "iso-3166.ttl"))
    outcome = load_sources(empty_store, [source], bundle)
    assert outcome.inference is None
    assert "inference failed: reasoner exploded" in (outcome.inference_error or "")
    assert "ecograph infer" in (outcome.inference_error or "")
    assert empty_store.count(source.graph_iri) == len(source.graph)
    assert not empty_store.has_graph(graphs.INFERRED)


def test_cli_infer(tmp_path):
    from ecograph.store.embedded import OxigraphStore

    location = tmp_path / "store"
    store = OxigraphStore(location)
    fill(store, "rules-ontology.ttl", "rules-data.ttl")
    store.close()
    result = CliRunner().invoke(main, ["infer", "--store", str(location)])
    assert result.exit_code == 0, result.output
    assert "full inference" in result.output and "inferred triples" in result.output
    assert (FIXTURES / "rules-data.ttl").exists()
