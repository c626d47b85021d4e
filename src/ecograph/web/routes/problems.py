"""The problem types of the endpoint's error answers, served where their IRIs point.

Every error answer's ``type`` is ``https://w3id.org/ecograph/problems/NAME``
(:mod:`ecograph.web.errors`). ``/problems/NAME`` says what that problem is and the status
it comes with — a short HTML page for a browser, JSON otherwise — and ``/problems`` lists
them all: the ecograph errors (``errors.STATUS_OF``), the kinds the web layer names
(:data:`WEB_KINDS`) and the generic ones named after an HTTP status (``NotFound``, …).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from html import escape
from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ecograph import errors
from ecograph.web import openapi as oa
from ecograph.web.errors import PAGE_HEADERS, HTTPProblem, status_of, title_of, type_iri
from ecograph.web.negotiation import choose

router = APIRouter(tags=["Problem types of the error answers"])

#: The kinds the web layer answers by name (``HTTPProblem(type_=…)``): status, meaning.
WEB_KINDS: dict[str, tuple[int, str]] = {
    "BadMethod": (400, "The operation needs another method: an update is sent with POST "
                       "(SPARQL 1.1 Protocol §2.2)."),
    "BadParameter": (400, "A request parameter that cannot be used: unknown, given twice, "
                          "not an absolute IRI, or out of range."),
    "ChangeConflictError": (409, "The change, or its undo, no longer applies to the data "
                                 "as stored now."),
    "CORSRefused": (400, "A CORS preflight for a write: writes are not open to other "
                         "origins, only reads are."),
    "ContentTooLarge": (413, "The request body is over the size limit (setting "
                             "max_body_bytes); `limit` names the setting."),
    "EmptyOperation": (400, "The query or update is empty (blank, or comments only)."),
    "FederationDisabled": (400, "SERVICE or LOAD of a remote source is off on this server."),
    "FederationRefused": (400, "A remote source this server does not call (not allowed, or "
                               "not a full IRI)."),
    "InsufficientScope": (403, "The bearer token lacks the scope this request needs; "
                               "`scope` names it."),
    "LoadFailed": (400, "LOAD of a remote source failed; `detail` says why."),
    "NotAcceptable": (406, "None of the types in Accept is offered here; `offered` lists "
                           "them."),
    "NotReady": (503, "The service is starting and cannot answer this yet."),
    "Unauthorized": (401, "No bearer token, or one this server does not accept "
                          "(WWW-Authenticate: Bearer)."),
    "UnknownChange": (404, "No change with this id in the change log."),
    "UpdateTimeoutError": (503, "The update ran past the time limit (setting update_timeout) "
                                "and was stopped; nothing was changed."),
    "UpdateTooLarge": (413, "The update would add more triples than one update may "
                            "(setting max_update_triples); nothing was changed."),
    "WritesDisabled": (403, "Writes are off on this server (start it with --writable and "
                            "tokens)."),
}
#: Ecograph errors never answered under their own name (the web layer renames them).
_RENAMED = frozenset({"NotAcceptableError"})


@dataclass(frozen=True)
class ProblemType:
    """One problem type: its name, IRI, status and what it means."""

    name: str
    type: str
    status: int
    title: str
    description: str


def _subclasses(kind: type[errors.EcographError]) -> list[type[errors.EcographError]]:
    found = [kind]
    for sub in kind.__subclasses__():
        found.extend(_subclasses(sub))
    return found


def _kind(name: str, status: int, description: str) -> ProblemType:
    return ProblemType(name, type_iri(name), status, title_of(status), description)


def catalogue() -> dict[str, ProblemType]:
    """Every problem type the endpoint may answer with, by name (built on each call)."""
    found: dict[str, ProblemType] = {}
    for status in HTTPStatus:
        if status >= 400:
            name = title_of(status).replace(" ", "")
            found[name] = _kind(name, status, f"The generic HTTP {status.value} "
                                              f"({title_of(status)}); `detail` says why.")
    for kind in _subclasses(errors.EcographError):
        if kind.__name__ not in _RENAMED:
            doc = (kind.__doc__ or "An ecograph error.").strip().split("\n\n")[0]
            found[kind.__name__] = _kind(kind.__name__, status_of(kind), " ".join(doc.split()))
    for name, (status, description) in WEB_KINDS.items():
        found[name] = _kind(name, status, description)
    return dict(sorted(found.items()))


_OFFERS = ("application/json", "text/html")


def _answer(request: Request, data: dict[str, Any], html: str) -> Response:
    headers = {"Vary": "Accept"}
    wanted = choose(request.headers.get("accept"), _OFFERS)
    if wanted is None:
        raise HTTPProblem(406, f"a problem type is offered as {' or '.join(_OFFERS)}",
                          type_="NotAcceptable", offered=list(_OFFERS))
    if wanted == "text/html":
        return HTMLResponse(f"<!doctype html><html lang=en><head><meta charset=utf-8>"
                            f"<title>{escape(data['title'])} · ecograph</title></head><body>"
                            f"{html}</body></html>", headers={**headers, **PAGE_HEADERS})
    return JSONResponse(data, headers=headers)


_KIND_SCHEMA: oa.JsonSchema = {
    "type": "object", "required": ["name", "type", "status", "title", "description"],
    "properties": {"name": oa.TEXT, "type": {"type": "string", "format": "uri"},
                   "status": {"type": "integer"}, "title": oa.TEXT, "description": oa.TEXT}}
_LIST_SCHEMA: oa.JsonSchema = {
    "type": "object", "required": ["title", "problems"],
    "properties": {"title": oa.TEXT, "problems": {"type": "array", "items": _KIND_SCHEMA}}}


@router.get("/problems", summary="The problem types of the error answers",
            responses=oa.answers({200: oa.answer("Every problem type", {
                "application/json": _LIST_SCHEMA, "text/html": oa.TEXT})}, 406))
async def list_problems(request: Request) -> Response:
    kinds = list(catalogue().values())
    rows = "".join(f"<tr><td><a href='/problems/{escape(k.name)}'>{escape(k.name)}</a></td>"
                   f"<td>{k.status}</td><td>{escape(k.description)}</td></tr>" for k in kinds)
    return _answer(request, {"title": "ecograph problem types",
                             "problems": [asdict(k) for k in kinds]},
                   "<h1>ecograph problem types</h1><p>The <code>type</code> of each error "
                   "answer (RFC 9457 problem details).</p><table><tr><th>Type</th>"
                   f"<th>Status</th><th>Meaning</th></tr>{rows}</table>")


@router.get("/problems/{name}", summary="One problem type: what it means, its status",
            responses=oa.answers({200: oa.answer("The problem type", {
                "application/json": _KIND_SCHEMA, "text/html": oa.TEXT})}, 404, 406))
async def one_problem(request: Request, name: str) -> Response:
    kind = catalogue().get(name)
    if kind is None:
        raise HTTPProblem(404, f"no problem type {name!r}; /problems lists them")
    return _answer(request, asdict(kind),
                   f"<h1>{escape(kind.name)}</h1><p>HTTP {kind.status} "
                   f"{escape(kind.title)}</p><p>{escape(kind.description)}</p>"
                   "<p><a href='/problems'>All problem types</a></p>")
