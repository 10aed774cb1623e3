"""Neo4j for real: projection of the bundled data, round trip, idempotence, cleanup, visibility, Cypher guards."""

import gc
import shutil

import pytest

from graph.errors import QueryRejected
from graph.neo4j import store as neo4j_store_module
from graph.neo4j.batch_writing import node_statements
from graph.rdf.public_copies import copy_name
from graph.rdf.store import PUBLIC_COPIES_FOLDER, RdfStore
from graph.services.neo4j import projected_triples, run_cypher_readonly, sync_neo4j
from graph.services.store import ingest_paths, open_rdf_store
from tests.helpers import DATA, assert_isomorphic, graph_of, sample_count

pytestmark = pytest.mark.neo4j


def _sync(settings, neo4j_store):
    store = RdfStore(settings.store, read_only=True)
    try:
        return sync_neo4j(store, neo4j_store)
    finally:
        store.close()


def _ingest(settings, folder):
    """Ingest as the commands do with Neo4j configured: the store keeps public copies, which syncs then read."""
    writer = open_rdf_store(settings)
    try:
        ingest_paths(writer, [folder], settings)
        assert writer.keep_public_copies
        assert {copy.name for copy in (settings.store / PUBLIC_COPIES_FOLDER).iterdir()} == {
            copy_name(graph.value) for graph in writer.visible_graphs()
        }
    finally:
        writer.close()


def _synced_copy_of_the_records(settings, neo4j_store, tmp_path):
    """Ingest a copy of the bundled records, sync it, and return the copy's folder (to edit and ingest again)."""
    folder = tmp_path / "records"
    shutil.copytree(DATA / "records", folder)
    _ingest(settings, folder)
    _sync(settings, neo4j_store)
    return folder


def _projected(settings):
    store = RdfStore(settings.store, read_only=True)
    try:
        return graph_of(projected_triples(store))
    finally:
        store.close()


def _label_count(neo4j_driver, label):
    records, _, _ = neo4j_driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS n")
    return records[0]["n"]


def test_bundled_data_projects_with_the_store_counts(neo4j_settings, neo4j_store, neo4j_driver):
    report = _sync(neo4j_settings, neo4j_store)
    assert report.skipped_predicates == {}
    for label, count in {
        "PolicyMeasure": sample_count("measures"),
        "Institution": 80,
        "Project": sample_count("projects"),
        "PeerExchange": 17,
        "Expert": 31,
        "Outcome": sample_count("outcomes"),
        "Programme": sample_count("programmes"),
        "Challenge": 44,
    }.items():
        assert _label_count(neo4j_driver, label) == count, label
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (x:PeerExchange {identifier: 'X-UGA-ZAF-2021'})-[:PROVIDER]->(c:Country) RETURN c.iso3 AS iso3"
    )
    assert [r["iso3"] for r in records] == ["ZAF"]


def test_round_trip_to_rdf_is_isomorphic_to_the_store(neo4j_settings, neo4j_store):
    _sync(neo4j_settings, neo4j_store)
    assert_isomorphic(graph_of(neo4j_store.export_triples()), _projected(neo4j_settings))


def test_multi_valued_and_language_tagged_values_are_kept(neo4j_settings, neo4j_store, neo4j_driver):
    _sync(neo4j_settings, neo4j_store)
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (c:Challenge {notation: 'copyright'}) RETURN c.prefLabel_fr AS fr, c.prefLabel_en AS en"
    )
    assert records[0]["fr"] == "Droit d'auteur et gestion collective"
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (m:PolicyMeasure {identifier: 'M-ZAF-01'}) RETURN m.sectorNote AS sectors, m.startYear AS year"
    )
    assert records[0]["sectors"] == ["film", "television"] and records[0]["year"] == 2004


def test_resync_changes_nothing_and_removes_nothing(neo4j_settings, neo4j_store):
    first = _sync(neo4j_settings, neo4j_store)
    before = neo4j_store.counts()
    second = _sync(neo4j_settings, neo4j_store)
    assert second.run != first.run
    assert (second.removed_nodes, second.removed_relationships) == (0, 0)
    assert neo4j_store.counts() == before
    assert gc.isenabled()  # each sync paused the garbage collector and turned it back on
    assert_isomorphic(graph_of(neo4j_store.export_triples()), _projected(neo4j_settings))


