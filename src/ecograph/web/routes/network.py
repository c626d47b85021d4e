"""The collaboration-network picture of a region, country or cluster: page, JSON and SVG.

``/-/network/region/RO21`` is a page drawing the network interactively in the browser
(``static/ld/network.js``, shipped with the package, no network access); its twins are
``/-/network/region/RO21.json`` (nodes with positions, edges with weights) and
``/-/network/region/RO21.svg`` (the same picture ``ecograph plot`` writes).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as Param
from fastapi.responses import JSONResponse, Response

from ecograph.errors import InputError
from ecograph.iris import mint
from ecograph.plot import DEFAULT_LIMIT, KINDS, Network, network, to_svg
from ecograph.web import openapi as oa
from ecograph.web.errors import HTTPProblem
from ecograph.web.ld_answers import GET, HTML, Linker, html_response, negotiate_type
from ecograph.web.state import state_of

router = APIRouter(tags=["linked data"])
_SUFFIXES = (".json", ".svg", ".html")


def _network(request: Request, kind: str, key: str, limit: int) -> Network:
    if kind not in KINDS:
        raise HTTPProblem(404, f"no network of a {kind!r}: use /-/network/KIND/KEY with KIND "
                               f"one of {', '.join(KINDS)}")
    try:
        mint(kind, key)
    except ValueError as exc:
        raise HTTPProblem(400, f"{key!r} is not a {kind} key: {exc}") from exc
    try:
        return network(state_of(request).store, kind, key, limit=limit)
    except InputError as exc:
        status = 404 if "in the store" in exc.message else 400
        raise HTTPProblem(status, exc.message) from exc


_NETWORK = {"type": "object", "required": ["kind", "focus", "nodes", "edges"], "properties": {
    "kind": oa.TEXT, "focus": oa.TEXT, "nodes": {"type": "array", "items": {"type": "object"}},
    "edges": {"type": "array", "items": {"type": "object"}}}}


@router.api_route("/-/network/{kind}/{key}", methods=GET,
                  summary="Who a region, country or cluster shares projects with",
                  responses=oa.answers({200: oa.answer(
                      "The network: a page, JSON or SVG (by suffix .html/.json/.svg or Accept)",
                      {"text/html": oa.TEXT, "application/json": _NETWORK,
                       "image/svg+xml": oa.TEXT})}, 400, 404, 406))
def network_page(kind: Annotated[str, Param(examples=["region", "country"])],
                 key: Annotated[str, Param(examples=["RO21", "RO"])], request: Request,
                 limit: int = DEFAULT_LIMIT) -> Response:
    """The network as an interactive page, or as JSON/SVG by suffix or ``Accept``."""
    suffix = next((s for s in _SUFFIXES if key.endswith(s)), "")
    key = key[:len(key) - len(suffix)] if suffix else key
    if not suffix:
        chosen = negotiate_type(request, (HTML, "application/json", "image/svg+xml"))
        suffix = {HTML: ".html", "application/json": ".json"}.get(chosen, ".svg")
    net = _network(request, kind, key, limit)
    linker = Linker(request, state_of(request).settings)
    url = f"{linker.root}/-/network/{kind}/{key}"
    query = f"?limit={limit}" if limit != DEFAULT_LIMIT else ""
    headers = {"Vary": "Accept"}
    if suffix == ".json":
        return JSONResponse(net.as_json(linker.href), headers=headers)
    if suffix == ".svg":
        return Response(to_svg(net), media_type="image/svg+xml", headers=headers)
    return html_response("network.html", headers=headers, **linker.page(
        f"{net.focus.label}: who it shares projects with",
        [("application/json", url + ".json" + query, "JSON"),
         ("image/svg+xml", url + ".svg" + query, "SVG")],
        focus_label=net.focus.label, focus_href=linker.href(net.focus.iri), unit=net.unit,
        data_url=url + ".json" + query, svg_url=url + ".svg" + query))
