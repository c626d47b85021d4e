"""One error shape across the endpoint: RFC 9457 Problem Details for programs, a readable
page for browsers.

Every error answer is ``application/problem+json``::

    {"type": "https://w3id.org/ecograph/problems/QuerySyntaxError", "title": "Bad Request",
     "status": 400, "detail": "SPARQL syntax error: error at 1:25: …", "instance": "/sparql",
     "line": 1, "column": 25,
     "error": {"status": 400, "type": "QuerySyntaxError", "title": "Bad Request",
               "message": "SPARQL syntax error: error at 1:25: …", "line": 1, "column": 25}}

with extension members depending on the error (``limit`` for a limit hit, ``offered`` for a
``406``). ``error`` is the shape answered before RFC 9457 (deprecated, kept for existing
clients). A client asking only ``application/json`` gets the same body as
``application/problem+json`` (a JSON document; RFC 9457 §3 allows it): an error answer
never becomes a ``406``. A client whose ``Accept`` prefers ``text/html`` gets the same
content as a page. Each ``type`` IRI dereferences to ``/problems/NAME``
(:mod:`ecograph.web.routes.problems`).
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from ecograph import errors
from ecograph.namespaces import BASE
from ecograph.web.negotiation import choose

log = logging.getLogger("ecograph.web")
#: Headers on pages that keep inline script or style (query page, error pages): no
#: framing, no sniffing, no plugins, no <base> (the linked-data pages add a strict CSP).
PAGE_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}

#: The HTTP status of each ecograph error (most specific class first).
STATUS_OF: tuple[tuple[type[errors.EcographError], int], ...] = (
    (errors.UnknownQueryError, 404),
    (errors.UnknownGraphError, 404),
    (errors.UnknownChangeError, 404),
    (errors.UnsupportedFormatError, 415),
    (errors.InputError, 400),
    (errors.ValidationFailedError, 422),
    (errors.QueryTimeoutError, 503),
    (errors.StoreFullError, 507),
    (errors.StoreError, 500),
    (errors.EcographError, 500),
)
_POSITION = re.compile(r"error at (\d+):(\d+)")
#: Reason phrases RFC 9110 renamed (Python 3.11's ``HTTPStatus`` has the older ones).
_PHRASES = {413: "Content Too Large", 422: "Unprocessable Content"}
#: The media type of an error answer (RFC 9457 §3).
PROBLEM_JSON = "application/problem+json"
#: Where the problem type IRIs live: ``PROBLEMS`` + the error's kind.
PROBLEMS = f"{BASE}problems/"
#: The members RFC 9457 defines, never overwritten by an extension member.
_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "error"})
#: What an error answer is served as, for each type the client may prefer.
_OFFERS = (PROBLEM_JSON, "application/json", "text/html")


def title_of(status: int) -> str:
    """The reason phrase of *status* as RFC 9110 names it."""
    return _PHRASES.get(status) or HTTPStatus(status).phrase


class HTTPProblem(Exception):
    """An error answer: status, message, extra JSON fields and headers."""

    def __init__(self, status: int, message: str, *, type_: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_ or title_of(status).replace(" ", "")
        self.headers = headers or {}
        self.extra = extra


def status_of(kind: type[errors.EcographError]) -> int:
    """The HTTP status an ecograph error of class *kind* is answered with."""
    return next(code for base, code in STATUS_OF if issubclass(kind, base))


def problem_for(exc: errors.EcographError) -> HTTPProblem:
    """Return the HTTP answer for an ecograph error, with its position or limit if known."""
    status = status_of(type(exc))
    extra: dict[str, Any] = {}
    if isinstance(exc, errors.QuerySyntaxError):
        match = _POSITION.search(exc.message)
        if match:
            extra = {"line": int(match[1]), "column": int(match[2])}
    if isinstance(exc, errors.QueryTimeoutError):
        extra = {"limit": "query_timeout", "seconds": getattr(exc, "seconds", None)}
    if isinstance(exc, errors.UnknownGraphError):
        extra = {"graph": exc.graph}
    return HTTPProblem(status, exc.message, type_=type(exc).__name__, **extra)


def type_iri(kind: str) -> str:
    """The absolute IRI naming the problem type *kind* (``QuerySyntaxError``, …)."""
    return f"{PROBLEMS}{kind}"


def legacy_body(problem: HTTPProblem) -> dict[str, Any]:
    """The pre-RFC 9457 ``error`` object (deprecated): status, kind, title, message, extras."""
    return {"status": problem.status, "type": problem.type,
            "title": title_of(problem.status), "message": problem.message,
            **{k: v for k, v in problem.extra.items() if v is not None}}


def problem_document(problem: HTTPProblem, instance: str | None) -> dict[str, Any]:
    """The RFC 9457 problem details of *problem* at the request path *instance* (left out
    when ``None``): the standard members, the extras as extension members, and the
    deprecated ``error``."""
    extras = {k: v for k, v in problem.extra.items() if v is not None and k not in _MEMBERS}
    where = {} if instance is None else {"instance": instance}
    return {"type": type_iri(problem.type), "title": title_of(problem.status),
            "status": problem.status, "detail": problem.message, **where,
            **extras, "error": legacy_body(problem)}


def instance_of(scope: Scope) -> str:
    """The request path of *scope* as a URI reference (as sent, percent-encoded)."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else quote(scope.get("path", "/"), safe="/:@!$&'()*+,;=~")
    return path.partition("?")[0]


def render(request: Request, problem: HTTPProblem, *, echo: bool = True) -> Response:
    """Answer *problem* as problem details, or as an HTML page when the client prefers HTML.

    With *echo* false the answer repeats nothing of the request (no ``instance``): a
    private server's refusal of an anonymous read."""
    body = legacy_body(problem)
    headers = {"Vary": "Accept", **problem.headers}
    wants = choose(request.headers.get("accept"), _OFFERS)
    if wants == "text/html" and request.method != "HEAD":
        headers.update(PAGE_HEADERS)
        templates = getattr(request.app.state, "templates", None)
        if templates is not None:
            return templates.TemplateResponse(request, "error.html", {"error": body},
                                              status_code=problem.status, headers=headers)
        return HTMLResponse(f"<h1>{body['title']}</h1><p>{body['message']}</p>",
                            status_code=problem.status, headers=headers)
    return JSONResponse(problem_document(problem, instance_of(request.scope) if echo else None),
                        status_code=problem.status, headers=headers, media_type=PROBLEM_JSON)


_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at the request's path (a ``405`` lists them all in
    ``Allow``, RFC 9110 §15.5.6; Starlette names only the first route's)."""
    routes = [r for r in request.app.router.routes if isinstance(r, BaseRoute)]
    scope = {"type": "http", "path": request.scope["path"], "path_params": {},
             "root_path": request.scope.get("root_path", "")}
    return [method for method in _METHODS
            if any(r.matches({**scope, "method": method})[0] == Match.FULL for r in routes)]


def install(app: FastAPI) -> None:
    """Make every error of *app* answer in the one shape."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPProblem)
        return render(request, exc)

    async def on_ecograph(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, errors.EcographError)
        return render(request, problem_for(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
            headers["Allow"] = ", ".join(allowed_methods(request))
        return render(request, HTTPProblem(exc.status_code, message, headers=headers))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        parts = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return render(request, HTTPProblem(400, "; ".join(parts) or "bad request"))

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error answering %s %s", request.method, request.url.path)
        return render(request, HTTPProblem(500, f"internal error: {type(exc).__name__}"))

    app.add_exception_handler(HTTPProblem, on_problem)
    app.add_exception_handler(errors.EcographError, on_ecograph)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_crash)
