"""``/sparql``: SPARQL 1.1 Query and Update over the Protocol, the service description and
the query page.

``GET /sparql`` with no parameters describes the service (Turtle, RDF/XML, JSON-LD or
N-Triples by negotiation) or, for a browser, shows the query page.
"""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecograph.errors import QuerySyntaxError
from ecograph.namespaces import sparql_prologue
from ecograph.web import openapi as oa
from ecograph.web.answers import answer_query, check_remote_calls, labelled, offered_error
from ecograph.web.auth import require_writer
from ecograph.web.description import service_description
from ecograph.web.errors import PAGE_HEADERS, HTTPProblem
from ecograph.web.negotiation import choose
from ecograph.web.protocol import Operation, read_operation
from ecograph.web.remote_load import expand_loads
from ecograph.web.scopes import update_scope
from ecograph.web.sparql_text import add_using, has_dataset_clause
from ecograph.web.state import EndpointState, state_of
from ecograph.web.urls import Urls
from ecograph.web.worker import Job
from ecograph.web.writes import UpdateChange, UpdateLimits, apply_change

router = APIRouter(tags=["SPARQL 1.1 Protocol"])

DESCRIPTION_OFFERS = ("text/turtle", "application/rdf+xml", "application/ld+json",
                      "application/n-triples", "text/html")
_RDFLIB = {"text/turtle": "turtle", "application/rdf+xml": "xml",
           "application/ld+json": "json-ld", "application/n-triples": "nt"}
_POSITION = re.compile(r"error at (\d+):(\d+)")
_SIZES = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")


