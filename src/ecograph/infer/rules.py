"""Compile a closed T-box into data rules named after the OWL 2 RL rule ids.

A rule is a Datalog rule over triples: body atoms and one head atom, each a triple of
constants (N-Triples terms) and variables (``?name``). Rules whose premises are axioms
are compiled once per axiom, with the axiom's terms as constants (``cax-sco`` for
``ex:Hospital rdfs:subClassOf org:Organization`` becomes
``(?x a ex:Hospital) → (?x a org:Organization)``); the equality rules (``eq-*``) are
generic. Consistency checks are rules too, with a message instead of a head.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecograph.infer import schema as s
from ecograph.infer.restrict import SAME_AS, TYPE, is_blank, is_vocabulary
from ecograph.infer.schema import TBox

Atom = tuple[str, str, str]


def is_var(term: str) -> bool:
    """Return whether *term* is a rule variable (``?name``)."""
    return term.startswith("?")


@dataclass(frozen=True)
class Rule:
    """``body → head``; *distinct* lists variable pairs that must be bound to different terms."""

    rule_id: str
    body: tuple[Atom, ...]
    head: Atom
    distinct: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        body = ", ".join(" ".join(a) for a in self.body)
        return f"[{self.rule_id}] {body} → {' '.join(self.head)}"


@dataclass(frozen=True)
class Check:
    """A consistency rule: any solution of *body* is a clash; *show* names the culprits."""

    rule_id: str
    body: tuple[Atom, ...]
    show: tuple[str, ...]
    message: str
    distinct: tuple[tuple[str, str], ...] = ()


def _int_value(literal: str) -> int | None:
    """The integer value of an N-Triples literal such as ``"1"^^<…#nonNegativeInteger>``."""
    if not literal.startswith('"'):
        return None
    try:
        return int(literal[1:literal.index('"', 1)])
    except ValueError:
        return None


def _class_rules(t: TBox) -> list[Rule]:
    rules: list[Rule] = []
    for c1, c2 in t.pairs(s.SUB_CLASS):
        if c1 != c2:
            rules.append(Rule("cax-sco", ((("?x", TYPE, c1)),), ("?x", TYPE, c2)))
    for c, head in t.pairs(s.INTERSECTION):
        members = t.items(head)
        if members:
            rules.append(Rule("cls-int1", tuple(("?y", TYPE, ci) for ci in members),
                              ("?y", TYPE, c)))
    for c, y in t.pairs(s.SOME_VALUES):
        for p in t.objects(c, s.ON_PROPERTY):
            if y == s.THING:
                rules.append(Rule("cls-svf2", (("?u", p, "?v"),), ("?u", TYPE, c)))
            else:
                rules.append(Rule("cls-svf1", (("?u", p, "?v"), ("?v", TYPE, y)),
                                  ("?u", TYPE, c)))
    for c, y in t.pairs(s.ALL_VALUES):
        for p in t.objects(c, s.ON_PROPERTY):
            rules.append(Rule("cls-avf", (("?u", TYPE, c), ("?u", p, "?v")), ("?v", TYPE, y)))
    for c, i in t.pairs(s.HAS_VALUE):
        for p in t.objects(c, s.ON_PROPERTY):
            rules.append(Rule("cls-hv1", (("?u", TYPE, c),), ("?u", p, i)))
            rules.append(Rule("cls-hv2", (("?u", p, i),), ("?u", TYPE, c)))
    for c, n in t.pairs(s.MAX_CARDINALITY):
        if _int_value(n) == 1:
            for p in t.objects(c, s.ON_PROPERTY):
                rules.append(Rule("cls-maxc2", (("?u", TYPE, c), ("?u", p, "?y1"),
                                                ("?u", p, "?y2")),
                                  ("?y1", SAME_AS, "?y2"), (("?y1", "?y2"),)))
    for c, n in t.pairs(s.MAX_QUALIFIED):
        if _int_value(n) == 1:
            for p in t.objects(c, s.ON_PROPERTY):
                for cc in t.objects(c, s.ON_CLASS):
                    body: tuple[Atom, ...] = (("?u", TYPE, c), ("?u", p, "?y1"), ("?u", p, "?y2"))
                    rule_id = "cls-maxqc4"
                    if cc != s.THING:
                        rule_id = "cls-maxqc3"
                        body += (("?y1", TYPE, cc), ("?y2", TYPE, cc))
                    rules.append(Rule(rule_id, body, ("?y1", SAME_AS, "?y2"), (("?y1", "?y2"),)))
    for c, key_list in t.pairs(s.HAS_KEY):
        keys = t.items(key_list)
        if keys:
            body = (("?x", TYPE, c), ("?y", TYPE, c))
            body += tuple(("?x", k, f"?z{i}") for i, k in enumerate(keys))
            body += tuple(("?y", k, f"?z{i}") for i, k in enumerate(keys))
            rules.append(Rule("prp-key", body, ("?x", SAME_AS, "?y"), (("?x", "?y"),)))
    return rules


