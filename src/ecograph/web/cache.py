"""Answers kept for repeated reads, keyed on the store's version, with their ETags.

A read's answer depends only on its request (query, dataset, format, limits) and the
store's content, which changes only through writes that bump the version. So the ETag is
a digest of the request key, the version and the server's start: a conditional GET is
answered ``304`` without running anything, and a write invalidates every entry at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Cached:
    """A serialised answer: body, media type, and the row cap it hit (if any)."""

    body: bytes
    media_type: str
    truncated_at: int | None = None


class AnswerCache:
    """A least-recently-used map from (request key, version) to answers, bounded in bytes."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_entry: int = 4 * 1024 * 1024,
                 ) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self.boot = secrets.token_hex(4)
        self._entries: OrderedDict[tuple[str, int], Cached] = OrderedDict()
        self._size = 0
        self._version: int | None = None
        self.hits = 0

    def etag(self, key: str, version: int) -> str:
        """The (weak) entity tag of the answer to *key* at *version*."""
        digest = hashlib.blake2b(f"{key}\x00{version}".encode(), digest_size=10).hexdigest()
        return f'W/"{self.boot}-{version}-{digest}"'

    def get(self, key: str, version: int) -> Cached | None:
        entry = self._entries.get((key, version))
        if entry is not None:
            self._entries.move_to_end((key, version))
            self.hits += 1
        return entry

    def put(self, key: str, version: int, entry: Cached) -> None:
        if len(entry.body) > self.max_entry:
            return
        if version != self._version:  # a write happened: every older answer is stale
            self._entries.clear()
            self._size = 0
            self._version = version
        self._entries[(key, version)] = entry
        self._size += len(entry.body)
        while self._size > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._size -= len(dropped.body)


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header matches *etag* (weak comparison)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))
