"""Inconsistencies are reported with the offending resources, the same ones owlrl finds."""

from __future__ import annotations

from click.testing import CliRunner

from ecograph.cli import main
from ecograph.infer import materialise, update_inferences
from ecograph.infer.reference import owlrl_closure
from tests.infer.conftest import fill, input_graph

ID = "http://example.org/id/"


def test_every_clash_is_reported_with_its_resources(disk_store):
    fill(disk_store, "inconsistent.ttl")
    outcome = materialise(disk_store)
    found = {(c.rule_id, c.resources) for c in outcome.clashes}
    assert ("cax-dw", (f"<{ID}ana>",)) in found
    assert ("cls-nothing2", (f"<{ID}ghost>",)) in found
    assert ("prp-irp", (f"<{ID}unit>",)) in found
    assert ("prp-asyp", (f"<{ID}a>", f"<{ID}b>")) in found
    assert ("cax-adc", (f"<{ID}iasi>",)) in found
    assert ("eq-diff1", (f"<{ID}x>", f"<{ID}y>")) in found
    assert all(c.message for c in outcome.clashes)


def test_owlrl_reports_the_same_resources(disk_store):
    fill(disk_store, "inconsistent.ttl")
    outcome = materialise(disk_store)
    _, errors = owlrl_closure(input_graph(disk_store))
    for name in ("ana", "ghost", "unit", "iasi"):
        assert any(f"{ID}{name}" in e for e in errors), name
        assert any(f"<{ID}{name}>" in c.resources for c in outcome.clashes), name


def test_consistent_data_has_no_clash(disk_store):
    fill(disk_store, "rules-ontology.ttl", "rules-data.ttl")
    assert materialise(disk_store).clashes == []


def test_a_change_that_makes_data_inconsistent_is_reported(disk_store):
    fill(disk_store, "rules-ontology.ttl", "rules-data.ttl")
    materialise(disk_store)
    person = "<http://example.org/ont#Person>"
    clash = (f"<{ID}umf>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", person)
    extra = "<http://example.org/g/extra>"
    disk_store.update(f"INSERT DATA {{ GRAPH {extra} {{ {' '.join(clash)} . }} }}")
    outcome = update_inferences(disk_store, [clash], [])
    assert outcome.mode == "incremental"
    assert [(c.rule_id, c.resources) for c in outcome.clashes] == [("cax-dw", (f"<{ID}umf>",))]


def test_cli_check_exits_1_on_inconsistency(tmp_path):
    from ecograph.store.embedded import OxigraphStore

    location = tmp_path / "store"
    store = OxigraphStore(location)
    fill(store, "inconsistent.ttl")
    store.close()
    result = CliRunner().invoke(main, ["infer", "--store", str(location), "--check"])
    assert result.exit_code == 1, result.output
    assert "cax-dw" in result.output and f"<{ID}ana>" in result.output
    plain = CliRunner().invoke(main, ["infer", "--store", str(location)])
    assert plain.exit_code == 0
    assert "inconsistenc" in plain.output
