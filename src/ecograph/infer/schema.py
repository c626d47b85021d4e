"""The ontology's axioms (the T-box) and their closure under the OWL 2 RL ``scm-*`` rules.

The T-box is the part of the input that says how to reason: class and property
hierarchies, domains, ranges, property characteristics, chains, class expressions and
the RDF lists they use. It is small, so it is closed by naive iteration of the schema
rules of OWL 2 RL (Table 9), exactly as owlrl does, before the data rules are compiled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ecograph.infer.restrict import OWL_NS, RDF_NS, RDFS_NS, TYPE

Triple = tuple[str, str, str]


def _owl(name: str) -> str:
    return f"<{OWL_NS}{name}>"


SUB_CLASS = f"<{RDFS_NS}subClassOf>"
SUB_PROPERTY = f"<{RDFS_NS}subPropertyOf>"
DOMAIN = f"<{RDFS_NS}domain>"
RANGE = f"<{RDFS_NS}range>"
FIRST = f"<{RDF_NS}first>"
REST = f"<{RDF_NS}rest>"
NIL = f"<{RDF_NS}nil>"
RDF_PROPERTY = f"<{RDF_NS}Property>"
EQUIVALENT_CLASS = _owl("equivalentClass")
EQUIVALENT_PROPERTY = _owl("equivalentProperty")
INVERSE_OF = _owl("inverseOf")
CHAIN = _owl("propertyChainAxiom")
ON_PROPERTY = _owl("onProperty")
ON_CLASS = _owl("onClass")
SOME_VALUES = _owl("someValuesFrom")
ALL_VALUES = _owl("allValuesFrom")
HAS_VALUE = _owl("hasValue")
MAX_CARDINALITY = _owl("maxCardinality")
MAX_QUALIFIED = _owl("maxQualifiedCardinality")
INTERSECTION = _owl("intersectionOf")
UNION = _owl("unionOf")
COMPLEMENT = _owl("complementOf")
ONE_OF = _owl("oneOf")
HAS_KEY = _owl("hasKey")
MEMBERS = _owl("members")
DISTINCT_MEMBERS = _owl("distinctMembers")
DISJOINT_WITH = _owl("disjointWith")
PROPERTY_DISJOINT = _owl("propertyDisjointWith")
DIFFERENT_FROM = _owl("differentFrom")
SOURCE_INDIVIDUAL = _owl("sourceIndividual")
ASSERTION_PROPERTY = _owl("assertionProperty")
TARGET_INDIVIDUAL = _owl("targetIndividual")
TARGET_VALUE = _owl("targetValue")
THING = _owl("Thing")
NOTHING = _owl("Nothing")
CLASS = _owl("Class")
OBJECT_PROPERTY = _owl("ObjectProperty")
DATATYPE_PROPERTY = _owl("DatatypeProperty")
TRANSITIVE = _owl("TransitiveProperty")
SYMMETRIC = _owl("SymmetricProperty")
ASYMMETRIC = _owl("AsymmetricProperty")
IRREFLEXIVE = _owl("IrreflexiveProperty")
FUNCTIONAL = _owl("FunctionalProperty")
INVERSE_FUNCTIONAL = _owl("InverseFunctionalProperty")
ALL_DISJOINT_CLASSES = _owl("AllDisjointClasses")
ALL_DISJOINT_PROPERTIES = _owl("AllDisjointProperties")
ALL_DIFFERENT = _owl("AllDifferent")

#: Predicates whose triples are axioms (plus RDF list cells).
TBOX_PREDICATES = frozenset({
    SUB_CLASS, SUB_PROPERTY, DOMAIN, RANGE, EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, INVERSE_OF,
    CHAIN, ON_PROPERTY, ON_CLASS, SOME_VALUES, ALL_VALUES, HAS_VALUE, MAX_CARDINALITY,
    MAX_QUALIFIED, INTERSECTION, UNION, COMPLEMENT, ONE_OF, HAS_KEY, MEMBERS, DISTINCT_MEMBERS,
    DISJOINT_WITH, PROPERTY_DISJOINT, SOURCE_INDIVIDUAL, ASSERTION_PROPERTY, TARGET_INDIVIDUAL,
    TARGET_VALUE, FIRST, REST,
})
#: Classes whose ``rdf:type`` triples are axioms.
TBOX_TYPES = frozenset({
    CLASS, OBJECT_PROPERTY, DATATYPE_PROPERTY, RDF_PROPERTY, TRANSITIVE, SYMMETRIC, ASYMMETRIC,
    IRREFLEXIVE, FUNCTIONAL, INVERSE_FUNCTIONAL, ALL_DISJOINT_CLASSES, ALL_DISJOINT_PROPERTIES,
    ALL_DIFFERENT,
})
_PROPERTY_TYPES = (OBJECT_PROPERTY, DATATYPE_PROPERTY, RDF_PROPERTY)


def is_tbox(s: str, p: str, o: str) -> bool:
    """Return whether the triple is an axiom (a T-box triple) rather than data."""
    return p in TBOX_PREDICATES or (p == TYPE and o in TBOX_TYPES)


class TBox:
    """A set of axiom triples with the lookups the rules need."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.triples: set[Triple] = set(triples)
        self.by_p: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.by_po: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in self.triples:
            self.by_p[p][s].add(o)
            self.by_po[p][o].add(s)

    def objects(self, s: str, p: str) -> set[str]:
        """The objects of (s, p, ?)."""
        return self.by_p.get(p, {}).get(s, set())

    def subjects(self, p: str, o: str) -> set[str]:
        """The subjects of (?, p, o)."""
        return self.by_po.get(p, {}).get(o, set())

    def pairs(self, p: str) -> list[tuple[str, str]]:
        """All (s, o) with (s, p, o)."""
        return [(s, o) for s, os in self.by_p.get(p, {}).items() for o in os]

    def items(self, head: str) -> list[str]:
        """The members of the RDF list starting at *head* (cycles and forks end the walk)."""
        members: list[str] = []
        seen: set[str] = set()
        node = head
        while node != NIL and node not in seen:
            seen.add(node)
            firsts = self.objects(node, FIRST)
            if not firsts:
                break
            members.append(min(firsts))
            rests = self.objects(node, REST)
            if not rests:
                break
            node = min(rests)
        return members

    def has(self, s: str, p: str, o: str) -> bool:
        """Return whether (s, p, o) is an axiom."""
        return (s, p, o) in self.triples


