"""The built-in country reference: codes, names, regions, income groups, languages and treaty memberships.

Two committed tables, built by hand-run tools from pinned libraries and sourced datasets and read here
on first use (peergraph needs neither those libraries nor the network):

* ``ingest/reference/countries.csv`` (``tools/build_reference_tables.py``): ISO 3166-1 and M49 codes,
  names in English, French and Spanish, UN M49 region and sub-region, World Bank income group and UN
  membership from hdx-python-country, official languages from babel (CLDR); each row names the library
  release its facts come from.
* ``ingest/reference/treaty_memberships.csv`` (``tools/build_treaty_memberships.py``): which countries
  are party to the Berne, Rome, WCT, WPPT, Beijing and Marrakesh treaties and to the 2005 Convention,
  with the instrument and its dates, each row with the exact address of the dataset or page it comes from.

Their triples form the store's ``reference`` graphs, so every valid ISO3 code resolves to a country.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Literal, URIRef

from ingest.types import Triple
from ontology import PG, mint_iri
from ontology.namespaces import DCTERMS, RDF, RDFS, SKOS, XSD

#: The treaty concept id of the 2005 Convention (its memberships also flag the country as Party).
CONVENTION_2005 = "convention-2005"
#: The instrument type of a membership whose source states that the country is a Party but gives no date.
PARTY_UNDATED = "Party (the source gives no date)"


@dataclass(frozen=True)
class CountryReference:
    """One row of the country table.

    Attributes
    ----------
    iso3, iso2, m49 : str
        Codes.
    name, name_fr, name_es : str
        Short names in English, French and Spanish (French and Spanish empty where the library has none).
    sub_region, region : str
        UN M49 concept ids (scheme ``region``); empty where M49 has none.
    income_group : str
        World Bank income group (scheme ``income``); empty where the library has none.
    un_member : bool
        Whether the country is a UN member state.
    languages : tuple of str
        Official and de-facto official language codes (CLDR).
    other_names : tuple of str
        Other English names the library knows (ISO, UN and ReliefWeb variants).
    name_pattern : str
        The library's regular expression for names of the country (case-insensitive), or empty.
    source, languages_source : str
        Addresses of the library releases the facts come from.
    """

    iso3: str
    iso2: str
    m49: str
    name: str
    name_fr: str
    name_es: str
    sub_region: str
    region: str
    income_group: str
    un_member: bool
    languages: tuple[str, ...]
    other_names: tuple[str, ...]
    name_pattern: str
    source: str
    languages_source: str


@dataclass(frozen=True)
class TreatyMembership:
    """One row of the treaty-membership table: a country's standing in one treaty, from one source.

    Attributes
    ----------
    iso3, treaty : str
        The country and the treaty concept id (scheme ``treaty``).
    party_name : str
        The country's name as the source writes it.
    signature_date, instrument_type, instrument_date, in_force_date : str
        As the source gives them (ISO dates); empty where it gives none.
    source : str
        The exact address of the dataset file or page.
    """

    iso3: str
    treaty: str
    party_name: str
    signature_date: str
    instrument_type: str
    instrument_date: str
    in_force_date: str
    source: str

    @property
    def is_party(self) -> bool:
        """Whether the country is a party, not only a signatory.

        It deposited an instrument, the treaty is in force for it, or the source says it is a Party
        without giving a date.
        """
        return bool(self.instrument_date or self.in_force_date) or self.instrument_type == PARTY_UNDATED


def _rows(file_name: str) -> list[dict[str, str]]:
    table = resources.files("ingest") / "reference" / file_name
    with table.open("r", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def find_country_by_pattern(text: str) -> str | None:
    """Return the ISO3 code of the one country whose library name pattern matches ``text``, else None.

    Examples
    --------
    >>> find_country_by_pattern("South Korea"), find_country_by_pattern("North Korea"), find_country_by_pattern("x")
    ('KOR', 'PRK', None)
    """
    found = [c.iso3 for c in countries().values() if c.name_pattern and re.search(c.name_pattern, text, re.IGNORECASE)]
    return found[0] if len(found) == 1 else None


@cache
def countries() -> dict[str, CountryReference]:
    """Return the reference rows keyed by ISO3 code.

    Returns
    -------
    dict of str to CountryReference
        All 249 ISO 3166-1 countries and territories.

    Examples
    --------
    >>> countries()["NAM"].sub_region, countries()["NAM"].income_group, countries()["NAM"].name_fr
    ('southern-africa', 'upper-middle', 'Namibie')
    """
    return {
        row["iso3"]: CountryReference(
            iso3=row["iso3"],
            iso2=row["iso2"],
            m49=row["m49"],
            name=row["name"],
            name_fr=row["name_fr"],
            name_es=row["name_es"],
            sub_region=row["sub_region"],
            region=row["region"],
            income_group=row["income_group"],
            un_member=row["un_member"] == "yes",
            languages=tuple(code for code in row["languages"].split(";") if code),
            other_names=tuple(name for name in row["other_names"].split(";") if name),
            name_pattern=row["name_pattern"],
            source=row["source"],
            languages_source=row["languages_source"],
        )
        for row in _rows("countries.csv")
    }


@cache
def treaty_memberships() -> tuple[TreatyMembership, ...]:
    """Return the treaty-membership rows (parties and signatories), sorted by country and treaty.

    Returns
    -------
    tuple of TreatyMembership
        One row per country and treaty.

    Examples
    --------
    >>> [m.in_force_date for m in treaty_memberships() if (m.iso3, m.treaty) == ("CHL", "beijing")]
    ['2020-04-28']
    """
    return tuple(TreatyMembership(**row) for row in _rows("treaty_memberships.csv"))


def _date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def reference_triples() -> Iterator[Triple]:
    """Yield the triples of every reference country.

    Yields
    ------
    Triple
        Type, names, codes, region, income group and language links of each country, its UN membership,
        its 2005 Convention Party flag and date, and the library releases as its sources.
    """
    parties = {m.iso3: m for m in treaty_memberships() if m.treaty == CONVENTION_2005 and m.is_party}
    sources: dict[str, str] = {}
    for country in countries().values():
        iri = mint_iri("country", country.iso3)
        yield iri, RDF.type, PG.Country
        yield iri, RDFS.label, Literal(country.name, lang="en")
        if country.name_fr:
            yield iri, RDFS.label, Literal(country.name_fr, lang="fr")
        if country.name_es:
            yield iri, RDFS.label, Literal(country.name_es, lang="es")
        for name in country.other_names:
            yield iri, SKOS.altLabel, Literal(name, lang="en")
        yield iri, PG.identifier, Literal(country.iso3)
        yield iri, PG.iso3, Literal(country.iso3)
        yield iri, PG.iso2, Literal(country.iso2)
        yield iri, PG.m49Code, Literal(country.m49)
        if country.region:
            yield iri, PG.inRegion, mint_iri("region", country.region)
        if country.sub_region:
            yield iri, PG.inSubRegion, mint_iri("region", country.sub_region)
        if country.income_group:
            yield iri, PG.incomeGroup, mint_iri("income", country.income_group)
        if country.un_member:
            yield iri, PG.unMember, Literal(True)
        for code in country.languages:
            yield iri, PG.officialLanguage, Literal(code, datatype=XSD.language)
        party = parties.get(country.iso3)
        if party is not None:
            yield iri, PG.conventionParty, Literal(True)
            if party.in_force_date:
                yield iri, PG.conventionPartySince, _date(party.in_force_date)
        for source in (country.source, country.languages_source):
            if source:
                yield iri, DCTERMS.source, mint_iri("source", source)
                sources[source] = source
    yield from _source_triples(sources)


def _source_triples(sources: dict[str, str]) -> Iterator[Triple]:
    for address in sorted(sources):
        iri = mint_iri("source", address)
        yield iri, RDF.type, PG.Source
        yield iri, RDFS.label, Literal(_source_label(address))


def _source_label(address: str) -> str:
    """Name a source for people: ``hdx-python-country 4.2.5`` for a PyPI release page, else the address.

    Examples
    --------
    >>> _source_label("https://pypi.org/project/babel/2.18.0/")
    'babel 2.18.0'
    """
    prefix = "https://pypi.org/project/"
    if address.startswith(prefix):
        return " ".join(part for part in address[len(prefix) :].split("/") if part)
    return address


def membership_iri(membership: TreatyMembership) -> URIRef:
    """Return the IRI of a membership record: ``…/id/membership/<ISO3>-<treaty>``.

    Examples
    --------
    >>> str(membership_iri(TreatyMembership("CHL", "wct", "Chile", "", "", "", "", "")))
    'https://w3id.org/peergraph/id/membership/CHL-wct'
    """
    return mint_iri("membership", f"{membership.iso3}-{membership.treaty}")


def treaty_triples() -> Iterator[Triple]:
    """Yield one membership record per country and treaty the country is party to.

    Rows of mere signatories (no instrument, not in force) stay in the table but make no record.

    Yields
    ------
    Triple
        Type, country, treaty, instrument and dates, and the source of each membership, and the sources.
    """
    sources: dict[str, str] = {}
    for membership in treaty_memberships():
        if not membership.is_party:
            continue
        iri = membership_iri(membership)
        yield iri, RDF.type, PG.TreatyMembership
        yield iri, PG.identifier, Literal(f"{membership.iso3}-{membership.treaty}")
        yield iri, PG.memberCountry, mint_iri("country", membership.iso3)
        yield iri, PG.treaty, mint_iri("treaty", membership.treaty)
        if membership.instrument_type:
            yield iri, PG.instrumentType, Literal(membership.instrument_type)
        for predicate, value in (
            (PG.signatureDate, membership.signature_date),
            (PG.instrumentDate, membership.instrument_date),
            (PG.inForceDate, membership.in_force_date),
        ):
            if value:
                yield iri, predicate, _date(value)
        yield iri, DCTERMS.source, mint_iri("source", membership.source)
        sources[membership.source] = membership.source
    yield from _source_triples(sources)
