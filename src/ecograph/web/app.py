"""The endpoint's FastAPI app: :func:`create_app` builds it, its lifespan opens the store.

The store is opened when the app starts (never at import time), copied into the query
workers' memory, and closed when the app stops.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ecograph import __version__
from ecograph.bundle import Bundle
from ecograph.config import Settings
from ecograph.queries import catalogue
from ecograph.store import open_store
from ecograph.store.embedded import OxigraphStore
from ecograph.tokens import access_tokens
from ecograph.web import errors, openapi
from ecograph.web.auth import PrivateReads
from ecograph.web.cache import AnswerCache
from ecograph.web.cors import ReadOnlyCORS
from ecograph.web.direct import DirectPool
from ecograph.web.limits import BodyLimit
from ecograph.web.pool import QueryPool
from ecograph.web.replay import RepeatedReads
from ecograph.web.routes import curation, linked_data, problems, queries, sparql, store, system
from ecograph.web.state import EndpointState

HERE = Path(__file__).resolve().parent


def worker_count(settings: Settings) -> int:
    """The number of query workers: the setting, else one per CPU (2 to 4)."""
    if settings.query_workers > 0:
        return settings.query_workers
    return min(max(os.cpu_count() or 2, 2), 4)


def create_app(settings: Settings) -> FastAPI:
    """Build the endpoint for *settings*; the store opens when the app starts."""
    tokens = access_tokens(settings)
    named = catalogue(settings.queries_dir) if settings.queries_dir.is_dir() else {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings.store)
        pool: QueryPool | DirectPool
        if isinstance(store, OxigraphStore):
            pool = QueryPool(store, worker_count(settings), settings.fast_workers,
                             settings.fast_lane_limit)
        else:
            pool = DirectPool(store, 2 * worker_count(settings))
        try:
            await pool.start()
            app.state.endpoint = EndpointState(settings, store, pool, AnswerCache(), named)
            yield
        finally:
            await pool.close()
            store.close()

    app = FastAPI(title="ecograph SPARQL endpoint", version=__version__, lifespan=lifespan,
                  description="SPARQL 1.1 Query, Update, Graph Store Protocol and named "
                              "queries over the ecograph knowledge graph.")
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.tokens = tokens
    errors.install(app)
    openapi.install(app)
    app.include_router(sparql.router)
    app.include_router(store.router)
    queries.add_named_routes(app, named)
    app.include_router(queries.router)
    app.include_router(system.router)
    app.include_router(problems.router)
    app.include_router(linked_data.router)
    curation.install(app, Bundle(settings.ontology_dir, settings.data_dir))
    app.mount("/-/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(RepeatedReads)
    if settings.private:  # in front of the answer cache, behind CORS
        app.add_middleware(PrivateReads, tokens=tokens)
    app.add_middleware(ReadOnlyCORS, allow_origins=["*"],
                       allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type", "If-None-Match"],
                       expose_headers=["ETag", "X-SPARQL-MaxRows", "Location"])
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
