"""Curation through the real server: /validate, gated writes on every path, dry runs,
the change log and revert, and each bad input refused with nothing written."""

from __future__ import annotations

import json
import threading

import httpx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SH

from tests.curation.conftest import AUTH, EX, GRAPH, PREFIXES

VIOLATING = PREFIXES + 'ex:a8 ex:org ex:o1 ; ex:project ex:p1 ; ex:role ex:coordinator .\n'


def count(http: httpx.Client) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    answer = http.get("/sparql", params={"query": query},
                      headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def has(http: httpx.Client, triple: str) -> bool:
    answer = http.get("/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH}> {{ {triple} }} }}"},
                      headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def change(http: httpx.Client, body: dict, **params: str) -> httpx.Response:
    return http.post("/changes", params=params, content=json.dumps(body),
                     headers={**AUTH, "Content-Type": "application/json"})


# --- POST /validate ---------------------------------------------------------------------


def test_validate_reports_per_focus_node_in_any_syntax(http):
    bad = PREFIXES + 'ex:x1 a ex:Org .\n'
    as_ntriples = Graph().parse(data=bad, format="turtle").serialize(format="nt")
    as_jsonld = Graph().parse(data=bad, format="turtle").serialize(format="json-ld")
    for body, media_type in ((bad, "text/turtle"), (as_ntriples, "application/n-triples"),
                             (as_jsonld, "application/ld+json")):
        answer = http.post("/validate", content=body, headers={"Content-Type": media_type})
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert report["conforms"] is False and report["counts"]["Violation"] == 1
        [group] = report["focusNodes"]
        assert group["node"] == EX + "x1"
        assert group["results"][0]["message"] == "an organisation needs a label or a name"
        assert group["results"][0]["severity"] == "Violation"


def test_validate_answers_the_w3c_report_and_a_page(http):
    body = PREFIXES + ('ex:x2 a ex:Org ; rdfs:label "X2" ; ex:dissolved true ; '
                       'ex:country ex:ro .\nex:x3 a ex:Org ; ex:partOf ex:x2 .\n')

    def ask(accept: str) -> httpx.Response:
        return http.post("/validate", content=body,
                         headers={"Content-Type": "text/turtle", "Accept": accept})

    turtle = ask("text/turtle")
    assert turtle.headers["content-type"].startswith("text/turtle")
    report = Graph().parse(data=turtle.text, format="turtle")
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    assert report.value(root, SH.conforms) == Literal(False)
    focus = {str(report.value(r, SH.focusNode)) for r in report.objects(root, SH.result)}
    assert EX + "x3" in focus  # part of the dissolved ex:x2
    assert focus == {g["node"] for g in ask("application/json").json()["focusNodes"]}
    jsonld = ask("application/ld+json")
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(report)
    page = ask("text/html")
    assert page.headers["content-type"].startswith("text/html")
    assert "Refused: " in page.text and "an organisation needs a label" in page.text


def test_validate_against_the_store_sees_what_the_data_touches(http):
    alone = http.post("/validate", content=VIOLATING, headers={"Content-Type": "text/turtle"})
    assert EX + "p1" not in [g["node"] for g in alone.json()["focusNodes"]]
    before = count(http)
    stored = http.post("/validate", params={"against": "store"}, content=VIOLATING,
                       headers={"Content-Type": "text/turtle"})
    groups = {g["node"]: g for g in stored.json()["focusNodes"]}
    assert sorted(r["message"] for r in groups[EX + "p1"]["results"]) == [
        "a project has exactly one coordinator",
        "declared partners fewer than the participations named"]
    assert groups[EX + "p1"]["label"] == "P1"
    assert count(http) == before


def test_validate_with_shapes_as_multipart_fields(http):
    shapes = ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
              "ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:property [ sh:path ex:v ; "
              "sh:maxCount 1 ] .\n")
    answer = http.post("/validate", files={
        "data": ("data.ttl", PREFIXES + "ex:n ex:v 1, 2 .", "text/turtle"),
        "shapes": ("shapes.ttl", shapes, "text/turtle")})
    assert answer.status_code == 200, answer.text
    assert answer.json()["counts"]["Violation"] == 1
    as_text = http.post("/validate", files={"data": (None, PREFIXES + "ex:n ex:v 1 ."),
                                            "shapes": (None, shapes)})
    assert as_text.json()["conforms"] is True


