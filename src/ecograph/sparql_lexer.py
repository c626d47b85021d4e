"""One lexer for SPARQL text, for the few facts ecograph reads before a store parses it.

The endpoint and the remote backend need a handful of facts about a request without a full
parser: its form, whether it names its own dataset (``FROM``), the targets of ``SERVICE``
and ``LOAD``, where ``USING`` clauses go, and whether a query is cheap. They all read the
tokens given here, so a ``FROM`` inside a string, an IRI, a comment, a language tag
(``"x"@from``), a prefixed name (``from:x``) or a variable (``?from``) is never taken for
the keyword. The store still parses everything it runs and reports syntax errors itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<number>[+-]?(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>(?:[A-Za-z_\u00c0-\uffff]|:)
             (?:[A-Za-z0-9_\-.:\u00b7\u00c0-\uffff]|\\[_~.\-!$&'()*+,;=/?\#@%]|%[0-9A-Fa-f]{2})*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
    """,
    re.VERBOSE | re.DOTALL,
)

#: The four query forms.
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    """A lexical token: its kind, text, offset in the source and brace depth.

    Kinds: ``string``, ``iri``, ``var``, ``number``, ``lang``, ``word`` (keywords, prefixed
    names, ``a``, booleans, blank-node labels) and ``punct``.
    """

    kind: str
    text: str
    start: int
    depth: int

    @property
    def keyword(self) -> str:
        """The token upper-cased if it is a bare word, else an empty string."""
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> list[Token]:
    """Return the tokens of *text*, comments and white space left out.

    A prefixed name never ends with a dot, so a dot closing a triple is its own token.

    >>> [t.text for t in tokens('SELECT * { ?s <http://x> "}" } # done')]
    ['SELECT', '*', '{', '?s', '<http://x>', '"}"', '}']
    >>> [t.text for t in tokens('{ ?s ex:p 1.5, "a"@en . ?s ex:q ex:o. }')][3:]
    ['1.5', ',', '"a"', '@en', '.', '?s', 'ex:q', 'ex:o', '.', '}']
    """
    out: list[Token] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if kind == "word" and value.endswith(".") and value != ".":
            stripped = value.rstrip(".")
            out.append(Token(kind, stripped, match.start(), depth))
            out.extend(Token("punct", ".", match.start() + len(stripped) + i, depth)
                       for i in range(len(value) - len(stripped)))
            continue
        if value == "}":
            depth = max(depth - 1, 0)
        out.append(Token(kind, value, match.start(), depth))
        if value == "{":
            depth += 1
    return out


def query_form(text: str) -> str | None:
    """Return ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``, or ``None`` if unknown.

    >>> query_form("PREFIX s: <http://x/select#> construct WHERE { ?s ?p 'SELECT' }")
    'CONSTRUCT'
    """
    return next((t.keyword for t in tokens(text) if t.keyword in FORMS), None)


def declares_dataset(text: str) -> bool:
    """Whether a query has its own ``FROM`` / ``FROM NAMED`` clauses.

    >>> declares_dataset("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    True
    >>> declares_dataset("SELECT * WHERE { ?s ?p 'from', 'x'@from, from:x, ?from } # FROM")
    False
    """
    return "from" in text.lower() and any(t.keyword == "FROM" for t in tokens(text))
