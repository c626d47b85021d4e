"""End to end on the remote backend: ``ecograph load`` of the bundled data into a real
Oxigraph server (or ``ECOGRAPH_TEST_REMOTE_URL``), then every graph and every named query
equals the embedded store's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import BNode
from rdflib.compare import isomorphic
from rdflib.term import Node

from ecograph.errors import EcographError
from ecograph.queries import NamedQuery, bind, catalogue
from ecograph.results import to_json
from ecograph.store.base import AskResult, GraphResult, QueryResult, SelectResult, Store
from ecograph.store.embedded import OxigraphStore
from ecograph.store.remote import RemoteStore
from tests.serving import running_server
from tests.store.conftest import clean
from tests.store.test_remote_failures import ECOGRAPH, cli

ROOT = Path(__file__).resolve().parents[2]
#: Asked of both stores whatever the catalogue holds, so the comparison is never empty.
BUILT_IN = {
    "classes": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "labels": "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    "blank": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }",
}
_TRIES = {"integer": ["2", "1", "3", "0"], "decimal": ["1.0"], "boolean": ["true", "false"],
          "date": ["2020-01-01"], "string": ["a", "health"]}


@pytest.fixture(scope="module")
def both(remote_location: str, request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    """The bundled data loaded by the ``ecograph load`` CLI into the server and, meanwhile,
    into an embedded store (the session's shared copy: ``load_bundled``, what the CLI runs).
    """
    remote = RemoteStore.from_location(remote_location)
    clean(remote)
    environment = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(ROOT)}
    loading = subprocess.Popen(
        [str(ECOGRAPH), "load", "--store", remote_location],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    try:
        loaded: Path = request.getfixturevalue("loaded_store_path")
        out, err = loading.communicate(timeout=1200)
    finally:
        if loading.poll() is None:
            loading.kill()
            loading.wait(timeout=10)
    assert loading.returncode == 0, err[-3000:]
    assert "triples to <https://w3id.org/ecograph/graph/" in out
    copy = tmp_path_factory.mktemp("e2e") / "store"
    shutil.copytree(loaded, copy)
    embedded = OxigraphStore(copy)
    yield embedded, remote
    embedded.close()
    clean(remote)
    remote.close()


def answer(store: Store, text: str) -> tuple:
    """The canonical result of *text* on *store*, or the kind of error it raised."""
    try:
        return canonical(store.query(text))
    except EcographError as exc:
        return ("error", type(exc).__name__)


def canonical(result: QueryResult) -> tuple:
    """A result as comparable data: rows as a multiset, blank nodes made anonymous."""
    def term(node: Node | None) -> str | None:
        if node is None:
            return None
        return "_:b" if isinstance(node, BNode) else node.n3()

    if isinstance(result, AskResult):
        return ("ask", result.value)
    if isinstance(result, GraphResult):
        return ("graph", Counter(tuple(term(t) for t in triple) for triple in result.graph))
    assert isinstance(result, SelectResult)
    return ("select", Counter(tuple(term(t) for t in row) for row in result.rows),
            result.variables)


def bindings(query: NamedQuery, store: Store) -> Iterator[dict[str, str]]:
    """Values for the required parameters, trying some until the query finds something."""
    needed = [p for p in query.parameters if p.required and p.default is None]
    if not needed:
        yield {}
        return
    subjects = [str(s) for (s,) in store.query(  # type: ignore[union-attr]
        "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) } ORDER BY ?s").rows]
    for attempt in range(40):
        values = {}
        for parameter in needed:
            pool = subjects if parameter.type == "iri" else _TRIES.get(parameter.type, ["1"])
            values[parameter.name] = pool[(attempt * 37) % len(pool)] if pool else "x"
        yield values


def test_every_graph_arrives_whole(both: tuple[Store, Store]) -> None:
    embedded, remote = both
    assert remote.graphs() == embedded.graphs()
    assert len(embedded.graphs()) >= 3
    for graph in embedded.graphs():
        assert remote.count(graph) == embedded.count(graph), graph
        assert isomorphic(remote.get_graph(graph), embedded.get_graph(graph)), graph


def test_built_in_queries_agree(both: tuple[Store, Store]) -> None:
    embedded, remote = both
    for name, text in BUILT_IN.items():
        assert canonical(remote.query(text)) == canonical(embedded.query(text)), name
    classes = embedded.query(BUILT_IN["classes"])
    assert len(classes.rows) > 3  # type: ignore[union-attr]


def found_something(canonical_answer: tuple) -> bool:
    """Whether a canonical answer holds anything (rows, triples, a true ASK)."""
    return canonical_answer[0] != "error" and bool(canonical_answer[1])


def test_every_named_query_gives_the_same_results(both: tuple[Store, Store]) -> None:
    embedded, remote = both
    queries = catalogue(ROOT / "queries")
    answered = 0
    for name, query in queries.items():
        for values in bindings(query, embedded):
            text = bind(query, values)
            mine = answer(embedded, text)
            if mine[0] == "error" or found_something(mine):
                break
        assert answer(remote, text) == mine, (name, values)
        answered += found_something(mine)
    if queries:
        assert answered >= len(queries) // 2, f"only {answered} of {len(queries)} found data"


def test_a_named_query_through_the_cli_matches(both: tuple[Store, Store], tmp_path: Path,
                                               remote_location: str) -> None:
    embedded, _ = both
    copy = tmp_path / "copy"
    embedded.close()  # flushes; the CLI opens its own copy (one process per store folder)
    shutil.copytree(embedded.location, copy)
    queries = catalogue(ROOT / "queries")
    simple = [q for q in queries.values() if not any(p.required for p in q.parameters)]
    spec = simple[0].name if simple else BUILT_IN["classes"]
    outputs = []
    for location in (str(copy), remote_location):
        result = cli("query", spec, "--format", "csv", "--store", location,
                     ECOGRAPH_PROJECT_DIR=str(ROOT))
        assert result.returncode == 0, result.stderr
        outputs.append(sorted(result.stdout.splitlines()))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1


def test_serve_on_the_remote_store(both: tuple[Store, Store], remote_location: str,
                                   tmp_path: Path, loaded_store: OxigraphStore) -> None:
    """``ecograph serve --store sparql+http://…``: the endpoint, named queries and linked
    data answer from the server, as they do from the embedded store."""
    embedded = loaded_store  # the module's copy may be closed by the CLI test above
    environment = {**os.environ, "ECOGRAPH_PROJECT_DIR": str(ROOT)}
    environment.pop("ECOGRAPH_STORE", None)
    with running_server(["--store", remote_location], environment,
                        tmp_path / "serve.log") as (url, _process):
        query = catalogue(ROOT / "queries")["project-coordinators"]
        served = httpx.get(f"{url}/queries/project-coordinators", timeout=60,
                           headers={"Accept": "application/sparql-results+json"})
        assert served.status_code == 200, served.text
        expected = embedded.query(bind(query, {}))
        assert isinstance(expected, SelectResult) and expected.rows

        def rows(document: dict) -> set[tuple[str, ...]]:
            variables = document["head"]["vars"]
            return {tuple(b.get(v, {}).get("value", "") for v in variables)
                    for b in document["results"]["bindings"]}

        assert rows(served.json()) == rows(json.loads(to_json(expected)))
        page = httpx.get(f"{url}/id/organisation/umf-iasi", timeout=60,
                         headers={"Accept": "text/turtle"})
        assert page.status_code == 200, page.text
        assert "https://w3id.org/ecograph/id/cluster/imago-mol" in page.text
