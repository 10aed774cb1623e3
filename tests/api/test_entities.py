"""REST lists and details, search, linked data and HTTP exports: counts and rows checked against the bundled CSVs."""

from __future__ import annotations

import csv
import io
import zipfile

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef

from graph.rdf.store import RdfStore
from graph.services.store import sample_data_path
from tests.helpers import assert_isomorphic

C = "https://w3id.org/peergraph/id/country/"


def _rows(table: str) -> list[dict[str, str]]:
    with (sample_data_path() / f"{table}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cells(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


@pytest.mark.parametrize(
    ("kind", "table"),
    [
        ("institutions", "institutions"),
        ("experts", "experts"),
        ("projects", "projects"),
        ("measures", "measures"),
        ("exchanges", "exchanges"),
        ("outcomes", "outcomes"),
        ("programmes", "programmes"),
    ],
)
def test_list_totals_equal_the_source_rows(client, kind, table):
    answer = client.get(f"/api/{kind}", params={"size": 200})
    assert answer.status_code == 200
    assert answer.json()["total"] == len(_rows(table))
    ids = set()
    for page in range(1, answer.json()["total"] // 50 + 2):
        ids |= {item["id"] for item in client.get(f"/api/{kind}", params={"page": page}).json()["items"]}
    assert ids == {row["id"] for row in _rows(table)}


def test_filters_match_the_source_rows(client):
    year_2021 = {row["id"] for row in _rows("exchanges") if row["year"] == "2021"}
    got = client.get("/api/exchanges", params={"year": 2021}).json()
    assert {item["id"] for item in got["items"]} == year_2021 and got["total"] == len(year_2021) > 0
    # "piracy" has no narrower challenge, so exactly the rows naming it.
    piracy = {row["id"] for row in _rows("measures") if "piracy" in _cells(row["challenges"])}
    got = client.get("/api/measures", params={"challenge": "piracy", "size": 200}).json()
    assert {item["id"] for item in got["items"]} == piracy
    by_label = client.get("/api/measures", params={"challenge": "Piratería y observancia", "size": 200}).json()
    assert by_label["total"] == len(piracy)
    southern = {"ZAF", "NAM", "BWA", "LSO", "SWZ"}
    in_region = {row["id"] for row in _rows("institutions") if row["country"] in southern}
    got = client.get("/api/institutions", params={"region": "southern-africa", "size": 200}).json()
    assert {item["id"] for item in got["items"]} == in_region
    area = {row["id"] for row in _rows("measures") if "G1.A1" in _cells(row["policy_areas"])}
    got = client.get("/api/measures", params={"policy_area": "G1.A1", "size": 200}).json()
    assert {item["id"] for item in got["items"]} >= area and got["total"] == len(area)


def test_search_ignores_case_and_accents_and_counts_facets(client):
    words = [row["id"] for row in _rows("measures") if "música" in (row["title"] + row["description"]).lower()]
    first = client.get("/api/search", params={"q": "MUSICA", "kind": "measures", "size": 200}).json()
    found = set()
    for page in range(1, -(-first["total"] // 200) + 1):  # every page: the matches sort by label, not by word
        got = client.get("/api/search", params={"q": "MUSICA", "kind": "measures", "size": 200, "page": page}).json()
        found |= {item["id"] for item in got["items"]}
    assert len(found) == first["total"] and found >= set(words) and words
    everywhere = client.get("/api/search", params={"q": "musica"}).json()
    assert sum(everywhere["facets"]["kind"].values()) == everywhere["total"]
    assert (
        everywhere["facets"]["kind"]["measures"] == client.get("/api/measures", params={"q": "musica"}).json()["total"]
    )


def test_bad_list_parameters_are_named(client):
    for params, name in [
        ({"region": "atlantis"}, "region"),
        ({"challenge": "pircy"}, "challenge"),
        ({"language": "french"}, "language"),
        ({"kind": "planets"}, "kind"),
    ]:
        answer = client.get("/api/search", params=params)
        assert answer.status_code == 400 and answer.json()["parameter"] == name, answer.text
    assert client.get("/api/measures", params={"size": 500}).status_code == 422
    assert client.get("/api/countries/ATL").status_code == 404


def test_detail_has_facts_links_and_sources(client):
    row = next(row for row in _rows("exchanges") if row["id"] == "X-CRI-CHL-2021")
    detail = client.get("/api/exchanges/X-CRI-CHL-2021").json()
    assert detail["facts"]["year"] == int(row["year"])
    assert {link["iri"] for link in detail["links"] if link["relation"] == "SEEKER"} == {C + row["seeker"]}
    assert set(detail["sources"]) == set(_cells(row["sources"]))


def test_iris_resolve_to_pages_and_rdf(client, demo_store_path):
    iri = C + "NAM"
    page = client.get("/id/country/NAM", headers={"Accept": "text/html"})
    assert page.status_code == 200 and '<h1 id="entity-label">Namibia</h1>' in page.text
    with RdfStore(demo_store_path, read_only=True) as store:
        rows = store.run_query(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}", max_rows=1000).rows
    expected = Graph()
    for row in rows:
        expected.add((URIRef(iri), row["p"], row["o"]))
    assert len(expected) >= 10
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")]:
        answer = client.get("/id/country/NAM", headers={"Accept": accept})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
        assert_isomorphic(Graph().parse(data=answer.text, format=fmt), expected)
    suffixed = client.get("/id/country/NAM.ttl")
    assert_isomorphic(Graph().parse(data=suffixed.text, format="turtle"), expected)
    concept = client.get("/vocab/challenge/piracy.ttl")
    assert concept.status_code == 200 and "Piracy and enforcement" in concept.text
    assert client.get("/id/country/ATL").status_code == 404


def test_http_exports_load_and_filter(client):
    turtle = client.get("/api/export", params={"format": "ttl", "kind": "measures", "challenge": "piracy"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    piracy = {row["id"] for row in _rows("measures") if "piracy" in _cells(row["challenges"])}
    subjects = {str(s).rsplit("/", 1)[-1] for s in graph.subjects()}
    assert subjects == piracy
    nquads = client.get("/api/export", params={"format": "nq"})
    assert len(Dataset().parse(data=nquads.text, format="nquads")) > 0
    graphml = client.get("/api/export", params={"format": "graphml", "kind": "exchanges"})
    network = nx.read_graphml(io.BytesIO(graphml.content))
    assert {n for n, d in network.nodes(data=True) if d.get("type") == "PeerExchange"} == {
        "https://w3id.org/peergraph/id/exchange/" + row["id"] for row in _rows("exchanges")
    }
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/export", params={"format": "csv"}).content))
    exported = list(csv.DictReader(io.TextIOWrapper(archive.open("measures.csv"), encoding="utf-8")))
    assert len(exported) == len(_rows("measures"))
    assert client.get("/api/export", params={"format": "docx"}).json()["parameter"] == "format"
