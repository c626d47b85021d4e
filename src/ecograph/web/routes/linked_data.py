"""Dereferencing: entity IRIs, the ontology and its terms, the JSON-LD context, label search.

A request path stands for the IRI ``Settings.base_iri + path``: ``/id/organisation/umf-iasi``
for ``https://w3id.org/ecograph/id/organisation/umf-iasi`` with the default base. Each
resource answers in every RDF syntax of :mod:`ecograph.web.ld_answers` and as HTML, by
content negotiation (``Vary: Accept``, ``Content-Location`` naming the variant) or by a
suffix URL (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.trig``, ``.nq``, ``.html``).
An IRI nothing is said about is a ``404`` with search suggestions; a path that cannot be
an ecograph IRI is a ``400``; an ``Accept`` nothing matches is a ``406`` listing the offers.
"""

from __future__ import annotations

import re
import threading
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi import Path as Param
from fastapi.responses import JSONResponse, RedirectResponse, Response
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from ecograph.context import OntologyFile, context_document
from ecograph.describe import Description, describe
from ecograph.iris import KINDS, mint, parse_entity_iri
from ecograph.namespaces import BASE, ECOGRAPH, ONTOLOGY_IRI
from ecograph.ontology_docs import document, render_html
from ecograph.search import MAX_QUERY_LENGTH, Hit, LabelIndex, search
from ecograph.web import openapi as oa
from ecograph.web.errors import HTTPProblem
from ecograph.web.ld_answers import (
    GET,
    HTML,
    SECURITY_HEADERS,
    Linker,
    Representation,
    html_response,
    link_header,
    negotiate,
    negotiate_type,
    ontology_of,
    rdf_response,
    split_suffix,
    templates,
)
from ecograph.web.routes import dumps, network
from ecograph.web.state import state_of

router = APIRouter(tags=["linked data"])
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$")
#: Identifiers linked out: property → (scheme, URL template).
IDENTIFIERS = {
    ECOGRAPH.rorId: ("ROR", "https://ror.org/{}"),
    ECOGRAPH.wikidataId: ("Wikidata", "https://www.wikidata.org/entity/{}"),
    ECOGRAPH.cordisProjectId: ("CORDIS", "https://cordis.europa.eu/project/id/{}"),
    ECOGRAPH.cordisPic: ("PIC", "https://ec.europa.eu/info/funding-tenders/opportunities/"
                                "portal/screen/how-to-participate/org-details/{}"),
    ECOGRAPH.nutsCode: ("NUTS", "http://data.europa.eu/nuts/code/{}"),
}
_EXTERNAL_IDS = (("https://ror.org/", "ROR"), ("http://www.wikidata.org/entity/", "Wikidata"),
                 ("https://www.wikidata.org/entity/", "Wikidata"),
                 ("https://cordis.europa.eu/project/id/", "CORDIS"),
                 ("http://data.europa.eu/nuts/code/", "NUTS"))
NETWORK_KINDS = ("region", "country", "cluster")


def _ontology(request: Request) -> OntologyFile:
    return ontology_of(state_of(request).settings)


_indexes: dict[tuple[str, int], LabelIndex] = {}
_index_lock = threading.Lock()


def label_index(request: Request) -> LabelIndex:
    """The label index of the served store, built once per store version."""
    state = state_of(request)
    key = (state.cache.boot, state.pool.version)
    with _index_lock:
        index = _indexes.get(key)
        if index is None:
            index = LabelIndex.build(state.store)
            _indexes.clear()
            _indexes[key] = index
        return index


def _search(request: Request, text: str, limit: int = 50) -> list[Hit]:
    return search(state_of(request).store, text, limit=limit, index=label_index(request))


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise HTTPProblem(400, f"page must be a whole number from 1; got {raw!r}")
    return int(raw)


def _variant(request: Request, rep: Representation | None) -> tuple[Representation, dict]:
    """The representation to answer with, and the headers saying how it was chosen."""
    if rep is not None:
        return rep, {}
    return negotiate(request), {"Vary": "Accept"}


