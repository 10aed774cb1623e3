"""The country reference and treaty memberships: coverage counts, facts checked against their sources."""

from __future__ import annotations

from collections import Counter

from rdflib import Literal, URIRef

from ingest.reference import (
    CONVENTION_2005,
    PARTY_UNDATED,
    countries,
    membership_iri,
    reference_triples,
    treaty_memberships,
    treaty_triples,
)
from ingest.shacl import check_shapes
from ontology import PG, mint_iri
from ontology.namespaces import DCTERMS, RDFS, XSD

HDX = URIRef("https://pypi.org/project/hdx-python-country/4.2.5/")
DATASET = (
    "https://github.com/datasets/membership-to-copyright-treaties/blob/"
    "96217be87d0fd7bf68aa5b235809ae82b79403f8/data/membership-to-copyright-treaties.csv"
)
VERDRAGENBANK = "https://verdragenbank.overheid.nl/en/Treaty/Details/011077_p.html"


def _parties(treaty: str) -> set[str]:
    return {m.iso3 for m in treaty_memberships() if m.treaty == treaty and m.is_party}


def test_every_un_member_has_region_income_group_and_languages():
    table = countries()
    assert len(table) == 249
    members = [c for c in table.values() if c.un_member]
    assert len(members) == 193
    complete = [c for c in members if c.region and c.sub_region and c.income_group and c.languages]
    assert len(complete) == 192  # Venezuela has no World Bank income group in hdx-python-country 4.2.5
    assert {c.iso3 for c in members} - {c.iso3 for c in complete} == {"VEN"}
    assert all(c.name and c.name_fr and c.name_es for c in members)
    assert Counter(c.income_group for c in table.values()) == Counter(
        {"high": 82, "lower-middle": 54, "upper-middle": 53, "": 34, "low": 26}
    )


def test_country_facts_match_the_library_release():
    namibia, kenya, bolivia = countries()["NAM"], countries()["KEN"], countries()["BOL"]
    assert (namibia.iso2, namibia.m49, namibia.name_fr) == ("NA", "516", "Namibie")
    assert namibia.income_group == "upper-middle"
    assert (namibia.region, namibia.sub_region) == ("africa", "southern-africa")
    assert (kenya.sub_region, kenya.income_group) == ("eastern-africa", "lower-middle")
    assert bolivia.name_es == "Bolivia (Estado Plurinacional de)"
    assert countries()["NRU"].sub_region == "micronesia"
    assert namibia.source == str(HDX) and namibia.languages_source == "https://pypi.org/project/babel/2.18.0/"


def test_treaty_coverage_counts():
    parties = {treaty: len(_parties(treaty)) for treaty in ("berne", "rome", "wct", "wppt", "beijing", "marrakesh")}
    assert parties == {"berne": 182, "rome": 98, "wct": 117, "wppt": 113, "beijing": 48, "marrakesh": 99}
    copyright_countries = {m.iso3 for m in treaty_memberships() if m.treaty != CONVENTION_2005 and m.is_party}
    assert len(copyright_countries) == 185
    assert all(m.iso3 in countries() for m in treaty_memberships())
    # The stored pages name 108 Parties of the 2005 Convention (see tools/data/convention-2005-parties.txt).
    assert len(_parties(CONVENTION_2005)) == 108
    kinds = Counter(m.instrument_type for m in treaty_memberships() if m.treaty == CONVENTION_2005)
    assert kinds == Counter(
        {
            "Ratification, acceptance, approval or notification": 31,
            "Accession": 14,
            "Instrument deposited (the source does not say which)": 51,
            PARTY_UNDATED: 12,
        }
    )


def test_treaty_facts_match_their_sources():
    rows = {(m.iso3, m.treaty): m for m in treaty_memberships()}
    chile = rows["CHL", "beijing"]
    assert (chile.signature_date, chile.instrument_type, chile.instrument_date, chile.in_force_date) == (
        "2012-06-26",
        "Ratification",
        "2015-06-22",
        "2020-04-28",
    )
    assert chile.source == DATASET
    usa = rows["USA", "berne"]
    assert (usa.instrument_type, usa.instrument_date, usa.in_force_date) == ("Accession", "1988-11-16", "1989-03-01")
    assert not rows["FRA", "marrakesh"].is_party  # signed; the European Union is the party
    algeria = rows["DZA", CONVENTION_2005]
    assert (algeria.instrument_date, algeria.in_force_date) == ("2015-02-26", "2015-05-26")
    assert algeria.source == VERDRAGENBANK
    assert rows["DNK", CONVENTION_2005].in_force_date == ""  # cut off in the stored page: left blank
    viet_nam = rows["VNM", CONVENTION_2005]
    assert (viet_nam.instrument_date, viet_nam.in_force_date) == ("2007-08-07", "2007-11-07")
    assert viet_nam.source.startswith("http://www.wipo.int/wipolex/")
    # From the Austrian Federal Law Gazette (German names): the deposit date, no entry into force.
    congo, korea = rows["COG", CONVENTION_2005], rows["KOR", CONVENTION_2005]
    assert (congo.party_name, congo.instrument_date, congo.in_force_date) == ("Kongo", "2008-10-22", "")
    assert (korea.party_name, korea.instrument_date) == ("Republik Korea", "2010-04-01")
    assert korea.source == "https://360.lexisnexis.at/d/b_bgbl_2012_2012_III_27_0f69922a4f"
    senegal = rows["SEN", CONVENTION_2005]  # a quadrennial periodic report: a Party, no date
    assert senegal.is_party and (senegal.instrument_date, senegal.in_force_date) == ("", "")


def test_reference_triples_flag_parties_and_cite_sources():
    triples = set(reference_triples())
    algeria, denmark, france = (mint_iri("country", code) for code in ("DZA", "DNK", "FRA"))
    assert (algeria, PG.conventionParty, Literal(True)) in triples
    assert (algeria, PG.conventionPartySince, Literal("2015-05-26", datatype=XSD.date)) in triples
    assert (denmark, PG.conventionParty, Literal(True)) in triples
    assert not any(s == denmark and p == PG.conventionPartySince for s, p, _ in triples)
    assert not any(s == france and p == PG.conventionParty for s, p, _ in triples)  # not in the stored lists
    assert (algeria, RDFS.label, Literal("Algérie", lang="fr")) in triples
    assert (algeria, PG.incomeGroup, mint_iri("income", "lower-middle")) in triples
    assert (algeria, DCTERMS.source, HDX) in triples
    assert (HDX, RDFS.label, Literal("hdx-python-country 4.2.5")) in triples
    assert sum(1 for _, p, _ in triples if p == PG.conventionParty) == 108


def test_treaty_triples_make_one_record_per_party():
    triples = set(treaty_triples())
    chile = membership_iri(next(m for m in treaty_memberships() if (m.iso3, m.treaty) == ("CHL", "beijing")))
    assert (chile, PG.memberCountry, mint_iri("country", "CHL")) in triples
    assert (chile, PG.treaty, mint_iri("treaty", "beijing")) in triples
    assert (chile, PG.inForceDate, Literal("2020-04-28", datatype=XSD.date)) in triples
    assert (chile, DCTERMS.source, URIRef(DATASET)) in triples
    records = {s for s, p, _ in triples if p == PG.memberCountry}
    assert len(records) == sum(1 for m in treaty_memberships() if m.is_party) == 765


def test_reference_and_treaty_records_conform_to_the_shapes():
    assert check_shapes(list(treaty_triples())) == []
