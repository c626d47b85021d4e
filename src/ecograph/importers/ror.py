"""The ROR importer: Research Organization Registry records with ROR and Wikidata ids.

Reads ``ror_europe_flat.csv`` (one row per ROR record: id, status, name, aliases,
acronyms, labels ``value@lang``, types, country, city, wikidata, parent ids). Each record
is one organisation, ``mint("organisation", "ror-<id>")`` — or the seed's organisation
when reconciliation accepts it (same ROR id, or the names; see
:mod:`ecograph.importers.reconcile`) — with its ROR id, Wikidata id, names, country, kind
(from the ROR type) and parent organisations that are in the file. Withdrawn records are
skipped (logged).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ecograph.importers import countries as places
from ecograph.importers import model as m
from ecograph.importers.files import gather, named
from ecograph.importers.provenance import ROR as SOURCE
from ecograph.importers.reconcile import Matcher, Record, seed_organisations
from ecograph.importers.run import Check, Job
from ecograph.importers.tables import normalise_country, read_rows
from ecograph.importers.triples import iri, language_tag, literal
from ecograph.iris import mint

__all__ = ["CHECKS", "EXPECTED", "SOURCE", "convert", "select"]

FILE = "ror_europe_flat.csv"
EXPECTED = FILE
_REQUIRED = ("id", "status", "name", "aliases", "acronyms", "labels", "types", "country_code",
             "city", "wikidata", "parent_ids")
_ROR = re.compile(r"^https://ror\.org/(0[a-hj-km-np-tv-z0-9]{6}[0-9]{2})$")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
_LABEL = re.compile(r"^(?P<value>.+)@(?P<lang>[A-Za-z]{2,3}(-[A-Za-z0-9]+)*)$")
#: ROR types → ecograph classes (funder, nonprofit, archive, other: a plain organisation).
TYPES = {"education": m.UNIVERSITY, "healthcare": m.HEALTHCARE_PROVIDER,
         "company": m.COMPANY, "government": m.PUBLIC_AUTHORITY,
         "facility": m.RESEARCH_ORGANISATION}


def select(paths: Sequence[Path]) -> list[Path]:
    """The ROR flat file among *paths*."""
    return gather(paths, named(FILE))


def ror_id(value: str) -> str | None:
    """The nine-character ROR id of a ROR IRI, or ``None``.

    >>> ror_id("https://ror.org/03hd30t45"), ror_id("https://ror.org/bad")
    ('03hd30t45', None)
    """
    match = _ROR.match(value.strip())
    return match[1] if match else None


def _rows(job: Job, path: Path, progress: bool):
    return read_rows(path, delimiter=",", required=_REQUIRED, kind="ROR flat file",
                     tally=job.tally if progress else None,
                     progress=job.progress if progress else None)


def convert(job: Job, files: Sequence[Path]) -> None:
    """Map the ROR records; reconcile them with the seed's organisations first."""
    seeds = seed_organisations(job.store)
    matcher = Matcher(seeds)
    present: set[str] = set()
    for path in files:
        for row in _rows(job, path, progress=False):
            rid = ror_id(row.get("id"))
            if rid is None or row.get("status") == "withdrawn":
                continue
            present.add(rid)
            names = (row.get("name"), *_split(row.get("aliases")),
                     *(_LABEL.match(v)["value"] for v in _split(row.get("labels"))
                       if _LABEL.match(v)))
            matcher.offer(Record(rid, tuple(n for n in names if n),
                                 normalise_country(row.get("country_code")),
                                 row.get("city"), ror=rid))
    accepted = _one_record_per_seed(matcher, matcher.decide())
    matcher.write_csv(job.log_dir / "matches-ror.csv", "ror")
    job.notes.append(f"reconciled {len(accepted)} ROR records with {len(seeds)} seed "
                     f"organisations (see {job.log_dir / 'matches-ror.csv'})")

    def subject_of(rid: str) -> str:
        return iri(accepted.get(rid) or str(mint("organisation", f"ror-{rid}")))

    sink, tally = job.sink, job.tally
    countries = places.Countries.known(job.store)
    for path in files:
        for row in _rows(job, path, progress=True):
            rid = ror_id(row.get("id"))
            if rid is None:
                tally.skip(path.name, row.line, "not a ROR id", row.get("id"))
                continue
            if row.get("status") == "withdrawn":
                tally.skip(path.name, row.line, "withdrawn ROR record", rid)
                continue
            if not row.get("name"):
                tally.skip(path.name, row.line, "ROR record without a name", rid)
                continue
            subject = subject_of(rid)
            reconciled = rid in accepted
            sink.add(subject, m.A, m.ORGANISATION)
            if not reconciled:
                sink.add(subject, m.LABEL, literal(row.get("name")))
                for kind in row.get("types").split("|"):
                    if kind.strip() in TYPES:
                        sink.add(subject, m.A, TYPES[kind.strip()])
            else:
                sink.add(subject, m.ALTERNATIVE_NAME, literal(row.get("name")))
            sink.add(subject, m.ROR_ID, literal(rid))
            for alias in _split(row.get("aliases")):
                sink.add(subject, m.ALTERNATIVE_NAME, literal(alias))
            for value in _split(row.get("labels")):
                match = _LABEL.match(value)
                lang = language_tag(match["lang"]) if match else None
                if match and lang:
                    sink.add(subject, m.ALTERNATIVE_NAME, literal(match["value"], lang=lang))
                elif match:
                    sink.add(subject, m.ALTERNATIVE_NAME, literal(match["value"]))
                    tally.repair(path.name, row.line, "label with a malformed language tag "
                                 "(kept without it)", value)
                else:
                    tally.repair(path.name, row.line, "label without a language tag", value)
            for acronym in _split(row.get("acronyms")):
                sink.add(subject, m.ACRONYM, literal(acronym))
            wikidata = row.get("wikidata").split("|")[0].strip()
            if wikidata and _WIKIDATA.match(wikidata):
                sink.add(subject, m.WIKIDATA_ID, literal(wikidata))
            elif wikidata:
                tally.repair(path.name, row.line, "not a Wikidata id (dropped)", wikidata)
            country = normalise_country(row.get("country_code"))
            if country:
                sink.add(subject, m.IN_ORG_COUNTRY, countries.refer(country, path.name, row.line))
            for parent in _split(row.get("parent_ids")):
                pid = ror_id(parent)
                if pid and pid in present:
                    sink.add(subject, m.SUB_ORGANISATION_OF, subject_of(pid))
            tally.written += 1
    countries.declare(sink)


