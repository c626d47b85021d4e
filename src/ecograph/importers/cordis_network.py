"""The CORDIS participation-network importer: FP7 and Horizon 2020 project–organisation links.

Reads the SOD16 reshaping of CORDIS (``cordis-sod16-network``): for FP7 ``fp7_orgs.csv``
(``;``-separated, NUTS-3 codes of 2010/2013) and ``fp7_edges.tsv`` (project RCN,
organisation id); for Horizon 2020 ``h2020_unique_org.tsv``, ``h2020_projects.tsv``
(acronym, programme, dates, costs with decimal commas, coordinator by name) and
``h2020_edges.tsv``. Optionally a PIC directory (``fp7_organizations.csv`` of
``cordis-fp7-dw2018``) gives PICs to organisations the network knows only by name hash.

Each link becomes ``project ecograph:hasParticipant organisation`` — the tables give no
role beyond taking part, so no ``ecograph:Participation`` resource claims one — and the
named H2020 coordinator ``project ecograph:coordinator organisation``. Projects are keyed
by grant agreement number (H2020) or CORDIS RCN (FP7, whose grant numbers these tables
lack), so projects sharing an acronym stay distinct.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ecograph.errors import InputError
from ecograph.importers import countries as places
from ecograph.importers import model as m
from ecograph.importers import project_dates
from ecograph.importers.files import gather, named
from ecograph.importers.nuts import NutsIndex
from ecograph.importers.organisations import Directory, OrgRecord
from ecograph.importers.programmes import Programmes
from ecograph.importers.project_dates import Dates
from ecograph.importers.provenance import CORDIS_NETWORK as SOURCE
from ecograph.importers.reconcile import Matcher, seed_organisations
from ecograph.importers.run import Check, Job
from ecograph.importers.tables import (
    Seen,
    normalise_country,
    normalise_name,
    parse_decimal,
    read_rows,
)
from ecograph.importers.triples import iri, literal, parse_date
from ecograph.iris import mint
from ecograph.namespaces import ECOSHAPE

__all__ = ["CHECKS", "EXPECTED", "SOURCE", "convert", "select"]

FP7_ORGS, FP7_EDGES = "fp7_orgs.csv", "fp7_edges.tsv"
H2020_ORGS, H2020_PROJECTS, H2020_EDGES = ("h2020_unique_org.tsv", "h2020_projects.tsv",
                                            "h2020_edges.tsv")
PIC_DIRECTORY = "fp7_organizations.csv"
NAMES = (FP7_ORGS, FP7_EDGES, H2020_ORGS, H2020_PROJECTS, H2020_EDGES, PIC_DIRECTORY)
EXPECTED = f"{FP7_ORGS} + {FP7_EDGES} and/or {H2020_ORGS} + {H2020_PROJECTS} + {H2020_EDGES}"


def select(paths: Sequence[Path]) -> list[Path]:
    """The network files among *paths*; a programme's edges need its organisations."""
    def check(path: Path) -> None:
        if path.name not in NAMES:
            raise InputError(f"{path}: not a CORDIS network file; expected one of "
                             f"{', '.join(NAMES)}")

    files = gather(paths, named(*NAMES), check)
    names = {f.name for f in files}
    for edges, needs in ((FP7_EDGES, (FP7_ORGS,)), (H2020_EDGES, (H2020_ORGS, H2020_PROJECTS))):
        missing = [n for n in needs if n not in names]
        if edges in names and missing:
            raise InputError(f"{edges} needs {', '.join(missing)} beside it")
    if files and not names & {FP7_EDGES, H2020_EDGES}:
        raise InputError(f"no edge file ({FP7_EDGES} or {H2020_EDGES}) among "
                         f"{', '.join(sorted(names))}")
    return files


def _by_name(files: Sequence[Path]) -> dict[str, Path]:
    return {f.name: f for f in files}