def test_validate_refuses_bad_input_clearly(http):
    turtle = {"Content-Type": "text/turtle"}
    broken = http.post("/validate", content=PREFIXES + "ex:a ex:b", headers=turtle)
    assert broken.status_code == 400 and broken.json()["error"]["type"] == "ParseError"
    assert "line" in broken.json()["error"]["message"]
    assert http.post("/validate", content=b"", headers=turtle).status_code == 400
    assert http.post("/validate", content=b"x", headers={"Content-Type": "image/png"}
                     ).status_code == 415
    assert http.post("/validate", params={"against": "moon"}, content=VIOLATING,
                     headers=turtle).status_code == 400
    assert http.post("/validate", params={"agains": "store"}, content=VIOLATING,
                     headers=turtle).status_code == 400
    no_data = http.post("/validate", files={"shapes": ("s.ttl", "", "text/turtle")})
    assert no_data.status_code == 400 and "'data' field" in no_data.json()["error"]["message"]
    invalid_shapes = http.post("/validate", files={
        "data": ("d.ttl", PREFIXES + "ex:n ex:v 1 .", "text/turtle"),
        "shapes": ("s.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://x> a "
                   "sh:NodeShape ; sh:targetNode <http://y> ; sh:property [ sh:path <http://p>"
                   ' ; sh:minCount "one" ] .', "text/turtle")})
    assert invalid_shapes.status_code == 400
    assert "not valid SHACL" in invalid_shapes.json()["error"]["message"]


# --- POST /changes and the log ------------------------------------------------------------


def test_a_change_set_is_validated_committed_logged_and_shown(http):
    body = {"add": PREFIXES + 'ex:o9 a ex:Org ; rdfs:label "O9" .', "graph": str(GRAPH),
            "message": "add O9"}
    dry = change(http, body, **{"dry-run": "true"})
    assert dry.status_code == 200 and dry.json()["dryRun"] is True
    assert len(dry.json()["wouldAdd"]) == 2 and not has(http, f"<{EX}o9> ?p ?o")
    done = http.post("/changes", content=json.dumps(body),
                     headers={**AUTH, "Content-Type": "application/json",
                              "From": "curator@example.org"})
    assert done.status_code == 201, done.text
    change_id = done.json()["id"]
    assert done.headers["location"] == f"/changes/{change_id}"
    assert has(http, f'<{EX}o9> <http://www.w3.org/2000/01/rdf-schema#label> "O9"')
    shown = http.get(f"/changes/{change_id}").json()
    assert shown["agent"] == "curator@example.org" and shown["message"] == "add O9"
    assert len(shown["additions"]) == 2 and shown["removals"] == []
    assert http.get("/changes").json()["changes"][0]["id"] == change_id
    prov = Graph().parse(data=http.get(f"/changes/{change_id}",
                                       headers={"Accept": "text/turtle"}).text, format="turtle")
    activity = URIRef(f"https://w3id.org/ecograph/change/{change_id}")
    assert (activity, RDF.type, PROV.Activity) in prov
    assert prov.value(activity, PROV.wasAssociatedWith) is not None
    assert len(set(prov.subjects(PROV.wasGeneratedBy, activity))) == 2


def test_a_violating_change_is_refused_whole_with_the_report(http):
    before = count(http)
    body = {"add": VIOLATING + 'ex:o1 ex:name "still fine" .', "graph": str(GRAPH)}
    refused = change(http, body)
    assert refused.status_code == 422
    report = refused.json()
    assert report["accepted"] is False and report["error"]["type"] == "ValidationFailedError"
    assert [g["node"] for g in report["focusNodes"]] == [EX + "p1"]
    turtle = http.post(
        "/changes", content=json.dumps(body),
        headers={**AUTH, "Content-Type": "application/json", "Accept": "text/turtle"})
    assert turtle.status_code == 422 and "sh:ValidationReport" in turtle.text
    assert count(http) == before and not has(http, f'<{EX}o1> <{EX}name> "still fine"')


