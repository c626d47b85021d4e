"""Schemathesis against the OpenAPI document of a real ``ecograph serve`` (issue 7).

The server runs as a subprocess on 127.0.0.1 over a copy of the bundled data (ontology,
vocabularies, every source, an inferred graph) with writes on and the token sent on every
request, so the write operations are exercised too. The schema is the live server's
``/openapi.json``; schemathesis generates requests for every operation in it (its examples,
coverage and fuzzing phases, valid and invalid data, and a varied ``Accept``) and checks each
answer against the document: no server error (a ``503`` only for the query time limit), a
documented status, a documented media type and headers, a body matching the declared schema.
The stateful test follows the document's links (a change and its log entry, a graph put and
read back). At the end the server must have logged no traceback.

CI runs 6 examples per operation and the coverage phase's valid values only (the whole file
takes about 45 s). Setting ``ECOGRAPH_OPENAPI_EXAMPLES`` (e.g. 500) makes a deep run: that
many examples per operation, plus the coverage phase's invalid values and undeclared
methods. ``ECOGRAPH_FUZZ_RANDOM=1`` makes the run random instead of derandomised.
"""

from __future__ import annotations

import os
import shutil
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.linked_data.conftest import build_store
from tests.serving import running_server

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "openapi-fuzz-token-9b3e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = int(os.environ.get("ECOGRAPH_OPENAPI_EXAMPLES", "6"))
#: A deep run (the variable set) adds the coverage phase's invalid values and other methods.
DEEP = "ECOGRAPH_OPENAPI_EXAMPLES" in os.environ
RANDOM = bool(os.environ.get("ECOGRAPH_FUZZ_RANDOM"))
CHECKS = [status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, unsupported_method, allow_header_conformance]
#: ``Accept`` headers, one per case by its hash (schemathesis does not generate ``Accept``):
#: none, browsers, RDF and results clients, nothing offered.
ACCEPTS = [None, "*/*", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "text/turtle",
           "application/ld+json", "application/sparql-results+json", "text/csv",
           "application/json", "image/png", "application/n-quads;q=0.5, text/*;q=0.1", ""]
#: What the fuzzing saw: status codes per operation.
TALLY: defaultdict[str, Counter[int]] = defaultdict(Counter)


