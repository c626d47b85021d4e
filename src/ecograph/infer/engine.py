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

from ecograph.infer.facts import Facts, MemoryFacts, Triple
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


Builder = Callable[[Triple], Triple | None]


def _builder(rule: Rule) -> Builder:
    """Compile a one-atom rule into a function from a matching triple to its head (or None)."""
    atom = rule.body[0]
    first: dict[str, int] = {}
    for i, term in enumerate(atom):
        if is_var(term):
            first.setdefault(term, i)
    sel = [first[term] if is_var(term) else term for term in rule.head]
    a, b, c = sel
    constants = [(i, term) for i, term in enumerate(atom) if not is_var(term) and i != 1]
    repeats = [(first[term], i) for i, term in enumerate(atom)
               if is_var(term) and first[term] != i]
    if isinstance(a, int) and isinstance(c, int) and not isinstance(b, int):
        def build(t: Triple) -> Triple:
            return (t[a], b, t[c])  # type: ignore[index]
    elif isinstance(a, int) and not isinstance(b, int) and not isinstance(c, int):
        def build(t: Triple) -> Triple:
            return (t[a], b, c)  # type: ignore[index,return-value]
    else:
        def build(t: Triple) -> Triple:
            return tuple(t[x] if isinstance(x, int) else x for x in sel)  # type: ignore[return-value]
    if not constants and not repeats and not rule.distinct:
        return build

    def guarded(t: Triple) -> Triple | None:
        if any(t[i] != term for i, term in constants) or any(t[i] != t[j] for i, j in repeats):
            return None
        head = build(t)
        env = {v: t[i] for v, i in first.items()}
        return head if _distinct(rule, env) else None

    return guarded


