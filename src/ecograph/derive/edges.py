"""Region-collaboration edges as values: their keys, IRIs, triples and counts (pure).

An edge is one unordered pair of regions of one NUTS level, optionally restricted to one
framework programme, with the number of distinct projects both regions take part in.
The pair is ordered canonically (the region whose IRI sorts first is ``first``), so each
pair appears once. Nothing here touches a store.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ecograph.iris import mint
from ecograph.namespaces import ECOGRAPH

#: The IRI prefixes of regions, programmes and collaborations, as :func:`mint` writes them.
REGION_PREFIX = str(mint("region", "XX"))[: -len("XX")]
PROGRAMME_PREFIX = str(mint("programme", "x"))[: -len("x")]
COLLABORATION_PREFIX = str(mint("collaboration", "x"))[: -len("x")]


@dataclass(frozen=True)
class EdgeKey:
    """What identifies an edge: its two regions (``first`` < ``second``), level, programme."""

    first: str
    second: str
    level: int
    programme: str | None = None

    def order(self) -> tuple[str, str, int, str]:
        """A sort key (``None`` programmes first)."""
        return (self.first, self.second, self.level, self.programme or "")


def local_key(iri: str, prefix: str) -> str:
    """The key an edge IRI uses for a region or programme IRI.

    The minted key (lower case) under *prefix*, else ``x`` and 16 hex digits of the IRI's
    MD5 (the SPARQL of :mod:`ecograph.derive.sparql` computes the same).

    >>> local_key("https://w3id.org/ecograph/id/region/RO21", REGION_PREFIX)
    'ro21'
    >>> local_key("http://example.org/r", REGION_PREFIX)
    'xe4516fad438f9d24'
    """
    if iri.startswith(prefix):
        return iri[len(prefix):].lower()
    return "x" + hashlib.md5(iri.encode("utf-8")).hexdigest()[:16]


def edge_iri(key: EdgeKey) -> URIRef:
    """The stable IRI of the edge *key*, minted with :func:`ecograph.iris.mint`.

    >>> str(edge_iri(EdgeKey("https://w3id.org/ecograph/id/region/ES51",
    ...                      "https://w3id.org/ecograph/id/region/RO21", 2,
    ...                      "https://w3id.org/ecograph/id/programme/fp7")))
    'https://w3id.org/ecograph/id/collaboration/es51-ro21-nuts2-fp7'
    """
    parts = [local_key(key.first, REGION_PREFIX), local_key(key.second, REGION_PREFIX),
             f"nuts{key.level}"]
    if key.programme is not None:
        parts.append(local_key(key.programme, PROGRAMME_PREFIX))
    return mint("collaboration", "-".join(parts))


def edge_triples(key: EdgeKey, projects: int) -> list[tuple[URIRef, URIRef, Literal | URIRef]]:
    """The triples describing the edge *key* that counts *projects* shared projects."""
    iri = edge_iri(key)
    triples: list[tuple[URIRef, URIRef, Literal | URIRef]] = [
        (iri, RDF.type, ECOGRAPH.RegionCollaboration),
        (iri, ECOGRAPH.firstRegion, URIRef(key.first)),
        (iri, ECOGRAPH.secondRegion, URIRef(key.second)),
        (iri, ECOGRAPH.collaborationLevel, Literal(key.level, datatype=XSD.integer)),
        (iri, ECOGRAPH.sharedProjects, Literal(projects, datatype=XSD.integer)),
    ]
    if key.programme is not None:
        triples.append((iri, ECOGRAPH.collaborationProgramme, URIRef(key.programme)))
    return triples


def pair_counts(memberships: Iterable[tuple[str, str, int]],
                programmes: Iterable[tuple[str, str]]) -> Counter[EdgeKey]:
    """Count shared projects per edge from ``(project, region, level)`` memberships and
    ``(project, framework programme)`` pairs.

    >>> counts = pair_counts([("p", "B", 2), ("p", "A", 2), ("q", "A", 2), ("q", "B", 2)],
    ...                      [("p", "FP7")])
    >>> counts[EdgeKey("A", "B", 2)], counts[EdgeKey("A", "B", 2, "FP7")]
    (2, 1)
    """
    regions: dict[tuple[str, int], set[str]] = {}
    for project, region, level in memberships:
        regions.setdefault((project, level), set()).add(region)
    funders: dict[str, set[str]] = {}
    for project, programme in programmes:
        funders.setdefault(project, set()).add(programme)
    counts: Counter[EdgeKey] = Counter()
    for (project, level), found in regions.items():
        ordered = sorted(found)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1:]:
                counts[EdgeKey(first, second, level)] += 1
                for programme in funders.get(project, ()):
                    counts[EdgeKey(first, second, level, programme)] += 1
    return counts


def difference(before: Mapping[EdgeKey, int], after: Mapping[EdgeKey, int]) -> dict[EdgeKey, int]:
    """The non-zero change of each count from *before* to *after*.

    >>> difference({EdgeKey("A", "B", 0): 2}, {EdgeKey("A", "B", 0): 1, EdgeKey("A", "C", 0): 1})
    {EdgeKey(first='A', second='B', level=0, programme=None): -1, \
EdgeKey(first='A', second='C', level=0, programme=None): 1}
    """
    keys = sorted(set(before) | set(after), key=EdgeKey.order)
    changes = {key: after.get(key, 0) - before.get(key, 0) for key in keys}
    return {key: change for key, change in changes.items() if change}
