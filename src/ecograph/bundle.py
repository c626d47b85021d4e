"""The project's own files: ontology, vocabularies, shapes and bundled data sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ecograph import graphs
from ecograph.errors import InputError
from ecograph.load import Source, parse_file


@dataclass(frozen=True)
class Bundle:
    """Where a project's RDF files lie (by default, the ecograph checkout)."""

    ontology_dir: Path
    data_dir: Path

    def _read(self, files: list[Path], graph_iri: URIRef, required: bool = True) -> Source:
        if required and not files:
            raise InputError(f"no RDF files for <{graph_iri}> ({self.ontology_dir})")
        merged = Graph()
        for path in files:
            merged += parse_file(path).graph
        origin = ", ".join(str(p) for p in files)
        return Source(graph_iri, origin, merged)

    def ontology(self) -> Source:
        """The ecograph ontology (``ontology/ecograph.ttl``)."""
        return self._read([self.ontology_dir / "ecograph.ttl"], graphs.ONTOLOGY)

    def vocabularies(self) -> Source:
        """The SKOS vocabularies (``ontology/vocabularies/*.ttl``)."""
        return self._read(sorted((self.ontology_dir / "vocabularies").glob("*.ttl")),
                          graphs.VOCABULARIES, required=False)

    def shapes(self) -> Source:
        """All SHACL shapes (``ontology/shapes/*.ttl``)."""
        return self._read(sorted((self.ontology_dir / "shapes").glob("*.ttl")), graphs.SHAPES)

    def schema(self) -> Graph:
        """The ontology and vocabularies together: what validation reasons with."""
        return self.ontology().graph + self.vocabularies().graph

    def system_sources(self) -> list[Source]:
        """The ontology, vocabularies and shapes, each for its own named graph."""
        return [self.ontology(), self.vocabularies(), self.shapes()]

    def data_files(self) -> list[Path]:
        """The bundled data source files (``data/sources/*.ttl``), sorted."""
        return sorted(p for p in self.data_dir.glob("*") if p.suffix in {".ttl", ".nt",
                                                                        ".jsonld", ".trig"})
