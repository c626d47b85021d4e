"""Identity: one resource per real organisation, and explainable matches with the seed's.

Registries name the same organisation differently ("UNIVERSITATEA DE MEDICINA SI FARMACIE
GR T POPA IASI", "Grigore T. Popa University of Medicine and Pharmacy"). Matching here
is a small, explainable step, never a silent merge:

* **identifiers first** — the same CORDIS PIC or ROR id is a match with score 1.0;
* **names otherwise** — candidates are only records of the same country; names are
  reduced to word stems (diacritics, punctuation and filler words dropped, a short
  glossary turning Romanian, Polish, Bulgarian, Italian, Catalan, Spanish and German
  organisation words into English ones) and compared by a Dice coefficient weighted by how
  rare each word is among the candidates; the same city adds :data:`CITY_BONUS`;
* **decisions** — a record is *accepted* (it takes the seed organisation's IRI) when its
  score reaches :data:`ACCEPT` and no other seed organisation scores within
  :data:`MARGIN` of it (else *ambiguous*); *review* rows (score ≥ :data:`REVIEW`) are
  listed but not merged.

Every candidate at or above :data:`REVIEW` is written to a CSV (seed organisation,
record, score, name score, evidence, decision) for curators to check.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ecograph.graphs import source_graph
from ecograph.iris import slugify
from ecograph.namespaces import ECOGRAPH, ID
from ecograph.store.base import SelectResult, Store

ACCEPT = 0.72
REVIEW = 0.45
MARGIN = 0.08
CITY_BONUS = 0.1

#: Organisation words of European languages → an English stem (explainable, reviewable).
GLOSSARY = {
    "universitatea": "university", "universitet": "university", "universita": "university",
    "universitat": "university", "universidad": "university", "universite": "university",
    "uniwersytet": "university", "universitaet": "university", "univ": "university",
    "tehnica": "technical", "technische": "technical", "tecnica": "technical",
    "medicina": "medicine", "medical": "medicine", "farmacie": "pharmacy",
    "institutul": "institute", "istituto": "institute", "instituto": "institute",
    "institut": "institute", "chimie": "chemistry", "macromoleculara": "macromolecular",
    "spitalul": "hospital", "spitatul": "hospital", "ospedale": "hospital",
    "judetean": "county", "urgenta": "emergency", "clinic": "clinical",
    "agentia": "agency", "dezvoltare": "development", "regionala": "regional",
    "centrum": "centre", "center": "centre", "centro": "centre", "narodowe": "national",
    "badan": "research", "jadrowych": "nuclear", "sofiiski": "sofia", "sofiyski": "sofia",
    "fundacio": "foundation", "fundacion": "foundation", "fondazione": "foundation",
    "ricerca": "research", "cercetare": "research", "nord": "north", "est": "east",
    "sveti": "st", "saint": "st", "sf": "st", "gr": "grigore",
}
STOPWORDS = frozenset({
    "de", "si", "of", "and", "the", "din", "pentru", "a", "di", "del", "della", "la", "le",
    "et", "und", "der", "die", "des", "du", "y", "i", "im", "in", "for", "per", "e",
    "srl", "sa", "spa", "s", "p", "gmbh", "ltd", "limited", "ag", "sl", "bv", "nv", "ead",
    "privada", "fundatia",
})


@functools.lru_cache(maxsize=1 << 16)
def stems(name: str) -> frozenset[str]:
    """The word stems of an organisation name used for matching.

    >>> sorted(stems("Universitatea de Medicină și Farmacie „Grigore T. Popa” Iași"))
    ['grigore', 'iasi', 'medicine', 'pharmacy', 'popa', 't', 'university']
    """
    words = slugify(name).split("-")
    result = set()
    for word in words:
        if not word or word in STOPWORDS:
            continue
        result.add(GLOSSARY.get(word, word))
    return frozenset(result)


@dataclass
class SeedOrganisation:
    """An organisation of the curated seed, with every name and identifier it has."""

    iri: str
    names: set[str] = field(default_factory=set)
    country: str | None = None
    city: str | None = None
    pics: set[str] = field(default_factory=set)
    rors: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Record:
    """An organisation record of an imported source, as far as matching needs it."""

    source_id: str
    names: tuple[str, ...]
    country: str | None
    city: str = ""
    pic: str | None = None
    ror: str | None = None


@dataclass(frozen=True)
class Match:
    """One scored pairing of a seed organisation and a record, with its decision."""

    seed: SeedOrganisation
    record: Record
    score: float
    name_score: float
    evidence: str
    decision: str = "review"


#: The graphs that importers write organisations into (never the seed).
IMPORT_GRAPHS = ("cordis-network", "ror-europe", "cordis-horizon-europe")
_IMPORTED_KEY = re.compile(r"^(pic|cordis|ror|fp7|h2020)-")


def seed_organisations(store: Store) -> list[SeedOrganisation]:
    """The curated organisations in *store*: those whose IRI was not minted by an importer."""
    imported = ", ".join(f"<{source_graph(name)}>" for name in IMPORT_GRAPHS)
    answer = store.query(f"""
        PREFIX ecograph: <{ECOGRAPH}>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX schema: <http://schema.org/>
        SELECT ?org ?name ?country ?pic ?ror ?city WHERE {{
          {{ SELECT DISTINCT ?org WHERE {{
          GRAPH ?g {{ ?org a ?type }}
          FILTER(?g NOT IN ({imported}))
          FILTER(STRSTARTS(STR(?org), "{ID}organisation/"))
          FILTER(!REGEX(STR(?org), "/organisation/(pic|cordis|ror|fp7|h2020)-"))
          FILTER(?type IN (ecograph:Organisation, ecograph:Company, ecograph:SME,
            ecograph:Startup, ecograph:University, ecograph:ResearchOrganisation,
            ecograph:HealthcareProvider, ecograph:Hospital, ecograph:Association,
            ecograph:PatientsAssociation, ecograph:PublicAuthority,
            ecograph:RegionalDevelopmentAgency, ecograph:Facilitator, ecograph:Cluster)) }} }}
          OPTIONAL {{ ?org rdfs:label|ecograph:legalName|ecograph:alternativeName
                          |ecograph:acronym|skos:altLabel|schema:name ?name }}
          OPTIONAL {{ ?org ecograph:country/ecograph:isoAlpha2Code ?country }}
          OPTIONAL {{ ?org ecograph:country ?countryIri }}
          OPTIONAL {{ ?org ecograph:cordisPic ?pic }}
          OPTIONAL {{ ?org ecograph:rorId ?ror }}
          OPTIONAL {{ ?org ecograph:locatedIn ?place . ?place rdfs:label ?city .
                      FILTER NOT EXISTS {{ ?place a ecograph:Region }} }}
        }}""")
    assert isinstance(answer, SelectResult)
    found: dict[str, SeedOrganisation] = {}
    for org, name, country, pic, ror, city in answer.rows:
        key = str(org).rsplit("/", 1)[-1]
        if _IMPORTED_KEY.match(key):
            continue
        seed = found.setdefault(str(org), SeedOrganisation(str(org)))
        if name is not None:
            seed.names.add(str(name))
        if country is not None:
            seed.country = str(country)
        if pic is not None:
            seed.pics.add(str(pic))
        if ror is not None:
            seed.rors.add(str(ror))
        if city is not None and seed.city is None:
            seed.city = str(city)
    for seed in found.values():
        if seed.country is None:
            seed.country = _country_from_iri(store, seed.iri)
    return sorted(found.values(), key=lambda s: s.iri)


def _country_from_iri(store: Store, org: str) -> str | None:
    answer = store.query(f"""SELECT ?c WHERE {{ <{org}> <{ECOGRAPH}country>|<{ECOGRAPH}locatedIn>/
        (<{ECOGRAPH}locatedIn>|<{ECOGRAPH}parentRegion>)*/<{ECOGRAPH}inCountry> ?c }} LIMIT 1""")
    assert isinstance(answer, SelectResult)
    if answer.rows and answer.rows[0][0] is not None:
        return str(answer.rows[0][0]).rsplit("/", 1)[-1]
    return None


class Matcher:
    """Scores records against the seed's organisations; collects matches and decisions."""

    def __init__(self, seeds: Iterable[SeedOrganisation]) -> None:
        self.seeds = [s for s in seeds if s.names]
        self._by_pic = {p: s for s in self.seeds for p in s.pics}
        self._by_ror = {r: s for s in self.seeds for r in s.rors}
        self._countries = {s.country for s in self.seeds if s.country}
        self._candidates: list[Record] = []
        self.matches: list[Match] = []

    def wants(self, country: str | None) -> bool:
        """Whether records of *country* can match any seed organisation (blocking)."""
        return country in self._countries

    def offer(self, record: Record) -> None:
        """Consider *record* (cheap: kept only if an identifier or the country can match)."""
        known_id = (record.pic in self._by_pic) or (record.ror in self._by_ror)
        if known_id or self.wants(record.country):
            self._candidates.append(record)

    def decide(self) -> dict[str, str]:
        """Score every candidate; return source id → seed IRI for the accepted records."""
        document_frequency: Counter[str] = Counter()
        for record in self._candidates:
            for word in set().union(*(stems(n) for n in record.names)):
                document_frequency[word] += 1
        total = max(len(self._candidates), 1)

        def weight(word: str) -> float:
            return math.log(1 + total / (1 + document_frequency[word]))

        accepted: dict[str, str] = {}
        for record in self._candidates:
            seeds = [s for s in self.seeds if s.country == record.country
                     or (record.pic and record.pic in s.pics)
                     or (record.ror and record.ror in s.rors)]
            scored = sorted((self._score(seed, record, weight) for seed in seeds),
                            key=lambda m: -m.score)
            scored = [m for m in scored if m.score >= REVIEW]
            if not scored:
                continue
            best = scored[0]
            rival = scored[1].score if len(scored) > 1 else 0.0
            for match in scored:
                decision = "review"
                if match is best and match.score >= ACCEPT:
                    decision = "accepted" if best.score - rival >= MARGIN else "ambiguous"
                self.matches.append(Match(match.seed, record, match.score, match.name_score,
                                          match.evidence, decision))
                if decision == "accepted":
                    accepted[record.source_id] = match.seed.iri
        return accepted

    def _score(self, seed: SeedOrganisation, record: Record, weight: object) -> Match:
        if record.pic and record.pic in seed.pics:
            return Match(seed, record, 1.0, 1.0, f"same CORDIS PIC {record.pic}")
        if record.ror and record.ror in seed.rors:
            return Match(seed, record, 1.0, 1.0, f"same ROR id {record.ror}")
        if record.ror and seed.rors:
            return Match(seed, record, 0.0, 0.0, "the seed organisation has another ROR id")
        if seed.country != record.country:
            return Match(seed, record, 0.0, 0.0, "different country")
        best, pair = 0.0, ("", "")
        for seed_name in seed.names:
            a = stems(seed_name)
            for name in record.names:
                b = stems(name)
                shared = sum(weight(w) for w in a & b)  # type: ignore[operator]
                size = sum(weight(w) for w in a) + sum(weight(w) for w in b)  # type: ignore[operator]
                score = 2 * shared / size if size else 0.0
                if score > best:
                    best, pair = score, (seed_name, name)
        city = bool(seed.city and record.city and slugify(seed.city) == slugify(record.city))
        score = min(1.0, best + (CITY_BONUS if city and best > 0 else 0.0))
        evidence = f"names {pair[0]!r} ~ {pair[1]!r}; same country {record.country}"
        if city:
            evidence += f"; same city {record.city}"
        return Match(seed, record, round(score, 3), round(best, 3), evidence)

    def write_csv(self, path: Path, source: str) -> None:
        """Write every scored pairing to *path* (best first), for review."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["seed_organisation", "source", "record_id", "record_name",
                             "country", "score", "name_score", "decision", "evidence"])
            for match in sorted(self.matches, key=lambda m: (m.seed.iri, -m.score)):
                writer.writerow([match.seed.iri, source, match.record.source_id,
                                 match.record.names[0] if match.record.names else "",
                                 match.record.country or "", f"{match.score:.3f}",
                                 f"{match.name_score:.3f}", match.decision, match.evidence])
