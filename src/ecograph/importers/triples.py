"""Writing triples fast: N-Triples terms built as text and streamed to an N-Quads file.

Importers produce hundreds of thousands of triples; building rdflib objects for each is
the slow part of a naive import. A :class:`TripleSink` takes terms already serialised by
:func:`iri` and :func:`literal` and appends N-Quads lines (all in the source's named
graph) to a file, so memory stays constant however many rows are read; the file is then
bulk-loaded by Oxigraph, whose strict parser re-checks every term.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import XSD

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def iri(value: str) -> str:
    """Serialise an absolute IRI as an N-Triples term (raises ``ValueError`` if malformed).

    >>> iri("https://w3id.org/ecograph/id/region/RO21")
    '<https://w3id.org/ecograph/id/region/RO21>'
    """
    if _BAD_IRI.search(value) or ":" not in value:
        raise ValueError(f"not an absolute IRI: {value!r}")
    return f"<{value}>"


def web_iri(value: str) -> str | None:
    """The N-Triples term of an ``http(s)`` IRI found in the data, or ``None`` when Oxigraph's
    strict parser would refuse it (bad percent-encoding, bad host, non-characters).

    >>> web_iri("http://www.yuan.si"), web_iri("http://a.example/%zz"), web_iri("ftp://x")
    ('<http://www.yuan.si>', None, None)
    """
    if not value.startswith(("http://", "https://")) or _BAD_IRI.search(value):
        return None
    try:
        ox.NamedNode(value)
    except ValueError:
        return None
    return f"<{value}>"


@functools.lru_cache(maxsize=1024)
def language_tag(text: str) -> str | None:
    """*text* as a well-formed BCP 47 language tag (lower case), or ``None``.

    >>> language_tag("EN-gb"), language_tag("en-a"), language_tag("en-123456789")
    ('en-gb', None, None)
    """
    if not _LANG.match(text):
        return None
    try:
        ox.Literal("", language=text)
    except ValueError:
        return None
    return text.lower()


def literal(value: object, *, lang: str | None = None, datatype: URIRef | str | None = None) -> str:
    """Serialise a literal: strings (optionally tagged), ints, Decimals, dates, booleans.

    >>> literal("Nord-Est", lang="ro"), literal(2), literal(True)
    ('"Nord-Est"@ro', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>')
    """
    if isinstance(value, bool):
        text, datatype = ("true" if value else "false"), datatype or XSD.boolean
    elif isinstance(value, int):
        text, datatype = str(value), datatype or XSD.integer
    elif isinstance(value, Decimal):
        text, datatype = format(value, "f"), datatype or XSD.decimal
    elif isinstance(value, dt.datetime):
        text, datatype = value.isoformat(), datatype or XSD.dateTime
    elif isinstance(value, dt.date):
        text, datatype = value.isoformat(), datatype or XSD.date
    else:
        text = str(value)
    body = '"' + text.translate(_ESCAPES) + '"'
    if lang:
        if not _LANG.match(lang):
            raise ValueError(f"not a language tag: {lang!r}")
        return f"{body}@{lang.lower()}"
    if datatype is not None and str(datatype) != str(XSD.string):
        return f"{body}^^<{datatype}>"
    return body


def parse_date(text: str) -> dt.date | None:
    """Read an ISO date (``2014-01-01``, also with a time part); ``None`` when not a date."""
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


class TripleSink:
    """Collects the triples of one named graph as N-Quads in a temporary file.

    ``len()`` is the number of triples added (duplicates included; the store keeps one).
    """

    def __init__(self, graph: URIRef, folder: Path | None = None) -> None:
        self.graph = graph
        self._file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in close()
            mode="w", encoding="utf-8", suffix=".nq", dir=folder, delete=False)
        self.path = Path(self._file.name)
        self._count = 0
        self._write = self._file.write
        self._tail = f" {iri(str(graph))} .\n"

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add one triple of already serialised terms."""
        self._write(f"{subject} {predicate} {obj}{self._tail}")
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def finish(self) -> Path:
        """Flush and close the file; return its path."""
        if not self._file.closed:
            self._file.close()
        return self.path

    def close(self) -> None:
        """Close and delete the file (idempotent)."""
        self.finish()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> TripleSink:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