async def graph_sizes(state: EndpointState) -> tuple[dict[str, int], int]:
    """Triples per named graph and in the default graph (the union), at this version."""
    version = state.pool.version
    cached = state.sizes
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    timeout = state.settings.query_timeout
    json_type = "application/sparql-results+json"
    per_graph = await state.pool.query(Job(_SIZES, json_type, None), timeout)
    sizes = {str(g): 0 for g in state.store.graphs()}
    for row in json.loads(per_graph.body)["results"]["bindings"]:
        sizes[row["g"]["value"]] = int(row["n"]["value"])
    total_answer = await state.pool.query(
        Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", json_type, None), timeout)
    total = int(json.loads(total_answer.body)["results"]["bindings"][0]["n"]["value"])
    state.sizes = (version, sizes, total)
    return sizes, total


async def describe_service(request: Request, state: EndpointState) -> Response:
    """The service description, or the query page for a browser."""
    wanted = choose(request.headers.get("accept"), DESCRIPTION_OFFERS)
    if wanted is None:
        raise offered_error(DESCRIPTION_OFFERS, "the service description")
    urls = Urls.of(request)
    if wanted == "text/html":
        examples = [{"name": q.name, "title": q.title, "description": q.description,
                     "text": q.text} for q in state.catalogue.values()]
        return request.app.state.templates.TemplateResponse(request, "query.html", {
            "urls": urls, "prologue": sparql_prologue(), "examples": examples,
            "writable": state.settings.writable}, headers={"Vary": "Accept", **PAGE_HEADERS})
    sizes, total = await graph_sizes(state)
    graph = service_description(urls, state.settings, sizes, total)
    body = graph.serialize(format=_RDFLIB[wanted], encoding="utf-8")
    if request.method == "HEAD":
        body = b""
    return Response(body, media_type=labelled(wanted), headers={"Vary": "Accept"})


async def run_update(request: Request, state: EndpointState, operation: Operation) -> Response:
    """Apply a SPARQL Update, if the client may write; 204 on success."""
    require_writer(request, state.settings, update_scope(operation.text))
    text = operation.text
    if operation.default_graphs or operation.named_graphs:
        if has_dataset_clause(text):
            raise HTTPProblem(400, "the update names its dataset with USING or WITH, so "
                                   "using-graph-uri/using-named-graph-uri may not be given "
                                   "too (SPARQL 1.1 Protocol §2.2.3)", type_="BadParameter")
        text = add_using(text, list(operation.default_graphs), list(operation.named_graphs))
    check_remote_calls(text, state.settings)
    text = await expand_loads(text, state.settings)  # LOAD: fetched here, allow-list only
    text = f"BASE <{Urls.of(request).sparql()}>\n{text}"
    try:
        limits = UpdateLimits(state.settings.update_timeout, state.settings.max_update_triples)
        await apply_change(state.pool, UpdateChange(text, limits))
    except QuerySyntaxError as exc:
        # Report the position in the client's text, not in ours with its BASE line.
        raise QuerySyntaxError(_POSITION.sub(
            lambda m: f"error at {int(m[1]) - 1}:{m[2]}", exc.message, count=1)) from None
    return Response(status_code=204)


async def _serve(request: Request) -> Response:
    state = state_of(request)
    operation = await read_operation(request)
    if operation is None:
        return await describe_service(request, state)
    if operation.kind == "update":
        return await run_update(request, state, operation)
    return await answer_query(request, state, operation.text,
                              default_graphs=operation.default_graphs,
                              named_graphs=operation.named_graphs, fmt=operation.format,
                              limits=operation.limits)


# --- what the OpenAPI document says about /sparql ----------------------------------------

_QUERY_EXAMPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
_IRIS = {"type": "array", "items": {"type": "string"}}
_DATASET = [oa.query_parameter("default-graph-uri", "IRIs of the graphs merged into the "
                                                     "query's default graph", _IRIS),
            oa.query_parameter("named-graph-uri", "IRIs of the query's named graphs", _IRIS)]
_USING = [oa.query_parameter("using-graph-uri", "An update's USING graphs", _IRIS),
          oa.query_parameter("using-named-graph-uri", "An update's USING NAMED graphs", _IRIS)]
_GET_PARAMETERS = [oa.query_parameter("query", "The SPARQL query; without any parameter the "
                                               "answer is the service description",
                                      example=_QUERY_EXAMPLE),
                   *_DATASET, *oa.ANSWER_PARAMETERS, oa.IF_NONE_MATCH]
_FORM = {"type": "object", "properties": {
    "query": oa.TEXT, "update": oa.TEXT, "default-graph-uri": _IRIS, "named-graph-uri": _IRIS,
    "using-graph-uri": _IRIS, "using-named-graph-uri": _IRIS,
    **{p["name"]: p["schema"] for p in oa.ANSWER_PARAMETERS}},
    "example": {"query": _QUERY_EXAMPLE}}
_ANSWER = oa.answer(oa.QUERY_ANSWER["description"] + "; with no query, the service "
                    "description (RDF) or the query page (HTML)",
                    {**{m: c["schema"] for m, c in oa.QUERY_ANSWER["content"].items()},
                     "text/html": oa.TEXT}, {"ETag": "The answer's version"})


@router.get("/sparql", summary="Query (SPARQL 1.1 Protocol), or describe the service",
            responses=oa.answers({200: _ANSWER, 304: oa.NOT_MODIFIED}, 400, 406, 503),
            openapi_extra={"parameters": _GET_PARAMETERS})
async def sparql_get(request: Request) -> Response:
    """Run ``?query=`` (with ``default-graph-uri``/``named-graph-uri``); with no
    parameters, return the Service Description, or the query page for a browser."""
    return await _serve(request)


@router.head("/sparql", include_in_schema=False)
async def sparql_head(request: Request) -> Response:
    return await _serve(request)


@router.post("/sparql", summary="Query or update (SPARQL 1.1 Protocol)",
             responses=oa.answers({200: oa.QUERY_ANSWER,
                                   204: oa.answer("The update was applied")},
                                  400, 401, 403, 406, 413, 415, 503),
             openapi_extra={"parameters": [*_DATASET, *_USING, *oa.ANSWER_PARAMETERS],
                            "security": [{}, *oa.BEARER], **oa.body({
                                "application/x-www-form-urlencoded": _FORM,
                                "application/sparql-query": {**oa.TEXT,
                                                             "example": _QUERY_EXAMPLE},
                                "application/sparql-update": oa.TEXT})})
async def sparql_post(request: Request) -> Response:
    """A form (``query=`` or ``update=``) or the text itself as
    ``application/sparql-query`` / ``application/sparql-update``. Updates need writes on
    and the bearer token."""
    return await _serve(request)
