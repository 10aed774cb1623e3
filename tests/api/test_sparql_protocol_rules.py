"""SPARQL 1.1 Protocol rules of /sparql: conflicting query sources, encodings, media types, Accept, long GETs."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app
from graph.settings import Settings
from tests.helpers import DATA

ASK = "ASK { ?s a <http://xmlns.com/foaf/0.1/Document> }"
DIRECT = {"content-type": "application/sparql-query"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
TSV_QUERY = 'SELECT ?x ?y WHERE { BIND("tab\\there \\"q\\"\\nline" AS ?x) }'


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """An app over a store holding one small source (the W3C protocol suite's data1.nt); tests only read."""
    folder = tmp_path_factory.mktemp("protocol-rules")
    path = shutil.copy(DATA / "w3c" / "protocol" / "data1.nt", folder / "data1.nt")
    settings = Settings(store=folder / "store", _env_file=None)
    assert CliRunner().invoke(app, ["--store", str(settings.store), "ingest", str(path)]).exit_code == 0
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def problem(answer, status: int) -> str:
    """The detail of a 4xx answer, after checking its status."""
    assert answer.status_code == status, answer.text
    return answer.json()["detail"]


@pytest.mark.parametrize(
    ("body", "headers"), [(ASK.encode(), DIRECT), (b"query=ASK%20%7B%7D", FORM)], ids=["direct", "form"]
)
def test_query_in_url_and_body_is_a_400(client, body, headers):
    answer = client.post("/sparql", params={"query": "ASK {}"}, content=body, headers=headers)
    assert problem(answer, 400) == "'query' is both in the URL and in the body: send it once (SPARQL 1.1 Protocol)"
    assert answer.headers["content-type"] == "application/problem+json"


def test_form_body_with_invalid_utf8_is_a_400(client):
    answer = client.post("/sparql", content=b"query=ASK%20%7B%20%FF%20%7D", headers=FORM)
    assert problem(answer, 400) == "the form body is not UTF-8: percent-encode UTF-8 bytes (SPARQL 1.1 Protocol)"
    raw = client.post("/sparql", content=b"query=ASK {\xff}", headers=FORM)
    assert problem(raw, 400) == "the form body is not UTF-8: percent-encode UTF-8 bytes (SPARQL 1.1 Protocol)"


def test_direct_body_with_invalid_utf8_is_a_400(client):
    answer = client.post("/sparql", content=b"ASK { \xe9 }", headers=DIRECT)
    assert problem(answer, 400) == ("the query is not UTF-8 (byte 6): send it encoded as UTF-8 (SPARQL 1.1 Protocol)")


def test_get_parameters_with_invalid_utf8_are_a_400(client):
    answer = client.get("/sparql?query=ASK%20%7B%FF%7D")
    assert problem(answer, 400) == (
        "the URL's query string is not UTF-8: percent-encode UTF-8 bytes (SPARQL 1.1 Protocol)"
    )


@pytest.mark.parametrize(
    ("content_type", "detail"),
    [
        ("text/plain", "content type 'text/plain': send a query as application/sparql-query or "
         "application/x-www-form-urlencoded (SPARQL 1.1 Protocol)"),
        ("application/json", "content type 'application/json': send a query as application/sparql-query or "
         "application/x-www-form-urlencoded (SPARQL 1.1 Protocol)"),
        ("application/sparql-query; charset=ISO-8859-1",
         "charset 'iso-8859-1': send the query encoded as UTF-8 (SPARQL 1.1 Protocol)"),
    ],
)  # fmt: skip
def test_unsupported_content_type_is_a_415(client, content_type, detail):
    answer = client.post("/sparql", content=ASK.encode(), headers={"content-type": content_type})
    assert problem(answer, 415) == detail


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("Application/SPARQL-Query", ASK.encode()),
        ("APPLICATION/SPARQL-QUERY; Charset=UTF-8", ASK.encode()),
        ("Application/X-WWW-Form-URLEncoded; charset=utf-8", b"query=" + ASK.replace(" ", "+").encode()),
    ],
)
def test_media_types_are_case_insensitive(client, content_type, body):
    answer = client.post("/sparql", content=body, headers={"content-type": content_type})
    assert answer.status_code == 200 and answer.content == b'{"head":{},"boolean":true}'


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*;q=0.9, application/sparql-results+json;q=0.8", "text/csv"),
        ("Text/Tab-Separated-Values", "text/tab-separated-values"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
        ("text/csv;q=0, */*", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
    ],
)
def test_accept_q_values_choose_the_format(client, accept, media):
    answer = client.get("/sparql", params={"query": ASK}, headers={"accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].split(";")[0] == media


def test_nothing_acceptable_is_a_406(client):
    answer = client.get("/sparql", params={"query": ASK}, headers={"accept": "application/json, text/csv;q=0"})
    assert problem(answer, 406) == (
        "cannot answer a SELECT/ASK result as 'application/json, text/csv;q=0'; available: "
        "application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values "
        "(by Accept or format)"
    )
    construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "csv"})
    assert construct.status_code == 406


def test_format_parameter_overrides_accept_and_is_checked(client):
    answer = client.get("/sparql", params={"query": TSV_QUERY, "format": "tsv"}, headers={"accept": "text/csv"})
    assert answer.headers["content-type"].startswith("text/tab-separated-values")
    assert answer.content == b'?x\t?y\n"tab\\there \\"q\\"\\nline"\t\n'
    bad = client.get("/sparql", params={"query": ASK, "format": "yaml"})
    assert problem(bad, 400).startswith("format: unknown 'yaml'; known: json, xml, csv, tsv")


def test_csv_quotes_and_writes_blank_nodes_as_labels(client):
    query = 'SELECT ?x ?b WHERE { BIND("a,\\"b\\"\\nc" AS ?x) BIND(BNODE() AS ?b) }'
    answer = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    header, row, end = answer.text.split("\r\n")
    assert header == "x,b" and end == ""
    assert row.startswith('"a,""b""\nc",_:') and len(row) > len('"a,""b""\nc",_:')


def test_long_get_is_a_414_that_says_to_post(client):
    query = "ASK {} # " + "x" * 9000
    answer = client.get("/sparql", params={"query": query})
    size = len("/sparql?query=") + len(
        query.replace(" ", "+").replace("#", "%23").replace("{", "%7B").replace("}", "%7D")
    )
    assert problem(answer, 414) == (
        f"the request address is {size} bytes, over the 8192-byte limit for GET: send the query with POST, "
        "as application/sparql-query or application/x-www-form-urlencoded"
    )
    assert client.post("/sparql", content=query.encode(), headers=DIRECT).json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s FROM <http://example.org/not-held> WHERE { ?s ?p ?o }",
        "SELECT ?s FROM NAMED <http://example.org/not-held> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_from_a_graph_the_store_does_not_hold_is_empty(client, query):
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code == 200
    assert answer.content == b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'


def test_from_a_held_graph_still_answers(client):
    query = "SELECT ?s FROM <https://w3id.org/peergraph/id/source-file/data1.nt> WHERE { ?s ?p ?o }"
    assert client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"}).content == (
        b"s\r\nhttp://kasei.us/2009/09/sparql/data/data1.rdf\r\n"
    )
