"""Dumps and VoID: the dataset and each named graph as streamed files, and their description.

``/-/dumps/dataset.nq.gz`` and ``/-/dumps/dataset.trig.gz`` hold the whole dataset;
``/-/dumps/graph/NAME.nq.gz`` and ``.ttl.gz`` one named graph
(``https://w3id.org/ecograph/graph/NAME``); without ``.gz`` the same data comes
uncompressed. Dumps are streamed from the store through gzip chunk by chunk, in constant
memory. Each carries an ``ETag`` (the store's version and the server's start) and a
``Last-Modified`` (when this server first saw that version), and a conditional GET
(``If-None-Match`` / ``If-Modified-Since``) is answered ``304`` without reading the store.
``/-/void`` is the VoID + DCAT description, cached per store version.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zlib
from collections.abc import Iterator
from email.utils import formatdate, parsedate_to_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as Param
from fastapi.responses import Response, StreamingResponse
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from ecograph.formats import RdfSyntax, syntax_by_name
from ecograph.namespaces import GRAPH, VOID
from ecograph.void import Dump, describe_dataset
from ecograph.web import openapi as oa
from ecograph.web.errors import HTTPProblem
from ecograph.web.ld_answers import (
    GET,
    HTML,
    Linker,
    html_response,
    link_header,
    negotiate,
    ontology_of,
    rdf_response,
    split_suffix,
)
from ecograph.web.state import EndpointState, state_of

router = APIRouter(tags=["linked data"])
#: Dump file kinds: extension → (syntax name, for the whole dataset, for one graph).
DUMP_KINDS: dict[str, tuple[str, bool, bool]] = {
    ".nq": ("nquads", True, True),
    ".trig": ("trig", True, False),
    ".ttl": ("turtle", False, True),
}
_GZIP_LEVEL = 6
_seen: dict[tuple[str, int], float] = {}
_seen_lock = threading.Lock()
_void_cache: dict[tuple[str, int, str], Graph] = {}
_void_lock = threading.Lock()


def _first_seen(state: EndpointState) -> float:
    """When this server first saw the store's current version (the Last-Modified time)."""
    key = (state.cache.boot, state.pool.version)
    with _seen_lock:
        return _seen.setdefault(key, time.time())


def _validators(state: EndpointState, name: str) -> tuple[str, float]:
    digest = hashlib.blake2b(f"{state.cache.boot}\x00{state.pool.version}\x00{name}".encode(),
                             digest_size=10).hexdigest()
    return f'"{digest}"', int(_first_seen(state))


def not_modified(request: Request, etag: str, modified: float) -> bool:
    """Whether a conditional GET with *etag* / *modified* can be answered ``304``."""
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return parsedate_to_datetime(since).timestamp() >= int(modified)
        except (TypeError, ValueError):
            return False
    return False


