"""Parsing gives rdflib graphs, or an error naming the file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecograph.errors import InputError, ParseError, UnsupportedFormatError
from ecograph.formats import syntax_by_name
from ecograph.load import expand_paths, parse_bytes, parse_file

GOOD = {
    "a.ttl": '@prefix ex: <http://example.org/> . ex:a ex:b "Iași"@ro .',
    "a.nt": '<http://example.org/a> <http://example.org/b> "Iași"@ro .\n',
    "a.jsonld": '{"@id": "http://example.org/a", "http://example.org/b": '
    '{"@value": "Iași", "@language": "ro"}}',
    "a.rdf": '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
    '<ex:b xml:lang="ro">Iași</ex:b></rdf:Description></rdf:RDF>',
    "a.trig": '<http://example.org/g> { <http://example.org/a> <http://example.org/b> "Iași"@ro }',
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_every_supported_syntax_parses_to_the_same_triple(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(GOOD[name], encoding="utf-8")
    source = parse_file(path)
    assert len(source.graph) == 1
    (_, _, obj), = source.graph
    assert (str(obj), obj.language) == ("Iași", "ro")
    assert str(source.graph_iri).endswith("/graph/a")


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n'
         'ex:d ex:e "open .\n', 3),
        ("bad.nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> oops .\n", 2),
        ("bad.jsonld", '{"@id": "http://a",\n "http://b": [1,\n}', 3),
    ],
)
def test_malformed_rdf_names_file_and_line(tmp_path: Path, name: str, text: str,
                                           line: int) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        parse_file(path)
    assert caught.value.line == line
    assert str(path) in caught.value.message
    assert f"line {line}" in caught.value.message


def test_relative_iris_are_refused_not_resolved_against_the_file() -> None:
    with pytest.raises(ParseError):
        parse_bytes("<a> <b> <c> .", syntax_by_name("turtle"), "x.ttl")


def test_unknown_file_type_and_missing_file(tmp_path: Path) -> None:
    csv = tmp_path / "table.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match="unknown RDF file type"):
        parse_file(csv)
    with pytest.raises(InputError, match="no such file"):
        parse_file(tmp_path / "missing.ttl")


def test_folders_expand_to_their_files(tmp_path: Path) -> None:
    (tmp_path / "b.ttl").write_text("", encoding="utf-8")
    (tmp_path / "a.nt").write_text("", encoding="utf-8")
    (tmp_path / "README.md").write_text("", encoding="utf-8")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.nt", "b.ttl"]
