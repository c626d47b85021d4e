"""Curation over HTTP: ``POST /validate``, change sets at ``/changes``, their log and revert.

- ``POST /validate`` — RDF in the body (any syntax, by ``Content-Type``) or multipart
  fields ``data`` and optionally ``shapes``; ``?against=store`` validates it together
  with the stored data it touches. Writes nothing. Answers the W3C report (Turtle,
  JSON-LD), the curator JSON (results grouped per focus node) or an HTML page.
- ``POST /changes`` — a change set (JSON ``{"add", "remove", "format", "graph",
  "message"}`` or an RDF body of additions), validated and committed with its log entry;
  ``?dry-run=true`` answers what would happen. ``422`` with the report on a Violation,
  ``409`` when it no longer applies.
- ``GET /changes``, ``GET /changes/{id}``, ``POST /changes/{id}/revert``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from rdflib import Graph, URIRef

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.changelog import CHANGE, get_change, list_changes
from ecograph.changes import ChangeConflictError, ChangeSet, quads_of, term_text
from ecograph.curation import Outcome, Rules, revert, submit
from ecograph.errors import InputError, ValidationFailedError
from ecograph.formats import syntax_by_name, syntax_for_media_type
from ecograph.reports import report_to_dict
from ecograph.validate import ValidationReport
from ecograph.web import gate, scopes
from ecograph.web import openapi as oa
from ecograph.web.auth import require_writer
from ecograph.web.curation_pages import report_page
from ecograph.web.curation_parse import check_graph, dataset_quads, read_rdf
from ecograph.web.errors import PROBLEM_JSON, HTTPProblem, instance_of, problem_document, render
from ecograph.web.negotiation import choose
from ecograph.web.state import state_of

router = APIRouter(tags=["Curation: validation, gated change sets, provenance and undo"])

#: What ``/validate`` and a refused write answer in: curator JSON first.
REPORT_OFFERS = ("application/json", "text/turtle", "application/ld+json", "text/html")
_PROPOSED = URIRef("urn:ecograph:proposed")


def _gate(request: Request) -> gate.Gate:
    found = getattr(request.app.state, "gate", None)
    if found is None:
        raise HTTPProblem(503, "the curation gate is not ready", type_="NotReady")
    return found


def _flag(request: Request, name: str) -> bool:
    try:
        return gate.parse_flag(request.query_params.get(name, "false"), name)
    except gate.BadOption as exc:
        raise HTTPProblem(400, str(exc), type_="BadParameter") from None


def report_response(request: Request, report: ValidationReport, status: int = 200,
                    extra: dict[str, Any] | None = None,
                    json_type: str = "application/json") -> Response:
    """The report as the client prefers: curator JSON (served as *json_type*), W3C
    Turtle/JSON-LD, or HTML."""
    wanted = choose(request.headers.get("accept"), REPORT_OFFERS) or "application/json"
    headers = {"Vary": "Accept"}
    if wanted == "text/turtle":
        return Response(report.graph.serialize(format="turtle"), status_code=status,
                        media_type="text/turtle", headers=headers)
    if wanted == "application/ld+json":
        return Response(report.graph.serialize(format="json-ld"), status_code=status,
                        media_type="application/ld+json", headers=headers)
    body = {**report_to_dict(report), **(extra or {})}
    if wanted == "text/html":
        return Response(report_page(body), status_code=status, media_type="text/html",
                        headers=headers)
    return JSONResponse(body, status_code=status, headers=headers, media_type=json_type)


# --- POST /validate ------------------------------------------------------------------------


# --- what the OpenAPI document says about these routes -------------------------------------

_RDF_TYPES = ("text/turtle", "application/n-triples", "application/n-quads", "application/trig",
              "application/rdf+xml", "application/ld+json")
_TURTLE = "<urn:ecograph:example> <http://www.w3.org/2000/01/rdf-schema#label> \"example\" ."
_RDF_BODY = {m: {**oa.TEXT, "example": _TURTLE} if m == "text/turtle" else oa.TEXT
             for m in _RDF_TYPES}
_VALIDATE_FORM = {"type": "object", "required": ["data"], "properties": {
    "data": {"type": "string", "format": "binary"}, "shapes": {"type": "string",
                                                               "format": "binary"},
    "data-format": oa.TEXT, "shapes-format": oa.TEXT}}
_REPORT = {"application/json": oa.REPORT, "text/turtle": oa.TEXT,
           "application/ld+json": oa.JSON_LD, "text/html": oa.TEXT}
_REFUSED = {422: oa.answer("A SHACL Violation: nothing was written; the body is the "
                           "validation report (in JSON, as problem details)",
                           {PROBLEM_JSON: {"allOf": [oa.PROBLEM, oa.REPORT]},
                            **{m: s for m, s in _REPORT.items() if m != "application/json"}})}
_CHANGE_SET = {"type": "object", "additionalProperties": False, "properties": {
    "add": oa.TEXT, "remove": oa.TEXT, "format": oa.TEXT, "graph": oa.TEXT, "message": oa.TEXT},
    "example": {"add": _TURTLE, "graph": "https://w3id.org/ecograph/graph/curation",
                "message": "an example"}}
_WRITE_PARAMETERS = [
    oa.query_parameter("dry-run", "Validate and answer what would change; write nothing",
                       {"type": "boolean"}),
    oa.query_parameter("message", "Why: kept in the change log")]
_OUTCOME = {200: oa.answer("A dry run: what would change", {"application/json": oa.OUTCOME}),
            201: oa.answer("Committed with its change-log entry",
                           {"application/json": oa.OUTCOME},
                           {"Location": "The change's log entry",
                            "Ecograph-Change": "The change's id"},
                           {"GetChange": {
                               "operationId": "get_one_change_changes__change_id__get",
                               "parameters": {"change_id": "$response.body#/id"}},
                            "RevertChange": {
                               "operationId": "revert_change_changes__change_id__revert_post",
                               "parameters": {"change_id": "$response.body#/id"}}})}
_CHANGES = {"type": "object", "required": ["changes", "limit", "offset"], "properties": {
    "changes": {"type": "array", "items": oa.CHANGE}, "limit": {"type": "integer"},
    "offset": {"type": "integer"}}}


@router.post("/validate", summary="Validate RDF against the shapes; writes nothing",
             responses=oa.answers({200: oa.answer("The validation report, negotiated",
                                                  _REPORT)}, 400, 413, 415, 503),
             openapi_extra={"parameters": [oa.query_parameter(
                 "against", "store: validate together with the stored data it touches",
                 {"type": "string", "enum": ["store"]})],
                 **oa.body({**_RDF_BODY, "multipart/form-data": _VALIDATE_FORM})})
async def validate_endpoint(request: Request) -> Response:
    """Body: RDF in any syntax, or multipart ``data`` (+ ``shapes``). ``?against=store``
    validates the data together with the stored data it touches."""
    state = state_of(request)
    unknown = sorted(set(request.query_params) - {"against"})
    if unknown:
        raise HTTPProblem(400, f"unknown parameter(s): {', '.join(unknown)}; /validate takes "
                               "against=store", type_="BadParameter")
    against = request.query_params.get("against")
    if against not in (None, "store"):
        raise HTTPProblem(400, "against must be 'store'", type_="BadParameter")
    data, shapes = await read_rdf(request)
    checker = _gate(request)
    base = checker.rules()

    def work() -> ValidationReport:
        from ecograph.incremental import validate_change
        from ecograph.validate import validate

        if shapes is not None:
            check_shapes(shapes)
            rules = Rules.of(shapes, base.schema if against else Graph())
        else:
            rules = base
        if against == "store":
            change = ChangeSet(additions=quads_of(data, _PROPOSED))
            return validate_change(state.store, change, rules.shapes, rules.schema,
                                   rules.reach).report
        if shapes is not None:
            return pyshacl_answer(data, shapes)
        return validate(data, rules.shapes, rules.schema if len(rules.schema) else None)

    import asyncio

    report = await asyncio.get_running_loop().run_in_executor(None, work)
    return report_response(request, report)


def pyshacl_answer(data: Graph, shapes: Graph) -> ValidationReport:
    """Plain SHACL: *data* against *shapes* with pyshacl's defaults (as the W3C tests run)."""
    import pyshacl

    from ecograph.validate import report_from_graph

    _conforms, report_graph, _text = pyshacl.validate(data, shacl_graph=shapes)
    return report_from_graph(report_graph, data, shapes)


