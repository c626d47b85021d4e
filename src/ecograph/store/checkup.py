"""Probing what a store supports: the checks behind ``ecograph doctor``.

Against a remote server each check makes real requests. The write checks use probe
graphs (``urn:ecograph:doctor:…``) that are dropped again at the end; ``writes=False``
skips them for servers one must not write to.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef

from ecograph.errors import EcographError
from ecograph.store.base import AskResult, Store
from ecograph.store.remote import RemoteStore

OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "skip"


@dataclass
class Check:
    """One probe: its name, outcome, what was found and what will not work if it failed."""

    name: str
    status: str
    detail: str
    consequence: str = ""


def _run(name: str, probe: Callable[[], str], consequence: str) -> Check:
    try:
        return Check(name, OK, probe())
    except _Warning as exc:
        return Check(name, WARN, str(exc), consequence)
    except EcographError as exc:
        return Check(name, FAIL, exc.message, consequence)


class _Warning(Exception):
    """A probe that found a limitation ecograph works around."""


def checkup(store: Store, *, writes: bool = True) -> list[Check]:
    """Probe *store*; return one :class:`Check` per capability (see ``ecograph doctor``)."""
    checks = [_run("query", lambda: _query(store),
                   "nothing will work: ecograph cannot read this store")]
    if checks[0].status == FAIL:
        return checks
    if isinstance(store, RemoteStore):
        checks.append(_run("endpoints", lambda: _endpoints(store), ""))
    if not writes:
        checks.append(Check("update", SKIP, "write probes skipped (--no-writes)"))
        return checks
    probe = URIRef(f"urn:ecograph:doctor:{uuid.uuid4().hex}")
    subject, marker = URIRef(f"{probe}#s"), Literal(f"probe {probe}")
    data = Graph()
    data.add((subject, URIRef(f"{probe}#p"), marker))
    try:
        update = _run("update", lambda: _update(store, probe, data),
                      "ecograph load, infer and the writable endpoint will not work "
                      "(the store is read-only for ecograph)")
        checks.append(update)
        if update.status == FAIL:
            return checks
        checks.append(_run("named graphs", lambda: _named(store, probe),
                           "per-source graphs cannot be listed: stats, export and "
                           "replacing sources will be wrong"))
        checks.append(_run("union default graph", lambda: _union(store, marker),
                           "named queries will not see the data in the named graphs"))
        checks.append(_run("blank nodes", lambda: _blank(store, probe), ""))
        if isinstance(store, RemoteStore):
            checks.append(_run("graph store protocol", lambda: _gsp(store, probe, data),
                               "graph reads and large uploads go through SPARQL instead "
                               "(slower; set ECOGRAPH_GSP_URL)"))
    finally:
        try:
            store.drop_graphs([probe, URIRef(f"{probe}-bnode")])
        except EcographError as exc:
            checks.append(Check("clean-up", WARN, f"could not drop the probe graphs: "
                                f"{exc.message}"))
    return checks


def _query(store: Store) -> str:
    answer = store.query("ASK { }")
    if not isinstance(answer, AskResult) or not answer.value:
        raise _Warning("ASK {} did not answer true")
    return f"{store.location} answers SPARQL queries"


def _endpoints(store: RemoteStore) -> str:
    found = store.endpoints
    lines = [f"server: {found.server} (treated as {found.family})",
             f"update: {found.update or 'none'}  [{found.found.get('update', 'not found')}]",
             f"graph store: {found.gsp or 'none'}  [{found.found.get('gsp', 'not found')}]",
             f"union mode: {found.union}  [{found.found.get('union', '')}]"]
    return "\n".join(lines)


def _update(store: Store, probe: URIRef, data: Graph) -> str:
    store.replace_graphs({probe: data})
    if store.count(probe) != 1:
        raise EcographError(f"the server accepted the update but <{probe}> holds "
                            f"{store.count(probe)} triples instead of 1: writes are lost")
    return "SPARQL Update works (a probe graph was written and read back)"


def _named(store: Store, probe: URIRef) -> str:
    if probe not in store.graphs():
        raise EcographError(f"the probe graph <{probe}> is not listed by GRAPH ?g")
    return "named graphs are listed"


def _union(store: Store, marker: Literal) -> str:
    found = store.query(f"ASK {{ ?s ?p {marker.n3()} }}")
    if not isinstance(found, AskResult) or not found.value:
        raise EcographError("a triple of a named graph is not in the default graph of queries")
    if isinstance(store, RemoteStore):
        return f"queries see the union of the named graphs (mode: {store.endpoints.union})"
    return "queries see the union of the named graphs"


def _blank(store: Store, probe: URIRef) -> str:
    target = URIRef(f"{probe}-bnode")
    node = BNode()
    data = Graph()
    data.add((URIRef(f"{probe}#s"), URIRef(f"{probe}#p"), node))
    data.add((node, URIRef(f"{probe}#p"), Literal("inner")))
    store.replace_graphs({target: data})
    back = store.get_graph(target)
    inner = [o for o in back.objects() if isinstance(o, BNode)]
    if len(back) != 2 or len(inner) != 1 or back.value(inner[0], URIRef(f"{probe}#p")) is None:
        raise EcographError("blank nodes did not survive a write and a read")
    return "blank nodes are written and read back with their links"


def _gsp(store: RemoteStore, probe: URIRef, data: Graph) -> str:
    gsp = store.endpoints.gsp
    if gsp is None:
        raise _Warning("no Graph Store endpoint known: graph reads and uploads use SPARQL")
    store.replace_graphs_staged({probe: data})
    got = store.get_graph(probe)
    if len(got) != len(data):
        raise EcographError(f"a staged upload through {gsp} left {len(got)} triples, "
                            f"not {len(data)}")
    return f"Graph Store Protocol works at {gsp} (staged upload, MOVE, read back)"
