"""SHACL-SPARQL constraints evaluated in bulk in Oxigraph: one query per constraint.

pyshacl runs a SPARQL-based constraint once per focus node on rdflib's SPARQL engine; on
partnership data that is most of a validation's time (tens of milliseconds per node and
constraint). A constraint whose query is safe for pre-binding (SHACL §5.2.1: ``$this``
used as an ordinary variable, no ``MINUS``, ``VALUES``, ``SERVICE``, sub-``SELECT``,
``$shapesGraph`` or ``$currentShape``) gives the same solutions when ``$this`` is joined
with the focus nodes instead of pre-bound, so it is run once, in Oxigraph, with
``VALUES ?this { … }``. Everything else stays with pyshacl. The results are written into
the W3C report graph exactly as pyshacl writes them (focus, path, value, message,
severity, source shape, constraint and component).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ecograph.terms import graph_as_ntriples, to_rdflib

_UNSAFE = re.compile(r"\b(MINUS|VALUES|SERVICE)\b|\$shapesGraph|\$currentShape|\?shapesGraph|"
                     r"\?currentShape", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class BulkConstraint:
    """A SPARQL-based constraint of a node shape that can run once for all focus nodes."""

    shape: Node
    constraint: Node
    query: str
    messages: tuple[Literal, ...]
    severity: Node


def _prefix_lines(shapes: Graph, constraint: Node) -> str:
    lines = []
    for declarer in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarer, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _is_true(graph: Graph, node: Node) -> bool:
    return any(str(v).lower() == "true" for v in graph.objects(node, SH.deactivated))


def bulk_constraints(shapes: Graph) -> list[BulkConstraint]:
    """Return the SPARQL constraints of *shapes* that are safe to evaluate in bulk."""
    found = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if _is_true(shapes, shape) or _is_true(shapes, constraint):
            continue
        if (shape, SH.path, None) in shapes:  # property shapes need $PATH: leave to pyshacl
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        text = str(select)
        if _UNSAFE.search(text) or len(_SELECT.findall(text)) != 1 or "{" not in text:
            continue
        messages = tuple(m for m in shapes.objects(constraint, SH.message)) or tuple(
            m for m in shapes.objects(shape, SH.message))
        severity = shapes.value(shape, SH.severity) or SH.Violation
        query = _prefix_lines(shapes, constraint) + "\n" + text
        found.append(BulkConstraint(shape, constraint, query, messages, severity))
    return found


def without_bulk(shapes: Graph, constraints: Iterable[BulkConstraint]) -> Graph:
    """A copy of *shapes* in which the given constraints are detached from their shapes."""
    copy = Graph()
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace)
    copy += shapes
    for bulk in constraints:
        copy.remove((bulk.shape, SH.sparql, bulk.constraint))
    return copy


def _store_of(data: Graph, ontology: Graph | None) -> ox.Store:
    store = ox.Store()
    text = graph_as_ntriples(data)
    if ontology is not None:
        text += graph_as_ntriples(ontology)
    store.load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _focus_query(shapes: Graph, shape: Node) -> str | None:
    """A SPARQL pattern selecting the focus nodes of *shape* as ``?this``."""
    parts = []
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:
        classes.append(shape)
    parts += [f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}" for c in classes
              if isinstance(c, URIRef)]
    parts += [f"{{ BIND(<{n}> AS ?this) }}" for n in shapes.objects(shape, SH.targetNode)
              if isinstance(n, URIRef)]
    parts += [f"{{ ?this <{p}> ?any }}" for p in shapes.objects(shape, SH.targetSubjectsOf)
              if isinstance(p, URIRef)]
    parts += [f"{{ ?any <{p}> ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)
              if isinstance(p, URIRef)]
    return " UNION ".join(parts) if parts else None


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    return node.n3()


def _message(template: Literal, solution: dict[str, Node]) -> Literal:
    def fill(match: re.Match[str]) -> str:
        value = solution.get(match[1])
        return "" if value is None else str(value)

    return Literal(_TEMPLATE.sub(fill, str(template)), lang=template.language)


def evaluate(data: Graph, ontology: Graph | None, shapes: Graph,
             constraints: list[BulkConstraint], report: Graph,
             focus_nodes: list[Node] | None = None) -> int:
    """Run *constraints* over *data* (+ *ontology*) and add their results to *report*.

    Returns the number of results added. With *focus_nodes*, only those are validated.
    """
    if not constraints:
        return 0
    store = _store_of(data, ontology)
    only = None if focus_nodes is None else {str(n) for n in focus_nodes}
    added = 0
    root = report.value(predicate=RDF.type, object=SH.ValidationReport)
    focus_cache: dict[Node, list[Node]] = {}
    for bulk in constraints:
        if bulk.shape not in focus_cache:
            pattern = _focus_query(shapes, bulk.shape)
            nodes: list[Node] = []
            if pattern is not None:
                for row in store.query(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}"):
                    node = to_rdflib(row["this"])
                    if node is not None and (only is None or str(node) in only):
                        nodes.append(node)
            focus_cache[bulk.shape] = nodes
        nodes = focus_cache[bulk.shape]
        if not nodes:
            continue
        values = "VALUES ?this { " + " ".join(_term(n) for n in nodes) + " }"
        brace = bulk.query.index("{", _SELECT.search(bulk.query).end())  # type: ignore[union-attr]
        query = bulk.query[: brace + 1] + "\n" + values + "\n" + bulk.query[brace + 1:]
        solutions = store.query(query)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            solution = {name: to_rdflib(row[name]) for name in names if row[name] is not None}
            focus = solution.get("this")
            if focus is None:
                continue
            result = BNode()
            report.add((result, RDF.type, SH.ValidationResult))
            report.add((result, SH.focusNode, focus))
            report.add((result, SH.resultSeverity, bulk.severity))
            report.add((result, SH.sourceShape, bulk.shape))
            report.add((result, SH.sourceConstraint, bulk.constraint))
            report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            report.add((result, SH.value, solution.get("value", focus)))
            if "path" in solution:
                report.add((result, SH.resultPath, solution["path"]))
            for template in bulk.messages:
                report.add((result, SH.resultMessage, _message(template, solution)))
            if root is not None:
                report.add((root, SH.result, result))
                report.set((root, SH.conforms, Literal(False)))
            added += 1
    return added