def check_shapes(shapes: Graph) -> None:
    """Refuse a shapes graph that breaks the SHACL shapes for SHACL (shacl-shacl)."""
    import importlib.resources

    import pyshacl

    meta = Graph().parse(str(importlib.resources.files("pyshacl") / "assets" /
                             "shacl-shacl.ttl"), format="turtle")
    conforms, report_graph, _text = pyshacl.validate(shapes, shacl_graph=meta,
                                                     inference="none")
    if not conforms:
        from ecograph.validate import report_from_graph

        report = report_from_graph(report_graph, shapes, meta)
        first = report.results[0] if report.results else None
        detail = f": {term_text(first.focus)} — {first.message}" if first else ""
        raise InputError(f"the shapes graph is not valid SHACL ({len(report.results)} "
                         f"problem(s) found by the SHACL shapes for SHACL){detail}")


# --- change sets ---------------------------------------------------------------------------


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """What a write did or would do: triples added and removed, and the report."""
    change = outcome.change

    def lines(quads: set[Any]) -> list[str]:
        return sorted(f"{term_text(s)} {term_text(p)} {term_text(o)}"
                      + (f" {term_text(g)}" if g is not None else "") + " ."
                      for s, p, o, g in quads)

    body: dict[str, Any] = {
        "dryRun": outcome.dry_run,
        "changed": not change.is_empty(),
        "id": None if outcome.dry_run else outcome.change_id,
        "added": len(change.additions), "removed": len(change.removals),
        "validation": {"mode": outcome.validation.mode,
                       "focusNodes": len(outcome.validation.focus_nodes)},
        "report": report_to_dict(outcome.validation.report),
    }
    key = "wouldAdd" if outcome.dry_run else "additions"
    body[key] = lines(change.additions)
    body["wouldRemove" if outcome.dry_run else "removals"] = lines(change.removals)
    if outcome.written:
        body["location"] = f"/changes/{outcome.change_id}"
    return body


