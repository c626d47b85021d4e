"""The Horizon Europe importer: CORDIS organisation and project tables in their official format.

Reads ``project*.csv`` (id, acronym, title, startDate, endDate, legalBasis, topics, …) and
``organization*.csv`` (projectID, organisationID = PIC, name, shortName, activityType,
SME, city, country, nutsCode — NUTS 2021 —, role, order, …). Unlike the network tables
these give each participation's role, so each becomes an ``ecograph:Participation``
(organisation, project, role: coordinator, partner, or participant for third parties and
associated partners) next to its ``hasParticipant``/``coordinator`` shortcut. A project
already in the store with the same CORDIS grant number (the seed's) keeps its IRI.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ecograph.errors import InputError
from ecograph.importers import countries as places
from ecograph.importers import model as m
from ecograph.importers import project_dates
from ecograph.importers.files import gather
from ecograph.importers.nuts import NutsIndex
from ecograph.importers.organisations import Directory, OrgRecord
from ecograph.importers.programmes import Programmes
from ecograph.importers.provenance import CORDIS_HORIZON as SOURCE
from ecograph.importers.reconcile import Matcher, seed_organisations
from ecograph.importers.run import Check, Job
from ecograph.importers.tables import Seen, normalise_country, read_rows
from ecograph.importers.triples import iri, literal, parse_date
from ecograph.iris import mint
from ecograph.namespaces import sparql_prologue
from ecograph.store.base import SelectResult, Store

__all__ = ["CHECKS", "EXPECTED", "SOURCE", "convert", "select"]

EXPECTED = "project*.csv and organization*.csv (CORDIS Horizon Europe, ',' separated)"
ROLES = {"coordinator": m.ROLE_COORDINATOR, "participant": m.ROLE_PARTNER,
         "partner": m.ROLE_PARTNER, "thirdparty": m.ROLE_PARTICIPANT,
         "associatedpartner": m.ROLE_PARTICIPANT}


def select(paths: Sequence[Path]) -> list[Path]:
    """The project and organisation tables among *paths* (projects first)."""
    files = gather(paths, lambda folder: sorted(
        p for p in folder.glob("*.csv")
        if p.name.startswith(("project_", "project.", "organization"))))
    projects = [f for f in files if f.name.startswith("project")]
    orgs = [f for f in files if f.name.startswith("organization")]
    if files and (not projects or not orgs):
        raise InputError("the Horizon Europe import needs a project table and an organization "
                         f"table; got {', '.join(f.name for f in files)}")
    return projects + orgs


def _known_projects(store: Store) -> dict[str, str]:
    answer = store.query(sparql_prologue() + "SELECT ?p ?id WHERE { ?p ecograph:cordisProjectId "
                         "?id FILTER(!REGEX(STR(?p), '/project/cordis-')) }")
    assert isinstance(answer, SelectResult)
    return {str(i): str(p) for p, i in answer.rows}


def convert(job: Job, files: Sequence[Path]) -> None:
    """Map the projects, organisations and participations."""
    nuts = NutsIndex.from_store(job.store)
    if not nuts.levels:
        raise InputError("the store holds no NUTS regions; run 'ecograph import nuts' first")
    known = _known_projects(job.store)
    sink, tally = job.sink, job.tally
    programmes = Programmes(sink)
    projects: dict[str, str] = {}
    for path in (f for f in files if f.name.startswith("project")):
        for row in read_rows(path, delimiter=",", kind="CORDIS Horizon Europe project table",
                             required=("id", "acronym", "title", "startDate", "endDate",
                                       "legalBasis"), tally=tally, progress=job.progress):
            grant = row.get("id")
            if not grant.isdigit():
                tally.skip(path.name, row.line, "project id is not a grant number", grant)
                continue
            if grant in projects:
                tally.merge(path.name, row.line, "duplicate project row", grant)
                continue
            term = iri(known.get(grant) or str(mint("project", f"cordis-{grant}")))
            projects[grant] = term
            sink.add(term, m.A, m.PROJECT)
            if grant not in known:
                sink.add(term, m.LABEL, literal(row.get("acronym") or row.get("title")))
            if row.get("acronym"):
                sink.add(term, m.ACRONYM, literal(row.get("acronym")))
            sink.add(term, m.CORDIS_PROJECT_ID, literal(grant))
            sink.add(term, m.FUNDED_BY, programmes.part(row.get("legalBasis") or "HORIZON",
                                                        fallback="HORIZON"))
            start, end = parse_date(row.get("startDate")), parse_date(row.get("endDate"))
            if start:
                sink.add(term, m.START_DATE, literal(start))
            if end and (start is None or end >= start):
                sink.add(term, m.END_DATE, literal(end))
            if row.get("topics"):
                sink.add(term, m.CALL_TOPIC, literal(row.get("topics")))
            tally.written += 1
    directory = Directory(tally)
    links: list[tuple[str, str, str, str, int]] = []
    for path in (f for f in files if f.name.startswith("organization")):
        for row in read_rows(path, delimiter=",", kind="CORDIS Horizon Europe organization "
                             "table", required=("projectID", "organisationID", "name", "country",
                                                "nutsCode", "role"), free_text="name",
                             tally=tally, progress=job.progress):
            pic, grant = row.get("organisationID"), row.get("projectID")
            if grant not in projects:
                tally.skip(path.name, row.line, "project not in the project table", grant)
                continue
            activity = row.get("activityType").split(";")[0]
            if activity != row.get("activityType"):
                tally.repair(path.name, row.line, "malformed activity type (first kept)",
                             row.get("activityType"))
            directory.add(OrgRecord(pic, row.get("name"), normalise_country(row.get("country")),
                                    path.name, row.line, short_name=row.get("shortName"),
                                    url=row.get("organizationURL"), city=row.get("city"),
                                    nuts=row.get("nutsCode"), activity=activity))
            links.append((grant, pic, row.get("role").lower(), path.name, row.line))
    directory.assign_pics()
    seeds = seed_organisations(job.store)
    matcher = Matcher(seeds)
    accepted = directory.reconcile(matcher)
    matcher.write_csv(job.log_dir / "matches-cordis-horizon.csv", "cordis-horizon")
    job.notes.append(f"reconciled {accepted} Horizon Europe records with the seed")
    countries = places.Countries.known(job.store)
    directory.write(sink, nuts, {s.iri for s in seeds}, countries)
    countries.declare(sink)
    seen = Seen()
    for grant, pic, role, source, line in links:
        org = directory.iris.get(pic)
        if org is None:
            continue
        if role not in ROLES:
            tally.skip(source, line, f"unknown role {role!r}", role)
            continue
        if not seen.add(grant, pic, role):
            tally.merge(source, line, "duplicate participation row", f"{grant} {pic}")
            continue
        project = projects[grant]
        participation = iri(str(mint("participation", f"cordis-{grant}-{pic}-{role}")))
        sink.add(participation, m.A, m.PARTICIPATION)
        sink.add(participation, m.P_ORGANISATION, iri(org))
        sink.add(participation, m.P_PROJECT, project)
        sink.add(participation, m.P_ROLE, ROLES[role])
        sink.add(project, m.HAS_PARTICIPANT, iri(org))
        if role == "coordinator":
            sink.add(project, m.COORDINATOR, iri(org))


CHECKS = [
    Check("https://w3id.org/ecograph/shapes#Participation",
          "a participation links exactly one organisation, one project and one role",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus a ecograph:Participation .
             OPTIONAL { ?focus ecograph:organisation ?o } OPTIONAL { ?focus ecograph:project ?p }
             OPTIONAL { ?focus ecograph:participationRole ?r } } }
             GROUP BY ?focus HAVING (COUNT(DISTINCT ?o) != 1 || COUNT(DISTINCT ?p) != 1
                                     || COUNT(DISTINCT ?r) != 1)"""),
    Check("https://w3id.org/ecograph/shapes#ProjectCoordinator",
          "a project has at most one coordinator",
          """SELECT ?focus WHERE { GRAPH $graph { ?focus ecograph:coordinator ?c } }
             GROUP BY ?focus HAVING (COUNT(DISTINCT ?c) > 1)"""),
    *places.CHECKS,
    *project_dates.CHECKS,
]
