"""Human-readable HTML documentation of the ontology, generated from ``ontology/ecograph.ttl``.

:func:`document` reads an ontology graph into a plain model (header, then classes,
object properties, datatype properties, annotation properties and named individuals,
each term with its label, comment, hierarchy, domain, range, inverse and characteristics);
:func:`render_html` turns that model into one page whose anchors are the terms' local
names, so ``https://w3id.org/ecograph/ontology#Cluster`` lands on the term's section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ecograph.namespaces import ECOGRAPH, ONTOLOGY_IRI, PREFIXES

#: Section title → the rdf:type that puts a term in it, in page order.
SECTIONS: tuple[tuple[str, URIRef], ...] = (
    ("Classes", OWL.Class),
    ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
    ("Annotation properties", OWL.AnnotationProperty),
    ("Named individuals", OWL.NamedIndividual),
)
CHARACTERISTICS = (OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
                   OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AsymmetricProperty,
                   OWL.ReflexiveProperty, OWL.IrreflexiveProperty)


@dataclass(frozen=True)
class Ref:
    """A link to a term: what to show and where it goes (an anchor for our own terms)."""

    iri: str
    text: str
    href: str
    local: bool


@dataclass
class Term:
    """One documented term of the ontology."""

    iri: str
    name: str
    label: str
    comment: str
    kinds: list[str] = field(default_factory=list)
    parents: list[Ref] = field(default_factory=list)
    children: list[Ref] = field(default_factory=list)
    equivalent: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    inverse: list[Ref] = field(default_factory=list)
    chain: list[Ref] = field(default_factory=list)
    types: list[Ref] = field(default_factory=list)
    see_also: list[Ref] = field(default_factory=list)
    deprecated: bool = False


@dataclass
class OntologyDoc:
    """The whole documentation page's content."""

    iri: str
    title: str
    description: str
    version: str
    version_iri: str
    licence: str
    creators: list[str]
    imports: list[str]
    sections: list[tuple[str, list[Term]]]


def _text(graph: Graph, node: Node, *props: URIRef) -> str:
    for prop in props:
        values = list(graph.objects(node, prop))
        for value in sorted(values, key=lambda v: (getattr(v, "language", None) not in
                                                   ("en", None), str(v))):
            return str(value)
    return ""


def _curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _ref(graph: Graph, node: Node) -> Ref | None:
    if isinstance(node, BNode):
        members = _class_expression(graph, node)
        if members is None:
            return None
        return Ref("", members, "", False)
    if not isinstance(node, URIRef):
        return None
    iri = str(node)
    local = iri.startswith(str(ECOGRAPH))
    label = _text(graph, node, RDFS.label, SKOS.prefLabel)
    text = label if local and label else _curie(iri)
    return Ref(iri, text, "#" + iri[len(str(ECOGRAPH)):] if local else iri, local)


def _class_expression(graph: Graph, node: BNode) -> str | None:
    """A short text for ``owl:unionOf``/``owl:intersectionOf`` lists; None for others."""
    for prop, joiner in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        head = graph.value(node, prop)
        if head is not None:
            parts = [_curie(str(m)) for m in Collection(graph, head) if isinstance(m, URIRef)]
            return "(" + joiner.join(parts) + ")"
    return None


def _refs(graph: Graph, nodes: object) -> list[Ref]:
    refs = [r for r in (_ref(graph, n) for n in nodes) if r is not None]  # type: ignore[attr-defined]
    return sorted(refs, key=lambda r: r.text.lower())


def _term(graph: Graph, iri: URIRef) -> Term:
    name = str(iri)[len(str(ECOGRAPH)):]
    types = set(graph.objects(iri, RDF.type))
    is_class = OWL.Class in types or RDFS.Class in types
    parent_prop = RDFS.subClassOf if is_class else RDFS.subPropertyOf
    inverse = [*graph.objects(iri, OWL.inverseOf), *graph.subjects(OWL.inverseOf, iri)]
    chain_head = graph.value(iri, OWL.propertyChainAxiom)
    return Term(
        iri=str(iri), name=name,
        label=_text(graph, iri, RDFS.label, SKOS.prefLabel) or name,
        comment=_text(graph, iri, RDFS.comment, SKOS.definition, DCTERMS.description),
        kinds=sorted(_curie(str(c)).split(":", 1)[1] for c in types & set(CHARACTERISTICS)),
        parents=_refs(graph, graph.objects(iri, parent_prop)),
        children=_refs(graph, graph.subjects(parent_prop, iri)),
        equivalent=_refs(graph, [*graph.objects(iri, OWL.equivalentClass),
                                 *graph.objects(iri, OWL.equivalentProperty)]),
        domain=_refs(graph, graph.objects(iri, RDFS.domain)),
        range=_refs(graph, graph.objects(iri, RDFS.range)),
        inverse=_refs(graph, set(inverse)),
        chain=[r for r in (_ref(graph, m) for m in Collection(graph, chain_head)) if r]
        if chain_head is not None else [],
        types=_refs(graph, [t for t in types if t not in {OWL.NamedIndividual}
                            and not str(t).startswith(str(OWL))]),
        see_also=_refs(graph, graph.objects(iri, RDFS.seeAlso)),
        deprecated=graph.value(iri, OWL.deprecated) == Literal(True),
    )


def document(ontology: Graph) -> OntologyDoc:
    """Read the *ontology* graph into an :class:`OntologyDoc` (never raises on odd input)."""
    onto = URIRef(ONTOLOGY_IRI)
    sections: list[tuple[str, list[Term]]] = []
    seen: set[URIRef] = set()
    for title, kind in SECTIONS:
        members = sorted(s for s in ontology.subjects(RDF.type, kind)
                         if isinstance(s, URIRef) and str(s).startswith(str(ECOGRAPH))
                         and s not in seen)
        seen.update(members)
        terms = sorted((_term(ontology, m) for m in members), key=lambda t: t.label.lower())
        if terms:
            sections.append((title, terms))
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        title=_text(ontology, onto, DCTERMS.title, RDFS.label) or "ecograph ontology",
        description=_text(ontology, onto, DCTERMS.description, RDFS.comment),
        version=_text(ontology, onto, OWL.versionInfo),
        version_iri=_text(ontology, onto, OWL.versionIRI),
        licence=_text(ontology, onto, DCTERMS.license),
        creators=sorted(str(c) for c in ontology.objects(onto, DCTERMS.creator)),
        imports=sorted(str(i) for i in ontology.objects(onto, OWL.imports)),
        sections=sections,
    )


def environment() -> jinja2.Environment:
    """The Jinja environment of the linked-data pages (templates shipped in the package)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("ecograph", "web/templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )


def render_html(doc: OntologyDoc, env: jinja2.Environment | None = None,
                **page: object) -> str:
    """Return the HTML documentation page of *doc*; *page* adds template context (links)."""
    template = (env or environment()).get_template("ld/ontology.html")
    return template.render(doc=doc, **page)
