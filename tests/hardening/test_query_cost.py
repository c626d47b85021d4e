"""The fast lane's classifier: which queries are cheap, decided from the text alone.

Being wrong towards "cheap" costs the lane limit (the query is re-run on the general
workers); these tests pin what must never be called cheap (products, deep paths,
subqueries, SERVICE, unanchored patterns) and that the named lookups are.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecograph.queries import bind, catalogue
from ecograph.web.query_cost import classify, is_cheap, shape
from tests.web.conftest import HERE
from tests.web.test_limits import CHEAP, RUNAWAY

E = "http://example.org/q#"
LOOKUPS = catalogue(HERE / "project" / "queries")


@pytest.mark.parametrize("query", [
    f"DESCRIBE <{E}a>",
    f"PREFIX e: <{E}> DESCRIBE e:a e:b",
    CHEAP,
    f"SELECT ?label WHERE {{ <{E}a> <{E}label> ?label }}",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    f"PREFIX e: <{E}> SELECT ?t WHERE {{ ?p e:member e:a ; e:title ?t . "
    f"OPTIONAL {{ ?p e:label ?l FILTER(LANG(?l) = \"en\") }} }} ORDER BY ?t",
    f"PREFIX e: <{E}> CONSTRUCT {{ ?s e:x ?o }} WHERE {{ e:a e:p ?s . ?s e:q ?o , 1.5 ; "
    f"e:r \"x\"@en, \"y\"^^e:t . }}",
    f"PREFIX e: <{E}> ASK {{ GRAPH ?g {{ e:a e:p/e:q|^e:r ?o . ?o e:s? ?z }} }}",
    f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ ?s a <{E}C> }} GROUP BY ?s",
])
def test_cheap_queries(query):
    verdict = classify(query)
    assert verdict.cheap, verdict.reason


@pytest.mark.parametrize(("query", "why"), [
    (RUNAWAY, "not anchored"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "not anchored"),
    (f"SELECT * WHERE {{ ?a a <{E}C> . ?b a <{E}C> }}", "Cartesian"),
    (f"PREFIX e: <{E}> SELECT * WHERE {{ ?a (e:p|^e:p)* ?b }}", "*"),
    (f"PREFIX e: <{E}> SELECT * WHERE {{ e:a (e:a/e:b)* ?b }}", "*"),
    (f"PREFIX e: <{E}> SELECT * WHERE {{ e:a e:p+ ?b }}", "+"),
    (f"PREFIX e: <{E}> SELECT * WHERE {{ e:a ((e:p/e:q)*|^e:r)* ?b }}", "*"),
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "subquery"),
    (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1/s> {{ <{E}a> ?p ?o }} }}", "SERVICE"),
    (f"SELECT * WHERE {{ [ <{E}p> <{E}a> ] <{E}q> ?o }}", "blank node"),
    (f"SELECT * WHERE {{ <{E}a> <{E}p> ?x . FILTER NOT EXISTS {{ ?y ?q ?z }} }}",
     "not anchored"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "not a query"),
    ("SELECT * WHERE { <urn:a> <urn:p> ?x ", "unbalanced"),
])
def test_queries_that_are_not_cheap(query, why):
    verdict = classify(query)
    assert not verdict.cheap
    assert why in verdict.reason


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_the_named_lookups_are_cheap_once_bound(name):
    query = LOOKUPS[name]
    values = {p.name: "https://w3id.org/ecograph/id/org-tu-delft" if p.type == "iri"
              else "RO" for p in query.parameters}
    assert is_cheap(bind(query, values))


# -- generated queries ----------------------------------------------------------------------

names = st.text("abcdefgh", min_size=1, max_size=4)


@st.composite
def chains(draw: st.DrawFn) -> str:
    """A connected chain of patterns starting at a constant, each direction at random."""
    length = draw(st.integers(1, 6))
    lines = []
    previous = f"<{E}K{draw(names)}>"  # the anchor: the only name starting with K
    for i in range(length):
        here = f"?v{i}"
        predicate = f"<{E}{draw(names)}>"
        if draw(st.booleans()):
            lines.append(f"{previous} {predicate} {here} .")
        else:
            lines.append(f"{here} {predicate} {previous} .")
        previous = here
    form = draw(st.sampled_from(["SELECT *", "SELECT DISTINCT ?v0", "ASK",
                                 "CONSTRUCT { ?v0 <urn:x> ?v0 }"]))
    order = draw(st.sampled_from(["", " ORDER BY ?v0", " LIMIT 5"]))
    order = "" if form.startswith(("ASK", "CONSTRUCT")) else order
    return f"{form} WHERE {{ {' '.join(lines)} }}{order}"


@settings(max_examples=150, deadline=None)
@given(chains())
def test_chains_anchored_in_a_constant_are_cheap(query):
    assert is_cheap(query), classify(query)


@settings(max_examples=150, deadline=None)
@given(chains(), st.sampled_from(["?x ?y ?z .", f"?x <{E}p> ?y .",
                                  f"?x a <{E}C> . ?y a <{E}C> ."]))
def test_an_unanchored_or_unjoined_pattern_makes_it_not_cheap(query, extra):
    query = query.replace("WHERE { ", f"WHERE {{ {extra} ", 1)
    assert not is_cheap(query)


@settings(max_examples=150, deadline=None)
@given(chains(), st.sampled_from(["*", "+"]), st.integers(0, 5))
def test_a_star_or_plus_path_makes_it_not_cheap(query, modifier, which):
    predicates = [part for part in query.split() if part.startswith(f"<{E}")]
    target = predicates[min(which, len(predicates) - 1)]
    changed = query.replace(f" {target} ?", f" {target}{modifier} ?", 1) \
        if f" {target} ?" in query else query.replace(f" {target} ", f" {target}{modifier} ", 1)
    if changed == query or f"{target}{modifier} " not in changed:
        changed = query.replace(f"{target} ", f"{target}{modifier} ", 1)
    assert not is_cheap(changed), changed


@settings(max_examples=100, deadline=None)
@given(chains(), names)
def test_the_shape_leaves_out_the_constants(query, other):
    renamed = re.sub(rf"<{re.escape(E)}K\w+>", f"<{E}K{other}x>", query)
    assert renamed != query
    assert shape(renamed) == shape(query)
    assert shape(query.replace("?v0", "?w0")) != shape(query)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_a_verdict(text):
    verdict = classify(text)
    assert isinstance(verdict.cheap, bool) and verdict.reason
