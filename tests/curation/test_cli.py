"""Curation from the shell through the real ``ecograph`` executable: change, history,
revert and validate --stored, with the documented exit codes and nothing written on error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.curation.conftest import ECOGRAPH, GRAPH, PREFIXES, make_small_store


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ECOGRAPH, *args], capture_output=True, text=True, timeout=timeout)


def write(path: Path, text: str) -> Path:
    path.write_text(PREFIXES + text)
    return path


def test_change_history_and_revert(tmp_path: Path):
    store = str(make_small_store(tmp_path / "store"))
    good = write(tmp_path / "good.ttl", 'ex:o9 a ex:Org ; rdfs:label "O9" .')
    dry = run("change", "--add", str(good), "--graph", str(GRAPH), "--store", store,
              "--dry-run")
    assert dry.returncode == 0 and "would add 2" in dry.stdout
    assert "no change recorded yet" in run("history", "--store", store).stdout

    done = run("change", "--add", str(good), "--graph", str(GRAPH), "--store", store,
               "-m", "add O9", "--format", "json")
    assert done.returncode == 0, done.stderr
    change_id = json.loads(done.stdout)["id"]
    listed = run("history", "--store", store)
    assert change_id in listed.stdout and "“add O9”" in listed.stdout and "+2 -0" in listed.stdout
    shown = json.loads(run("history", change_id, "--store", store, "--format", "json").stdout)
    assert len(shown["additions"]) == 2 and shown["agent"].startswith("cli")

    undone = run("revert", change_id, "--store", store)
    assert undone.returncode == 0 and "removed 2" in undone.stdout
    again = run("revert", change_id, "--store", store)
    assert again.returncode == 2 and "already reverted" in again.stderr
    assert run("history", "nope", "--store", store).returncode == 2


def test_refused_changes_exit_with_the_documented_codes(tmp_path: Path):
    store = str(make_small_store(tmp_path / "store"))
    before = run("history", "--store", store, "--format", "json").stdout
    violating = write(tmp_path / "bad.ttl",
                      "ex:a8 ex:org ex:o1 ; ex:project ex:p1 ; ex:role ex:coordinator .")
    refused = run("change", "--add", str(violating), "--graph", str(GRAPH), "--store", store)
    assert refused.returncode == 1
    assert "REFUSED" in refused.stderr and "http://example.org/p1" in refused.stderr
    assert "a project has exactly one coordinator" in refused.stderr
    absent = write(tmp_path / "absent.ttl", 'ex:o1 rdfs:label "never" .')
    gone = run("change", "--remove", str(absent), "--graph", str(GRAPH), "--store", store)
    assert gone.returncode == 2 and "not in the store" in gone.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("ex:a ex:b")
    assert run("change", "--add", str(broken), "--graph", str(GRAPH), "--store", store
               ).returncode == 2
    assert run("change", "--add", str(violating), "--store", store).returncode == 2  # no graph
    assert run("change", "--store", store).returncode == 2
    assert run("history", "--store", store, "--format", "json").stdout == before == "[]\n"


def test_validate_stored_is_a_full_validation(tmp_path: Path, loaded_store_path: Path):
    store = tmp_path / "seed"
    shutil.copytree(loaded_store_path, store)
    result = run("validate", "--stored", "--store", str(store), "--format", "json",
                 timeout=900)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["accepted"] is True
    text = run("validate", "--stored", "--store", str(store), timeout=900)
    assert text.returncode == 0 and "stored data" in text.stdout
