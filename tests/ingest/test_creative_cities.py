"""UNESCO Creative Cities: the bundled rows, their triples, the REST kind and the coverage they add."""

from __future__ import annotations

import csv
import json
from collections import Counter

from rdflib import Graph, Literal, URIRef

from ingest.pipeline import prepare
from ontology import PG, mint_iri
from ontology.namespaces import DCTERMS, RDF, RDFS, XSD
from tests.helpers import REPO, assert_isomorphic, graph_of
from viz.style import CLASS_STYLES

UNESCO = "https://www.unesco.org/en/creative-cities/ashgabat"


def _sample_rows(name: str) -> list[dict[str, str]]:
    with (REPO / "ingest" / "sample" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_sample_rows_are_sourced_and_use_the_seven_fields():
    rows = _sample_rows("creative_cities.csv")
    assert len(rows) == 364
    assert Counter(row["field"] for row in rows) == Counter(
        {
            "music": 76,
            "crafts-and-folk-art": 71,
            "gastronomy": 58,
            "literature": 58,
            "design": 50,
            "film": 26,
            "media-arts": 25,
        }
    )
    assert all(row["sources"] for row in rows)
    assert not any("wikimili.com" in row["sources"] or "kiwix" in row["sources"] for row in rows)
    # Cells the sources do not state stay blank.
    assert sum(1 for row in rows if not row["country"]) == 141
    assert sum(1 for row in rows if not row["designation_year"]) == 135


def test_a_creative_city_row_gives_its_triples(tmp_path):
    folder = tmp_path / "cities"
    folder.mkdir()
    (folder / "creative_cities.csv").write_text(
        f"id,city,country,field,designation_year,sources\nCC-ashgabat,Ashgabat,TKM,design,2023,{UNESCO}\n",
        encoding="utf-8",
    )
    batch = prepare([folder])
    assert batch.sources[0].report.records == {"creative_cities": 1}
    city = URIRef("https://w3id.org/peergraph/id/creative-city/CC-ashgabat")
    expected = Graph()
    for triple in (
        (city, RDF.type, PG.CreativeCity),
        (city, PG.identifier, Literal("CC-ashgabat")),
        (city, RDFS.label, Literal("Ashgabat")),
        (city, PG.inCountry, mint_iri("country", "TKM")),
        (city, PG.creativeField, URIRef("https://w3id.org/peergraph/vocab/field/design")),
        (city, PG.designationYear, Literal("2023", datatype=XSD.gYear)),
        (city, DCTERMS.source, URIRef(UNESCO)),
        (URIRef(UNESCO), RDF.type, PG.Source),
    ):
        expected.add(triple)
    assert_isomorphic(graph_of(batch.sources[0].triples), expected)


def test_creative_cities_in_the_demo_store_by_sparql_and_rest(cli, demo_settings):
    query = (
        "SELECT ?field (COUNT(?c) AS ?n) WHERE { ?c a pg:CreativeCity ; pg:creativeField ?f . "
        "?f skos:prefLabel ?field FILTER(lang(?field) = 'fr') } GROUP BY ?field"
    )
    result = cli("sparql", "--format", "json", query, settings=demo_settings)
    assert result.exit_code == 0, result.output
    counts = {b["field"]["value"]: int(b["n"]["value"]) for b in json.loads(result.stdout)["results"]["bindings"]}
    assert sum(counts.values()) == 364
    assert counts["Arts numériques"] == 25 and counts["Artisanat et arts populaires"] == 71
    listing = cli("request", "GET", "/api/creative-cities?size=1", settings=demo_settings)
    assert listing.exit_code == 0, listing.output
    assert json.loads(listing.stdout)["total"] == 364
    assert CLASS_STYLES["CreativeCity"] == ("#98df8a", "triangle")


def test_coverage_counts_records_per_area_and_creative_cities_per_country(cli, demo_settings):
    report = json.loads(cli("stats", "--coverage", "--json", settings=demo_settings).stdout)
    measures, projects = _sample_rows("measures.csv"), _sample_rows("projects.csv")
    exchanges, cities = _sample_rows("exchanges.csv"), _sample_rows("creative_cities.csv")

    def per_area(rows: list[dict[str, str]]) -> Counter[str]:
        return Counter(area.strip() for row in rows for area in row["policy_areas"].split(";") if area.strip())

    project_areas = {row["id"]: row["policy_areas"] for row in projects}
    exchange_areas = Counter(
        area.strip() for row in exchanges for area in project_areas.get(row["project"], "").split(";") if area.strip()
    )
    areas = {a["id"].rsplit("/", 1)[-1]: a for a in report["monitoring_areas"]}
    assert {key: a["measures"] for key, a in areas.items() if a["measures"]} == dict(per_area(measures))
    assert {key: a["projects"] for key, a in areas.items() if a["projects"]} == dict(per_area(projects))
    assert {key: a["exchanges"] for key, a in areas.items() if a["exchanges"]} == dict(exchange_areas)
    assert report["totals"]["creative_cities"] == 364
    per_country = {c["id"].rsplit("/", 1)[-1]: c["creative_cities"] for c in report["countries"]}
    expected = Counter(row["country"] for row in cities if row["country"])
    assert {code: n for code, n in per_country.items() if n} == dict(expected)
    text = cli("stats", "--coverage", settings=demo_settings).stdout
    assert "records per monitoring area" in text and "364 creative cities" in " ".join(text.split())
