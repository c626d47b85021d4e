"""The build: parse → validate → store (→ infer → derive), with nothing written unless all is valid.

Every write of data goes through :func:`load_sources`: the state the store would hold
after the write is validated against the shapes, and only if no Violation is found are
the source graphs (and the ontology, vocabularies and shapes they were checked with)
replaced, all in one atomic step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from ecograph import graphs
from ecograph.bundle import Bundle
from ecograph.derive import DeriveOutcome
from ecograph.derive import after_write as derive_after_write
from ecograph.errors import ValidationFailedError
from ecograph.incremental import load_report
from ecograph.infer.materialise import InferenceOutcome, after_write
from ecograph.load import Source, parse_file
from ecograph.store.base import Store
from ecograph.validate import ValidationReport


@dataclass
class LoadOutcome:
    """What a load did (or, on a dry run, would do)."""

    report: ValidationReport
    written: dict[URIRef, int] = field(default_factory=dict)
    replaced: list[URIRef] = field(default_factory=list)
    dry_run: bool = False
    inference: InferenceOutcome | None = None
    inference_error: str | None = None
    derivation: DeriveOutcome | None = None
    derivation_error: str | None = None


def merge_sources(sources: Sequence[Source]) -> list[Source]:
    """Merge sources that load into the same named graph (e.g. ``a.ttl`` and ``a.nt``)."""
    merged: dict[URIRef, Source] = {}
    for source in sources:
        if source.graph_iri in merged:
            previous = merged[source.graph_iri]
            merged[source.graph_iri] = Source(source.graph_iri,
                                              f"{previous.origin}, {source.origin}",
                                              previous.graph + source.graph)
        else:
            merged[source.graph_iri] = source
    return list(merged.values())


def resulting_data(store: Store, sources: Sequence[Source]) -> Graph:
    """The data the store would hold once *sources* replace their graphs (system graphs aside)."""
    replacing = {s.graph_iri for s in sources}
    data = Graph()
    for iri in store.graphs():
        if iri not in graphs.SYSTEM_GRAPHS and iri not in replacing:
            data += store.get_graph(iri)
    for source in sources:
        data += source.graph
    return data


def load_sources(store: Store, sources: Sequence[Source], bundle: Bundle, *,
                 dry_run: bool = False) -> LoadOutcome:
    """Validate *sources* with the stored data and, if no Violation, write them atomically.

    The ontology, vocabularies and shapes of *bundle* are written with them, so the store
    always holds the schema its data was validated against. Raises
    ``ValidationFailedError`` (nothing written) when the resulting state breaks a shape.
    """
    sources = merge_sources(sources)
    system = bundle.system_sources()
    shapes = next(s.graph for s in system if s.graph_iri == graphs.SHAPES)
    schema = bundle.schema()
    report = load_report(store, sources, system, shapes, schema)
    if not report.accepted:
        names = ", ".join(s.origin for s in sources) or "the stored data"
        raise ValidationFailedError(report, source=names)
    existing = set(store.graphs())
    todo = {s.graph_iri: s.graph for s in [*system, *sources]}
    outcome = LoadOutcome(
        report=report,
        written={iri: len(g) for iri, g in todo.items()},
        replaced=sorted(iri for iri in todo if iri in existing),
        dry_run=dry_run,
    )
    if not dry_run:
        store.replace_graphs(todo)
        outcome.inference, outcome.inference_error = after_write(store)
        outcome.derivation, outcome.derivation_error = derive_after_write(store)
    return outcome


def load_bundled(store: Store, bundle: Bundle, *, dry_run: bool = False) -> LoadOutcome:
    """Load the project's bundled data sources (``data/sources``) with the schema."""
    return load_sources(store, [parse_file(p) for p in bundle.data_files()], bundle,
                        dry_run=dry_run)


def ensure_loaded(store: Store, bundle: Bundle) -> LoadOutcome | None:
    """Load the bundled data into an empty store; return ``None`` if it held data already."""
    if not store.is_empty():
        return None
    return load_bundled(store, bundle)
