"""The rule engine: semi-naive forward chaining to a fixpoint, and one-step rederivation.

:func:`saturate` applies rules to a growing fact set starting from a delta: each round
fires only rule instances that use at least one fact new in the previous round, until
nothing new appears. :func:`derivable` checks whether a fact has a derivation in one rule
step (the *rederive* step of delete–rederive maintenance).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ecograph.infer.facts import Facts, Triple
from ecograph.infer.restrict import TYPE
from ecograph.infer.rules import Atom, Check, Rule, is_var

Env = dict[str, str]


def unify(atom: Atom, t: Triple, env: Env) -> Env | None:
    """Extend *env* so that *atom* matches *t*; ``None`` when it cannot."""
    out = env
    for term, value in zip(atom, t, strict=True):
        if term.startswith("?"):
            bound = out.get(term)
            if bound is None:
                if out is env:
                    out = dict(env)
                out[term] = value
            elif bound != value:
                return None
        elif term != value:
            return None
    return out


def _resolve(term: str, env: Env) -> str | None:
    return env.get(term) if term.startswith("?") else term


def solve(atoms: list[Atom], env: Env, facts: Facts) -> Iterator[Env]:
    """Yield every extension of *env* under which all *atoms* hold in *facts*."""
    if not atoms:
        yield env
        return
    best, best_score = 0, -1
    for i, atom in enumerate(atoms):
        score = sum(1 for term in atom if not term.startswith("?") or term in env)
        if score > best_score:
            best, best_score = i, score
    atom = atoms[best]
    rest = atoms[:best] + atoms[best + 1:]
    s, p, o = (_resolve(term, env) for term in atom)
    for t in facts.match(s, p, o):
        extended = unify(atom, t, env)
        if extended is not None:
            yield from solve(rest, extended, facts)


def _distinct(rule: Rule | Check, env: Env) -> bool:
    return all(env[a] != env[b] for a, b in rule.distinct)


def _instantiate(head: Atom, env: Env) -> Triple:
    return (env.get(head[0], head[0]), env.get(head[1], head[1]), env.get(head[2], head[2]))


@dataclass
class RuleIndex:
    """Rules by the body atoms a new triple can match: by predicate, by class, or any."""

    rules: list[Rule]
    by_predicate: dict[str, list[tuple[Rule, int]]] = field(default_factory=dict)
    by_class: dict[str, list[tuple[Rule, int]]] = field(default_factory=dict)
    anything: list[tuple[Rule, int]] = field(default_factory=list)
    heads_by_predicate: dict[str, list[Rule]] = field(default_factory=dict)
    heads_anything: list[Rule] = field(default_factory=list)

    def __post_init__(self) -> None:
        by_predicate: dict[str, list[tuple[Rule, int]]] = defaultdict(list)
        by_class: dict[str, list[tuple[Rule, int]]] = defaultdict(list)
        heads: dict[str, list[Rule]] = defaultdict(list)
        for rule in self.rules:
            for i, (_, p, o) in enumerate(rule.body):
                if is_var(p):
                    self.anything.append((rule, i))
                elif p == TYPE and not is_var(o):
                    by_class[o].append((rule, i))
                else:
                    by_predicate[p].append((rule, i))
            if is_var(rule.head[1]):
                self.heads_anything.append(rule)
            else:
                heads[rule.head[1]].append(rule)
        self.by_predicate = dict(by_predicate)
        self.by_class = dict(by_class)
        self.heads_by_predicate = dict(heads)

    def triggered(self, t: Triple) -> list[tuple[Rule, int]]:
        """The (rule, body position) pairs whose atom can match *t*."""
        found = self.by_predicate.get(t[1], [])
        if t[1] == TYPE:
            found = found + self.by_class.get(t[2], [])
        return found + self.anything if self.anything else found


def consequences(t: Triple, index: RuleIndex, facts: Facts) -> Iterator[Triple]:
    """Yield the heads of the rule instances that use *t* for one body atom."""
    for rule, i in index.triggered(t):
        env = unify(rule.body[i], t, {})
        if env is None:
            continue
        if len(rule.body) == 1:
            if not rule.distinct or _distinct(rule, env):
                yield _instantiate(rule.head, env)
            continue
        rest = list(rule.body[:i] + rule.body[i + 1:])
        for solution in solve(rest, env, facts):
            if not rule.distinct or _distinct(rule, solution):
                yield _instantiate(rule.head, solution)


def saturate(facts: Facts, delta: Iterable[Triple], index: RuleIndex, *,
             add: Callable[[Triple], bool], keep: Callable[[Triple], bool] | None = None,
             ) -> tuple[list[Triple], int]:
    """Apply the rules from *delta* until nothing new appears; return (new facts, rounds).

    *add(t)* adds a fact to *facts* and returns whether it was new; *keep(t)* (optional)
    drops derived facts before they are added.
    """
    derived: list[Triple] = []
    current = list(delta)
    rounds = 0
    while current:
        rounds += 1
        following: list[Triple] = []
        for t in current:
            for h in consequences(t, index, facts):
                if (keep is None or keep(h)) and add(h):
                    following.append(h)
        derived.extend(following)
        current = following
    return derived, rounds


def derivable(t: Triple, index: RuleIndex, facts: Facts) -> bool:
    """Return whether some rule derives *t* in one step from *facts*."""
    for rule in (*index.heads_by_predicate.get(t[1], ()), *index.heads_anything):
        env = unify(rule.head, t, {})
        if env is None:
            continue
        for solution in solve(list(rule.body), env, facts):
            if not rule.distinct or _distinct(rule, solution):
                return True
    return False


def clashes(checks: Iterable[Check], facts: Facts,
            delta: Iterable[Triple] | None = None) -> Iterator[tuple[Check, Env]]:
    """Yield (check, solution) for each clash in *facts* (only those using *delta* if given)."""
    if delta is None:
        for check in checks:
            for solution in solve(list(check.body), {}, facts):
                if not check.distinct or _distinct(check, solution):
                    yield check, solution
        return
    index = RuleIndex([Rule(c.rule_id, c.body, ("?_", "?_", "?_")) for c in checks])
    by_rule = {id(r): c for r, c in zip(index.rules, checks, strict=True)}
    for t in delta:
        for rule, i in index.triggered(t):
            env = unify(rule.body[i], t, {})
            if env is None:
                continue
            check = by_rule[id(rule)]
            for solution in solve(list(rule.body[:i] + rule.body[i + 1:]), env, facts):
                if not check.distinct or _distinct(check, solution):
                    yield check, solution