def _check_entity_path(path: str, suffix: str) -> str | None:
    """Return a canonical path to redirect to, None when *path* is canonical; or raise 400."""
    kind, _, key = path.partition("/")
    if not key or "/" in key:
        raise HTTPProblem(400, f"/id/{path} is not an entity path: use /id/KIND/KEY with KIND "
                               f"one of {', '.join(sorted(KINDS))}")
    if parse_entity_iri(f"{BASE}id/{path}") is not None:
        return None
    try:
        canonical = mint(kind, key)
    except ValueError as exc:
        raise HTTPProblem(400, f"/id/{path} is not an ecograph entity path: {exc}") from exc
    return "/" + str(canonical)[len(BASE):] + suffix


# --- what the OpenAPI document says about these routes -------------------------------------

_DESCRIBED = {200: oa.answer("The description, negotiated (or chosen by the path's suffix)",
                             oa.LINKED_DATA, {"Link": "The other representations (and the "
                                                      "next page)",
                                              "Content-Location": "The representation "
                                                                  "chosen by Accept"})}
_PAGE = {"parameters": [oa.query_parameter("page", "Which page of a long description",
                                           {"type": "integer", "minimum": 1})]}
_SEARCH = {"type": "object", "required": ["query", "hits"], "properties": {
    "query": oa.TEXT, "hits": {"type": "array", "items": {
        "type": "object", "required": ["iri", "label", "href", "types"]}}}}


@router.api_route("/id/{path:path}", methods=GET, summary="Dereference an entity IRI",
                  responses=oa.answers({**_DESCRIBED, 301: oa.answer(
                      "The canonical path of this entity", headers={"Location": "It"})},
                      400, 404, 406), openapi_extra=_PAGE)
def entity(path: Annotated[str, Param(examples=["organisation/umf-iasi", "region/RO21"])],
           request: Request) -> Response:
    """An entity's description (HTML for browsers; Turtle, JSON-LD, … by negotiation)."""
    bare, rep = split_suffix(path)
    canonical = _check_entity_path(bare, rep.suffix if rep else "")
    if canonical is not None:
        return RedirectResponse(Linker(request, state_of(request).settings).root + canonical,
                                status_code=301)
    return _resource(request, "id/" + bare, rep)


@router.api_route("/vocab/{path:path}", methods=GET, summary="Dereference a concept IRI",
                  responses=oa.answers(_DESCRIBED, 400, 404, 406), openapi_extra=_PAGE)
def concept(path: Annotated[str, Param(examples=["theme/artificial-intelligence"])],
            request: Request) -> Response:
    """A SKOS concept or scheme of the project's vocabularies."""
    bare, rep = split_suffix(path)
    return _resource(request, "vocab/" + bare, rep)


@router.api_route("/graph/{path:path}", methods=GET, summary="Dereference a named graph IRI",
                  responses=oa.answers(_DESCRIBED, 400, 404, 406), openapi_extra=_PAGE)
def graph_resource(path: Annotated[str, Param(examples=["imago-mol-article"])],
                   request: Request) -> Response:
    """What the store says about a named graph (its source and provenance)."""
    bare, rep = split_suffix(path)
    return _resource(request, "graph/" + bare, rep)


def _resource(request: Request, path: str, rep: Representation | None) -> Response:
    if not _SAFE_PATH.match(path) or "//" in path or path.endswith("/"):
        raise HTTPProblem(400, f"/{path} is not a resource path")
    state = state_of(request)
    linker = Linker(request, state.settings)
    iri = URIRef(linker.iri_of(path))
    page = _page_number(request)
    chosen, headers = _variant(request, rep)
    description = describe(state.store, iri, page=page)
    if description is None:
        return not_found(request, linker, str(iri), path, chosen)
    url = linker.href(str(iri))
    alternates = linker.alternates(url)
    headers["Link"] = link_header(alternates)
    if "Vary" in headers:
        headers["Content-Location"] = url + chosen.suffix
    if chosen.media_type == HTML:
        return html_response("entity.html", headers=headers,
                             **_entity_page(linker, description, url, alternates, page))
    if description.page < description.pages:
        headers["Link"] += f', <{url}{chosen.suffix}?page={page + 1}>; rel="next"'
    return rdf_response(description.dataset(), chosen, _ontology(request).context(),
                        headers=headers)