def _one_record_per_seed(matcher: Matcher, accepted: dict[str, str]) -> dict[str, str]:
    """A seed organisation takes at most one ROR record: the best scored (others not merged)."""
    best: dict[str, tuple[float, str]] = {}
    for match in matcher.matches:
        if match.decision == "accepted":
            known = best.get(match.seed.iri)
            if known is None or match.score > known[0]:
                best[match.seed.iri] = (match.score, match.record.source_id)
    keep = {record for _score, record in best.values()}
    return {rid: seed for rid, seed in accepted.items() if rid in keep}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


CHECKS = [
    Check("https://w3id.org/ecograph/shapes#Identified",
          "a ROR id has nine characters, two check digits last",
          """SELECT ?focus ?value WHERE { GRAPH $graph { ?focus ecograph:rorId ?value .
             FILTER(!REGEX(STR(?value), "^0[a-z0-9]{6}[0-9]{2}$")) } } LIMIT 100"""),
    Check("https://w3id.org/ecograph/shapes#Identified",
          "an organisation has at most one ROR id",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus ecograph:rorId ?r } }
             GROUP BY ?focus HAVING (COUNT(DISTINCT ?r) > 1) LIMIT 100"""),
    Check("https://w3id.org/ecograph/shapes#Identified",
          "a Wikidata id is Q followed by digits",
          """SELECT ?focus ?value WHERE { GRAPH $graph { ?focus ecograph:wikidataId ?value .
             FILTER(!REGEX(STR(?value), "^Q[1-9][0-9]*$")) } } LIMIT 100"""),
    *places.CHECKS,
]
