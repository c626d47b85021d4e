"""Which queries are cheap: a conservative static look at a query's text.

The query pool keeps a small *fast lane* of workers for cheap queries, so they keep their
normal latency while runaway queries occupy the general workers. :func:`classify` decides
from the text alone, without running anything, and errs on the side of "not cheap": a
cheap-classified query that still runs long is stopped in the lane at the lane limit and
run again on the general workers (see :mod:`ecograph.web.pool`), so a wrong guess costs
at most the lane limit, never a wrong answer.

A query is cheap when it is a ``DESCRIBE`` of constant IRIs, or when its ``WHERE`` clause

- has no subquery, no ``SERVICE`` and no ``*`` or ``+`` property path;
- has only triple patterns anchored in a constant: a pattern is anchored when its subject
  or object is an IRI or a literal, or is a variable of an anchored pattern;
- joins its patterns into one connected whole (no Cartesian product of two parts);

or when it is an ``ASK`` (or a ``LIMIT``-ed query without ``ORDER BY``, ``GROUP BY``,
``DISTINCT`` or aggregates) of a single triple pattern and nothing else, which stops at
its first answers. Blank node property lists and collections make a query "not cheap".
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import lru_cache

from ecograph.sparql_lexer import FORMS, Token, tokens

_CONSTANT_KINDS = frozenset({"string", "iri", "number"})
_GROUP_KEYWORDS = frozenset({"OPTIONAL", "MINUS", "UNION", "GRAPH", "FILTER", "BIND",
                             "VALUES", "SERVICE", "EXISTS", "NOT"})
_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})


@dataclass(frozen=True)
class Verdict:
    """Whether a query is cheap, and why (for logs and tests)."""

    cheap: bool
    reason: str


class _NotCheap(Exception):
    pass


def lex(text: str) -> list[Token]:
    """The tokens of *text* (comments and white space left out), numbers and tags whole.

    >>> [t.text for t in lex('SELECT * { ?s ex:p 1.5, "a"@en . } # done')]
    ['SELECT', '*', '{', '?s', 'ex:p', '1.5', ',', '"a"', '@en', '.', '}']
    """
    # a blank node in a pattern matches like a variable
    return [Token("var", t.text, t.start, t.depth) if t.kind == "word"
            and t.text.startswith("_:") else t for t in tokens(text)]


class _Reader:
    """A cursor over the tokens collecting (subject, object, other variables) per pattern."""

    def __init__(self, items: list[Token]) -> None:
        self.items = items
        self.i = 0
        self.patterns: list[tuple[Token, Token, tuple[str, ...]]] = []
        #: positions of the constants in subject or object position
        self.constants: set[int] = set()

    def peek(self, ahead: int = 0) -> Token:
        j = self.i + ahead
        return self.items[j] if j < len(self.items) else Token("end", "", -1, 0)

    def take(self) -> Token:
        token = self.peek()
        self.i += 1
        return token

    def expect(self, text: str) -> None:
        if self.take().text != text:
            raise _NotCheap(f"expected {text!r}")

    def skip_balanced(self, opening: str, closing: str) -> None:
        """Skip from *opening* to its partner; groups inside (EXISTS) are read as groups."""
        self.expect(opening)
        depth = 1
        while depth:
            token = self.peek()
            if token.kind == "end":
                raise _NotCheap("unbalanced brackets")
            if token.text == "{" and opening != "{":
                self.group()
                continue
            self.take()
            if token.text == opening:
                depth += 1
            elif token.text == closing:
                depth -= 1

    def group(self) -> None:
        """Read a group graph pattern ``{ … }``."""
        self.expect("{")
        if self.peek().keyword == "SELECT":
            raise _NotCheap("a subquery")
        while True:
            token = self.peek()
            keyword = token.keyword
            if token.kind == "end":
                raise _NotCheap("unbalanced brackets")
            if token.text == "}":
                self.take()
                return
            if token.text == "{":
                self.group()
            elif token.text == ".":
                self.take()
            elif keyword == "SERVICE":
                raise _NotCheap("a SERVICE call")
            elif keyword in ("OPTIONAL", "MINUS", "UNION"):
                self.take()
            elif keyword == "GRAPH":
                self.take()
                self.take()
            elif keyword in ("FILTER", "BIND"):
                self.take()
                self.expression()
            elif keyword == "VALUES":
                self.take()
                if self.peek().text == "(":
                    self.skip_balanced("(", ")")
                else:
                    self.take()
                self.skip_balanced("{", "}")
            else:
                self.triples()

    def expression(self) -> None:
        """Skip a constraint: ``(…)``, a call ``f(…)``, or ``[NOT] EXISTS { … }``."""
        if self.peek().keyword == "NOT":
            self.take()
        if self.peek().keyword == "EXISTS":
            self.take()
            self.group()
            return
        if self.peek().text != "(":
            self.take()  # a function name, then its arguments
        self.skip_balanced("(", ")")

    def term(self, where: str) -> Token:
        token = self.take()
        if token.kind != "var":
            self.constants.add(self.i - 1)
        if token.text in ("[", "("):
            raise _NotCheap(f"a blank node list or collection as {where}")
        if token.kind == "string":
            if self.peek().kind == "lang":
                self.take()
            elif self.peek().text == "^^":
                self.take()
                self.take()
            return token
        if token.kind in ("var", "iri", "number") or token.keyword in ("TRUE", "FALSE") \
                or (token.kind == "word" and token.keyword not in _GROUP_KEYWORDS):
            return token
        raise _NotCheap(f"unexpected {token.text!r} as {where}")

    def path(self) -> tuple[str, ...]:
        """Read a verb: a variable or a property path; ``*`` and ``+`` are not cheap."""
        if self.peek().kind == "var":
            return (self.take().text,)
        while True:
            while self.peek().text in ("^", "!"):
                self.take()
            token = self.peek()
            if token.text == "(":
                self.take()
                self.path()
                self.expect(")")
            elif token.kind in ("iri", "word"):
                self.take()
            else:
                raise _NotCheap(f"unexpected {token.text!r} as a predicate")
            modifier = self.peek()
            if modifier.kind == "punct" and modifier.text in ("*", "+"):
                raise _NotCheap(f"a property path with {modifier.text}")
            if modifier.kind == "punct" and modifier.text == "?":
                self.take()
            if self.peek().text in ("/", "|"):
                self.take()
                continue
            return ()

    def triples(self) -> None:
        """Read the triples of one subject (``;`` and ``,`` abbreviations included)."""
        subject = self.term("a subject")
        while True:
            verb = self.path()
            while True:
                obj = self.term("an object")
                self.patterns.append((subject, obj, verb))
                if self.peek().text != ",":
                    break
                self.take()
            if self.peek().text != ";":
                return
            while self.peek().text == ";":
                self.take()
            if self.peek().text in (".", "}") or self.peek().kind == "end":
                return


def _constant(token: Token) -> bool:
    return token.kind != "var"


def anchored(patterns: list[tuple[Token, Token, tuple[str, ...]]]) -> str | None:
    """Why *patterns* are not all anchored and joined into one, or ``None`` if they are."""
    bound: set[str] = set()
    pending = list(patterns)
    progress = True
    while pending and progress:
        progress = False
        for pattern in list(pending):
            subject, obj, _ = pattern
            if _constant(subject) or _constant(obj) or subject.text in bound \
                    or obj.text in bound:
                bound.update(t.text for t in (subject, obj) if not _constant(t))
                pending.remove(pattern)
                progress = True
    if pending:
        return "a triple pattern not anchored in a constant"
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for subject, obj, verb in patterns:
        names = [t.text for t in (subject, obj) if not _constant(t)] + list(verb)
        for name in names[1:]:
            parent[find(name)] = find(names[0])
        for name in names[:1]:
            find(name)
    if len({find(name) for name in parent}) > 1:
        return "patterns in two unjoined parts (a Cartesian product)"
    return None


def _lazy(items: list[Token], form: str) -> bool:
    """Whether the query stops at its first answers: ASK, or LIMIT with nothing to sort."""
    if form == "ASK":
        return True
    words = {t.keyword for t in items}
    return "LIMIT" in words and not words & ({"ORDER", "GROUP", "DISTINCT", "REDUCED"}
                                             | _AGGREGATES)


def _classify(reader: _Reader) -> Verdict:
    items = reader.items
    while reader.peek().keyword in ("PREFIX", "BASE"):
        keyword = reader.take().keyword
        if keyword == "PREFIX":
            reader.take()
        reader.take()
    form = reader.take().keyword
    if form not in FORMS:
        return Verdict(False, "not a query")
    if form == "DESCRIBE":
        described = []
        while reader.peek().kind not in ("end",) and reader.peek().keyword != "WHERE" \
                and reader.peek().text != "{":
            described.append(reader.take())
        if reader.peek().kind == "end" and described and all(
                t.kind == "iri" or (t.kind == "word" and ":" in t.text) for t in described):
            return Verdict(True, "DESCRIBE of constant IRIs")
    elif form == "CONSTRUCT" and reader.peek().text == "{":
        reader.skip_balanced("{", "}")
    while reader.peek().text != "{":
        if reader.peek().kind == "end":
            return Verdict(False, "no WHERE clause found")
        reader.take()
    reader.group()
    if any(t.keyword == "SERVICE" for t in items[reader.i:]):
        return Verdict(False, "a SERVICE call")
    patterns = reader.patterns
    single = len(patterns) <= 1 and not any(
        t.keyword in ("FILTER", "BIND", "OPTIONAL", "MINUS", "UNION", "VALUES") for t in items)
    if single and _lazy(items, form):
        return Verdict(True, "one triple pattern, stops at its first answers")
    why = anchored(patterns)
    if why is not None:
        return Verdict(False, why)
    return Verdict(True, "every triple pattern anchored in a constant, joined into one")


@lru_cache(maxsize=4096)
def classify(text: str) -> Verdict:
    """Whether the query *text* is cheap enough for the fast lane, and why.

    >>> classify("SELECT ?t WHERE { ?p <http://x/member> <http://x/a> ; <http://x/t> ?t }")
    Verdict(cheap=True, reason='every triple pattern anchored in a constant, joined into one')
    >>> classify("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }").cheap
    False
    """
    try:
        return _classify(_Reader(lex(text)))
    except _NotCheap as exc:
        return Verdict(False, str(exc))


def is_cheap(text: str) -> bool:
    """Whether the query *text* is cheap enough for the fast lane (see :func:`classify`)."""
    return classify(text).cheap


@lru_cache(maxsize=4096)
def shape(text: str) -> str:
    """The query with its constants (subjects, objects, literals) left out.

    Queries of one shape cost alike: the pool remembers the shapes that overran the fast
    lane and keeps them out of it.

    >>> shape('SELECT ?t { <http://x/a> <http://x/t> ?t FILTER(?t = "b") }')
    'SELECT ?t { _ <http://x/t> ?t FILTER ( ?t = _ ) }'
    """
    reader = _Reader(lex(text))
    with contextlib.suppress(_NotCheap):
        _classify(reader)
    return " ".join("_" if i in reader.constants or t.kind in ("string", "number", "lang")
                    else t.text for i, t in enumerate(reader.items))
