"""The command line: demo, stats, sparql formats, export round trip, exit codes and messages."""

import csv
import json
from collections import Counter

from rdflib import Graph, URIRef

from graph.rdf.sources import BUILTIN_PREFIXES
from graph.rdf.store import RdfStore
from tests.helpers import DATA, REPO, assert_isomorphic, graph_of, sample_count


def test_demo_no_serve_loads_the_bundled_data_into_a_fresh_store(cli, settings):
    result = cli("demo", "--no-serve", settings=settings)
    assert result.exit_code == 0, result.output
    stats = json.loads(cli("stats", "--json", settings=settings).stdout)
    assert stats["classes"]["PolicyMeasure"] == sample_count("measures")
    assert {s["name"] for s in stats["sources"]} >= {
        "sample/measures.csv",
        "ontology:peergraph.ttl",
        "vocabulary:challenges.ttl",
        "reference:countries",
    }


def test_sparql_formats(cli, demo_settings):
    query = "SELECT ?id WHERE { ?x a pg:PeerExchange ; pg:identifier ?id } ORDER BY ?id LIMIT 2"
    csv_out = cli("sparql", "--format", "csv", query, settings=demo_settings).stdout
    assert csv_out.splitlines() == ["id", "X-CRI-ARG-2021", "X-CRI-CHL-2021"]
    parsed = json.loads(cli("sparql", "--format", "json", query, settings=demo_settings).stdout)
    assert [b["id"]["value"] for b in parsed["results"]["bindings"]] == ["X-CRI-ARG-2021", "X-CRI-CHL-2021"]
    table = cli("sparql", query, settings=demo_settings).stdout
    assert "X-CRI-ARG-2021" in table and "2 row(s)" in table


def test_sparql_reads_a_file_or_standard_input(cli, demo_settings, tmp_path):
    query = "ASK { ?x a pg:PolicyMeasure }"
    (tmp_path / "q.rq").write_text(query)
    assert cli("sparql", str(tmp_path / "q.rq"), settings=demo_settings).stdout.strip() == "true"
    assert cli("sparql", "-", settings=demo_settings, input=query).stdout.strip() == "true"


def test_sparql_default_graph_includes_ontology_and_vocabularies(cli, demo_settings):
    out = cli(
        "sparql",
        "--format",
        "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a pg:Challenge }",
        settings=demo_settings,
    ).stdout
    assert int(out.splitlines()[1]) == 44


def test_malformed_and_update_queries_fail_with_messages(cli, demo_settings):
    bad = cli("sparql", "SELECT WHERE {", settings=demo_settings)
    assert bad.exit_code == 2 and "malformed SPARQL" in bad.output
    update = cli("sparql", "DELETE WHERE { ?s ?p ?o }", settings=demo_settings)
    assert update.exit_code == 2 and "read-only" in update.output


def test_export_turtle_round_trips_to_the_stored_data(cli, demo_settings, tmp_path):
    target = tmp_path / "export.ttl"
    assert cli("export", "--format", "ttl", "-o", str(target), settings=demo_settings).exit_code == 0
    store = RdfStore(demo_settings.store, read_only=True)
    stored = graph_of((s, p, o) for s, p, o, n in store.quads() if not n.startswith(BUILTIN_PREFIXES))
    store.close()
    assert_isomorphic(Graph().parse(target), stored)
    assert "@prefix pg:" in target.read_text()


def test_export_nquads_and_jsonld(cli, demo_settings, tmp_path):
    for fmt, name in (("nq", "x.nq"), ("jsonld", "x.jsonld")):
        assert cli("export", "-f", fmt, "-o", str(tmp_path / name), settings=demo_settings).exit_code == 0
    assert len(Graph().parse(tmp_path / "x.jsonld")) > 6000


def test_ingest_then_validate_then_ingest_again(cli, settings):
    first = cli("ingest", str(DATA / "records"), settings=settings)
    assert first.exit_code == 0 and "10 source(s) loaded" in first.output
    assert cli("validate", str(DATA / "records.json"), settings=settings).exit_code == 0
    again = cli("ingest", str(DATA / "records"), settings=settings)
    assert "0 source(s) loaded, 10 unchanged" in again.output


def test_a_locked_store_is_reported_with_exit_code_3(cli, settings):
    writer = RdfStore(settings.store)
    try:
        result = cli("ingest", str(DATA / "records"), settings=settings)
    finally:
        writer.close()
    assert result.exit_code == 3
    assert "in use by process" in result.output


def test_cypher_without_neo4j_says_how_to_start_one(cli, settings):
    result = cli("cypher", "MATCH (n) RETURN count(n)", settings=settings)
    assert result.exit_code == 3
    assert "PEERGRAPH_NEO4J_URI" in result.output and "make neo4j-start" in result.output


