"""Records to triples: the one mapping from the record format to the ontology.

Pure and deterministic: the same record always gives the same triples, with no clock, network or
settings. Optional fields that are absent give no triple.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import Literal, URIRef

from ingest.schema import TABLES_BY_NAME
from ingest.types import Record, Triple
from ontology import PG, mint_iri
from ontology.namespaces import DCTERMS, RDF, RDFS, SKOS, XSD

_CLASS = {
    "programmes": PG.Programme,
    "countries": PG.Country,
    "institutions": PG.Institution,
    "projects": PG.Project,
    "experts": PG.Expert,
    "measures": PG.PolicyMeasure,
    "exchanges": PG.PeerExchange,
    "outcomes": PG.Outcome,
    "practices": PG.GoodPractice,
    "creative_cities": PG.CreativeCity,
}

# (table, column) -> predicate, for columns that map one-to-one.
_PREDICATE: dict[tuple[str, str], URIRef] = {
    ("programmes", "name"): RDFS.label,
    ("programmes", "description"): DCTERMS.description,
    ("countries", "name"): SKOS.altLabel,
    ("countries", "programmes"): PG.beneficiaryOf,
    ("countries", "roles"): PG.hasPeerRole,
    ("institutions", "name"): RDFS.label,
    ("institutions", "country"): PG.basedIn,
    ("institutions", "type"): PG.institutionType,
    ("institutions", "type_note"): PG.typeNote,
    ("projects", "country"): PG.beneficiary,
    ("projects", "programme"): PG.partOfProgramme,
    ("projects", "title"): RDFS.label,
    ("projects", "policy_areas"): PG.policyArea,
    ("projects", "policy_area_note"): PG.policyAreaNote,
    ("projects", "aims"): PG.aims,
    ("projects", "amount_usd"): PG.amountUSD,
    ("projects", "implementer_note"): PG.implementerNote,
    ("experts", "name"): RDFS.label,
    ("experts", "country"): PG.nationality,
    ("experts", "expertise"): PG.expertIn,
    ("experts", "expertise_note"): PG.expertiseNote,
    ("experts", "participated_in"): PG.participatedIn,
    ("measures", "country"): PG.adoptedBy,
    ("measures", "title"): RDFS.label,
    ("measures", "kind"): PG.measureKind,
    ("measures", "policy_areas"): PG.policyArea,
    ("measures", "sectors_note"): PG.sectorNote,
    ("measures", "description"): DCTERMS.description,
    ("measures", "implemented_by"): PG.implementedBy,
    ("measures", "implementer_note"): PG.implementerNote,
    ("exchanges", "seeker"): PG.seeker,
    ("exchanges", "provider"): PG.provider,
    ("exchanges", "provider_institutions"): PG.providerInstitution,
    ("exchanges", "provider_experts"): PG.providerExpert,
    ("exchanges", "provider_note"): PG.providerNote,
    ("exchanges", "project"): PG.partOfProject,
    ("exchanges", "topic"): PG.topic,
    ("exchanges", "methods"): PG.methodUsed,
    ("exchanges", "format"): PG.exchangeFormat,
    ("exchanges", "methods_note"): PG.methodsNote,
    ("exchanges", "phases"): PG.inPhase,
    ("exchanges", "year"): PG.year,
    ("exchanges", "obstacles"): PG.obstacleMet,
    ("exchanges", "success_factors"): PG.successFactorSeen,
    ("outcomes", "outcome_of"): PG.outcomeOf,
    ("outcomes", "description"): RDFS.label,
    ("outcomes", "outcome_types"): PG.outcomeType,
    ("outcomes", "year"): PG.year,
    ("practices", "title"): RDFS.label,
    ("practices", "country"): PG.practiceOf,
    ("practices", "institution"): PG.practiceOf,
    ("practices", "measure"): PG.basedOnMeasure,
    ("practices", "description"): DCTERMS.description,
    ("creative_cities", "city"): RDFS.label,
    ("creative_cities", "country"): PG.inCountry,
    ("creative_cities", "field"): PG.creativeField,
    ("creative_cities", "designation_year"): PG.designationYear,
}
# Columns shared by several tables.
_COMMON = {
    "start_year": PG.startYear,
    "end_year": PG.endYear,
    "challenges": PG.addressesChallenge,
    "challenges_note": PG.challengesNote,
    "sectors": PG.sector,
    "visibility": PG.visibility,
    "sources": DCTERMS.source,
}


# Terms used for every record, looked up once (namespace attribute access is slow in a hot loop).
_TYPE, _IDENTIFIER, _SOURCE, _SOURCE_CLASS = RDF.type, PG.identifier, DCTERMS.source, PG.Source
_GYEAR, _INTEGER = XSD.gYear, XSD.integer


def column_predicate(table: str, column: str) -> URIRef | None:
    """Return the predicate a column of a table maps to (None for ``id``, which gives ``pg:identifier``).

    Parameters
    ----------
    table, column : str
        A table and one of its columns.

    Returns
    -------
    rdflib.URIRef or None
        The predicate.

    Examples
    --------
    >>> str(column_predicate("exchanges", "seeker"))
    'https://w3id.org/peergraph/ontology#seeker'
    """
    return _PREDICATE.get((table, column)) or _COMMON.get(column)


def record_iri(table: str, key: str) -> URIRef:
    """Return the IRI of the record ``key`` of ``table``.

    Parameters
    ----------
    table : str
        A table of :mod:`ingest.schema`.
    key : str
        The record id.

    Returns
    -------
    rdflib.URIRef
        The minted IRI.

    Examples
    --------
    >>> str(record_iri("measures", "M-ZAF-01"))
    'https://w3id.org/peergraph/id/measure/M-ZAF-01'
    """
    return mint_iri(TABLES_BY_NAME[table].kind, key)


def _resolve_ref(targets: tuple[str, ...], key: str, resolve: dict[str, str] | None) -> URIRef:
    table = (resolve or {}).get(key, targets[0])
    return record_iri(table, key)


def _object(table: str, column: str, value: Any, resolve: dict[str, str] | None) -> URIRef | Literal:
    spec = TABLES_BY_NAME[table].column(column)
    if spec.type == "country":
        return mint_iri("country", value)
    if spec.type == "concept":
        return mint_iri(spec.scheme, value)
    if spec.type == "url":
        return mint_iri("source", value)
    if spec.type == "ref":
        return _resolve_ref(spec.targets, value, resolve)
    if spec.type == "year":
        return Literal(f"{value:04d}", datatype=_GYEAR)
    if spec.type == "amount":
        return Literal(value, datatype=_INTEGER)
    return Literal(value)


def record_triples(record: Record, resolve: dict[str, str] | None = None) -> Iterator[Triple]:
    """Yield the triples of one validated record.

    Parameters
    ----------
    record : Record
        A record from :func:`ingest.validate.validate_rows`.
    resolve : dict of str to str, optional
        For references that may name records of several tables (``participated_in``, ``outcome_of``):
        record id to its table. Without an entry the first allowed table is assumed.

    Yields
    ------
    Triple
        The record's triples; none for absent optional fields.
    """
    subject = record_iri(record.table, record.key)
    if record.table != "countries":  # countries are typed by the reference graph
        yield subject, _TYPE, _CLASS[record.table]
    yield subject, _IDENTIFIER, Literal(record.key)
    for column, value in record.fields.items():
        predicate = _PREDICATE.get((record.table, column)) or _COMMON[column]
        for item in value if isinstance(value, tuple) else (value,):
            obj = _object(record.table, column, item, resolve)
            yield subject, predicate, obj
            if predicate == _SOURCE:
                yield obj, _TYPE, _SOURCE_CLASS
