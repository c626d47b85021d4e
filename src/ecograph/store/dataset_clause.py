"""Whether a SPARQL query names its own dataset with ``FROM`` / ``FROM NAMED``.

ecograph's default graph is the union of the named graphs, but a query with a dataset
clause must be answered over the dataset it names (SPARQL 1.1 Query §13.2), and only a
protocol dataset (``default-graph-uri``/``named-graph-uri``) may replace that one
(SPARQL 1.1 Protocol §2.1.4). Oxigraph's union flag overrides a query's own clause, and
neither pyoxigraph nor the protocol tells whether a query has one, so the backends ask
:func:`declares_dataset` first.

The answer comes from a real parser: rdflib's SPARQL grammar, run over the query's head
only (prologue, query form, dataset clauses — never the ``WHERE`` body). On the named
queries a full rdflib parse costs 30–190 ms and the head alone 3–16 ms
(``bench/dataset_clause.py``), still too much for every query: a query without the word
``FROM`` anywhere (the keyword is a whole word, so this cannot miss one) is answered in
0.02–0.07 ms without parsing, and answers are cached by text. Should
rdflib's grammar not read a head Oxigraph accepts (newer syntax), the lexical scan of
:mod:`ecograph.store.sparql_text` decides.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from ecograph.store.sparql_text import declares_dataset as lexically_declares_dataset

#: The keyword as a whole word; its absence proves there is no dataset clause.
_FROM_WORD = re.compile(r"(?<![\w])from(?![\w])", re.IGNORECASE)


@cache
def _head_grammar() -> Any:
    """Prologue, query form and dataset clauses, then the start of what must follow."""
    from pyparsing import (
        FollowedBy,
        Group,
        OneOrMore,
        StringEnd,
        ZeroOrMore,
        rest_of_line,
    )
    from rdflib.plugins.sparql import parser as sparql

    keyword = sparql.Keyword  # rdflib's keywords are case-insensitive
    clauses = Group(ZeroOrMore(sparql.DatasetClause))("dataset")
    body = FollowedBy(keyword("WHERE") | "{")
    describe_rest = FollowedBy(keyword("WHERE") | "{" | keyword("ORDER") | keyword("GROUP")
                               | keyword("HAVING") | keyword("LIMIT") | keyword("OFFSET")
                               | keyword("VALUES") | StringEnd())
    head = sparql.Prologue + (
        sparql.SelectClause + clauses + body
        | keyword("CONSTRUCT") + (sparql.ConstructTemplate + clauses + body
                                  | clauses + keyword("WHERE"))
        | keyword("DESCRIBE") + (OneOrMore(sparql.VarOrIri) | "*") + clauses + describe_rest
        | keyword("ASK") + clauses + body)
    head.ignore("#" + rest_of_line)
    return head


def parsed_dataset_clauses(sparql: str) -> int | None:
    """The number of ``FROM``/``FROM NAMED`` clauses rdflib's grammar finds in the head of
    *sparql*, or ``None`` if it cannot read the head.

    >>> parsed_dataset_clauses("PREFIX from: <http://f/> SELECT ?from FROM from:g "
    ...                        "FROM NAMED <g2> WHERE { ?s ?p 'FROM' }")
    2
    """
    from pyparsing import ParseBaseException

    try:
        return len(_head_grammar().parse_string(sparql)["dataset"])
    except ParseBaseException:
        return None


@lru_cache(maxsize=512)
def declares_dataset(sparql: str) -> bool:
    """Whether the query has its own ``FROM`` / ``FROM NAMED`` clauses.

    >>> declares_dataset("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    True
    >>> declares_dataset('SELECT * WHERE { ?s ?p "x"@from } # FROM <http://g>')
    False
    """
    if not _FROM_WORD.search(sparql):
        return False
    found = parsed_dataset_clauses(sparql)
    if found is None:
        return lexically_declares_dataset(sparql)
    return found > 0
