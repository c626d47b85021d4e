"""Rendering validation reports: text for terminals, curator JSON, and the W3C graph."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ecograph.validate import ValidationReport, compact

_COLOURS = {"Violation": "\033[31m", "Warning": "\033[33m", "Info": "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"


def report_to_dict(report: ValidationReport) -> dict[str, Any]:
    """Return the curator-friendly JSON form: results grouped per focus node.

    ``{"conforms": …, "accepted": …, "counts": {"Violation": n, …}, "focusNodes": [
    {"node": IRI, "label": …, "results": [{"severity", "path", "message", "value",
    "shape", "constraint"}]}]}``
    """
    groups = []
    for focus, results in report.by_focus().items():
        groups.append(
            {
                "node": str(focus),
                "label": results[0].focus_label,
                "results": [
                    {
                        "severity": r.severity,
                        "path": compact(r.path) or None,
                        "message": r.message,
                        "value": None if r.value is None else compact(r.value),
                        "shape": None if r.shape is None else str(r.shape),
                        "constraint": compact(r.constraint) or None,
                    }
                    for r in results
                ],
            }
        )
    return {
        "conforms": report.conforms,
        "accepted": report.accepted,
        "counts": {s: report.count(s) for s in ("Violation", "Warning", "Info")},
        "focusNodes": groups,
    }


def report_to_json(report: ValidationReport) -> str:
    """Return :func:`report_to_dict` as indented JSON text."""
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False)


def report_to_turtle(report: ValidationReport) -> str:
    """Return the W3C SHACL validation report graph as Turtle."""
    return report.graph.serialize(format="turtle")


def report_to_text(report: ValidationReport, colour: bool = False, source: str = "",
                   limit: int | None = None) -> str:
    """Return a readable report: a summary line, then each focus node and its results.

    With *limit*, at most that many focus nodes are listed (Violations first) and a last
    line says how many more there are.
    """

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    head = f"{source}: " if source else ""
    if report.conforms:
        return f"{head}conforms: no violation, no warning\n"
    counts = ", ".join(f"{report.count(s)} {s.lower()}(s)" for s in ("Violation", "Warning",
                                                                       "Info") if report.count(s))
    verdict = "REFUSED" if not report.accepted else "accepted with warnings"
    lines = [f"{head}{paint(verdict, _BOLD)}: {counts}"]
    groups = list(report.by_focus().items())
    shown = groups if limit is None else groups[:limit]
    for focus, results in shown:
        label = results[0].focus_label
        lines.append("")
        lines.append(paint(compact(focus), _BOLD) + (f"  “{label}”" if label else ""))
        for r in results:
            where = f" {compact(r.path)}" if r.path is not None else ""
            value = f" (value: {compact(r.value)})" if r.value is not None else ""
            tag = paint(f"{r.severity:<9}", _COLOURS.get(r.severity, ""))
            lines.append(f"  {tag}{where}: {r.message}{value}")
            if r.shape is not None:
                lines.append(f"             shape {compact(r.shape)}")
    if len(shown) < len(groups):
        lines.append("")
        lines.append(f"… and {len(groups) - len(shown)} more focus nodes "
                     "(ecograph validate --format json lists them all). By shape:")
        tally = Counter((r.severity, compact(r.shape)) for r in report.results)
        for (severity, shape), n in sorted(tally.items(), key=lambda item: -item[1]):
            lines.append(f"  {n:>6} {severity.lower()}(s) from {shape}")
    return "\n".join(lines) + "\n"
