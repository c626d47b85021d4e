"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol.

``?graph=IRI`` names a graph indirectly, ``?default`` the store's own default graph
(queries see it within the union default graph); ``/store/{key}`` names directly the
graphs that ``POST /store`` creates. Statuses follow the protocol: ``201`` when a PUT or
POST creates a graph (a new graph's IRI in ``Location``), ``204`` when it changes an
existing one, ``404`` for a graph that is not there, ``400`` for a payload that does not
parse, ``415`` for a media type that is not RDF. Writes need the bearer token.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import URIRef

from ecograph.errors import UnknownGraphError
from ecograph.formats import syntax_for_media_type
from ecograph.web import openapi as oa
from ecograph.web.answers import labelled, offered_error
from ecograph.web.auth import require_writer
from ecograph.web.errors import HTTPProblem
from ecograph.web.negotiation import RDF_OFFERS, canonical, choose
from ecograph.web.protocol import url_params
from ecograph.web.scopes import graph_store_scope
from ecograph.web.state import EndpointState, state_of
from ecograph.web.urls import Urls
from ecograph.web.writes import GraphChange, GraphDrop, apply_change

router = APIRouter(tags=["SPARQL 1.1 Graph Store HTTP Protocol"])
_IRI_FORBIDDEN = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}


def _target(request: Request, *, creating: bool = False) -> tuple[str | None, bool]:
    """Return (graph IRI or None for the default graph, whether one was named)."""
    params: dict[str, list[str]] = {}
    for name, value in url_params(request):
        params.setdefault(name, []).append(value)
    unknown = sorted(set(params) - {"graph", "default"})
    if unknown:
        raise HTTPProblem(400, f"unknown parameter(s): {', '.join(unknown)}; the graph store "
                               "takes graph=IRI or default", type_="BadParameter")
    if "graph" in params and "default" in params:
        raise HTTPProblem(400, "give either graph=IRI or default, not both",
                          type_="BadParameter")
    if "default" in params:
        return None, True
    if "graph" not in params:
        if creating:
            return None, False
        raise HTTPProblem(400, "name the graph: ?graph=IRI, or ?default for the default graph",
                          type_="BadParameter")
    if len(params["graph"]) > 1:
        raise HTTPProblem(400, "give one graph=IRI per request", type_="BadParameter")
    iri = params["graph"][0].strip()
    scheme = iri.split(":", 1)[0]
    if (":" not in iri or not scheme[:1].isalpha() or any(c in _IRI_FORBIDDEN for c in iri)
            or not _is_iri(iri)):
        raise HTTPProblem(400, f"graph {iri!r} is not an absolute IRI", type_="BadParameter")
    return iri, True