def test_deleted_records_leave_neo4j_and_restricted_ones_never_enter(
    neo4j_settings, neo4j_store, neo4j_driver, tmp_path
):
    folder = _synced_copy_of_the_records(neo4j_settings, neo4j_store, tmp_path)
    iri = "https://w3id.org/peergraph/id/"
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:Resource) WHERE n.iri IN $iris RETURN n.iri AS iri", iris=[iri + "outcome/O1", iri + "measure/M1"]
    )
    assert [r["iri"] for r in records] == [iri + "measure/M1"]  # O1 is restricted
    (folder / "measures.csv").write_text((DATA / "records" / "measures.csv").read_text().splitlines()[0] + "\n")
    _ingest(neo4j_settings, folder)
    report = _sync(neo4j_settings, neo4j_store)
    assert report.removed_nodes >= 1
    records, _, _ = neo4j_driver.execute_query("MATCH (n:Resource {iri: $iri}) RETURN n", iri=iri + "measure/M1")
    assert records == []
    assert_isomorphic(graph_of(neo4j_store.export_triples()), _projected(neo4j_settings))


def test_what_older_runs_wrote_leaves_in_several_transactions(neo4j_settings, neo4j_store, tmp_path, monkeypatch):
    monkeypatch.setattr(neo4j_store_module, "DELETE_CHUNK", 2)  # one scan, committed every 2 deletions
    folder = _synced_copy_of_the_records(neo4j_settings, neo4j_store, tmp_path)
    before = neo4j_store.counts()
    for name in ("measures.csv", "exchanges.csv", "experts.csv", "projects.csv"):
        (folder / name).write_text((DATA / "records" / name).read_text().splitlines()[0] + "\n")
    _ingest(neo4j_settings, folder)
    report = _sync(neo4j_settings, neo4j_store)
    after = neo4j_store.counts()
    assert report.removed_relationships == before["relationships"] - after["relationships"] > 2
    assert report.removed_nodes == before["nodes"] - after["nodes"] > 2
    assert_isomorphic(graph_of(neo4j_store.export_triples()), _projected(neo4j_settings))


def test_a_relationship_gone_at_the_source_leaves_though_both_ends_stay(
    neo4j_settings, neo4j_store, neo4j_driver, tmp_path
):
    # The first sync writes into an empty database (CREATE, relationships without a run tag); the second
    # merges, and must still find the relationship the first wrote and the source no longer has.
    folder = _synced_copy_of_the_records(neo4j_settings, neo4j_store, tmp_path)
    query = "MATCH (:Resource {iri: $m})-[r:ADDRESSES_CHALLENGE]->(c:Resource) RETURN c.iri AS challenge, r.run AS run"
    measure = "https://w3id.org/peergraph/id/measure/M1"
    records, _, _ = neo4j_driver.execute_query(query, m=measure)
    assert [(r["challenge"].rsplit("/", 1)[1], r["run"]) for r in records] == [("local-content", None)]
    text = (folder / "measures.csv").read_text()
    (folder / "measures.csv").write_text(
        text.replace("Reserves airtime for local content.,local-content,", "Reserves airtime for local content.,,", 1)
    )
    _ingest(neo4j_settings, folder)
    report = _sync(neo4j_settings, neo4j_store)
    assert report.removed_relationships == 1 and report.removed_nodes == 0
    records, _, _ = neo4j_driver.execute_query(query, m=measure)
    assert records == []
    assert_isomorphic(graph_of(neo4j_store.export_triples()), _projected(neo4j_settings))


def test_a_create_batch_that_fails_is_written_by_merge(neo4j_store, neo4j_driver):
    neo4j_store.init_schema()
    neo4j_driver.execute_query("CREATE (:Resource {iri: 'https://example.org/taken', run: 'old'})")
    merge, create = node_statements(("Country",), "Country")
    rows = [{"iri": "https://example.org/taken", "name": "A"}, {"iri": "https://example.org/new", "name": "B"}]
    records = neo4j_store.write(merge, {"rows": rows, "run": "r2"}, first=create)  # CREATE breaks the constraint
    assert len(records[0]["ids"]) == 2
    found, _, _ = neo4j_driver.execute_query(
        "MATCH (n:Resource:Country) RETURN n.iri AS iri, n.name AS name, n.run AS run ORDER BY iri"
    )
    assert [tuple(r.values()) for r in found] == [
        ("https://example.org/new", "B", "r2"),
        ("https://example.org/taken", "A", "r2"),
    ]


