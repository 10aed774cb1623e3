"""The built-in country reference: ISO 3166-1 codes, UN M49 regions and CLDR official languages.

The table ``ingest/reference/countries.csv`` is built by ``tools/build_reference_tables.py`` and read
here on first use. Its triples form the store's ``reference`` graph, so every valid ISO3 code resolves to
a country with a name, region, sub-region and languages.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Literal

from ingest.types import Triple
from ontology import PG, mint_iri
from ontology.namespaces import RDF, RDFS, XSD


@dataclass(frozen=True)
class CountryReference:
    """One row of the reference table.

    Attributes
    ----------
    iso3, iso2, m49, name : str
        Codes and English short name.
    sub_region, region : str
        UN M49 concept ids (scheme ``region``); empty where M49 has none.
    languages : tuple of str
        Official and de-facto official language codes (CLDR).
    """

    iso3: str
    iso2: str
    m49: str
    name: str
    sub_region: str
    region: str
    languages: tuple[str, ...]


@cache
def countries() -> dict[str, CountryReference]:
    """Return the reference rows keyed by ISO3 code.

    Returns
    -------
    dict of str to CountryReference
        All 249 ISO 3166-1 countries and territories.

    Examples
    --------
    >>> countries()["NAM"].sub_region
    'southern-africa'
    """
    table = resources.files("ingest") / "reference" / "countries.csv"
    with table.open("r", encoding="utf-8", newline="") as handle:
        return {
            row["iso3"]: CountryReference(
                iso3=row["iso3"],
                iso2=row["iso2"],
                m49=row["m49"],
                name=row["name"],
                sub_region=row["sub_region"],
                region=row["region"],
                languages=tuple(code for code in row["languages"].split(";") if code),
            )
            for row in csv.DictReader(handle)
        }


def reference_triples() -> Iterator[Triple]:
    """Yield the triples of every reference country.

    Yields
    ------
    Triple
        Type, label, codes, region links and languages of each country.
    """
    for country in countries().values():
        iri = mint_iri("country", country.iso3)
        yield iri, RDF.type, PG.Country
        yield iri, RDFS.label, Literal(country.name, lang="en")
        yield iri, PG.identifier, Literal(country.iso3)
        yield iri, PG.iso3, Literal(country.iso3)
        yield iri, PG.iso2, Literal(country.iso2)
        yield iri, PG.m49Code, Literal(country.m49)
        if country.region:
            yield iri, PG.inRegion, mint_iri("region", country.region)
            yield iri, PG.inSubRegion, mint_iri("region", country.sub_region)
        for code in country.languages:
            yield iri, PG.officialLanguage, Literal(code, datatype=XSD.language)
