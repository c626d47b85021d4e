"""What the OpenAPI document at ``/openapi.json`` says: each route's bodies and answers.

Routes declare their parameters, request bodies and answers with the pieces here
(``responses=answers(...)``, ``openapi_extra=...``), so the document tells a client —
and schemathesis — every status and media type a route can answer. FastAPI's own
defaults describe a pydantic JSON API (a ``200`` of ``application/json``, a ``422`` for a
validation error); ecograph's routes build their own answers and report bad parameters as
``400`` in one error shape (:mod:`ecograph.web.errors`), so :func:`document` replaces
those defaults by what the routes declare.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ecograph.web.errors import PROBLEM_JSON
from ecograph.web.negotiation import RDF_OFFERS, RESULTS_OFFERS

JsonSchema = dict[str, Any]

#: The error object answered before RFC 9457, kept as the ``error`` member (deprecated).
LEGACY_ERROR: JsonSchema = {
    "type": "object", "required": ["status", "type", "title", "message"],
    "properties": {"status": {"type": "integer"}, "type": {"type": "string"},
                   "title": {"type": "string"}, "message": {"type": "string"}}}
#: The one error shape (``web/errors.py``): RFC 9457 problem details, with the error's
#: extras (``line``, ``limit``, ``offered``, …) as extension members; a browser gets the
#: same as an HTML page.
PROBLEM: JsonSchema = {
    "type": "object", "required": ["type", "title", "status", "detail", "error"],
    "properties": {
        "type": {"type": "string", "format": "uri",
                 "description": "The problem type: an absolute IRI that dereferences"},
        "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The request's path (left out when "
                                                     "a private server refuses a read)"},
        "error": {**LEGACY_ERROR, "deprecated": True,
                  "description": "The pre-RFC 9457 shape; read the members above"}},
}
TEXT: JsonSchema = {"type": "string"}
#: A JSON-LD document (an object, or an array of node objects).
JSON_LD: JsonSchema = {"type": ["object", "array"]}
#: SPARQL 1.1 Query Results JSON: a SELECT's ``head``/``results`` or an ASK's ``boolean``.
SPARQL_JSON: JsonSchema = {
    "type": "object", "required": ["head"],
    "properties": {
        "head": {"type": "object"},
        "boolean": {"type": "boolean"},
        "results": {"type": "object", "required": ["bindings"],
                    "properties": {"bindings": {"type": "array",
                                                "items": {"type": "object"}}}}},
}
#: The curator JSON of a SHACL report (``reports.report_to_dict``).
REPORT: JsonSchema = {
    "type": "object", "required": ["conforms", "accepted", "counts", "focusNodes"],
    "properties": {"conforms": {"type": "boolean"}, "accepted": {"type": "boolean"},
                   "counts": {"type": "object"},
                   "focusNodes": {"type": "array", "items": {"type": "object"}}},
}
#: What a change set did, or would do with ``dry-run`` (``routes/curation.outcome_json``).
OUTCOME: JsonSchema = {
    "type": "object",
    "required": ["dryRun", "changed", "id", "added", "removed", "validation", "report"],
    "properties": {"dryRun": {"type": "boolean"}, "changed": {"type": "boolean"},
                   "id": {"type": ["string", "null"]}, "added": {"type": "integer"},
                   "removed": {"type": "integer"}, "validation": {"type": "object"},
                   "report": REPORT, "location": {"type": "string"}},
}
#: One entry of the change log (``changelog.Change.summary``).
CHANGE: JsonSchema = {
    "type": "object", "required": ["id", "iri", "time", "agent", "added", "removed"],
    "properties": {"id": {"type": "string"}, "iri": {"type": "string"},
                   "time": {"type": "string"}, "agent": {"type": "string"},
                   "added": {"type": "integer"}, "removed": {"type": "integer"}},
}
#: Media types of the linked-data representations (``web/ld_answers.REPRESENTATIONS``).
LINKED_DATA = ("text/turtle", "application/ld+json", "application/n-triples",
               "application/rdf+xml", "application/trig", "application/n-quads", "text/html")
_JSON_TYPES = ("application/json", "application/sparql-results+json")
#: What each error status means on this endpoint, when it is not the reason phrase.
_WHY = {
    400: "Bad request: a parameter, path or body that cannot be used (the message says why)",
    401: "A write without the server's bearer token (WWW-Authenticate: Bearer)",
    403: "Writes are off on this server (start it with --writable)",
    404: "Nothing there",
    406: "None of the types in Accept is offered here; `offered` lists them",
    409: "The change no longer applies to the stored data",
    413: "The request body is over the size limit (max_body_bytes)",
    415: "The body's Content-Type is missing or not a syntax read here",
    422: "A SHACL Violation: nothing was written; the body is the validation report",
    503: "The query ran past the time limit (QueryTimeoutError), or the service is not ready",
}


def schema_of(media_type: str) -> JsonSchema:
    """The schema of an answer in *media_type* when nothing more is said: JSON is parsed."""
    if media_type in _JSON_TYPES:
        return {"type": "object"}
    return JSON_LD if media_type.endswith("json") else TEXT


def content(media_types: Iterable[str] | Mapping[str, JsonSchema]) -> dict[str, Any]:
    """An OpenAPI ``content`` map: each media type with its schema (:func:`schema_of` when
    not given)."""
    if isinstance(media_types, Mapping):
        return {m: {"schema": s} for m, s in media_types.items()}
    return {m: {"schema": schema_of(m)} for m in media_types}


def answer(description: str, media_types: Iterable[str] | Mapping[str, JsonSchema] = (),
           headers: Mapping[str, str] | None = None,
           links: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """One declared answer: its description, media types, the headers it carries and its
    links (the operations a client can call next with values from this answer)."""
    declared: dict[str, Any] = {"description": description}
    found = content(media_types)
    if found:
        declared["content"] = found
    if headers:
        declared["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                               for name, text in headers.items()}
    if links:
        declared["links"] = dict(links)
    return declared


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers in the one error shape: problem details (also to a client asking for
    ``application/json``), or an HTML page for a browser."""
    declared: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        declared[status] = {
            "description": _WHY.get(status, HTTPStatus(status).phrase),
            "content": {PROBLEM_JSON: {"schema": PROBLEM}, "text/html": {"schema": TEXT}}}
    if 401 in statuses:
        declared[401]["headers"] = {"WWW-Authenticate": {
            "description": "Bearer realm=\"ecograph\"", "schema": {"type": "string"}}}
    return declared


