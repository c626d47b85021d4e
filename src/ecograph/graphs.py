"""Named graphs: one per source, plus the ontology, shapes, vocabularies and inferred triples."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from ecograph.iris import slugify
from ecograph.namespaces import GRAPH

ONTOLOGY = URIRef(GRAPH["ontology"])
SHAPES = URIRef(GRAPH["shapes"])
VOCABULARIES = URIRef(GRAPH["vocabularies"])
INFERRED = URIRef(GRAPH["inferred"])
CHANGELOG = URIRef(GRAPH["changelog"])
#: Region-collaboration edges derived from the data (:mod:`ecograph.derive`).
REGION_COLLABORATION = URIRef(GRAPH["derived/region-collaboration"])

#: Graphs that describe the data rather than being data; validation never targets them.
SYSTEM_GRAPHS = frozenset({ONTOLOGY, SHAPES, VOCABULARIES, INFERRED, CHANGELOG,
                           REGION_COLLABORATION})


def source_graph(name: str) -> URIRef:
    """Return the named graph of the source called *name*.

    >>> str(source_graph("IMAGO-MOL article"))
    'https://w3id.org/ecograph/graph/imago-mol-article'
    """
    slug = slugify(name)
    if not slug:
        raise ValueError(f"cannot derive a graph name from {name!r}")
    return URIRef(GRAPH[slug])


def graph_for_file(path: Path) -> URIRef:
    """Return the named graph a source file loads into: its name without extensions.

    >>> str(graph_for_file(Path("data/sources/nuts-2021-subset.ttl")))
    'https://w3id.org/ecograph/graph/nuts-2021-subset'
    """
    name = path.name.split(".", 1)[0]
    return source_graph(name)
