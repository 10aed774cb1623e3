"""The W3C SPARQL 1.1 Protocol query tests (www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/).

Each test is named after the W3C test it follows. The dataset tests name graphs of this store instead of the
suite's web addresses (kasei.us/…/data1.rdf): peergraph answers from its own graphs and never fetches a graph
from the web (tested below). Update tests do not apply (the endpoint is query-only); every update is refused.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

SOURCE = "https://w3id.org/peergraph/id/source-file/sample%2F"
EXCHANGES, PROGRAMMES = SOURCE + "exchanges.csv", SOURCE + "programmes.csv"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NAMED = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def _count(answer) -> int:
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def sizes(client, cli, demo_settings):
    """Triples of the two sources the dataset tests name, counted from the catalogue (the operator's stats)."""
    stats = json.loads(cli("stats", "--json", settings=demo_settings).output)
    sources = {s["name"]: s["triples"] for s in stats["sources"]}
    return sources["sample/exchanges.csv"], sources["sample/programmes.csv"]


def test_query_get(client):
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_query_post_form(client):
    answer = client.post("/sparql", data={"query": "ASK {}"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True


def test_query_post_direct(client):
    answer = client.post("/sparql", content=b"ASK {}", headers={"content-type": "application/sparql-query"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True


def test_query_dataset_default_graph(client, sizes):
    assert _count(client.get("/sparql", params={"query": COUNT, "default-graph-uri": EXCHANGES})) == sizes[0]


def test_query_dataset_default_graphs_get(client, sizes):
    params = [("query", COUNT), ("default-graph-uri", EXCHANGES), ("default-graph-uri", PROGRAMMES)]
    assert _count(client.get("/sparql", params=params)) == sum(sizes)


def test_query_dataset_default_graphs_post(client, sizes):
    answer = client.post(
        "/sparql",
        content=COUNT.encode(),
        params=[("default-graph-uri", EXCHANGES), ("default-graph-uri", PROGRAMMES)],
        headers={"content-type": "application/sparql-query"},
    )
    assert _count(answer) == sum(sizes)


def _named(answer) -> list[int]:
    assert answer.status_code == 200, answer.text
    return sorted(int(b["n"]["value"]) for b in answer.json()["results"]["bindings"])


def test_query_dataset_named_graphs_post(client, sizes):
    form = {"query": NAMED, "named-graph-uri": [EXCHANGES, PROGRAMMES]}
    assert _named(client.post("/sparql", data=form)) == sorted(sizes)


def test_query_dataset_named_graphs_get(client, sizes):
    params = [("query", NAMED), ("named-graph-uri", EXCHANGES), ("named-graph-uri", PROGRAMMES)]
    assert _named(client.get("/sparql", params=params)) == sorted(sizes)


def test_query_dataset_full(client, sizes):
    query = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    params = [("query", query), ("default-graph-uri", EXCHANGES), ("named-graph-uri", PROGRAMMES)]
    assert _count(client.get("/sparql", params=params)) == sum(sizes)


def test_query_multiple_dataset(client, sizes):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{PROGRAMMES}> WHERE {{ ?s ?p ?o }}"
    assert _count(client.get("/sparql", params={"query": query})) == sizes[1]  # the query's own dataset
    # The protocol's dataset overrides the query's.
    assert _count(client.get("/sparql", params={"query": query, "default-graph-uri": EXCHANGES})) == sizes[0]


def test_query_content_type_select(client):
    query = "SELECT ?id WHERE { ?x a pg:Programme ; pg:identifier ?id } ORDER BY ?id"
    xml = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert [e.text for e in ET.fromstring(xml.text).iter(f"{RESULTS}literal")] == ["EF1", "EF2", "IFCD"]
    as_csv = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert list(csv.reader(io.StringIO(as_csv.text))) == [["id"], ["EF1"], ["EF2"], ["IFCD"]]
    tsv = client.get("/sparql", params={"query": query}, headers={"accept": "text/tab-separated-values"})
    assert tsv.text.splitlines() == ["?id", '"EF1"', '"EF2"', '"IFCD"']


def test_query_content_type_ask(client):
    xml = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "application/sparql-results+xml"})
    assert ET.fromstring(xml.text).find(f"{RESULTS}boolean").text == "true"


@pytest.mark.parametrize(
    "form",
    [
        "DESCRIBE <https://w3id.org/peergraph/id/programme/EF1>",
        "CONSTRUCT { ?s ?p ?o } WHERE { BIND(pgd:programme\\/EF1 AS ?s) ?s ?p ?o }",
    ],
)
@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/rdf+xml", "xml"),
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_query_content_type_describe_and_construct(client, form, accept, fmt):
    answer = client.get("/sparql", params={"query": form}, headers={"accept": accept})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=answer.text, format=fmt)
    assert len(graph) >= 5


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("put", {"params": {"query": "ASK {}"}}),  # bad_query_method
        ("get", {"params": [("query", "ASK {}"), ("query", "SELECT * {}")]}),  # bad_multiple_queries
        ("post", {"content": b"ASK {}", "headers": {"content-type": "text/plain"}}),  # bad_query_wrong_media_type
        ("post", {"content": b"query=ASK%20%7B%7D", "headers": {"content-type": ""}}),  # bad_query_missing_form_type
        ("post", {"content": b"ASK {}", "headers": {"content-type": ""}}),  # bad_query_missing_direct_type
        ("post", {"content": "ASK {}".encode("utf-16"), "headers": {"content-type": "application/sparql-query"}}),
        ("get", {"params": {"query": "ASK {XXX}"}}),  # bad_query_syntax
        ("get", {"params": {"update": "CLEAR ALL"}}),  # bad_update_get
        ("post", {"data": {"update": ["CLEAR ALL", "CLEAR DEFAULT"]}}),  # bad_multiple_updates
        ("post", {"content": b"CLEAR ALL", "headers": {"content-type": "application/sparql-update"}}),
        (
            "get",
            {"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "http://example.org/data1.rdf"}},
        ),
    ],
)
def test_bad_requests_get_a_4xx_and_change_nothing(client, method, kwargs):
    before = client.get("/api/stats").json()["triples"]
    answer = getattr(client, method)("/sparql", **kwargs)
    assert 400 <= answer.status_code < 500, answer.text
    assert client.get("/api/stats").json()["triples"] == before