@dataclass
class RuleIndex:
    """Rules by the body atoms a new triple can match: by predicate, by class, or any.

    One-atom rules are compiled into builders (triple → head); the others are joined.
    """

    rules: list[Rule]
    by_predicate: dict[str, list[tuple[Rule, int]]] = field(default_factory=dict)
    by_class: dict[str, list[tuple[Rule, int]]] = field(default_factory=dict)
    anything: list[tuple[Rule, int]] = field(default_factory=list)
    fast_by_predicate: dict[str, list[Builder]] = field(default_factory=dict)
    fast_by_class: dict[str, list[Builder]] = field(default_factory=dict)
    heads_by_predicate: dict[str, list[Rule]] = field(default_factory=dict)
    heads_anything: list[Rule] = field(default_factory=list)
    #: One-atom typing rules for set-at-a-time runs: predicate → (position, class), class → class.
    typers_by_predicate: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    typers_by_class: dict[str, list[str]] = field(default_factory=dict)
    other_by_predicate: dict[str, list[Builder]] = field(default_factory=dict)
    other_by_class: dict[str, list[Builder]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._classify_fast()
        by_predicate: dict[str, list[tuple[Rule, int]]] = defaultdict(list)
        by_class: dict[str, list[tuple[Rule, int]]] = defaultdict(list)
        fast_p: dict[str, list[Builder]] = defaultdict(list)
        fast_c: dict[str, list[Builder]] = defaultdict(list)
        heads: dict[str, list[Rule]] = defaultdict(list)
        for rule in self.rules:
            if len(rule.body) == 1 and not is_var(rule.body[0][1]):
                _, p, o = rule.body[0]
                if p == TYPE and not is_var(o):
                    fast_c[o].append(_builder(rule))
                else:
                    fast_p[p].append(_builder(rule))
            else:
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
        self.fast_by_predicate = dict(fast_p)
        self.fast_by_class = dict(fast_c)
        self.heads_by_predicate = dict(heads)

    def _classify_fast(self) -> None:
        typers_p: dict[str, list[tuple[int, str]]] = defaultdict(list)
        typers_c: dict[str, list[str]] = defaultdict(list)
        other_p: dict[str, list[Builder]] = defaultdict(list)
        other_c: dict[str, list[Builder]] = defaultdict(list)
        for rule in self.rules:
            if len(rule.body) != 1 or is_var(rule.body[0][1]):
                continue
            (a, p, b), (x, hp, k) = rule.body[0], rule.head
            typing = (hp == TYPE and not is_var(k) and is_var(x) and is_var(a) and a != b
                      and not rule.distinct and x in (a, b))
            if p == TYPE and not is_var(b):
                if typing and x == a:
                    typers_c[b].append(k)
                else:
                    other_c[b].append(_builder(rule))
            elif typing and is_var(b):
                typers_p[p].append((0 if x == a else 2, k))
            else:
                other_p[p].append(_builder(rule))
        self.typers_by_predicate = dict(typers_p)
        self.typers_by_class = dict(typers_c)
        self.other_by_predicate = dict(other_p)
        self.other_by_class = dict(other_c)

    def read_predicates(self) -> set[str] | None:
        """Predicates whose facts the rules look up or derive (``None``: any may be)."""
        if self.anything or self.heads_anything:
            return None
        found = set(self.heads_by_predicate) | set(self.by_predicate)
        if self.by_class:
            found.add(TYPE)
        return found

    def triggered(self, t: Triple) -> list[tuple[Rule, int]]:
        """The (rule, body position) pairs of many-atom rules whose atom can match *t*."""
        found = self.by_predicate.get(t[1], [])
        if t[1] == TYPE:
            found = found + self.by_class.get(t[2], [])
        return found + self.anything if self.anything else found


def consequences(t: Triple, index: RuleIndex, facts: Facts) -> Iterator[Triple]:
    """Yield the heads of the rule instances that use *t* for one body atom."""
    for build in index.fast_by_predicate.get(t[1], ()):
        head = build(t)
        if head is not None:
            yield head
    if t[1] == TYPE:
        for build in index.fast_by_class.get(t[2], ()):
            head = build(t)
            if head is not None:
                yield head
    for rule, i in index.triggered(t):
        env = unify(rule.body[i], t, {})
        if env is None:
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


def saturate_memory(facts: MemoryFacts, delta: Iterable[Triple], index: RuleIndex,
                    ) -> tuple[list[Triple], int]:
    """:func:`saturate` for in-memory facts, typing rules applied set at a time."""
    derived: list[Triple] = []
    current = list(delta)
    rounds = 0
    add = facts.add
    while current:
        rounds += 1
        following: list[Triple] = []
        by_predicate: dict[str, list[Triple]] = defaultdict(list)
        for t in current:
            by_predicate[t[1]].append(t)
        instances = facts.op.setdefault(TYPE, {})
        for p, group in by_predicate.items():
            for position, cls in index.typers_by_predicate.get(p, ()):
                known = instances.get(cls, set())
                for x in {t[position] for t in group} - known:
                    add((x, TYPE, cls))
                    following.append((x, TYPE, cls))
            if p == TYPE:
                by_class: dict[str, set[str]] = defaultdict(set)
                for t in group:
                    by_class[t[2]].add(t[0])
                for c, members in by_class.items():
                    for cls in index.typers_by_class.get(c, ()):
                        for x in members - instances.get(cls, set()):
                            add((x, TYPE, cls))
                            following.append((x, TYPE, cls))
                    for build in index.other_by_class.get(c, ()):
                        for x in members:
                            head = build((x, TYPE, c))
                            if head is not None and add(head):
                                following.append(head)
            for build in index.other_by_predicate.get(p, ()):
                for t in group:
                    head = build(t)
                    if head is not None and add(head):
                        following.append(head)
            for t in group:
                for rule, i in index.triggered(t):
                    env = unify(rule.body[i], t, {})
                    if env is None:
                        continue
                    rest = list(rule.body[:i] + rule.body[i + 1:])
                    for solution in solve(rest, env, facts):
                        if not rule.distinct or _distinct(rule, solution):
                            head = _instantiate(rule.head, solution)
                            if add(head):
                                following.append(head)
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
    by_predicate: dict[str | None, list[tuple[Check, int]]] = defaultdict(list)
    for check in checks:
        for i, (_, p, _) in enumerate(check.body):
            by_predicate[None if is_var(p) else p].append((check, i))
    for t in delta:
        for check, i in (*by_predicate.get(t[1], ()), *by_predicate.get(None, ())):
            env = unify(check.body[i], t, {})
            if env is None:
                continue
            for solution in solve(list(check.body[:i] + check.body[i + 1:]), env, facts):
                if not check.distinct or _distinct(check, solution):
                    yield check, solution
