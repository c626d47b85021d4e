"""Streaming CSV/TSV reading that survives real-world mess, counting every repair and skip.

Real open-data tables are messy: a BOM before the first header, a separator inside an
unquoted name, characters the exporting tool replaced by ``?`` or mangled into UTF-8
read as Latin-1 (``Ã©``), HTML entities, decimal commas, CORDIS country codes that are
not ISO (``EL``, ``UK``), duplicate rows. :func:`read_rows` yields one :class:`Row` at a
time (constant memory in the number of rows); the caller decides per row and records
what it did in a :class:`Tally`, which writes one line per skipped, repaired or merged
row to the import log.

Errors that make the whole file unusable raise ``InputError`` naming the file and line:
a file of the wrong kind (its header lacks a required column), a truncated file (the last
line ends in the middle of a record), an unreadable encoding.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from ecograph.errors import InputError
from ecograph.iris import country_code

csv.field_size_limit(16 * 1024 * 1024)

_MOJIBAKE = re.compile("[ÃÂÅÄ][\u0080-\u00bf]|â€")
_MANGLED = re.compile(r"\w\?|\?\w|^'\w|\w'\w+'")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_SPACES = re.compile(r"\s+")
#: CORDIS country codes that differ from ISO 3166-1 beyond ``EL``/``UK`` (see iris.country_code).
_EXTRA_COUNTRY_ALIASES = {"KO": "XK"}
#: Two ASCII letters (``str.isalpha`` also takes ``ÄÖ``, which is no country code).
_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")
_NULLS = frozenset({"", "NULL", "null", "None", "nan", "NaN", "N/A"})


@dataclass(frozen=True)
class Row:
    """One record of a table: its 1-based line number in the file and its cells by column."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """Return the cleaned cell of *column* ('' when empty or absent)."""
        return self.cells.get(column, "")


@dataclass
class Tally:
    """What an import did with its rows: read, written, merged, skipped, repaired — and why.

    Every skip, repair and merge is written to *log* (one tab-separated line: file, line,
    action, reason, excerpt) so a curator can review it; the counters summarise them.
    """

    log: IO[str] | None = None
    read: int = 0
    written: int = 0
    merged: int = 0
    skipped: int = 0
    triples: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    repairs: Counter[str] = field(default_factory=Counter)

    def _write(self, action: str, source: str, line: int, reason: str, excerpt: str) -> None:
        if self.log is not None:
            clean = excerpt.replace("\t", " ").replace("\n", " ")[:200]
            self.log.write(f"{source}\t{line}\t{action}\t{reason}\t{clean}\n")

    def skip(self, source: str, line: int, reason: str, excerpt: str = "") -> None:
        """Record that the row at *line* of *source* was not imported, and why."""
        self.skipped += 1
        self.reasons[reason] += 1
        self._write("skipped", source, line, reason, excerpt)

    def merge(self, source: str, line: int, reason: str, excerpt: str = "") -> None:
        """Record that the row was merged into an earlier record of the same entity."""
        self.merged += 1
        self.reasons[reason] += 1
        self._write("merged", source, line, reason, excerpt)

    def repair(self, source: str, line: int, reason: str, excerpt: str = "") -> None:
        """Record that a cell of the row was repaired (or flagged) and the row kept."""
        self.repairs[reason] += 1
        self._write("repaired", source, line, reason, excerpt)

    def summary(self) -> str:
        """A one-paragraph, human-readable summary of the counters."""
        text = (f"read {self.read} rows, wrote {self.written} records ({self.triples} triples), "
                f"merged {self.merged}, skipped {self.skipped}")
        details = [f"{n} {reason}" for reason, n in self.reasons.most_common()]
        details += [f"{n} repaired: {reason}" for reason, n in self.repairs.most_common()]
        return text + ("\n  " + "\n  ".join(details) if details else "")


Progress = Callable[[int], None]


class _Counting(io.RawIOBase):
    """A binary reader that reports how many bytes of the file were read."""

    def __init__(self, raw: IO[bytes], progress: Progress) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[:len(data)] = data
        if data:
            self._progress(len(data))
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_binary(path: Path, progress: Progress | None = None) -> IO[bytes]:
    """Open *path* for reading bytes (``.gz`` decompressed), reporting bytes of the file read."""
    try:
        raw: IO[bytes] = open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    if progress is not None:
        raw = io.BufferedReader(_Counting(raw, progress))
    if path.suffix == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def open_text(path: Path, progress: Progress | None = None) -> IO[str]:
    """Open *path* as UTF-8 text (BOM dropped; ``.gz`` decompressed), raising ``InputError``."""
    return io.TextIOWrapper(open_binary(path, progress), encoding="utf-8-sig",
                            errors="strict", newline="")


class _LineCounter:
    """Wrap a text stream, yielding lines and remembering the last one (for truncation checks)."""

    def __init__(self, stream: IO[str], path: Path) -> None:
        self._stream = stream
        self._path = path
        self.last = ""

    def __iter__(self) -> Iterator[str]:
        try:
            for line in self._stream:
                self.last = line
                yield line
        except UnicodeDecodeError as exc:
            raise InputError(f"{self._path}: not UTF-8 text ({exc.reason} at byte "
                             f"{exc.start}); is this the right file?") from exc
        except (EOFError, gzip.BadGzipFile) as exc:
            raise InputError(f"{self._path}: the compressed file is truncated or corrupt: "
                             f"{exc}") from exc


def read_rows(path: Path, *, delimiter: str, required: Sequence[str], kind: str,
              free_text: str | None = None, tally: Tally | None = None,
              progress: Progress | None = None) -> Iterator[Row]:
    """Yield the rows of the table at *path*, one at a time, cells cleaned by :func:`clean`.

    *required* columns must be in the header, or ``InputError`` says the file is not a
    *kind*. A row with more cells than the header, when *free_text* names a column, had
    the separator inside that unquoted free text: the extra cells are joined back into it
    (recorded as a repair). Rows with too few cells are skipped with a reason; a short
    last row without a final line break means the file was cut off: ``InputError``.
    """
    with open_text(path, progress) as stream:
        lines = _LineCounter(stream, path)
        reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=False)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty file; expected a {kind}") from None
        except csv.Error as exc:
            raise InputError(f"{path}: not a {kind}: {exc}") from exc
        header = [h.strip().lstrip("\ufeff") for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            sep = {"\t": "tab", ";": "';'", ",": "','"}.get(delimiter, repr(delimiter))
            raise InputError(
                f"{path}: not a {kind}: missing column(s) {', '.join(missing)} "
                f"(found: {', '.join(header[:12]) or 'nothing'}; expected {sep}-separated "
                f"columns {', '.join(required)})")
        width = len(header)
        free_index = header.index(free_text) if free_text in header else None
        name = path.name
        try:
            for cells in reader:
                line = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if tally is not None:
                    tally.read += 1
                if len(cells) > width and free_index is not None:
                    extra = len(cells) - width
                    joined = delimiter.join(cells[free_index:free_index + extra + 1])
                    cells = [*cells[:free_index], joined, *cells[free_index + extra + 1:]]
                    if tally is not None:
                        tally.repair(name, line, f"'{delimiter}' inside unquoted {free_text}",
                                     joined)
                if len(cells) != width:
                    if not lines.last.endswith(("\n", "\r")) and len(cells) < width:
                        raise InputError(f"{path}, line {line}: the file ends in the middle of "
                                         f"a record ({len(cells)} of {width} columns); it "
                                         "looks truncated")
                    if tally is not None:
                        tally.skip(name, line, f"{len(cells)} cells where the header has "
                                   f"{width}", delimiter.join(cells))
                    continue
                if tally is not None and any(_MOJIBAKE.search(c) or "&#" in c for c in cells):
                    tally.repair(name, line, "mis-decoded characters or HTML entities repaired",
                                 delimiter.join(cells))
                yield Row(line, {h: clean(c) for h, c in zip(header, cells, strict=True)})
        except csv.Error as exc:
            raise InputError(f"{path}, line {reader.line_num}: cannot read the {kind}: {exc}; "
                             "it looks truncated or is not a table") from exc
        if lines.last and not lines.last.endswith(("\n", "\r")) and _open_quote(lines.last):
            raise InputError(f"{path}: the file ends inside a quoted value; it looks truncated")


def _open_quote(line: str) -> bool:
    return line.count('"') % 2 == 1


def clean(cell: str) -> str:
    """Trim a cell, collapse inner whitespace, decode HTML entities and repair mojibake.

    >>> clean("  Parc d&#39;activitÃ©s ")
    "Parc d'activités"
    >>> clean("NULL")
    ''
    """
    text = cell.strip()
    if text in _NULLS:
        return ""
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    if _MOJIBAKE.search(text):
        text = repair_mojibake(text)
    return _SPACES.sub(" ", text)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/CP1252 (``TiÃ±ana`` → ``Tiñana``) when it can.

    >>> repair_mojibake("TiÃ±ana")
    'Tiñana'
    """
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def is_mangled(text: str) -> bool:
    """Whether *text* shows characters an exporter replaced by ``?`` (or ``'``).

    >>> is_mangled("Marie Sk?odowska-Curie"), is_mangled("Who are we?")
    (True, False)
    """
    return bool(_MANGLED.search(text)) and not text.endswith("?")