def _serializer(ctx: schemathesis.SerializationContext, value: object) -> bytes:
    """RDF and SPARQL bodies are text: send generated strings as UTF-8."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")


schemathesis.serializer("text/turtle", "application/n-triples", "application/n-quads",
                        "application/trig", "application/rdf+xml", "application/ld+json",
                        "application/sparql-query", "application/sparql-update")(_serializer)


def make_project(path: Path) -> Path:
    """A copy of the project's ontology, queries and data (the curation gate reads them)."""
    for part in ("ontology", "queries", "data/sources"):
        shutil.copytree(ROOT / part, path / part)
    return path


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A writable server over a copy of the bundled data; its URL and log file."""
    tmp = tmp_path_factory.mktemp("openapi")
    store = build_store(tmp / "store")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOGRAPH_")}
    env.update(ECOGRAPH_PROJECT_DIR=str(make_project(tmp / "project")),
               ECOGRAPH_MAX_BODY_BYTES="200000")
    log = tmp / "server.log"
    with running_server(["--store", str(store), "--writable", "--token", TOKEN,
                         "--query-timeout", "3", "--workers", "2"], env, log) as (url, _):
        yield url, log


def config() -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "headers": AUTH,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": not RANDOM},
        "phases": {"stateful": {"max-steps": 4 * EXAMPLES}, "coverage": {} if DEEP else {
            "generation": {"mode": "positive"}, "unexpected-methods": []}},
    })


@pytest.fixture(scope="module")
def api_schema(fuzz_server: tuple[str, Path]) -> schemathesis.BaseSchema:
    url, _ = fuzz_server
    return schemathesis.openapi.from_url(f"{url}/openapi.json", config=config())


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's lazy schema reads pytest's ``Node._nodeid``, gone in pytest 9."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")
FUZZ = settings(max_examples=EXAMPLES, derandomize=not RANDOM, deadline=None,
                suppress_health_check=list(HealthCheck))


def no_server_error(response: object, case: schemathesis.Case) -> None:
    """A 5xx is a failure, except the documented 503 of the query time limit."""
    status = response.status_code  # type: ignore[attr-defined]
    if status == 503:
        assert "time limit" in response.text, response.text  # type: ignore[attr-defined]
        return
    assert status < 500, (case.as_curl_command(), status,
                          response.text)  # type: ignore[attr-defined]


@schema.parametrize()
@FUZZ
def test_every_operation(case):
    accept = ACCEPTS[zlib.crc32(repr((case.operation.label, case.path_parameters, case.query,
                                      case.body)).encode()) % len(ACCEPTS)]
    if accept is not None:
        case.headers = {**(case.headers or {}), "Accept": accept}
    response = case.call(timeout=30)
    TALLY[case.operation.label][response.status_code] += 1
    no_server_error(response, case)
    case.validate_response(response, checks=CHECKS, excluded_checks=[not_a_server_error])



def test_linked_operations_statefully(api_schema):
    """Walks along the document's links: a change, its log entry and its revert; a graph
    put, read back and dropped. Each step is checked like the single operations.

    The scenarios change the server's state, so hypothesis may find that a replayed
    scenario no longer draws the same steps (``FlakyStrategyDefinition``): that round ends
    and another starts, as schemathesis' own runner does. Every failed check is recorded
    as it happens, so a failure hypothesis cannot replay still fails the test.
    """
    failures: list[str] = []

    class Machine(api_schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            TALLY[f"stateful {case.operation.label}"][response.status_code] += 1
            try:
                no_server_error(response, case)
                case.validate_response(response, checks=CHECKS,
                                       excluded_checks=[not_a_server_error])
            except Exception as exc:
                failures.append(f"{case.as_curl_command()}: {exc}")
                raise

    runs = settings(FUZZ, max_examples=max(EXAMPLES // 2, 3), stateful_step_count=4)
    for _ in range(3):
        try:
            Machine.run(settings=runs)
            break
        except FlakyStrategyDefinition:
            continue
    assert not failures, failures[:3]
    linked = [label for label in TALLY if label.startswith("stateful ")]
    assert len(linked) >= 2, linked


# --- findings, each with its regression test ------------------------------------------------


def test_the_document_declares_what_the_routes_answer(fuzz_server):
    """FastAPI's defaults are gone: no ``422 Validation Error`` (bad parameters are 400), no
    placeholder ``200`` of ``application/json``; operation ids are unique (GET and HEAD of
    one route had the same); every operation declares its errors; writes need the token."""
    url, _ = fuzz_server
    document = httpx.get(f"{url}/openapi.json", timeout=30).json()
    ids = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            ids.append(operation["operationId"])
            responses = operation["responses"]
            assert all(r["description"] not in ("Validation Error", "Successful Response")
                       for r in responses.values()), label
            assert any(code.startswith(("4", "5")) for code in responses) or path in (
                "/-/health", "/-/version", "/queries", "/context.jsonld"), label
            for declared in responses.values():
                for media_type, content in declared.get("content", {}).items():
                    assert content["schema"], (label, media_type)
            if method in ("put", "delete") or (path.startswith("/changes") and method == "post"):
                assert {"bearer": []} in operation["security"], label
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert "HTTPValidationError" not in document.get("components", {}).get("schemas", {})


def test_named_queries_declare_only_their_parameters(fuzz_server):
    """Each named query's operation listed a parameter ``_name`` (the endpoint's own
    argument) that the query refuses with 400; now only the query's parameters and the
    answer options are declared, and a request with all of them is answered."""
    url, _ = fuzz_server
    document = httpx.get(f"{url}/openapi.json", timeout=30).json()
    named = {p: ops["get"] for p, ops in document["paths"].items() if p.startswith("/queries/")}
    assert len(named) >= 8, sorted(named)
    for path, operation in named.items():
        names = [p["name"] for p in operation["parameters"]]
        assert "_name" not in names, (path, names)
        assert {"format", "timeout", "max-rows"} <= set(names), (path, names)
    answer = httpx.get(f"{url}/queries/project-coordinators",
                       params={"format": "json", "max-rows": "5", "timeout": "2.5"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert "_name" in httpx.get(f"{url}/queries/project-coordinators",
                                params={"_name": "cluster-members"}, timeout=30).text


@pytest.mark.parametrize("path", ["/store/%1D", "/store/a%C2%85b", "/store/%EF%BF%BE",
                                  "/store?graph=http://example.org/a%C2%85b",
                                  "/store?graph=urn:x:%EF%B7%90"])
def test_graph_names_the_store_cannot_hold_are_400(fuzz_server, path):
    """``GET /store/%1D`` was a 500 (Oxigraph refused the IRI with a ValueError, and the
    server logged a traceback): a key or IRI that is not an IRI is now a 400, for reads
    and writes alike."""
    url, log = fuzz_server
    with httpx.Client(base_url=url, headers=AUTH, timeout=30) as client:
        for method in ("GET", "PUT", "POST", "DELETE"):
            response = client.request(method, path, content=b"<urn:x:s> <urn:x:p> 1 .",
                                      headers={"Content-Type": "text/turtle"})
            assert response.status_code == 400, (method, path, response.text)
            assert "not" in response.json()["error"]["message"]
    assert "ValueError" not in log.read_text(errors="replace")


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("PATCH", "/changes", "GET, POST"),
    ("OPTIONS", "/store", "GET, HEAD, POST, PUT, DELETE"),
    ("PUT", "/sparql", "GET, HEAD, POST"),
    ("DELETE", "/id/organisation/umf-iasi", "GET, HEAD"),
    ("PUT", "/changes/20260101T000000000000-abcdef/revert", "POST"),
])
def test_405_lists_every_allowed_method(fuzz_server, method, path, allowed):
    """A 405 named only the methods of the first route at the path (``OPTIONS /store``
    answered ``Allow: GET``); RFC 9110 wants all of them."""
    url, _ = fuzz_server
    response = httpx.request(method, f"{url}{path}", timeout=30)
    assert response.status_code == 405, response.text
    assert response.headers["Allow"] == allowed


def test_the_server_logged_no_traceback(fuzz_server):
    """Nothing the fuzzing sent made the server log an unhandled exception."""
    _, log = fuzz_server
    assert TALLY, "run the whole file: the fuzz tests above fill the tally"
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert "unexpected error" not in text, text[-3000:]
    statuses = Counter()
    for counts in TALLY.values():
        statuses.update(counts)
    requests = sum(statuses.values())
    stateful = sorted(label for label in TALLY if label.startswith("stateful "))
    print(f"\nopenapi fuzz: {len(TALLY) - len(stateful)} operations, {requests} requests, "
          f"statuses {dict(sorted(statuses.items()))}; stateful steps: {stateful}")
