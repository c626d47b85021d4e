"""Answers of an Oxigraph store as bytes: SPARQL results and RDF, capped or streamed.

A row cap stops Oxigraph's lazy evaluation through the writer it serialises into
(:class:`LineCapWriter`); a whole export is streamed from a thread through a bounded queue
(:func:`stream`), so neither holds more than it must in memory.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator

import pyoxigraph as ox

from ecograph.errors import StoreError, UnsupportedFormatError
from ecograph.formats import RESULTS_MEDIA_TYPES, syntax_for_media_type
from ecograph.store.base import SerializedResult

_CHUNK = 64 * 1024

_RESULTS_FORMATS = {
    RESULTS_MEDIA_TYPES["json"]: ox.QueryResultsFormat.JSON,
    RESULTS_MEDIA_TYPES["xml"]: ox.QueryResultsFormat.XML,
    RESULTS_MEDIA_TYPES["csv"]: ox.QueryResultsFormat.CSV,
    RESULTS_MEDIA_TYPES["tsv"]: ox.QueryResultsFormat.TSV,
}


class _Enough(Exception):
    """Raised by :class:`LineCapWriter` once it holds the lines it was asked for."""


class LineCapWriter:
    """Collect serialised lines up to *cap* after the header, then stop the serialiser.

    TSV results and N-Triples hold one solution or triple per line (newlines inside
    literals are escaped), so counting lines counts rows; stopping the writer stops the
    lazy query evaluation behind it.
    """

    def __init__(self, cap: int, header_lines: int) -> None:
        self.cap = cap + header_lines
        self.lines = 0
        self.buffer = bytearray()
        self.truncated = False

    def write(self, data: bytes) -> int:
        count = data.count(b"\n")
        if self.lines + count <= self.cap:
            self.buffer += data
            self.lines += count
            return len(data)
        end = -1
        for _ in range(self.cap - self.lines):
            end = data.index(b"\n", end + 1)
        self.buffer += data[: end + 1]
        self.lines = self.cap
        self.truncated = True
        raise _Enough

    def flush(self) -> None:
        """Nothing to flush: everything is in memory."""


class QueueWriter:
    """A binary file-like object that hands what is written to a bounded queue."""

    def __init__(self, chunks: queue.Queue[bytes | None], stop: threading.Event) -> None:
        self._chunks = chunks
        self._stop = stop
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= _CHUNK:
            self._emit()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._emit()

    def _emit(self) -> None:
        chunk = bytes(self._buffer)
        self._buffer.clear()
        while not self._stop.is_set():
            try:
                self._chunks.put(chunk, timeout=0.5)
                return
            except queue.Full:
                continue
        raise BrokenPipeError("reader went away")


def results_format(media_type: str) -> ox.QueryResultsFormat:
    try:
        return _RESULTS_FORMATS[media_type.split(";", 1)[0].strip()]
    except KeyError:
        raise UnsupportedFormatError(f"unknown SPARQL results media type {media_type!r}") from None


def solutions(result: ox.QuerySolutions, media_type: str | None,
               max_rows: int | None) -> SerializedResult:
    if media_type is None:
        raise UnsupportedFormatError("the query gives SPARQL results; no results media type "
                                     "was acceptable")
    target = results_format(media_type)
    if max_rows is None:
        body = result.serialize(format=target)
        return SerializedResult(media_type, body, "select", -1)
    writer = LineCapWriter(max_rows, header_lines=1)
    with contextlib.suppress(_Enough):
        result.serialize(writer, format=ox.QueryResultsFormat.TSV)
    tsv = bytes(writer.buffer)
    rows = max(writer.lines - 1, 0)
    if target != ox.QueryResultsFormat.TSV:
        parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        body = parsed.serialize(format=target)
    else:
        body = tsv
    return SerializedResult(media_type, body, "select", rows, writer.truncated)


def triples(result: ox.QueryTriples, media_type: str | None,
             max_rows: int | None) -> SerializedResult:
    if media_type is None:
        raise UnsupportedFormatError("the query gives RDF triples; no RDF media type was "
                                     "acceptable")
    syntax = syntax_for_media_type(media_type)
    if max_rows is None:
        body = result.serialize(format=syntax.oxigraph)
        return SerializedResult(syntax.media_type, body, "graph", -1)
    writer = LineCapWriter(max_rows, header_lines=0)
    with contextlib.suppress(_Enough):
        result.serialize(writer, format=ox.RdfFormat.N_TRIPLES)
    ntriples = bytes(writer.buffer)
    if syntax.oxigraph != ox.RdfFormat.N_TRIPLES:
        triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
        body = ox.serialize(triples, format=syntax.oxigraph)
    else:
        body = ntriples
    return SerializedResult(syntax.media_type, body, "graph", writer.lines, writer.truncated)


def stream(dump: Callable[[QueueWriter], None]) -> Iterator[bytes]:
    """Run *dump(writer)* in a thread and yield what it writes, in bounded memory."""
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
    stop = threading.Event()
    failure: list[BaseException] = []

    def work() -> None:
        writer = QueueWriter(chunks, stop)
        try:
            dump(writer)
            writer.flush()
        except BaseException as exc:
            failure.append(exc)
        finally:
            while not stop.is_set():
                try:
                    chunks.put(None, timeout=0.5)
                    break
                except queue.Full:
                    continue

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        while (chunk := chunks.get()) is not None:
            yield chunk
        if failure and not isinstance(failure[0], BrokenPipeError):
            raise StoreError(f"export failed: {failure[0]}") from failure[0]
    finally:
        stop.set()
        thread.join(timeout=5)
