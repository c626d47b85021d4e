"""Answers of the linked-data routes: negotiated RDF, HTML pages with security headers, links.

One table says which representations a linked-data resource has (Turtle, N-Triples,
JSON-LD, RDF/XML, TriG, N-Quads and HTML), with the media type each is served as and the
suffix that names it in a URL (``/id/region/RO21.ttl``). Server order breaks ties, RDF
first: a client that rates Turtle and HTML equally is an RDF client and gets Turtle; a
browser rates ``text/html`` above ``*/*`` and gets the page.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ecograph.config import Settings
from ecograph.context import OntologyFile, serialize_jsonld
from ecograph.namespaces import ONTOLOGY_IRI, PREFIXES
from ecograph.web.errors import HTTPProblem
from ecograph.web.negotiation import choose
from ecograph.web.urls import Urls

HTML = "text/html"
#: The methods every linked-data route answers.
GET = ["GET", "HEAD"]


@dataclass(frozen=True)
class Representation:
    """One way a resource can be served: media type, URL suffix, name, rdflib format."""

    media_type: str
    suffix: str
    name: str
    rdflib_format: str | None


REPRESENTATIONS: tuple[Representation, ...] = (
    Representation("text/turtle", ".ttl", "Turtle", "turtle"),
    Representation("application/ld+json", ".jsonld", "JSON-LD", "json-ld"),
    Representation("application/n-triples", ".nt", "N-Triples", "nt"),
    Representation("application/rdf+xml", ".rdf", "RDF/XML", "xml"),
    Representation("application/trig", ".trig", "TriG", "trig"),
    Representation("application/n-quads", ".nq", "N-Quads", "nquads"),
    Representation(HTML, ".html", "HTML", None),
)
#: Also answered: plain JSON (the JSON-LD twin of a page), XHTML-preferring browsers, and
#: the older names real clients still send (rapper: text/x-nquads, application/x-trig;
#: rdflib's N-Triples parser: text/plain; N3 parsers read Turtle).
ALIASES = {"application/json": "application/ld+json", "application/x-turtle": "text/turtle",
           "application/turtle": "text/turtle", "text/n3": "text/turtle",
           "text/plain": "application/n-triples", "text/x-nquads": "application/n-quads",
           "application/x-trig": "application/trig", "application/xhtml+xml": HTML}
_BY_TYPE = {r.media_type: r for r in REPRESENTATIONS}
_BY_SUFFIX = {r.suffix: r for r in REPRESENTATIONS} | {".json": _BY_TYPE["application/ld+json"]}
OFFERS: tuple[str, ...] = (*(r.media_type for r in REPRESENTATIONS), *ALIASES)
#: Headers on every HTML page: no inline script, nothing from elsewhere, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def representation(media_type: str) -> Representation:
    """Return the representation answering *media_type* (an alias or a canonical type)."""
    return _BY_TYPE[ALIASES.get(media_type, media_type)]


def split_suffix(path: str) -> tuple[str, Representation | None]:
    """Split ``region/RO21.ttl`` into ``('region/RO21', Turtle)``; no known suffix: None."""
    dot = path.rfind(".")
    if dot > path.rfind("/"):
        found = _BY_SUFFIX.get(path[dot:].lower())
        if found is not None:
            return path[:dot], found
    return path, None


def negotiate_type(request: Request, offers: Sequence[str]) -> str:
    """Return the offered media type the client prefers, or raise ``406`` listing *offers*."""
    chosen = choose(request.headers.get("accept"), offers)
    if chosen is None:
        listed = [o for o in offers if o not in ALIASES]
        raise HTTPProblem(406, "none of the types in Accept "
                               f"({request.headers.get('accept', '')!r}) is offered here; "
                               f"ask for one of: {', '.join(listed)}",
                          offered=listed, headers={"Vary": "Accept"})
    return chosen


def negotiate(request: Request, offers: Sequence[str] = OFFERS) -> Representation:
    """Return the representation the client prefers, or raise a ``406`` listing *offers*."""
    return representation(negotiate_type(request, offers))


def serialize(data: Graph | Dataset, rep: Representation, context: dict[str, Any]) -> bytes:
    """Serialise *data* as *rep* (JSON-LD compact with *context*; others with prefixes)."""
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace, override=True, replace=True)
    if rep.rdflib_format == "json-ld":
        return serialize_jsonld(data, context)
    if rep.rdflib_format is None:  # pragma: no cover - HTML is rendered, not serialised
        raise ValueError("HTML is not an RDF syntax")
    return data.serialize(format=rep.rdflib_format, encoding="utf-8")


def rdf_response(data: Graph | Dataset, rep: Representation, context: dict[str, Any], *,
                 headers: dict[str, str] | None = None, status: int = 200) -> Response:
    """Answer *data* as *rep*; a triple format gets the merged graph of a dataset."""
    if rep.rdflib_format in ("trig", "nquads") and not isinstance(data, Dataset):
        dataset = Dataset()
        for triple in data:
            dataset.add(triple)
        data = dataset
    elif rep.rdflib_format not in ("trig", "nquads") and isinstance(data, Dataset):
        merged = Graph()
        for s, p, o, _g in data.quads((None, None, None, None)):
            merged.add((s, p, o))
        data = merged
    media = rep.media_type + ("; charset=utf-8" if rep.media_type.startswith("text/") else "")
    return Response(serialize(data, rep, context), status_code=status, media_type=media,
                    headers=headers)


@functools.cache
def _ontology_file(path: str) -> OntologyFile:
    return OntologyFile(Path(path))


def ontology_of(settings: Settings) -> OntologyFile:
    """The project's ontology file, parsed once and again only when it changes."""
    return _ontology_file(str(settings.ontology_dir / "ecograph.ttl"))


