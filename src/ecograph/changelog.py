"""The change log: every accepted change as PROV-O in the named graph ``graph/changelog``.

Each change is a ``prov:Activity`` (IRI ``change/{id}``) with who made it
(``prov:wasAssociatedWith`` a ``prov:Agent`` named after the token or user), when
(``prov:startedAtTime``), why (``rdfs:comment``) and what: one reified
``rdf:Statement`` per triple, ``prov:wasGeneratedBy`` the change when added,
``prov:wasInvalidatedBy`` it when removed, with ``changelog:graph`` naming the graph it
was in. Ids sort by time. The entry is inserted in the same SPARQL Update as the change
itself, so the log never disagrees with the data.

    <https://w3id.org/ecograph/change/20261128T071500123456-a1b2c3>
        a prov:Activity ; dcterms:identifier "20261128T071500123456-a1b2c3" ;
        prov:startedAtTime "2026-11-28T07:15:00.123456+00:00"^^xsd:dateTime ;
        prov:wasAssociatedWith <https://w3id.org/ecograph/agent/curator> ;
        rdfs:comment "fix the coordinator of EU-STANDS4PM" ;
        changelog:added 2 ; changelog:removed 1 .
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ecograph.changes import ChangeSet, Quad
from ecograph.graphs import CHANGELOG
from ecograph.iris import slugify
from ecograph.namespaces import BASE
from ecograph.store.base import SelectResult, Store

CHANGE = Namespace(BASE + "change/")
AGENT = Namespace(BASE + "agent/")
#: The few terms PROV-O lacks for a change log (documented in docs/curation.md).
LOG = Namespace(BASE + "changelog#")


@dataclass
class ChangeEntry:
    """One logged change; ``additions``/``removals`` are filled by :func:`get_change`."""

    id: str
    time: str
    agent: str
    message: str | None
    added: int
    removed: int
    reverts: str | None = None
    reverted_by: str | None = None
    warnings: int = 0
    blank_nodes: bool = False
    additions: set[Quad] = field(default_factory=set)
    removals: set[Quad] = field(default_factory=set)

    @property
    def iri(self) -> URIRef:
        return URIRef(CHANGE[self.id])

    def summary(self) -> dict[str, object]:
        """A JSON-ready summary (no triples)."""
        return {"id": self.id, "iri": str(self.iri), "time": self.time, "agent": self.agent,
                "message": self.message, "added": self.added, "removed": self.removed,
                "reverts": self.reverts, "revertedBy": self.reverted_by,
                "warnings": self.warnings}


def new_id(now: datetime | None = None) -> str:
    """A new change id: UTC time to the microsecond, then random hex (sorts by time)."""
    moment = now or datetime.now(UTC)
    return f"{moment:%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}"


def entry_quads(change_id: str, change: ChangeSet, agent: str, message: str | None = None,
                reverts: str | None = None, warnings: int = 0,
                now: datetime | None = None) -> list[Quad]:
    """The PROV-O description of an accepted change, as quads in the change-log graph."""
    g = CHANGELOG
    activity = URIRef(CHANGE[change_id])
    who = URIRef(AGENT[slugify(agent) or "anonymous"])
    moment = now or datetime.now(UTC)
    quads: list[Quad] = [
        (activity, RDF.type, PROV.Activity, g),
        (activity, DCTERMS.identifier, Literal(change_id), g),
        (activity, PROV.startedAtTime, Literal(moment.isoformat(), datatype=XSD.dateTime), g),
        (activity, PROV.wasAssociatedWith, who, g),
        (who, RDF.type, PROV.Agent, g),
        (who, RDFS.label, Literal(agent), g),
        (activity, LOG.added, Literal(len(change.additions)), g),
        (activity, LOG.removed, Literal(len(change.removals)), g),
    ]
    if message:
        quads.append((activity, RDFS.comment, Literal(message), g))
    if reverts:
        quads.append((activity, LOG.reverts, URIRef(CHANGE[reverts]), g))
    if warnings:
        quads.append((activity, LOG.warnings, Literal(warnings), g))
    for cleared in sorted(change.cleared, key=str):
        quads.append((activity, LOG.cleared, cleared if cleared is not None else LOG.default, g))
    for kind, relation, members in (("a", PROV.wasGeneratedBy, change.additions),
                                    ("r", PROV.wasInvalidatedBy, change.removals)):
        for n, (s, p, o, graph) in enumerate(sorted(members, key=str), start=1):
            statement = URIRef(f"{activity}#{kind}{n}")
            quads += [(statement, RDF.type, RDF.Statement, g),
                      (statement, RDF.subject, s, g), (statement, RDF.predicate, p, g),
                      (statement, RDF.object, o, g), (statement, relation, activity, g)]
            if graph is not None:
                quads.append((statement, LOG.graph, graph, g))
    return quads


_LIST = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX log: <%(log)s>
SELECT ?id ?time ?agent ?message ?added ?removed ?reverts ?by ?warnings WHERE {
  GRAPH <%(graph)s> {
    ?c a prov:Activity ; dcterms:identifier ?id ; prov:startedAtTime ?time ;
       prov:wasAssociatedWith ?who ; log:added ?added ; log:removed ?removed .
    ?who rdfs:label ?agent .
    OPTIONAL { ?c rdfs:comment ?message }
    OPTIONAL { ?c log:reverts ?r . ?r dcterms:identifier ?reverts }
    OPTIONAL { ?later log:reverts ?c ; dcterms:identifier ?by }
    OPTIONAL { ?c log:warnings ?warnings }
    %(filter)s
  }
} ORDER BY DESC(?id) LIMIT %(limit)d OFFSET %(offset)d
"""


