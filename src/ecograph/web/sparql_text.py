"""Lexical inspection of SPARQL text: the query form, SERVICE and LOAD targets, USING clauses.

The endpoint needs a few facts about a request before the store parses it: which form
a query has, which remote endpoints it would call, and where the protocol's
``using-graph-uri`` parameters go in an update. A tokenizer that skips comments,
strings and IRIs answers these without a full parser; the store still parses
everything it runs and reports syntax errors itself.
"""

from __future__ import annotations

from ecograph.sparql_lexer import FORMS, Token, query_form, tokens

__all__ = ["FORMS", "Token", "add_using", "has_dataset_clause", "looks_like_update",
           "query_form", "remote_targets", "tokens"]


def looks_like_update(text: str) -> bool:
    """Return whether *text* starts (after its prologue) with an update keyword."""
    for token in tokens(text):
        if token.keyword in ("BASE", "PREFIX") or token.kind == "iri" or token.text.endswith(":"):
            continue
        return token.keyword in ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP",
                                 "COPY", "MOVE", "ADD", "WITH")
    return False


def remote_targets(text: str, keyword: str) -> list[str | None]:
    """Return the IRIs after each *keyword* (``SERVICE`` or ``LOAD``), ``SILENT`` skipped.

    A target given as a variable or a prefixed name is returned as ``None``: it cannot
    be checked before the query runs.

    >>> remote_targets("SELECT * { SERVICE SILENT <http://127.0.0.1/s> { ?s ?p ?o } }",
    ...                "SERVICE")
    ['http://127.0.0.1/s']
    """
    found: list[str | None] = []
    items = tokens(text)
    for i, token in enumerate(items):
        if token.keyword != keyword:
            continue
        j = i + 1
        if j < len(items) and items[j].keyword == "SILENT":
            j += 1
        target = items[j] if j < len(items) else None
        found.append(target.text[1:-1] if target is not None and target.kind == "iri" else None)
    return found


def has_dataset_clause(update: str) -> bool:
    """Return whether an update names its own dataset with ``USING`` or ``WITH``."""
    return any(t.keyword in ("USING", "WITH") for t in tokens(update))


def add_using(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """Return *update* with ``USING``/``USING NAMED`` clauses before each modify's ``WHERE``.

    This is how the protocol's ``using-graph-uri`` and ``using-named-graph-uri``
    parameters apply (SPARQL 1.1 Protocol §2.2.3).

    >>> add_using("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://g"], [])
    'DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }'
    """
    clause = "".join(f"USING <{g}> " for g in default_graphs)
    clause += "".join(f"USING NAMED <{g}> " for g in named_graphs)
    if not clause:
        return update
    items = tokens(update)
    cuts = [t.start for i, t in enumerate(items)
            if t.keyword == "WHERE" and t.depth == 0 and i > 0 and items[i - 1].text == "}"]
    out, last = [], 0
    for cut in cuts:
        out += [update[last:cut], clause]
        last = cut
    out.append(update[last:])
    return "".join(out)