def _scm_round(t: TBox) -> set[Triple]:
    """One application of every ``scm-*`` rule (OWL 2 RL Table 9) to *t*."""
    new: set[Triple] = set()
    add = new.add
    for c in t.subjects(TYPE, CLASS):  # scm-cls
        add((c, SUB_CLASS, c))
        add((c, EQUIVALENT_CLASS, c))
        add((c, SUB_CLASS, THING))
        add((NOTHING, SUB_CLASS, c))
    for c1, c2 in t.pairs(SUB_CLASS):
        for c3 in t.objects(c2, SUB_CLASS):  # scm-sco
            add((c1, SUB_CLASS, c3))
        if t.has(c2, SUB_CLASS, c1):  # scm-eqc2
            add((c1, EQUIVALENT_CLASS, c2))
    for c1, c2 in t.pairs(EQUIVALENT_CLASS):  # scm-eqc1
        add((c1, SUB_CLASS, c2))
        add((c2, SUB_CLASS, c1))
    for kind in _PROPERTY_TYPES:  # scm-op, scm-dp
        for p in t.subjects(TYPE, kind):
            add((p, SUB_PROPERTY, p))
            add((p, EQUIVALENT_PROPERTY, p))
    for p1, p2 in t.pairs(SUB_PROPERTY):
        for p3 in t.objects(p2, SUB_PROPERTY):  # scm-spo
            add((p1, SUB_PROPERTY, p3))
        if t.has(p2, SUB_PROPERTY, p1):  # scm-eqp2
            add((p1, EQUIVALENT_PROPERTY, p2))
    for p1, p2 in t.pairs(EQUIVALENT_PROPERTY):  # scm-eqp1
        add((p1, SUB_PROPERTY, p2))
        add((p2, SUB_PROPERTY, p1))
    for axis in (DOMAIN, RANGE):
        for p, c1 in t.pairs(axis):
            for c2 in t.objects(c1, SUB_CLASS):  # scm-dom1, scm-rng1
                add((p, axis, c2))
            for p1 in t.subjects(SUB_PROPERTY, p):  # scm-dom2, scm-rng2
                add((p1, axis, c1))
    _scm_restrictions(t, add)
    for c, head in t.pairs(INTERSECTION):  # scm-int
        for ci in t.items(head):
            add((c, SUB_CLASS, ci))
    for c, head in t.pairs(UNION):  # scm-uni
        for ci in t.items(head):
            add((ci, SUB_CLASS, c))
    return new


def _scm_restrictions(t: TBox, add: object) -> None:
    """scm-hv, scm-svf1/2 and scm-avf1/2: subsumption between property restrictions."""
    emit = add  # type: ignore[assignment]
    for c1, i in t.pairs(HAS_VALUE):  # scm-hv
        for p1 in t.objects(c1, ON_PROPERTY):
            for c2 in t.subjects(HAS_VALUE, i):
                for p2 in t.objects(c2, ON_PROPERTY):
                    if t.has(p1, SUB_PROPERTY, p2):
                        emit((c1, SUB_CLASS, c2))  # type: ignore[operator]
    for axis, forward in ((SOME_VALUES, True), (ALL_VALUES, False)):
        for c1, y1 in t.pairs(axis):
            for p in t.objects(c1, ON_PROPERTY):
                for c2 in t.subjects(ON_PROPERTY, p):  # scm-svf1, scm-avf1
                    for y2 in t.objects(c2, axis):
                        if t.has(y1, SUB_CLASS, y2):
                            emit((c1, SUB_CLASS, c2))  # type: ignore[operator]
                for c2 in t.subjects(axis, y1):  # scm-svf2, scm-avf2
                    for p2 in t.objects(c2, ON_PROPERTY):
                        if t.has(p, SUB_PROPERTY, p2):
                            emit((c1, SUB_CLASS, c2) if forward  # type: ignore[operator]
                                 else (c2, SUB_CLASS, c1))


def close(triples: Iterable[Triple]) -> TBox:
    """Return the closure of the axioms *triples* under the ``scm-*`` rules.

    >>> a, b, c = "<http://e.org/A>", "<http://e.org/B>", "<http://e.org/C>"
    >>> (a, SUB_CLASS, c) in close([(a, SUB_CLASS, b), (b, SUB_CLASS, c)]).triples
    True
    """
    closed = set(triples)
    while True:
        new = _scm_round(TBox(closed)) - closed
        if not new:
            return TBox(closed)
        closed |= new
