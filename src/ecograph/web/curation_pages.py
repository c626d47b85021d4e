"""The validation report as an HTML page for browsers (results grouped per focus node)."""

from __future__ import annotations

from html import escape
from typing import Any

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222}h1{font-size:1.4rem}.verdict{font-weight:bold;padding:.4rem .8rem;
border-radius:.3rem;display:inline-block}.ok{background:#e3f5e1}.warn{background:#fff4d6}
.refused{background:#fde2e1}section{border-top:1px solid #ddd;margin-top:1rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.25rem .5rem;
vertical-align:top}.Violation{color:#b00020}.Warning{color:#8a5a00}.Info{color:#00617a}
code{font-size:.9em;word-break:break-all}
"""


def report_page(body: dict[str, Any]) -> str:
    """Return a complete HTML page for the curator JSON *body* (``report_to_dict``)."""
    counts = body.get("counts", {})
    if body.get("conforms"):
        verdict, css = "Conforms: no violation, no warning", "ok"
    elif body.get("accepted"):
        verdict, css = f"Accepted with {counts.get('Warning', 0)} warning(s)", "warn"
    else:
        verdict, css = f"Refused: {counts.get('Violation', 0)} violation(s)", "refused"
    error = body.get("error")
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Validation "
             f"report</title><style>{_STYLE}</style></head><body><h1>SHACL validation "
             f"report</h1><p class='verdict {css}'>{escape(verdict)}</p>"]
    if error:
        parts.append(f"<p>{escape(str(error.get('message', '')))}</p>")
    for group in body.get("focusNodes", []):
        label = f" — {escape(group['label'])}" if group.get("label") else ""
        parts.append(f"<section><h2><code>{escape(group['node'])}</code>{label}</h2><table>"
                      "<tr><th>Severity</th><th>Path</th><th>Message</th><th>Value</th>"
                      "<th>Shape</th></tr>")
        for result in group["results"]:
            cells = [f"<td class='{escape(result['severity'])}'>"
                     f"{escape(result['severity'])}</td>"]
            for key in ("path", "message", "value", "shape"):
                value = result.get(key)
                cells.append(f"<td>{'' if value is None else escape(str(value))}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table></section>")
    parts.append("</body></html>")
    return "".join(parts)
