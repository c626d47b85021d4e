"""Answering a query over HTTP: negotiation, limits, federation rules, cache and ETag.

``/sparql`` and ``/queries/{name}`` both end here, so they negotiate, limit, cache and
label their answers the same way.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from ecograph.config import Settings
from ecograph.web.cache import Cached, matches
from ecograph.web.errors import HTTPProblem
from ecograph.web.negotiation import (
    FORMAT_NAMES,
    RDF_OFFERS,
    RESULTS_OFFERS,
    canonical,
    choose,
    format_override,
)
from ecograph.web.pool import NotAcceptableError
from ecograph.web.protocol import Limits
from ecograph.web.sparql_text import query_form, remote_targets
from ecograph.web.state import EndpointState
from ecograph.web.urls import Urls
from ecograph.web.worker import Job

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def check_remote_calls(text: str, settings: Settings) -> None:
    """Refuse ``SERVICE`` (and ``LOAD``) targets unless federation allows them (400)."""
    for keyword in ("SERVICE", "LOAD"):
        targets = remote_targets(text, keyword)
        if not targets:
            continue
        if not settings.federation:
            raise HTTPProblem(400, f"{keyword} is disabled on this server: federated calls "
                                   "are off by default (setting federation, env "
                                   "ECOGRAPH_FEDERATION=1)", type_="FederationDisabled")
        for target in targets:
            if target is None:
                raise HTTPProblem(400, f"{keyword} needs a full IRI (<http://…>) so the "
                                       "server can check it", type_="FederationRefused")
            host = urlsplit(target).hostname or ""
            allowed = host in _LOCAL_HOSTS or any(
                target.startswith(prefix) for prefix in settings.federation_allow)
            if not allowed:
                raise HTTPProblem(400, f"{keyword} <{target}> is not allowed: only "
                                       "127.0.0.1 and the federation_allow list "
                                       "(ECOGRAPH_FEDERATION_ALLOW) may be called",
                                  type_="FederationRefused")


def offered_error(offered: tuple[str, ...], what: str) -> HTTPProblem:
    """The ``406`` answer listing what the client could have asked for."""
    return HTTPProblem(406, f"none of the accepted media types fits {what}; offered: "
                            f"{', '.join(offered)}", type_="NotAcceptable",
                       offered=list(offered))


def accept_of(request: Request, fmt: str | None) -> str | None:
    """The ``Accept`` to negotiate with: the ``format``/``output`` parameter wins."""
    if fmt is None:
        return request.headers.get("accept")
    accept = format_override(fmt)
    if accept is None:
        raise HTTPProblem(400, f"unknown format {fmt!r}; use a media type or one of "
                               f"{', '.join(sorted(FORMAT_NAMES))}", type_="BadParameter")
    return accept


def labelled(media_type: str) -> str:
    """The Content-Type header for *media_type* (text types say they are UTF-8)."""
    if media_type.startswith("text/"):
        return f"{media_type}; charset=utf-8"
    return media_type


def jsonld_context(settings: Settings) -> dict[str, Any] | None:
    """The context of JSON-LD answers: the linked-data pages' (``/context.jsonld``);
    ``None`` (the ecograph prefixes) for a project without an ontology file."""
    from ecograph.web.ld_answers import ontology_of

    try:
        return ontology_of(settings).context()
    except FileNotFoundError:
        return None


async def answer_query(request: Request, state: EndpointState, text: str, *,
                       default_graphs: tuple[str, ...] = (),
                       named_graphs: tuple[str, ...] = (),
                       fmt: str | None = None, limits: Limits | None = None) -> Response:
    """Run *text* and answer it as the client prefers; raises ``HTTPProblem``/ecograph errors."""
    settings = state.settings
    accept = accept_of(request, fmt)
    results_type = choose(accept, RESULTS_OFFERS)
    graph_type = choose(accept, RDF_OFFERS)
    form = query_form(text)
    if form in ("SELECT", "ASK") and results_type is None:
        raise offered_error(RESULTS_OFFERS, f"the results of an {form} query")
    if form in ("CONSTRUCT", "DESCRIBE") and graph_type is None:
        raise offered_error(RDF_OFFERS, f"the triples of a {form} query")
    if results_type is None and graph_type is None:
        raise offered_error(RESULTS_OFFERS + RDF_OFFERS, "a query's answer")
    check_remote_calls(text, settings)
    timeout, max_rows = (limits or Limits()).apply(settings.query_timeout, settings.max_rows)
    dataset_given = bool(default_graphs or named_graphs)
    job = Job(text, canonical(results_type) if results_type else None,
              canonical(graph_type) if graph_type else None,
              default_graphs if dataset_given else None,
              named_graphs if dataset_given else None,
              max_rows, base_iri=Urls.of(request).sparql(),
              context=jsonld_context(settings) if graph_type
              and canonical(graph_type) == "application/ld+json" else None)
    key = json.dumps([job.sparql, job.default_graphs, job.named_graphs, results_type,
                      graph_type, max_rows])
    version = state.pool.version
    etag = state.cache.etag(key, version)
    headers = {"Vary": "Accept", "ETag": etag, "Cache-Control": "no-cache"}
    if request.method in ("GET", "HEAD") and matches(request.headers.get("if-none-match"),
                                                      etag):
        return Response(status_code=304, headers=headers)
    cached = state.cache.get(key, version)
    if cached is None:
        try:
            result = await state.pool.query(job, timeout)
        except NotAcceptableError as exc:
            offered = RDF_OFFERS if results_type else RESULTS_OFFERS
            raise offered_error(offered, exc.message) from None
        shown = results_type if result.kind in ("select", "ask") else graph_type
        cached = Cached(result.body, shown or result.media_type,
                        max_rows if result.truncated else None)
        state.cache.put(key, version, cached)
    if cached.truncated_at is not None:
        headers["X-SPARQL-MaxRows"] = str(cached.truncated_at)
    body = b"" if request.method == "HEAD" else cached.body
    return Response(body, media_type=labelled(cached.media_type), headers=headers)
