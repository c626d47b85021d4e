"""SPARQL 1.1 Update over the Protocol: form and direct POST, USING parameters, base IRI."""

from __future__ import annotations

import httpx
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import POST, SPARQLWrapper

from ecograph.store.embedded import OxigraphStore
from tests.web.conftest import ORGS, TOKEN, count

SCRATCH = "https://w3id.org/ecograph/graph/test-update"


def test_update_by_form_and_direct_post_then_visible_to_queries(http, auth):
    form = http.post("/sparql", data={"update": f"INSERT DATA {{ GRAPH <{SCRATCH}> "
                                                 "{ <urn:x:a> <urn:x:p> 1 } }"}, headers=auth)
    assert form.status_code == 204, form.text
    direct = http.post("/sparql", content=f"INSERT DATA {{ GRAPH <{SCRATCH}> "
                                          "{ <urn:x:b> <urn:x:p> 2 } }".encode(),
                       headers={**auth, "Content-Type": "application/sparql-update"})
    assert direct.status_code == 204, direct.text
    assert count(http, SCRATCH) == 2
    drop = http.post("/sparql", data={"update": f"DROP GRAPH <{SCRATCH}>"}, headers=auth)
    assert drop.status_code == 204
    assert count(http, SCRATCH) == 0


def test_update_changes_cached_answers(http, auth):
    query = {"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SCRATCH}> {{ ?s ?p ?o }} }}"}
    first = http.get("/sparql", params=query, headers={"Accept": "text/csv"})
    etag = first.headers["etag"]
    http.post("/sparql", data={"update": f"INSERT DATA {{ GRAPH <{SCRATCH}> "
                                         "{ <urn:x:c> <urn:x:p> 3 } }"}, headers=auth)
    second = http.get("/sparql", params=query, headers={"Accept": "text/csv",
                                                        "If-None-Match": etag})
    assert second.status_code == 200
    assert second.text.splitlines()[1] == str(int(first.text.splitlines()[1]) + 1)
    http.post("/sparql", data={"update": f"DROP SILENT GRAPH <{SCRATCH}>"}, headers=auth)


def test_using_graph_uri_sets_the_update_dataset(http, auth):
    source = "https://w3id.org/ecograph/graph/test-using"
    http.post("/sparql", data={"update": f"INSERT DATA {{ GRAPH <{source}> "
                                         "{ <urn:x:s> <urn:x:p> 7 } }"}, headers=auth)
    text = (f"INSERT {{ GRAPH <{SCRATCH}> {{ ?s <urn:x:copied> ?o }} }} "
            "WHERE { ?s <urn:x:p> ?o }")
    # Without USING the WHERE sees the store's own default graph: nothing to copy.
    http.post("/sparql", data={"update": text}, headers=auth)
    assert count(http, SCRATCH) == 0
    response = http.post("/sparql", data={"update": text, "using-graph-uri": source},
                         headers=auth)
    assert response.status_code == 204, response.text
    assert count(http, SCRATCH) == 1
    named = (f"INSERT {{ GRAPH <{SCRATCH}> {{ ?s <urn:x:named> ?g }} }} "
             "WHERE { GRAPH ?g { ?s <urn:x:p> ?o } }")
    http.post("/sparql", data={"update": named, "using-named-graph-uri": source},
              headers=auth)
    assert count(http, SCRATCH) == 2
    http.post("/sparql", data={"update": f"DROP GRAPH <{SCRATCH}> ; DROP GRAPH <{source}>"},
              headers=auth)


def test_relative_iris_resolve_against_the_endpoint(http, auth, server):
    http.post("/sparql", data={"update": f"INSERT DATA {{ GRAPH <{SCRATCH}> "
                                         "{ <thing> <urn:x:p> 1 } }"}, headers=auth)
    response = http.get("/sparql", params={"query": f"SELECT ?s {{ GRAPH <{SCRATCH}> "
                                                    "{ ?s ?p ?o } }"})
    subject = response.json()["results"]["bindings"][0]["s"]["value"]
    assert subject == f"{server.url}/thing"
    http.post("/sparql", data={"update": f"DROP GRAPH <{SCRATCH}>"}, headers=auth)


def test_sparqlwrapper_and_rdflib_update_clients_with_the_token(server, http):
    wrapper = SPARQLWrapper(server.sparql, updateEndpoint=server.sparql)
    wrapper.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    wrapper.setMethod(POST)
    wrapper.setQuery(f"INSERT DATA {{ GRAPH <{SCRATCH}> {{ <urn:x:w> <urn:x:p> 1 }} }}")
    wrapper.query()
    assert count(http, SCRATCH) == 1
    store = SPARQLUpdateStore(server.sparql, server.sparql,
                              headers={"Authorization": f"Bearer {TOKEN}"})
    graph = Graph(store=store, identifier=URIRef(SCRATCH))
    graph.add((URIRef("urn:x:r"), URIRef("urn:x:p"), URIRef("urn:x:o")))
    store.commit()
    assert count(http, SCRATCH) == 2
    store.update(f"DROP GRAPH <{SCRATCH}>")
    store.close()
    assert count(http, SCRATCH) == 0


def test_writes_are_durable_in_the_store_on_disk(tmp_path, auth):
    from tests.web.conftest import start_server

    servers = start_server(tmp_path, "--writable", "--token", TOKEN, "--workers", "1")
    server = next(servers)
    with server.client() as client:
        response = client.post("/sparql", data={"update": f"INSERT DATA {{ GRAPH <{SCRATCH}> "
                                                          "{ <urn:x:d> <urn:x:p> 1 } }"},
                               headers=auth)
        assert response.status_code == 204
    next(servers, None)  # stops the server
    assert server.process.returncode is not None
    store = OxigraphStore(server.store)
    try:
        assert store.count(URIRef(SCRATCH)) == 1
        assert store.count(URIRef(ORGS)) == 9
    finally:
        store.close()


def test_unauthorised_update_through_httpx_leaves_no_trace(http, server):
    before = count(http)
    response = httpx.post(server.sparql,
                          data={"update": f"DROP GRAPH <{ORGS}>"})
    assert response.status_code == 401
    assert count(http) == before


def test_posted_queries_see_writes_at_once(http, auth):
    query = {"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SCRATCH}> {{ ?s ?p ?o }} }}"}
    csv = {"Accept": "text/csv"}
    first = http.post("/sparql", data=query, headers=csv)
    again = http.post("/sparql", data=query, headers=csv)
    assert first.text == again.text and first.headers["etag"] == again.headers["etag"]
    direct = http.post("/sparql", content=query["query"].encode(),
                       headers={**csv, "Content-Type": "application/sparql-query"})
    assert direct.text == first.text
    http.post("/sparql", data={"update": f"INSERT DATA {{ GRAPH <{SCRATCH}> "
                                         "{ <urn:x:post> <urn:x:p> 1 } }"}, headers=auth)
    after = http.post("/sparql", data=query, headers=csv)
    assert int(after.text.splitlines()[1]) == int(first.text.splitlines()[1]) + 1
    assert after.headers["etag"] != first.headers["etag"]
    http.post("/sparql", data={"update": f"DROP SILENT GRAPH <{SCRATCH}>"}, headers=auth)
