"""Finding a SPARQL server's update and Graph Store endpoints and how it unions graphs.

Given the query endpoint, the other endpoints come from, in order: explicit options,
``ECOGRAPH_UPDATE_URL`` / ``ECOGRAPH_GSP_URL``, the known layout of the server (told by
its ``Server`` header or, failing that, by the path), and its SPARQL service description.

The *union mode* says how a query gets ecograph's default graph, the union of the named
graphs (``ECOGRAPH_REMOTE_UNION`` overrides the choice):

``param``     Oxigraph's ``union-default-graph`` request parameter: free.
``server``    the server's default graph already is the union (Fuseki with
              ``tdb2:unionDefaultGraph``, a server advertising ``sd:UnionDefaultGraph``).
``explicit``  list the named graphs and send them as ``default-graph-uri`` and
              ``named-graph-uri`` (SPARQL 1.1 Protocol): works everywhere, one extra request.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from rdflib import Graph, Namespace

from ecograph.errors import StoreError
from ecograph.store.protocol import SparqlHttp

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
UNION_MODES = ("param", "server", "explicit")
_RDF_TYPES = {"text/turtle": "turtle", "application/rdf+xml": "xml",
              "application/ld+json": "json-ld", "application/n-triples": "nt"}


@dataclass(frozen=True)
class Endpoints:
    """Where to send each kind of request, how to get the union, and why we think so."""

    query: str
    update: str | None
    gsp: str | None
    union: str
    server: str = "unknown"
    family: str = "generic"
    found: dict[str, str] = field(default_factory=dict)
    features: frozenset[str] = frozenset()
    #: Upload through Graph Store staging graphs by default (the server's INSERT DATA
    #: refuses blank nodes: Virtuoso).
    staged_upload: bool = False


def family_of(server_header: str, headers_seen: set[str], path: str) -> str:
    """Name the kind of server: oxigraph, fuseki, virtuoso, rdf4j, qlever or generic."""
    header = server_header.lower()
    for name in ("oxigraph", "fuseki", "virtuoso", "graphdb", "rdf4j", "qlever"):
        if name in header:
            return "rdf4j" if name == "graphdb" else name
    if "fuseki-request-id" in headers_seen:
        return "fuseki"
    segments = [s for s in path.split("/") if s]
    if len(segments) >= 2 and segments[-2] == "repositories":
        return "rdf4j"
    if segments == ["query"]:
        return "oxigraph"
    if segments == ["sparql"]:
        return "virtuoso"
    if len(segments) >= 2 and segments[-1] in ("query", "sparql"):
        return "fuseki"
    return "generic"


def layout(family: str, query_url: str, authenticated: bool = False,
           ) -> tuple[str | None, str | None]:
    """The update and Graph Store URLs of a server of *family* answering at *query_url*."""
    base = query_url.rstrip("/")
    parent = base.rsplit("/", 1)[0]
    if family == "oxigraph":
        return f"{parent}/update", f"{parent}/store"
    if family == "fuseki":
        dataset = parent if base.rsplit("/", 1)[-1] in ("query", "sparql") else base
        return f"{dataset}/update", f"{dataset}/data"
    if family == "virtuoso":
        crud = "sparql-graph-crud-auth" if authenticated else "sparql-graph-crud"
        return base, urljoin(base + "/", f"/{crud}")
    if family == "rdf4j":
        return f"{base}/statements", f"{base}/rdf-graphs/service"
    if family == "qlever":
        return base, None
    return None, None


def describe(http: SparqlHttp, query_url: str) -> tuple[dict[str, str], Graph | None]:
    """GET the query endpoint without a query: the headers and the service description."""
    accept = "text/turtle"  # Virtuoso answers a wider Accept with an empty document
    with http.stream("GET", query_url, action="reading the service description",
                     idempotent=True, ok=range(300, 600),
                     headers={"Accept": accept}) as response:
        response.read()
        headers = {k.lower(): v for k, v in response.headers.items()}
        if not response.is_success:
            return headers, None
        media = headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in _RDF_TYPES:
            return headers, None
        graph = Graph()
        try:
            graph.parse(data=response.content, format=_RDF_TYPES[media],
                        publicID=query_url)
        except Exception:
            return headers, None
        return headers, graph


def discover(http: SparqlHttp, query_url: str, *, update: str | None = None,
             gsp: str | None = None, union: str | None = None,
             authenticated: bool = False) -> Endpoints:
    """Work out the endpoints and union mode of the server answering at *query_url*."""
    found: dict[str, str] = {}
    update = _given(update, "ECOGRAPH_UPDATE_URL", "update", found)
    gsp = _given(gsp, "ECOGRAPH_GSP_URL", "gsp", found)
    union = union or os.environ.get("ECOGRAPH_REMOTE_UNION") or "auto"
    if union not in (*UNION_MODES, "auto"):
        raise StoreError(f"ECOGRAPH_REMOTE_UNION must be one of auto, {', '.join(UNION_MODES)};"
                         f" not {union!r}")
    headers, description = describe(http, query_url)
    server = headers.get("server", "unknown")
    family = family_of(server, set(headers), urlsplit(query_url).path)
    features: set[str] = set()
    if description is not None:
        features = {str(o).rsplit("#", 1)[-1] for o in description.objects(None, SD.feature)}
        features |= {str(o).rsplit("#", 1)[-1]
                     for o in description.objects(None, SD.supportedLanguage)}
    known_update, known_gsp = layout(family, query_url, authenticated)
    how = f"{family} layout (Server: {server})"
    if update is None and known_update:
        update, found["update"] = known_update, how
    if update is None and "SPARQL11Update" in features:
        update, found["update"] = query_url, "service description (sd:SPARQL11Update)"
    if gsp is None and known_gsp:
        gsp, found["gsp"] = known_gsp, how
    if union == "auto":
        if family == "virtuoso":
            union, found["union"] = "explicit", ("Virtuoso: its union default graph also "
                                                 "holds its own system graphs")
        elif family == "oxigraph":
            union, found["union"] = "param", "Oxigraph's union-default-graph parameter"
        elif "UnionDefaultGraph" in features:
            union, found["union"] = "server", "service description (sd:UnionDefaultGraph)"
        else:
            union, found["union"] = "explicit", "default: list the graphs in each query"
    else:
        found["union"] = "ECOGRAPH_REMOTE_UNION or option"
    return Endpoints(query_url, update, gsp, union, server, family, found, frozenset(features),
                     staged_upload=family == "virtuoso" and gsp is not None)


def _given(value: str | None, variable: str, key: str, found: dict[str, str]) -> str | None:
    if value:
        found[key] = "option"
        return value
    env = os.environ.get(variable)
    if env:
        found[key] = variable
        return env
    return None

