"""The bundled subset: the imported projects of chosen seed organisations, as Turtle files.

After full imports of ``nuts``, ``iso3166`` and ``cordis-network``,
``python -m ecograph.importers.subset STORE OUT_DIR KEY…`` writes

* ``cordis-network.ttl``: the projects in which any of the seed organisations take part
  (KEY being their IRI keys such as ``umf-iasi``), all their participants with names,
  countries and regions, and those countries as the import declares them;
* ``nuts-2021.ttl``: the regions those participants are in and the regions the other
  bundled files of OUT_DIR refer to (the seed's), with their ancestors and countries;
* ``iso-3166.ttl``: the whole ISO 3166-1 graph (~1,400 triples), so that every country
  code resolves (importers declare the countries they refer to from it, see
  :mod:`ecograph.importers.countries`),

each with its source's provenance. The files load into the same graphs as the full
imports, which replace them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from ecograph.graphs import source_graph
from ecograph.iris import mint
from ecograph.namespaces import PREFIXES, sparql_prologue
from ecograph.store.base import GraphResult, Store

#: The files this module writes (the other bundled files are the seed's).
FILES = ("cordis-network.ttl", "nuts-2021.ttl", "iso-3166.ttl")
_KEEP = ("rdf:type", "rdfs:label", "ecograph:cordisPic", "ecograph:country",
         "ecograph:locatedIn", "ecograph:acronym", "ecograph:cordisProjectId",
         "ecograph:fundedBy")


def _construct(store: Store, text: str) -> Graph:
    answer = store.query(sparql_prologue() + text)
    assert isinstance(answer, GraphResult)
    return answer.graph


def network_subset(store: Store, organisations: Sequence[str], regions: Sequence[str] = (),
                   ) -> tuple[Graph, Graph, Graph]:
    """The network, NUTS and ISO 3166 triples around the projects of *organisations* (IRIs).

    The NUTS part also holds *regions* (IRIs) and their ancestors; the ISO part is whole.
    """
    network = f"<{source_graph('cordis-network')}>"
    nuts = f"<{source_graph('nuts-2021')}>"
    values = " ".join(f"<{o}>" for o in organisations)
    keep = ", ".join(_KEEP)
    projects = f"""SELECT DISTINCT ?p WHERE {{ VALUES ?seed {{ {values} }}
        GRAPH {network} {{ ?p ecograph:hasParticipant ?seed }} }}"""
    data = _construct(store, f"""CONSTRUCT {{ ?p ?pp ?po . ?o ?op ?oo . ?f ?fp ?fo .
          ?g ?gp ?go . ?d ?dp ?do }} WHERE {{
        {{ {projects} }}
        GRAPH {network} {{
          {{ ?p ?pp ?po . FILTER(?pp IN ({keep}, ecograph:hasParticipant, ecograph:coordinator)) }}
          UNION {{ ?p ecograph:hasParticipant ?o . ?o ?op ?oo . FILTER(?op IN ({keep}))
                   # only the most specific region (the roll-ups follow from the hierarchy)
                   FILTER(?op != ecograph:locatedIn || NOT EXISTS {{
                     ?o ecograph:locatedIn ?deeper .
                     FILTER(STRLEN(STR(?deeper)) > STRLEN(STR(?oo))) }}) }}
          UNION {{ ?p ecograph:fundedBy ?f0 . ?f0 ecograph:parentProgramme* ?f . ?f ?fp ?fo }}
          UNION {{ ?p ecograph:hasParticipant/ecograph:country ?f . ?f ?fp ?fo }}
          UNION {{ BIND({network} AS ?g) ?g ?gp ?go . FILTER(?gp != dcterms:source) }}
          UNION {{ {network} prov:wasDerivedFrom ?d . ?d ?dp ?do }}
        }} }}""")
    extra = " ".join(f"<{r}>" for r in regions)
    regions_graph = _construct(store, f"""CONSTRUCT {{ ?r ?rp ?ro . ?c ?cp ?co . ?g ?gp ?go .
          ?d ?dp ?do }} WHERE {{
        {{ {{ {projects} }}
           GRAPH {network} {{ ?p ecograph:hasParticipant/ecograph:locatedIn ?r0 }} }}
        UNION {{ VALUES ?r0 {{ {extra} }} }}
        GRAPH {nuts} {{
          {{ ?r0 ecograph:parentRegion* ?r . ?r ?rp ?ro . FILTER(?rp != dcterms:replaces) }}
          UNION {{ ?r0 ecograph:inCountry ?c . ?c ?cp ?co }}
          UNION {{ BIND({nuts} AS ?g) ?g ?gp ?go . FILTER(?gp != dcterms:source) }}
          UNION {{ {nuts} prov:wasDerivedFrom ?d . ?d ?dp ?do }}
        }} }}""")
    iso = f"<{source_graph('iso-3166')}>"
    countries = _construct(store, f"""CONSTRUCT {{ ?c ?cp ?co . ?g ?gp ?go . ?d ?dp ?do }} WHERE {{
        GRAPH {iso} {{
          {{ ?c a ecograph:Country ; ?cp ?co }}
          UNION {{ BIND({iso} AS ?g) ?g ?gp ?go . FILTER(?gp != dcterms:source) }}
          UNION {{ {iso} prov:wasDerivedFrom ?d . ?d ?dp ?do }}
        }} }}""")
    return data, regions_graph, countries


def referred_regions(folder: Path, skip: Sequence[str]) -> list[str]:
    """The region IRIs the Turtle files of *folder* (but those named *skip*) refer to."""
    prefix = str(mint("region", "RO"))[:-2]
    found: set[str] = set()
    for path in sorted(folder.glob("*.ttl")):
        if path.name not in skip:
            for s, _p, o in Graph().parse(path, format="turtle"):
                found.update(str(t) for t in (s, o) if str(t).startswith(prefix))
    return sorted(found)


def write_turtle(graph: Graph, path: Path, title: str) -> None:
    """Serialise *graph* as Turtle at *path* under a one-line header comment."""
    for name, iri in PREFIXES.items():
        graph.bind(name, iri, override=True)
    body = graph.serialize(format="turtle")
    path.write_text(f"# {title}\n# Generated by ecograph.importers.subset from the full "
                    f"import; see docs/data.md.\n{body}", encoding="utf-8")


def main(argv: Sequence[str]) -> int:
    """``subset STORE OUT_DIR ORG…``: write the bundled subset files."""
    from ecograph.store import open_store

    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[1])
    seed_regions = referred_regions(out, FILES)
    store = open_store(argv[0])
    try:
        keys = [str(mint("organisation", key)) for key in argv[2:]]
        data, regions, countries = network_subset(store, keys, seed_regions)
    finally:
        store.close()
    write_turtle(data, out / "cordis-network.ttl", "CORDIS FP7/H2020 participations of the "
                 "seed's organisations and their partners (a subset of graph/cordis-network)")
    write_turtle(regions, out / "nuts-2021.ttl", "NUTS 2021 regions of those participants "
                 "and of the seed, with ancestors and countries (a subset of graph/nuts-2021)")
    write_turtle(countries, out / "iso-3166.ttl", "ISO 3166-1 countries, all of them "
                 "(graph/iso-3166 as imported)")
    print(f"wrote {len(data)} + {len(regions)} + {len(countries)} triples to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
