"""The CORDIS reference-data importer: countries, programmes, activity types, funding schemes.

Reads the ``;``-separated ``cordisref-*.csv`` tables (some with a BOM, some with CRLF,
H2020 titles with ``?``-mangled letters):

* ``cordisref-countries.csv`` — CORDIS country codes (``EL``, ``UK``, ``KO``) mapped to ISO
  3166-1 countries, with the English name as label and the other languages' names;
* ``cordisref-FP7programmes.csv`` / ``cordisref-H2020programmes.csv`` — programme parts
  with their titles per language, parts of their framework programme;
* ``cordisref-organizationActivityType.csv`` and
  ``cordisref-projectFundingSchemeCategory.csv`` — SKOS concept schemes
  (``vocab/cordis-activity-type``, ``vocab/cordis-funding-scheme``).

Other ``cordisref-*`` tables (topics, SIC codes) are recognised and skipped with a note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ecograph.errors import InputError
from ecograph.importers import model as m
from ecograph.importers.files import gather
from ecograph.importers.programmes import Programmes, framework_for
from ecograph.importers.provenance import CORDIS_REFERENCE as SOURCE
from ecograph.importers.run import Check, Job
from ecograph.importers.tables import is_mangled, normalise_country, read_rows
from ecograph.importers.triples import iri, literal
from ecograph.iris import mint, slugify
from ecograph.namespaces import VOCAB

__all__ = ["CHECKS", "EXPECTED", "SOURCE", "convert", "select"]

EXPECTED = "cordisref-*.csv"
#: A two- or three-letter language code (``str.isalpha`` would also take ``éé``).
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
SCHEMES = {
    "cordisref-organizationActivityType.csv": ("cordis-activity-type",
                                               "CORDIS organisation activity types"),
    "cordisref-projectFundingSchemeCategory.csv": ("cordis-funding-scheme",
                                                   "CORDIS funding schemes"),
}
HANDLED = ("cordisref-countries.csv", "cordisref-FP7programmes.csv",
           "cordisref-H2020programmes.csv", *SCHEMES)


def select(paths: Sequence[Path]) -> list[Path]:
    """The ``cordisref-*.csv`` tables among *paths*."""
    def check(path: Path) -> None:
        if not path.name.startswith("cordisref-"):
            raise InputError(f"{path}: not a CORDIS reference table (cordisref-*.csv)")

    return gather(paths, lambda folder: sorted(folder.glob("cordisref-*.csv")), check)


def convert(job: Job, files: Sequence[Path]) -> None:
    """Map each known reference table; note the others."""
    programmes = Programmes(job.sink)
    for path in files:
        if path.name == "cordisref-countries.csv":
            _countries(job, path)
        elif path.name in ("cordisref-FP7programmes.csv", "cordisref-H2020programmes.csv"):
            _programmes(job, path, programmes)
        elif path.name in SCHEMES:
            _scheme(job, path, *SCHEMES[path.name])
        else:
            job.notes.append(f"{path.name}: not mapped (only {', '.join(HANDLED)} are)")


def _language(value: str) -> str | None:
    text = value.strip().lower()
    return text if _LANGUAGE.match(text) else None


def _countries(job: Job, path: Path) -> None:
    sink, tally = job.sink, job.tally
    typed: set[str] = set()
    for row in read_rows(path, delimiter=";", kind="CORDIS country table",
                         required=("euCode", "isoCode", "name", "language"), tally=tally,
                         progress=job.progress):
        code = normalise_country(row.get("isoCode")) or normalise_country(row.get("euCode"))
        lang = _language(row.get("language"))
        if code is None or lang is None or not row.get("name"):
            tally.skip(path.name, row.line, "no country code, language or name",
                       f"{row.get('euCode')} {row.get('language')}")
            continue
        subject = iri(str(mint("country", code)))
        if code not in typed:
            typed.add(code)
            sink.add(subject, m.A, m.COUNTRY)
            sink.add(subject, m.ISO_ALPHA2, literal(code))
            tally.written += 1
        if row.get("euCode") != code:
            sink.add(subject, m.NOTATION, literal(row.get("euCode")))
        predicate = m.LABEL if lang == "en" else m.ALTERNATIVE_NAME
        sink.add(subject, predicate, literal(row.get("name"), lang=lang))


def _programmes(job: Job, path: Path, programmes: Programmes) -> None:
    sink, tally = job.sink, job.tally
    for row in read_rows(path, delimiter=";", kind="CORDIS programme table",
                         required=("Code", "Title", "Language") if "FP7" in path.name
                         else ("code", "title", "language"), tally=tally,
                         progress=job.progress):
        code = row.get("Code") or row.get("code")
        title = row.get("Title") or row.get("title")
        lang = _language(row.get("Language") or row.get("language"))
        if not code or not title or lang is None:
            tally.skip(path.name, row.line, "programme without code, title or language", code)
            continue
        if framework_for(code) is None:
            tally.skip(path.name, row.line, "not a programme of FP7, H2020 or Horizon Europe",
                       code)
            continue
        if is_mangled(title):
            tally.repair(path.name, row.line, "title has characters replaced by '?' (kept)",
                         title)
        term = programmes.part(code, title if lang == "en" else "")
        sink.add(term, m.LABEL, literal(title, lang=lang))
        tally.written += 1


def _scheme(job: Job, path: Path, key: str, title: str) -> None:
    sink, tally = job.sink, job.tally
    scheme = iri(str(VOCAB[key]))
    sink.add(scheme, m.A, m.CONCEPT_SCHEME)
    sink.add(scheme, m.PREF_LABEL, literal(title, lang="en"))
    for row in read_rows(path, delimiter=";", kind="CORDIS code table",
                         required=("title", "language") if "Funding" in path.name
                         else ("Code", "Title", "language"), tally=tally,
                         progress=job.progress):
        code = row.get("code") or row.get("Code")
        lang = _language(row.get("language"))
        if not code or lang != "en":
            tally.skip(path.name, row.line, "not an English row with a code", code)
            continue
        concept = iri(str(VOCAB[f"{key}/{slugify(code)}"]))
        sink.add(concept, m.A, m.CONCEPT)
        sink.add(concept, m.IN_SCHEME, scheme)
        sink.add(concept, m.NOTATION, literal(code))
        sink.add(concept, m.PREF_LABEL, literal(row.get("title") or row.get("Title") or code,
                                                lang="en"))
        tally.written += 1


CHECKS = [
    Check("https://w3id.org/ecograph/shapes#Labelled", "a programme or country needs a label",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus a ?t .
             FILTER(?t IN (ecograph:FundingProgramme, ecograph:Country))
             FILTER NOT EXISTS { ?focus rdfs:label ?l } } } LIMIT 100"""),
]