def list_changes(store: Store, limit: int = 50, offset: int = 0,
                 change_id: str | None = None) -> list[ChangeEntry]:
    """The logged changes, newest first (or just *change_id*)."""
    test = "" if change_id is None else f"FILTER(?id = {Literal(change_id).n3()})"
    result = store.query(_LIST % {"log": LOG, "graph": CHANGELOG, "filter": test,
                                  "limit": limit, "offset": offset})
    assert isinstance(result, SelectResult)
    entries = []
    for row in result.dicts():
        entries.append(ChangeEntry(
            id=str(row["id"]), time=str(row["time"]), agent=str(row["agent"]),
            message=None if row["message"] is None else str(row["message"]),
            added=int(row["added"]), removed=int(row["removed"]),  # type: ignore[arg-type]
            reverts=None if row["reverts"] is None else str(row["reverts"]),
            reverted_by=None if row["by"] is None else str(row["by"]),
            warnings=0 if row["warnings"] is None else int(row["warnings"]),  # type: ignore[arg-type]
        ))
    return entries


def get_change(store: Store, change_id: str) -> ChangeEntry | None:
    """One logged change with its added and removed triples, or ``None``."""
    found = list_changes(store, limit=1, change_id=change_id)
    if not found:
        return None
    entry = found[0]
    result = store.query(f"""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?rel ?s ?p ?o ?g WHERE {{ GRAPH <{CHANGELOG}> {{
          ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ?rel <{entry.iri}> .
          FILTER(?rel IN (prov:wasGeneratedBy, prov:wasInvalidatedBy))
          OPTIONAL {{ ?st <{LOG.graph}> ?g }} }} }}""")
    assert isinstance(result, SelectResult)
    for rel, s, p, o, g in result.rows:
        quad: Quad = (s, p, o, g)  # type: ignore[assignment]
        if any(isinstance(t, BNode) for t in (s, o)):
            entry.blank_nodes = True
        (entry.additions if rel == PROV.wasGeneratedBy else entry.removals).add(quad)
    return entry


def node_text(term: Node | None) -> str | None:
    """A term as N-Triples-like text for JSON (``None`` stays ``None``)."""
    return None if term is None else term.n3()
