"""The SPARQL that computes region-collaboration edges (pure text builders, no store).

A project *involves* a region of level L when one of its participants or its coordinator
(``hasParticipant``/``coordinator``, their inverses, or a ``Participation`` resource) is
located in a NUTS region, directly or through its city, that is the region or lies below
it (``parentRegion*``) — exactly the pattern of the named query
``regions-sharing-projects``. A project belongs to a framework programme F when it is
funded by F, by a part of F or by a part of a part of F, F having no parent (the depth the
named query's programme filter follows).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from rdflib import URIRef

from ecograph.derive.edges import EdgeKey, edge_triples
from ecograph.namespaces import sparql_prologue

PROLOGUE = sparql_prologue({"ecograph": "https://w3id.org/ecograph/ontology#",
                            "xsd": "http://www.w3.org/2001/XMLSchema#"})

#: Participation in every form the data use: ?project → ?organisation.
PARTICIPATION = """
    { ?project ecograph:hasParticipant|ecograph:coordinator ?organisation }
    UNION { ?organisation ecograph:participatesIn|ecograph:coordinates ?project }
    UNION { ?participation ecograph:project ?project ; ecograph:organisation ?organisation . }"""

#: Where an organisation is: ?organisation → ?region of ?level (itself and every ancestor).
LOCATION = """
    ?organisation ecograph:locatedIn/ecograph:locatedIn? ?base .
    ?base ecograph:nutsLevel ?baseLevel ;
          ecograph:parentRegion* ?region .
    ?region ecograph:nutsLevel ?level ."""

#: The framework programmes of ?project: programmes without a parent, up to two steps up.
PROGRAMME = """
    { ?project ecograph:fundedBy ?programme }
    UNION { ?project ecograph:fundedBy/ecograph:parentProgramme ?programme }
    UNION { ?project ecograph:fundedBy/ecograph:parentProgramme/ecograph:parentProgramme
              ?programme }
    FILTER NOT EXISTS { ?programme ecograph:parentProgramme ?above }"""

#: Predicates whose change can move a project's regions or programmes (by role).
PROJECT_SUBJECT = ("hasParticipant", "coordinator", "fundedBy")
PROJECT_OBJECT = ("participatesIn", "coordinates", "project")
PARTICIPATION_SUBJECT = ("organisation",)
MOVED_SUBJECT = ("locatedIn",)
#: Predicates of the region and programme hierarchies: a change means a full recompute.
HIERARCHY = ("nutsLevel", "parentRegion", "parentProgramme")


def _involvement(region: str) -> str:
    """Distinct (?project, *region*, ?level), organisations placed once (not per project)."""
    location = LOCATION.replace("?region", region)
    return (f"{{ SELECT DISTINCT ?project {region} ?level WHERE {{\n"
            f"  {{ SELECT DISTINCT ?organisation {region} ?level WHERE {{{location} }} }}\n"
            f"  {{ SELECT DISTINCT ?project ?organisation WHERE {{{PARTICIPATION} }} }}\n"
            f"}} }}")


def edge_rows() -> str:
    """The WHERE part giving one row per edge: ?a ?b ?level ?programme (unbound = all
    projects) and ?projects.

    Each project is paired first with no programme and with each of its framework
    programmes; joining that small table first keeps one pass over the region pairs
    (putting ``{ } UNION { programmes }`` after the pairs made Oxigraph re-run it per pair).
    """
    return (
        "{ SELECT ?a ?b ?level ?programme (COUNT(DISTINCT ?project) AS ?projects) WHERE {\n"
        "  { SELECT DISTINCT ?project ?programme WHERE {\n"
        f"      {{ SELECT DISTINCT ?project WHERE {{{PARTICIPATION} }} }}\n"
        f"      UNION {{{PROGRAMME} }} }} }}\n"
        f"  {_involvement('?a')}\n"
        f"  {_involvement('?b')}\n"
        "  FILTER(STR(?a) < STR(?b))\n"
        "} GROUP BY ?a ?b ?level ?programme }"
    )


def edges_query() -> str:
    """The SELECT computing every edge: ?a ?b ?level ?programme (unbound = all) ?projects."""
    return f"{PROLOGUE}SELECT ?a ?b ?level ?programme ?projects WHERE {{\n  {edge_rows()}\n}}"


def _line(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def edge_lines(edges: Mapping[EdgeKey, int]) -> Iterator[str]:
    """N-Triples lines of *edges* (each with its count), in a stable order."""
    for key, count in sorted(edges.items(), key=lambda item: item[0].order()):
        for s, p, o in edge_triples(key, count):
            yield _line(s.n3(), p.n3(), o.n3())


def replace_all_update(graph: URIRef, edges: Mapping[EdgeKey, int]) -> str:
    """One SPARQL Update replacing *graph* by *edges* (atomic: one request)."""
    return (f"DROP SILENT GRAPH <{graph}> ;\nCREATE SILENT GRAPH <{graph}> ;\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{\n{''.join(edge_lines(edges))}}} }}")


def edges_select(graph: URIRef) -> str:
    """Every stored edge of *graph*: ?edge ?a ?b ?level ?programme ?projects."""
    return (
        f"{PROLOGUE}SELECT ?edge ?a ?b ?level ?programme ?projects WHERE {{ GRAPH <{graph}> {{\n"
        "  ?edge a ecograph:RegionCollaboration ; ecograph:firstRegion ?a ;\n"
        "        ecograph:secondRegion ?b ; ecograph:collaborationLevel ?level ;\n"
        "        ecograph:sharedProjects ?projects .\n"
        "  OPTIONAL { ?edge ecograph:collaborationProgramme ?programme }\n"
        "} }"
    )


def _values(variable: str, iris: Iterable[str]) -> str:
    return f"VALUES {variable} {{ {' '.join(f'<{i}>' for i in sorted(iris))} }}"


def involvement_select(projects: Iterable[str]) -> str:
    """(?project ?region ?level) for the given projects only."""
    return (f"{PROLOGUE}SELECT DISTINCT ?project ?region ?level WHERE {{\n"
            f"  {_values('?project', projects)}\n{PARTICIPATION}\n{LOCATION}\n}}")


def programme_select(projects: Iterable[str]) -> str:
    """(?project ?programme) framework programmes of the given projects only."""
    return (f"{PROLOGUE}SELECT DISTINCT ?project ?programme WHERE {{\n"
            f"  {_values('?project', projects)}\n{PROGRAMME}\n}}")


def affected_select(projects: Iterable[str], participations: Iterable[str],
                    moved: Iterable[str]) -> str:
    """The projects whose regions or programmes a change can alter.

    *projects* are named by the change; the projects of *participations* (resources) are
    affected, and so are those of organisations that *moved* or are located in a place
    that moved (a city).
    """
    branches = []
    if projects:
        branches.append(f"{{ {_values('?project', projects)} }}")
    if moved:
        branches.append(f"{{ {_values('?organisation', moved)}\n{PARTICIPATION} }}")
        branches.append(f"{{ {_values('?moved', moved)}\n"
                        f"  ?organisation ecograph:locatedIn ?moved .\n{PARTICIPATION} }}")
    if participations:
        branches.append(f"{{ {_values('?participation', participations)}\n"
                        "  ?participation ecograph:project ?project . }")
    if not branches:
        branches.append("{ FILTER(false) }")
    return f"{PROLOGUE}SELECT DISTINCT ?project WHERE {{\n" + "\nUNION ".join(branches) + "\n}"


def counts_select(graph: URIRef, iris: Iterable[str]) -> str:
    """The stored count of each edge IRI in *iris* (absent edges give no row)."""
    return (f"{PROLOGUE}SELECT ?edge ?projects WHERE {{\n  {_values('?edge', iris)}\n"
            f"  GRAPH <{graph}> {{ ?edge ecograph:sharedProjects ?projects }}\n}}")


def replace_edges_update(graph: URIRef, remove: Iterable[str],
                         edges: Mapping[EdgeKey, int]) -> str:
    """Delete the edges *remove* (every triple of each) and insert *edges*, in one update."""
    parts = [f"{PROLOGUE}CREATE SILENT GRAPH <{graph}>"]
    gone = sorted(remove)
    if gone:
        parts.append(f"DELETE {{ GRAPH <{graph}> {{ ?edge ?p ?o }} }} WHERE {{\n"
                     f"  {_values('?edge', gone)}\n  GRAPH <{graph}> {{ ?edge ?p ?o }}\n}}")
    lines = "".join(edge_lines(edges))
    if lines:
        parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}}} }}")
    return " ;\n".join(parts)