@functools.cache
def templates() -> jinja2.Environment:
    """The Jinja environment of the linked-data pages (built on first use)."""
    from ecograph.ontology_docs import environment

    return environment()


def html_response(name: str, status: int = 200, headers: dict[str, str] | None = None,
                  **context: Any) -> HTMLResponse:
    """Render the template ``ld/<name>`` with the security headers."""
    body = templates().get_template(f"ld/{name}").render(**context)
    return HTMLResponse(body, status_code=status, headers={**SECURITY_HEADERS,
                                                           **(headers or {})})


class Linker:
    """Turns IRIs into links: under the base IRI, a path on this server; else the IRI."""

    def __init__(self, request: Request, settings: Settings) -> None:
        self.urls = Urls.of(request)
        self.root = self.urls.root
        self.base = settings.base_iri

    def href(self, iri: str) -> str:
        """Return where a browser should go for *iri* (``/id/…`` for our own resources)."""
        if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#"):
            return self.root + "/ontology" + iri[len(ONTOLOGY_IRI):]
        if iri.startswith(self.base):
            return self.root + "/" + iri[len(self.base):]
        return iri

    def iri_of(self, path: str) -> str:
        """Return the IRI a request path (without the leading ``/``) stands for."""
        return self.base + path

    def ref(self, node: Node, label: Literal | str | None = None) -> dict[str, Any]:
        """Return what a template needs to show *node*: text, link, language, datatype."""
        if isinstance(node, URIRef):
            iri = str(node)
            return {"iri": iri, "text": str(label) if label else _curie(iri),
                    "href": self.href(iri), "local": iri.startswith(self.base)}
        if isinstance(node, Literal):
            datatype = _curie(str(node.datatype)) if node.datatype else None
            return {"iri": None, "text": str(node), "href": None, "local": False,
                    "lang": node.language, "datatype": datatype}
        return {"iri": None, "text": f"_:{node}", "href": None, "local": False}

    def links(self) -> dict[str, str]:
        """The site-wide links of the page header."""
        return {"home": self.urls.void(), "ontology": self.root + "/ontology",
                "void": self.urls.void(), "sparql": self.urls.sparql(),
                "search": self.root + "/-/search"}

    def page(self, title: str, alternates: Sequence[tuple[str, str, str]] = (),
             **extra: Any) -> dict[str, Any]:
        """The common template context: title, links, static URL, machine-readable twins."""
        return {"title": title, "links": self.links(), "static_url": self.urls.static(""),
                "alternates": [{"media_type": m, "href": h, "name": n}
                               for m, h, n in alternates], **extra}

    def alternates(self, url: str) -> list[tuple[str, str, str]]:
        """The RDF twins of the resource at *url* (its suffix URLs)."""
        return [(r.media_type, url + r.suffix, r.name) for r in REPRESENTATIONS
                if r.rdflib_format is not None]


def _curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def link_header(alternates: Sequence[tuple[str, str, str]]) -> str:
    """A ``Link`` header listing the alternates, so clients find the other formats."""
    return ", ".join(f'<{href}>; rel="alternate"; type="{media}"' for media, href, _ in alternates)