def _outcome_response(outcome: Outcome) -> Response:
    body = outcome_json(outcome)
    if outcome.written:
        return JSONResponse(body, status_code=201,
                            headers={"Location": body["location"],
                                     "Ecograph-Change": str(outcome.change_id)})
    return JSONResponse(body, status_code=200)


async def _read_change(request: Request) -> tuple[ChangeSet, str | None]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    graph_param = request.query_params.get("graph")
    if content_type == "application/json":
        try:
            spec = json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"the change set is not valid JSON: {exc}") from None
        if not isinstance(spec, dict) or not (set(spec) <= {"add", "remove", "format",
                                                            "graph", "message"}):
            raise InputError("a change set is a JSON object with keys add, remove, format, "
                             "graph and message")
        syntax = syntax_by_name(str(spec.get("format") or "turtle"))
        target = check_graph(spec.get("graph") or graph_param, syntax)
        adds = dataset_quads(str(spec.get("add") or ""), syntax, target, "add")
        removes = dataset_quads(str(spec.get("remove") or ""), syntax, target, "remove")
        if not adds and not removes:
            raise InputError("the change set adds and removes nothing")
        return ChangeSet(additions=adds, removals=removes), spec.get("message")
    if not content_type:
        raise HTTPProblem(415, "send the change set as application/json or as RDF with its "
                               "Content-Type")
    syntax = syntax_for_media_type(content_type)
    target = check_graph(graph_param, syntax)
    adds = dataset_quads(body, syntax, target, "body")
    if not adds:
        raise InputError("the body holds no triples to add")
    return ChangeSet(additions=adds), None


@router.post("/changes", summary="Submit a change set (validated, logged, atomic)",
             status_code=201,
             responses=oa.answers({**_OUTCOME, **_REFUSED}, 400, 401, 403, 409, 413, 415,
                                  503),
             openapi_extra={"parameters": [*_WRITE_PARAMETERS, oa.query_parameter(
                 "graph", "The graph an RDF body (or a JSON change set without graph) "
                          "changes")], "security": oa.BEARER,
                 **oa.body({"application/json": _CHANGE_SET, **_RDF_BODY})})
