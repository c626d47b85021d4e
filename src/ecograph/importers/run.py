"""Running one import: map rows to triples, stage and check them, then publish atomically.

The steps, for one source kind and the files given:

1. **map** — the kind's ``convert`` streams the rows into an N-Quads file (constant
   memory), counting what it read, wrote, merged and skipped (reasons in the log);
2. **stage** — the file is bulk-loaded into a private, temporary Oxigraph store;
3. **check** — SPARQL checks equivalent to the shapes that concern the imported classes
   run on the staged graph; any result refuses the import (``ValidationFailedError``);
4. **publish** — the source's named graph in the target store is replaced by the staged
   one: moderate graphs in one atomic update (``Store.replace_graphs``), big graphs on an
   embedded store by Oxigraph's bulk loader (drop, then load the already-checked file).

Bad input raises before step 4, so the target store is unchanged for that source.
"""

from __future__ import annotations

import importlib
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ecograph.derive import after_write as derive_after_write
from ecograph.errors import InputError, ValidationFailedError
from ecograph.graphs import source_graph
from ecograph.importers.provenance import SourceInfo, describe
from ecograph.importers.tables import Progress, Tally
from ecograph.importers.triples import TripleSink
from ecograph.infer.materialise import after_write
from ecograph.namespaces import sparql_prologue
from ecograph.store.base import SelectResult, Store
from ecograph.store.embedded import OxigraphStore
from ecograph.terms import to_rdflib
from ecograph.validate import ValidationReport, ValidationResult

#: Import kinds and the modules that implement them.
KINDS: dict[str, str] = {
    "cordis-network": "ecograph.importers.cordis_network",
    "cordis-reference": "ecograph.importers.cordis_reference",
    "nuts": "ecograph.importers.nuts",
    "iso3166": "ecograph.importers.iso3166",
    "ror": "ecograph.importers.ror",
    "cordis-horizon": "ecograph.importers.cordis_horizon",
}
#: Graphs up to this many triples are replaced in one SPARQL update (atomic everywhere).
ATOMIC_LIMIT = 50_000
_MAX_RESULTS = 100


@dataclass(frozen=True)
class Check:
    """A targeted SPARQL check that stands for a shape: every row it returns is a Violation.

    *query* is a SELECT with ``?focus`` (and optionally ``?value``) over the staged graph.
    """

    shape: str
    message: str
    query: str


@dataclass
class Job:
    """What a kind's ``convert`` works with: the target store (read only), sink, tally, log."""

    store: Store
    sink: TripleSink
    tally: Tally
    log_dir: Path
    progress: Progress | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportOutcome:
    """What an import did: counts, the graph written, where the log is, and timings."""

    kind: str
    graph: URIRef
    tally: Tally
    triples: int
    log: Path
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def importer(kind: str) -> ModuleType:
    """Return the module implementing *kind* (raises ``InputError`` for an unknown kind)."""
    if kind not in KINDS:
        raise InputError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    return importlib.import_module(KINDS[kind])


def input_files(kind: str, paths: Sequence[Path]) -> list[Path]:
    """Return the files of *kind* named by *paths* (a folder stands for the files in it)."""
    module = importer(kind)
    files = module.select([Path(p) for p in paths])
    if not files:
        raise InputError(f"no {kind} files in {', '.join(str(p) for p in paths)}; expected "
                         f"{module.EXPECTED}")
    return files


