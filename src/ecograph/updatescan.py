"""Which graphs a SPARQL Update can read or write, found by scanning its tokens (fast, any size).

Parsing a large ``INSERT DATA`` with a full SPARQL parser in Python takes seconds; the
change-set computation only needs the graphs involved. :func:`involved_graphs` reads
the update's tokens once — skipping strings, comments and the data itself — and
returns the graph IRIs it names and whether it may touch every graph (a graph
variable, ``ALL``/``NAMED``, or a ``WHERE`` pattern over the default graph without
``WITH``/``USING``). It errs on the side of "every graph".
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from rdflib import URIRef

from ecograph.errors import InputError

_TOKEN = re.compile(r"""
    (?P<ws>\s+) | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w\u00B7-\uFFFF%:.-]|\\.)*)
  | (?P<word>[A-Za-z_][\w-]*)
  | (?P<punct>\^\^|[{}();,.\[\]|/^*+?!=<>&-]|\S)
""", re.VERBOSE)

_GRAPH_AFTER = {"GRAPH", "WITH", "INTO"}
_TARGETS = {"CLEAR", "DROP", "CREATE"}
_COPIES = {"ADD", "MOVE", "COPY"}


def tokens(text: str) -> list[tuple[str, str]]:
    """The update's tokens as (kind, text), without whitespace and comments."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            found.append((kind, match.group()))
    return found


def involved_graphs(text: str) -> tuple[set[URIRef], bool, bool]:
    """Return (graph IRIs the update names, whether it may involve every graph, whether it
    may read or remove triples of the store's own default graph).

    Raises ``InputError`` for ``LOAD`` (ecograph never fetches data over the network).
    """
    toks = tokens(text)
    prefixes: dict[str, str] = {}
    base = ""
    graphs: set[URIRef] = set()
    everything = False
    default = False

    def resolve(kind: str, value: str) -> URIRef | None:
        if kind == "iri":
            return URIRef(urljoin(base, value[1:-1]) if base else value[1:-1])
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix in prefixes:
                return URIRef(prefixes[prefix] + local.replace("\\", ""))
        return None

    depth = 0
    graph_blocks = 0  # open braces that are GRAPH blocks
    blocks: list[bool] = []  # per open brace: is it a GRAPH block?
    has_dataset = False  # the operation has WITH or USING
    in_where = False
    expect = 0  # after GRAPH: 2 = the graph term comes next, 1 = then its "{"
    for i, (kind, value) in enumerate(toks):
        upper = value.upper() if kind == "word" else ""
        previous = toks[i - 1][1].upper() if i else ""
        if depth == 0 and previous == "PREFIX" and kind == "pname":
            prefixes[value.rstrip(":")] = toks[i + 1][1][1:-1] if i + 1 < len(toks) else ""
        if depth == 0 and previous == "BASE" and kind == "iri":
            base = value[1:-1]
            continue
        if upper == "LOAD" and depth == 0:
            raise InputError("LOAD is not supported: ecograph never fetches data over the "
                             "network; send the data in the request instead")
        if depth == 0 and value == ";":
            has_dataset, in_where = False, False
        if depth == 0 and upper in ("WITH", "USING"):
            has_dataset = True
        if depth == 0 and upper == "WHERE":
            in_where = True
        if upper in ("ALL", "NAMED") and previous in ("CLEAR", "DROP", "SILENT"):
            everything = True
        if upper in ("ALL", "DEFAULT"):
            default = True
        if upper in _GRAPH_AFTER | _TARGETS | _COPIES | {"TO", "USING", "NAMED"}:
            j = i + 1
            while j < len(toks) and toks[j][1].upper() in ("SILENT", "GRAPH", "NAMED"):
                j += 1
            if j < len(toks):
                target = resolve(*toks[j])
                if target is not None:
                    graphs.add(target)
                elif toks[j][0] == "var" and upper == "GRAPH":
                    everything = True
        if upper == "GRAPH":
            expect = 2
            continue
        if expect == 2 and kind in ("iri", "pname", "var"):
            expect = 1
            continue
        if value == "{" and kind == "punct":
            is_graph = expect == 1
            blocks.append(is_graph)
            graph_blocks += is_graph
            depth += 1
        elif value == "}" and kind == "punct":
            depth = max(depth - 1, 0)
            if blocks:
                graph_blocks -= blocks.pop()
        elif kind in ("iri", "pname", "var", "string") and depth > 0 and graph_blocks == 0:
            default = True
            if in_where and not has_dataset:
                everything = True
        expect = 0
    return graphs, everything, default