WRITE_ATTEMPTS = [
    "CREATE (n:Intruder) RETURN n",
    "MERGE (n:Intruder {x: 1}) RETURN n",
    "MATCH (n:Resource) SET n.hacked = true RETURN count(n)",
    "MATCH (n:Resource) DELETE n",
    "MATCH (n:Resource) DETACH DELETE n",
    "MATCH (n:Country) REMOVE n:Country RETURN count(n)",
    "MATCH (n:Country) REMOVE n.iso3 RETURN count(n)",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "load csv with headers from 'https://example.org/x.csv' AS row CREATE (:X)",
    "CALL dbms.security.createUser('eve', 'secret-password', false)",
    "CALL db.createLabel('Intruder')",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CALL db.clearQueryCaches()",
    "MATCH (n:Country) FOREACH (x IN [1] | CREATE (:Intruder))",
    "MATCH (n:Country) CALL (n) { CREATE (:Intruder) } RETURN count(*)",
    "MATCH (n:Country) WITH n CALL { WITH n SET n.x = 1 } RETURN count(*)",
    "MATCH (n) RETURN count(n); CREATE (:Intruder)",
    "CREATE INDEX intruder IF NOT EXISTS FOR (n:Intruder) ON (n.x)",
    "DROP CONSTRAINT resource_iri",
    "CREATE CONSTRAINT intruder IF NOT EXISTS FOR (n:Intruder) REQUIRE n.x IS UNIQUE",
    "UNWIND range(1, 3) AS i CREATE (:Intruder {i: i})",
    "MATCH (a:Country), (b:Country) MERGE (a)-[:INTRUDES]->(b)",
    "CREATE DATABASE intruder",
    "ALTER USER neo4j SET PASSWORD 'another-password'",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
]


def _fingerprint(neo4j_driver):
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels, "
        "sum(size(keys(n))) AS keys"
    )
    labels, _, _ = neo4j_driver.execute_query("CALL db.labels() YIELD label RETURN collect(label) AS l")
    return records[0]["nodes"], records[0]["rels"], records[0]["keys"], sorted(labels[0]["l"])


def test_every_write_or_escape_attempt_is_refused_and_changes_nothing(neo4j_settings, neo4j_store, neo4j_driver):
    assert len(WRITE_ATTEMPTS) >= 20
    _sync(neo4j_settings, neo4j_store)
    before = _fingerprint(neo4j_driver)
    for query in WRITE_ATTEMPTS:
        with pytest.raises(QueryRejected) as refused:
            run_cypher_readonly(neo4j_store, query)
        assert str(refused.value), query
    assert _fingerprint(neo4j_driver) == before


def test_read_queries_run_with_parameters_and_the_row_cap(neo4j_settings, neo4j_store):
    _sync(neo4j_settings, neo4j_store)
    result = run_cypher_readonly(
        neo4j_store,
        "MATCH (m:PolicyMeasure)-[:ADOPTED_BY]->(c:Country {iso3: $iso}) RETURN m.identifier AS id ORDER BY id",
        {"iso": "NAM"},
    )
    assert result.columns == ["id"] and [r["id"] for r in result.rows][:2] == ["M-NAM-01", "M-NAM-02"]
    neo4j_store.max_rows = 5
    capped = run_cypher_readonly(neo4j_store, "MATCH (n:Resource) RETURN n.iri AS iri")
    assert len(capped.rows) == 5 and capped.truncated
    schema = run_cypher_readonly(neo4j_store, "CALL db.labels() YIELD label RETURN label")
    assert {"label": "PolicyMeasure"} in schema.rows


def test_cli_ingest_with_neo4j_then_cypher(cli, neo4j_settings, neo4j_store, monkeypatch):
    for name in ("uri", "user", "password"):
        monkeypatch.setenv(f"PEERGRAPH_NEO4J_{name.upper()}", getattr(neo4j_settings, f"neo4j_{name}"))
    result = cli("ingest", "--neo4j", str(DATA / "records"), settings=neo4j_settings)
    assert result.exit_code == 0, result.output
    assert "neo4j run" in result.output
    rows = cli(
        "cypher",
        "-f",
        "csv",
        "MATCH (m:PolicyMeasure {identifier: $id}) RETURN m.label AS title",
        "--param",
        "id=M1",
        settings=neo4j_settings,
    )
    assert rows.stdout.splitlines() == ["title", "Broadcasting quota"]
    refused = cli("cypher", "MATCH (n) DETACH DELETE n", settings=neo4j_settings)
    assert refused.exit_code == 2 and "read-only" in refused.output


def test_api_cypher_route(neo4j_settings, neo4j_store):
    from fastapi.testclient import TestClient

    from api.app import create_app

    _sync(neo4j_settings, neo4j_store)
    with TestClient(create_app(neo4j_settings)) as client:
        ok = client.post("/cypher", json={"query": "MATCH (x:PeerExchange) RETURN count(x) AS n"})
        assert ok.status_code == 200 and ok.json()["rows"] == [{"n": 17}]
        refused = client.post("/cypher", json={"query": "CREATE (n:X)"})
        assert refused.status_code == 400 and "read-only" in refused.json()["detail"]
        assert client.get("/health").json()["neo4j"]["status"] == "ok"
