"""Organisation records from CORDIS tables: merged per identifier, given one IRI each.

CORDIS tables identify an organisation by its PIC (nine digits) or, where the PIC was
unknown, by an MD5 hash of its name. :class:`Directory` gathers the records of every
organisation file of an import (memory grows with the number of organisations, not of
participation rows), merges duplicate rows of one identifier, gives a name-hashed record
the PIC of a record with the same name and country, reconciles records with the seed's
organisations (:mod:`ecograph.importers.reconcile`) and then writes one resource per
real organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecograph.errors import InputError
from ecograph.importers import model as m
from ecograph.importers.countries import Countries
from ecograph.importers.nuts import NutsIndex
from ecograph.importers.reconcile import Matcher, Record
from ecograph.importers.tables import Tally, is_mangled, normalise_name
from ecograph.importers.triples import TripleSink, iri, literal, web_iri
from ecograph.iris import mint

_PIC = re.compile(r"^\d{9}$")
_HASH = re.compile(r"^[0-9a-f]{32}$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
#: CORDIS activity types → ecograph classes (OTH stays a plain organisation).
ACTIVITY_TYPES = {"HES": m.UNIVERSITY, "REC": m.RESEARCH_ORGANISATION, "PRC": m.COMPANY,
                  "PUB": m.PUBLIC_AUTHORITY}


def org_key(org_id: str) -> str:
    """The IRI key of a CORDIS organisation id (PIC or name hash); ``ValueError`` if neither.

    >>> org_key("999769495"), org_key("3E1B5ED8D607053BDC25F86B42CDF530")
    ('pic-999769495', 'cordis-3e1b5ed8d607053bdc25f86b42cdf530')
    """
    text = org_id.strip().lower()
    if _PIC.match(text):
        return f"pic-{text}"
    if _HASH.match(text):
        return f"cordis-{text}"
    raise ValueError(f"{org_id!r} is neither a 9-digit PIC nor a 32-digit name hash")


@dataclass
class OrgRecord:
    """What the tables say about one organisation id."""

    org_id: str
    name: str
    country: str | None
    source: str
    line: int
    short_name: str = ""
    url: str = ""
    city: str = ""
    nuts: str = ""
    activity: str = ""
    sme: bool = False
    other_names: set[str] = field(default_factory=set)

    @property
    def pic(self) -> str | None:
        return self.org_id if _PIC.match(self.org_id) else None


class Directory:
    """Every organisation record of one import, keyed by CORDIS organisation id."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.records: dict[str, OrgRecord] = {}
        self.iris: dict[str, str] = {}

    def add(self, record: OrgRecord) -> None:
        """Add a record; a repeated id is merged (its other name kept).

        Raises ``InputError`` when one table gives one id to organisations of two countries.
        """
        try:
            org_key(record.org_id)
        except ValueError:
            self.tally.skip(record.source, record.line, "organisation without an id (no PIC "
                            "and no name hash)", record.name)
            return
        if is_mangled(record.name):
            self.tally.repair(record.source, record.line, "name has characters replaced by "
                              "'?' or \"'\" (kept as given)", record.name)
        known = self.records.get(record.org_id)
        if known is None:
            self.records[record.org_id] = record
            return
        if known.country and record.country and known.country != record.country:
            if known.source != record.source:
                self.tally.repair(record.source, record.line, "organisation id has another "
                                  "country in another table (first kept)",
                                  f"{record.org_id}: {known.country} / {record.country}")
                known.other_names.add(record.name)
                return
            raise InputError(
                f"{record.source}, line {record.line}: organisation id {record.org_id} "
                f"collides: it names {known.name!r} in {known.country} "
                f"({known.source}, line {known.line}) and {record.name!r} in {record.country}")
        if record.name != known.name:
            known.other_names.add(record.name)
        for attribute in ("short_name", "url", "city", "nuts", "activity", "country"):
            if not getattr(known, attribute) and getattr(record, attribute):
                setattr(known, attribute, getattr(record, attribute))
        self.tally.merge(record.source, record.line, "duplicate organisation id "
                         "(merged, other name kept)", record.org_id)

    def assign_pics(self) -> None:
        """Give name-hashed records the IRI of a PIC record with the same name and country."""
        by_name: dict[tuple[str, str | None], str] = {}
        for record in self.records.values():
            if record.pic:
                for name in (record.name, *record.other_names):
                    by_name.setdefault((normalise_name(name), record.country), record.org_id)
        for record in self.records.values():
            key = org_key(record.org_id)
            if record.pic is None:
                pic = by_name.get((normalise_name(record.name), record.country))
                if pic is not None:
                    key = org_key(pic)
                    self.tally.repair(record.source, record.line, "no PIC: takes the PIC of "
                                      "a record with the same name and country",
                                      f"{record.org_id} -> {pic}")
                else:
                    self.tally.repair(record.source, record.line, "organisation without PIC "
                                      "(identified by its name hash)", record.name)
            self.iris[record.org_id] = str(mint("organisation", key))

    def reconcile(self, matcher: Matcher) -> int:
        """Offer the records to *matcher*; accepted ones take the seed's IRI. Returns how many."""
        for record in self.records.values():
            names = (record.name, *sorted(record.other_names),
                     *([record.short_name] if record.short_name else []))
            matcher.offer(Record(record.org_id, names, record.country, record.city,
                                 pic=record.pic))
        accepted = matcher.decide()
        for org_id, seed in accepted.items():
            self.iris[org_id] = seed
        return len(accepted)

    def write(self, sink: TripleSink, nuts: NutsIndex, seeds: set[str],
              countries: Countries) -> None:
        """Write one resource per organisation IRI (records sharing an IRI are merged).

        The countries referred to are noted in *countries*, for ``countries.declare``.
        """
        written: set[str] = set()
        for record in self.records.values():
            subject_iri = self.iris[record.org_id]
            subject = iri(subject_iri)
            first = subject_iri not in written
            written.add(subject_iri)
            reconciled = subject_iri in seeds
            if first:
                sink.add(subject, m.A, m.ORGANISATION)
                if not reconciled:
                    sink.add(subject, m.LABEL, literal(record.name))
                self.tally.written += 1
            elif not first:
                self.tally.merge(record.source, record.line, "same organisation as another "
                                 "record (one resource)", f"{record.org_id} -> {subject_iri}")
            kind = ACTIVITY_TYPES.get(record.activity)
            if kind and not reconciled:
                sink.add(subject, m.A, kind)
            for name in (record.name, *record.other_names):
                sink.add(subject, m.LEGAL_NAME, literal(name))
            if record.short_name and record.short_name != record.name:
                sink.add(subject, m.ACRONYM, literal(record.short_name))
            if record.pic:
                sink.add(subject, m.CORDIS_PIC, literal(record.pic))
            if record.country:
                sink.add(subject, m.IN_ORG_COUNTRY,
                         countries.refer(record.country, record.source, record.line))
            for url in record.url.replace(";", " ").split():
                term = web_iri(url) if _URL.match(url) else None
                if term is not None:
                    sink.add(subject, m.URL, term)
                    break
            if record.nuts:
                resolution = nuts.resolve(record.nuts)
                if resolution.code is None:
                    if resolution.how == "unknown NUTS code":
                        raise InputError(f"{record.source}, line {record.line}: unknown NUTS "
                                         f"code {record.nuts!r} for organisation "
                                         f"{record.org_id} (not a code of any NUTS country)")
                    self.tally.repair(record.source, record.line, f"NUTS value not linked: "
                                      f"{resolution.how}", record.nuts)
                else:
                    if resolution.how != "current":
                        self.tally.repair(record.source, record.line, f"NUTS code "
                                          f"{resolution.how}", f"{record.nuts} -> "
                                          f"{resolution.code}")
                    # The region and its ancestors: queries ask at any NUTS level without
                    # following ecograph:parentRegion* (measured: ~2x faster at full scale).
                    code = resolution.code
                    for end in range(len(code), 1, -1):
                        if code[:end] in nuts.levels:
                            sink.add(subject, m.LOCATED_IN, iri(str(mint("region", code[:end]))))
