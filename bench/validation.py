"""Validation of the bundled data: bulk SHACL-SPARQL in Oxigraph against pyshacl alone.

Both run in this process on the same graphs, alternately, ``--runs`` times; the script
prints CPU-time medians, their ratio, and whether the two reports are the same.

    .venv/bin/python bench/validation.py --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rdflib import Graph

from ecograph.bundle import Bundle
from ecograph.load import parse_file
from ecograph.validate import ValidationReport, validate

ROOT = Path(__file__).resolve().parents[1]


def key(report: ValidationReport) -> list[tuple[str, ...]]:
    return sorted((str(r.focus), str(r.shape), r.severity, str(r.path), str(r.value))
                  for r in report.results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bundle = Bundle(ROOT / "ontology", ROOT / "data" / "sources")
    shapes, schema = bundle.shapes().graph, bundle.schema()
    data = Graph()
    for path in bundle.data_files():
        data += parse_file(path).graph
    print(f"data: {len(data)} triples, schema {len(schema)}, shapes {len(shapes)}")
    timings: dict[str, list[float]] = {"bulk": [], "pyshacl": []}
    reports: dict[str, ValidationReport] = {}
    for _ in range(args.runs):
        for name, bulk in (("bulk", True), ("pyshacl", False)):
            start = time.process_time()
            reports[name] = validate(data, shapes, schema, bulk_sparql=bulk)
            timings[name].append(time.process_time() - start)
    for name, values in timings.items():
        print(f"{name:8} median {statistics.median(values):7.2f} s CPU  runs {values}")
    ratio = statistics.median(timings["pyshacl"]) / statistics.median(timings["bulk"])
    print(f"pyshacl alone / bulk: {ratio:.1f}x; same report: "
          f"{key(reports['bulk']) == key(reports['pyshacl'])} "
          f"({len(reports['bulk'].results)} results)")


if __name__ == "__main__":
    main()