def _is_iri(text: str) -> bool:
    """Whether the store takes *text* as an IRI (RFC 3987: no controls, no noncharacters)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _triples(body: bytes, content_type: str | None, base_iri: str) -> list[ox.Triple]:
    """Parse a payload into triples of one graph (quads in named graphs are refused)."""
    if not content_type:
        raise HTTPProblem(415, "the payload needs a Content-Type: one of "
                               f"{', '.join(RDF_OFFERS)}")
    syntax = syntax_for_media_type(content_type)
    try:
        quads = list(ox.parse(body, format=syntax.oxigraph, base_iri=base_iri))
    except SyntaxError as exc:
        raise HTTPProblem(400, f"the {syntax.name} payload does not parse: {exc}",
                          type_="ParseError") from None
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise HTTPProblem(400, "the payload holds quads in named graphs; the graph store "
                               "writes one graph per request", type_="ParseError")
    return [q.triple for q in quads]


async def _payload(request: Request, base_iri: str) -> list[ox.Triple]:
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        triples: list[ox.Triple] = []
        async with request.form() as form:
            for _, part in form.multi_items():
                if isinstance(part, str):
                    raise HTTPProblem(400, "each part of a multipart POST must be an RDF "
                                           "file with its Content-Type", type_="ParseError")
                data = await part.read()
                part_type = part.content_type
                if not part_type or part_type == "application/octet-stream":
                    part_type = None
                triples += _triples(data, part_type, base_iri)
        return triples
    return _triples(await request.body(), content_type or None, base_iri)


def _exists(state: EndpointState, iri: str | None) -> bool:
    return iri is None or state.store.has_graph(URIRef(iri))


async def _get(request: Request, iri: str | None) -> Response:
    state = state_of(request)
    wanted = choose(request.headers.get("accept"), RDF_OFFERS)
    if wanted is None:
        raise offered_error(RDF_OFFERS, "a graph")
    if iri is not None and not state.store.has_graph(URIRef(iri)):
        raise UnknownGraphError(iri)
    body = await state.pool.graph(iri, canonical(wanted), state.settings.query_timeout)
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, media_type=labelled(wanted), headers=headers)
    return Response(body, media_type=labelled(wanted), headers=headers)


async def _put(request: Request, iri: str | None) -> Response:
    state = state_of(request)
    require_writer(request, state.settings, graph_store_scope("PUT", iri))
    triples = await _payload(request, iri or Urls.of(request).store())
    existed = _exists(state, iri)
    await apply_change(state.pool, GraphChange(iri, triples, replace=True))
    return Response(status_code=204 if existed else 201)


async def _post(request: Request, iri: str | None, named: bool) -> Response:
    state = state_of(request)
    require_writer(request, state.settings, graph_store_scope("POST", iri))
    headers = {}
    if not named:
        iri = Urls.of(request).new_graph(uuid.uuid4().hex)
        headers["Location"] = iri
    triples = await _payload(request, iri or Urls.of(request).store())
    existed = _exists(state, iri) if named else False
    await apply_change(state.pool, GraphChange(iri, triples, replace=False))
    return Response(status_code=204 if existed else 201, headers=headers)


async def _delete(request: Request, iri: str | None) -> Response:
    state = state_of(request)
    require_writer(request, state.settings, graph_store_scope("DELETE", iri))
    if not _exists(state, iri):
        raise UnknownGraphError(str(iri))
    await apply_change(state.pool, GraphDrop(iri))
    return Response(status_code=204)


# --- what the OpenAPI document says about /store ------------------------------------------

_TURTLE = "<urn:ecograph:example> <http://www.w3.org/2000/01/rdf-schema#label> \"example\" ."
_PARAMETERS = [oa.query_parameter("graph", "The graph's IRI (indirect naming)",
                                  example="https://w3id.org/ecograph/graph/example"),
               oa.query_parameter("default", "The default graph (give it without a value)",
                                  allowEmptyValue=True)]
_RDF_BODY = {m: {**oa.TEXT, "example": _TURTLE} if m == "text/turtle" else oa.TEXT
             for m in RDF_OFFERS}
_MULTIPART = {"type": "object", "additionalProperties": {"type": "string",
                                                         "format": "binary"}}
_GRAPH = {200: oa.answer("The graph, negotiated", RDF_OFFERS)}
_WRITTEN = {201: oa.answer("A new graph was created", headers={
                "Location": "The new graph's IRI (POST without a graph)"}),
            204: oa.answer("The graph was changed")}
#: After a write to ``?graph=IRI``: read the graph back, or drop it.
_FOLLOW = {"GetGraph": {"operationId": "store_get_store_get",
                        "parameters": {"graph": "$request.query.graph"}},
           "DropGraph": {"operationId": "store_delete_store_delete",
                         "parameters": {"graph": "$request.query.graph"}}}
_WRITTEN_HERE = {status: {**declared, "links": _FOLLOW} for status, declared in _WRITTEN.items()}
_WRITES = (400, 401, 403, 413, 415)


def _writing(media_types: dict[str, oa.JsonSchema], parameters: list) -> dict:
    return {"parameters": parameters, "security": oa.BEARER, **oa.body(media_types)}


@router.get("/store", summary="Get a graph (?graph=IRI or ?default)",
            responses=oa.answers(_GRAPH, 400, 404, 406, 503),
            openapi_extra={"parameters": _PARAMETERS})
async def store_get(request: Request) -> Response:
    return await _get(request, _target(request)[0])


@router.head("/store", include_in_schema=False)
async def store_head(request: Request) -> Response:
    return await _get(request, _target(request)[0])


@router.put("/store", summary="Replace a graph (201 created, 204 replaced)",
            responses=oa.answers(_WRITTEN_HERE, *_WRITES),
            openapi_extra=_writing(_RDF_BODY, _PARAMETERS))
async def store_put(request: Request) -> Response:
    return await _put(request, _target(request)[0])


@router.post("/store", summary="Add to a graph; with no graph named, create one (201)",
             responses=oa.answers(_WRITTEN, *_WRITES),
             openapi_extra=_writing({**_RDF_BODY, "multipart/form-data": _MULTIPART},
                                    _PARAMETERS))
async def store_post(request: Request) -> Response:
    iri, named = _target(request, creating=True)
    return await _post(request, iri, named)


@router.delete("/store", summary="Drop a graph (204, or 404 if it is not there)",
               responses=oa.answers({204: oa.answer("The graph was dropped")},
                                    400, 401, 403, 404),
               openapi_extra={"parameters": _PARAMETERS, "security": oa.BEARER})
async def store_delete(request: Request) -> Response:
    return await _delete(request, _target(request)[0])


def _direct(request: Request, key: str) -> str:
    if request.url.query:
        raise HTTPProblem(400, "a directly named graph takes no parameters",
                          type_="BadParameter")
    iri = Urls.of(request).new_graph(key)
    if not _is_iri(iri):
        raise HTTPProblem(400, f"/store/{key!r} cannot name a graph: {iri!r} is not an IRI",
                          type_="BadParameter")
    return iri


@router.get("/store/{key}", summary="Get a graph created by POST /store",
            responses=oa.answers(_GRAPH, 400, 404, 406, 503))
async def direct_get(request: Request, key: str) -> Response:
    return await _get(request, _direct(request, key))


@router.head("/store/{key}", include_in_schema=False)
async def direct_head(request: Request, key: str) -> Response:
    return await _get(request, _direct(request, key))


@router.put("/store/{key}", summary="Replace a graph created by POST /store",
            responses=oa.answers(_WRITTEN, *_WRITES), openapi_extra=_writing(_RDF_BODY, []))
async def direct_put(request: Request, key: str) -> Response:
    return await _put(request, _direct(request, key))


@router.post("/store/{key}", summary="Add to a graph created by POST /store",
             responses=oa.answers(_WRITTEN, *_WRITES),
             openapi_extra=_writing({**_RDF_BODY, "multipart/form-data": _MULTIPART}, []))
async def direct_post(request: Request, key: str) -> Response:
    return await _post(request, _direct(request, key), True)


@router.delete("/store/{key}", summary="Drop a graph created by POST /store",
               responses=oa.answers({204: oa.answer("The graph was dropped")},
                                    400, 401, 403, 404),
               openapi_extra={"security": oa.BEARER})
async def direct_delete(request: Request, key: str) -> Response:
    return await _delete(request, _direct(request, key))