def run_import(store: Store, kind: str, paths: Sequence[Path], *, log_dir: Path,
               progress: Progress | None = None,
               phase: Callable[[str], None] | None = None) -> ImportOutcome:
    """Import the files of *kind* at *paths* into *store*, replacing the kind's graph.

    Raises ``InputError`` for files that cannot be read as *kind* and
    ``ValidationFailedError`` when the mapped data breaks a check; in both cases the
    store is unchanged.
    """
    module = importer(kind)
    files = input_files(kind, paths)
    info: SourceInfo = module.SOURCE
    graph = source_graph(info.graph)
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"import-{kind}.log"
    timings: dict[str, float] = {}
    say = phase or (lambda _text: None)
    with open(log_path, "w", encoding="utf-8") as log, TripleSink(graph) as sink:
        _header(log)
        tally = Tally(log=log)
        job = Job(store, sink, tally, log_dir, progress)
        started = time.perf_counter()
        module.convert(job, files)
        describe(sink, info, files)
        sink.finish()
        tally.triples = len(sink)
        timings["map"] = time.perf_counter() - started
        say(f"mapped {tally.read} rows to {len(sink)} triples")
        with tempfile.TemporaryDirectory(prefix="ecograph-staging-") as folder:
            started = time.perf_counter()
            staging = OxigraphStore(Path(folder) / "store")
            try:
                stage(staging, sink.path, kind)
                timings["stage"] = time.perf_counter() - started
                started = time.perf_counter()
                report = run_checks(staging, graph, module.CHECKS)
                timings["check"] = time.perf_counter() - started
            finally:
                staging.close()
        if not report.accepted:
            raise ValidationFailedError(report, source=f"{kind} import of "
                                        f"{', '.join(str(f) for f in files)}")
        say(f"checked: {len(module.CHECKS)} shape checks passed")
        started = time.perf_counter()
        publish(store, graph, sink.path, len(sink))
        timings["publish"] = time.perf_counter() - started
        started = time.perf_counter()
        inference, inference_error = after_write(store)
        timings["infer"] = time.perf_counter() - started
        job.notes.append(inference.summary() if inference is not None else
                         str(inference_error))
        started = time.perf_counter()
        derivation, derivation_error = derive_after_write(store)  # load → … → infer → derive
        timings["derive"] = time.perf_counter() - started
        job.notes.append(derivation.summary() if derivation is not None else
                         str(derivation_error))
    return ImportOutcome(kind, graph, tally, tally.triples, log_path, timings, job.notes)


def stage(staging: OxigraphStore, path: Path, kind: str) -> None:
    """Bulk-load the mapped N-Quads into *staging*; a term Oxigraph's strict parser refuses
    (a value the importer should have checked) refuses the import instead of crashing it."""
    try:
        staging.load_dataset(path)
    except SyntaxError as exc:
        raise InputError(f"the {kind} import mapped a value that is not valid RDF ({exc}); "
                         "nothing was written; please report this with the import log") from exc


def _header(log: IO[str]) -> None:
    log.write("file\tline\taction\treason\texcerpt\n")


def run_checks(staging: Store, graph: URIRef, checks: Sequence[Check]) -> ValidationReport:
    """Run *checks* on the staged *graph*; each returned row is a Violation result."""
    results: list[ValidationResult] = []
    for check in checks:
        answer = staging.query(sparql_prologue() + check.query.replace("$graph", f"<{graph}>"))
        if not isinstance(answer, SelectResult):
            raise TypeError(f"check {check.shape} is not a SELECT query")
        for row in answer.dicts()[:_MAX_RESULTS]:
            focus = row.get("focus")
            results.append(ValidationResult(
                focus=focus if focus is not None else graph, severity="Violation",
                message=check.message, shape=URIRef(check.shape), value=row.get("value")))
    return ValidationReport(results=results, focus_count=None)


def publish(store: Store, graph: URIRef, path: Path, triples: int) -> None:
    """Replace *graph* in *store* by the checked N-Quads file at *path*.

    A large graph on the embedded store is dropped, then added in one transaction: a
    process killed meanwhile leaves the old graph, no graph, or the whole new one, never
    part of it (no graph is what a re-run of the import repairs).
    """
    load_dataset = getattr(store, "load_dataset", None)
    if triples > ATOMIC_LIMIT and load_dataset is not None:
        store.drop_graphs([graph])
        load_dataset(path, atomic=True)
        return
    data = Graph()
    with open(path, "rb") as stream:
        for quad in ox.parse(stream, format=ox.RdfFormat.N_QUADS):
            data.add((to_rdflib(quad.subject), to_rdflib(quad.predicate),
                      to_rdflib(quad.object)))
    store.replace_graphs({graph: data})