def _entity_page(linker: Linker, d: Description, url: str,
                 alternates: list[tuple[str, str, str]], page: int) -> dict[str, Any]:
    def row(statement: Any) -> dict[str, Any]:
        return {"predicate": linker.ref(statement.predicate, d.label_of(statement.predicate)),
                "value": linker.ref(statement.other, statement.other_label),
                "inferred": statement.inferred}

    inferred_types = {s.other for s in d.outgoing if s.predicate == RDF.type and s.inferred}
    types = [{**linker.ref(t, d.label_of(t)), "inferred": t in inferred_types}
             for t in d.types]
    parsed = parse_entity_iri(str(d.iri).replace(linker.base, BASE, 1))
    network = None
    if parsed is not None and parsed[0] in NETWORK_KINDS:
        network = f"{linker.root}/-/network/{parsed[0]}/{parsed[1]}"
    title = str(d.label) if d.label else str(d.iri).rsplit("/", 1)[-1]
    return linker.page(
        title, alternates, d=d, types=types, identifiers=identifiers(d), network=network,
        outgoing=[row(s) for s in d.outgoing if s.predicate != RDF.type],
        incoming=[row(s) for s in d.incoming],
        prev_page=f"{url}?page={page - 1}" if page > 1 else None,
        next_page=f"{url}?page={page + 1}" if page < d.pages else None)


def identifiers(d: Description) -> list[dict[str, str]]:
    """The description's external identifiers, each with the URL it is linked out to."""
    found: list[dict[str, str]] = []
    for s in d.outgoing:
        if s.predicate in IDENTIFIERS:
            scheme, template = IDENTIFIERS[s.predicate]
            found.append({"scheme": scheme, "text": str(s.other),
                          "href": template.format(str(s.other).strip())})
        elif isinstance(s.other, URIRef):
            for prefix, scheme in _EXTERNAL_IDS:
                if str(s.other).startswith(prefix):
                    found.append({"scheme": scheme, "text": str(s.other)[len(prefix):],
                                  "href": str(s.other)})
    unique = {(i["scheme"], i["href"]): i for i in found}
    return sorted(unique.values(), key=lambda i: (i["scheme"], i["text"]))


