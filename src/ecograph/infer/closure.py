"""The OWL 2 RL closure of a set of triples, in memory: T-box closure, rules, fixpoint, checks.

:func:`infer` is pure: it takes triples (N-Triples terms) and returns what they entail
beyond themselves, already restricted to what a user asks about (see
:mod:`ecograph.infer.restrict`), with the consistency clashes found on the way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from ecograph.infer.consistency import Clash, clash_from
from ecograph.infer.engine import RuleIndex, clashes, saturate_memory
from ecograph.infer.facts import MemoryFacts, Triple
from ecograph.infer.restrict import SAME_AS, is_noise, structural_nodes
from ecograph.infer.rules import compile_checks, compile_rules
from ecograph.infer.schema import close, is_tbox

#: A T-box entailed by the data (sameAs between classes…) is closed again, at most this often.
MAX_TBOX_PASSES = 5


@dataclass
class Inference:
    """What :func:`infer` found: the entailed triples to store, and the clashes."""

    inferred: set[Triple]
    clashes: list[Clash] = field(default_factory=list)
    rounds: int = 0
    rules: int = 0
    derived: int = 0


def infer(triples: Iterable[Triple], *, check: bool = True) -> Inference:
    """Return the restricted OWL 2 RL entailments of *triples* (and clashes, if *check*).

    >>> sub = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
    >>> a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    >>> data = [("<http://e.org/H>", sub, "<http://e.org/O>"), ("<http://e.org/h>", a, "<http://e.org/H>")]
    >>> sorted(infer(data).inferred)
    [('<http://e.org/h>', '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>', '<http://e.org/O>')]
    """
    given = list(dict.fromkeys(triples))
    structural = structural_nodes(given)
    axioms = {t for t in given if is_tbox(*t)}
    equality = any(p == SAME_AS for _, p, _ in given)
    for _ in range(MAX_TBOX_PASSES):
        tbox = close(axioms)
        rules = compile_rules(tbox, equality=equality)
        facts = MemoryFacts(by_term=any(r.rule_id.startswith("eq-rep") for r in rules))
        index = RuleIndex([r for r in rules if r.body])
        indexed = index.read_predicates()
        if indexed is None:
            facts.update(given)
        else:
            checks = compile_checks(tbox) if check else []
            indexed |= {p for c in checks for _, p, _ in c.body} | {p for _, p, _ in axioms}
            facts.update(t for t in given if t[1] in indexed)
        start = [t for t in tbox.triples if facts.add(t)]
        start += [r.head for r in rules if not r.body and facts.add(r.head)]
        derived, rounds = saturate_memory(facts, chain(given, start), index)
        derived = start + derived
        entailed_axioms = {t for t in derived if is_tbox(*t)} - tbox.triples
        if not entailed_axioms:
            break
        axioms = tbox.triples | entailed_axioms
    found: list[Clash] = []
    if check:
        found = sorted({clash_from(c, env) for c, env in clashes(compile_checks(tbox), facts)})
    inferred = {t for t in derived if not is_noise(*t, structural)}
    return Inference(inferred, found, rounds, len(rules), len(derived))
