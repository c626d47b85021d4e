"""W3C SHACL Core test-suite style: data and shapes sent as multipart fields to
``POST /validate`` must give pyshacl's own answer (conformance and every result)."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

P = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://datashapes.org/sh/tests/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""

CASES = {
    "minCount-001": ("ex:i1 a ex:C . ex:i2 a ex:C ; ex:p 1 .",
                     "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                     "sh:property [ sh:path ex:p ; sh:minCount 1 ] ."),
    "datatype-001": ('ex:n ex:p "a" , 2 , "3"^^xsd:integer .',
                     "ex:S a sh:NodeShape ; sh:targetNode ex:n ; "
                     "sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] ."),
    "class-subclass-001": ("ex:Sub rdfs:subClassOf ex:Super . ex:a ex:p ex:b , ex:c . "
                           "ex:b a ex:Sub . ex:c a ex:Other .",
                           "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; "
                           "sh:property [ sh:path ex:p ; sh:class ex:Super ] ."),
    "pattern-001": ('ex:a ex:code "RO" . ex:b ex:code "ro" .',
                    'ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:code ; sh:property [ '
                    'sh:path ex:code ; sh:pattern "^[A-Z]{2}$" ; sh:severity sh:Warning ] .'),
    "inversePath-qualified-001": (
        "ex:p a ex:P . ex:x ex:of ex:p ; ex:role ex:lead . ex:y ex:of ex:p ; ex:role ex:lead .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:P ; sh:property [ sh:path [ sh:inversePath "
        "ex:of ] ; sh:qualifiedValueShape [ sh:path ex:role ; sh:hasValue ex:lead ] ; "
        "sh:qualifiedMaxCount 1 ] ."),
    "closed-001": ("ex:a a ex:C ; ex:p 1 ; ex:q 2 .",
                   "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; "
                   "sh:ignoredProperties ( rdf:type ) ; sh:property [ sh:path ex:p ] ."),
    "sparql-001": ("ex:a ex:start 5 ; ex:end 3 . ex:b ex:start 1 ; ex:end 2 .",
                   'ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:start ; sh:sparql [ '
                   'sh:message "ends before it starts" ; sh:select """SELECT $this WHERE { '
                   '$this <http://datashapes.org/sh/tests/start> ?s ; '
                   '<http://datashapes.org/sh/tests/end> ?e . FILTER(?e < ?s) }""" ] .'),
    "node-or-001": ('ex:a ex:p ex:b . ex:b ex:name "B" . ex:c ex:p ex:d .',
                    "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path "
                    "ex:p ; sh:or ( [ sh:path ex:name ; sh:minCount 1 ] [ sh:path ex:label ;"
                    " sh:minCount 1 ] ) ] ."),
    "conforms-001": ("ex:a a ex:C ; ex:p 1 .",
                     "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                     "sh:property [ sh:path ex:p ; sh:maxCount 1 ] ."),
}


def results(report: Graph) -> tuple[bool, list[tuple[str, ...]]]:
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    found = []
    for result in report.objects(root, SH.result):
        parts = []
        for predicate in (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent,
                          SH.resultSeverity, SH.value):
            value = report.value(result, predicate)
            parts.append("_:b" if isinstance(value, BNode) else str(value))
        found.append(tuple(parts))
    return report.value(root, SH.conforms) == Literal(True), sorted(found)


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_gives_pyshacls_answer(http, name):
    data, shapes = (P + text for text in CASES[name])
    answer = http.post("/validate", headers={"Accept": "text/turtle"}, files={
        "data": ("data.ttl", data, "text/turtle"), "shapes": ("shapes.ttl", shapes,
                                                              "text/turtle")})
    assert answer.status_code == 200, answer.text
    ours = results(Graph().parse(data=answer.text, format="turtle"))
    _conforms, expected_graph, _ = pyshacl.validate(
        Graph().parse(data=data, format="turtle"),
        shacl_graph=Graph().parse(data=shapes, format="turtle"))
    expected = results(expected_graph)
    assert ours == expected
    assert ours[0] == (name == "conforms-001")