def answers(ok: Mapping[int, dict[str, Any]], *errors: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: its successful answers and its error statuses."""
    return {**ok, **problems(*errors)}


def query_parameter(name: str, description: str, schema: JsonSchema | None = None, *,
                    required: bool = False, **extra: Any) -> dict[str, Any]:
    """One URL parameter (``in: query``)."""
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or TEXT, **extra}


def header_parameter(name: str, description: str) -> dict[str, Any]:
    """One request header the route reads (``Accept``/``Content-Type`` are never listed)."""
    return {"name": name, "in": "header", "required": False, "description": description,
            "schema": TEXT}


def body(media_types: Mapping[str, JsonSchema], *, required: bool = True,
         description: str = "") -> dict[str, Any]:
    """An ``openapi_extra`` declaring the request body in each of *media_types*."""
    return {"requestBody": {"required": required, "description": description,
                            "content": {m: {"schema": s} for m, s in media_types.items()}}}


#: Parameters every query answer takes besides its own (``web/protocol.EXTRA_PARAMS``).
ANSWER_PARAMETERS = [
    query_parameter("format", "The answer's format, winning over Accept: a short name "
                              "(json, xml, csv, tsv, turtle, nt, …) or a media type"),
    query_parameter("output", "The same as format (as SPARQLWrapper sends it)"),
    query_parameter("results", "The same as format"),
    query_parameter("timeout", "A lower time limit for this request, in seconds (never "
                               "above the server's)", {"type": "number",
                                                       "exclusiveMinimum": 0}),
    query_parameter("max-rows", "A lower row cap for this request",
                    {"type": "integer", "minimum": 0}),
]
IF_NONE_MATCH = header_parameter("If-None-Match", "An ETag of an earlier answer: 304 when "
                                                   "the store has not changed since")
#: A query's answer: SPARQL results, or RDF for CONSTRUCT and DESCRIBE.
QUERY_ANSWER = answer(
    "The answer, negotiated: SPARQL results for SELECT/ASK, RDF for CONSTRUCT/DESCRIBE",
    {**{m: (SPARQL_JSON if m in _JSON_TYPES else TEXT) for m in RESULTS_OFFERS},
     **{m: schema_of(m) for m in RDF_OFFERS}},
    {"ETag": "The answer's version", "X-SPARQL-MaxRows": "Set when the rows were cut at "
                                                         "this cap"})
NOT_MODIFIED = answer("The store has not changed since the ETag in If-None-Match",
                      headers={"ETag": "The answer's version"})
#: The bearer token (``web/auth.py``), required on every write.
BEARER = [{"bearer": []}]


def document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of *app*: FastAPI's, with its defaults replaced (see above)."""
    with warnings.catch_warnings():
        # A route answering GET and HEAD gets one operationId for both (FastAPI warns);
        # the HEAD operation's is made unique below.
        warnings.filterwarnings("ignore", message="Duplicate Operation ID")
        schema = get_openapi(title=app.title, version=app.version,
                             description=app.description, routes=app.routes)
    for path in schema.get("paths", {}).values():
        for method, operation in path.items():
            if method == "head" and "operationId" in operation:
                operation["operationId"] = operation["operationId"].removesuffix("_get") + "_head"
            responses = operation.get("responses", {})
            fallback = responses.get("422", {})
            if fallback.get("description") == "Validation Error":
                del responses["422"]
            for status, declared in list(responses.items()):
                placeholders = [m for m, c in declared.get("content", {}).items()
                                if c.get("schema") in ({}, None)]
                for media_type in placeholders:
                    del declared["content"][media_type]
                if "content" in declared and not declared["content"]:
                    del declared["content"]
                if (declared.get("description") == "Successful Response"
                        and "content" not in declared and len(responses) > 1):
                    del responses[status]
    components = schema.setdefault("components", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.get("schemas", {}).pop(name, None)
    if not components.get("schemas"):
        components.pop("schemas", None)
    components["securitySchemes"] = {"bearer": {
        "type": "http", "scheme": "bearer",
        "description": "The server's write token (ecograph serve --writable --token T)"}}
    return schema


def install(app: FastAPI) -> None:
    """Serve :func:`document` at ``/openapi.json`` (built on the first request)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]
