"""Inconsistencies the ontology makes of the data: members of owl:Nothing, disjointness clashes.

A clash names the OWL 2 RL rule that found it (``cax-dw``, ``cls-nothing2``, ``prp-irp``…),
the offending resources and a message. Clashes are reported, never raised: the inferred
graph is still written, as owlrl still computes its closure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ecograph.infer.engine import Env
from ecograph.infer.rules import Check


@dataclass(frozen=True, order=True)
class Clash:
    """One inconsistency: the rule id, the offending resources (N-Triples) and why."""

    rule_id: str
    resources: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"[{self.rule_id}] {', '.join(self.resources)} {self.message}"


def clash_from(check: Check, solution: Env) -> Clash:
    """The clash found by *check* under *solution*."""
    return Clash(check.rule_id, tuple(solution[v] for v in check.show), check.message)


def report(clashes: Iterable[Clash]) -> str:
    """Render clashes as text, one per line, sorted; empty when there are none.

    >>> report([Clash("cax-dw", ("<http://e.org/x>",), "is in A and B")])
    '[cax-dw] <http://e.org/x> is in A and B\\n'
    """
    return "".join(f"{clash}\n" for clash in sorted(set(clashes)))
