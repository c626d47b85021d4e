"""Named queries: SPARQL files in ``queries/`` with a header, run by name with bound parameters.

A query file starts with comment lines::

    # title: Organisation partners
    # description: The organisations that share a project with a given one.
    # param: org iri required - the organisation
    # param: level integer default=2 - NUTS level
    # columns: partner, partnerLabel, projects

Parameters appear in the query as ``$name`` and are replaced by a term serialised from
the typed value (an IRI is checked, a string escaped), never by pasting the raw text, so
a value cannot change the query's structure. A parameter given no value and having no
default stays an unbound variable.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ecograph.errors import InputError, ParameterError, UnknownQueryError
from ecograph.namespaces import PREFIXES

TYPES = ("iri", "string", "integer", "decimal", "boolean", "date")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_PARAM_LINE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\w+)"
    r"(?:\s+(?P<need>required|optional|default=\S+))?\s*(?:-\s*(?P<description>.*))?$"
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named query."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query from the catalogue, with its documented header."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str
    path: Path

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called *name*, or ``None``."""
        return next((p for p in self.parameters if p.name == name), None)


def parse_header(path: Path, text: str) -> NamedQuery:
    """Read the header comment of the query file at *path* (raises ``InputError``)."""
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "param":
            match = _PARAM_LINE.match(value)
            if match is None or match["type"] not in TYPES:
                raise InputError(f"{path}:{number}: cannot read parameter line {value!r}; "
                                 f"expected 'NAME TYPE [required|optional|default=V] - text' "
                                 f"with TYPE one of {', '.join(TYPES)}")
            need = match["need"] or "optional"
            params.append(Parameter(
                name=match["name"], type=match["type"], required=need == "required",
                default=need.split("=", 1)[1] if need.startswith("default=") else None,
                description=(match["description"] or "").strip()))
        elif key in ("title", "description", "columns"):
            fields[key] = f"{fields[key]} {value}".strip() if key in fields else value
    if "title" not in fields:
        raise InputError(f"{path}: the header has no '# title:' line")
    columns = tuple(c.strip() for c in fields.get("columns", "").split(",") if c.strip())
    return NamedQuery(path.stem, fields["title"], fields.get("description", ""),
                      tuple(params), columns, text, path)


def catalogue(folder: Path) -> dict[str, NamedQuery]:
    """Return every named query in *folder* (``*.rq``), keyed by name, sorted."""
    result = {}
    for path in sorted(folder.glob("*.rq")):
        result[path.stem] = parse_header(path, path.read_text(encoding="utf-8"))
    return result


def get_query(folder: Path, name: str) -> NamedQuery:
    """Return the named query *name* or raise ``UnknownQueryError`` with suggestions."""
    if not _NAME.match(name):
        raise UnknownQueryError(f"{name!r} is not a query name (lower case, digits, hyphens)")
    path = folder / f"{name}.rq"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.rq"))
        close = difflib.get_close_matches(name, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownQueryError(f"no named query {name!r}{hint} (known: {', '.join(known)})")
    return parse_header(path, path.read_text(encoding="utf-8"))


def _escape_string(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def expand_iri(value: str) -> str:
    """Return the absolute IRI for ``<iri>``, an absolute IRI or a known ``prefix:local``."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) or _IRI_FORBIDDEN.search(text):
        raise ValueError(f"{value!r} is not an absolute IRI")
    return text


def serialise_value(parameter: Parameter, value: str) -> str:
    """Return the SPARQL term for *value* as *parameter*'s type (raises ``ParameterError``)."""
    try:
        if parameter.type == "iri":
            return f"<{expand_iri(value)}>"
        if parameter.type == "string":
            return _escape_string(value)
        if parameter.type == "integer":
            return f'"{int(value.strip())}"^^<{_XSD}integer>'
        if parameter.type == "decimal":
            number = Decimal(value.strip())
            if not number.is_finite():
                raise ValueError("not a finite number")
            return f'"{number}"^^<{_XSD}decimal>'
        if parameter.type == "boolean":
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0"):
                raise ValueError("use true or false")
            return f'"{str(lowered in ("true", "1")).lower()}"^^<{_XSD}boolean>'
        if parameter.type == "date":
            return f'"{dt.date.fromisoformat(value.strip()).isoformat()}"^^<{_XSD}date>'
    except (ValueError, InvalidOperation) as exc:
        raise ParameterError(
            f"parameter {parameter.name!r} wants a {parameter.type}; got {value!r} ({exc})"
        ) from exc
    raise ParameterError(f"parameter {parameter.name!r} has unknown type {parameter.type!r}")


def _substitute(text: str, terms: Mapping[str, str]) -> str:
    """Replace ``$name`` outside comments and string literals by ``terms[name]``."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(text[i:end])
            i = end
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(quote))
            out.append(text[i:j])
            i = j
        elif c == "$":
            match = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)", text[i:])
            if match and match[1] in terms:
                out.append(terms[match[1]])
                i += match.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def bind(query: NamedQuery, values: Mapping[str, str]) -> str:
    """Return the query text with *values* bound to its parameters.

    Raises ``ParameterError`` for an unknown parameter, a missing required one, or a
    value that is not of the parameter's type.
    """
    unknown = sorted(set(values) - {p.name for p in query.parameters})
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {', '.join(unknown)} "
                             f"(parameters: {known})")
    terms: dict[str, str] = {}
    for parameter in query.parameters:
        value = values.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                raise ParameterError(
                    f"query {query.name!r} needs parameter {parameter.name!r} "
                    f"({parameter.type}: {parameter.description or 'no description'}); "
                    f"give it with --param {parameter.name}=VALUE"
                )
            continue
        terms[parameter.name] = serialise_value(parameter, value)
    return _substitute(query.text, terms)
