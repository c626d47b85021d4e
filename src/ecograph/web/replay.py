"""Repeated reads answered before routing: a query seen before, at the same store version,
gets its recorded answer (or ``304`` for a matching ``If-None-Match``) straight away.

Query answers depend only on the request (path, parameters, ``Accept``, ``Host`` for the
base IRI, and for a POSTed query its body and type) and on the store's content, which
changes only with its version. So the whole answer of a ``200`` query response (one that
carries an ETag; updates never do) is recorded under those request parts and the
version, and replayed until the next write. Everything else goes through the app.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecograph.web.cache import matches

PATHS = ("/sparql", "/queries/")
#: POSTed queries are replayed when their body is at most this long.
MAX_POSTED = 64 * 1024
_QUERY_BODIES = (b"application/x-www-form-urlencoded", b"application/sparql-query")


@dataclass(frozen=True)
class _Recorded:
    version: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str


class RepeatedReads:
    """ASGI middleware replaying recorded answers to repeated GETs at the same version."""

    def __init__(self, app: ASGIApp, max_bytes: int = 32 * 1024 * 1024,
                 max_entry: int = 1024 * 1024) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._entries: OrderedDict[tuple[bytes, ...], _Recorded] = OrderedDict()
        self._size = 0

    def _version(self, scope: Scope) -> int | None:
        state = getattr(scope["app"].state, "endpoint", None)
        return None if state is None else state.pool.version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        method = scope.get("method")
        if method == "POST" and path == "/sparql":
            await self._posted(scope, receive, send)
            return
        if method not in ("GET", "HEAD") or not path.startswith(PATHS) \
                or (not scope.get("query_string") and path == "/sparql"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = (method.encode(), path.encode(), scope["query_string"],
               headers.get(b"accept", b""), headers.get(b"host", b""))
        await self._answer(scope, receive, send, key, headers)

    async def _posted(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A POSTed query: read its (small) body into the key, then answer as for a GET."""
        headers = dict(scope["headers"])
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        length = headers.get(b"content-length", b"")
        if kind not in _QUERY_BODIES or not length.isdigit() or int(length) > MAX_POSTED:
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # the client went away
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay_body() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        key = (b"POST", b"/sparql", scope["query_string"], headers.get(b"accept", b""),
               headers.get(b"host", b""), kind, body)
        await self._answer(scope, replay_body, send, key, headers)

    async def _answer(self, scope: Scope, receive: Receive, send: Send,
                      key: tuple[bytes, ...], headers: dict[bytes, bytes]) -> None:
        version = self._version(scope)
        recorded = self._entries.get(key)
        if recorded is not None and recorded.version == version:
            self._entries.move_to_end(key)
            if scope["method"] != "POST" and matches(
                    headers.get(b"if-none-match", b"").decode("latin-1"), recorded.etag):
                kept = [(k, v) for k, v in recorded.headers
                        if k in (b"etag", b"vary", b"cache-control")]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.start", "status": 200,
                        "headers": recorded.headers})
            await send({"type": "http.response.body", "body": recorded.body})
            return
        await self._record(scope, receive, send, key, version)

    async def _record(self, scope: Scope, receive: Receive, send: Send,
                      key: tuple[bytes, ...], version: int | None) -> None:
        start: Message | None = None
        parts: list[bytes] = []

        async def recording(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, recording)
        if start is None or start["status"] != 200 or version is None:
            return
        headers = list(start.get("headers", []))
        etag = next((v.decode("latin-1") for k, v in headers if k == b"etag"), None)
        body = b"".join(parts)
        if etag is None or len(body) > self.max_entry:
            return
        self._store(key, _Recorded(version, headers, body, etag))

    def _store(self, key: tuple[bytes, ...], recorded: _Recorded) -> None:
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._size -= len(previous.body)
        self._entries[key] = recorded
        self._size += len(recorded.body)
        while self._size > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._size -= len(dropped.body)