def convert(job: Job, files: Sequence[Path]) -> None:
    """Map the network files to organisations, projects and participations."""
    named = _by_name(files)
    nuts = NutsIndex.from_store(job.store)
    if not nuts.levels:
        raise InputError("the store holds no NUTS regions; run 'ecograph import nuts' first "
                         "so organisations can be placed in their regions")
    directory = Directory(job.tally)
    if FP7_ORGS in named:
        _fp7_orgs(job, named[FP7_ORGS], directory)
    if H2020_ORGS in named:
        _h2020_orgs(job, named[H2020_ORGS], directory)
    if PIC_DIRECTORY in named:
        _give_pics(directory, _pic_directory(job, named[PIC_DIRECTORY]))
    directory.assign_pics()
    seeds = seed_organisations(job.store)
    matcher = Matcher(seeds)
    accepted = directory.reconcile(matcher)
    matcher.write_csv(job.log_dir / "matches-cordis-network.csv", "cordis-network")
    job.notes.append(f"reconciled {accepted} CORDIS records with {len(seeds)} seed "
                     f"organisations (see {job.log_dir / 'matches-cordis-network.csv'})")
    countries = places.Countries.known(job.store)
    directory.write(job.sink, nuts, {s.iri for s in seeds}, countries)
    countries.declare(job.sink)
    seen = Seen()
    programmes = Programmes(job.sink)
    if FP7_EDGES in named:
        fp7 = programmes.framework("FP7")
        for rcn, org_id, row_line in _edges(job, named[FP7_EDGES]):
            org = directory.iris.get(org_id)
            if org is None:
                job.tally.skip(FP7_EDGES, row_line, "organisation id not in fp7_orgs.csv", org_id)
                continue
            project = iri(str(mint("project", f"fp7-rcn-{rcn}")))
            if seen.add("p", project):
                job.sink.add(project, m.A, m.PROJECT)
                job.sink.add(project, m.LABEL,
                             literal(f"FP7 project (CORDIS RCN {rcn})", lang="en"))
                job.sink.add(project, m.FUNDED_BY, fp7)
                job.tally.written += 1
            if not seen.add("e", project, org):
                job.tally.merge(FP7_EDGES, row_line, "duplicate participation row",
                                f"{rcn}\t{org_id}")
                continue
            job.sink.add(project, m.HAS_PARTICIPANT, iri(org))
    if H2020_EDGES in named:
        projects = _h2020_projects(job, named[H2020_PROJECTS], programmes)
        for rcn, org_id, row_line in _edges(job, named[H2020_EDGES]):
            org = directory.iris.get(org_id)
            found = projects.get(rcn)
            if org is None or found is None:
                what = "organisation id not in h2020_unique_org.tsv" if org is None else \
                    "project RCN not in h2020_projects.tsv"
                job.tally.skip(H2020_EDGES, row_line, what, f"{rcn}\t{org_id}")
                continue
            project, coordinator = found
            if not seen.add("e", project, org):
                job.tally.merge(H2020_EDGES, row_line, "duplicate participation row",
                                f"{rcn}\t{org_id}")
                continue
            job.sink.add(project, m.HAS_PARTICIPANT, iri(org))
            record = directory.records[org_id]
            if coordinator and coordinator == (normalise_name(record.name), record.country) \
                    and seen.add("c", project):
                job.sink.add(project, m.COORDINATOR, iri(org))


def _give_pics(directory: Directory, pic_names: dict[tuple[str, str | None], str]) -> None:
    """Records known only by name hash take the PIC the PIC directory gives their name."""
    for record in list(directory.records.values()):
        if record.pic is None:
            pic = pic_names.get((normalise_name(record.name), record.country))
            if pic is not None and pic not in directory.records:
                directory.records[pic] = OrgRecord(pic, record.name, record.country,
                                                   PIC_DIRECTORY, 0)


def _fp7_orgs(job: Job, path: Path, directory: Directory) -> None:
    for row in read_rows(path, delimiter=";", kind="CORDIS FP7 organisation table",
                         required=("new_org_id", "name", "country", "REGION_Level_NUTS_3"),
                         free_text="name", tally=job.tally, progress=job.progress):
        directory.add(OrgRecord(row.get("new_org_id").lower(), row.get("name"),
                                normalise_country(row.get("country")), path.name, row.line,
                                short_name=row.get("shortName"), url=row.get("organizationUrl"),
                                city=row.get("city"), nuts=row.get("REGION_Level_NUTS_3")))


def _h2020_orgs(job: Job, path: Path, directory: Directory) -> None:
    for row in read_rows(path, delimiter="\t", kind="CORDIS H2020 organisation table",
                         required=("new_org_id", "name", "shortName", "country"),
                         free_text="name", tally=job.tally, progress=job.progress):
        directory.add(OrgRecord(row.get("new_org_id").lower(), row.get("name"),
                                normalise_country(row.get("country")), path.name, row.line,
                                short_name=row.get("shortName")))


def _pic_directory(job: Job, path: Path) -> dict[tuple[str, str | None], str]:
    names: dict[tuple[str, str | None], str] = {}
    for row in read_rows(path, delimiter=",", kind="CORDIS FP7 organisation directory",
                         required=("organisationID(PIC)", "country", "name"), tally=job.tally,
                         progress=job.progress):
        pic = row.get("organisationID(PIC)")
        if pic.isdigit() and len(pic) == 9:
            names.setdefault((normalise_name(row.get("name")),
                              normalise_country(row.get("country"))), pic)
    return names


