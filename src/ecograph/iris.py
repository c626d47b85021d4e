"""IRI minting: the one place where ecograph turns a kind and a key into an entity IRI.

Entity IRIs look like ``https://w3id.org/ecograph/id/organisation/umf-iasi``. Keys are
lower-case slugs, except countries (ISO 3166-1 alpha-2, upper case) and regions
(NUTS codes, upper case), whose official codes are already stable identifiers.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from ecograph.namespaces import BASE

KINDS = frozenset(
    {
        "organisation",
        "cluster",
        "network",
        "project",
        "programme",
        "country",
        "region",
        "city",
        "membership",
        "participation",
        "infrastructure",
        "source",
        "count",
        "collaboration",
    }
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NUTS = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
_ENTITY = re.compile(r"^" + re.escape(BASE) + r"id/(?P<kind>[a-z]+)/(?P<key>[^/#?]+)$")
# Country codes CORDIS and Eurostat use where ISO 3166-1 has another.
_COUNTRY_ALIASES = {"EL": "GR", "UK": "GB"}


def slugify(text: str) -> str:
    """Turn free text into a stable slug: ASCII, lower case, words joined by hyphens.

    >>> slugify("“Grigore T. Popa” University of Medicine, Iași")
    'grigore-t-popa-university-of-medicine-iasi'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def country_code(code: str) -> str:
    """Normalise a country code to ISO 3166-1 alpha-2 (``EL``→``GR``, ``UK``→``GB``).

    >>> country_code("el")
    'GR'
    """
    upper = code.strip().upper()
    return _COUNTRY_ALIASES.get(upper, upper)


def mint(kind: str, key: str) -> URIRef:
    """Return the IRI of the entity of *kind* identified by *key*.

    Raises ``ValueError`` for an unknown kind or a key that is not of the kind's form.

    >>> str(mint("organisation", "umf-iasi"))
    'https://w3id.org/ecograph/id/organisation/umf-iasi'
    >>> str(mint("country", "el"))
    'https://w3id.org/ecograph/id/country/GR'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown entity kind {kind!r}; expected one of {sorted(KINDS)}")
    if kind == "country":
        key = country_code(key)
        pattern = _COUNTRY
    elif kind == "region":
        key = key.strip().upper()
        pattern = _NUTS
    else:
        pattern = _SLUG
    if not pattern.match(key):
        raise ValueError(f"{key!r} is not a valid key for a {kind}")
    return URIRef(f"{BASE}id/{kind}/{key}")


def parse_entity_iri(iri: str) -> tuple[str, str] | None:
    """Return ``(kind, key)`` for an IRI minted by :func:`mint`, else ``None``.

    >>> parse_entity_iri("https://w3id.org/ecograph/id/region/RO21")
    ('region', 'RO21')
    """
    match = _ENTITY.match(iri)
    if match is None or match["kind"] not in KINDS:
        return None
    kind, key = match["kind"], match["key"]
    try:
        minted = mint(kind, key)
    except ValueError:
        return None
    return (kind, key) if str(minted) == iri else None
