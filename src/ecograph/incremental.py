"""Incremental validation: validate only the focus nodes a change can affect, on their surroundings.

Given a :class:`~ecograph.changes.ChangeSet`, :func:`validate_change`

1. finds the focus nodes the change can affect: the changed subjects and objects, and
   every node whose shapes reach a changed triple along their paths (walked backwards
   in the store with SPARQL property paths, see :mod:`ecograph.shapereach`);
2. builds an rdflib Graph of what validating them reads — the triples along the shapes'
   paths, the types of every node met, the neighbourhood SPARQL constraints look at —
   fetched from the store and with the change applied;
3. validates those nodes there with :func:`ecograph.validate.validate` (``focus_nodes``).

The result for those nodes is the one a full validation of the resulting state gives;
every other node's result cannot change. Where that cannot be guaranteed — blank-node
focus nodes, SHACL rules or SPARQL targets, a change to the class hierarchy — the
whole resulting state is validated instead (``mode == "full"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SDO, SH, SKOS
from rdflib.term import Node

from ecograph import graphs
from ecograph.changes import ChangeSet, term_text
from ecograph.load import Source
from ecograph.shapereach import (
    Access,
    Alt,
    AnyStep,
    Path,
    Rep,
    Seq,
    ShapeReach,
    Step,
    reach_back,
    sparql_path,
)
from ecograph.store.base import GraphResult, SelectResult, Store
from ecograph.validate import ValidationReport, validate

_BATCH = 300
Triples = set[tuple[Node, Node, Node]]
_LABELS = (RDFS.label, SKOS.prefLabel, SDO.name)


class NeedsFullValidation(Exception):
    """Internal: the incremental path cannot guarantee the full result here."""


@dataclass
class ChangeValidation:
    """The report for a change, which nodes it covers, and how it was obtained."""

    report: ValidationReport
    focus_nodes: list[Node]
    mode: str  # "incremental", "full" or "empty"
    reason: str = ""


class _View:
    """The data graphs of the store with a change applied, read through SPARQL."""

    def __init__(self, store: Store, change: ChangeSet) -> None:
        self.store = store
        self.data_graphs = [g for g in store.graphs() if g not in graphs.SYSTEM_GRAPHS]
        self.added = Graph()
        for s, p, o, g in change.additions:
            if g not in graphs.SYSTEM_GRAPHS:
                self.added.add((s, p, o))
        self.removed: set[tuple[Node, Node, Node]] = set()
        self._out: dict[Node, set[tuple[Node, Node, Node]]] = {}
        gone = {(s, p, o) for s, p, o, _g in change.removals} - set(self.added)
        if gone:
            kept = self._still_held(gone, change)
            self.removed = gone - kept

    def _still_held(self, triples: set[tuple[Node, Node, Node]], change: ChangeSet
                    ) -> set[tuple[Node, Node, Node]]:
        """Triples of *triples* that another, untouched graph still holds."""
        removed_quads = {q for q in change.removals}
        kept = set()
        plain = [t for t in triples if not any(isinstance(x, BNode) for x in t)]
        for start in range(0, len(plain), _BATCH):
            rows = " ".join(f"({_n3(s)} {_n3(p)} {_n3(o)})" for s, p, o in
                            plain[start:start + _BATCH])
            result = self.store.query("SELECT ?s ?p ?o ?g WHERE { VALUES (?s ?p ?o) { " + rows
                                      + " } GRAPH ?g { ?s ?p ?o } }")
            assert isinstance(result, SelectResult)
            for s, p, o, g in result.rows:
                if g not in graphs.SYSTEM_GRAPHS and (s, p, o, g) not in removed_quads:
                    kept.add((s, p, o))
        return kept

    def construct(self, template: str, where: str, nodes: Sequence[Node],
                  pattern: tuple[Node | None, Node | None, bool] | None = None) -> Triples:
        """Run ``CONSTRUCT {template} WHERE {VALUES ?n {…} where}`` on the stored data, add
        the change's triples matching *pattern* — (predicate or None, unused, whether *n* is
        the object) — and drop the triples it removes."""
        result: Triples = set()
        todo = list(nodes)
        if any(isinstance(n, BNode) for n in todo):
            raise NeedsFullValidation("the change reaches blank nodes")
        slots = template.split()
        variables = sorted({v for v in slots if v.startswith("?")})
        for start in range(0, len(todo), _BATCH):
            values = " ".join(_n3(n) for n in todo[start:start + _BATCH])
            # SELECT, not CONSTRUCT: rows of terms are cheaper than an rdflib graph
            query = (f"SELECT DISTINCT {' '.join(variables)} WHERE {{ VALUES ?n {{ {values} }} "
                     f"{where} }}")
            if self.data_graphs:
                answer = self.store.query(query, default_graphs=self.data_graphs)
                assert isinstance(answer, SelectResult)
                for row in answer.rows:
                    bound = dict(zip(variables, row, strict=True))
                    result.add(tuple(bound[v] if v.startswith("?") else URIRef(v[1:-1])
                                     for v in slots))  # type: ignore[arg-type]
        if pattern is not None and len(self.added):
            predicate, _unused, incoming = pattern
            for node in todo:
                triples = self.added.triples((None, predicate, node) if incoming
                                             else (node, predicate, None))
                result.update(triples)  # type: ignore[arg-type]
        return result - self.removed

    def outgoing(self, nodes: Sequence[Node], predicate: Node | None = None) -> Triples:
        """The triples leaving *nodes* (with *predicate* only, if given), fetched once per
        node: every forward step, type and label of a node is read from one query."""
        todo = [n for n in nodes if n not in self._out and not isinstance(n, Literal)]
        if todo:
            fetched = self.construct("?n ?p ?m", "?n ?p ?m", sorted(todo, key=str),
                                     (None, None, False))
            for node in todo:
                self._out[node] = set()
            for triple in fetched:
                self._out[triple[0]].add(triple)  # type: ignore[index]
        result: Triples = set()
        for node in nodes:
            for triple in self._out.get(node, ()):
                if predicate is None or triple[1] == predicate:
                    result.add(triple)
        return result

    def follow(self, path: Path, nodes: set[Node]) -> tuple[Triples, set[Node]]:
        """The triples along *path* from *nodes*, and the nodes it reaches."""
        found: Triples = set()
        if not nodes:
            return found, set()
        if isinstance(path, Step | AnyStep):
            sources = sorted((n for n in nodes if path.inverse or not isinstance(n, Literal)),
                             key=str)
            predicate = f"<{path.iri}>" if isinstance(path, Step) else "?p"
            if not path.inverse:
                triples = self.outgoing(sources, getattr(path, "iri", None))
                return triples, {t[2] for t in triples}
            triples = self.construct(f"?m {predicate} ?n", f"?m {predicate} ?n", sources,
                                     (getattr(path, "iri", None), None, True))
            return triples, {t[0] for t in triples}
        if isinstance(path, Seq):
            frontier = nodes
            for item in path.items:
                part, frontier = self.follow(item, frontier)
                found |= part
            return found, frontier
        if isinstance(path, Alt):
            reached: set[Node] = set()
            for item in path.items:
                part, ends = self.follow(item, nodes)
                found |= part
                reached |= ends
            return found, reached
        reached = set(nodes) if path.kind in "*?" else set()
        frontier, seen = set(nodes), set(nodes)
        while frontier:
            part, ends = self.follow(path.item, frontier)
            found |= part
            reached |= ends
            if path.kind == "?":
                break
            frontier = ends - seen
            seen |= ends
        return found, reached

    def back(self, prefix: tuple[Path, ...], anchors: set[Node]) -> set[Node]:
        """Nodes that reach one of *anchors* through *prefix* (itself when empty).

        Walked in the stored data only: where the path runs through added triples, the
        first added triple on it is itself a changed triple, found from its own start.
        """
        if not prefix:
            return set(anchors)
        text = sparql_path(Seq(prefix))
        triples = self.construct("?x <urn:ecograph:reaches> ?n", f"?x {text} ?n",
                                 sorted(anchors, key=str))
        return {t[0] for t in triples}


def affected_nodes(view: _View, change: ChangeSet, reach: ShapeReach) -> set[Node]:
    """The focus nodes whose validation result the change can alter."""
    triples = {(s, p, o) for s, p, o, _g in change.additions | change.removals}
    nodes = {s for s, _p, _o in triples} | {o for _s, _p, o in triples}
    wanted: dict[tuple[Path, ...], set[Node]] = {}
    for access in reach.accesses:
        for s, p, o in triples:
            for prefix, anchor in _hits(access, p):  # type: ignore[arg-type]
                wanted.setdefault(prefix, set()).add(s if anchor == "s" else o)
    for prefix, anchors in wanted.items():
        nodes |= view.back(prefix, anchors)
    return nodes  # literals too: sh:targetObjectsOf and sh:targetNode can target them


def _hits(access: Access, predicate: URIRef) -> list[tuple[tuple[Path, ...], str]]:
    if access.what == "any":
        return [(access.position, "s")]
    if isinstance(access.what, Step | AnyStep | Seq | Alt | Rep):
        return [((*access.position, *prefix), anchor)
                for prefix, anchor in reach_back(access.what, predicate)]
    return []


def surroundings(view: _View, focus: set[Node], reach: ShapeReach) -> Graph:
    """What validating *focus* reads, from the changed data."""
    data: Triples = set()
    at: dict[tuple[Path, ...], set[Node]] = {(): set(focus)}
    touched: set[Node] = set(focus)

    def nodes_at(position: tuple[Path, ...]) -> set[Node]:
        if position not in at:
            parent = nodes_at(position[:-1])
            part, ends = view.follow(position[-1], parent)
            data.update(part)
            at[position] = ends
            touched.update(ends)
        return at[position]

    for access in sorted(reach.accesses, key=lambda a: len(a.position)):
        here = nodes_at(access.position)
        if access.what == "any":
            part = view.outgoing(sorted(here, key=str))
            data |= part
            touched.update(t[2] for t in part)
        else:
            part, ends = view.follow(access.what, here)  # type: ignore[arg-type]
            data |= part
            touched |= ends
    subjects = sorted((n for n in touched if not isinstance(n, Literal)), key=str)
    data |= view.outgoing(subjects, RDF.type)
    named = sorted((n for n in focus if not isinstance(n, Literal)), key=str)
    for label in _LABELS:
        data |= view.outgoing(named, label)
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in data)
    return graph


def validate_change(store: Store, change: ChangeSet, shapes: Graph, schema: Graph | None,
                    reach: ShapeReach | None = None) -> ChangeValidation:
    """Validate the state *change* would leave, for the nodes it can affect.

    Raises nothing for non-conformance (see :class:`ChangeValidation`); store errors
    propagate as ``StoreError``.
    """
    reach = reach or ShapeReach.of(shapes)
    if change.is_empty() or len(shapes) == 0:
        return ChangeValidation(ValidationReport(focus_count=0), [], "empty")
    try:
        if reach.unsupported:
            raise NeedsFullValidation(reach.unsupported)
        if any(q[1] in (RDFS.subClassOf, RDFS.subPropertyOf)
               for q in change.additions | change.removals):
            raise NeedsFullValidation("the change alters the class hierarchy")
        view = _View(store, change)
        focus = affected_nodes(view, change, reach)
        if any(isinstance(n, BNode) for n in focus):
            raise NeedsFullValidation("a focus node is a blank node")
        data = surroundings(view, focus, reach)
    except NeedsFullValidation as why:
        return full_validation(store, change, shapes, schema, str(why))
    ordered = sorted(focus, key=str)
    # pyshacl's focus_nodes option also drops the value nodes of nested shapes (sh:node,
    # qualified shapes) that are not focus nodes, so validate the small graph whole and
    # keep the results of the focus nodes: their surroundings are complete.
    if schema is not None:
        data += schema  # as pyshacl's ont_graph would mix it in, without cloning the data
    report = restrict(validate(data, shapes, None), focus)
    report.focus_count = len(ordered)
    return ChangeValidation(report, ordered, "incremental")


def restrict(report: ValidationReport, focus: set[Node]) -> ValidationReport:
    """*report* with only the results about *focus* nodes, its W3C graph rebuilt to match."""
    kept = [r for r in report.results if r.focus in focus]
    graph = Graph()
    for prefix, namespace in report.graph.namespaces():
        graph.bind(prefix, namespace, override=True)
    root = next(report.graph.subjects(RDF.type, SH.ValidationReport), BNode())
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(not kept)))
    for node in report.graph.objects(root, SH.result):
        if report.graph.value(node, SH.focusNode) in focus:
            graph.add((root, SH.result, node))
            _copy_description(report.graph, graph, node)
    return ValidationReport(results=kept, graph=graph, focus_count=len(focus))


def _copy_description(source: Graph, target: Graph, node: Node) -> None:
    """Copy the triples about *node* and, recursively, about the blank nodes it uses."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for _s, p, o in source.triples((current, None, None)):
            target.add((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def resulting_state(store: Store, change: ChangeSet) -> Graph:
    """The union of the data graphs once *change* is applied (for full validation)."""
    data = Graph()
    for iri in store.graphs():
        if iri in graphs.SYSTEM_GRAPHS:
            continue
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        assert isinstance(result, GraphResult)
        data += result.graph
    view_added = {(s, p, o) for s, p, o, g in change.additions if g not in graphs.SYSTEM_GRAPHS}
    gone = {(s, p, o) for s, p, o, _g in change.removals} - view_added
    if gone:
        held = _View(store, ChangeSet(removals=set(change.removals)))
        for triple in held.removed:
            data.remove(triple)
    for triple in view_added:
        data.add(triple)
    return data


def full_validation(store: Store, change: ChangeSet, shapes: Graph, schema: Graph | None,
                    reason: str = "") -> ChangeValidation:
    """Validate the whole resulting state (the reference the incremental path must equal)."""
    report = validate(resulting_state(store, change), shapes, schema)
    return ChangeValidation(report, [], "full", reason)


def _n3(term: Node) -> str:
    return term_text(term)


#: Above this many stored quads a load is validated incrementally (the verdict is the same).
INCREMENTAL_ABOVE = 50_000


def load_report(store: Store, sources: Sequence[Source], system: Sequence[Source],
                shapes: Graph, schema: Graph | None,
                incremental_above: int = INCREMENTAL_ABOVE) -> ValidationReport:
    """The report for the state a load of *sources* (replacing their graphs) would leave.

    When the store is large and already holds exactly the shapes, ontology and
    vocabularies of *system*, only what the new sources can affect is validated;
    otherwise — new rules apply to everything — the whole resulting state is.
    """
    from rdflib.compare import isomorphic

    from ecograph.changes import graph_quads, quads_of
    from ecograph.pipeline import resulting_data

    same_rules = store.count() >= incremental_above and all(
        store.has_graph(s.graph_iri) and isomorphic(store.get_graph(s.graph_iri), s.graph)
        for s in system)
    if not same_rules:
        return validate(resulting_data(store, sources), shapes, schema)
    change = ChangeSet()
    for source in sources:
        old = graph_quads(store, source.graph_iri)
        new = quads_of(source.graph, source.graph_iri)
        change.additions |= new - old
        change.removals |= old - new
    return validate_change(store, change, shapes, schema).report
