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
_NO_PROPERTY = "urn:ecograph:no-such-property"


@dataclass(frozen=True)
class Step:
    """One predicate, walked forwards or (``inverse``) backwards."""

    iri: URIRef
    inverse: bool = False


@dataclass(frozen=True)
class AnyStep:
    """Any predicate, forwards or (``inverse``) backwards (a SPARQL variable predicate)."""

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


Path = Step | AnyStep | Seq | Alt | Rep
TYPE = Step(RDF.type)


@dataclass(frozen=True)
class Access:
    """At *position* (a path from the root focus), the shapes read *what*.

    *what* is a path (its values are read) or ``"any"`` (every outgoing triple, for
    ``sh:closed``). SPARQL-based constraints become accesses too: each triple pattern of
    the query, placed by its distance from ``$this`` in the query's pattern graph.
    """

    position: tuple[Path, ...]
    what: Path | str


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
        text = str(self.g.value(constraint, SH.select) or self.g.value(constraint, SH.ask) or "")
        if is_property:
            text = text.replace("$PATH", sparql_path(values[-1]))
        reads = sparql_reads(self.g, text, constraint)
        if reads is None:
            self.reach.unsupported = ("a SPARQL constraint reads data not connected to $this "
                                      f"({constraint})")
            return
        for position, step in reads:
            self.add((*focus, *position), step)
            self.add((*focus, *position), TYPE)


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
    if isinstance(path, AnyStep):
        return AnyStep(not path.inverse)
    if isinstance(path, Seq):
        return Seq(tuple(invert(p) for p in reversed(path.items)))
    if isinstance(path, Alt):
        return Alt(tuple(invert(p) for p in path.items))
    return Rep(invert(path.item), path.kind)


def sparql_path(path: Path) -> str:
    """The SPARQL 1.1 property path of *path*."""
    if isinstance(path, Step):
        return ("^" if path.inverse else "") + f"<{path.iri}>"
    if isinstance(path, AnyStep):  # a negated property set that excludes nothing real
        return ("^" if path.inverse else "") + f"!<{_NO_PROPERTY}>"
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
    if isinstance(path, Step | AnyStep):
        if isinstance(path, Step) and path.iri != predicate:
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


def sparql_reads(shapes: Graph, text: str, constraint: Node | None = None
                 ) -> list[tuple[tuple[Path, ...], Path]] | None:
    """What a SPARQL constraint reads, relative to ``$this``: (position, step) pairs.

    The query's triple patterns (EXISTS and sub-queries included) form a graph over its
    variables and terms; walking it from ``$this`` places each pattern at the path that
    leads to it. A variable predicate reads any predicate. ``None`` when a pattern is
    not connected to ``$this`` (the constraint may read anything).
    """
    from rdflib.plugins.sparql import prepareQuery

    prologue = "".join(f"PREFIX {n}: <{i}>\n" for n, i in PREFIXES.items())
    owners = list(shapes.objects(constraint, SH.prefixes)) if constraint is not None else []
    declarations = [d for owner in owners for d in shapes.objects(owner, SH.declare)] \
        or list(shapes.objects(None, SH.declare))
    for declaration in declarations:
        prefix = shapes.value(declaration, SH.prefix)
        namespace = shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            prologue += f"PREFIX {prefix}: <{namespace}>\n"
    try:
        query = prepareQuery(prologue + text)
    except Exception:
        return None
    patterns: list[tuple[Node, object, Node]] = []
    _collect(query.algebra, patterns)
    predicate_variables = {p for _s, p, _o in patterns if isinstance(p, Variable)}
    known: dict[Node, tuple[Path, ...]] = {Variable("this"): ()}
    reads: list[tuple[tuple[Path, ...], Path]] = []
    todo = list(patterns)
    while todo:
        progressed = False
        for pattern in list(todo):
            s, p, o = pattern
            step = AnyStep() if isinstance(p, Variable) else _rdflib_path(p)
            if s in known and s not in predicate_variables:
                here, there, walk = s, o, step
            elif o in known and o not in predicate_variables:
                here, there, walk = o, s, invert(step)
            elif not isinstance(s, Variable | BNode) or not isinstance(o, Variable | BNode):
                # a pattern anchored at a constant (e.g. the ontology): read from that term
                continue
            else:
                continue
            reads.append((known[here], walk))
            if isinstance(there, Variable | BNode) and there not in known:
                known[there] = (*known[here], walk)
            todo.remove(pattern)
            progressed = True
        if not progressed:
            break
    leftover = [t for t in todo if not _constant_only(t, predicate_variables)]
    return None if leftover else reads


def _constant_only(pattern: tuple[Node, object, Node], predicate_variables: set[Node]) -> bool:
    """A pattern that only relates constants and predicate variables (an ontology lookup)."""
    s, _p, o = pattern
    return all(not isinstance(t, Variable | BNode) or t in predicate_variables for t in (s, o))


def _collect(value: object, found: list[tuple[Node, object, Node]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "triples" and isinstance(item, list | tuple):
                for triple in item:
                    if isinstance(triple, list | tuple) and len(triple) == 3:
                        found.append((triple[0], triple[1], triple[2]))
            else:
                _collect(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found)


def _rdflib_path(path: object) -> Path:
    from rdflib import paths

    if isinstance(path, URIRef):
        return Step(path)
    if isinstance(path, paths.InvPath):
        return invert(_rdflib_path(path.arg))
    if isinstance(path, paths.SequencePath):
        return Seq(tuple(_rdflib_path(a) for a in path.args))
    if isinstance(path, paths.AlternativePath):
        return Alt(tuple(_rdflib_path(a) for a in path.args))
    if isinstance(path, paths.MulPath):
        return Rep(_rdflib_path(path.path), path.mod)
    return Alt((AnyStep(), AnyStep(inverse=True)))  # a negated property set: be generous
