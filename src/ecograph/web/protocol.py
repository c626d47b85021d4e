"""Reading SPARQL 1.1 Protocol requests: which operation, its text, dataset and limits.

GET carries a query in the URL; POST carries a form (``query=`` or ``update=``) or the
text itself (``application/sparql-query``, ``application/sparql-update``) with the
dataset parameters in the URL. Everything a client can get wrong is refused here with
the status the protocol names, before anything runs: 400 for bad parameters, an update
on GET, both a query and an update, an empty operation, a dataset IRI that is not an
IRI, a body that is not UTF-8; 415 for a missing or unsupported ``Content-Type``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import Request

from ecograph.web.errors import HTTPProblem
from ecograph.web.sparql_text import tokens

QUERY_PARAMS = frozenset({"query", "default-graph-uri", "named-graph-uri"})
UPDATE_PARAMS = frozenset({"update", "using-graph-uri", "using-named-graph-uri"})
#: Parameters ecograph adds: the answer's format (``format``, or ``output``/``results`` as
#: SPARQLWrapper and other clients send it), and lower limits for this request.
EXTRA_PARAMS = frozenset({"format", "output", "results", "timeout", "max-rows"})
KNOWN_PARAMS = QUERY_PARAMS | UPDATE_PARAMS | EXTRA_PARAMS
FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*$")


@dataclass(frozen=True)
class Limits:
    """The limits a request asked for (``None``: the server's setting)."""

    timeout: float | None = None
    max_rows: int | None = None

    def apply(self, timeout: float, max_rows: int) -> tuple[float, int]:
        """Return the limits in force: the request may lower the settings, never raise them."""
        return (min(timeout, self.timeout or timeout),
                max_rows if self.max_rows is None else min(max_rows, self.max_rows))


@dataclass(frozen=True)
class Operation:
    """A query or an update from one request, with its protocol dataset."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None
    limits: Limits


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPProblem(400, f"the {what} is not valid UTF-8 (byte {exc.start}); "
                               "SPARQL requests must be encoded in UTF-8") from None


def _media_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type")
    if not header:
        raise HTTPProblem(415, f"a POST to the SPARQL endpoint needs a Content-Type: {FORM}, "
                               f"{QUERY_TYPE} or {UPDATE_TYPE}")
    fields = [f.strip() for f in header.split(";")]
    charset = None
    for field in fields[1:]:
        name, _, value = field.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return fields[0].lower(), charset


def _params(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    unknown = sorted(set(params) - KNOWN_PARAMS)
    if unknown:
        raise HTTPProblem(400, f"unknown parameter(s): {', '.join(unknown)}; the endpoint "
                               f"takes {', '.join(sorted(KNOWN_PARAMS))}", type_="BadParameter")
    for name in ("query", "update", "format", "output", "results", "timeout", "max-rows"):
        if len(params.get(name, [])) > 1:
            raise HTTPProblem(400, f"the parameter {name!r} was given "
                                   f"{len(params[name])} times; give it once",
                              type_="BadParameter")
    return params


def _iris(params: dict[str, list[str]], name: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in params.get(name, []))
    for value in values:
        if not _IRI.match(value):
            raise HTTPProblem(400, f"{name} {value!r} is not an absolute IRI",
                              type_="BadParameter")
    return values


def read_limits(params: dict[str, list[str]]) -> Limits:
    timeout = max_rows = None
    if "timeout" in params:
        try:
            timeout = float(params["timeout"][0])
        except ValueError:
            timeout = math.nan
        if not timeout > 0 or math.isinf(timeout):
            raise HTTPProblem(400, f"timeout must be a positive number of seconds; got "
                                   f"{params['timeout'][0]!r}", type_="BadParameter")
    if "max-rows" in params:
        raw = params["max-rows"][0]
        if not raw.strip().isdigit():
            raise HTTPProblem(400, f"max-rows must be a whole number; got {raw!r}",
                              type_="BadParameter")
        max_rows = int(raw)
    return Limits(timeout, max_rows)


def is_blank(text: str) -> bool:
    """Whether *text* holds no SPARQL at all (only white space and comments)."""
    return not tokens(text)


def _operation(params: dict[str, list[str]], method: str) -> Operation:
    if "query" in params and "update" in params:
        raise HTTPProblem(400, "a request carries either a query or an update, not both",
                          type_="BadParameter")
    fmt = (params.get("format") or params.get("output") or params.get("results") or [None])[0]
    if "update" in params:
        if method == "GET":
            raise HTTPProblem(400, "an update must be sent with POST (SPARQL 1.1 Protocol "
                                   "§2.2); GET only carries queries", type_="BadMethod")
        wrong = sorted(set(params) & {"default-graph-uri", "named-graph-uri"})
        if wrong:
            raise HTTPProblem(400, f"{', '.join(wrong)} apply to queries; an update takes "
                                   "using-graph-uri and using-named-graph-uri",
                              type_="BadParameter")
        text = params["update"][0]
        if is_blank(text):
            raise HTTPProblem(400, "the update is empty", type_="EmptyOperation")
        return Operation("update", text, _iris(params, "using-graph-uri"),
                         _iris(params, "using-named-graph-uri"), fmt, read_limits(params))
    wrong = sorted(set(params) & {"using-graph-uri", "using-named-graph-uri"})
    if wrong:
        raise HTTPProblem(400, f"{', '.join(wrong)} apply to updates; a query takes "
                               "default-graph-uri and named-graph-uri", type_="BadParameter")
    if "query" not in params:
        raise HTTPProblem(400, "no query given: send query=… (or POST the query text as "
                               f"{QUERY_TYPE})", type_="EmptyOperation")
    text = params["query"][0]
    if is_blank(text):
        raise HTTPProblem(400, "the query is empty", type_="EmptyOperation")
    return Operation("query", text, _iris(params, "default-graph-uri"),
                     _iris(params, "named-graph-uri"), fmt, read_limits(params))


def url_params(request: Request) -> list[tuple[str, str]]:
    """The URL's parameters, refusing a query string that is not UTF-8."""
    raw = request.scope.get("query_string", b"")
    text = _decode(raw, "query string")
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise HTTPProblem(400, "a URL parameter is not valid UTF-8 once decoded; SPARQL "
                               "requests must be encoded in UTF-8") from None


async def read_operation(request: Request) -> Operation | None:
    """Return the operation *request* carries; ``None`` for a bare GET (service description)."""
    pairs = url_params(request)
    if request.method in ("GET", "HEAD"):
        if not pairs:
            return None
        return _operation(_params(pairs), "GET")
    media_type, charset = _media_type(request)
    if charset not in (None, "utf-8", "utf8"):
        raise HTTPProblem(415, f"charset {charset!r} is not supported; send UTF-8")
    body = await request.body()
    if media_type == FORM:
        text = _decode(body, "form body")
        try:
            form = parse_qsl(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise HTTPProblem(400, "the form body is not valid UTF-8 once decoded; SPARQL "
                                   "requests must be encoded in UTF-8") from None
        return _operation(_params(pairs + form), "POST")
    if media_type in (QUERY_TYPE, UPDATE_TYPE):
        params = _params(pairs)
        key = "query" if media_type == QUERY_TYPE else "update"
        if "query" in params or "update" in params:
            raise HTTPProblem(400, f"the body is the {key}: do not also give query= or "
                                   "update= in the URL", type_="BadParameter")
        params[key] = [_decode(body, f"{key} body")]
        return _operation(params, "POST")
    raise HTTPProblem(415, f"unsupported Content-Type {media_type!r}: use {FORM}, "
                           f"{QUERY_TYPE} or {UPDATE_TYPE}")