def test_warnings_are_written_and_reported(http):
    body = {"add": PREFIXES + 'ex:o6 a ex:Org ; rdfs:label "O6" ; ex:country ex:xx .\n'
                              'ex:xx ex:code "xx" .', "graph": str(GRAPH)}
    done = change(http, body)
    assert done.status_code == 201, done.text
    assert done.json()["report"]["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}
    assert done.headers["ecograph-warnings"] == "1"
    assert has(http, f'<{EX}xx> <{EX}code> "xx"')


def test_change_sets_refuse_bad_input_and_write_nothing(http):
    before = count(http)
    absent = change(http, {"remove": PREFIXES + 'ex:o1 rdfs:label "never" .',
                           "graph": str(GRAPH)})
    assert absent.status_code == 409 and "not in the store" in absent.json()["error"]["message"]
    no_token = http.post("/changes", content=json.dumps({"add": "", "graph": str(GRAPH)}),
                         headers={"Content-Type": "application/json"})
    assert no_token.status_code == 401
    assert change(http, {"add": PREFIXES + "ex:a ex:b ex:c ."}).status_code == 400  # no graph
    assert change(http, {"add": PREFIXES + "ex:a ex:b", "graph": str(GRAPH)}
                  ).status_code == 400
    assert change(http, {"add": PREFIXES + "ex:a ex:b ex:c .",
                         "graph": "https://w3id.org/ecograph/graph/shapes"}).status_code == 400
    assert change(http, {"add": "<a:b> <c:d> <e:f> .", "graph": "not an iri"}).status_code == 400
    assert change(http, {"nonsense": 1}).status_code == 400
    assert http.post("/changes", content=b"{", headers={**AUTH, "Content-Type":
                                                        "application/json"}).status_code == 400
    assert change(http, {"add": "", "graph": str(GRAPH)}).status_code == 400
    assert count(http) == before


def test_an_rdf_body_adds_its_quads(http):
    trig = f"<{GRAPH}> {{ <{EX}o7> a <{EX}Org> ; <http://www.w3.org/2000/01/rdf-schema#label> " \
           f'"O7" . }}'
    done = http.post("/changes", content=trig, params={"message": "trig"},
                     headers={**AUTH, "Content-Type": "application/trig"})
    assert done.status_code == 201, done.text
    assert has(http, f"<{EX}o7> a <{EX}Org>")


def test_revert_undoes_and_is_refused_when_triples_changed_since(http):
    added = change(http, {"add": PREFIXES + 'ex:o5 ex:name "Five" .', "graph": str(GRAPH)})
    change_id = added.json()["id"]
    undone = http.post(f"/changes/{change_id}/revert", headers=AUTH)
    assert undone.status_code == 201 and undone.json()["removed"] == 1
    assert not has(http, f'<{EX}o5> <{EX}name> "Five"')
    again = http.post(f"/changes/{change_id}/revert", headers=AUTH)
    assert again.status_code == 409 and "already reverted" in again.json()["error"]["message"]
    logged = http.get(f"/changes/{undone.json()['id']}").json()
    assert logged["reverts"] == change_id

    first = change(http, {"add": PREFIXES + 'ex:o4 ex:name "Four" .', "graph": str(GRAPH)})
    change(http, {"remove": PREFIXES + 'ex:o4 ex:name "Four" .', "graph": str(GRAPH)})
    stale = http.post(f"/changes/{first.json()['id']}/revert", headers=AUTH)
    assert stale.status_code == 409 and "changed since" in stale.json()["error"]["message"]
    unknown = http.post("/changes/no-such-change/revert", headers=AUTH)
    assert unknown.status_code == 404, unknown.text  # as GET /changes/{id} answers
    assert unknown.json()["type"].endswith("/problems/UnknownChangeError")
    assert http.get("/changes/no-such-change").status_code == 404


def test_concurrent_conflicting_changes_one_wins(http, server):
    body = {"remove": PREFIXES + "ex:o3 ex:country ex:be .", "graph": str(GRAPH)}
    statuses: list[int] = []

    def send() -> None:
        with server.client() as client:
            statuses.append(change(client, body).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [201, 409]


# --- the endpoint's own write paths, gated --------------------------------------------------


def test_sparql_update_is_gated_with_dry_run_and_logged(http):
    update = {**AUTH, "Content-Type": "application/sparql-update"}
    remove_label = f'DELETE DATA {{ GRAPH <{GRAPH}> {{ <{EX}o1> ' \
                   f'<http://www.w3.org/2000/01/rdf-schema#label> "O1" }} }}'
    dry = http.post("/sparql", params={"dry-run": "true"}, content=remove_label, headers=update)
    assert dry.status_code == 422  # the dry run reports the Violation it would cause
    assert dry.json()["focusNodes"][0]["node"] == EX + "o1"
    assert has(http, f'<{EX}o1> <http://www.w3.org/2000/01/rdf-schema#label> "O1"')
    rename = remove_label + f' ; INSERT DATA {{ GRAPH <{GRAPH}> {{ <{EX}o1> ' \
                            f'<http://www.w3.org/2000/01/rdf-schema#label> "Org one" }} }}'
    preview = http.post("/sparql", params={"dry-run": "true"}, content=rename, headers=update)
    assert preview.status_code == 200 and len(preview.json()["wouldRemove"]) == 1
    assert has(http, f'<{EX}o1> <http://www.w3.org/2000/01/rdf-schema#label> "O1"')
    done = http.post("/sparql", params={"message": "rename"}, content=rename, headers=update)
    assert done.status_code == 204, done.text
    change_id = done.headers["ecograph-change"]
    assert http.get(f"/changes/{change_id}").json()["message"] == "rename"
    assert http.post("/sparql", params={"dry-run": "maybe"}, content=rename,
                     headers=update).status_code == 400


def test_graph_store_writes_are_gated(http):
    turtle = {**AUTH, "Content-Type": "text/turtle"}
    other = "https://w3id.org/ecograph/graph/curation-other"
    orphan = PREFIXES + "ex:a7 ex:org ex:nobody ; ex:project ex:p2 ."
    refused = http.put("/store", params={"graph": other}, content=orphan, headers=turtle)
    assert refused.status_code == 422
    assert http.get("/store", params={"graph": other}).status_code == 404
    fine = PREFIXES + 'ex:o8 a ex:Org ; rdfs:label "O8" .'
    dry = http.put("/store", params={"graph": other, "dry-run": "true"}, content=fine,
                   headers=turtle)
    assert dry.status_code == 200 and len(dry.json()["wouldAdd"]) == 2
    assert http.get("/store", params={"graph": other}).status_code == 404
    assert http.put("/store", params={"graph": other}, content=fine, headers=turtle
                    ).status_code == 201
    deleted = http.delete("/store", params={"graph": other}, headers=AUTH)
    assert deleted.status_code == 204 and deleted.headers["ecograph-change"]
