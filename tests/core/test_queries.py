"""Named queries: headers are read, parameters bound as terms and never pasted as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from ecograph.errors import InputError, ParameterError, UnknownQueryError
from ecograph.queries import bind, catalogue, get_query, parse_header
from ecograph.store.base import SelectResult
from ecograph.store.embedded import OxigraphStore

QUERY = """# title: Labels of a thing
# description: Labels of one resource,
# description: in any language.
# param: thing iri required - the resource
# param: lang string default=en - language tag
# param: limit integer optional - most rows
# columns: label
SELECT ?label WHERE {
  $thing <http://www.w3.org/2000/01/rdf-schema#label> ?label .
  FILTER(LANG(?label) = $lang)   # $thing in a comment stays
  BIND("$thing in a string" AS ?note)
}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "labels.rq").write_text(QUERY, encoding="utf-8")
    return tmp_path


@pytest.fixture
def store() -> OxigraphStore:
    graph = Graph()
    thing = URIRef("http://example.org/thing")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    graph.add((thing, label, Literal("A", lang="en")))
    graph.add((thing, label, Literal("B", lang="ro")))
    s = OxigraphStore(None)
    s.replace_graphs({URIRef("http://example.org/g"): graph})
    return s


def test_header_is_read(folder: Path) -> None:
    query = catalogue(folder)["labels"]
    assert query.title == "Labels of a thing"
    assert query.description == "Labels of one resource, in any language."
    assert [(p.name, p.type, p.required, p.default) for p in query.parameters] == [
        ("thing", "iri", True, None), ("lang", "string", False, "en"),
        ("limit", "integer", False, None)]
    assert query.columns == ("label",)


def test_binding_substitutes_terms_outside_comments_and_strings(folder: Path,
                                                               store: OxigraphStore) -> None:
    text = bind(get_query(folder, "labels"), {"thing": "http://example.org/thing"})
    assert "<http://example.org/thing> <http://www.w3.org/2000/01/rdf-schema#label>" in text
    assert "# $thing in a comment stays" in text
    assert '"$thing in a string"' in text
    result = store.query(text)
    assert isinstance(result, SelectResult)
    assert [str(r[0]) for r in result.rows] == ["A"]


def test_prefixed_names_expand(folder: Path) -> None:
    text = bind(get_query(folder, "labels"), {"thing": "id:organisation/umf-iasi"})
    assert "<https://w3id.org/ecograph/id/organisation/umf-iasi>" in text


@pytest.mark.parametrize(
    "evil",
    ["http://x> } ; DROP ALL ; SELECT * { <http://y", "http://x>", "not an iri", "http://a b"],
)
def test_iri_injection_is_refused(folder: Path, evil: str) -> None:
    with pytest.raises(ParameterError, match="thing"):
        bind(get_query(folder, "labels"), {"thing": evil})


def test_string_injection_stays_one_literal(folder: Path, store: OxigraphStore) -> None:
    evil = 'en") } ; DROP ALL ; SELECT * { ?s ?p ?o FILTER("x'
    text = bind(get_query(folder, "labels"), {"thing": "http://example.org/thing", "lang": evil})
    result = store.query(text)
    assert isinstance(result, SelectResult)
    assert result.rows == []
    assert store.count() == 2


def test_missing_unknown_and_badly_typed_parameters(folder: Path) -> None:
    query = get_query(folder, "labels")
    with pytest.raises(ParameterError, match="needs parameter 'thing'"):
        bind(query, {})
    with pytest.raises(ParameterError, match="no parameter colour"):
        bind(query, {"thing": "http://example.org/t", "colour": "red"})
    with pytest.raises(ParameterError, match="wants a integer"):
        bind(query, {"thing": "http://example.org/t", "limit": "ten"})


def test_unknown_query_suggests_close_names(folder: Path) -> None:
    with pytest.raises(UnknownQueryError, match="did you mean labels"):
        get_query(folder, "label")
    with pytest.raises(UnknownQueryError):
        get_query(folder, "../etc/passwd")


def test_header_without_title_or_with_bad_param_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="title"):
        parse_header(tmp_path / "x.rq", "SELECT * {}")
    with pytest.raises(InputError, match="parameter line"):
        parse_header(tmp_path / "x.rq", "# title: t\n# param: x colour\nSELECT * {}")
