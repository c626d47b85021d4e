"""Result writers follow the SPARQL 1.1 result formats; rdflib reads back what we write."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from ecograph.results import render
from ecograph.store.base import AskResult, SelectResult

ROWS = SelectResult(
    ["a", "b"],
    [
        (URIRef("http://example.org/x"), Literal('say "hi",\n\tthere', lang="en")),
        (BNode("b0"), Literal("3", datatype=XSD.integer)),
        (Literal("plain"), None),
    ],
)


def test_json_round_trips() -> None:
    doc = json.loads(render(ROWS, "json"))
    assert doc["head"]["vars"] == ["a", "b"]
    first, second, third = doc["results"]["bindings"]
    assert first["b"] == {"type": "literal", "value": 'say "hi",\n\tthere', "xml:lang": "en"}
    assert second["b"]["datatype"] == str(XSD.integer)
    assert "b" not in third


@pytest.mark.parametrize(("fmt", "parser"), [("xml", XMLResultParser), ("tsv", TSVResultParser)])
def test_xml_and_tsv_parse_back_with_rdflib(fmt: str, parser: type) -> None:
    text = render(ROWS, fmt)
    result = parser().parse(io.StringIO(text) if fmt == "tsv" else io.BytesIO(text.encode()))
    rows = list(result)
    assert rows[0][1] == Literal('say "hi",\n\tthere', lang="en")
    assert rows[1][1] == Literal("3", datatype=XSD.integer)
    assert rows[2][1] is None


def test_csv_uses_lexical_values_and_crlf() -> None:
    text = render(ROWS, "csv")
    assert text.startswith("a,b\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ["http://example.org/x", 'say "hi",\n\tthere']
    assert rows[2] == ["_:b0", "3"]


def test_ask_in_every_format() -> None:
    assert json.loads(render(AskResult(True), "json"))["boolean"] is True
    assert "<boolean>false</boolean>" in render(AskResult(False), "xml")
    assert render(AskResult(True), "table") == "true\n"


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown result format"):
        render(ROWS, "yaml")
