"""Writing query results: SPARQL JSON, XML, CSV and TSV, and a readable table."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ecograph.store.base import AskResult, SelectResult
from ecograph.validate import compact

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def to_json(result: SelectResult | AskResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if isinstance(result, AskResult):
        return json.dumps({"head": {}, "boolean": result.value})
    bindings = [
        {name: _json_term(term) for name, term in zip(result.variables, row, strict=True)
         if term is not None}
        for row in result.rows
    ]
    doc: dict[str, Any] = {"head": {"vars": result.variables},
                           "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False)


def to_xml(result: SelectResult | AskResult) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if isinstance(result, AskResult):
        out += ["<head/>", f"<boolean>{str(result.value).lower()}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>"
                                  for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        out.append("<result>")
        for name, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                inner = f"<uri>{escape(str(term))}</uri>"
            elif isinstance(term, BNode):
                inner = f"<bnode>{escape(str(term))}</bnode>"
            else:
                assert isinstance(term, Literal)
                attr = (f" xml:lang={quoteattr(term.language)}" if term.language else
                        f" datatype={quoteattr(str(term.datatype))}" if term.datatype else "")
                inner = f"<literal{attr}>{escape(str(term))}</literal>"
            out.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: SelectResult | AskResult) -> str:
    """SPARQL 1.1 Query Results CSV (lexical values, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if isinstance(result, AskResult):
        writer.writerow(["_askResult"])
        writer.writerow([str(result.value).lower()])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue()


def _tsv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return term.n3()


def to_tsv(result: SelectResult | AskResult) -> str:
    """SPARQL 1.1 Query Results TSV (terms in Turtle syntax)."""
    if isinstance(result, AskResult):
        return f"?_askResult\n{str(result.value).lower()}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_table(result: SelectResult | AskResult) -> str:
    """A plain-text table with compact names, for terminals."""
    if isinstance(result, AskResult):
        return f"{str(result.value).lower()}\n"
    cells = [[compact(t) if t is not None else "" for t in row] for row in result.rows]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, min(len(c), 60)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        return "  ".join((v if len(v) <= 60 else v[:59] + "…").ljust(w)
                         for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    out.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(out) + "\n"


WRITERS = {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml}


def render(result: SelectResult | AskResult, fmt: str) -> str:
    """Render *result* in *fmt* (one of :data:`RESULT_FORMATS`)."""
    try:
        return WRITERS[fmt](result)
    except KeyError:
        raise ValueError(f"unknown result format {fmt!r}; use one of {RESULT_FORMATS}") from None
