"""The NUTS importer: Eurostat's NUTS 2021 regions as a hierarchy, and older codes resolved.

Reads ``nuts2021_classification.csv`` (code, country, level, label, parent), and when
given ``nuts2016_to_nuts2021_changes.csv`` (each 2016 code that was recoded records
``dcterms:replaces`` on its 2021 region) and ``NUTS2021_latin_names.csv`` (latin-script
names as ``ecograph:alternativeName``). Every region gets its code, level, label, parent
region and country, so queries can roll up from NUTS-3 to NUTS-2, NUTS-1 or the country.

:class:`NutsIndex` resolves the codes other sources use (NUTS 2010, 2013, 2016 or 2021)
to a 2021 region: unchanged, recoded through the change table, or — for codes from
before 2016 that no table maps — coarsened to the longest prefix that is still a 2021
region (every NUTS code lies within the region its prefix names).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecograph.errors import InputError
from ecograph.importers import model as m
from ecograph.importers.files import gather, named
from ecograph.importers.provenance import NUTS as SOURCE
from ecograph.importers.run import Check, Job
from ecograph.importers.tables import normalise_country, read_rows
from ecograph.importers.triples import iri, literal
from ecograph.iris import mint
from ecograph.namespaces import ECOSHAPE, sparql_prologue
from ecograph.store.base import SelectResult, Store

__all__ = ["CHECKS", "EXPECTED", "SOURCE", "NutsIndex", "Resolution", "convert", "select"]

CLASSIFICATION = "nuts2021_classification.csv"
CHANGES = "nuts2016_to_nuts2021_changes.csv"
LATIN = "NUTS2021_latin_names.csv"
EXPECTED = f"{CLASSIFICATION} (and optionally {CHANGES}, {LATIN})"
_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
_PART_OF = re.compile(r"part of ([A-Z]{2}[A-Z0-9]{1,3})")


def select(paths: Sequence[Path]) -> list[Path]:
    """The NUTS files among *paths* (folders searched for the known file names)."""
    files = gather(paths, named(CLASSIFICATION, CHANGES, LATIN))
    if files and not any(f.name == CLASSIFICATION or "classification" in f.name for f in files):
        raise InputError(f"the NUTS import needs {CLASSIFICATION}; got "
                         f"{', '.join(f.name for f in files)}")
    return files


def _role(path: Path) -> str:
    if path.name == CHANGES or "changes" in path.name:
        return "changes"
    if path.name == LATIN or "latin" in path.name:
        return "latin"
    return "classification"


def region_iri(code: str) -> str:
    """The N-Triples term of the region with NUTS *code*."""
    return iri(str(mint("region", code)))


def convert(job: Job, files: Sequence[Path]) -> None:
    """Map the NUTS files to regions, their hierarchy, latin names and replaced codes."""
    ordered = sorted(files, key=lambda f: ["classification", "changes", "latin"].index(_role(f)))
    known: dict[str, int] = {}
    sink, tally = job.sink, job.tally
    for path in ordered:
        role = _role(path)
        if role == "classification":
            _classification(job, path, known)
        elif role == "changes":
            for row in read_rows(path, delimiter=",", kind="NUTS 2016-2021 change table",
                                 required=("code_2016", "code_2021", "change_comment"),
                                 tally=tally, progress=job.progress):
                old, new = row.get("code_2016"), row.get("code_2021")
                if not new:
                    hint = _PART_OF.search(row.get("change_comment"))
                    new = hint[1] if hint else ""
                if not old or not new or old == new:
                    continue
                if not _CODE.match(old):
                    tally.skip(path.name, row.line, "2016 code is not a NUTS code", old)
                    continue
                if new not in known:
                    tally.skip(path.name, row.line, "2021 code not in the classification", new)
                    continue
                old_iri = region_iri(old)
                sink.add(region_iri(new), m.REPLACES, old_iri)
                sink.add(old_iri, m.NOTATION, literal(old))
                tally.written += 1
        else:
            for row in read_rows(path, delimiter=";", kind="NUTS latin-names table",
                                 required=("NUTS_ID", "NAME_LATN"), free_text="NAME_LATN",
                                 tally=tally, progress=job.progress):
                code = row.get("NUTS_ID")
                if code not in known:
                    tally.skip(path.name, row.line, "not a NUTS 2021 code (world country list)",
                               code)
                    continue
                sink.add(region_iri(code), m.ALTERNATIVE_NAME, literal(row.get("NAME_LATN")))
                tally.written += 1


def _classification(job: Job, path: Path, known: dict[str, int]) -> None:
    sink, tally = job.sink, job.tally
    countries: set[str] = set()
    for row in read_rows(path, delimiter=",", kind="NUTS 2021 classification",
                         required=("nuts_code", "country_code", "level", "label", "parent_code"),
                         tally=tally, progress=job.progress):
        code, level_text = row.get("nuts_code"), row.get("level")
        if not _CODE.match(code):
            raise InputError(f"{path}, line {row.line}: {code!r} is not a NUTS code")
        if not level_text.isdigit() or int(level_text) != len(code) - 2:
            raise InputError(f"{path}, line {row.line}: NUTS code {code} has level "
                             f"{level_text!r}; its length says {len(code) - 2}")
        if code in known:
            tally.merge(path.name, row.line, "duplicate NUTS code", code)
            continue
        level = int(level_text)
        known[code] = level
        country = normalise_country(row.get("country_code") or code[:2])
        if country is None:
            raise InputError(f"{path}, line {row.line}: no country code for {code}")
        subject = region_iri(code)
        sink.add(subject, m.A, m.REGION)
        sink.add(subject, m.NUTS_CODE, literal(code))
        sink.add(subject, m.NUTS_LEVEL, literal(level))
        sink.add(subject, m.LABEL, literal(row.get("label") or code))
        country_iri = iri(str(mint("country", country)))
        sink.add(subject, m.IN_COUNTRY, country_iri)
        if level > 0:
            parent = row.get("parent_code") or code[:-1]
            if parent not in known:
                raise InputError(f"{path}, line {row.line}: the parent {parent} of {code} is "
                                 "not listed before it; the file is not a NUTS classification "
                                 "in hierarchical order")
            sink.add(subject, m.PARENT_REGION, region_iri(parent))
        if country not in countries:
            # Typed and labelled here too, so the graph stands on its own (shapes need both).
            countries.add(country)
            sink.add(country_iri, m.A, m.COUNTRY)
            sink.add(country_iri, m.LABEL, literal(row.get("label") or country))
            sink.add(country_iri, m.ISO_ALPHA2, literal(country))
        tally.written += 1


CHECKS = [
    Check(f"{ECOSHAPE}Region", "a region needs exactly one NUTS code, level, label and "
          "country",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus a ecograph:Region .
             OPTIONAL { ?focus ecograph:nutsCode ?c } OPTIONAL { ?focus ecograph:nutsLevel ?l }
             OPTIONAL { ?focus rdfs:label ?n }
             OPTIONAL { ?focus ecograph:inCountry ?k } } }
           GROUP BY ?focus
           HAVING (COUNT(DISTINCT ?c) != 1 || COUNT(DISTINCT ?l) != 1 || COUNT(?n) = 0
                   || COUNT(DISTINCT ?k) != 1)"""),
    Check(f"{ECOSHAPE}Region", "a region below level 0 has a parent one level up",
          """SELECT ?focus ?value WHERE { GRAPH $graph {
             ?focus a ecograph:Region ; ecograph:nutsLevel ?l .
             FILTER(?l > 0)
             OPTIONAL { ?focus ecograph:parentRegion ?value . ?value ecograph:nutsLevel ?pl }
             FILTER(!BOUND(?pl) || ?pl + 1 != ?l) } }"""),
    Check(f"{ECOSHAPE}Region", "a NUTS code matches the NUTS pattern",
          """SELECT ?focus ?value WHERE { GRAPH $graph { ?focus ecograph:nutsCode ?value .
             FILTER(!REGEX(STR(?value), "^[A-Z]{2}[A-Z0-9]{0,3}$")) } }"""),
]


