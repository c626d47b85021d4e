"""One start date and one end date per project, however many records the source has.

CORDIS sometimes lists one grant under two record numbers (RCN) with different dates:
H2020 grant 656579 (POTENTIATE) ends on 2017-06-01 in RCN 196900 and on 2017-05-31 in
RCN 199051; grant 657115 likewise. The shapes allow one date of each kind
(``ecoshape:Dated-startDate``, ``ecoshape:Dated-endDate``). The rule: **the newest
record gives both dates** — the higher RCN, since CORDIS numbers records in the order it
registers them, so a later record is a correction of an earlier one (for 656579, a
24-month fellowship from 2015-06-01, the newer 2017-05-31 is also the consistent end).
Each conflict is a ``repaired`` line of the import log with both records' dates. An end
before the start is dropped and logged (``ecoshape:DateOrder``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ecograph.importers import model as m
from ecograph.importers.run import Check
from ecograph.importers.tables import Tally
from ecograph.importers.triples import TripleSink, literal
from ecograph.namespaces import ECOSHAPE


@dataclass(frozen=True)
class Dates:
    """The dates one record gives a project, and where the record is."""

    rcn: int
    start: dt.date | None
    end: dt.date | None
    source: str
    line: int

    def text(self) -> str:
        return f"RCN {self.rcn}: {self.start or '-'} to {self.end or '-'}"


def newest(known: Dates | None, record: Dates) -> Dates:
    """The dates to keep once *record* is read after *known*: the higher RCN's.

    >>> a = Dates(196900, dt.date(2015, 6, 1), dt.date(2017, 6, 1), "h2020_projects.tsv", 3)
    >>> b = Dates(199051, dt.date(2015, 6, 1), dt.date(2017, 5, 31), "h2020_projects.tsv", 5)
    >>> newest(a, b) == newest(b, a) == b
    True
    """
    if known is None or record.rcn > known.rcn:
        return record
    return known


def conflict(known: Dates | None, record: Dates) -> bool:
    """True when two records of one project give different dates."""
    return known is not None and (known.start, known.end) != (record.start, record.end)


def write(sink: TripleSink, tally: Tally, project: str, dates: Dates) -> None:
    """Write the kept dates of *project*; an end before the start is dropped and logged."""
    start, end = dates.start, dates.end
    if start:
        sink.add(project, m.START_DATE, literal(start))
    if end and (start is None or end >= start):
        sink.add(project, m.END_DATE, literal(end))
    elif end:
        tally.repair(dates.source, dates.line, "end date before start date (end dropped)",
                     f"{start} {end}")


CHECKS = [
    Check(f"{ECOSHAPE}Dated-startDate", "a project has at most one start date",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus ecograph:startDate ?d } }
             GROUP BY ?focus HAVING (COUNT(DISTINCT ?d) > 1) LIMIT 100"""),
    Check(f"{ECOSHAPE}Dated-endDate", "a project has at most one end date",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus ecograph:endDate ?d } }
             GROUP BY ?focus HAVING (COUNT(DISTINCT ?d) > 1) LIMIT 100"""),
    Check(f"{ECOSHAPE}DateOrder", "an end date is never before the start date",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus ecograph:startDate ?s
             ; ecograph:endDate ?e . FILTER(DATATYPE(?s) = DATATYPE(?e) && STR(?e) < STR(?s)) }
             } LIMIT 100"""),
]
