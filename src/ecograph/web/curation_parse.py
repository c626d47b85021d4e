"""Reading curation requests: RDF bodies, multipart ``data``/``shapes`` fields, change sets."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from starlette.datastructures import UploadFile
from starlette.requests import Request

from ecograph.changes import check_graph, dataset_quads
from ecograph.errors import InputError
from ecograph.formats import RdfSyntax, syntax_by_name, syntax_for_media_type, syntax_for_path
from ecograph.load import parse_bytes
from ecograph.web.errors import HTTPProblem


def _syntax_of(content_type: str | None, filename: str | None, hint: str | None) -> RdfSyntax:
    if hint:
        return syntax_by_name(hint)
    bare = (content_type or "").split(";")[0].strip().lower()
    if bare and bare not in ("application/octet-stream", "text/plain"):
        return syntax_for_media_type(bare)
    if filename and Path(filename).suffix:
        return syntax_for_path(Path(filename))
    if bare == "text/plain":
        return syntax_for_media_type(bare)
    return syntax_by_name("turtle")


async def read_rdf(request: Request) -> tuple[Graph, Graph | None]:
    """The data graph and the optional shapes graph of a ``POST /validate``.

    A multipart body has a ``data`` field and optionally ``shapes`` (files with their
    Content-Type or name, or text fields — Turtle unless ``data-format``/``shapes-format``
    name another syntax); any other body is the data itself, in its Content-Type.
    """
    content_type = request.headers.get("content-type", "")
    base = str(request.url).split("?")[0]
    if content_type.lower().startswith("multipart/form-data"):
        async with request.form() as form:
            fields = {k: v for k, v in form.multi_items()}
            unknown = sorted(set(fields) - {"data", "shapes", "data-format", "shapes-format"})
            if unknown:
                raise InputError(f"unknown multipart field(s): {', '.join(unknown)}; give "
                                 "data and optionally shapes")
            if "data" not in fields:
                raise InputError("the multipart body needs a 'data' field with the RDF to "
                                 "validate")
            graphs: dict[str, Graph] = {}
            for name in ("data", "shapes"):
                if name not in fields:
                    continue
                part = fields[name]
                hint = fields.get(f"{name}-format")
                hint_text = hint if isinstance(hint, str) and hint else None
                if isinstance(part, UploadFile):
                    raw = await part.read()
                    syntax = _syntax_of(part.content_type, part.filename, hint_text)
                else:
                    raw = str(part).encode("utf-8")
                    syntax = _syntax_of(None, None, hint_text)
                graphs[name] = parse_bytes(raw, syntax, f"the {name} field", base_iri=base)
            return graphs["data"], graphs.get("shapes")
    if not content_type:
        raise HTTPProblem(415, "send RDF with its Content-Type, or multipart fields data "
                               "and shapes")
    syntax = syntax_for_media_type(content_type)
    body = await request.body()
    if not body.strip():
        raise InputError("the body is empty: send the RDF to validate")
    return parse_bytes(body, syntax, "the body", base_iri=base), None


__all__ = ["check_graph", "dataset_quads", "read_rdf"]
