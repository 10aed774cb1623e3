"""No SPARQL request reaches the network: SERVICE refused on the parse tree, and queries run without sockets."""

import time

import pyoxigraph as ox
import pytest

from graph.rdf.sandbox import ISOLATION, run_without_network

SPELLINGS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE#x\n<{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE # comment\n SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SeRvIcE\n\t<{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE SILENT ?e {{ ?s ?p ?o }} }}",
    "PREFIX remote: <{url}> SELECT * WHERE {{ SERVICE remote:a {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ ?x a pg:Project OPTIONAL {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ ?x a pg:Project }} UNION {{ SERVICE SILENT <{url}> {{ ?x ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?x a pg:Project MINUS {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?x a pg:Project FILTER EXISTS {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }}",
    "SELECT * WHERE {{ BIND(NOT EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} AS ?b) }}",
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
]


def _wait_quiet(connections: list, seconds: float = 0.5) -> None:
    """Give a connection that might still be on its way time to arrive."""
    deadline = time.monotonic() + seconds
    while not connections and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_service_in_any_spelling_is_refused_and_nothing_connects(client, listener, spelling):
    port, connections = listener
    query = spelling.format(url=f"http://127.0.0.1:{port}/sparql")
    api = client.get("/sparql", params={"query": query})
    posted = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    console = client.get("/console/sparql", params={"query": query})
    _wait_quiet(connections)
    assert connections == []
    for response in (api, posted):
        assert response.status_code == 400, response.text
        assert "SERVICE (federated queries) is refused" in response.json()["detail"]
    assert console.status_code == 400 and "SERVICE (federated queries) is refused" in console.text


def test_service_is_refused_with_the_reason(client, listener):
    port, _ = listener
    response = client.get(
        "/sparql", params={"query": f"SELECT * WHERE {{ SERVICE#x\n<http://127.0.0.1:{port}/> {{}} }}"}
    )
    assert response.status_code == 400
    assert "SERVICE (federated queries) is refused" in response.json()["detail"]


def test_cli_refuses_service_with_exit_2(cli, demo_settings, listener):
    port, connections = listener
    result = cli(
        "sparql", "-", settings=demo_settings, input=f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{}} }}"
    )
    assert result.exit_code == 2
    assert "SERVICE" in result.output
    assert connections == []


def test_canned_questions_still_answer(client):
    response = client.get("/api/questions")
    question = response.json()[0]
    arguments = {p["name"]: p["example"] for p in question["parameters"]}
    answer = client.get(f"/api/questions/{question['name']}", params=arguments)
    assert answer.status_code == 200 and answer.json()["rows"]


@pytest.mark.skipif(not ISOLATION.startswith("seccomp"), reason=f"no seccomp here: {ISOLATION}")
def test_a_query_engine_in_the_sandbox_cannot_connect_even_when_it_tries(listener):
    # A parser gap would hand the engine a SERVICE: outside the sandbox Oxigraph connects (the control),
    # inside it socket() fails and the listener hears nothing.
    port, connections = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"

    def evaluate() -> str:
        try:
            return f"rows: {list(ox.Store().query(query))}"
        except OSError as error:
            return f"failed: {error}"

    assert run_without_network(evaluate).startswith("failed:")
    _wait_quiet(connections)
    assert connections == []
    evaluate()  # the control: the same query outside the sandbox
    _wait_quiet(connections, seconds=5)
    assert len(connections) >= 1
