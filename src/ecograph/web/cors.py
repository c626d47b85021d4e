"""CORS on read endpoints only: write requests and their preflights get no CORS headers.

Reads (queries, graphs, pages, validation) may be called from any origin. Writes — Graph
Store ``PUT``/``POST``/``DELETE``, ``POST /changes…`` and any request carrying an
``Authorization`` header — are answered without ``Access-Control-*`` headers and their
preflights are refused (400), so a browser on another origin can neither send them nor read
their answers.

Refusals of authentication or authorisation (``401``, ``403``) carry no ``Access-Control-*``
headers either, whatever the request: a ``POST /sparql`` can only be told to be an update
from its body, which this middleware does not read, so its ``401`` is cleaned on the way
out instead.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from ecograph.web.errors import PROBLEM_JSON, HTTPProblem, instance_of, problem_document

_WRITE_METHODS = {"PUT", "DELETE", "PATCH"}
#: Statuses whose answers never carry CORS headers: a refusal is not for other origins.
REFUSALS = {401, 403}


def is_write(scope: Scope) -> bool:
    """Whether the request (or the request a preflight announces) writes."""
    headers = Headers(scope=scope)
    method = scope["method"]
    if method == "OPTIONS" and "access-control-request-method" in headers:
        method = headers["access-control-request-method"].upper()
        if "authorization" in headers.get("access-control-request-headers", "").lower():
            return True
    elif "authorization" in headers:
        return True
    path: str = scope["path"]
    if method in _WRITE_METHODS:
        return True
    return method == "POST" and (path == "/store" or path.startswith(("/store/", "/changes")))


class ReadOnlyCORS(CORSMiddleware):
    """:class:`CORSMiddleware` that leaves write requests alone (no CORS headers)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_write(scope):
            headers = Headers(scope=scope)
            if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
                problem = HTTPProblem(400, "Disallowed CORS request: writes are not open to "
                                           "other origins", type_="CORSRefused")
                refusal = JSONResponse(problem_document(problem, instance_of(scope)),
                                       status_code=400, media_type=PROBLEM_JSON)
                await refusal(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, without_cors_on_refusals(send))


def without_cors_on_refusals(send: Send) -> Send:
    """*send*, dropping every ``Access-Control-*`` header from a 401 or 403 answer."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] in REFUSALS:
            headers = [(k, v) for k, v in message.get("headers", [])
                       if not k.lower().startswith(b"access-control-")]
            message = {**message, "headers": headers}
        await send(message)

    return sending
