"""Provenance of an imported source: who published it, under which licence, which files, when.

Every import writes, into the source's own named graph, a description of that graph
(an ``ecograph:SourceGraph``) derived from the published dataset (an
``ecograph:SourceDocument`` with title, publisher, licence, URL and issue date), the
files it was read from and when it was imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from ecograph.importers import model as m
from ecograph.importers.triples import TripleSink, iri, literal
from ecograph.iris import mint

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
LGPL = "https://spdx.org/licenses/LGPL-2.1-or-later.html"


@dataclass(frozen=True)
class SourceInfo:
    """What is known about a published dataset, as its SOURCE.md tells it."""

    key: str
    title: str
    publisher: str  # the IRI key of the publishing organisation
    licence: str
    url: str
    issued: dt.date | None
    graph: str = ""
    derived_from: str | None = None

    @property
    def document(self) -> URIRef:
        """The IRI of the dataset as a source document."""
        return mint("source", self.key)


def describe(sink: TripleSink, info: SourceInfo, files: Sequence[Path],
             imported: dt.datetime | None = None) -> None:
    """Write the provenance of *sink*'s graph: its source document and the files read."""
    graph = iri(str(sink.graph))
    document = iri(str(info.document))
    when = imported or dt.datetime.now(dt.UTC).replace(microsecond=0)
    sink.add(graph, m.A, m.SOURCE_GRAPH)
    sink.add(graph, m.TITLE, literal(f"{info.title} (imported)", lang="en"))
    sink.add(graph, m.DERIVED_FROM, document)
    sink.add(graph, m.GENERATED_AT, literal(when))
    for path in files:
        sink.add(graph, m.SOURCE, literal(path.name))
    sink.add(document, m.A, m.SOURCE_DOCUMENT)
    sink.add(document, m.LABEL, literal(info.title, lang="en"))
    sink.add(document, m.TITLE, literal(info.title, lang="en"))
    sink.add(document, m.PUBLISHER, iri(str(mint("organisation", info.publisher))))
    sink.add(document, m.LICENSE, iri(info.licence))
    sink.add(document, m.URL, iri(info.url))
    if info.issued is not None:
        sink.add(document, m.ISSUED, literal(info.issued))
    if info.derived_from:
        sink.add(document, m.DERIVED_FROM, iri(info.derived_from))


CORDIS_NETWORK = SourceInfo(
    key="cordis-fp7-h2020-network-2018",
    title="CORDIS FP7 and Horizon 2020 (2014-2017) project-organisation networks",
    publisher="publications-office",
    licence="https://opensource.org/licenses/MIT",
    url="https://github.com/spaghetti-open-data/eu-research-funding-network/tree/"
        "513d2cf1fddc2910a41a45e7b46499b95981c1df",
    issued=dt.date(2018, 2, 1),
    graph="cordis-network",
)
CORDIS_REFERENCE = SourceInfo(
    key="cordis-reference-2018",
    title="CORDIS reference data: countries, programmes, funding schemes, activity types",
    publisher="publications-office",
    licence=CC_BY,
    url="https://github.com/GB1609/Data_Warehousing--CORDIS-dataset/tree/"
        "368ae08c2f06468c226e0bff073352df60f9fda1",
    issued=dt.date(2018, 7, 8),
    graph="cordis-reference",
)
NUTS = SourceInfo(
    key="eurostat-nuts-2021",
    title="NUTS 2021 classification and NUTS 2016-2021 changes",
    publisher="eurostat",
    licence="http://data.europa.eu/eli/dec/2011/833/oj",
    url="https://github.com/Hankintailmoitukset/hilma-api/tree/"
        "05902220f5fa4e52f3a4a1618fe4928ba13a30ca",
    issued=dt.date(2020, 3, 24),
    graph="nuts-2021",
)
ISO3166 = SourceInfo(
    key="iso-codes-4-15",
    title="ISO 3166-1 country codes (Debian iso-codes 4.15)",
    publisher="iso-codes-project",
    licence=LGPL,
    url="https://salsa.debian.org/iso-codes-team/iso-codes",
    issued=dt.date(2023, 4, 27),
    graph="iso-3166",
)
ROR = SourceInfo(
    key="ror-europe-2026-06-23",
    title="Research Organization Registry: European records",
    publisher="ror",
    licence=CC0,
    url="https://github.com/ror-community/ror-records/tree/"
        "d93fc667872f8ef9386896bd6c68bd3c6103603e",
    issued=dt.date(2026, 6, 23),
    graph="ror-europe",
)
CORDIS_HORIZON = SourceInfo(
    key="cordis-horizon-europe-2025-02",
    title="CORDIS Horizon Europe (2021-2027) projects and organisations (sample)",
    publisher="publications-office",
    licence=CC_BY,
    url="https://github.com/VoteVeto2/MDA_project/tree/"
        "58a27c712c127a600f777266b5e822bbf9f6d856",
    issued=dt.date(2025, 2, 24),
    graph="cordis-horizon-europe",
)