def _edges(job: Job, path: Path):
    for row in read_rows(path, delimiter="\t", kind="CORDIS participation edge list",
                         required=("projectRcn", "new_org_id"), tally=job.tally,
                         progress=job.progress):
        rcn, org_id = row.get("projectRcn"), row.get("new_org_id").lower()
        if not rcn.isdigit():
            job.tally.skip(path.name, row.line, "project RCN is not a number", rcn)
            continue
        yield rcn, org_id, row.line


def _h2020_projects(job: Job, path: Path, programmes: Programmes,
                    ) -> dict[str, tuple[str, tuple[str, str | None] | None]]:
    """Write the H2020 projects; return RCN → (project term, coordinator name and country)."""
    projects: dict[str, tuple[str, tuple[str, str | None] | None]] = {}
    dates: dict[str, tuple[str, Dates]] = {}  # grant number -> project, dates kept
    sink, tally = job.sink, job.tally
    for row in read_rows(path, delimiter="\t", kind="CORDIS H2020 project table",
                         required=("rcn", "reference", "acronym", "programme", "startDate",
                                   "endDate", "coordinator", "coordinatorCountry"),
                         tally=tally, progress=job.progress):
        rcn, reference = row.get("rcn"), row.get("reference")
        if not rcn.isdigit() or not reference.isdigit():
            tally.skip(path.name, row.line, "project without RCN or grant number", rcn)
            continue
        if rcn in projects:
            tally.merge(path.name, row.line, "duplicate project row", rcn)
            continue
        project = iri(str(mint("project", f"cordis-{reference}")))
        record = Dates(int(rcn), parse_date(row.get("startDate")),
                       parse_date(row.get("endDate")), path.name, row.line)
        known = dates[reference][1] if reference in dates else None
        dates[reference] = (project, project_dates.newest(known, record))
        if known is not None:
            tally.merge(path.name, row.line, "another record of the same grant (one project)",
                        f"RCN {known.rcn} and {rcn}: grant {reference}")
            if project_dates.conflict(known, record):
                tally.repair(path.name, row.line, "the records of one grant give different "
                             "dates (the newest record's kept)",
                             f"grant {reference}: {known.text()}; {record.text()}")
        acronym = row.get("acronym") or f"H2020 project {reference}"
        sink.add(project, m.A, m.PROJECT)
        sink.add(project, m.LABEL, literal(acronym))
        if row.get("acronym"):
            sink.add(project, m.ACRONYM, literal(row.get("acronym")))
        sink.add(project, m.CORDIS_PROJECT_ID, literal(reference))
        codes = [c.strip() for c in row.get("programme").split(";") if c.strip()]
        for code in codes:
            sink.add(project, m.FUNDED_BY, programmes.part(code, fallback="H2020"))
        if not codes:
            sink.add(project, m.FUNDED_BY, programmes.framework("H2020"))
        for column in ("totalCost", "ecMaxContribution"):
            if row.get(column) and parse_decimal(row.get(column)) is None:
                tally.repair(path.name, row.line, f"{column} is not a number", row.get(column))
        if row.get("topics"):
            sink.add(project, m.CALL_TOPIC, literal(row.get("topics")))
        coordinator = (normalise_name(row.get("coordinator")),
                       normalise_country(row.get("coordinatorCountry"))) \
            if row.get("coordinator") else None
        projects[rcn] = (project, coordinator)
        if known is None:
            tally.written += 1
    for project, kept in dates.values():
        project_dates.write(sink, tally, project, kept)
    return projects


CHECKS = [
    Check(f"{ECOSHAPE}Initiative", "a project needs a label and a funding programme",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus a ecograph:Project .
             FILTER NOT EXISTS { ?focus rdfs:label ?l
                                 ; ecograph:fundedBy ?p }
             } } LIMIT 100"""),
    Check(f"{ECOSHAPE}Initiative", "a project has at most one coordinator",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus ecograph:coordinator ?c } }
             GROUP BY ?focus HAVING (COUNT(DISTINCT ?c) > 1)"""),
    Check(f"{ECOSHAPE}Initiative", "a project has a participant that is an organisation",
          """SELECT ?focus ?value WHERE { GRAPH $graph { ?focus ecograph:hasParticipant ?value .
             FILTER NOT EXISTS { ?value a ?t } } } LIMIT 100"""),
    Check(f"{ECOSHAPE}Identified", "an organisation needs a label or legal name",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus a ecograph:Organisation .
             FILTER NOT EXISTS { ?focus rdfs:label|ecograph:legalName ?l } } }
             LIMIT 100"""),
    Check(f"{ECOSHAPE}Identified", "a CORDIS PIC has nine digits",
          """SELECT ?focus ?value WHERE { GRAPH $graph { ?focus ecograph:cordisPic ?value .
             FILTER(!REGEX(STR(?value), "^[0-9]{9}$")) } } LIMIT 100"""),
    *places.CHECKS,
    *project_dates.CHECKS,
]
