"""``/queries``: the named queries of ``queries/`` listed, and run with bound parameters.

Each named query gets its own operation in the OpenAPI document with its parameters;
answers are negotiated like ``/sparql`` and cached on the store's version with an ETag.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ecograph.queries import NamedQuery, bind, get_query
from ecograph.web import openapi as oa
from ecograph.web.answers import answer_query
from ecograph.web.protocol import EXTRA_PARAMS, Limits, read_limits, url_params
from ecograph.web.state import state_of
from ecograph.web.urls import Urls

router = APIRouter(tags=["Named queries"])
_SCHEMA_TYPES = {"integer": "integer", "decimal": "number", "boolean": "boolean",
                 "date": "string", "iri": "string", "string": "string"}


def describe(query: NamedQuery, urls: Urls) -> dict[str, Any]:
    """The JSON description of a named query."""
    return {
        "name": query.name, "title": query.title, "description": query.description,
        "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                        "default": p.default, "description": p.description}
                       for p in query.parameters],
        "columns": list(query.columns), "url": urls.query(query.name),
    }


_LISTING = {"type": "object", "required": ["queries"], "properties": {"queries": {
    "type": "array", "items": {"type": "object", "required": ["name", "parameters", "url"]}}}}


@router.get("/queries", summary="List the named queries",
            responses=oa.answers({200: oa.answer("The named queries",
                                                 {"application/json": _LISTING})}))
async def list_queries(request: Request) -> JSONResponse:
    """Every named query with its title, description, parameters and columns."""
    urls = Urls.of(request)
    return JSONResponse({"queries": [describe(q, urls)
                                     for q in state_of(request).catalogue.values()]})


async def run_named(request: Request, name: str) -> Response:
    """Run the named query *name* with the request's parameters bound."""
    state = state_of(request)
    query = state.catalogue.get(name) or get_query(state.settings.queries_dir, name)
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    for key, value in url_params(request):
        (extra if key in EXTRA_PARAMS else values)[key] = value
    text = bind(query, values)
    limits = Limits()
    if "timeout" in extra or "max-rows" in extra:
        limits = read_limits({k: [v] for k, v in extra.items()})
    fmt = extra.get("format") or extra.get("output") or extra.get("results")
    return await answer_query(request, state, text, fmt=fmt, limits=limits)


@router.get("/queries/{name}", summary="Run a named query", include_in_schema=False)
async def run_query(request: Request, name: str) -> Response:
    return await run_named(request, name)


def add_named_routes(app: FastAPI, catalogue: dict[str, NamedQuery]) -> None:
    """Give each named query its own documented operation (parameters in OpenAPI)."""
    for query in catalogue.values():
        parameters = [{
            "name": p.name, "in": "query", "required": p.required,
            "description": f"{p.description} ({p.type})".strip(),
            "schema": {"type": _SCHEMA_TYPES.get(p.type, "string"),
                       **({"default": p.default} if p.default is not None else {})},
        } for p in query.parameters]
        parameters += [p for p in oa.ANSWER_PARAMETERS if p["name"] in EXTRA_PARAMS]

        app.add_api_route(f"/queries/{query.name}", _runner(query.name), methods=["GET"],
                          summary=query.title, description=query.description,
                          tags=["Named queries"], operation_id=f"query_{query.name}",
                          responses=oa.answers({200: oa.QUERY_ANSWER, 304: oa.NOT_MODIFIED},
                                               400, 406, 503),
                          openapi_extra={"parameters": [*parameters, oa.IF_NONE_MATCH]})


def _runner(name: str) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint running the named query *name* (its only input is the request, so no
    parameter of its own leaks into the OpenAPI document or the query string)."""

    async def endpoint(request: Request) -> Response:
        return await run_named(request, name)

    return endpoint
