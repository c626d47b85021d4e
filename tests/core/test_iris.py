"""IRI minting is the one place entity IRIs come from; it must be stable and strict."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecograph.graphs import graph_for_file, source_graph
from ecograph.iris import country_code, mint, parse_entity_iri, slugify


def test_mint_builds_readable_iris() -> None:
    assert str(mint("organisation", "umf-iasi")) == (
        "https://w3id.org/ecograph/id/organisation/umf-iasi"
    )
    assert str(mint("region", "ro21")) == "https://w3id.org/ecograph/id/region/RO21"


@pytest.mark.parametrize(("given_code", "iso"), [("EL", "GR"), ("uk", "GB"), ("RO", "RO")])
def test_country_aliases_map_to_iso(given_code: str, iso: str) -> None:
    assert country_code(given_code) == iso
    assert str(mint("country", given_code)).endswith(f"/country/{iso}")


@pytest.mark.parametrize(
    ("kind", "key"),
    [("organisation", "UMF Iasi"), ("organisation", ""), ("region", "RO-21"),
     ("country", "ROU"), ("planet", "earth"), ("project", "a//b")],
)
def test_mint_refuses_bad_keys_and_kinds(kind: str, key: str) -> None:
    with pytest.raises(ValueError):
        mint(kind, key)


@given(st.text(max_size=40))
def test_slugify_gives_mintable_keys_or_nothing(text: str) -> None:
    slug = slugify(text)
    if slug:
        assert parse_entity_iri(str(mint("project", slug))) == ("project", slug)


def test_parse_entity_iri_rejects_foreign_and_malformed() -> None:
    assert parse_entity_iri("http://example.org/id/project/x") is None
    assert parse_entity_iri("https://w3id.org/ecograph/id/region/ro21") is None
    assert parse_entity_iri("https://w3id.org/ecograph/id/project/x/y") is None


def test_graph_names_come_from_file_names(tmp_path) -> None:
    assert graph_for_file(tmp_path / "nuts-2021-subset.ttl") == source_graph("nuts-2021-subset")
    with pytest.raises(ValueError):
        source_graph("!!!")
