"""The reference: owlrl's OWL 2 RL closure of an rdflib Graph, restricted like ecograph's.

owlrl (the W3C reference implementation in Python) computes the full closure, axiomatic
noise included; :func:`reference_closure` keeps what is new and passes the same
restriction (:func:`ecograph.infer.restrict.is_noise`) that ecograph's inferred graph
obeys, so the two can be compared triple for triple.
"""

from __future__ import annotations

from owlrl import DeductiveClosure, OWLRL_Semantics
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ecograph.infer.restrict import is_noise, structural_nodes


def normalise(term: Node) -> Node:
    """Return *term* with ``xsd:string`` literals as simple literals (RDF 1.1 equality)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def owlrl_closure(graph: Graph) -> tuple[Graph, list[str]]:
    """Return owlrl's full OWL 2 RL closure of *graph* (a copy) and its error messages."""
    closed = Graph()
    for s, p, o in graph:
        closed.add((s, p, normalise(o)))
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False,
                     datatype_axioms=False).expand(closed)
    errors: list[str] = []
    for node in list(closed.subjects(RDF.type, ERRNS.ErrorMessage)):
        errors.extend(str(m) for m in closed.objects(node, ERRNS.error))
        closed.remove((node, None, None))
    return closed, sorted(errors)


def reference_closure(graph: Graph) -> Graph:
    """Return the triples owlrl entails from *graph* that ecograph's inferred graph must hold.

    >>> from rdflib import URIRef
    >>> from rdflib.namespace import RDFS
    >>> g = Graph()
    >>> _ = g.add((URIRef("http://e.org/H"), RDFS.subClassOf, URIRef("http://e.org/O")))
    >>> _ = g.add((URIRef("http://e.org/h"), RDF.type, URIRef("http://e.org/H")))
    >>> [str(o) for _, _, o in reference_closure(g)]
    ['http://e.org/O']
    """
    given = {(s, p, normalise(o)) for s, p, o in graph}
    structural = structural_nodes((s.n3(), p.n3(), o.n3()) for s, p, o in given)
    closed, _ = owlrl_closure(graph)
    result = Graph()
    for s, p, o in closed:
        o = normalise(o)
        if (s, p, o) in given or is_noise(s.n3(), p.n3(), o.n3(), structural):
            continue
        result.add((s, p, o))
    return result