@dataclass(frozen=True)
class Resolution:
    """How a NUTS code given by a source maps to a 2021 region (``code`` None: no region)."""

    code: str | None
    how: str


@dataclass
class NutsIndex:
    """The 2021 regions (code → level) and the former codes each replaced."""

    levels: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: Store) -> NutsIndex:
        """Read the regions and replaced codes from the store (empty if NUTS not imported)."""
        index = cls()
        answer = store.query(sparql_prologue() + "SELECT ?code ?level WHERE { ?r a "
                             "ecograph:Region ; ecograph:nutsCode ?code ; ecograph:nutsLevel "
                             "?level }")
        assert isinstance(answer, SelectResult)
        for code, level in answer.rows:
            index.levels[str(code)] = int(level)  # type: ignore[arg-type]
        answer = store.query(sparql_prologue() + "SELECT ?old ?new WHERE { ?r a "
                             "ecograph:Region ; ecograph:nutsCode ?new ; dcterms:replaces ?o . "
                             "?o skos:notation ?old }")
        assert isinstance(answer, SelectResult)
        for old, new in answer.rows:
            index.replaced[str(old)] = str(new)
        return index

    @property
    def countries(self) -> set[str]:
        """The NUTS country codes (level 0)."""
        return {code for code, level in self.levels.items() if level == 0}

    def resolve(self, code: str) -> Resolution:
        """Map *code* (any NUTS vintage) to a 2021 region code, saying how.

        >>> NutsIndex({"RO": 0, "RO2": 1, "RO21": 2, "RO213": 3}).resolve("RO213")
        Resolution(code='RO213', how='current')
        >>> NutsIndex({"UK": 0, "UKI": 1}).resolve("UKI11")
        Resolution(code='UKI', how='coarsened: not a NUTS 2016/2021 code')
        """
        code = code.strip().upper()
        if code in self.levels:
            return Resolution(code, "current")
        if code in self.replaced:
            return Resolution(self.replaced[code], "recoded 2016 to 2021")
        if not _CODE.match(code):
            return Resolution(None, "not a NUTS code")
        if len(code) == 2:
            return Resolution(None, "a non-NUTS country code in the NUTS column")
        for end in range(len(code) - 1, 1, -1):
            prefix = code[:end]
            if prefix in self.levels:
                return Resolution(prefix, "coarsened: not a NUTS 2016/2021 code")
        return Resolution(None, "unknown NUTS code")