def parse_decimal(text: str) -> Decimal | None:
    """Read a number written with a decimal comma or point (``230000,00``, ``1.234,5``).

    >>> parse_decimal("230000,00"), parse_decimal("1.234,5"), parse_decimal(" 30")
    (Decimal('230000.00'), Decimal('1234.5'), Decimal('30'))
    """
    value = text.strip().replace(" ", "")
    if not value:
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".") if "." in value else value.replace(
            ",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def normalise_country(code: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a CORDIS/Eurostat code, or ``None``.

    >>> normalise_country("EL"), normalise_country("uk"), normalise_country("KO")
    ('GR', 'GB', 'XK')
    >>> normalise_country("ÄÖ"), normalise_country("ß")
    (None, None)
    """
    text = code.strip()
    if not _ALPHA2.match(text):
        return None
    upper = text.upper()
    return _EXTRA_COUNTRY_ALIASES.get(upper, country_code(upper))


class Seen:
    """Remembers keys compactly (an 8-byte digest each) to spot duplicate records."""

    def __init__(self) -> None:
        self._digests: set[bytes] = set()

    def add(self, *key: str) -> bool:
        """Add *key*; return ``True`` if it was new, ``False`` if it was seen before."""
        digest = hashlib.blake2b("\x1f".join(key).encode(), digest_size=8).digest()
        if digest in self._digests:
            return False
        self._digests.add(digest)
        return True

    def __len__(self) -> int:
        return len(self._digests)


def normalise_name(text: str) -> str:
    """A matching key for an organisation name: ASCII, upper case, punctuation dropped.

    >>> normalise_name('Universitatea Tehnică "Gheorghe Asachi" din Iași')
    'UNIVERSITATEA TEHNICA GHEORGHE ASACHI DIN IASI'
    """
    from ecograph.iris import slugify

    return slugify(text).replace("-", " ").upper()
