"""SPARQL deadlines that stop the work: worker processes killed past the deadline, a bounded queue, the CLI's exit.

These start worker processes (and, for SIGTERM, a server), so they are marked slow. Deadlines are short (2 s);
the bounds asserted on elapsed time are generous (they only prove the work did not run on unbounded).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import QueryTimeout
from graph.rdf.query_pool import QueryPool, cancel_when
from graph.rdf.store import RdfStore
from graph.settings import Settings

pytestmark = pytest.mark.slow

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# Every country times every triple: about a second on the demo store, far longer than the pool's 0.1 s poll.
COUNTRIES_BY_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/peergraph/ontology#Country> . ?d ?e ?f }"
COUNT_SOURCES = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
JSON = {"Accept": "application/sparql-results+json"}


def _with_workers(settings: Settings, **values) -> Settings:
    """The test's settings with query workers (the suite's default is in-process) and generous admission."""
    limits = {"query_workers": 1, "query_timeout_s": 2.0, "serve_from_memory": False}
    limits |= {"admission_max_running": 8, "admission_max_running_per_client": 8, "admission_max_queued": 8}
    return settings.model_copy(update=limits | values)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def _count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _expected_count(store_path: Path, query: str) -> int:
    with RdfStore(store_path, read_only=True) as store:
        return int(store.run_query(query, max_rows=1).rows[0]["n"])


def test_cartesian_query_gets_504_its_worker_is_killed_and_the_next_query_answers(demo_settings):
    settings = _with_workers(demo_settings)
    expected = _expected_count(settings.store, COUNT_SOURCES)
    with TestClient(create_app(settings)) as client:
        pool = client.app.state.query_pool
        assert pool.wait_ready(60)
        (before,) = pool.stats().pids
        started = time.monotonic()
        late = client.get("/sparql", params={"query": CARTESIAN}, headers=JSON)
        elapsed = time.monotonic() - started
        assert late.status_code == 504
        assert "deadline of 2 s" in late.json()["detail"] and "PEERGRAPH_QUERY_TIMEOUT_S" in late.json()["detail"]
        assert elapsed < 30  # stopped, not run to the end (it would take hours)
        assert not _alive(before)
        stats = pool.stats()
        assert stats.timeouts == 1 and stats.busy == 0 and len(stats.pids) == 1 and stats.pids[0] != before
        assert pool.wait_ready(60)
        assert _count(client.get("/sparql", params={"query": COUNT_SOURCES}, headers=JSON)) == expected
        posted = client.post("/sparql", content=COUNT_SOURCES, headers={"Content-Type": "application/sparql-query"})
        assert _count(posted) == expected


def test_queue_full_gets_503_with_retry_after(demo_settings):
    settings = _with_workers(demo_settings, query_queue=0, query_timeout_s=4.0, admission_retry_after_s=7)
    with TestClient(create_app(settings)) as client:
        pool = client.app.state.query_pool
        assert pool.wait_ready(60)
        answers: list[httpx.Response] = []
        heavy = threading.Thread(target=lambda: answers.append(client.get("/sparql", params={"query": CARTESIAN})))
        heavy.start()
        waited = time.monotonic()
        while pool.stats().busy == 0 and time.monotonic() - waited < 30:
            time.sleep(0.05)
        refused = client.get("/sparql", params={"query": COUNT_SOURCES}, headers=JSON)
        heavy.join(60)
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "7"
        assert "PEERGRAPH_QUERY_QUEUE" in refused.json()["detail"]
        assert [answer.status_code for answer in answers] == [504]
        assert pool.stats().refused == 1


def test_a_caller_that_goes_away_has_its_worker_killed(demo_settings):
    with QueryPool(demo_settings.store, in_memory=False, workers=1, queue=0, timeout_s=60, retry_after_s=5) as pool:
        assert pool.wait_ready(60)
        (before,) = pool.stats().pids
        gone = threading.Event()
        threading.Timer(0.5, gone.set).start()
        started = time.monotonic()
        with cancel_when(gone.is_set), pytest.raises(QueryTimeout, match="went away"):
            pool.run_query(CARTESIAN, max_rows=1)
        assert time.monotonic() - started < 30
        assert not _alive(before)
        assert pool.stats().cancelled == 1


def test_a_query_whose_caller_left_finishes_within_the_grace_and_keeps_its_worker(demo_settings):
    expected = _expected_count(demo_settings.store, COUNTRIES_BY_TRIPLES)
    with QueryPool(
        demo_settings.store, in_memory=False, workers=1, queue=0, timeout_s=60, retry_after_s=5, cancel_grace_s=60
    ) as pool:
        assert pool.wait_ready(60)
        (before,) = pool.stats().pids
        with cancel_when(lambda: True):  # gone before the query even starts
            answer = pool.run_query(COUNTRIES_BY_TRIPLES, max_rows=1)
        assert int(answer.rows[0]["n"]) == expected
        stats = pool.stats()
        assert stats.pids == (before,) and stats.cancelled == 0 and stats.startup_s is not None


def test_workers_see_data_written_after_they_opened(demo_settings):
    settings = _with_workers(demo_settings, query_timeout_s=60.0)
    with TestClient(create_app(settings)) as client:
        assert client.app.state.query_pool.wait_ready(60)
        before = _count(client.get("/sparql", params={"query": COUNT_SOURCES}, headers=JSON))
        with RdfStore(settings.store) as writer:
            victim = writer.sources()[-1].name
            graphs = len(writer.sources()[-1].graphs(include_restricted=False))
            writer.remove_sources([victim])
        after = _count(client.get("/sparql", params={"query": COUNT_SOURCES}, headers=JSON))
        assert after == before - graphs


def test_cli_exits_5_naming_the_deadline(demo_settings):
    env = {**os.environ, "PEERGRAPH_QUERY_TIMEOUT_S": "2", "PEERGRAPH_QUERY_WORKERS": "1"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "--store", str(demo_settings.store), "sparql", CARTESIAN],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 5, done.stderr
    assert "deadline of 2 s" in " ".join(done.stderr.split())
    assert time.monotonic() - started < 60


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


@pytest.fixture
def server(demo_settings):
    """A real `peergraph serve` with two query workers and a 120 s deadline; yields (process, base URL)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PEERGRAPH_QUERY_TIMEOUT_S": "120", "PEERGRAPH_QUERY_WORKERS": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--store", str(demo_settings.store), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        waited = time.monotonic()
        while True:
            try:
                if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=60).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() - waited < 90, "the server did not start"
            time.sleep(0.3)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _workers_ready(pid: int, count: int) -> set[int]:
    """Wait until the server has ``count`` worker processes; return their ids."""
    waited = time.monotonic()
    while len(children := _children(pid)) != count and time.monotonic() - waited < 30:
        time.sleep(0.1)
    return children


