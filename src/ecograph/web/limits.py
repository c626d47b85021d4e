"""Request limits: bodies over the configured size get ``413`` before anything reads them."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecograph.web.errors import PROBLEM_JSON, HTTPProblem, instance_of, problem_document


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware refusing request bodies larger than *max_bytes* with ``413``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = (f"the request body is larger than the limit of {self.max_bytes} bytes "
                   "(setting max_body_bytes)")
        problem = HTTPProblem(413, message, type_="ContentTooLarge", limit="max_body_bytes")
        body = json.dumps(problem_document(problem, instance_of(scope))).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", PROBLEM_JSON.encode()),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    def __repr__(self) -> str:
        return f"BodyLimit(max_bytes={self.max_bytes})"

