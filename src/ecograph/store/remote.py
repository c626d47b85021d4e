"""The remote backend: any SPARQL 1.1 Query + Update (+ Graph Store Protocol) server.

``RemoteStore.from_location("sparql+http://HOST:PORT/PATH")`` names the query endpoint;
:mod:`ecograph.store.discovery` finds the update and Graph Store endpoints and how the
server gives ecograph's default graph, the union of the named graphs.

Replacing graphs is atomic and never shows a half-written graph. Two ways, one guarantee
(``ECOGRAPH_REMOTE_UPLOAD`` picks; ``auto`` uses ``update`` up to 200 000 triples):

``update``  one SPARQL Update request, streamed: ``DROP SILENT GRAPH <g> ; INSERT DATA {…}``
            for every graph. The server runs one request as one transaction.
``gsp``     each graph is streamed with a Graph Store ``PUT`` into a staging graph
            (``urn:ecograph:staging:…``, hidden from :meth:`graphs`), then one update request
            ``MOVE``\\ s every staging graph into place; on failure the staging graphs are
            dropped and the target graphs are untouched.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
from rdflib import Graph, URIRef

from ecograph.errors import (
    StoreError,
    UnknownGraphError,
    UnsupportedFormatError,
)
from ecograph.formats import RdfSyntax, syntax_by_name, syntax_for_media_type
from ecograph.sparql_lexer import declares_dataset
from ecograph.store.answers import (
    AnswerError,
    accept_for,
    cap_results,
    cap_triples,
    media_type,
    parse_answer,
    parse_rdf,
    results_format,
)
from ecograph.store.base import AskResult, QueryResult, SelectResult, SerializedResult, Store
from ecograph.store.discovery import Endpoints, discover
from ecograph.store.protocol import (
    HttpSettings,
    RemoteError,
    SparqlHttp,
    UnsupportedOperationError,
    auth_from,
    redact,
    server_message,
)
from ecograph.store.sparql_text import (
    Body,
    iri,
    ntriples,
    query_form,
    replace_request,
)

STAGING = "urn:ecograph:staging:"
#: A graph no store holds: sent as the dataset when the caller asked for an empty one.
NO_GRAPH = URIRef("urn:ecograph:no-graph")
GSP_THRESHOLD = 200_000
_CHUNK = 256 * 1024
_NT = "application/n-triples"


class RemoteStore(Store):
    """A SPARQL 1.1 server reached over HTTP; see the module docstring."""

    def __init__(self, query_url: str, *, update_url: str | None = None,
                 gsp_url: str | None = None, union: str | None = None,
                 auth: str | None = None, upload: str | None = None,
                 http: HttpSettings | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        parts = urlsplit(query_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"not a SPARQL endpoint URL: {redact(query_url)!r} (want "
                             "sparql+http://HOST:PORT/PATH)")
        self.query_url = redact(query_url)
        self.location = "sparql+" + self.query_url
        credentials = auth_from(auth or os.environ.get("ECOGRAPH_REMOTE_AUTH"), query_url)
        self._http = SparqlHttp(http, credentials, transport)
        self._options = {"update": update_url, "gsp": gsp_url, "union": union}
        self._authenticated = credentials is not None
        self._upload = upload or os.environ.get("ECOGRAPH_REMOTE_UPLOAD") or "auto"
        if self._upload not in ("auto", "update", "gsp"):
            raise StoreError("ECOGRAPH_REMOTE_UPLOAD must be auto, update or gsp")
        self._endpoints: Endpoints | None = None

    @classmethod
    def from_location(cls, location: str, **options: object) -> RemoteStore:
        """Open ``sparql+http(s)://…`` (options as for the constructor)."""
        if not location.startswith(("sparql+http://", "sparql+https://")):
            raise StoreError(f"a remote store location starts with sparql+http(s)://, not "
                             f"{redact(location)!r}")
        return cls(location.removeprefix("sparql+"), **options)  # type: ignore[arg-type]

    @property
    def endpoints(self) -> Endpoints:
        """The endpoints and union mode, discovered on first use."""
        if self._endpoints is None:
            self._endpoints = discover(self._http, self.query_url,
                                       authenticated=self._authenticated, **self._options)
        return self._endpoints

    # -- queries ---------------------------------------------------------------------------

    def query(self, sparql: str, *, default_graphs: Sequence[URIRef] | None = None,
              named_graphs: Sequence[URIRef] | None = None,
              timeout: float | None = None) -> QueryResult:
        url, form = self._request(sparql, default_graphs, named_graphs)
        return self._ask(url, form, timeout=timeout)

    def _ask(self, url: str, form: dict[str, object], *, timeout: float | None = None,
             action: str = "query") -> QueryResult:
        accept = accept_for(query_form(str(form["query"])))
        response = self._http.send("POST", url, data=form, action=action, idempotent=True,
                                   query_error=True, timeout=timeout,
                                   headers={"Accept": accept})
        try:
            return parse_answer(response.content, response.headers.get("content-type"))
        except AnswerError as exc:
            raise RemoteError(self.query_url, action, str(exc), response.status_code,
                              server_message(response)) from exc

    def query_serialized(self, sparql: str, *, results_type: str | None,
                         graph_type: str | None,
                         default_graphs: Sequence[URIRef] | None = None,
                         named_graphs: Sequence[URIRef] | None = None,
                         max_rows: int | None = None, timeout: float | None = None,
                         base_iri: str | None = None) -> SerializedResult:
        """Hand the server's own serialisation through (capped to *max_rows* if asked)."""
        text = sparql if base_iri is None else f"BASE <{base_iri}>\n{sparql}"
        form = query_form(text)
        if form is None or self.endpoints.family == "virtuoso":
            # The generic way parses the answer: for an unknown form, and for Virtuoso,
            # whose blank-node labels and TSV other clients cannot read.
            return super().query_serialized(
                sparql, results_type=results_type, graph_type=graph_type,
                default_graphs=default_graphs, named_graphs=named_graphs, max_rows=max_rows,
                timeout=timeout, base_iri=base_iri)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        wanted = graph_type if graph else results_type
        if wanted is None:
            raise UnsupportedFormatError(
                f"the query gives {'RDF triples' if graph else 'SPARQL results'}; no "
                f"{'RDF' if graph else 'results'} media type was acceptable")
        wanted = media_type(wanted)
        if graph:
            wanted = syntax_for_media_type(wanted).media_type
        else:
            results_format(wanted)  # refuse an unknown results type before asking
        ask = "text/tab-separated-values" if wanted == "text/csv" else wanted
        url, request = self._request(text, default_graphs, named_graphs)
        response = self._http.send("POST", url, data=request, action="query",
                                   idempotent=True, query_error=True, timeout=timeout,
                                   headers={"Accept": ask})
        got = media_type(response.headers.get("content-type"))
        kinds = "graph" if graph else ("ask" if form == "ASK" else "select")
        if got == wanted and max_rows is None:
            return SerializedResult(wanted, response.content, kinds, -1)
        try:
            cap = cap_triples if graph else cap_results
            body, rows, cut = cap(response.content, got, wanted, max_rows or 2**62)
        except (SyntaxError, ValueError, UnsupportedFormatError):
            # Not strict enough for Oxigraph's parsers (Virtuoso's "nodeID://" blank nodes,
            # its quoted TSV): the generic way parses leniently, at the cost of a re-run.
            return super().query_serialized(
                sparql, results_type=results_type, graph_type=graph_type,
                default_graphs=default_graphs, named_graphs=named_graphs, max_rows=max_rows,
                timeout=timeout, base_iri=base_iri)
        return SerializedResult(wanted, body, kinds, rows if max_rows is not None else -1, cut)

    def _request(self, sparql: str, default_graphs: Sequence[URIRef] | None,
                 named_graphs: Sequence[URIRef] | None) -> tuple[str, dict[str, object]]:
        """The URL and form of a query with ecograph's dataset (see ``discovery``)."""
        form: dict[str, object] = {"query": sparql}
        url = self.query_url
        mode = self.endpoints.union
        if default_graphs is None and named_graphs is None and declares_dataset(sparql):
            return url, form  # the query names its own dataset: the SPARQL rules apply
        if default_graphs is None and mode == "param":
            url += ("&" if "?" in url else "?") + "union-default-graph"
        elif default_graphs is None and mode == "explicit":
            default_graphs = self.graphs()
            named_graphs = default_graphs if named_graphs is None else named_graphs
        if default_graphs is not None:
            form["default-graph-uri"] = [str(g) for g in default_graphs] or [str(NO_GRAPH)]
            if named_graphs is None:  # a protocol dataset would otherwise have none
                named_graphs = self.graphs()
        if named_graphs is not None:
            form["named-graph-uri"] = [str(g) for g in named_graphs] or [str(NO_GRAPH)]
        return url, form

    def _select(self, sparql: str) -> list[tuple]:
        """Run an internal query on the server's own dataset (no union, no dataset)."""
        result = self._ask(self.query_url, {"query": sparql}, action="query")
        if not isinstance(result, SelectResult):
            raise RemoteError(self.query_url, "query", f"a SELECT query got {_kind(result)}")
        return result.rows

    def _boolean(self, sparql: str) -> bool:
        result = self._ask(self.query_url, {"query": sparql}, action="query")
        if not isinstance(result, AskResult):
            raise RemoteError(self.query_url, "query", f"an ASK query got {_kind(result)}")
        return result.value

    def graphs(self) -> list[URIRef]:
        body = "{}" if self.endpoints.family == "oxigraph" else "{ ?s ?p ?o }"
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {body} }}")
        return sorted(g for (g,) in rows
                      if isinstance(g, URIRef) and not str(g).startswith(STAGING))

    def has_graph(self, graph: URIRef) -> bool:
        body = "{}" if self.endpoints.family == "oxigraph" else "{ ?s ?p ?o }"
        return self._boolean(f"ASK {{ GRAPH {iri(graph)} {body} }}")

    def count(self, graph: URIRef | None = None) -> int:
        where = (f"GRAPH {iri(graph)} {{ ?s ?p ?o }}" if graph is not None else
                 f'GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{STAGING}"))')
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def is_empty(self) -> bool:
        return not self._boolean(
            f'ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{STAGING}")) }}')

    def get_graph(self, graph: URIRef) -> Graph:
        gsp = self.endpoints.gsp
        if gsp is None:
            if not self.has_graph(graph):
                raise UnknownGraphError(str(graph))
            result = self._ask(self.query_url, {
                "query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}"
            }, action="reading a graph")
            return result.graph  # type: ignore[union-attr]
        response = self._http.send("GET", gsp, params={"graph": str(graph)}, ok=(404,),
                                   action=f"reading graph <{graph}>", idempotent=True,
                                   headers={"Accept": f"{_NT}, text/turtle;q=0.8"})
        if response.status_code == 404:
            raise UnknownGraphError(str(graph))
        kind = media_type(response.headers.get("content-type")) or _NT
        try:
            return parse_rdf(response.content, kind)
        except AnswerError as exc:
            raise RemoteError(redact(gsp), f"reading graph <{graph}>", str(exc),
                              response.status_code, server_message(response)) from exc

    # -- writes ----------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        self._update(Body([sparql]), "update", user=True)

    def _update(self, body: Body, action: str, *, user: bool = False) -> None:
        url = self.endpoints.update
        if url is None:
            raise UnsupportedOperationError(
                self.query_url, action, "no SPARQL Update endpoint is known for this server: "
                "set ECOGRAPH_UPDATE_URL (ecograph doctor shows what the server offers)")
        self._http.send("POST", url, content=body, action=action, idempotent=False,
                        query_error=user,
                        headers={"Content-Type": "application/sparql-update; charset=utf-8",
                                 "Content-Length": str(body.length)})

    def drop_graphs(self, graphs: Sequence[URIRef]) -> None:
        if graphs:
            text = " ;\n".join(f"DROP SILENT GRAPH {iri(g)}" for g in graphs)
            self._update(Body([text]), "dropping graphs")

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        if not graphs:
            return
        for graph in graphs:
            iri(graph)  # refuse a bad IRI before anything is sent
        total = sum(len(g) for g in graphs.values())
        way = self._upload
        if way == "auto":
            staged = total > GSP_THRESHOLD or self.endpoints.staged_upload
            way = "gsp" if staged and self.endpoints.gsp else "update"
        if way == "gsp":
            self.replace_graphs_staged(graphs)
        else:
            self._update(replace_request(graphs), "replacing graphs "
                         + ", ".join(f"<{g}>" for g in graphs))

    def replace_graphs_staged(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Replace graphs through Graph Store staging graphs and one ``MOVE`` update."""
        gsp = self.endpoints.gsp
        if gsp is None:
            raise UnsupportedOperationError(self.query_url, "staged upload", "no Graph Store "
                                            "endpoint is known: set ECOGRAPH_GSP_URL or "
                                            "ECOGRAPH_REMOTE_UPLOAD=update")
        run = uuid.uuid4().hex
        staging = {g: URIRef(f"{STAGING}{run}/{n}") for n, g in enumerate(graphs)}
        try:
            for target, data in graphs.items():
                if len(data):
                    body = Body([ntriples(target, data)])
                    self._http.send("PUT", gsp, params={"graph": str(staging[target])},
                                    content=body, idempotent=True,
                                    headers={"Content-Type": _NT,
                                             "Content-Length": str(body.length)},
                                    action=f"uploading <{target}> to a staging graph")
            moves = []
            for target, data in graphs.items():
                moves.append(f"DROP SILENT GRAPH {iri(target)}")
                moves.append(f"MOVE SILENT {iri(staging[target])} TO {iri(target)}" if len(data)
                             else f"CREATE SILENT GRAPH {iri(target)}")
            text = " ;\n".join(moves)
            self._update(Body([text]), "moving staged graphs into place")
        except BaseException:
            self._forget(staging.values())
            raise

    def _forget(self, graphs: Iterable[URIRef]) -> None:
        """Drop staging graphs after a failure, best effort (the first error matters)."""
        text = " ;\n".join(f"DROP SILENT GRAPH {iri(g)}" for g in graphs)
        with contextlib.suppress(StoreError):
            self._update(Body([text]), "dropping staging graphs")

    # -- dumps -----------------------------------------------------------------------------

    def export(self, syntax: RdfSyntax, graph: URIRef | None = None) -> Iterator[bytes]:
        if graph is not None:
            if not self.has_graph(graph):
                raise UnknownGraphError(str(graph))
            return self._export_graph(graph, syntax)
        if not syntax.dataset:
            form = {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}
            url, extra = self._request(form["query"], None, None)
            return self._stream_rdf("POST", url, syntax, syntax.media_type, data=extra,
                                    action="exporting the union of the graphs")
        return self._export_dataset(syntax)

    def _export_graph(self, graph: URIRef, syntax: RdfSyntax) -> Iterator[bytes]:
        """One graph in *syntax*; in a dataset syntax its triples are in the default graph."""
        gsp = self.endpoints.gsp
        action = f"exporting <{graph}>"
        wanted = _NT if syntax.dataset else syntax.media_type
        if gsp is not None:
            yield from self._stream_rdf("GET", gsp, syntax, wanted, action=action,
                                        params={"graph": str(graph)})
        else:
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}"
            yield from self._stream_rdf("POST", self.query_url, syntax, wanted, action=action,
                                        data={"query": query})

    def _stream_rdf(self, method: str, url: str, syntax: RdfSyntax, accept: str, *,
                    action: str, **kwargs: object) -> Iterator[bytes]:
        """Stream an RDF answer as it comes when it is valid *syntax*, else convert it.

        N-Triples are valid N-Quads and TriG too, so those pass through as well.
        """
        passes = {syntax.media_type} | ({_NT} if syntax.name in ("nquads", "trig") else set())
        with self._http.stream(method, url, action=action, idempotent=True,
                               headers={"Accept": accept}, **kwargs) as response:
            kind = media_type(response.headers.get("content-type"))
            if kind in passes:
                yield from response.iter_bytes(_CHUNK)
                return
            body = response.read()
        try:
            quads = list(ox.parse(body, format=syntax_for_media_type(kind).oxigraph))
            yield ox.serialize(quads, format=syntax.oxigraph)
        except (SyntaxError, ValueError, StoreError) as exc:
            raise RemoteError(redact(url), action, f"answered {kind or 'no content type'} that "
                              f"cannot be read as RDF ({exc})") from exc

    def _export_dataset(self, syntax: RdfSyntax) -> Iterator[bytes]:
        """Every named graph as quads: each graph's N-Triples, re-labelled by Oxigraph."""
        ntriples = syntax_by_name("ntriples")
        held: list[ox.Quad] = []
        for graph in self.graphs():
            name = ox.NamedNode(str(graph))
            data = b"".join(self._export_graph(graph, ntriples))
            quads = [ox.Quad(q.subject, q.predicate, q.object, name) for q in
                     ox.parse(data, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True)]
            if syntax.name == "jsonld":
                held.extend(quads)  # JSON-LD is one document: written once at the end
            elif quads:
                yield ox.serialize(quads, format=syntax.oxigraph)
        if syntax.name == "jsonld":
            yield ox.serialize(held, format=syntax.oxigraph)

    def close(self) -> None:
        self._http.close()


def _kind(result: QueryResult) -> str:
    return {SelectResult: "a results table", AskResult: "a boolean"}.get(
        type(result), "RDF triples")
