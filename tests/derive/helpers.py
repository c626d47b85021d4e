"""What the derive tests compare: the named queries' rows, and the derived graph itself."""

from __future__ import annotations

from pathlib import Path

from ecograph import graphs
from ecograph.queries import bind, get_query
from ecograph.store.base import SelectResult, Store

ROOT = Path(__file__).resolve().parents[2]
P = "PREFIX ecograph: <https://w3id.org/ecograph/ontology#>\n"


def rows(store: Store, name: str, **params: str) -> list[tuple[str, ...]]:
    """The rows of the named query *name*, every term as text, in the query's order."""
    result = store.query(bind(get_query(ROOT / "queries", name), params))
    assert isinstance(result, SelectResult)
    return [tuple("" if term is None else str(term) for term in row) for row in result.rows]


def root_codes(store: Store) -> list[str]:
    """The codes of the framework programmes (programmes without a parent) in *store*."""
    result = store.query(P + "SELECT DISTINCT ?code WHERE { ?p ecograph:programmeCode ?code . "
                         "FILTER NOT EXISTS { ?p ecograph:parentProgramme ?up } }")
    assert isinstance(result, SelectResult)
    return sorted(str(row[0]) for row in result.rows)


def derived(store: Store) -> set[tuple[str, str, str]]:
    """The derived graph's triples, as N-Triples terms."""
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in
            store.get_graph(graphs.REGION_COLLABORATION)}
