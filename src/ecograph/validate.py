"""SHACL validation with pyshacl, and the validation report as a fixed, readable type.

Non-conformance is a result (:class:`ValidationReport`), never an exception here; the
write paths decide what to refuse. Severities follow SHACL: a Violation refuses data,
a Warning or Info is reported and written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SDO, SH, SKOS
from rdflib.term import Node

from ecograph.namespaces import PREFIXES
from ecograph.shacl_sparql import bulk_constraints, evaluate, without_bulk

SEVERITIES = ("Violation", "Warning", "Info")
_LABELS = (RDFS.label, SKOS.prefLabel, SDO.name)


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node broke which shape, where, how and how badly."""

    focus: Node
    severity: str
    message: str
    shape: Node | None
    path: Node | None = None
    value: Node | None = None
    constraint: Node | None = None
    focus_label: str | None = None


@dataclass
class ValidationReport:
    """The outcome of a validation run, with the W3C report graph it came from."""

    results: list[ValidationResult] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)
    focus_count: int | None = None

    @property
    def conforms(self) -> bool:
        """True when there is no result of any severity (SHACL's ``sh:conforms``)."""
        return not self.results

    @property
    def accepted(self) -> bool:
        """True when there is no Violation: the data may be written (Warnings reported)."""
        return self.count("Violation") == 0

    def count(self, severity: str) -> int:
        """Return how many results have *severity* (``Violation``, ``Warning``, ``Info``)."""
        return sum(1 for r in self.results if r.severity == severity)

    def by_focus(self) -> dict[Node, list[ValidationResult]]:
        """Return the results grouped per focus node, Violations first."""
        groups: dict[Node, list[ValidationResult]] = defaultdict(list)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        for result in sorted(self.results, key=lambda r: (order.get(r.severity, 9), str(r.focus))):
            groups[result.focus].append(result)
        return dict(groups)

    def shapes(self) -> set[Node]:
        """Return the source shapes that reported something."""
        return {r.shape for r in self.results if r.shape is not None}


def compact(term: Node | None) -> str:
    """Return *term* as a short, readable string (prefixed name where a prefix fits).

    >>> compact(URIRef("https://w3id.org/ecograph/ontology#Hospital"))
    'ecograph:Hospital'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = ""
        best_name = ""
        for name, iri in PREFIXES.items():
            if text.startswith(iri) and len(iri) > len(best):
                best, best_name = iri, name
        local = text[len(best):]
        if best and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{best_name}:{local}"
        return f"<{text}>"
    if isinstance(term, Literal):
        return str(term)
    return term.n3()


def _path_text(report: Graph, path: Node | None) -> Node | None:
    """A path as reported: an IRI, or an ``sh:inversePath`` etc. kept as its node."""
    if path is None or isinstance(path, URIRef):
        return path
    inverse = report.value(path, SH.inversePath)
    return URIRef(f"^{inverse}") if isinstance(inverse, URIRef) else path


def _label(graphs: tuple[Graph, ...], node: Node) -> str | None:
    for graph in graphs:
        for predicate in _LABELS:
            for value in graph.objects(node, predicate):
                if isinstance(value, Literal) and (value.language in (None, "en")):
                    return str(value)
    return None


def report_from_graph(report: Graph, data: Graph | None = None,
                      shapes: Graph | None = None) -> ValidationReport:
    """Read a W3C SHACL validation report graph into a :class:`ValidationReport`."""
    results = []
    label_sources = tuple(g for g in (data,) if g is not None)
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        severity_iri = report.value(node, SH.resultSeverity)
        severity = str(severity_iri).rsplit("#", 1)[-1] if severity_iri else "Violation"
        messages = [str(m) for m in report.objects(node, SH.resultMessage)]
        shape = report.value(node, SH.sourceShape)
        if not messages and shapes is not None and shape is not None:
            messages = [str(m) for m in shapes.objects(shape, SH.message)]
        results.append(
            ValidationResult(
                focus=focus,
                severity=severity,
                message="; ".join(sorted(messages)) or "constraint not met",
                shape=shape,
                path=_path_text(report, report.value(node, SH.resultPath)),
                value=report.value(node, SH.value),
                constraint=report.value(node, SH.sourceConstraintComponent),
                focus_label=_label(label_sources, focus) if focus is not None else None,
            )
        )
    results.sort(key=lambda r: (str(r.focus), str(r.shape), str(r.path), str(r.value)))
    return ValidationReport(results=results, graph=report)


def validate(data: Graph, shapes: Graph, ontology: Graph | None = None,
             focus_nodes: list[Node] | None = None, *,
             bulk_sparql: bool = True) -> ValidationReport:
    """Validate *data* against *shapes*; *ontology* supplies class and property hierarchies.

    With *focus_nodes*, only those nodes are validated (pyshacl's ``focus_nodes``), each
    against every shape that targets it. With *bulk_sparql* (the default), SPARQL-based
    constraints that are safe for it run once for all focus nodes in Oxigraph
    (:mod:`ecograph.shacl_sparql`); the rest of SHACL is pyshacl's. Raises ``ValueError``
    if pyshacl cannot run.
    """
    bulk = bulk_constraints(shapes) if bulk_sparql else []
    kwargs: dict[str, object] = {}
    if focus_nodes is not None:
        kwargs["focus_nodes"] = list(focus_nodes)
    _conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=without_bulk(shapes, bulk) if bulk else shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        abort_on_first=False,
        **kwargs,
    )
    if not isinstance(report_graph, Graph):
        raise ValueError(f"pyshacl could not validate: {report_graph}")
    evaluate(data, ontology, shapes, bulk, report_graph, focus_nodes)
    report = report_from_graph(report_graph, data, shapes)
    if focus_nodes is not None:
        report.focus_count = len(focus_nodes)
    return report
