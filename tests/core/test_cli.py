"""The CLI through the real ``ecograph`` executable: exit codes, messages, store untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_pipeline import BAD, GOOD, ONTOLOGY, SHAPES

EXE = Path(sys.executable).with_name("ecograph")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny project folder: ontology, shapes, one bundled source and one named query."""
    root = tmp_path / "project"
    (root / "ontology" / "shapes").mkdir(parents=True)
    (root / "ontology" / "vocabularies").mkdir()
    (root / "data" / "sources").mkdir(parents=True)
    (root / "queries").mkdir()
    (root / "ontology" / "ecograph.ttl").write_text(ONTOLOGY, encoding="utf-8")
    (root / "ontology" / "shapes" / "core.ttl").write_text(SHAPES, encoding="utf-8")
    (root / "data" / "sources" / "good.ttl").write_text(GOOD, encoding="utf-8")
    (root / "queries" / "labels.rq").write_text(
        "# title: Labels\n# param: thing iri required - it\n# columns: label\n"
        "SELECT ?label WHERE { $thing <http://example.org/label> ?label }\n", encoding="utf-8")
    return root


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(project),
           "ECOGRAPH_STORE": str(project / "store")}
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def quads(project: Path) -> str:
    result = run(project, "export", "--format", "nquads")
    assert result.returncode == 0, result.stderr
    return "".join(sorted(result.stdout.splitlines(keepends=True)))


def test_fresh_store_autoloads_bundled_data_for_queries(project: Path) -> None:
    result = run(project, "query", "labels", "--param", "thing=http://example.org/h",
                 "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["label", "H"]
    assert "loaded the bundled data" in result.stderr


def test_the_default_store_is_made_in_a_fresh_checkout(project: Path) -> None:
    """``ecograph load`` with no store given uses var/store in the project folder, whose
    parent a fresh checkout does not have (Oxigraph makes only the last folder)."""
    env = {k: v for k, v in os.environ.items() if k != "ECOGRAPH_STORE"}
    env["ECOGRAPH_PROJECT_DIR"] = str(project)
    assert not (project / "var").exists()
    result = subprocess.run([str(EXE), "load"], capture_output=True, text=True, env=env,
                            cwd=project, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert (project / "var" / "store").is_dir()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["query", "lables"], 2, "did you mean labels"),
        (["query", "labels"], 2, "needs parameter 'thing'"),
        (["query", "labels", "--param", "thing=not an iri"], 2, "is not an absolute IRI"),
        (["query", "SELECT * WHERE { ?s ?p }"], 2, "SPARQL syntax error"),
        (["load", "missing.ttl"], 2, "missing.ttl: no such file"),
        (["load", "data.csv"], 2, "unknown RDF file type"),
        (["load", "broken.ttl"], 2, "broken.ttl, line 2"),
        (["load", "bad.ttl"], 1, "1 SHACL violation"),
    ],
)
def test_bad_input_gets_a_message_an_exit_code_and_changes_nothing(
    project: Path, args: list[str], code: int, message: str
) -> None:
    (project / "data.csv").write_text("a,b\n", encoding="utf-8")
    (project / "broken.ttl").write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "x .\n',
                                        encoding="utf-8")
    (project / "bad.ttl").write_text(BAD, encoding="utf-8")
    before = quads(project)
    result = subprocess.run([str(EXE), *args], capture_output=True, text=True, cwd=project,
                            env={**os.environ, "ECOGRAPH_PROJECT_DIR": str(project),
                                 "ECOGRAPH_STORE": str(project / "store")},
                            timeout=120, check=False)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert quads(project) == before


def test_validate_exit_codes_and_formats(project: Path) -> None:
    good = project / "data" / "sources" / "good.ttl"
    bad = project / "bad.ttl"
    bad.write_text(BAD, encoding="utf-8")
    assert run(project, "validate", str(good)).returncode == 0
    text = run(project, "validate", str(bad))
    assert text.returncode == 1
    assert "An organisation needs a label." in text.stdout
    as_json = run(project, "validate", str(bad), "--format", "json")
    assert '"Violation": 1' in as_json.stdout
    turtle = run(project, "validate", str(bad), "--format", "turtle")
    assert "sh:ValidationReport" in turtle.stdout
    assert run(project, "validate", str(project / "nope.ttl")).returncode == 2


def test_load_stats_and_export(project: Path) -> None:
    loaded = run(project, "load")
    assert loaded.returncode == 0, loaded.stderr
    assert "graph/good" in loaded.stdout
    stats = run(project, "stats")
    assert "https://w3id.org/ecograph/graph/good" in stats.stdout
    trig = run(project, "export", "--format", "trig")
    assert "<https://w3id.org/ecograph/graph/good>" in trig.stdout


def test_a_long_report_is_cut_and_tallied_by_shape(project: Path) -> None:
    many = "\n".join(f"ex:h{i} a ex:Hospital ; ex:label \"H{i}\" ." for i in range(30))
    (project / "data" / "sources" / "many.ttl").write_text(
        "@prefix ex: <http://example.org/> .\n" + many, encoding="utf-8")
    result = run(project, "load")
    assert result.returncode == 0, result.stderr
    assert "… and 10 more focus nodes" in result.stdout
    assert "30 warning(s) from <http://example.org/OrgSite>" in result.stdout
