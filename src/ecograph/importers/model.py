"""The ontology terms the importers write, serialised once as N-Triples terms.

Only terms declared in ``ontology/ecograph.ttl`` (or in the standard vocabularies it
reuses: RDF, RDFS, SKOS, DCTERMS, PROV, schema.org) appear here; a test checks that every
``ecograph:`` term below is declared in the ontology.
"""

from __future__ import annotations

from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS

from ecograph.namespaces import ECOGRAPH, VOCAB


def _t(term: object) -> str:
    return f"<{term}>"


A = _t(RDF.type)
LABEL = _t(RDFS.label)
PREF_LABEL = _t(SKOS.prefLabel)
NOTATION = _t(SKOS.notation)
DEFINITION = _t(SKOS.definition)
IN_SCHEME = _t(SKOS.inScheme)
BROADER = _t(SKOS.broader)
CONCEPT = _t(SKOS.Concept)
CONCEPT_SCHEME = _t(SKOS.ConceptScheme)
REPLACES = _t(DCTERMS.replaces)
IDENTIFIER = _t(DCTERMS.identifier)
TITLE = _t(DCTERMS.title)
PUBLISHER = _t(DCTERMS.publisher)
LICENSE = _t(DCTERMS.license)
ISSUED = _t(DCTERMS.issued)
SOURCE = _t(DCTERMS.source)
DESCRIPTION = _t(DCTERMS.description)
DERIVED_FROM = _t(PROV.wasDerivedFrom)
GENERATED_AT = _t(PROV.generatedAtTime)
URL = _t(SDO.url)

# Classes
ORGANISATION = _t(ECOGRAPH.Organisation)
COMPANY = _t(ECOGRAPH.Company)
UNIVERSITY = _t(ECOGRAPH.University)
RESEARCH_ORGANISATION = _t(ECOGRAPH.ResearchOrganisation)
HEALTHCARE_PROVIDER = _t(ECOGRAPH.HealthcareProvider)
PUBLIC_AUTHORITY = _t(ECOGRAPH.PublicAuthority)
SME = _t(ECOGRAPH.SME)
PROJECT = _t(ECOGRAPH.Project)
PROGRAMME = _t(ECOGRAPH.FundingProgramme)
REGION = _t(ECOGRAPH.Region)
COUNTRY = _t(ECOGRAPH.Country)
SOURCE_GRAPH = _t(ECOGRAPH.SourceGraph)
SOURCE_DOCUMENT = _t(ECOGRAPH.SourceDocument)

# Organisations
LEGAL_NAME = _t(ECOGRAPH.legalName)
ALTERNATIVE_NAME = _t(ECOGRAPH.alternativeName)
ACRONYM = _t(ECOGRAPH.acronym)
CORDIS_PIC = _t(ECOGRAPH.cordisPic)
ROR_ID = _t(ECOGRAPH.rorId)
WIKIDATA_ID = _t(ECOGRAPH.wikidataId)
IN_ORG_COUNTRY = _t(ECOGRAPH.country)
LOCATED_IN = _t(ECOGRAPH.locatedIn)
SUB_ORGANISATION_OF = _t(ECOGRAPH.subOrganisationOf)

# Projects and programmes
CORDIS_PROJECT_ID = _t(ECOGRAPH.cordisProjectId)
HAS_PARTICIPANT = _t(ECOGRAPH.hasParticipant)
COORDINATOR = _t(ECOGRAPH.coordinator)
FUNDED_BY = _t(ECOGRAPH.fundedBy)
PROGRAMME_CODE = _t(ECOGRAPH.programmeCode)
PARENT_PROGRAMME = _t(ECOGRAPH.parentProgramme)
CALL_TOPIC = _t(ECOGRAPH.callTopic)
START_DATE = _t(ECOGRAPH.startDate)
END_DATE = _t(ECOGRAPH.endDate)
OBJECTIVE = _t(ECOGRAPH.objective)
PARTICIPATION = _t(ECOGRAPH.Participation)
P_ORGANISATION = _t(ECOGRAPH.organisation)
P_PROJECT = _t(ECOGRAPH.project)
P_ROLE = _t(ECOGRAPH.participationRole)
ROLE_COORDINATOR = _t(VOCAB["participation-role/coordinator"])
ROLE_PARTNER = _t(VOCAB["participation-role/partner"])
ROLE_PARTICIPANT = _t(VOCAB["participation-role/participant"])

# Places
NUTS_CODE = _t(ECOGRAPH.nutsCode)
NUTS_LEVEL = _t(ECOGRAPH.nutsLevel)
PARENT_REGION = _t(ECOGRAPH.parentRegion)
IN_COUNTRY = _t(ECOGRAPH.inCountry)
ISO_ALPHA2 = _t(ECOGRAPH.isoAlpha2Code)
ISO_ALPHA3 = _t(ECOGRAPH.isoAlpha3Code)
ISO_NUMERIC = _t(ECOGRAPH.isoNumericCode)

#: Every ecograph: term written by the importers (checked against the ontology in tests).
ECOGRAPH_TERMS = tuple(sorted(
    value[1:-1] for name, value in dict(globals()).items()
    if name.isupper() and isinstance(value, str) and value.startswith(f"<{ECOGRAPH}")
))
