"""Nothing leaves the machine: no spelling of SERVICE makes the server connect anywhere."""

from __future__ import annotations

import socket
import threading

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


@pytest.fixture
def listener():
    """A TCP listener on loopback that counts the connections it accepts (it must stay at 0)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    accepted: list[tuple] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            accepted.append(address)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/a", accepted
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_service_is_refused_and_nothing_connects(client, listener, spelling):
    url, accepted = listener
    query = spelling.format(url=url)
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