def gzip_stream(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Compress *chunks* as one gzip member, yielding as it goes (constant memory)."""
    compressor = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, 31)
    for chunk in chunks:
        out = compressor.compress(chunk)
        if out:
            yield out
    yield compressor.flush()


def quads_of(chunks: Iterator[bytes], graph: URIRef) -> Iterator[bytes]:
    """Turn an N-Triples stream into N-Quads of *graph*, line by line."""
    suffix = f" <{graph}> .\n".encode()
    rest = b""
    for chunk in chunks:
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        out = [line.rstrip()[:-1].rstrip() + suffix for line in lines if line.strip()]
        if out:
            yield b"".join(out)
    if rest.strip():
        yield rest.rstrip()[:-1].rstrip() + suffix


def _parse_dump_name(name: str) -> tuple[str, str, RdfSyntax, bool]:
    """``dataset.nq.gz`` → (``dataset``, ``.nq``, N-Quads, gzip); 404 for unknown kinds."""
    gzip = name.endswith(".gz")
    stem = name[:-3] if gzip else name
    dot = stem.rfind(".")
    ext = stem[dot:] if dot > 0 else ""
    if ext not in DUMP_KINDS:
        raise HTTPProblem(404, f"no dump called {name!r}: dumps end in "
                               f"{', '.join(e + '[.gz]' for e in DUMP_KINDS)}")
    return stem[:dot], ext, syntax_by_name(DUMP_KINDS[ext][0]), gzip


def _dump_response(request: Request, state: EndpointState, name: str,
                   chunks: Any, syntax: RdfSyntax, gzip: bool) -> Response:
    etag, modified = _validators(state, name)
    headers = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True),
               "Cache-Control": "no-cache",
               "Content-Disposition": f'attachment; filename="{name}"'}
    if not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    media = "application/gzip" if gzip else syntax.media_type
    if request.method == "HEAD":
        return Response(status_code=200, media_type=media, headers=headers)
    stream = chunks()
    return StreamingResponse(gzip_stream(stream) if gzip else stream, media_type=media,
                             headers=headers)


# --- what the OpenAPI document says about these routes -------------------------------------

_VALIDATORS = {"ETag": "The store's version", "Last-Modified": "When this server first saw it"}
_CONDITIONAL = {"parameters": [
    oa.IF_NONE_MATCH,
    oa.header_parameter("If-Modified-Since", "An HTTP date: 304 when nothing changed since")]}
_NOT_MODIFIED = {304: oa.answer("Not modified since", headers=_VALIDATORS)}


def _dump(*media_types: str) -> dict[int | str, dict[str, Any]]:
    return oa.answers({200: oa.answer("The dump, streamed (gzip with .gz)", media_types,
                                      {**_VALIDATORS, "Content-Disposition": "Its file name"}),
                       **_NOT_MODIFIED}, 404)


@router.api_route("/-/dumps/dataset.{ext:path}", methods=GET, summary="The whole dataset",
                  responses=_dump("application/gzip", "application/n-quads",
                                  "application/trig"), openapi_extra=_CONDITIONAL)
def dataset_dump(ext: Annotated[str, Param(examples=["nq.gz", "trig"])],
                 request: Request) -> Response:
    """The whole dataset as N-Quads or TriG, gzipped with ``.gz``."""
    stem, kind, syntax, gzip = _parse_dump_name("dataset." + ext)
    if stem != "dataset" or not DUMP_KINDS[kind][1]:
        raise HTTPProblem(404, f"the whole dataset is dumped as N-Quads or TriG, not {ext}")
    state = state_of(request)
    return _dump_response(request, state, f"dataset.{ext}",
                          lambda: state.store.export(syntax), syntax, gzip)


@router.api_route("/-/dumps/graph/{name}", methods=GET, summary="One named graph",
                  responses=_dump("application/gzip", "application/n-quads", "text/turtle"),
                  openapi_extra=_CONDITIONAL)
def graph_dump(name: Annotated[str, Param(examples=["imago-mol-article.nq.gz", "ontology.ttl"])],
               request: Request) -> Response:
    """One named graph (``graph:NAME``) as N-Quads or Turtle, gzipped with ``.gz``."""
    stem, kind, syntax, gzip = _parse_dump_name(name)
    state = state_of(request)
    graph = URIRef(GRAPH[stem])
    if not state.store.has_graph(graph):
        raise HTTPProblem(404, f"no graph <{graph}> in the store", graph=str(graph))
    if syntax.name == "nquads":
        def chunks() -> Iterator[bytes]:
            return quads_of(state.store.export(syntax_by_name("ntriples"), graph), graph)
    elif DUMP_KINDS[kind][2]:
        def chunks() -> Iterator[bytes]:
            return state.store.export(syntax, graph)
    else:
        raise HTTPProblem(404, "a graph is dumped as N-Quads (.nq) or Turtle (.ttl)")
    return _dump_response(request, state, name, chunks, syntax, gzip)


def dumps_of(state: EndpointState, root: str) -> list[Dump]:
    """The dumps offered: the dataset as N-Quads and TriG, each ecograph graph as N-Quads."""
    base = f"{root}/-/dumps"
    dumps = [Dump(f"{base}/dataset.nq.gz", "application/n-quads", None,
                  title="The whole dataset as gzipped N-Quads"),
             Dump(f"{base}/dataset.trig.gz", "application/trig", None,
                  title="The whole dataset as gzipped TriG")]
    for graph in state.store.graphs():
        if str(graph).startswith(str(GRAPH)):
            name = str(graph)[len(str(GRAPH)):]
            dumps.append(Dump(f"{base}/graph/{name}.nq.gz", "application/n-quads", graph,
                              title=f"The graph {name} as gzipped N-Quads"))
            dumps.append(Dump(f"{base}/graph/{name}.ttl.gz", "text/turtle", graph,
                              title=f"The graph {name} as gzipped Turtle"))
    return dumps


def void_graph(request: Request) -> Graph:
    """The VoID description for this server, computed once per store version."""
    state = state_of(request)
    linker = Linker(request, state.settings)
    key = (state.cache.boot, state.pool.version, linker.root)
    with _void_lock:
        cached = _void_cache.get(key)
    if cached is None:
        cached = describe_dataset(
            state.store, dataset=URIRef(linker.urls.void() + "#dataset"),
            sparql_endpoint=linker.urls.sparql(), uri_space=state.settings.base_iri + "id/",
            dumps=dumps_of(state, linker.root), title="ecograph knowledge graph",
            lookup_formats=("Turtle", "JSON-LD", "N-Triples", "RDF_XML", "TriG", "N-Quads"))
        with _void_lock:
            _void_cache.clear()
            _void_cache[key] = cached
    return cached


@router.api_route("/-/void{suffix:path}", methods=GET, summary="VoID and DCAT description",
                  responses=oa.answers({200: oa.answer(
                      "VoID, negotiated or by suffix (.ttl, .jsonld, …; none: /-/void)",
                      oa.LINKED_DATA, {**_VALIDATORS, "Link": "The other formats"}),
                      **_NOT_MODIFIED}, 404, 406), openapi_extra=_CONDITIONAL)
def void(suffix: Annotated[str, Param(examples=[".ttl", ".jsonld", ".html"])],
         request: Request) -> Response:
    """VoID of the dataset and each graph (Turtle, JSON-LD, … or an HTML summary)."""
    _, rep = split_suffix("void" + suffix)
    if suffix and rep is None:
        raise HTTPProblem(404, f"nothing at /-/void{suffix}; try /-/void.ttl or /-/void.jsonld")
    state = state_of(request)
    chosen = rep or negotiate(request)
    headers = {"Vary": "Accept"} if rep is None else {}
    etag, modified = _validators(state, "void" + chosen.suffix)
    headers |= {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
    if not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    linker = Linker(request, state.settings)
    void_data = void_graph(request)
    alternates = linker.alternates(linker.urls.void())
    headers["Link"] = link_header(alternates)
    if chosen.media_type != HTML:
        context = ontology_of(state.settings).context()
        return rdf_response(void_data, chosen, context, headers=headers)
    return html_response("void.html", headers=headers, **linker.page(
        "The ecograph dataset", alternates, rows=_void_rows(void_data, state, linker.root),
        sparql_endpoint=linker.urls.sparql()))


def _void_rows(void_data: Graph, state: EndpointState, root: str) -> list[dict[str, Any]]:
    dataset = URIRef(f"{root}/-/void#dataset")
    dumps = dumps_of(state, root)
    rows = []
    for node in [dataset, *sorted(void_data.objects(dataset, VOID.subset))]:
        def number(prop: URIRef, node: URIRef = node) -> int:
            value = void_data.value(node, prop)
            return int(value) if value is not None else 0

        licence = void_data.value(node, DCTERMS.license)
        rows.append({
            "name": "Whole dataset" if node == dataset else str(node).rsplit("/", 1)[-1],
            "triples": number(VOID.triples), "entities": number(VOID.entities),
            "classes": number(VOID.classes), "properties": number(VOID.properties),
            "licence": str(licence) if licence is not None else "",
            "dumps": [{"url": d.url, "media_type": d.media_type,
                       "title": d.url.rsplit("/", 1)[-1]} for d in dumps
                      if d.graph == (None if node == dataset else node)]})
    return rows

