"""Queries answered straight through the store, for backends that are servers themselves.

A remote SPARQL server (``sparql+http://…``) holds its data and runs its queries; the
endpoint needs no worker processes holding copies. :class:`DirectPool` offers the same
calls as :class:`ecograph.web.pool.QueryPool` (``query``, ``graph``, ``write``, ``version``)
and runs them in threads: a query past the time limit gets the same 503 answer while the
request to the server ends at the remote backend's own timeout.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rdflib import URIRef

from ecograph import errors
from ecograph.formats import syntax_for_media_type
from ecograph.namespaces import PREFIXES
from ecograph.store.base import Store
from ecograph.web.jsonld import compact
from ecograph.web.worker import Job, run_job


class DirectPool:
    """Run the endpoint's reads and writes on *store* in up to *size* threads."""

    def __init__(self, store: Store, size: int) -> None:
        self.store = store
        self.size = max(1, size)
        self.restarts = 0
        self._version = 0
        self._threads = ThreadPoolExecutor(max_workers=self.size,
                                           thread_name_prefix="ecograph-direct")
        self._write_lock = asyncio.Lock()

    @property
    def version(self) -> int:
        """A number that changes with every write through this endpoint."""
        return self._version

    async def _run(self, timeout: float | None, func: Any, *args: Any) -> Any:
        future = asyncio.get_running_loop().run_in_executor(self._threads, func, *args)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            error = errors.QueryTimeoutError(
                f"the query ran past the time limit of {timeout:g} s and was stopped "
                "(setting query_timeout; the request parameter 'timeout' may lower it)")
            error.seconds = timeout  # type: ignore[attr-defined]
            raise error from None

    async def start(self) -> None:
        """Nothing to start: the server is already running."""

    async def query(self, job: Job, timeout: float) -> Any:
        """Run *job* on the store; raises ``QueryTimeoutError`` past *timeout* seconds."""
        return await self._run(timeout, run_job, self.store, job)

    async def graph(self, iri: str | None, media_type: str, timeout: float) -> bytes:
        """Return a named graph (``None``: the union of the named graphs) as *media_type*."""
        syntax = syntax_for_media_type(media_type)

        def fetch() -> bytes:
            body = b"".join(self.store.export(syntax, None if iri is None else URIRef(iri)))
            if syntax.media_type == "application/ld+json":
                body = compact(body, PREFIXES)
            return body

        return await self._run(timeout, fetch)

    async def write(self, update: str) -> int:
        """Apply *update* on the server (one request, atomic there); the new version."""
        async with self._write_lock:
            await self._run(None, self.store.update, update)
            self._version += 1
            return self._version

    async def close(self) -> None:
        """Let running requests end; the store itself is closed by the app."""
        self._threads.shutdown(wait=False, cancel_futures=True)
