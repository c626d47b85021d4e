"""The project's invalid fixtures over HTTP: each is reported by the shape its first line
names, and a change set writing it is refused (422) when that shape is a Violation.

The server holds the project's ontology, vocabularies and shapes and no data, so a
fixture is judged on its own (some fixtures are fragments that the seed data complete).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.curation.conftest import AUTH

INVALID = sorted((ROOT / "tests" / "fixtures" / "invalid").glob("*.ttl"))
TARGET = "https://w3id.org/ecograph/graph/curation-fixture"


def expected_shape(path: Path) -> str:
    match = re.match(r"#\s*breaks:\s*<([^>]+)>", path.read_text().splitlines()[0])
    assert match, f"{path.name} does not start with '# breaks: <shape IRI>'"
    return match[1]


def test_there_are_invalid_fixtures():
    assert len(INVALID) >= 5


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_invalid_fixture_is_reported_by_its_shape_over_http(schema_server, path):
    shape = expected_shape(path)
    with schema_server.client() as http:
        answer = http.post("/validate", content=path.read_bytes(),
                           headers={"Content-Type": "text/turtle"})
        assert answer.status_code == 200, answer.text
        named = {r["shape"]: r["severity"] for g in answer.json()["focusNodes"]
                 for r in g["results"]}
        assert shape in named, f"{path.name}: {shape} not among {sorted(named)}"
        written = http.post("/changes", params={"dry-run": "true"}, content=json.dumps(
            {"add": path.read_text(), "graph": TARGET}),
            headers={**AUTH, "Content-Type": "application/json"})
    if named[shape] == "Violation":
        assert written.status_code == 422, written.text
        refused = {r["shape"] for g in written.json()["focusNodes"] for r in g["results"]}
        assert shape in refused
    else:
        assert written.status_code == 200, written.text
        assert shape in {r["shape"] for g in written.json()["report"]["focusNodes"]
                         for r in g["results"]}
