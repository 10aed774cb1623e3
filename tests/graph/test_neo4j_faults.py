"""Neo4j stopped midway through a sync: the sync says so after retrying, and a rerun converges."""

import gc
import os
import shutil
import subprocess
import threading

import pytest

from benchmarks.synthetic import generate
from graph.errors import StoreUnavailable
from graph.neo4j.store import Neo4jStore
from graph.rdf.store import RdfStore
from graph.services.neo4j import projected_triples, sync_neo4j
from graph.services.store import ingest_paths
from graph.settings import Settings
from tests.conftest import NEO4J_LOCAL
from tests.helpers import assert_isomorphic, graph_of

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]
PORT = "17689"


def _server(command, env):
    done = subprocess.run(
        [str(NEO4J_LOCAL), command, "--port", PORT], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


@pytest.mark.skipif(
    os.environ.get("PEERGRAPH_TEST_NEO4J_URI") is not None or shutil.which("mvn") is None,
    reason="needs the local Neo4j tool (it stops and restarts its own server)",
)
def test_a_sync_interrupted_by_a_stopped_server_fails_clearly_and_a_rerun_converges(tmp_path, neo4j_server):
    env = {**os.environ, "NEO4J_ENV_FILE": str(tmp_path / "neo4j.env")}
    settings = Settings(store=tmp_path / "store", _env_file=None)
    generate(tmp_path / "records", 100_000, seed=7)  # about 8,700 entities
    writer = RdfStore(settings.store)
    ingest_paths(writer, [tmp_path / "records"], settings)
    writer.close()
    done = subprocess.run(
        [str(NEO4J_LOCAL), "start", "--port", PORT, "--fresh"], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    connection = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    try:
        first_batch = threading.Event()
        outcome: dict[str, object] = {}

        def run_sync():
            neo4j_store = Neo4jStore(connection["PEERGRAPH_NEO4J_URI"], "neo4j", connection["PEERGRAPH_NEO4J_PASSWORD"])
            store = RdfStore(settings.store, read_only=True)
            try:
                sync_neo4j(store, neo4j_store, on_batch=lambda done: first_batch.set())
                outcome["result"] = "finished"
            except StoreUnavailable as error:
                outcome["result"] = str(error)
            finally:
                store.close()
                neo4j_store.close()

        thread = threading.Thread(target=run_sync)
        thread.start()
        assert first_batch.wait(120), "the sync wrote no batch"
        _server("stop", env)
        thread.join(300)
        assert not thread.is_alive()
        assert "stopped answering during the sync" in outcome["result"]
        assert "Run the sync again" in outcome["result"]
        assert gc.isenabled()  # the failed sync gave the garbage collector back

        connection = _server("start", env)
        neo4j_store = Neo4jStore(connection["PEERGRAPH_NEO4J_URI"], "neo4j", connection["PEERGRAPH_NEO4J_PASSWORD"])
        store = RdfStore(settings.store, read_only=True)
        try:
            report = sync_neo4j(store, neo4j_store)
            assert report.nodes > 8_000
            assert_isomorphic(graph_of(neo4j_store.export_triples()), graph_of(projected_triples(store)))
        finally:
            store.close()
            neo4j_store.close()
    finally:
        subprocess.run([str(NEO4J_LOCAL), "stop", "--port", PORT], env=env, capture_output=True, timeout=120)
