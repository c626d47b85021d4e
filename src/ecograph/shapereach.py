"""What a shapes graph reads: every path from a targeted focus node to the data it inspects.

:class:`ShapeReach` walks the shapes once — targets, property paths (inverse, sequence,
alternative, ``*``/``+``/``?``), nested ``sh:node``/``sh:property``/logical/qualified
shapes, ``sh:class``, ``sh:closed``, property-pair constraints and SPARQL-based
constraints — and records each *access*: the position (a path from the root focus
node) and what is read there. Incremental validation uses it both ways: backwards, to
find the focus nodes a changed triple can affect; forwards, to fetch what validating
them reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node, Variable

from ecograph.namespaces import PREFIXES

_MAX_DEPTH = 8


@dataclass(frozen=True)
class Step:
    """One predicate, walked forwards or (``inverse``) backwards."""

    iri: URIRef
    inverse: bool = False


@dataclass(frozen=True)
class Seq:
    items: tuple[Path, ...]


@dataclass(frozen=True)
class Alt:
    items: tuple[Path, ...]


@dataclass(frozen=True)
class Rep:
    """``*`` (zero or more), ``+`` (one or more) or ``?`` (zero or one) of *item*."""

    item: Path
    kind: str


Path = Step | Seq | Alt | Rep
TYPE = Step(RDF.type)


@dataclass(frozen=True)
class Access:
    """At *position* (a path from the root focus), the shapes read *what*.

    *what* is a path (its values are read), ``"any"`` (every outgoing triple, for
    ``sh:closed``) or ``("sparql", predicates, hops)`` (a SPARQL constraint reading
    triples with those predicates — ``None``: any — within *hops* of the node).
    """

    position: tuple[Path, ...]
    what: Path | str | tuple[str, frozenset[URIRef] | None, int]


@dataclass
class ShapeReach:
    """Every access the shapes make; ``unsupported`` says why only full validation is safe."""

    accesses: set[Access] = field(default_factory=set)
    target_predicates: set[URIRef] = field(default_factory=set)
    unsupported: str | None = None

    @classmethod
    def of(cls, shapes: Graph) -> ShapeReach:
        """Analyse *shapes* (a SHACL shapes graph)."""
        reach = cls()
        if next(shapes.triples((None, SH.rule, None)), None) is not None:
            reach.unsupported = "the shapes have SHACL rules (sh:rule), which change the data"
        if next(shapes.triples((None, SH.target, None)), None) is not None:
            reach.unsupported = "the shapes have SPARQL-based targets (sh:target)"
        walker = _Walker(shapes, reach)
        for root in _roots(shapes):
            reach.accesses.add(Access((), TYPE))
            for p in shapes.objects(root, SH.targetSubjectsOf):
                reach.accesses.add(Access((), Step(p)))  # type: ignore[arg-type]
                reach.target_predicates.add(p)  # type: ignore[arg-type]
            for p in shapes.objects(root, SH.targetObjectsOf):
                reach.accesses.add(Access((), Step(p, inverse=True)))  # type: ignore[arg-type]
                reach.target_predicates.add(p)  # type: ignore[arg-type]
            walker.shape(root, ())
        return reach


def _roots(shapes: Graph) -> set[Node]:
    roots: set[Node] = set()
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        roots |= set(shapes.subjects(predicate, None))
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
                roots.add(shape)
    return roots


class _Walker:
    def __init__(self, shapes: Graph, reach: ShapeReach) -> None:
        self.g = shapes
        self.reach = reach
        self.seen: set[tuple[Node, tuple[Path, ...]]] = set()

    def add(self, position: tuple[Path, ...], what: object) -> None:
        self.reach.accesses.add(Access(position, what))  # type: ignore[arg-type]

    def shape(self, shape: Node, position: tuple[Path, ...]) -> None:
        """Record what *shape* reads when applied to the node at *position*."""
        if len(position) > _MAX_DEPTH or (shape, position) in self.seen:
            return
        self.seen.add((shape, position))
        g = self.g
        self.add(position, TYPE)
        path_node = g.value(shape, SH.path)
        if path_node is not None:
            path = parse_path(g, path_node)
            self.add(position, path)
            self.constraints(shape, position, (*position, path), is_property=True)
        else:
            self.constraints(shape, position, position, is_property=False)

    def constraints(self, shape: Node, focus: tuple[Path, ...], values: tuple[Path, ...],
                    is_property: bool) -> None:
        g = self.g
        if (shape, SH.closed, None) in g and str(g.value(shape, SH.closed)).lower() == "true":
            self.add(values, "any")
        for pair in (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals):
            for p in g.objects(shape, pair):
                self.add(focus, Step(p))  # type: ignore[arg-type]
        if (shape, SH["class"], None) in g:
            self.add(values, TYPE)
        for nested in g.objects(shape, SH.node):
            self.shape(nested, values)
        for nested in g.objects(shape, SH.property):
            self.shape(nested, values)
        for nested in g.objects(shape, SH.qualifiedValueShape):
            self.shape(nested, values)
            if (shape, SH.qualifiedValueShapesDisjoint, None) in g:
                for sibling in g.objects(None, SH.qualifiedValueShape):
                    self.shape(sibling, values)
        for nested in g.objects(shape, SH["not"]):
            self.shape(nested, values)
        for logical in (SH["and"], SH["or"], SH.xone):
            for head in g.objects(shape, logical):
                for member in Collection(g, head):
                    self.shape(member, values)
        for constraint in g.objects(shape, SH.sparql):
            self.sparql(constraint, focus, values, is_property)

    def sparql(self, constraint: Node, focus: tuple[Path, ...], values: tuple[Path, ...],
               is_property: bool) -> None:
        text = self.g.value(constraint, SH.select) or self.g.value(constraint, SH.ask)
        predicates, patterns = _sparql_reads(self.g, str(text or ""))
        if is_property and predicates is not None:
            predicates = predicates | _path_predicates(values[-1])
        self.add(focus, ("sparql", predicates, max(patterns, 1) + (1 if is_property else 0)))


def parse_path(g: Graph, node: Node) -> Path:
    """Read a SHACL property path node into a :data:`Path`."""
    if isinstance(node, URIRef):
        return Step(node)
    inverse = g.value(node, SH.inversePath)
    if inverse is not None:
        return invert(parse_path(g, inverse))
    alternatives = g.value(node, SH.alternativePath)
    if alternatives is not None:
        return Alt(tuple(parse_path(g, n) for n in Collection(g, alternatives)))
    for predicate, kind in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                            (SH.zeroOrOnePath, "?")):
        inner = g.value(node, predicate)
        if inner is not None:
            return Rep(parse_path(g, inner), kind)
    if (node, RDF.first, None) in g:
        return Seq(tuple(parse_path(g, n) for n in Collection(g, node)))
    raise ValueError(f"not a SHACL property path: {node}")


def invert(path: Path) -> Path:
    """The inverse path: ``^(a/b)`` = ``^b/^a``."""
    if isinstance(path, Step):
        return Step(path.iri, not path.inverse)
    if isinstance(path, Seq):
        return Seq(tuple(invert(p) for p in reversed(path.items)))
    if isinstance(path, Alt):
        return Alt(tuple(invert(p) for p in path.items))
    return Rep(invert(path.item), path.kind)


def sparql_path(path: Path) -> str:
    """The SPARQL 1.1 property path of *path*."""
    if isinstance(path, Step):
        return ("^" if path.inverse else "") + f"<{path.iri}>"
    if isinstance(path, Seq):
        return "(" + "/".join(sparql_path(p) for p in path.items) + ")"
    if isinstance(path, Alt):
        return "(" + "|".join(sparql_path(p) for p in path.items) + ")"
    return f"({sparql_path(path.item)}){path.kind}"


def reach_back(path: Path, predicate: URIRef) -> list[tuple[tuple[Path, ...], str]]:
    """Where a triple with *predicate* can lie on *path*.

    Each answer is ``(prefix, anchor)``: the start of the path is the node reaching the
    triple's *anchor* (``"s"`` subject or ``"o"`` object) through *prefix*.
    """
    if isinstance(path, Step):
        if path.iri != predicate:
            return []
        return [((), "o" if path.inverse else "s")]
    if isinstance(path, Seq):
        found = []
        for i, item in enumerate(path.items):
            for prefix, anchor in reach_back(item, predicate):
                found.append(((*path.items[:i], *prefix), anchor))
        return found
    if isinstance(path, Alt):
        return [hit for item in path.items for hit in reach_back(item, predicate)]
    hits = reach_back(path.item, predicate)
    if path.kind == "?":
        return hits
    return [((Rep(path.item, "*"), *prefix), anchor) for prefix, anchor in hits]


def _path_predicates(path: Path) -> frozenset[URIRef]:
    if isinstance(path, Step):
        return frozenset({path.iri})
    if isinstance(path, Seq | Alt):
        return frozenset().union(*(_path_predicates(p) for p in path.items))
    return _path_predicates(path.item)


def _sparql_reads(shapes: Graph, text: str) -> tuple[frozenset[URIRef] | None, int]:
    """The predicates a SPARQL constraint matches (None: a variable one) and its pattern count."""
    from rdflib.plugins.sparql import prepareQuery

    prologue = "".join(f"PREFIX {n}: <{i}>\n" for n, i in PREFIXES.items())
    for declaration in shapes.objects(None, SH.declare):
        prefix, namespace = shapes.value(declaration, SH.prefix), \
            shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            prologue += f"PREFIX {prefix}: <{namespace}>\n"
    try:
        query = prepareQuery(prologue + text.replace("$PATH", "?__path"))
    except Exception:
        return None, 8
    predicates: set[URIRef] = set()
    patterns = 0
    variable_predicate = False

    def visit(value: object) -> None:
        nonlocal patterns, variable_predicate
        if isinstance(value, dict):
            triples = value.get("triples") if getattr(value, "name", "") == "BGP" else None
            for triple in triples or ():
                patterns += 1
                p = triple[1]
                if isinstance(p, URIRef):
                    predicates.add(p)
                elif isinstance(p, Variable | BNode):
                    variable_predicate = True
                else:  # a property path object
                    predicates.update(t for t in _walk_terms(p) if isinstance(t, URIRef))
            for item in value.values():
                visit(item)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    visit(query.algebra)
    return (None if variable_predicate else frozenset(predicates)), patterns


def _walk_terms(path: object) -> list[object]:
    found = []
    for attr in ("arg", "args", "path"):
        value = getattr(path, attr, None)
        if isinstance(value, list | tuple):
            for item in value:
                found.extend([item] if isinstance(item, URIRef) else _walk_terms(item))
        elif value is not None:
            found.extend([value] if isinstance(value, URIRef) else _walk_terms(value))
    return found
