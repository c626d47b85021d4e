"""The SPARQL 1.1 Graph Store HTTP Protocol, in the order of the W3C test suite."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from tests.web.conftest import ORGS, count

PERSON = "https://w3id.org/ecograph/graph/test-gsp-person"
TURTLE = b"""@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://example.org/person/1> a foaf:Person ; foaf:name "Jane Doe" ;
    foaf:knows <http://example.org/person/3> .
<http://example.org/person/3> foaf:name "Bob" .
"""
MORE = b"""<http://example.org/person/1> <http://xmlns.com/foaf/0.1/nick> "JD" .\n"""
EXTRA = b"""<http://example.org/person/2> <http://xmlns.com/foaf/0.1/name> "Ana" .\n"""


def parsed(response, fmt="turtle"):
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format=fmt)


def test_put_get_head_post_delete_a_named_graph(http, auth):
    turtle = {**auth, "Content-Type": "text/turtle"}
    created = http.put("/store", params={"graph": PERSON}, content=TURTLE, headers=turtle)
    assert created.status_code == 201, created.text
    got = http.get("/store", params={"graph": PERSON}, headers={"Accept": "text/turtle"})
    assert got.headers["content-type"].startswith("text/turtle")
    assert isomorphic(parsed(got), Graph().parse(data=TURTLE, format="turtle"))

    head = http.head("/store", params={"graph": PERSON}, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/turtle")
    missing = http.head("/store", params={"graph": PERSON + "-nothing"})
    assert missing.status_code == 404

    replaced = http.put("/store", params={"graph": PERSON}, content=TURTLE, headers=turtle)
    assert replaced.status_code == 204
    assert len(parsed(http.get("/store", params={"graph": PERSON}))) == 4

    added = http.post("/store", params={"graph": PERSON}, content=MORE,
                      headers={**auth, "Content-Type": "application/n-triples"})
    assert added.status_code == 204
    graph = parsed(http.get("/store", params={"graph": PERSON},
                            headers={"Accept": "application/n-triples"}), "nt")
    assert (URIRef("http://example.org/person/1"), URIRef("http://xmlns.com/foaf/0.1/nick"),
            Literal("JD")) in graph

    noop = http.post("/store", params={"graph": PERSON}, content=b"", headers=turtle)
    assert noop.status_code == 204
    assert len(parsed(http.get("/store", params={"graph": PERSON}))) == 5

    deleted = http.delete("/store", params={"graph": PERSON}, headers=auth)
    assert deleted.status_code == 204
    assert http.get("/store", params={"graph": PERSON}).status_code == 404
    again = http.delete("/store", params={"graph": PERSON}, headers=auth)
    assert again.status_code == 404
    assert again.json()["error"]["graph"] == PERSON


def test_every_rdf_syntax_is_served(http):
    for accept, fmt in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                        ("application/trig", "trig"), ("application/n-quads", "nquads")):
        response = http.get("/store", params={"graph": ORGS}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(accept)
        assert len(parsed(response, fmt)) == 9
    refused = http.get("/store", params={"graph": ORGS}, headers={"Accept": "text/csv"})
    assert refused.status_code == 406
    assert "text/turtle" in refused.json()["error"]["offered"]


def test_the_default_graph(http, auth):
    turtle = {**auth, "Content-Type": "text/turtle"}
    put = http.put("/store", params={"default": ""}, content=TURTLE, headers=turtle)
    assert put.status_code == 204, put.text
    got = parsed(http.get("/store?default"))
    assert isomorphic(got, Graph().parse(data=TURTLE, format="turtle"))
    # the default graph is part of the union that queries see
    answer = http.get("/sparql", params={"query": 'ASK { ?p <http://xmlns.com/foaf/0.1/name> '
                                                  '"Jane Doe" }'})
    assert answer.json()["boolean"] is True
    assert http.delete("/store?default", headers=auth).status_code == 204
    assert len(parsed(http.get("/store?default"))) == 0


def test_empty_graph_put_creates_an_empty_graph(http, auth):
    empty = PERSON + "-empty"
    response = http.put("/store", params={"graph": empty}, content=b"",
                        headers={**auth, "Content-Type": "text/turtle"})
    assert response.status_code == 201
    got = http.get("/store", params={"graph": empty})
    assert got.status_code == 200 and len(parsed(got)) == 0
    http.delete("/store", params={"graph": empty}, headers=auth)


def test_mismatched_payload_is_400_and_changes_nothing(http, auth):
    before = count(http)
    response = http.put("/store", params={"graph": PERSON}, content=b"<rdf:RDF>not turtle",
                        headers={**auth, "Content-Type": "text/turtle"})
    assert response.status_code == 400
    assert "line 1" in response.json()["error"]["message"]
    unsupported = http.put("/store", params={"graph": PERSON}, content=TURTLE,
                           headers={**auth, "Content-Type": "application/pdf"})
    assert unsupported.status_code == 415
    quads = http.put("/store", params={"graph": PERSON},
                     content=b"<urn:a> <urn:b> <urn:c> <urn:g> .\n",
                     headers={**auth, "Content-Type": "application/n-quads"})
    assert quads.status_code == 400
    assert count(http) == before
    assert http.get("/store", params={"graph": PERSON}).status_code == 404


def test_multipart_post_merges_the_parts(http, auth):
    files = [("file1", ("a.ttl", TURTLE, "text/turtle")),
             ("file2", ("b.nt", EXTRA, "application/n-triples"))]
    target = PERSON + "-multipart"
    response = http.post("/store", params={"graph": target}, files=files, headers=auth)
    assert response.status_code == 201, response.text
    assert len(parsed(http.get("/store", params={"graph": target}))) == 5
    http.delete("/store", params={"graph": target}, headers=auth)


def test_post_to_the_store_creates_a_graph_at_a_new_url(http, auth, server):
    response = http.post("/store", content=EXTRA,
                         headers={**auth, "Content-Type": "application/n-triples"})
    assert response.status_code == 201, response.text
    location = response.headers["location"]
    assert location.startswith(f"{server.url}/store/")
    got = http.get(location, headers={"Accept": "application/n-triples"})
    assert len(parsed(got, "nt")) == 1
    listed = http.get("/sparql", params={"query": f"ASK {{ GRAPH <{location}> {{ ?s ?p ?o }} }}"})
    assert listed.json()["boolean"] is True
    assert http.delete(location, headers=auth).status_code == 204
    assert http.get(location).status_code == 404


def test_graph_store_writes_need_the_token(http):
    before = count(http)
    put = http.put("/store", params={"graph": PERSON}, content=TURTLE,
                   headers={"Content-Type": "text/turtle"})
    assert put.status_code == 401
    delete = http.delete("/store", params={"graph": ORGS},
                         headers={"Authorization": "Bearer wrong"})
    assert delete.status_code == 401
    assert count(http) == before


def test_graph_store_parameters(http, auth):
    assert http.get("/store").status_code == 400
    both = http.get("/store", params={"graph": ORGS, "default": ""})
    assert both.status_code == 400
    unknown = http.get("/store", params={"graph": ORGS, "grpah": "x"})
    assert "grpah" in unknown.json()["error"]["message"]
