"""The W3C SPARQL 1.1 Protocol tests (rdf-tests ``sparql/sparql11/protocol/manifest.ttl``), over the suite's data.

Each test is named after the W3C test it runs, with the request of the manifest (path ``/sparql/`` becomes
``/sparql``). The fixture loads the suite's ``data1.nt`` … ``data3.nt`` as three sources; the manifest names
their graphs ``http://kasei.us/2009/09/sparql/data/dataN.rdf``, which peergraph names by source
(``…/id/source-file/dataN.nt``), so dataset parameters and ``FROM`` clauses name those. ``data0.rdf``, which
no test loads, stays unknown: an empty graph. The ``update_*`` tests cannot run (the endpoint is query-only);
their ``bad_update_*`` siblings expect a 4xx, which every update gets.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app
from graph.settings import Settings
from tests.helpers import DATA

KASEI = "http://kasei.us/2009/09/sparql/data/"
SOURCE = "https://w3id.org/peergraph/id/source-file/"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
DIRECT = {"content-type": "application/sparql-query"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def graph(n: int) -> str:
    """The store's name for the suite's graph ``dataN.rdf``."""
    return f"{SOURCE}data{n}.nt"


def url(**params: list[str]) -> str:
    """``/sparql`` with percent-encoded parameters, repeated as listed (names with ``_`` for ``-``)."""
    pairs = [f"{name.replace('_', '-')}={quote(v, safe='')}" for name, values in params.items() for v in values]
    return "/sparql" + ("?" + "&".join(pairs) if pairs else "")


@pytest.fixture(scope="module")
def w3c(tmp_path_factory):
    """An app over a store holding the suite's data1.nt, data2.nt and data3.nt (one source each).

    Built once for the module: every test here only reads (the bad requests assert that nothing changed).
    """
    folder = tmp_path_factory.mktemp("w3c-protocol")
    files = [shutil.copy(DATA / "w3c" / "protocol" / f"data{n}.nt", folder / f"data{n}.nt") for n in (1, 2, 3)]
    settings = Settings(store=folder / "store", _env_file=None)
    loaded = CliRunner().invoke(app, ["--store", str(settings.store), "ingest", *map(str, files)])
    assert loaded.exit_code == 0, loaded.output
    with TestClient(create_app(settings)) as client:
        yield client


def boolean(answer) -> bool:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/sparql-results+json"
    return answer.json()["boolean"]


BOTH = f"ASK {{ <{KASEI}data1.rdf> a ?type . <{KASEI}data2.rdf> a ?type . }}"
NAMED = f"ASK {{ GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }} GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }} }}"


def test_query_post_form(w3c):
    assert boolean(w3c.post(url(default_graph_uri=[KASEI + "data0.rdf"]), content=b"query=ASK%20%7B%7D", headers=FORM))


def test_query_dataset_default_graphs_get(w3c):
    assert boolean(w3c.get(url(query=[BOTH], default_graph_uri=[graph(1), graph(2)])))
    assert not boolean(w3c.get(url(query=[BOTH], default_graph_uri=[graph(1)])))  # the dataset is what is named


def test_query_dataset_default_graphs_post(w3c):
    assert boolean(w3c.post(url(default_graph_uri=[graph(1), graph(2)]), content=BOTH.encode(), headers=DIRECT))


def test_query_dataset_named_graphs_post(w3c):
    assert boolean(w3c.post(url(named_graph_uri=[graph(1), graph(2)]), content=NAMED.encode(), headers=DIRECT))


def test_query_dataset_named_graphs_get(w3c):
    assert boolean(w3c.get(url(query=[NAMED], named_graph_uri=[graph(1), graph(2)])))
    assert not boolean(w3c.get(url(query=[NAMED], named_graph_uri=[graph(1)])))


def test_query_dataset_full(w3c):
    query = (
        f"ASK {{ <{KASEI}data3.rdf> a ?type GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }} "
        f"GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }} }}"
    )
    target = url(default_graph_uri=[graph(3)], named_graph_uri=[graph(1), graph(2)])
    assert boolean(w3c.post(target, content=query.encode(), headers=DIRECT))


def test_query_multiple_dataset(w3c):
    query = NAMED.replace("ASK {", f"ASK FROM <{graph(3)}> {{", 1)
    assert boolean(w3c.post(url(named_graph_uri=[graph(1), graph(2)]), content=query.encode(), headers=DIRECT))
    # The protocol's dataset replaces the query's: without it, FROM <data3> alone holds no named graph.
    assert not boolean(w3c.post("/sparql", content=query.encode(), headers=DIRECT))


def test_query_get(w3c):
    assert boolean(w3c.get(url(query=["ASK {}"], default_graph_uri=[KASEI + "data0.rdf"])))


def test_query_content_type_select(w3c):
    answer = w3c.post(url(default_graph_uri=[KASEI + "data0.rdf"]), content=b"SELECT (1 AS ?value) {}", headers=DIRECT)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/sparql-results+json"
    assert answer.content == (
        b'{"head":{"vars":["value"]},"results":{"bindings":[{"value":'
        b'{"type":"literal","value":"1","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
    )


def test_query_content_type_ask(w3c):
    answer = w3c.post(
        url(default_graph_uri=[KASEI + "data0.rdf"]),
        content=b"ASK {}",
        headers={**DIRECT, "accept": "application/sparql-results+xml"},
    )
    assert answer.headers["content-type"] == "application/sparql-results+xml"
    assert ET.fromstring(answer.text).find(f"{RESULTS}boolean").text == "true"


@pytest.mark.parametrize(
    ("query", "triples"),
    [
        ("DESCRIBE <http://example.org/>", 0),
        ("CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 } WHERE {}", 1),
    ],
)
def test_query_content_type_describe_and_construct(w3c, query, triples):
    answer = w3c.post(url(default_graph_uri=[KASEI + "data0.rdf"]), content=query.encode(), headers=DIRECT)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=answer.text, format="turtle")) == triples


def test_query_post_direct(w3c):
    assert boolean(w3c.post("/sparql", content=b"ASK {}", headers=DIRECT))


@pytest.mark.parametrize(
    ("name", "method", "target", "body", "headers", "status"),
    [
        ("bad_query_method", "PUT", url(query=["ASK {}"]), b"", FORM, 405),
        ("bad_multiple_queries", "GET", url(query=["ASK {}", "SELECT * {}"]), b"", {}, 400),
        ("bad_query_wrong_media_type", "POST", "/sparql", b"ASK {}", {"content-type": "text/plain"}, 415),
        ("bad_query_missing_form_type", "POST", "/sparql", b"query=ASK%20%7B%7D", {}, 415),
        ("bad_query_missing_direct_type", "POST", "/sparql", b"ASK {}", {}, 415),
        (
            "bad_query_non_utf8",
            "POST",
            "/sparql",
            "ASK {}".encode("utf-16"),
            {"content-type": "application/sparql-query; charset=UTF-16"},
            415,
        ),
        ("bad_query_syntax", "GET", url(query=["ASK {"]), b"", {}, 400),
        ("bad_update_get", "GET", url(update=["CLEAR ALL"]), b"", {}, 400),
        ("bad_multiple_updates", "POST", "/sparql", b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM, 400),
        ("bad_update_wrong_media_type", "POST", "/sparql", b"CLEAR NAMED", {"content-type": "text/plain"}, 415),
        ("bad_update_missing_form_type", "POST", "/sparql", b"update=CLEAR%20NAMED", {}, 415),
        (
            "bad_update_non_utf8",
            "POST",
            "/sparql",
            "CLEAR NAMED".encode("utf-16"),
            {"content-type": "application/sparql-update; charset=UTF-16"},
            400,
        ),
        ("bad_update_syntax", "POST", "/sparql", b"update=CLEAR%20XYZ", FORM, 400),
        ("bad_update_dataset_conflict", "POST", url(using_named_graph_uri=["http://example/people"]),
         b"WITH <http://example/addresses> DELETE { ?p ?x ?y } WHERE { ?p ?x ?y }",
         {"content-type": "application/sparql-update"}, 400),
    ],
)  # fmt: skip
def test_bad_requests(w3c, name, method, target, body, headers, status):
    before = w3c.get(url(query=["SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"])).json()
    answer = w3c.request(method, target, content=body, headers=headers)
    assert answer.status_code == status, (name, answer.text)
    assert w3c.get(url(query=["SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"])).json() == before
