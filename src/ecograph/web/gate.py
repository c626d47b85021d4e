"""The SHACL gate on every write of the endpoint, and ``?dry-run=true`` on each write path.

Every write the endpoint makes (SPARQL Update, Graph Store ``PUT``/``POST``/``DELETE``)
ends in one SPARQL Update sent to the query pool's ``write``. :func:`install` wraps that
one function: the update's effect is computed as a change set without touching the
store, validated incrementally and, if no Violation, committed together with its
change-log entry (:func:`ecograph.curation.submit`). A dry run stops before the commit
and answers ``200`` with what would happen; a Violation answers ``422`` with the report.

:class:`WriteOptions` reads the curation parameters (``dry-run``, ``message``) from the
URL of a write and hides them from the protocol routes, which refuse parameters they
do not know; accepted writes get ``Ecograph-Change`` and ``Ecograph-Warnings`` headers.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.changes import change_for_update
from ecograph.curation import Outcome, Rules, submit
from ecograph.store.base import Store

#: The URL parameters of the curation layer, accepted on every write path.
PARAMETERS = ("dry-run", "message")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


class DryRunAnswer(Exception):
    """Raised by the gate on a dry run: the outcome is the answer (``200``)."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("dry run")
        self.outcome = outcome


class BadOption(ValueError):
    """A curation parameter with a value it cannot take."""


@dataclass
class WriteContext:
    """The curation options of the request being served, and the outcome of its write."""

    dry_run: bool = False
    message: str | None = None
    agent: str = "token"
    outcome: Outcome | None = None
    error: str | None = None


_CONTEXT: contextvars.ContextVar[WriteContext | None] = contextvars.ContextVar(
    "ecograph_write_context", default=None)


def current() -> WriteContext:
    """The write context of the request being served (defaults outside a request)."""
    return _CONTEXT.get() or WriteContext()


def parse_flag(value: str, name: str = "dry-run") -> bool:
    """``true``/``false`` (and 1/0, yes/no, on/off, empty = false) or ``BadOption``."""
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadOption(f"{name} must be true or false, not {value!r}")


class WriteOptions:
    """ASGI middleware: read and hide the curation parameters, report the outcome."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        context = WriteContext()
        raw = scope.get("query_string", b"").decode("latin-1")
        pairs = parse_qsl(raw, keep_blank_values=True)
        ours = [(k, v) for k, v in pairs if k in PARAMETERS]
        path = scope.get("path", "")
        if ours and not path.startswith(("/changes", "/validate")):
            try:
                for name, value in ours:
                    if name == "dry-run":
                        context.dry_run = parse_flag(value)
                    else:
                        context.message = value or None
            except BadOption as exc:
                context.error = str(exc)
            kept = [(k, v) for k, v in pairs if k not in PARAMETERS]
            scope = {**scope, "query_string": urlencode(kept).encode("latin-1")}
        for name, value in scope.get("headers", []):
            if name == b"from" and value.strip():
                context.agent = value.decode("utf-8", "replace").strip()[:200]
        token = _CONTEXT.set(context)

        async def reporting(message: Message) -> None:
            if message["type"] == "http.response.start" and context.outcome is not None:
                outcome = context.outcome
                headers = list(message.get("headers", []))
                if outcome.change_id and not outcome.dry_run:
                    headers.append((b"ecograph-change", outcome.change_id.encode()))
                    headers.append((b"link", f'</changes/{outcome.change_id}>; '
                                             'rel="describedby"'.encode()))
                warnings = outcome.validation.report.count("Warning")
                headers.append((b"ecograph-warnings", str(warnings).encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, reporting)
        finally:
            _CONTEXT.reset(token)


class Gate:
    """The pool's write, wrapped: every update is validated (and logged) before it commits."""

    def __init__(self, store: Store, write: Callable[[str], Awaitable[int]],
                 bundle: Bundle | None) -> None:
        self.store = store
        self.commit_async = write
        self.bundle = bundle
        self._rules: tuple[tuple[int, ...], Rules] | None = None

    def rules(self) -> Rules:
        """The stored shapes and schema, re-read when those graphs change."""
        key = tuple(self.store.count(g) for g in (graphs.SHAPES, graphs.ONTOLOGY,
                                                    graphs.VOCABULARIES))
        if self._rules is None or self._rules[0] != key:
            self._rules = (key, Rules.from_store(self.store, self.bundle))
        return self._rules[1]

    def committer(self, loop: asyncio.AbstractEventLoop) -> Callable[[str], object]:
        """A blocking commit (for worker threads) through the pool's own write."""
        def commit(text: str) -> object:
            return asyncio.run_coroutine_threadsafe(self.commit_async(text), loop).result()
        return commit

    async def run(self, work: Callable[[Callable[[str], object]], Outcome]) -> Outcome:
        """Run *work(commit)* in a thread; record its outcome for the response headers."""
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(None, work, self.committer(loop))
        context = _CONTEXT.get()
        if context is not None:
            context.outcome = outcome
        return outcome

    async def write(self, update: str) -> int:
        """The gated replacement of the pool's ``write(update)``."""
        context = current()
        if context.error:
            from ecograph.errors import InputError

            raise InputError(context.error)
        rules = await asyncio.get_running_loop().run_in_executor(None, self.rules)
        outcome = await self.run(lambda commit: submit(
            self.store, lambda store: change_for_update(store, update), rules,
            agent=context.agent, message=context.message, dry_run=context.dry_run,
            commit=commit))
        if outcome.dry_run:
            raise DryRunAnswer(outcome)
        return int(getattr(self.store, "version", 0))


def install(app: FastAPI, bundle: Bundle | None,
            on_start: Callable[[FastAPI, Gate], Any] | None = None) -> None:
    """Gate the writes of *app*: wrap its lifespan so the pool's write goes through a Gate."""
    original = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with original(application) as value:
            state = application.state.endpoint
            gate = Gate(state.store, state.pool.write, bundle)
            state.pool.write = gate.write  # every write path of the endpoint ends here
            application.state.gate = gate
            if on_start is not None:
                on_start(application, gate)
            yield value

    app.router.lifespan_context = lifespan
    app.add_middleware(WriteOptions)
