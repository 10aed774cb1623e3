"""The /sparql endpoint: SPARQL 1.1 Protocol operations, content negotiation, refusals."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

from tests.helpers import sample_count

QUERY = "SELECT ?id WHERE { ?x a pg:Project ; pg:identifier ?id } ORDER BY ?id LIMIT 3"
IDS = ["EF1-ARG", "EF1-BFA", "EF1-BRB"]


def _ids(response):
    return [b["id"]["value"] for b in response.json()["results"]["bindings"]]


def test_get_with_query_parameter(client):
    response = client.get("/sparql", params={"query": QUERY})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert _ids(response) == IDS


def test_post_form_encoded(client):
    response = client.post("/sparql", data={"query": QUERY})
    assert response.status_code == 200 and _ids(response) == IDS


def test_post_sparql_query_body(client):
    response = client.post("/sparql", content=QUERY, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200 and _ids(response) == IDS


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values", "application/sparql-results+xml"])
def test_select_formats_by_accept(client, accept):
    response = client.get("/sparql", params={"query": QUERY}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    if accept == "text/csv":
        assert [row["id"] for row in csv.DictReader(io.StringIO(response.text))] == IDS
    elif accept == "text/tab-separated-values":
        assert response.text.splitlines()[1] == '"EF1-ARG"'
    else:
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        assert [e.text for e in ET.fromstring(response.text).findall(".//r:literal", ns)] == IDS


def test_ask_and_construct(client):
    assert client.get("/sparql", params={"query": "ASK { ?x a pg:Expert }"}).json() == {
        "head": {},
        "boolean": True,
    }
    construct = "CONSTRUCT { ?x pg:identifier ?id } WHERE { ?x a pg:PeerExchange ; pg:identifier ?id }"
    response = client.get("/sparql", params={"query": construct}, headers={"accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.text, format="turtle")) == 17
    jsonld = client.get("/sparql", params={"query": construct}, headers={"accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == 17


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://example.org/x>",
    ],
)
def test_updates_are_refused_and_change_nothing(client, query):
    before = client.get("/api/stats").json()["triples"]
    for response in (
        client.post("/sparql", data={"update": query}),
        client.post("/sparql", content=query, headers={"content-type": "application/sparql-update"}),
        client.get("/sparql", params={"query": query}),
    ):
        assert response.status_code == 400, response.text
        assert "read-only" in response.json()["detail"] or "malformed" in response.json()["detail"]
    assert client.get("/api/stats").json()["triples"] == before


def test_malformed_query_gives_400_with_the_parser_message(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x a }"})
    assert response.status_code == 400
    # Oxigraph's parser reports where it stopped (the closing brace at column 24 ends the input too early).
    assert response.json()["detail"].startswith('malformed SPARQL at line 1, column 25, near "E { ?x a }": expected ')


def test_service_is_refused(client):
    response = client.get(
        "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}
    )
    assert response.status_code == 400 and "SERVICE" in response.json()["detail"]


def test_missing_query_is_a_400(client):
    assert client.get("/sparql").status_code == 400


def test_row_cap_is_flagged(demo_settings):
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(demo_settings.model_copy(update={"max_rows": 5}))) as capped:
        response = capped.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a pg:PolicyMeasure }"})
    assert len(response.json()["results"]["bindings"]) == 5
    assert response.headers["x-peergraph-truncated"] == "true"


def test_health_and_home_page(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["rdf_store"]["read_only"] is True
    page = client.get("/")
    assert page.status_code == 200 and "PolicyMeasure" in page.text and str(sample_count("measures")) in page.text
    assert 'src="http' not in page.text and 'href="http' not in page.text  # every asset is local
    assert json.loads(client.get("/openapi.json").text)["paths"]["/sparql"]
