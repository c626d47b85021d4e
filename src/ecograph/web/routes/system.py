"""System pages under ``/-/``: health and version."""

from __future__ import annotations

import platform

import pyoxigraph
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ecograph import __version__
from ecograph.web.state import state_of

router = APIRouter(tags=["System"])


@router.get("/-/health", summary="Is the endpoint up, and what does it hold")
async def health(request: Request) -> JSONResponse:
    """Whether the store is open and the query workers are running."""
    state = state_of(request)
    return JSONResponse({
        "ok": True, "store": state.store.location, "version": state.pool.version,
        "workers": state.pool.size, "worker_restarts": state.pool.restarts,
        "writable": state.settings.writable,
    })


@router.get("/-/version", summary="Versions of ecograph and what it runs on")
async def version() -> JSONResponse:
    return JSONResponse({"ecograph": __version__, "pyoxigraph": pyoxigraph.__version__,
                         "rdflib": rdflib.__version__, "python": platform.python_version()})