async def post_change(request: Request) -> Response:
    state = state_of(request)
    require_writer(request, state.settings, scopes.CHANGE)
    dry_run = _flag(request, "dry-run")
    change, message = await _read_change(request)
    message = request.query_params.get("message") or message
    checker = _gate(request)
    agent = gate.current().agent
    rules = checker.rules()
    outcome = await checker.run(lambda commit: submit(
        state.store, change, rules, agent=agent, message=message, dry_run=dry_run,
        commit=commit))
    return _outcome_response(outcome)


@router.get("/changes", summary="The change log, newest first",
            responses=oa.answers({200: oa.answer("Entries of the change log, newest first",
                                                 {"application/json": _CHANGES})}, 400))
async def get_changes(request: Request, limit: int = 50, offset: int = 0) -> Response:
    if not (1 <= limit <= 1000) or offset < 0:
        raise HTTPProblem(400, "limit must be 1…1000 and offset ≥ 0", type_="BadParameter")
    entries = list_changes(state_of(request).store, limit=limit, offset=offset)
    return JSONResponse({"changes": [e.summary() for e in entries],
                         "limit": limit, "offset": offset})


@router.get("/changes/{change_id}", summary="One change: who, when, why and its triples",
            responses=oa.answers({200: oa.answer("The change, with the triples it added and "
                                                 "removed", {"application/json": oa.CHANGE,
                                                             "text/turtle": oa.TEXT})}, 404))
async def get_one_change(request: Request, change_id: str) -> Response:
    store = state_of(request).store
    entry = get_change(store, change_id)
    if entry is None:
        raise HTTPProblem(404, f"no change with id {change_id!r}", type_="UnknownChange")
    wanted = choose(request.headers.get("accept"), ("application/json", "text/turtle"))
    if wanted == "text/turtle":
        result = store.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graphs.CHANGELOG}> {{ ?s ?p ?o "
            f"FILTER(?s = <{CHANGE[change_id]}> || STRSTARTS(STR(?s), "
            f"\"{CHANGE[change_id]}#\")) }} }}")
        turtle = result.graph.serialize(format="turtle")  # type: ignore[union-attr]
        return Response(turtle, media_type="text/turtle", headers={"Vary": "Accept"})

    def lines(quads: set[Any]) -> list[str]:
        return sorted(f"{term_text(s)} {term_text(p)} {term_text(o)}"
                      + (f" {term_text(g)}" if g is not None else "") + " ."
                      for s, p, o, g in quads)

    return JSONResponse({**entry.summary(), "additions": lines(entry.additions),
                         "removals": lines(entry.removals)}, headers={"Vary": "Accept"})


@router.post("/changes/{change_id}/revert", summary="Undo a change (itself validated)",
             responses=oa.answers({**_OUTCOME, **_REFUSED}, 400, 401, 403, 404, 409, 503),
             openapi_extra={"parameters": _WRITE_PARAMETERS, "security": oa.BEARER})
async def revert_change(request: Request, change_id: str) -> Response:
    state = state_of(request)
    require_writer(request, state.settings, scopes.REVERT)
    dry_run = _flag(request, "dry-run")
    checker = _gate(request)
    agent = gate.current().agent
    rules = checker.rules()
    message = request.query_params.get("message")
    outcome = await checker.run(lambda commit: revert(
        state.store, change_id, rules, agent=agent, message=message, dry_run=dry_run,
        commit=commit))
    return _outcome_response(outcome)


# --- installing ---------------------------------------------------------------------------


def install(app: FastAPI, bundle: Bundle | None = None) -> None:
    """Add the curation routes to *app* and gate its writes (one call in ``create_app``)."""

    async def on_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ValidationFailedError)
        refusal = HTTPProblem(422, exc.message, type_="ValidationFailedError")
        return report_response(request, exc.report, status=422, json_type=PROBLEM_JSON,
                               extra=problem_document(refusal, instance_of(request.scope)))

    async def on_conflict(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ChangeConflictError)
        return render(request, HTTPProblem(409, exc.message, type_="ChangeConflictError"))

    async def on_dry_run(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, gate.DryRunAnswer)
        return JSONResponse(outcome_json(exc.outcome), status_code=200)

    app.add_exception_handler(ValidationFailedError, on_refused)
    app.add_exception_handler(ChangeConflictError, on_conflict)
    app.add_exception_handler(gate.DryRunAnswer, on_dry_run)
    app.include_router(router)
    gate.install(app, bundle)

