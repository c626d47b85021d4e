"""Content negotiation: parse ``Accept`` with q-values and wildcards, pick an offered type.

The server's order of offers breaks ties between types the client rates equally; a more
specific range wins over a wildcard for the same type (RFC 9110 §12.5.1). When nothing
offered is acceptable the caller answers ``406`` listing the offers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ecograph.formats import RDF_SYNTAXES, RESULTS_MEDIA_TYPES

#: SPARQL results, the first being the default for ``*/*``; aliases last.
RESULTS_OFFERS: tuple[str, ...] = (
    RESULTS_MEDIA_TYPES["json"], RESULTS_MEDIA_TYPES["xml"], RESULTS_MEDIA_TYPES["csv"],
    RESULTS_MEDIA_TYPES["tsv"], "application/json", "application/xml",
)
#: RDF syntaxes for CONSTRUCT/DESCRIBE and graphs, Turtle first.
RDF_OFFERS: tuple[str, ...] = (
    "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
    "application/trig", "application/n-quads",
)
#: Aliases answered with the canonical type's serialiser.
ALIASES = {"application/json": RESULTS_MEDIA_TYPES["json"],
           "application/xml": RESULTS_MEDIA_TYPES["xml"],
           "application/x-turtle": "text/turtle"}

#: Short names accepted by the ``format`` / ``output`` request parameters.
FORMAT_NAMES: dict[str, str] = {
    **RESULTS_MEDIA_TYPES,
    **{s.name: s.media_type for s in RDF_SYNTAXES if s.media_type in RDF_OFFERS},
    "ttl": "text/turtle", "nt": "application/n-triples", "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml", "nq": "application/n-quads",
}


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """Return how specifically this range matches *media_type* (0 = not at all)."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 1
        if self.type != kind:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == sub else 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an ``Accept`` header; a missing or empty header accepts everything.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/*;q=0.5, text/csv")]
    [('text', '*', 0.5), ('text', 'csv', 1.0)]
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind, _, sub = fields[0].lower().partition("/")
        if not kind:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub or "*", q))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """Return the q-value the client gives *media_type* (the most specific range decides)."""
    best, q = 0, 0.0
    for media_range in ranges:
        level = media_range.matches(media_type)
        if level > best:
            best, q = level, media_range.q
    return q


def choose(header: str | None, offered: Sequence[str]) -> str | None:
    """Return the offered type the client prefers, or ``None`` if none is acceptable.

    >>> choose("application/sparql-results+xml;q=0.9, */*;q=0.1", RESULTS_OFFERS)
    'application/sparql-results+xml'
    >>> choose("*/*", RDF_OFFERS)
    'text/turtle'
    >>> choose("image/png", RDF_OFFERS) is None
    True
    """
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media_type in offered:
        q = quality(ranges, media_type)
        if q > best_q:
            best, best_q = media_type, q
    return best


def canonical(media_type: str) -> str:
    """Return the type whose serialiser answers *media_type* (an alias or itself)."""
    return ALIASES.get(media_type, media_type)


def format_override(value: str) -> str | None:
    """Turn a ``format``/``output`` parameter (a short name or a media type) into ``Accept``."""
    text = value.strip().lower()
    if "/" in text:
        return text
    return FORMAT_NAMES.get(text)
