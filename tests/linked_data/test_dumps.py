"""Dumps over HTTP: streamed gzip, complete, conditional GET, tags that follow the store."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from email.utils import formatdate

import pytest
from rdflib import Dataset, Graph, URIRef

from ecograph.web.routes.dumps import gzip_stream, quads_of

CORDIS = URIRef("https://w3id.org/ecograph/graph/cordis-projects")


def _quads(body: bytes, fmt: str) -> set:
    data = Dataset()
    data.parse(data=body, format=fmt)
    return {(s, p, o, g) for s, p, o, g in data.quads((None, None, None, None))}


@pytest.mark.parametrize("name,fmt", [("dataset.nq.gz", "nquads"), ("dataset.trig.gz", "trig"),
                                      ("dataset.nq", "nquads")])
def test_the_dataset_dump_holds_every_quad(client, ld_store, name, fmt):
    answer = client.get(f"/-/dumps/{name}")
    assert answer.status_code == 200
    body = gzip.decompress(answer.content) if name.endswith(".gz") else answer.content
    assert answer.headers["content-type"].startswith(
        "application/gzip" if name.endswith(".gz") else "application/n-quads")
    quads = _quads(body, fmt)
    assert len(quads) == ld_store.count()
    assert {str(g.identifier if hasattr(g, "identifier") else g) for *_, g in quads} == {
        str(g) for g in ld_store.graphs()}


def test_a_graph_dump_holds_that_graph_only(client, ld_store):
    quads = _quads(gzip.decompress(client.get("/-/dumps/graph/cordis-projects.nq.gz").content),
                   "nquads")
    assert len(quads) == ld_store.count(CORDIS)
    assert {str(getattr(g, "identifier", g)) for *_, g in quads} == {str(CORDIS)}
    turtle = gzip.decompress(client.get("/-/dumps/graph/cordis-projects.ttl.gz").content)
    assert Graph().parse(data=turtle, format="turtle").isomorphic(ld_store.get_graph(CORDIS))


@pytest.mark.parametrize("path", ["/-/dumps/dataset.ttl.gz", "/-/dumps/dataset.csv",
                                  "/-/dumps/graph/no-such-graph.nq.gz",
                                  "/-/dumps/graph/cordis-projects.trig.gz",
                                  "/-/dumps/graph/cordis-projects.zip"])
def test_unknown_dumps_are_404_with_a_message(client, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.json()["error"]["message"]


def test_conditional_get(client):
    first = client.get("/-/dumps/dataset.nq.gz")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    for headers in ({"If-None-Match": etag}, {"If-None-Match": f'"other", {etag}'},
                    {"If-None-Match": "*"}, {"If-Modified-Since": modified}):
        again = client.get("/-/dumps/dataset.nq.gz", headers=headers)
        assert again.status_code == 304, headers
        assert again.content == b"" and again.headers["etag"] == etag
    for headers in ({"If-None-Match": '"other"'},
                    {"If-Modified-Since": formatdate(0, usegmt=True)},
                    {"If-Modified-Since": "not a date"}):
        assert client.get("/-/dumps/dataset.nq.gz", headers=headers).status_code == 200
    # Each dump has its own tag.
    assert client.head("/-/dumps/dataset.trig.gz").headers["etag"] != etag


def test_head_gives_the_validators_without_a_body(client):
    answer = client.head("/-/dumps/dataset.nq.gz")
    assert answer.status_code == 200 and answer.content == b""
    assert answer.headers["etag"] and answer.headers["content-type"] == "application/gzip"


def test_gzip_is_streamed_chunk_by_chunk():
    pulled = []

    def source() -> Iterator[bytes]:
        for i in range(200):
            pulled.append(i)
            yield zlib.compress(bytes([i % 251]) * 4096) * 16  # poorly compressible bytes

    stream = gzip_stream(source())
    first = next(stream)
    assert first and len(pulled) < 200  # output started before the input was all read
    rest = b"".join(stream)
    assert gzip.decompress(first + rest) == b"".join(
        zlib.compress(bytes([i % 251]) * 4096) * 16 for i in range(200))


def test_quads_of_rewrites_lines_across_chunk_boundaries():
    text = b'<http://a> <http://b> "x y ." .\n<http://a> <http://b> <http://c> .\n'
    chunks = [text[i:i + 7] for i in range(0, len(text), 7)]
    out = b"".join(quads_of(iter(chunks), URIRef("http://g")))
    assert out == (b'<http://a> <http://b> "x y ." <http://g> .\n'
                   b'<http://a> <http://b> <http://c> <http://g> .\n')


def test_the_validators_follow_the_store_version():
    from types import SimpleNamespace

    from ecograph.web.routes.dumps import _validators

    pool = SimpleNamespace(version=7)
    state = SimpleNamespace(cache=SimpleNamespace(boot="b00t"), pool=pool)
    etag, modified = _validators(state, "dataset.nq.gz")
    assert _validators(state, "dataset.nq.gz") == (etag, modified)
    assert _validators(state, "dataset.trig.gz")[0] != etag
    pool.version = 8  # a write went through this server
    assert _validators(state, "dataset.nq.gz")[0] != etag
    restarted = SimpleNamespace(cache=SimpleNamespace(boot="other"), pool=SimpleNamespace(
        version=7))
    assert _validators(restarted, "dataset.nq.gz")[0] != etag
