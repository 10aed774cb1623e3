"""Fixtures: settings per test, on-disk stores, the demo store, CLI runner, app client, a real Neo4j.

Neo4j comes from ``PEERGRAPH_TEST_NEO4J_URI`` (with ``PEERGRAPH_TEST_NEO4J_USER``/``_PASSWORD``) if set,
otherwise from the local Maven-fetched server (``tools/neo4j-local``), started once per session on port
17688 and stopped at the end. Real-component markers: tests marked ``neo4j`` or ``browser`` may skip on
a developer's machine when the component is missing, but under CI (``CI=true``) such a skip fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx2
import neo4j
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from graph.rdf.store import RdfStore
from graph.services.neo4j import open_neo4j_store
from graph.services.research import build_graph_view
from graph.services.store import ingest_paths, init_store, load_demo
from graph.settings import Settings
from tests.helpers import REPO

NEO4J_LOCAL = REPO / "tools" / "neo4j-local" / "neo4j-local.sh"
TEST_NEO4J_PORT = "17688"
FUSEKI_LOCAL = REPO / "tools" / "fuseki-local" / "fuseki-local.sh"
TEST_FUSEKI_PORT = "13130"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a store folder of this test's own (SPARQL in-process: tests/api/test_query_deadline.py
    starts worker processes)."""
    return Settings(store=tmp_path / "store", query_workers=0, _env_file=None)


@pytest.fixture
def store(settings: Settings):
    """An on-disk store opened for writing, with the built-in sources loaded; closed after the test."""
    opened = RdfStore(settings.store)
    init_store(opened)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory) -> Path:
    """A store holding the bundled sample data, built once per session (read it; never write it)."""
    path = tmp_path_factory.mktemp("demo") / "store"
    settings = Settings(store=path, _env_file=None)
    opened = RdfStore(path)
    load_demo(opened, settings)
    opened.close()
    return path


@pytest.fixture(scope="session")
def demo_view(demo_store_path: Path):
    """The graph view (projection + matching index) of the demo store, public records only."""
    with RdfStore(demo_store_path, read_only=True) as opened:
        return build_graph_view(opened)


@pytest.fixture
def demo_settings(demo_store_path: Path, tmp_path: Path) -> Settings:
    """Settings pointing at a private copy of the demo store (tests may write to it)."""
    copy = tmp_path / "demo-store"
    shutil.copytree(demo_store_path, copy, ignore=shutil.ignore_patterns("LOCK", "peergraph-writer.lock"))
    return Settings(store=copy, query_workers=0, _env_file=None)


CLOSED_EXCHANGE = "X-TEST-CLOSED"


@pytest.fixture(scope="session")
def restricted_store_path(demo_store_path: Path, tmp_path_factory) -> Path:
    """The demo store plus one restricted exchange (``X-TEST-CLOSED``, NAM learning from KOR on piracy)."""
    path = tmp_path_factory.mktemp("restricted") / "store"
    shutil.copytree(demo_store_path, path, ignore=shutil.ignore_patterns("LOCK", "peergraph-writer.lock"))
    folder = tmp_path_factory.mktemp("closed") / "closed"
    folder.mkdir()
    header = "id,seeker,provider,provider_institutions,provider_experts,provider_note,project,topic,challenges,"
    header += "methods,format,methods_note,phases,year,obstacles,success_factors,visibility,sources\n"
    row = f"{CLOSED_EXCHANGE},NAM,KOR,,,,,closed round table on piracy,piracy,,,,,2023,,,restricted,"
    (folder / "exchanges.csv").write_text(header + row + "https://example.org/closed\n", encoding="utf-8")
    with RdfStore(path) as writer:
        ingest_paths(writer, [folder], Settings(store=path, _env_file=None))
    return path


@pytest.fixture
def restricted_settings(restricted_store_path: Path, tmp_path: Path) -> Settings:
    """Settings pointing at a private copy of the store with a restricted exchange."""
    copy = tmp_path / "restricted-store"
    shutil.copytree(restricted_store_path, copy, ignore=shutil.ignore_patterns("LOCK", "peergraph-writer.lock"))
    return Settings(store=copy, query_workers=0, _env_file=None)


@pytest.fixture
def client(demo_settings: Settings):
    """A TestClient around the app serving a copy of the demo store."""
    with TestClient(create_app(demo_settings)) as test_client:
        yield test_client


