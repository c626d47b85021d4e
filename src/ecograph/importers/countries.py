"""The countries an import refers to, declared in the import's own graph.

Organisations point to their country (``ecograph:country``), and the shapes require that
to be an ``ecograph:Country`` (``ecoshape:Located-country``). An import must not depend on
``ecograph import iso3166`` having run before it, so every country a graph refers to is
declared in that graph itself — typed, with its alpha-2 code and its name — as the NUTS
importer declares the countries of its regions. Names come from, first found:

1. the ISO 3166-1 table shipped with the project, ``data/sources/iso-3166.ttl`` (all
   countries of Debian iso-codes, written by ``ecograph import iso3166``);
2. the countries already declared in the store (``import iso3166``, ``cordis-reference``
   or the user's own data);
3. :data:`USER_ASSIGNED`: ``XK``, Kosovo, the user-assigned code the European Commission
   (CORDIS, Eurostat) and ROR use, which ISO 3166-1 does not list.

A code found nowhere refuses the import (``InputError``): the message names every such
code with the first file and line using it, and how to declare it. Nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ecograph.config import project_dir
from ecograph.errors import InputError
from ecograph.importers import model as m
from ecograph.importers.run import Check
from ecograph.importers.triples import TripleSink, iri, literal
from ecograph.iris import mint
from ecograph.namespaces import ECOGRAPH, ECOSHAPE, sparql_prologue
from ecograph.store.base import SelectResult, Store

#: The project's ISO 3166-1 table, relative to the project folder.
TABLE = Path("data") / "sources" / "iso-3166.ttl"
#: Codes in use in European data that ISO 3166-1 does not list: code → English name.
USER_ASSIGNED = {"XK": "Kosovo"}
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

CHECKS = [
    Check(f"{ECOSHAPE}Located-country", "ecograph:country must point to an ecograph:Country "
          "declared in the imported graph",
          """SELECT ?focus ?value WHERE { GRAPH $graph { ?focus ecograph:country ?value .
             FILTER NOT EXISTS { ?value a ecograph:Country ; ecograph:isoAlpha2Code ?code
                                 ; rdfs:label ?name } } } LIMIT 100"""),
    Check(f"{ECOSHAPE}Located-country", "an organisation has at most one country",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus ecograph:country ?c } }
             GROUP BY ?focus HAVING (COUNT(DISTINCT ?c) > 1) LIMIT 100"""),
]


def read_table(path: Path) -> dict[str, str]:
    """The alpha-2 codes of the countries in the Turtle file at *path*, with their names.

    Names are N-Triples literals, the English label preferred; no file gives no countries.
    """
    if not path.is_file():
        return {}
    country = ox.NamedNode(str(ECOGRAPH.Country))
    alpha2 = ox.NamedNode(str(ECOGRAPH.isoAlpha2Code))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    typed = {q.subject for q in quads if q.predicate == rdf_type and q.object == country}
    codes = {q.subject: q.object.value for q in quads
             if q.predicate == alpha2 and q.subject in typed}
    names: dict[str, str] = {}
    for q in quads:
        if q.subject in codes and q.predicate.value == _RDFS_LABEL \
                and isinstance(q.object, ox.Literal):
            code = codes[q.subject]
            if q.object.language == "en" or code not in names:
                names[code] = literal(q.object.value, lang=q.object.language)
    return names


def declared_in(store: Store) -> dict[str, str]:
    """The countries declared anywhere in *store*, by alpha-2 code, with a name each."""
    answer = store.query(sparql_prologue() + """SELECT ?code (SAMPLE(?name) AS ?label) WHERE {
        ?c a ecograph:Country ; ecograph:isoAlpha2Code ?code ; rdfs:label ?name .
        FILTER(LANG(?name) IN ("en", "")) } GROUP BY ?code""")
    assert isinstance(answer, SelectResult)
    return {str(code): literal(str(label), lang=getattr(label, "language", None))
            for code, label in answer.rows}


@dataclass
class Countries:
    """The countries an import may refer to, and those it has referred to so far."""

    names: dict[str, str]  # alpha-2 code -> its name as an N-Triples literal
    used: dict[str, str] = field(default_factory=dict)

    @classmethod
    def known(cls, store: Store, table: Path | None = None) -> Countries:
        """The bundled ISO table's countries, then the store's, then :data:`USER_ASSIGNED`."""
        names = {code: literal(name, lang="en") for code, name in USER_ASSIGNED.items()}
        names.update(declared_in(store))
        names.update(read_table(table if table is not None else project_dir() / TABLE))
        return cls(names)

    def refer(self, code: str, source: str, line: int) -> str:
        """The N-Triples term of the country *code*; remembered to be declared later.

        >>> Countries({"RO": '"Romania"@en'}).refer("RO", "fp7_orgs.csv", 2)
        '<https://w3id.org/ecograph/id/country/RO>'
        """
        self.used.setdefault(code, f"{source}, line {line}")
        return iri(str(mint("country", code)))

    def declare(self, sink: TripleSink) -> int:
        """Declare every country referred to in *sink*'s graph; return how many.

        Raises ``InputError`` naming the codes that no table knows, and writes nothing then.
        """
        missing = sorted(code for code in self.used if code not in self.names)
        if missing:
            where = "; ".join(f"{code} (first in {self.used[code]})" for code in missing)
            raise InputError(
                f"unknown country code{'s' if len(missing) > 1 else ''} {where}: not in the "
                f"ISO 3166-1 table {TABLE} nor declared in the store. Correct the country "
                "column, or declare the countries first: 'ecograph import iso3166 "
                "iso_3166-1.json', 'ecograph import cordis-reference cordisref-countries.csv' "
                "or 'ecograph load' a file with ecograph:Country resources.")
        for code in sorted(self.used):
            subject = iri(str(mint("country", code)))
            sink.add(subject, m.A, m.COUNTRY)
            sink.add(subject, m.ISO_ALPHA2, literal(code))
            sink.add(subject, m.LABEL, self.names[code])
        return len(self.used)
