"""The query worker: a process holding the dataset in memory that runs queries it is sent.

A worker loads an N-Quads snapshot into an in-memory Oxigraph store, says ``ready``, then
answers messages on its pipe one at a time:

- ``("query", Job)`` → ``("ok", SerializedResult)`` or ``("error", type, message)``;
- ``("graph", iri | None, media_type)`` → the graph serialised (``None``: default graph);
- ``("update", sparql)`` → apply a write the store on disk has already committed;
- ``("effect", sparql)`` → what an update would change, as a concrete update
  (:mod:`ecograph.web.update_effect`), leaving this copy unchanged;
- ``("stop",)`` → exit.

The parent ends a worker whose query runs past its time limit; nothing here needs to
cooperate, which is the point: Oxigraph cannot interrupt a query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib import URIRef

from ecograph.errors import EcographError, UnsupportedFormatError
from ecograph.formats import syntax_for_media_type
from ecograph.namespaces import PREFIXES
from ecograph.store.base import Store
from ecograph.store.embedded import OxigraphStore
from ecograph.web.jsonld import compact
from ecograph.web.update_effect import effect_of


@dataclass(frozen=True)
class Job:
    """One query and how to answer it."""

    sparql: str
    results_type: str | None
    graph_type: str | None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int | None = None
    base_iri: str | None = None
    #: the JSON-LD context of a JSON-LD answer (``None``: the ecograph prefixes)
    context: Mapping[str, Any] | None = None


def run_job(store: Store, job: Job) -> object:
    """Run *job* on *store* and return the serialised result (JSON-LD compacted)."""
    graphs = None if job.default_graphs is None else [URIRef(g) for g in job.default_graphs]
    named = None if job.named_graphs is None else [URIRef(g) for g in job.named_graphs]
    result = store.query_serialized(
        job.sparql, results_type=job.results_type, graph_type=job.graph_type,
        default_graphs=graphs, named_graphs=named, max_rows=job.max_rows,
        base_iri=job.base_iri)
    if result.media_type == "application/ld+json":
        result.body = compact(result.body, job.context or PREFIXES)
    return result


def serve(conn: Connection, snapshot: str) -> None:
    """Load *snapshot*, then answer messages on *conn* until told to stop or it closes."""
    store = OxigraphStore(None)
    if snapshot:
        store.load_dataset(Path(snapshot))
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "stop":
            return
        try:
            if kind == "query":
                reply: tuple[object, ...] = ("ok", run_job(store, message[1]))
            elif kind == "graph":
                iri, media_type = message[1], message[2]
                syntax = syntax_for_media_type(media_type)
                body = store.serialize_graph(None if iri is None else URIRef(iri), syntax)
                if syntax.media_type == "application/ld+json":
                    body = compact(body, PREFIXES)
                reply = ("ok", body)
            elif kind == "update":
                store.update(message[1])
                reply = ("ok", None)
            elif kind == "effect":
                reply = ("ok", effect_of(store, message[1]))
            else:
                reply = ("error", "StoreError", f"unknown worker message {kind!r}")
        except UnsupportedFormatError as exc:
            reply = ("error", "NotAcceptable", exc.message)
        except EcographError as exc:
            reply = ("error", type(exc).__name__, exc.message)
        except Exception as exc:  # a worker answers every message, whatever happened
            reply = ("error", "StoreError", f"{type(exc).__name__}: {exc}")
        conn.send(reply)
