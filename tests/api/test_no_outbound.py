"""More spellings of SERVICE (escapes, nesting, comments) than test_sparql_network.py, and words that are not it."""

from __future__ import annotations

import pytest

SPELLINGS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE#x\n<{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ service\t<{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX x: <{url}> SELECT * WHERE {{ SERVICE x: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE #\n#\n<{url}> {{ ?s ?p ?o }} }} }}",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_service_is_refused_and_nothing_connects(client, listener, spelling):
    port, accepted = listener  # tests/conftest.py: a loopback listener that records connections
    query = spelling.format(url=f"http://127.0.0.1:{port}/a")
    answer = client.post("/sparql", data={"query": query})
    assert answer.status_code == 400, answer.text
    assert "SERVICE (federated queries) is refused" in answer.text
    console = client.get("/console/sparql", params={"query": query})
    assert "SERVICE (federated queries) is refused" in console.text
    assert accepted == []


def test_the_word_service_in_strings_iris_and_names_is_not_refused(client):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://x/>" AS ?x) FILTER(?x != <http://example.org/SERVICE>) } # SERVICE'
    answer = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"][0]["x"]["value"] == "SERVICE <http://x/>"
