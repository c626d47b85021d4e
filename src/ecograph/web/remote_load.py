"""SPARQL ``LOAD`` from the federation allow-list only: ecograph fetches, the store never does.

``LOAD`` is off unless federation is on (``ECOGRAPH_FEDERATION=1``). Then a ``LOAD <IRI>``
may only name an ``http``/``https`` IRI under a prefix of the allow-list
(``ECOGRAPH_FEDERATION_ALLOW``); unlike ``SERVICE``, 127.0.0.1 is not allowed by itself,
since loading from local ports is the classic server-side request forgery. Any other
scheme (``file:``, ``ftp:``…) is refused. The endpoint fetches the document itself (no
redirects followed, at most ``max_body_bytes``, an RDF media type), parses it and
replaces the ``LOAD`` with an ``INSERT DATA`` of its triples, so the write goes through
the same checks as every other (SHACL gate, limits, change log), and a refused target
receives no request at all.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from ecograph.config import Settings
from ecograph.web.errors import HTTPProblem
from ecograph.web.sparql_text import Token, tokens

SCHEMES = ("http", "https")
ACCEPT = ("text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, "
          "application/ld+json;q=0.7")
FETCH_SECONDS = 10.0


def normalised(target: str) -> str:
    """The IRI as it is fetched: scheme and host lower-cased, dot segments resolved.

    >>> normalised("HTTP://127.0.0.1:8/data/../private/x.ttl")
    'http://127.0.0.1:8/private/x.ttl'
    """
    try:
        return str(httpx.URL(target))
    except httpx.InvalidURL:
        return target


def load_refusal(target: str | None, settings: Settings) -> str | None:
    """Why ``LOAD <target>`` is refused under *settings*, or ``None`` when it may run.

    >>> load_refusal("file:///etc/passwd", Settings(federation=True))
    'LOAD <file:///etc/passwd> is not allowed: only http and https IRIs can be loaded'
    """
    if not settings.federation:
        return ("LOAD is disabled on this server: federated calls are off by default "
                "(setting federation, env ECOGRAPH_FEDERATION=1)")
    if target is None:
        return "LOAD needs a full IRI (<http://…>) so the server can check it"
    if urlsplit(target).scheme.lower() not in SCHEMES:
        return f"LOAD <{target}> is not allowed: only http and https IRIs can be loaded"
    # the prefix is checked on the IRI as it will be fetched: dot segments resolved, so
    # <allowed/../private> is not under <allowed/>; encoded dots are refused outright
    fetched = normalised(target)
    if "%2e" in fetched.lower() or not any(
            fetched.startswith(prefix) for prefix in settings.federation_allow):
        return (f"LOAD <{target}> is not allowed: only IRIs under the federation_allow "
                "list (ECOGRAPH_FEDERATION_ALLOW) can be loaded")
    return None


def _operations(text: str) -> list[tuple[int, int, bool, str | None, str | None]]:
    """Each ``LOAD``: its span in *text*, SILENT, the source IRI and the target graph."""
    items = tokens(text)
    found = []
    for i, token in enumerate(items):
        if token.keyword != "LOAD" or token.depth != 0:
            continue
        j = i + 1
        silent = j < len(items) and items[j].keyword == "SILENT"
        if silent:
            j += 1
        source = items[j] if j < len(items) else None
        last: Token | None = source
        graph = None
        if j + 2 < len(items) and items[j + 1].keyword == "INTO" \
                and items[j + 2].keyword == "GRAPH":
            last = items[j + 3] if j + 3 < len(items) else None
            graph = last.text[1:-1] if last is not None and last.kind == "iri" else None
            if graph is None:
                raise HTTPProblem(400, "LOAD … INTO GRAPH needs a full graph IRI (<http://…>)",
                                  type_="FederationRefused")
        end = last.start + len(last.text) if last is not None else len(text)
        found.append((token.start, end, silent,
                      source.text[1:-1] if source is not None and source.kind == "iri"
                      else None, graph))
    return found


async def _fetch(client: httpx.AsyncClient, source: str, max_bytes: int) -> list[ox.Triple]:
    async with client.stream("GET", source, headers={"Accept": ACCEPT}) as response:
        if response.status_code != 200:
            raise ValueError(f"the server answered {response.status_code} (redirects are not "
                             "followed)")
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
        rdf_format = rdf_format or ox.RdfFormat.from_extension(source.rsplit(".", 1)[-1])
        if rdf_format is None or rdf_format.supports_datasets:
            raise ValueError(f"{media_type or 'no media type'} is not an RDF graph syntax")
        body = b""
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise ValueError(f"the document is larger than {max_bytes} bytes")
    return [q.triple for q in ox.parse(body, format=rdf_format, base_iri=source)]


def _insert(triples: list[ox.Triple], graph: str | None) -> str:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}" if graph else \
        f"INSERT DATA {{\n{body}}}"


async def expand_loads(text: str, settings: Settings) -> str:
    """Return the update *text* with each ``LOAD`` replaced by what it loads.

    Raises ``HTTPProblem`` (400) for a refused target, or a fetch that fails without
    ``SILENT``; a refused target is never contacted.
    """
    operations = _operations(text)
    if not operations:
        return text
    for _, _, _, source, _ in operations:
        refusal = load_refusal(source, settings)
        if refusal is not None:
            raise HTTPProblem(400, refusal, type_="FederationRefused"
                              if settings.federation else "FederationDisabled")
    out, last = [], 0
    async with httpx.AsyncClient(follow_redirects=False, timeout=FETCH_SECONDS,
                                 trust_env=False) as client:
        for start, end, silent, source, graph in operations:
            assert source is not None
            try:
                triples = await _fetch(client, normalised(source), settings.max_body_bytes)
            except (httpx.HTTPError, ValueError, SyntaxError) as exc:
                if not silent:
                    raise HTTPProblem(400, f"LOAD <{source}> failed: {exc}",
                                      type_="LoadFailed") from None
                triples = []
            out += [text[last:start], _insert(triples, graph)]
            last = end
    out.append(text[last:])
    return "".join(out)
