"""Each OWL 2 RL rule ecograph compiles derives what the rule says, named by its rule id."""

from __future__ import annotations

import pytest
from rdflib import Graph

from ecograph.infer import infer
from ecograph.infer.reference import normalise
from ecograph.infer.rules import compile_rules
from ecograph.infer.schema import close, is_tbox
from tests.infer.conftest import FIXTURES

EX = "http://example.org/ont#"
ID = "http://example.org/id/"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SAME = "<http://www.w3.org/2002/07/owl#sameAs>"
SUB = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
EQC = "<http://www.w3.org/2002/07/owl#equivalentClass>"


def ex(name: str) -> str:
    return f"<{EX}{name}>"


def i(name: str) -> str:
    return f"<{ID}{name}>"


def triples(*names: str) -> list[tuple[str, str, str]]:
    g = Graph()
    for name in names:
        g.parse(FIXTURES / name)
    return [(s.n3(), p.n3(), normalise(o).n3()) for s, p, o in g]


@pytest.fixture(scope="module")
def rules_closure():
    return infer(triples("rules-ontology.ttl", "rules-data.ttl")).inferred


@pytest.fixture(scope="module")
def restrictions_closure():
    return infer(triples("restrictions-ontology.ttl", "restrictions-data.ttl")).inferred


@pytest.mark.parametrize(("rule", "triple"), [
    ("cax-sco", (i("umf"), A, ex("Organisation"))),
    ("cax-eqc", (i("umf"), A, ex("Actor"))),
    ("prp-dom", (i("p1"), A, ex("Project"))),
    ("prp-rng", (i("iasi"), A, ex("Place"))),
    ("prp-inv1", (i("imago"), ex("hasMember"), i("umf"))),
    ("prp-inv2", (i("romsoft"), ex("memberOf"), i("imago"))),
    ("prp-symp", (i("umf"), ex("partnerOf"), i("tuiasi"))),
    ("prp-trp", (i("tuiasi"), ex("locatedIn"), i("ro"))),
    ("prp-spo1", (i("p1"), ex("hasParticipant"), i("tuiasi"))),
    ("prp-spo2", (i("umf"), ex("worksIn"), i("ro21"))),
    ("prp-eqp", (i("umf"), ex("title"), '"UMF"')),
    ("prp-ifp", (i("romsoft"), SAME, i("romsoft-cordis"))),
    ("prp-fp", (i("iasi-city"), SAME, i("iasi-town"))),
    ("eq-sym", (i("tuiasi-ror"), SAME, i("tuiasi"))),
    ("eq-rep-s", (i("tuiasi-ror"), ex("champion"), i("umf"))),
    ("eq-rep-o", (i("p1"), ex("coordinator"), i("tuiasi-ror"))),
    ("scm-sco", (ex("Hospital"), SUB, ex("Agent"))),
    ("scm-eqc2", (ex("Actor"), EQC, ex("Agent"))),
])
def test_rule_derives(rules_closure, rule, triple):
    assert triple in rules_closure, f"{rule} should derive {triple}"


@pytest.mark.parametrize(("rule", "triple"), [
    ("cls-int1", (i("part1"), A, ex("Coordination"))),
    ("cls-int2 via scm-int", (i("part3"), A, ex("Participation"))),
    ("cls-hv1", (i("part3"), ex("role"), "<http://example.org/role/coordinator>")),
    ("cls-svf1", (i("p1"), A, ex("Funded"))),
    ("scm-svf2", (ex("Supported"), SUB, ex("Funded"))),
    ("cls-avf", (i("imaging-centre"), A, ex("Infrastructure"))),
    ("cls-uni", (i("ana"), A, ex("Actor"))),
    ("cls-maxc2", (i("chair"), SAME, i("president"))),
    ("cls-maxqc3", (i("site-a"), SAME, i("site-b"))),
    ("cls-oo", ("<http://example.org/role/partner>", A, ex("Role"))),
])
def test_class_expression_rule_derives(restrictions_closure, rule, triple):
    assert triple in restrictions_closure, f"{rule} should derive {triple}"


def test_no_axiomatic_noise(rules_closure, restrictions_closure):
    for s, p, o in rules_closure | restrictions_closure:
        assert not s.startswith('"')
        assert "www.w3.org/2002/07/owl#" not in s + o
        assert not (p == SAME and s == o)
        assert not s.startswith("_:") and not o.startswith("_:")


def test_maxqc_needs_the_qualifying_class(restrictions_closure):
    assert (i("site-a"), SAME, i("garden")) not in restrictions_closure


def test_rules_are_named_after_owl2rl_ids():
    given = triples("rules-ontology.ttl", "restrictions-ontology.ttl")
    rules = compile_rules(close(t for t in given if is_tbox(*t)), equality=True)
    ids = {r.rule_id for r in rules}
    assert {"cax-sco", "prp-dom", "prp-rng", "prp-inv1", "prp-inv2", "prp-symp", "prp-trp",
            "prp-spo1", "prp-spo2", "prp-fp", "prp-ifp", "cls-int1", "cls-svf1", "cls-avf",
            "cls-hv1", "cls-hv2", "cls-maxc2", "cls-maxqc3", "cls-oo", "eq-sym", "eq-trans",
            "eq-rep-s", "eq-rep-p", "eq-rep-o"} <= ids
    assert all(str(r).startswith(f"[{r.rule_id}]") for r in rules)


def test_prp_key_follows_the_specification():
    # owlrl checks only the first n-1 keys (an off-by-one), so prp-key is tested here
    # against the OWL 2 RL text rather than against owlrl.
    given = [
        (ex("Org"), "<http://www.w3.org/2002/07/owl#hasKey>", "_:k1"),
        ("_:k1", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>", ex("pic")),
        ("_:k1", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>",
         "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>"),
        (i("a"), A, ex("Org")), (i("a"), ex("pic"), '"1"'),
        (i("b"), A, ex("Org")), (i("b"), ex("pic"), '"1"'),
        (i("c"), A, ex("Org")), (i("c"), ex("pic"), '"2"'),
    ]
    found = infer(given).inferred
    assert (i("a"), SAME, i("b")) in found
    assert (i("a"), SAME, i("c")) not in found