def test_a_client_that_disconnects_has_its_worker_killed_and_replaced(server):
    process, base = server
    workers = _workers_ready(process.pid, 2)
    assert len(workers) == 2
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{base}/sparql", params={"query": CARTESIAN}, timeout=1.5)
    waited = time.monotonic()
    while all(_alive(pid) for pid in workers) and time.monotonic() - waited < 20:
        time.sleep(0.1)
    assert sum(_alive(pid) for pid in workers) == 1  # the one that ran the query is gone (not after 120 s)
    assert len(_workers_ready(process.pid, 2)) == 2  # and replaced


@pytest.mark.parametrize(
    "signals", [(signal.SIGTERM,), (signal.SIGTERM, signal.SIGINT)], ids=["sigterm", "sigterm-then-ctrl-c"]
)
def test_serve_stops_promptly_on_sigterm_with_a_query_in_flight(server, signals):
    process, base = server
    workers = _workers_ready(process.pid, 2)
    assert len(workers) == 2
    answers: list[object] = []

    def heavy() -> None:
        try:
            answers.append(httpx.get(f"{base}/sparql", params={"query": CARTESIAN}, timeout=120).status_code)
        except httpx.TransportError as error:
            answers.append(type(error).__name__)

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(1.0)
    assert httpx.get(f"{base}/health", timeout=10).status_code == 200
    for number in signals:  # a second signal lands while the first one's handler runs
        process.send_signal(number)
    stopped = time.monotonic()
    process.wait(timeout=60)
    assert time.monotonic() - stopped < 15  # not the 120 s deadline
    thread.join(30)
    assert answers and answers[0] in (503, "RemoteProtocolError", "ReadError")
    time.sleep(1.5)  # a worker whose server is gone leaves within a second
    assert not any(_alive(pid) for pid in workers)


def test_pool_starts_workers_when_asked_and_kills_them_on_close(demo_settings):
    with QueryPool(demo_settings.store, in_memory=False, workers=2, queue=3, timeout_s=5, retry_after_s=5) as pool:
        assert pool.stats().pids == ()  # nothing starts before it is asked to
        assert pool.wait_ready(60)
        stats = pool.stats()
        assert (stats.workers, len(stats.pids), stats.busy, stats.queued) == (2, 2, 0, 0)
        assert all(_alive(pid) for pid in stats.pids)
    assert pool.stats().pids == () and not any(_alive(pid) for pid in stats.pids)


def test_a_request_address_over_the_server_limit_gets_414_and_the_server_goes_on(server):
    import http.client
    import json
    from urllib.parse import urlencode, urlsplit

    _, base = server
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)  # httpx caps URLs at 64 KiB
    connection.request("GET", "/sparql?" + urlencode({"query": "ASK {} #" + "x" * 100_000}))
    answer = connection.getresponse()
    assert answer.status == 414
    assert answer.getheader("content-type") == "application/problem+json"
    assert "over the 32768-byte limit for GET: send the query with POST" in json.loads(answer.read())["detail"]
    connection.close()
    assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30).json()["boolean"] is True