def test_request_runs_through_the_app_in_process(cli, demo_settings):
    result = cli("request", "GET", "/api/stats", settings=demo_settings)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["classes"]["PeerExchange"] == 17


def test_templates_command_writes_csv_and_xlsx(cli, tmp_path):
    result = cli("templates", "-o", str(tmp_path / "t"))
    assert result.exit_code == 0
    assert {p.name for p in (tmp_path / "t").iterdir()} >= {"measures.csv", "peergraph.xlsx"}


def test_ontology_check_passes(cli):
    assert cli("ontology", "check").exit_code == 0


def test_remove_takes_sources_out_and_refuses_unknown_names(cli, settings):
    cli("ingest", str(DATA / "records"), settings=settings)
    assert cli("remove", "records/outcomes.csv", settings=settings).exit_code == 0
    stats = json.loads(cli("stats", "--json", settings=settings).stdout)
    assert "records/outcomes.csv" not in {s["name"] for s in stats["sources"]}
    assert "Outcome" not in stats["classes"]
    missing = cli("remove", "nope.csv", settings=settings)
    assert missing.exit_code == 4 and "no source called nope.csv" in missing.output


def test_csv_export_reingests_to_the_same_graph(cli, settings, tmp_path):
    cli("ingest", str(DATA / "records"), settings=settings)
    assert cli("export", "-f", "csv", "-o", str(tmp_path / "exported"), settings=settings).exit_code == 0
    again = settings.model_copy(update={"store": tmp_path / "again"})
    result = cli("ingest", str(tmp_path / "exported"), settings=again)
    assert result.exit_code == 0, result.output

    def data(s):
        store = RdfStore(s.store, read_only=True)
        try:
            return graph_of((a, b, c) for a, b, c, n in store.quads() if not n.startswith(BUILTIN_PREFIXES))
        finally:
            store.close()

    assert_isomorphic(data(again), data(settings))


def test_graphml_and_gexf_load_back_in_networkx(cli, demo_settings, tmp_path):
    import networkx as nx

    for fmt in ("graphml", "gexf"):
        target = tmp_path / f"net.{fmt}"
        assert cli("export", "-f", fmt, "-o", str(target), settings=demo_settings).exit_code == 0
        graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
        exchange = "https://w3id.org/peergraph/id/exchange/X-UGA-ZAF-2021"
        assert graph.nodes[exchange]["type"] == "PeerExchange"
        assert graph.has_edge(exchange, "https://w3id.org/peergraph/id/country/ZAF")
        measure = graph.nodes["https://w3id.org/peergraph/id/measure/M-ZAF-01"]
        assert measure["label"].startswith("Film and Television Production Rebate")
        assert measure["sectorNote"] in ("film; television", "television; film")  # a list, joined
        assert sum(1 for _, d in graph.nodes(data=True) if d.get("type") == "PolicyMeasure") == sample_count("measures")


def test_export_filter_and_public_only(cli, settings, tmp_path):
    cli("ingest", str(DATA / "records"), settings=settings)
    everything, public = tmp_path / "all.ttl", tmp_path / "public.ttl"
    assert cli("export", "-o", str(everything), settings=settings).exit_code == 0
    assert cli("export", "--public-only", "-o", str(public), settings=settings).exit_code == 0
    outcome = URIRef("https://w3id.org/peergraph/id/outcome/O1")  # restricted in tests/data/records
    assert (outcome, None, None) in Graph().parse(everything)
    assert (outcome, None, None) not in Graph().parse(public) and (None, None, outcome) not in Graph().parse(public)
    only = tmp_path / "measures.ttl"
    result = cli("export", "--filter", "kind=measures", "-o", str(only), settings=settings)
    assert result.exit_code == 0, result.output
    subjects = {str(s) for s in Graph().parse(only).subjects()}
    assert subjects == {"https://w3id.org/peergraph/id/measure/M1"}
    bad = cli("export", "--filter", "colour=red", "-o", str(only), settings=settings)
    assert bad.exit_code == 2 and "unknown filter 'colour'" in bad.output


def test_stats_coverage_counts_records_per_country_area_sector_and_host(cli, demo_settings):
    result = cli("stats", "--coverage", "--json", settings=demo_settings)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rows = list(csv.DictReader((REPO / "ingest" / "sample" / "measures.csv").open(encoding="utf-8")))
    assert report["totals"]["measures"] == len(rows)
    per_country = {row["id"].rsplit("/", 1)[-1]: row["measures"] for row in report["countries"]}
    assert per_country == dict(Counter(row["country"] for row in rows)) | {
        code: 0 for code, count in per_country.items() if count == 0
    }
    in_film = sum("film-audiovisual" in row["sectors"] for row in rows)
    assert {s["id"].rsplit("/", 1)[-1]: s["measures"] for s in report["sectors"]}["film-audiovisual"] == in_film
    assert report["source_hosts"][0]["records"] >= report["source_hosts"][-1]["records"] >= 1
