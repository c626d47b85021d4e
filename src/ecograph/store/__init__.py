"""Stores behind one interface; :func:`open_store` picks the backend from the location.

- a folder path: the embedded Oxigraph store on disk (the default);
- ``:memory:``: an embedded in-memory store (tests, throw-away work);
- ``sparql+http://HOST:PORT/PATH`` or ``sparql+https://…``: a remote SPARQL 1.1 server.
"""

from __future__ import annotations

import os
from pathlib import Path

from ecograph.errors import StoreError
from ecograph.store.base import AskResult, GraphResult, QueryResult, SelectResult, Store

__all__ = ["AskResult", "GraphResult", "QueryResult", "SelectResult", "Store", "open_store"]


def open_store(location: str | Path, *, reading: bool = False) -> Store:
    """Open the store at *location* (see module docstring); raises ``StoreError``.

    With *reading* (a command that only reads), a store folder this process cannot write
    is opened read-only instead of failing (Oxigraph opens read-write by default).
    """
    text = str(location)
    if text.startswith(("sparql+http://", "sparql+https://")):
        try:
            from ecograph.store.remote import RemoteStore
        except ImportError as exc:  # pragma: no cover - the remote backend ships with ecograph
            raise StoreError(f"the remote backend is not available: {exc}") from exc
        return RemoteStore.from_location(text)
    from ecograph.store.embedded import OxigraphStore

    if text == ":memory:":
        return OxigraphStore(None)
    if "://" in text:
        raise StoreError(
            f"unknown store location {text!r}: give a folder, ':memory:' or a "
            "sparql+http(s):// endpoint"
        )
    path = Path(text)
    read_only = reading and path.is_dir() and not os.access(path, os.W_OK)
    return OxigraphStore(path, read_only=read_only)
