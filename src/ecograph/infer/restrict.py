"""What the inferred graph keeps: OWL 2 RL entailments minus axiomatic noise.

Terms are handled in their N-Triples form (``<iri>``, ``_:id``, ``"lexical"…``), the form
both Oxigraph dumps and rdflib's ``Term.n3()`` give for IRIs and blank nodes; a term is a
literal when it starts with a double quote.

An entailed triple is *noise*, and never stored, when it answers no user question:

- its subject is a literal (datatype typing of literal values, generalised RDF);
- its subject or object is a term of the RDF, RDFS, OWL or XSD vocabularies (axiomatic
  triples such as ``owl:Thing a owl:Class``, ``ex:C rdfs:subClassOf owl:Thing``,
  ``ex:x a owl:Thing``, datatype axioms);
- it is reflexive ``owl:sameAs``, ``rdfs:subClassOf``, ``rdfs:subPropertyOf``,
  ``owl:equivalentClass`` or ``owl:equivalentProperty``;
- its subject or object is a *structural* blank node: a class expression, an RDF list
  cell or an OWL axiom node of the ontology (``ex:x a [ owl:onProperty … ]``);
- its predicate is a blank node.
"""

from __future__ import annotations

from collections.abc import Iterable

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

_VOCABULARY_PREFIXES = tuple("<" + ns for ns in (RDF_NS, RDFS_NS, OWL_NS, XSD_NS))

TYPE = f"<{RDF_NS}type>"
SAME_AS = f"<{OWL_NS}sameAs>"
_REFLEXIVE_NOISE = frozenset({
    SAME_AS, f"<{RDFS_NS}subClassOf>", f"<{RDFS_NS}subPropertyOf>",
    f"<{OWL_NS}equivalentClass>", f"<{OWL_NS}equivalentProperty>",
})
_NOT_STRUCTURAL = frozenset({SAME_AS, f"<{OWL_NS}differentFrom>"})
_LIST_PREDICATES = frozenset({f"<{RDF_NS}first>", f"<{RDF_NS}rest>"})


def is_vocabulary(term: str) -> bool:
    """Return whether *term* is an IRI of the RDF, RDFS, OWL or XSD vocabularies.

    >>> is_vocabulary("<http://www.w3.org/2002/07/owl#Thing>"), is_vocabulary("<http://e.org/a>")
    (True, False)
    """
    return term.startswith(_VOCABULARY_PREFIXES)


def is_literal(term: str) -> bool:
    """Return whether *term* (N-Triples form) is a literal."""
    return term.startswith('"')


def is_blank(term: str) -> bool:
    """Return whether *term* (N-Triples form) is a blank node."""
    return term.startswith("_:")


def is_structural_triple(s: str, p: str) -> bool:
    """Return whether a triple makes its blank subject *s* a class expression or list cell."""
    return is_blank(s) and ((p.startswith("<" + OWL_NS) and p not in _NOT_STRUCTURAL)
                            or p in _LIST_PREDICATES)


def structural_nodes(triples: Iterable[tuple[str, str, str]]) -> set[str]:
    """Return the structural blank nodes of *triples* (see module docstring)."""
    return {s for s, p, _ in triples if is_structural_triple(s, p)}


def is_noise(s: str, p: str, o: str, structural: set[str] | frozenset[str]) -> bool:
    """Return whether the entailed triple (s, p, o) is axiomatic noise (module docstring).

    >>> is_noise("<http://e.org/a>", SAME_AS, "<http://e.org/a>", set())
    True
    >>> is_noise("<http://e.org/a>", TYPE, "<http://e.org/C>", set())
    False
    """
    if s.startswith('"') or is_blank(p):
        return True
    if is_vocabulary(s) or is_vocabulary(o):
        return True
    if s == o and p in _REFLEXIVE_NOISE:
        return True
    return bool(structural) and (s in structural or o in structural)