def _property_rules(t: TBox) -> list[Rule]:
    rules: list[Rule] = []
    for p, c in t.pairs(s.DOMAIN):
        rules.append(Rule("prp-dom", (("?x", p, "?y"),), ("?x", TYPE, c)))
    for p, c in t.pairs(s.RANGE):
        rules.append(Rule("prp-rng", (("?x", p, "?y"),), ("?y", TYPE, c)))
    for p1, p2 in t.pairs(s.SUB_PROPERTY):
        if p1 != p2:
            rules.append(Rule("prp-spo1", (("?x", p1, "?y"),), ("?x", p2, "?y")))
    for p1, p2 in t.pairs(s.INVERSE_OF):
        rules.append(Rule("prp-inv1", (("?x", p1, "?y"),), ("?y", p2, "?x")))
        rules.append(Rule("prp-inv2", (("?x", p2, "?y"),), ("?y", p1, "?x")))
    for p in t.subjects(TYPE, s.SYMMETRIC):
        rules.append(Rule("prp-symp", (("?x", p, "?y"),), ("?y", p, "?x")))
    for p in t.subjects(TYPE, s.TRANSITIVE):
        rules.append(Rule("prp-trp", (("?x", p, "?y"), ("?y", p, "?z")), ("?x", p, "?z")))
    for p in t.subjects(TYPE, s.FUNCTIONAL):
        rules.append(Rule("prp-fp", (("?x", p, "?y1"), ("?x", p, "?y2")),
                          ("?y1", SAME_AS, "?y2"), (("?y1", "?y2"),)))
    for p in t.subjects(TYPE, s.INVERSE_FUNCTIONAL):
        rules.append(Rule("prp-ifp", (("?x1", p, "?y"), ("?x2", p, "?y")),
                          ("?x1", SAME_AS, "?x2"), (("?x1", "?x2"),)))
    for p, head in t.pairs(s.CHAIN):
        chain = t.items(head)
        if chain:
            body = tuple((f"?u{i}", pi, f"?u{i + 1}") for i, pi in enumerate(chain))
            rules.append(Rule("prp-spo2", body, ("?u0", p, f"?u{len(chain)}")))
    for c, head in t.pairs(s.ONE_OF):
        for member in t.items(head):
            rules.append(Rule("cls-oo", (), (member, TYPE, c)))
    return rules


EQUALITY_RULES = (
    Rule("eq-sym", (("?x", SAME_AS, "?y"),), ("?y", SAME_AS, "?x")),
    Rule("eq-trans", (("?x", SAME_AS, "?y"), ("?y", SAME_AS, "?z")), ("?x", SAME_AS, "?z"),
         (("?x", "?z"),)),
    Rule("eq-rep-s", (("?s", SAME_AS, "?s2"), ("?s", "?p", "?o")), ("?s2", "?p", "?o")),
    Rule("eq-rep-p", (("?p", SAME_AS, "?p2"), ("?s", "?p", "?o")), ("?s", "?p2", "?o")),
    Rule("eq-rep-o", (("?o", SAME_AS, "?o2"), ("?s", "?p", "?o")), ("?s", "?p", "?o2")),
)


