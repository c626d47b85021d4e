"""System pages under ``/-/``: health and version."""

from __future__ import annotations

import platform

import pyoxigraph
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ecograph import __version__
from ecograph.web import openapi as oa
from ecograph.web.state import state_of

router = APIRouter(tags=["System"])


_HEALTH = {"type": "object", "required": ["ok", "store", "version", "workers", "writable"],
           "properties": {"ok": {"type": "boolean"}, "store": oa.TEXT,
                          "version": {"type": "integer"}, "workers": {"type": "integer"},
                          "worker_restarts": {"type": "integer"},
                          "writable": {"type": "boolean"}}}
_VERSIONS = {"type": "object", "required": ["ecograph", "pyoxigraph", "rdflib", "python"],
             "additionalProperties": oa.TEXT}


@router.get("/-/health", summary="Is the endpoint up, and what does it hold",
            responses=oa.answers({200: oa.answer("Up", {"application/json": _HEALTH})}))
async def health(request: Request) -> JSONResponse:
    """Whether the store is open and the query workers are running."""
    state = state_of(request)
    return JSONResponse({
        "ok": True, "store": state.store.location, "version": state.pool.version,
        "workers": state.pool.size, "worker_restarts": state.pool.restarts,
        "writable": state.settings.writable,
    })


@router.get("/-/version", summary="Versions of ecograph and what it runs on",
            responses=oa.answers({200: oa.answer("Versions", {"application/json": _VERSIONS})}))
async def version() -> JSONResponse:
    return JSONResponse({"ecograph": __version__, "pyoxigraph": pyoxigraph.__version__,
                         "rdflib": rdflib.__version__, "python": platform.python_version()})
