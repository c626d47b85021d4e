"""The ISO 3166 importer: countries with their alpha-2, alpha-3 and numeric codes.

Reads Debian iso-codes' ``iso_3166-1.json`` (``{"3166-1": [{alpha_2, alpha_3, numeric,
name, official_name?, common_name?}, …]}``). Each country is ``mint("country", alpha_2)``
with its codes, its name as label and the official and common names as alternatives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from ecograph.errors import InputError
from ecograph.importers import model as m
from ecograph.importers.files import gather, named
from ecograph.importers.provenance import ISO3166 as SOURCE
from ecograph.importers.run import Check, Job
from ecograph.importers.tables import open_text
from ecograph.importers.triples import iri, literal
from ecograph.iris import mint
from ecograph.namespaces import ECOSHAPE

__all__ = ["CHECKS", "EXPECTED", "SOURCE", "convert", "select"]

FILE = "iso_3166-1.json"
EXPECTED = FILE
_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")


def select(paths: Sequence[Path]) -> list[Path]:
    """The ISO 3166-1 file among *paths*."""
    return gather(paths, named(FILE))

def convert(job: Job, files: Sequence[Path]) -> None:
    """Map each ISO 3166-1 entry to a country."""
    for path in files:
        with open_text(path, job.progress) as stream:
            try:
                document = json.load(stream)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}, line {exc.lineno}, column {exc.colno}: not JSON "
                                 f"({exc.msg}); the file looks truncated or is not "
                                 "iso_3166-1.json") from exc
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte "
                                 f"{exc.start}); is this iso_3166-1.json?") from exc
            except RecursionError:
                raise InputError(f"{path}: JSON nested too deeply; this is not "
                                 "iso_3166-1.json") from None
        entries = document.get("3166-1") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise InputError(f"{path}: not an ISO 3166-1 file (no '3166-1' list)")
        seen: set[str] = set()
        for number, entry in enumerate(entries, start=1):
            job.tally.read += 1
            value = entry.get("alpha_2") if isinstance(entry, dict) else None
            code = value.upper() if isinstance(value, str) and _ALPHA2.match(value) else ""
            if not code or not entry.get("name"):
                job.tally.skip(path.name, number, "entry without alpha_2 code or name",
                               str(entry)[:100])
                continue
            if code in seen:
                job.tally.merge(path.name, number, "duplicate country code", code)
                continue
            seen.add(code)
            subject = iri(str(mint("country", code)))
            sink = job.sink
            sink.add(subject, m.A, m.COUNTRY)
            sink.add(subject, m.LABEL, literal(entry["name"], lang="en"))
            sink.add(subject, m.ISO_ALPHA2, literal(code))
            if entry.get("alpha_3"):
                sink.add(subject, m.ISO_ALPHA3, literal(str(entry["alpha_3"]).upper()))
            if entry.get("numeric"):
                sink.add(subject, m.ISO_NUMERIC, literal(str(entry["numeric"])))
            for key in ("official_name", "common_name"):
                if entry.get(key) and entry[key] != entry["name"]:
                    sink.add(subject, m.ALTERNATIVE_NAME, literal(entry[key], lang="en"))
            job.tally.written += 1


CHECKS = [
    Check(f"{ECOSHAPE}Country", "a country needs one alpha-2 code of two upper-case letters",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus a ecograph:Country .
             OPTIONAL { ?focus ecograph:isoAlpha2Code ?code } } }
             GROUP BY ?focus
             HAVING (COUNT(?code) != 1 || !REGEX(STR(SAMPLE(?code)), "^[A-Z]{2}$"))"""),
]