def compile_rules(t: TBox, *, equality: bool) -> list[Rule]:
    """Return the data rules for the closed T-box *t* (with the ``eq-*`` rules if *equality*).

    Rules that can only produce ``rdf:type`` triples towards an OWL/RDF(S) class (such as
    ``owl:Thing``) are left out unless another rule or check reads that class.
    """
    rules = _property_rules(t) + _class_rules(t)
    if equality or any(r.head[1] == SAME_AS for r in rules):
        rules += EQUALITY_RULES
    read = {a[2] for r in rules for a in r.body if a[1] == TYPE and not is_var(a[2])}
    read |= {a[2] for c in compile_checks(t) for a in c.body
             if a[1] == TYPE and not is_var(a[2])}
    return [r for r in rules
            if not (r.head[1] == TYPE and is_vocabulary(r.head[2]) and r.head[2] not in read)]


def compile_checks(t: TBox) -> list[Check]:
    """Return the consistency checks (OWL 2 RL rules with ``false`` as their head)."""
    checks = [Check("cls-nothing2", (("?x", TYPE, s.NOTHING),), ("?x",),
                    "is a member of owl:Nothing")]
    for c1, c2 in t.pairs(s.DISJOINT_WITH):
        checks.append(Check("cax-dw", (("?x", TYPE, c1), ("?x", TYPE, c2)), ("?x",),
                            f"is a member of the disjoint classes {c1} and {c2}"))
    for node in t.subjects(TYPE, s.ALL_DISJOINT_CLASSES):
        for head in t.objects(node, s.MEMBERS):
            members = t.items(head)
            for i, c1 in enumerate(members):
                for c2 in members[i + 1:]:
                    checks.append(Check("cax-adc", (("?x", TYPE, c1), ("?x", TYPE, c2)),
                                        ("?x",), f"is a member of the disjoint classes "
                                        f"{c1} and {c2}"))
    for c1, c2 in t.pairs(s.COMPLEMENT):
        checks.append(Check("cls-com", (("?x", TYPE, c1), ("?x", TYPE, c2)), ("?x",),
                            f"is a member of {c1} and of its complement {c2}"))
    for p in t.subjects(TYPE, s.IRREFLEXIVE):
        checks.append(Check("prp-irp", (("?x", p, "?x"),), ("?x",),
                            f"is related to itself by the irreflexive property {p}"))
    for p in t.subjects(TYPE, s.ASYMMETRIC):
        checks.append(Check("prp-asyp", (("?x", p, "?y"), ("?y", p, "?x")), ("?x", "?y"),
                            f"are related both ways by the asymmetric property {p}"))
    for p1, p2 in t.pairs(s.PROPERTY_DISJOINT):
        checks.append(Check("prp-pdw", (("?x", p1, "?y"), ("?x", p2, "?y")), ("?x", "?y"),
                            f"are related by the disjoint properties {p1} and {p2}"))
    checks.append(Check("eq-diff1", (("?x", SAME_AS, "?y"), ("?x", s.DIFFERENT_FROM, "?y")),
                        ("?x", "?y"), "are both owl:sameAs and owl:differentFrom"))
    for c, n in t.pairs(s.MAX_CARDINALITY):
        if _int_value(n) == 0:
            for p in t.objects(c, s.ON_PROPERTY):
                checks.append(Check("cls-maxc1", (("?x", TYPE, c), ("?x", p, "?y")), ("?x",),
                                    f"has a value for {p} but belongs to a class that "
                                    "allows none"))
    for node, i1 in t.pairs(s.SOURCE_INDIVIDUAL):
        for p in t.objects(node, s.ASSERTION_PROPERTY):
            for axis in (s.TARGET_INDIVIDUAL, s.TARGET_VALUE):
                for i2 in t.objects(node, axis):
                    checks.append(Check("prp-npa", ((i1, p, i2),), (),
                                        f"{i1} {p} {i2} is asserted and negated"))
    return checks


def reads_hidden(rules: list[Rule], structural: set[str]) -> bool:
    """Return whether a rule reads facts never stored (typing to class expressions or OWL).

    Such facts are recomputed by a full run; incremental maintenance needs every fact it
    reads to be in the store, so it falls back to a full run when this is true. Members of
    owl:Nothing are left aside: they only exist in inconsistent data, reported as clashes.
    """
    for rule in rules:
        for _, p, o in rule.body:
            if p == TYPE and not is_var(o) and o != s.NOTHING and (
                    is_vocabulary(o) or (is_blank(o) and o in structural)):
                return True
    return False
