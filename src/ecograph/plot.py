"""The collaboration network of a region, country or cluster, laid out and drawn as SVG.

:func:`network` asks the store (by SPARQL, any backend) who the focus shares projects
with: for a region, the other regions of the same NUTS level whose organisations take
part in the same projects; for a country, the other countries; for a cluster, the
organisations outside it that share projects with it or its members. Nodes carry their number
of projects, edges the number of projects two nodes share (between any two nodes of the
picture, not only with the focus). :func:`layout` places the nodes with a deterministic
force-directed layout (Fruchterman–Reingold, the focus pinned at the centre) and
:func:`to_svg` writes a self-contained SVG; the web page draws the same positions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import URIRef

from ecograph.describe import fetch_labels
from ecograph.errors import InputError
from ecograph.iris import mint
from ecograph.namespaces import sparql_prologue
from ecograph.store.base import SelectResult, Store

KINDS = ("region", "country", "cluster")
DEFAULT_LIMIT = 30
MAX_LIMIT = 200
WIDTH, HEIGHT = 1000, 700
_PARTICIPANT = "(ecograph:hasParticipant|ecograph:coordinator)"


@dataclass(frozen=True)
class Node:
    """A region, country or organisation of the picture."""

    iri: str
    label: str
    projects: int
    focus: bool = False


@dataclass(frozen=True)
class Edge:
    """Two nodes and the number of projects they share."""

    source: str
    target: str
    weight: int


@dataclass
class Network:
    """Who the focus shares projects with (see the module docstring)."""

    kind: str
    focus: Node
    nodes: list[Node]
    edges: list[Edge]
    unit: str
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)

    def as_json(self, href: Any = None) -> dict[str, Any]:
        """The network as JSON: nodes with positions (and links, given *href*), edges."""
        positions = self.positions or layout(self)
        radius = _radii(self)
        return {
            "kind": self.kind, "unit": self.unit, "focus": self.focus.iri,
            "width": WIDTH, "height": HEIGHT,
            "nodes": [{"id": n.iri, "label": n.label, "projects": n.projects,
                       "focus": n.focus, "x": round(positions[n.iri][0], 2),
                       "y": round(positions[n.iri][1], 2), "r": round(radius[n.iri], 2),
                       "href": href(n.iri) if href else n.iri} for n in self.nodes],
            "edges": [{"source": e.source, "target": e.target, "weight": e.weight}
                      for e in self.edges],
        }


def _rows(store: Store, sparql: str) -> list[tuple]:
    result = store.query(sparql_prologue() + sparql)
    if not isinstance(result, SelectResult):  # pragma: no cover - a SELECT gives rows
        raise TypeError("expected SELECT results")
    return result.rows


def _unit_pattern(kind: str, org: str, node: str, level: int | None) -> str:
    """The SPARQL pattern putting organisation *org* in a node *node* of the picture."""
    if kind == "region":
        return (f"{org} ecograph:locatedIn+ ?place . ?place ecograph:parentRegion* {node} . "
                f"{node} ecograph:nutsLevel {level} .")
    if kind == "country":
        return (f"{org} ecograph:locatedIn*/(ecograph:country|ecograph:inCountry) {node} . "
                f"{node} a ecograph:Country .")
    return f"BIND({org} AS {node})"


def _members(focus: URIRef, org: str) -> str:
    return f"{{ <{focus}> ecograph:hasMember {org} }} UNION {{ {org} ecograph:memberOf <{focus}> }}"


def _focus_pattern(kind: str, focus: URIRef, org: str, level: int | None) -> str:
    """The pattern of the focus's organisations (a cluster's: itself and its members)."""
    if kind == "cluster":
        return f"{_members(focus, org)} UNION {{ BIND(<{focus}> AS {org}) }}"
    return _unit_pattern(kind, org, f"<{focus}>", level)


def _level(store: Store, focus: URIRef, key: str) -> int:
    rows = _rows(store, f"SELECT ?l WHERE {{ <{focus}> ecograph:nutsLevel ?l }}")
    if rows and rows[0][0] is not None:
        return int(str(rows[0][0]))
    return max(len(key) - 2, 0)


def network(store: Store, kind: str, key: str, *, limit: int = DEFAULT_LIMIT) -> Network:
    """Return the collaboration network around the *kind* identified by *key*.

    *limit* caps the partners shown (those sharing most projects first). Raises
    ``InputError`` for an unknown kind, a malformed key, a limit out of 1–200, or a
    focus the store knows nothing about; ``StoreError`` when the store cannot be read.
    """
    if kind not in KINDS:
        raise InputError(f"cannot draw the network of a {kind!r}; use one of {', '.join(KINDS)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"the partner limit must be from 1 to {MAX_LIMIT}; got {limit}")
    try:
        focus = mint(kind, key)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    if not _rows(store, f"SELECT ?p WHERE {{ <{focus}> ?p ?o }} LIMIT 1"):
        raise InputError(f"no {kind} {key} in the store (<{focus}>)")
    level = _level(store, focus, key) if kind == "region" else None
    own = _focus_pattern(kind, focus, "?org", level)
    partners = _rows(store, f"""
        SELECT ?node (COUNT(DISTINCT ?project) AS ?n) WHERE {{
          {{ SELECT DISTINCT ?project WHERE {{ {own} ?project {_PARTICIPANT} ?org . }} }}
          ?project {_PARTICIPANT} ?other .
          {_unit_pattern(kind, "?other", "?node", level)}
          FILTER(?node != <{focus}>)
          {"FILTER NOT EXISTS { " + _members(focus, "?other") + " }"
           if kind == "cluster" else ""}
        }} GROUP BY ?node ORDER BY DESC(?n) STR(?node) LIMIT {limit}""")
    members = [URIRef(str(r[0])) for r in partners if r[0] is not None]
    projects: dict[str, set[str]] = {str(focus): {str(r[0]) for r in _rows(
        store, f"SELECT DISTINCT ?project WHERE {{ {own} ?project {_PARTICIPANT} ?org . }}")}}
    if members:
        values = " ".join(f"<{m}>" for m in members)
        for node, project in _rows(store, f"""
            SELECT DISTINCT ?node ?project WHERE {{ VALUES ?node {{ {values} }}
              {_unit_pattern(kind, "?org", "?node", level) if kind != "cluster" else ""}
              ?project {_PARTICIPANT} {"?org" if kind != "cluster" else "?node"} . }}"""):
            projects.setdefault(str(node), set()).add(str(project))
    labels = fetch_labels(store, [focus, *members])
    nodes = [Node(str(focus), str(labels.get(focus, key)), len(projects[str(focus)]), True)]
    nodes += [Node(str(m), str(labels.get(m, str(m).rsplit("/", 1)[-1])),
                   len(projects.get(str(m), ())))
              for m in members]
    edges = []
    for a, b in combinations([n.iri for n in nodes], 2):
        shared = len(projects.get(a, set()) & projects.get(b, set()))
        if shared:
            edges.append(Edge(a, b, shared))
    unit = {"region": f"NUTS-{level} regions", "country": "countries",
            "cluster": "organisations"}[kind]
    result = Network(kind, nodes[0], nodes, edges, unit)
    result.positions = layout(result)
    return result


def layout(net: Network, iterations: int = 300) -> dict[str, tuple[float, float]]:
    """Place the nodes in the WIDTH × HEIGHT box: force-directed, deterministic.

    The focus is pinned at the centre; the others start on a circle in node order,
    are pulled together along edges (more strongly for heavier ones) and pushed apart.
    """
    cx, cy = WIDTH / 2, HEIGHT / 2
    others = [n.iri for n in net.nodes if not n.focus]
    pos = {net.focus.iri: [cx, cy]}
    for i, iri in enumerate(others):
        angle = 2 * math.pi * i / max(len(others), 1)
        pos[iri] = [cx + 250 * math.cos(angle), cy + 250 * math.sin(angle)]
    if not others:
        return {k: (v[0], v[1]) for k, v in pos.items()}
    k = math.sqrt(WIDTH * HEIGHT / len(pos)) * 0.6
    top = max((e.weight for e in net.edges), default=1)
    temperature = WIDTH / 10
    for _ in range(iterations):
        shift = {iri: [0.0, 0.0] for iri in pos}
        for a, b in combinations(pos, 2):
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 0.01)
            force = k * k / dist
            shift[a][0] += dx / dist * force
            shift[a][1] += dy / dist * force
            shift[b][0] -= dx / dist * force
            shift[b][1] -= dy / dist * force
        for e in net.edges:
            dx, dy = pos[e.source][0] - pos[e.target][0], pos[e.source][1] - pos[e.target][1]
            dist = max(math.hypot(dx, dy), 0.01)
            force = dist * dist / k * (0.5 + e.weight / top)
            shift[e.source][0] -= dx / dist * force
            shift[e.source][1] -= dy / dist * force
            shift[e.target][0] += dx / dist * force
            shift[e.target][1] += dy / dist * force
        for iri in others:
            dx, dy = shift[iri]
            length = max(math.hypot(dx, dy), 0.01)
            step = min(length, temperature)
            pos[iri][0] = min(WIDTH - 60, max(60, pos[iri][0] + dx / length * step))
            pos[iri][1] = min(HEIGHT - 40, max(40, pos[iri][1] + dy / length * step))
        temperature = max(temperature * 0.98, 1.0)
    return {iri: (p[0], p[1]) for iri, p in pos.items()}


def _radii(net: Network) -> dict[str, float]:
    top = max((n.projects for n in net.nodes), default=1) or 1
    return {n.iri: 6 + 18 * math.sqrt(n.projects / top) for n in net.nodes}


_STYLE = """
.edge { stroke: #7d8da6; stroke-opacity: .55; }
.node circle { fill: #9cc3d5; stroke: #1f6f8b; stroke-width: 1.5; }
.node.focus circle { fill: #f2a541; stroke: #8a5a00; }
.node text { font: 12px sans-serif; fill: #1d2330; }
.title { font: bold 16px sans-serif; fill: #1d2330; }
"""


def to_svg(net: Network, title: str | None = None) -> str:
    """Return the network as a standalone SVG document (edges, then nodes with labels)."""
    positions = net.positions or layout(net)
    radius = _radii(net)
    top = max((e.weight for e in net.edges), default=1)
    heading = title or f"{net.focus.label}: {net.unit} sharing projects"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={quoteattr(heading)}>',
           f"<title>{escape(heading)}</title>", f"<style>{_STYLE}</style>",
           '<rect width="100%" height="100%" fill="#ffffff"/>',
           f'<text class="title" x="16" y="26">{escape(heading)}</text>', '<g class="edges">']
    for e in net.edges:
        (x1, y1), (x2, y2) = positions[e.source], positions[e.target]
        width = 1 + 7 * math.sqrt(e.weight / top)
        out.append(f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                   f'y2="{y2:.1f}" stroke-width="{width:.2f}"><title>{e.weight} shared '
                   f'project{"s" if e.weight != 1 else ""}</title></line>')
    out.append('</g><g class="nodes">')
    for n in net.nodes:
        x, y = positions[n.iri]
        css = "node focus" if n.focus else "node"
        out.append(f'<g class="{css}" data-iri={quoteattr(n.iri)}>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[n.iri]:.1f}">'
                   f"<title>{escape(n.label)}: {n.projects} projects</title></circle>"
                   f'<text x="{x + radius[n.iri] + 3:.1f}" y="{y + 4:.1f}">'
                   f"{escape(n.label)}</text></g>")
    out.append("</g></svg>\n")
    return "\n".join(out)
