"""The error tree of ecograph: every failure a user can cause, with its context.

    EcographError                    base; carries a one-screen message
    ├── InputError                   the user's input is wrong (exit code 2 in the CLI)
    │   ├── ParseError               RDF that does not parse: file, line, column, reason
    │   ├── UnsupportedFormatError   a file type or media type we cannot read or write
    │   ├── QuerySyntaxError         SPARQL that does not parse: position and reason
    │   ├── UnknownQueryError        a named query that does not exist
    │   ├── ParameterError           a named-query parameter missing, unknown or of the wrong type
    │   ├── UnknownGraphError        a named graph that is not in the store
    │   └── UnknownChangeError       a change id that is not in the change log
    ├── ValidationFailedError        data that breaks the shapes (exit code 1); holds the report
    ├── QueryTimeoutError            a query stopped at the time limit
    └── StoreError                   the store cannot be opened, read or written (exit code 3)
        └── StoreFullError           no space for a write: disk full or file-size limit (HTTP 507)

Non-conformance is a result (a ``ValidationReport``); ``ValidationFailedError`` is raised
only by write paths that refuse data because of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecograph.validate import ValidationReport


class EcographError(Exception):
    """Base class of every error ecograph raises on purpose."""

    exit_code = 3

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(EcographError):
    """The input given by the user is wrong; nothing was changed."""

    exit_code = 2


class ParseError(InputError):
    """RDF that cannot be parsed, with where it went wrong."""

    def __init__(
        self,
        source: str | Path,
        reason: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.source = str(source)
        self.reason = reason
        self.line = line
        self.column = column
        where = self.source
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {reason}")


class UnsupportedFormatError(InputError):
    """A file type or media type that ecograph cannot read or write."""


class QuerySyntaxError(InputError):
    """A SPARQL query or update that does not parse."""


class UnknownQueryError(InputError):
    """A named query that is not in the catalogue."""


class ParameterError(InputError):
    """A required named-query parameter is missing, unknown or of the wrong type."""


class UnknownGraphError(InputError):
    """A named graph that is not in the store."""

    def __init__(self, graph: str) -> None:
        self.graph = graph
        super().__init__(f"no graph named <{graph}> in the store")


class UnknownChangeError(InputError):
    """A change id that is not in the change log."""


class ValidationFailedError(EcographError):
    """Data refused because it breaks the shapes; ``report`` says how."""

    exit_code = 1

    def __init__(self, report: ValidationReport, source: str = "data") -> None:
        self.report = report
        self.source = source
        n = report.count("Violation")
        super().__init__(f"{source}: {n} SHACL violation(s); nothing was written")


class QueryTimeoutError(EcographError):
    """A query that ran past its time limit and was stopped."""

    exit_code = 4


class StoreError(EcographError):
    """The store could not be opened, read or written."""


class StoreFullError(StoreError):
    """A write found no space: the disk holding the store is full (ENOSPC), a quota or a
    file-size limit (EFBIG) was reached. The write was not completed."""
