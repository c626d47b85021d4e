"""The query mixes of the endpoint benchmark, drawn from the real data.

- **lookup**: an entity's description, a project's participants with their names, an
  organisation found by its exact name, a region's organisations; repeated entities, as
  a browsing user or an application produces them.
- **analytic**: regions sharing projects with a region, an organisation's partners by
  shared projects, projects per country, country pairs (the named queries
  ``region-partners`` and ``country-collaboration`` with parameters).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pyoxigraph as ox

from ecograph.namespaces import sparql_prologue
from ecograph.queries import NamedQuery, bind

PROLOGUE = sparql_prologue({"ecograph": "https://w3id.org/ecograph/ontology#",
                            "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})


@dataclass(frozen=True)
class Request:
    """One benchmark request: SPARQL text, and the named query it stands for (if any)."""

    sparql: str
    named: str | None = None
    params: tuple[tuple[str, str], ...] = ()


def _sample(store: ox.Store, query: str, n: int, seed: int) -> list[str]:
    rows = [r[0].value for r in store.query(PROLOGUE + query, use_default_graph_as_union=True)]
    random.Random(seed).shuffle(rows)
    return rows[:n]


def lookup_mix(store: ox.Store, size: int = 400, seed: int = 7) -> list[Request]:
    """Cheap queries over a pool of 60 entities of each kind, in a shuffled order."""
    projects = _sample(store, "SELECT ?p WHERE { ?p ecograph:hasParticipant ?o } "
                              "GROUP BY ?p HAVING (COUNT(?o) > 3)", 60, seed)
    orgs = _sample(store, "SELECT DISTINCT ?o WHERE { ?p ecograph:hasParticipant ?o }",
                   60, seed)
    names = _sample(store, "SELECT ?n WHERE { ?o a ecograph:Organisation ; rdfs:label ?n } "
                           "LIMIT 5000", 60, seed)
    regions = _sample(store, "SELECT DISTINCT ?r WHERE { ?o ecograph:locatedIn ?r }", 60, seed)
    kinds = [
        lambda i: f"SELECT ?p ?o WHERE {{ <{orgs[i % 60]}> ?p ?o }}",
        lambda i: (f"SELECT ?org ?name WHERE {{ <{projects[i % 60]}> ecograph:hasParticipant "
                   "?org . ?org rdfs:label ?name } ORDER BY ?name"),
        lambda i: (f"SELECT ?org WHERE {{ ?org rdfs:label "
                   f"{ox.Literal(names[i % 60])} }}"),
        lambda i: (f"SELECT ?org ?name WHERE {{ ?org ecograph:locatedIn <{regions[i % 60]}> ; "
                   "rdfs:label ?name } LIMIT 50"),
    ]
    rng = random.Random(seed)
    return [Request(PROLOGUE + kinds[i % 4](rng.randrange(60))) for i in range(size)]


def named_or(catalogue_: dict[str, NamedQuery], name: str, params: dict[str, str],
             fallback: str) -> Request:
    """The named query *name* bound to *params* (peers get the same bound text), or
    *fallback* when the project has no such query."""
    if name not in catalogue_:
        return Request(fallback)
    known = {p.name for p in catalogue_[name].parameters}
    given = {k: v for k, v in params.items() if k in known}
    return Request(bind(catalogue_[name], given), name, tuple(given.items()))


def analytic_mix(store: ox.Store, catalogue_: dict[str, NamedQuery],
                 seed: int = 11) -> list[Request]:
    """Heavy aggregations over the partnership network (16 requests, repeated entities)."""
    busy = _sample(store, "SELECT ?o WHERE { ?p ecograph:hasParticipant ?o } GROUP BY ?o "
                          "HAVING (COUNT(?p) > 50)", 4, seed)
    regions = _sample(store, "SELECT DISTINCT ?r WHERE { ?o ecograph:locatedIn ?r . "
                             "?r ecograph:nutsLevel 3 }", 4, seed)
    requests = []
    for i in range(4):
        requests.append(Request(PROLOGUE + (
            "SELECT ?partner (COUNT(DISTINCT ?p) AS ?shared) WHERE { "
            f"?p ecograph:hasParticipant <{busy[i]}>, ?partner . "
            f"FILTER(?partner != <{busy[i]}>) }} GROUP BY ?partner "
            "ORDER BY DESC(?shared) LIMIT 20")))
        requests.append(Request(PROLOGUE + (
            "SELECT ?country (COUNT(DISTINCT ?p) AS ?projects) WHERE { "
            "?p ecograph:hasParticipant ?o . ?o ecograph:country ?country } "
            "GROUP BY ?country ORDER BY DESC(?projects)")))
        requests.append(named_or(
            catalogue_, "region-partners", {"region": regions[i]}, PROLOGUE + (
                "SELECT ?partner (COUNT(DISTINCT ?project) AS ?projects) WHERE { "
                f"?o ecograph:locatedIn <{regions[i]}> . ?project ecograph:hasParticipant ?o, "
                "?other . ?other ecograph:locatedIn ?partner . "
                f"FILTER(?partner != <{regions[i]}>) }} GROUP BY ?partner "
                "ORDER BY DESC(?projects) LIMIT 20")))
        requests.append(named_or(
            catalogue_, "country-collaboration", {"limit": "50"}, PROLOGUE + (
                "SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE { "
                "?p ecograph:hasParticipant ?x, ?y . ?x ecograph:country ?a . "
                "?y ecograph:country ?b FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b "
                "ORDER BY DESC(?n) LIMIT 50")))
    return requests
