"""Per-token scopes on the real server: read, write and admin tokens from a tokens file.

Tokens are made with the real ``ecograph token new`` and served with ``--tokens FILE``
beside the single ``--token`` (an admin token). Every operation class is tried with every
kind of credentials: no token or an unknown one gets 401, a known token without the
scope 403 naming the scope, and the store is unchanged (hash of every quad) whenever a
request is refused; allowed writes are sent as dry runs so the store never changes here
either. A private server refuses anonymous reads with 401 on every read route. Refusals
carry no CORS headers. A bad tokens file stops the server before it starts.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ecograph.config import Settings
from ecograph.errors import InputError
from ecograph.tokens import (
    Scope,
    access_tokens,
    digest_of,
    identify,
    line_for,
    new_token,
    parse_tokens,
    token_table,
)
from ecograph.web.scopes import graph_store_scope, update_scope
from tests.serving import ECOGRAPH
from tests.web.conftest import ORGS, TOKEN, Server, start_server

GRAPH = "https://w3id.org/ecograph/graph/"
CHANGELOG, SHAPES = GRAPH + "changelog", GRAPH + "shapes"
TURTLE = b'<urn:x:scoped> <urn:x:p> "v" .\n'
ORIGIN = {"Origin": "https://elsewhere.example"}
DRY = {"dry-run": "true"}
INSERT = f'INSERT DATA {{ GRAPH <{ORGS}> {{ <urn:x:scoped> <urn:x:p> "v" }} }}'
_ALL = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
#: Token name → scope; "token" is the single --token.
LEVEL = {"reader": Scope.READ, "editor": Scope.WRITE, "boss": Scope.ADMIN, "token": Scope.ADMIN}


@dataclass
class Tokens:
    file: Path
    secret: dict[str, str]  # name → the token's text

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret[name]}"}


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Tokens:
    """Three tokens in one tokens file (the editor's made with the real ``ecograph token
    new``, which creates the file), plus the single --token."""
    file = tmp_path_factory.mktemp("tokens") / "tokens.txt"
    made = subprocess.run([ECOGRAPH, "token", "new", "editor", "--scope", "write", "--file",
                           str(file)], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    secret = {"token": TOKEN, "editor": made.stdout.strip()}
    assert len(secret["editor"]) >= 40 and secret["editor"] not in file.read_text()
    assert "  editor  write" in file.read_text()
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    with file.open("a") as out:
        for name in ("reader", "boss"):
            secret[name] = new_token()
            out.write(line_for(secret[name], name, LEVEL[name]) + "\n")
    return Tokens(file, secret)


def _serve(tmp: Path, tokens: Tokens, *extra: str) -> Iterator[Server]:
    yield from start_server(tmp, "--writable", "--tokens", str(tokens.file), "--token", TOKEN,
                            "--workers", "1", "--query-timeout", "10", *extra)


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory, tokens: Tokens) -> Iterator[Server]:
    """A private, writable server with the tokens file and the single token."""
    yield from _serve(tmp_path_factory.mktemp("private"), tokens, "--private")


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory, tokens: Tokens) -> Iterator[Server]:
    """The same but public: reads need no token."""
    yield from _serve(tmp_path_factory.mktemp("public"), tokens)


@pytest.fixture(scope="module")
def change_id(private: Server, tokens: Tokens) -> str:
    """A change committed by the editor, for the revert operation to name."""
    with private.client() as client:
        made = client.post("/changes", params={"graph": "urn:x:kept"},
                           content=b'<urn:x:kept> <urn:x:p> "k" .\n',
                           headers={**tokens.auth("editor"), "Content-Type": "text/turtle"})
    assert made.status_code == 201, made.text
    return made.json()["id"]


def digest(client: httpx.Client, headers: dict[str, str]) -> tuple[int, str]:
    """The number of quads in the store and a hash of them all, asked over HTTP."""
    response = client.post("/sparql", data={"query": _ALL},
                           headers={"Accept": "text/tab-separated-values", **headers})
    assert response.status_code == 200, response.text
    rows = sorted(response.text.splitlines()[1:])
    return len(rows), hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


def no_cors(response: httpx.Response) -> bool:
    return not [h for h in response.headers if h.lower().startswith("access-control-")]


# --- operations and who may do them ---------------------------------------------------------

TTL = {"Content-Type": "text/turtle"}


def _update(text: str) -> dict:
    return {"method": "POST", "url": "/sparql", "data": {"update": text}, "params": DRY}


#: Operation → (scope needed, request, answer of an allowed dry run).
WRITES: dict[str, tuple[Scope, dict, int]] = {
    "update INSERT DATA": (Scope.WRITE, _update(INSERT), 200),
    "update DELETE WHERE GRAPH ?g": (Scope.WRITE, _update(
        "DELETE WHERE { GRAPH ?g { <urn:x:none> ?p ?o } }"), 200),
    "PUT named graph": (Scope.WRITE, {"method": "PUT", "url": "/store", "content": TURTLE,
                                      "params": {"graph": "urn:x:scoped", **DRY},
                                      "headers": TTL}, 200),
    "POST named graph": (Scope.WRITE, {"method": "POST", "url": "/store", "content": TURTLE,
                                       "params": {"graph": ORGS, **DRY}, "headers": TTL}, 200),
    "POST new graph": (Scope.WRITE, {"method": "POST", "url": "/store", "content": TURTLE,
                                     "params": DRY, "headers": TTL}, 200),
    "DELETE named graph": (Scope.WRITE, {"method": "DELETE", "url": "/store",
                                         "params": {"graph": ORGS, **DRY}}, 200),
    "POST /changes": (Scope.WRITE, {"method": "POST", "url": "/changes", "content": TURTLE,
                                    "params": {"graph": "urn:x:scoped", **DRY},
                                    "headers": TTL}, 200),
    "update DROP ALL": (Scope.ADMIN, _update("DROP ALL"), 200),
    "update CLEAR SILENT DEFAULT": (Scope.ADMIN, _update("CLEAR SILENT DEFAULT"), 200),
    "update CLEAR NAMED": (Scope.ADMIN, _update("clear named"), 200),
    "update MOVE DEFAULT": (Scope.ADMIN, _update("MOVE DEFAULT TO <urn:x:moved>"), 200),
    # admin passes the scope check; the curation gate then refuses system graphs (400)
    "update into the change log": (Scope.ADMIN, _update(
        f"PREFIX g: <{GRAPH}> INSERT DATA {{ GRAPH g:changelog {{ <urn:x:a> <urn:x:b> 1 }} }}"),
        400),
    "PUT the shapes graph": (Scope.ADMIN, {"method": "PUT", "url": "/store", "content": TURTLE,
                                           "params": {"graph": SHAPES, **DRY},
                                           "headers": TTL}, 400),
    "PUT default graph": (Scope.ADMIN, {"method": "PUT", "url": "/store", "content": TURTLE,
                                        "params": {"default": "", **DRY}, "headers": TTL}, 200),
    "DELETE default graph": (Scope.ADMIN, {"method": "DELETE", "url": "/store",
                                           "params": {"default": "", **DRY}}, 200),
    "revert a change": (Scope.ADMIN, {"method": "POST", "url": "/changes/{id}/revert",
                                      "params": DRY}, 200),
}
NOBODY = {"no token": {}, "unknown token": {"Authorization": "Bearer not-a-token"},
          "Basic scheme": {"Authorization": f"Basic {TOKEN}"}}


def request_for(spec: dict, change: str) -> dict:
    return {**spec, "url": spec["url"].replace("{id}", change)}


@pytest.mark.parametrize("operation", list(WRITES))
def test_each_scope_meets_each_write_operation(private, tokens, change_id, operation):
    needed, spec, allowed = WRITES[operation]
    boss = tokens.auth("boss")
    with private.client() as client:
        before = digest(client, boss)
        for label, credentials in NOBODY.items():
            kwargs = request_for(spec, change_id)
            kwargs["headers"] = {**kwargs.get("headers", {}), **credentials, **ORIGIN}
            answer = client.request(**kwargs)
            assert answer.status_code == 401, (label, answer.text)
            assert "Bearer" in answer.headers["www-authenticate"] and no_cors(answer)
        for name, level in LEVEL.items():
            kwargs = request_for(spec, change_id)
            kwargs["headers"] = {**kwargs.get("headers", {}), **tokens.auth(name), **ORIGIN}
            answer = client.request(**kwargs)
            if level < needed:
                assert answer.status_code == 403, (name, answer.text)
                error = answer.json()["error"]
                assert error["type"] == "InsufficientScope" and error["scope"] == needed.word
                assert f"'{needed.word}' scope" in error["message"]
                assert 'error="insufficient_scope"' in answer.headers["www-authenticate"]
                assert no_cors(answer)
            else:
                assert answer.status_code == allowed, (name, answer.text)
            assert digest(client, boss) == before, (operation, name)


def test_allowed_writes_commit_and_name_the_token_as_agent(private, tokens):
    with private.client() as client:
        done = client.post("/sparql", data={"update": INSERT}, headers=tokens.auth("editor"))
        assert done.status_code == 204, done.text
        first = done.headers["ecograph-change"]
        sent = client.post("/changes", params={"graph": "urn:x:agent"}, content=TURTLE,
                           headers={**tokens.auth("editor"), **TTL, "From": "ana@example.org"})
        assert sent.status_code == 201, sent.text
        reader = tokens.auth("reader")
        assert inserted(client, reader)
        assert client.get(f"/changes/{first}", headers=reader).json()["agent"] == "editor"
        second = client.get(f"/changes/{sent.json()['id']}", headers=reader).json()
        assert second["agent"] == "ana@example.org (token editor)"
        undone = client.post(f"/changes/{first}/revert", headers=tokens.auth("boss"))
        assert undone.status_code == 201, undone.text
        assert client.get(f"/changes/{undone.json()['id']}",
                          headers=reader).json()["agent"] == "boss"
        assert not inserted(client, reader)


def inserted(client: httpx.Client, headers: dict[str, str]) -> bool:
    """Whether the triple of ``INSERT`` is in its graph."""
    ask = client.get("/sparql", params={"query": f"ASK {{ GRAPH <{ORGS}> {{ <urn:x:scoped> "
                                                 "?p ?o } }"},
                     headers={**headers, "Accept": "application/sparql-results+json"})
    assert ask.status_code == 200, ask.text
    return bool(ask.json()["boolean"])


# --- a private server: every read needs a read token --------------------------------------

READS = [
    ("GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}}, 200),
    ("HEAD", "/sparql", {"params": {"query": "ASK {}"}}, 200),
    ("POST", "/sparql", {"data": {"query": "ASK { ?s ?p ?o }"}}, 200),
    ("POST", "/sparql", {"content": b"ASK {}",
                         "headers": {"Content-Type": "application/sparql-query"}}, 200),
    ("GET", "/sparql", {"headers": {"Accept": "text/turtle"}}, 200),  # service description
    ("GET", "/store", {"params": {"graph": ORGS}}, 200),
    ("HEAD", "/store", {"params": {"default": ""}}, 200),
    ("GET", "/-/dumps/dataset.nq.gz", {}, 200),
    ("GET", "/-/dumps/graph/test-organisations.ttl", {}, 200),
    ("GET", "/-/void.ttl", {}, 200),
    ("GET", "/id/organisation/nowhere", {"headers": {"Accept": "text/turtle"}}, 404),
    ("GET", "/ontology", {"headers": {"Accept": "text/turtle"}}, 200),
    ("GET", "/context.jsonld", {}, 200),
    ("GET", "/-/search.json", {"params": {"q": "delft"}}, 200),
    ("POST", "/validate", {"content": TURTLE, "headers": TTL}, 200),
    ("GET", "/changes", {}, 200),
    ("GET", "/queries", {}, 200),
    ("GET", "/queries/organisations", {"params": {"country": "NL"}}, 200),
    ("GET", "/openapi.json", {}, 200),
    ("GET", "/-/version", {}, 200),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), READS,
                         ids=[f"{m} {p} {i}" for i, (m, p, _, _) in enumerate(READS)])
def test_a_private_server_refuses_anonymous_reads(private, tokens, method, path, kwargs,
                                                  status):
    with private.client() as client:
        for name in ("reader", "editor", "boss", "token"):
            headers = {**kwargs.get("headers", {}), **tokens.auth(name)}
            allowed = client.request(method, path, **{**kwargs, "headers": headers})
            assert allowed.status_code == status, (name, allowed.text)
        # asked again without a token: the recorded answer must not be replayed
        for credentials in NOBODY.values():
            headers = {**kwargs.get("headers", {}), **credentials, **ORIGIN}
            refused = client.request(method, path, **{**kwargs, "headers": headers})
            assert refused.status_code == 401, refused.text
            assert refused.headers["www-authenticate"].startswith("Bearer") and no_cors(refused)
            assert "TU Delft" not in refused.text and "test-organisations" not in refused.text


def test_a_private_server_keeps_health_assets_problems_and_the_query_page_open(private):
    with private.client() as client:
        assert client.get("/-/health").json()["ok"] is True
        page = client.get("/sparql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "<html" in page.text.lower()
        asset = client.get("/-/static/yasgui/yasgui.min.js")
        assert asset.status_code == 200 and len(asset.content) > 1000
        refused = client.get("/-/void")
        assert refused.status_code == 401
        meaning = client.get(refused.json()["type"].replace("https://w3id.org/ecograph", ""),
                             headers={"Accept": "application/json"})
        assert meaning.status_code == 200, meaning.text
        assert client.get("/sparql", params={"query": "ASK {}"},
                          headers={"Accept": "text/html"}).status_code == 401


# --- a public server: reads open, writes scoped, refusals without CORS ---------------------


def test_a_refused_update_carries_no_cors_headers(public, tokens):
    """Regression: an update POSTed to /sparql without a token got 401 *with* the read CORS
    headers (the CORS middleware cannot tell an update from a query without the body)."""
    with public.client() as client:
        before = digest(client, {})
        refused = client.post("/sparql", data={"update": INSERT}, headers=ORIGIN)
        assert refused.status_code == 401 and no_cors(refused), dict(refused.headers)
        typed = client.post("/sparql", content=INSERT.encode(), headers={
            **ORIGIN, "Content-Type": "application/sparql-update"})
        assert typed.status_code == 401 and no_cors(typed), dict(typed.headers)
        read = client.post("/sparql", data={"query": "ASK {}"}, headers=ORIGIN)
        assert read.status_code == 200 and read.headers["access-control-allow-origin"] == "*"
        reader = client.post("/sparql", data={"update": INSERT},
                             headers={**ORIGIN, **tokens.auth("reader")})
        assert reader.status_code == 403 and no_cors(reader)
        editor = client.post("/sparql", data={"update": "DROP ALL"},
                             headers={**ORIGIN, **tokens.auth("editor")})
        assert editor.status_code == 403 and editor.json()["error"]["scope"] == "admin"
        assert no_cors(editor) and digest(client, {}) == before


def test_raw_tokens_never_reach_the_log(private, public, tokens):
    for server in (private, public):
        with server.client() as client:
            for name in tokens.secret:  # a refused admin act, and guesses near each token
                client.post("/sparql", data={"update": "DROP ALL"}, params=DRY,
                            headers=tokens.auth(name))
                client.get("/sparql", params={"query": "ASK {}"},
                           headers={"Authorization": f"Bearer {tokens.secret[name]}x"})
        log = (server.store.parent / "server.log").read_text(errors="replace")
        assert "reader (read)" in log and "editor (write)" in log and "boss (admin)" in log
        assert "token 'editor' (scope write) refused" in log
        for secret in tokens.secret.values():
            assert secret not in log


# --- startup: a bad tokens file is a clear error, not a traceback --------------------------


def _serve_cli(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOGRAPH_")}
    return subprocess.run([ECOGRAPH, "serve", "--store", str(tmp / "store"), *args],
                          capture_output=True, text=True, timeout=60, env=env)


def test_a_bad_tokens_file_stops_the_server_with_a_clear_message(tmp_path):
    good = line_for("a-good-token", "good", Scope.WRITE)
    bad = tmp_path / "tokens.txt"
    bad.write_text(f"# tokens\n{good}\nmy-raw-secret-token editor write\n"
                   f"{good.replace('good', 'other')}\n"
                   f"{line_for('x', 'who', Scope.READ).replace('read', 'root')}\n"
                   f"{line_for('y', 'good', Scope.READ)}\nsha256:abc short\n")
    answer = _serve_cli(tmp_path, "--tokens", str(bad), "--writable")
    assert answer.returncode == 2, answer.stderr
    message = answer.stderr
    assert f"the tokens file {bad} has 5 bad line(s)" in message
    for number in (3, 4, 5, 6, 7):
        assert f"line {number}:" in message
    assert "never the token itself" in message and "unknown scope root" in message
    assert "Traceback" not in message and "my-raw-secret-token" not in message + answer.stdout
    assert not (tmp_path / "store").exists()
    with pytest.raises(InputError, match=r"cannot read the tokens file .*none\.txt: No such"):
        access_tokens(Settings(tokens_file=tmp_path / "none.txt"))


def test_settings_no_token_could_serve_are_refused(tmp_path):
    readers = tmp_path / "readers.txt"
    readers.write_text(line_for("r", "reader", Scope.READ) + "\n")
    with pytest.raises(InputError, match="write scope"):
        access_tokens(Settings(writable=True, tokens_file=readers))
    with pytest.raises(InputError, match="write scope"):
        access_tokens(Settings(writable=True))
    with pytest.raises(InputError, match="private server needs tokens"):
        access_tokens(Settings(private=True))
    assert [t.name for t in access_tokens(Settings(private=True, tokens_file=readers))] == \
        ["reader"]
    assert access_tokens(Settings(writable=True, token="t"))[0].scope == Scope.ADMIN


# --- the pure parts -------------------------------------------------------------------------


def test_tokens_are_identified_by_hash_with_the_highest_scope():
    text = (f"{line_for('t1', 'one', Scope.READ)}\n"
            f"sha256:{digest_of('t2').hex().upper()}  two  read,admin  # comment\n")
    table = parse_tokens(text) + token_table("t1", None)
    assert [(t.name, t.scope) for t in table] == [("one", Scope.READ), ("two", Scope.ADMIN),
                                                   ("token", Scope.ADMIN)]
    assert identify(table, "t2").name == "two"  # type: ignore[union-attr]
    assert identify(table, "t1").scope == Scope.ADMIN  # type: ignore[union-attr]
    assert identify(table, "t3") is None and identify(table, "t") is None
    assert identify((), "t1") is None


@pytest.mark.parametrize(("update", "scope"), [
    (INSERT, Scope.WRITE),
    ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s <urn:x:p> ?o } }", Scope.WRITE),
    ("DROP GRAPH <urn:x:g> ; CLEAR SILENT GRAPH <urn:x:h>", Scope.WRITE),
    ("COPY <urn:x:a> TO <urn:x:b>", Scope.WRITE),
    ("ADD DEFAULT TO <urn:x:b>", Scope.WRITE),
    ("INSERT DATA { <urn:x:a> <urn:x:b> 'DROP ALL' }", Scope.WRITE),
    ("# DROP ALL\nINSERT DATA { <urn:x:a> <urn:x:b> 1 }", Scope.WRITE),
    ("DROP ALL", Scope.ADMIN), ("drop silent all", Scope.ADMIN), ("CLEAR NAMED", Scope.ADMIN),
    ("CLEAR DEFAULT", Scope.ADMIN), ("INSERT DATA { <urn:x:a> <urn:x:b> 1 } ; DROP ALL",
                                     Scope.ADMIN),
    ("MOVE DEFAULT TO <urn:x:a>", Scope.ADMIN), ("COPY <urn:x:a> TO DEFAULT", Scope.ADMIN),
    (f"DROP GRAPH <{CHANGELOG}>", Scope.ADMIN),
    (f"BASE <{GRAPH}> DELETE WHERE {{ GRAPH <inferred> {{ ?s ?p ?o }} }}", Scope.ADMIN),
    (f"WITH <{SHAPES}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", Scope.ADMIN),
    ("LOAD <http://example.org/d.ttl> INTO GRAPH <urn:x:g>", Scope.WRITE),
    ("LOAD SILENT <http://example.org/d.ttl>", Scope.WRITE),
    (f"PREFIX g: <{GRAPH}> LOAD <http://example.org/d.ttl> INTO GRAPH g:ontology", Scope.ADMIN),
])
def test_updates_are_classified_by_scope(update, scope):
    assert update_scope(update) == scope


def test_graph_store_writes_are_classified_by_scope():
    assert graph_store_scope("PUT", ORGS) == graph_store_scope("DELETE", ORGS) == Scope.WRITE
    assert graph_store_scope("POST", None) == Scope.WRITE
    assert graph_store_scope("PUT", None) == graph_store_scope("DELETE", None) == Scope.ADMIN
    assert graph_store_scope("POST", CHANGELOG) == Scope.ADMIN