@pytest.fixture
def cli(monkeypatch):
    """Run the ``peergraph`` CLI in-process: ``cli("stats", "--json", settings=…)`` (SPARQL in-process too)."""
    from api.cli import app

    monkeypatch.setenv("PEERGRAPH_QUERY_WORKERS", "0")

    runner = CliRunner()

    def invoke(*args: str, settings: Settings | None = None, input: str | None = None):
        prefix = ["--store", str(settings.store)] if settings is not None else []
        return runner.invoke(app, [*prefix, *args], input=input)

    return invoke


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI, a skipped real-component test (neo4j, fuseki, browser) fails instead."""
    outcome = yield
    report = outcome.get_result()
    real_component = any(item.get_closest_marker(name) for name in ("neo4j", "fuseki", "browser"))
    if report.skipped and real_component and os.environ.get("CI") == "true":
        report.outcome = "failed"
        report.longrepr = f"CI must run real-component tests, but this one skipped: {report.longrepr}"


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """Connection settings of a real Neo4j for this test session: ``{"uri", "user", "password"}``."""
    if os.environ.get("PEERGRAPH_TEST_NEO4J_URI"):
        yield {
            "uri": os.environ["PEERGRAPH_TEST_NEO4J_URI"],
            "user": os.environ.get("PEERGRAPH_TEST_NEO4J_USER", "neo4j"),
            "password": os.environ.get("PEERGRAPH_TEST_NEO4J_PASSWORD", ""),
        }
        return
    if not (shutil.which("java") and shutil.which("mvn") and shutil.which("javac")):
        pytest.skip("no Neo4j: PEERGRAPH_TEST_NEO4J_URI is unset and java/javac/mvn are missing for tools/neo4j-local")
    env = {**os.environ, "NEO4J_ENV_FILE": str(tmp_path_factory.mktemp("neo4j") / "neo4j.env")}
    started = subprocess.run(
        [str(NEO4J_LOCAL), "start", "--port", TEST_NEO4J_PORT, "--fresh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if started.returncode != 0:
        pytest.skip(f"the local Neo4j did not start: {started.stderr[-2000:]}")
    values = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    yield {
        "uri": values["PEERGRAPH_NEO4J_URI"],
        "user": values["PEERGRAPH_NEO4J_USER"],
        "password": values["PEERGRAPH_NEO4J_PASSWORD"],
    }
    subprocess.run([str(NEO4J_LOCAL), "stop", "--port", TEST_NEO4J_PORT], env=env, capture_output=True, timeout=120)


@pytest.fixture
def neo4j_settings(neo4j_server, demo_settings) -> Settings:
    """Settings with the demo store copy and the session's Neo4j; Neo4j is wiped after the test."""
    settings = demo_settings.model_copy(
        update={
            "neo4j_uri": neo4j_server["uri"],
            "neo4j_user": neo4j_server["user"],
            "neo4j_password": neo4j_server["password"],
        }
    )
    yield settings
    auth = (settings.neo4j_user, settings.neo4j_password)
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver, driver.session() as session:
        session.run(  # CALL … IN TRANSACTIONS needs an implicit transaction
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


@pytest.fixture
def neo4j_driver(neo4j_settings):
    """A driver of the neo4j package on the session's Neo4j, for tests to read what a sync wrote."""
    settings = neo4j_settings
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)) as driver:
        yield driver


@pytest.fixture
def neo4j_store(neo4j_settings):
    """An open Neo4jStore on the session's Neo4j (wiped after the test by ``neo4j_settings``)."""
    store = open_neo4j_store(neo4j_settings)
    yield store
    store.close()


@pytest.fixture(scope="session")
def fuseki_server(tmp_path_factory):
    """Endpoints of a real SPARQL 1.1 server for this session: ``{"query", "update", "gsp"}`` URLs.

    ``PEERGRAPH_TEST_SPARQL_QUERY_URL`` (with ``_UPDATE_URL``, ``_GSP_URL``) if set, otherwise a local Apache Jena
    Fuseki with an in-memory dataset (``tools/fuseki-local``), started once on port 13130 and stopped at the end.
    """
    if os.environ.get("PEERGRAPH_TEST_SPARQL_QUERY_URL"):
        yield {
            "query": os.environ["PEERGRAPH_TEST_SPARQL_QUERY_URL"],
            "update": os.environ.get("PEERGRAPH_TEST_SPARQL_UPDATE_URL"),
            "gsp": os.environ.get("PEERGRAPH_TEST_SPARQL_GSP_URL"),
        }
        return
    if not (shutil.which("java") and shutil.which("mvn") and shutil.which("curl")):
        pytest.skip("no Fuseki: PEERGRAPH_TEST_SPARQL_QUERY_URL is unset and java/mvn/curl are missing")
    env = {**os.environ, "FUSEKI_ENV_FILE": str(tmp_path_factory.mktemp("fuseki") / "fuseki.env")}
    started = subprocess.run(
        [str(FUSEKI_LOCAL), "start", "--port", TEST_FUSEKI_PORT], env=env, capture_output=True, text=True, timeout=600
    )
    if started.returncode != 0:
        pytest.skip(f"the local Fuseki did not start: {started.stderr[-2000:]}")
    values = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    yield {
        "query": values["PEERGRAPH_SPARQL_QUERY_URL"],
        "update": values["PEERGRAPH_SPARQL_UPDATE_URL"],
        "gsp": values["PEERGRAPH_SPARQL_GSP_URL"],
    }
    subprocess.run([str(FUSEKI_LOCAL), "stop", "--port", TEST_FUSEKI_PORT], env=env, capture_output=True, timeout=120)


@pytest.fixture
def fuseki_settings(fuseki_server, tmp_path: Path) -> Settings:
    """Settings whose RDF store is the session's Fuseki; every graph is dropped after the test."""
    settings = Settings(
        store=tmp_path / "store",
        _env_file=None,
        sparql_query_url=fuseki_server["query"],
        sparql_update_url=fuseki_server["update"],
        sparql_gsp_url=fuseki_server["gsp"],
    )
    yield settings
    dropped = httpx2.post(
        fuseki_server["update"], content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}, timeout=60
    )
    dropped.raise_for_status()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's headless Chromium (CI installs it; elsewhere the browser tests skip)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no Chromium: install it with `apt-get install chromium`")
    return path


@pytest.fixture
def served(demo_settings):
    """A real `peergraph serve` process over a copy of the demo store; yields its base URL."""
    import socket
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # A deadline far above the heavy queries of the storm tests (~9 s each on a busy 2-core machine): they test
    # admission, not the deadline (tests/api/test_query_deadline.py does).
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--store", str(demo_settings.store), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PEERGRAPH_QUERY_TIMEOUT_S": "120"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/health", timeout=1).close()  # noqa: S310 - loopback only
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that records every connection it accepts: yields ``(port, connections)``."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    connections: list[tuple[str, int]] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            connections.append(address)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join(timeout=5)
    server.close()
