"""ecograph: a knowledge graph of health-innovation partnerships.

The public surface is re-exported here; implementation lives in private-by-convention
modules, one concern each (see README's data-flow picture):

    load (parse) → validate (SHACL) → store (Oxigraph or remote) → infer → query / serve
"""

from ecograph.errors import (
    EcographError,
    ParameterError,
    ParseError,
    QuerySyntaxError,
    StoreError,
    UnknownGraphError,
    UnknownQueryError,
    UnsupportedFormatError,
    ValidationFailedError,
)
from ecograph.iris import mint

__version__ = "0.1.0"

__all__ = [
    "EcographError",
    "ParameterError",
    "ParseError",
    "QuerySyntaxError",
    "StoreError",
    "UnknownGraphError",
    "UnknownQueryError",
    "UnsupportedFormatError",
    "ValidationFailedError",
    "__version__",
    "mint",
]