def not_found(request: Request, linker: Linker, iri: str, path: str,
              chosen: Representation) -> Response:
    """``404`` for an IRI nothing is said about, with resources of similar names."""
    words = " ".join(path.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").split())
    words = words[:MAX_QUERY_LENGTH]
    hits = _search(request, words, limit=5) if words else []
    for word in sorted(words.split(), key=len, reverse=True):
        if hits or len(word) < 3 or len(words.split()) == 1:
            break
        hits = _search(request, word, limit=5)
    search_url = f"{linker.root}/-/search?{urlencode({'q': words})}"
    suggestions = [{"text": h.label, "href": linker.href(str(h.iri)), "iri": str(h.iri)}
                   for h in hits]
    message = f"nothing is known about <{iri}>"
    if chosen.media_type == HTML:
        return html_response("not_found.html", status=404, headers={"Vary": "Accept"},
                             **linker.page("Not found", message=message, iri=iri,
                                           suggestions=suggestions, search=search_url,
                                           query=words))
    raise HTTPProblem(404, message, iri=iri, search=search_url, suggestions=suggestions)


# -- the ontology ---------------------------------------------------------------------------


@router.api_route("/ontology", methods=GET, summary="The ecograph ontology",
                  responses=oa.answers(_DESCRIBED, 406))
def ontology(request: Request) -> Response:
    """The ontology (every term) as RDF, or its HTML documentation for browsers."""
    return _ontology_answer(request, None)


@router.api_route("/ontology{suffix:path}", methods=GET, include_in_schema=False)
def ontology_suffixed(suffix: str, request: Request) -> Response:
    """``/ontology.ttl``, ``/ontology.html`` …, and the version IRI ``/ontology/0.1.0``."""
    bare, rep = split_suffix("ontology" + suffix)
    if bare == "ontology" and rep is not None:
        return _ontology_answer(request, rep)
    graph = _ontology(request).graph()
    version = graph.value(URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    if version is not None and str(version) == ONTOLOGY_IRI + bare[len("ontology"):]:
        return _ontology_answer(request, rep)
    raise HTTPProblem(404, f"no ontology document at /{'ontology' + suffix}; the ontology is "
                           f"at /ontology and its terms at /ontology#TERM")


def _ontology_answer(request: Request, rep: Representation | None) -> Response:
    chosen, headers = _variant(request, rep)
    source = _ontology(request)
    linker = Linker(request, state_of(request).settings)
    url = linker.href(ONTOLOGY_IRI)
    alternates = linker.alternates(url)
    headers["Link"] = link_header(alternates)
    if "Vary" in headers:
        headers["Content-Location"] = url + chosen.suffix
    if chosen.media_type == HTML:
        page = linker.page("ecograph ontology", alternates)
        body = render_html(document(source.graph()), templates(), **page)
        return Response(body, media_type="text/html; charset=utf-8",
                        headers={**SECURITY_HEADERS, **headers})
    return rdf_response(source.graph(), chosen, source.context(), headers=headers)


@router.api_route("/context.jsonld", methods=GET, summary="The JSON-LD context",
                  responses=oa.answers({200: oa.answer("The context", {
                      "application/ld+json": {"type": "object",
                                              "required": ["@context"]}})}))
def context(request: Request) -> Response:
    """The JSON-LD context generated from the ontology, used by every JSON-LD answer."""
    body = context_document(_ontology(request).context())
    return Response(body, media_type="application/ld+json",
                    headers={"Access-Control-Allow-Origin": "*",
                             "Cache-Control": "public, max-age=300"})


# -- search ---------------------------------------------------------------------------------


@router.api_route("/-/search", methods=GET, summary="Search resources by label",
                  responses=oa.answers({200: oa.answer("The hits, negotiated", {
                      "text/html": oa.TEXT, "application/json": _SEARCH})}, 400, 406))
def label_search(request: Request, q: str = "") -> Response:
    """Resources whose label contains *q*: an HTML page, or JSON by negotiation."""
    wanted = negotiate_type(request, (HTML, "application/json"))
    return _search_answer(request, q, wanted != HTML)


@router.api_route("/-/search.json", methods=GET, summary="Search resources by label, as JSON",
                  responses=oa.answers({200: oa.answer("The hits", {
                      "application/json": _SEARCH})}, 400))
def label_search_json(request: Request, q: str = "") -> Response:
    """The JSON twin of the search page."""
    return _search_answer(request, q, True)


def _search_answer(request: Request, q: str, as_json: bool) -> Response:
    state = state_of(request)
    linker = Linker(request, state.settings)
    try:
        hits = _search(request, q) if q.strip() else []
    except ValueError as exc:
        raise HTTPProblem(400, str(exc)) from exc
    rows = [{"iri": str(h.iri), "label": h.label, "href": linker.href(str(h.iri)),
             "types": [str(t) for t in h.types]} for h in hits]
    if as_json:
        return JSONResponse({"query": q, "hits": rows}, headers={"Vary": "Accept"})
    kinds = [", ".join(t.rsplit("#", 1)[-1] for t in r["types"]
                       if t.startswith(str(ECOGRAPH))) for r in rows]
    title = f"Search: {q}" if q.strip() else "Search"
    json_url = f"{linker.root}/-/search.json?{urlencode({'q': q})}"
    return html_response("search.html", headers={"Vary": "Accept"}, **linker.page(
        title, [("application/json", json_url, "JSON")], query=q,
        hits=[{"text": r["label"], "href": r["href"], "kind": k} for r, k in zip(rows, kinds,
                                                                                  strict=True)]))


router.include_router(dumps.router)
router.include_router(network.router)
