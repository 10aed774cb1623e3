"""Neo4j load benchmark: peergraph's batched sync vs naive per-subject transactions vs LOAD CSV.

    python -m benchmarks.neo4j_load [--entities 100000[,1000000]] [--naive-max 20000]

For each size: SYNTHETIC records (benchmarks/synthetic.py) are ingested into a fresh RDF store with Neo4j
configured, as ``peergraph ingest`` does then (the store keeps sorted public copies for the sync,
graph/rdf/public_copies.py; the ingest's time and this process's peak RSS after it are reported), then loaded three
ways into the same fresh Neo4j (a local server on port 17691, wiped between runs):

* peergraph: ``peergraph neo4j sync`` in its own process, as users run it after an ingest (see
  ``Neo4jStore.sync``: into the empty database, so nodes and relationships go in by ``CREATE``); its
  rate is from the time the sync reports, and the command's whole time is shown beside it; then the
  same command again (a resync: every node and relationship by ``MERGE``, then the one scan for what
  older runs wrote), timed beside it;
* naive: one transaction per subject (a record's node, and apart from it the node of the page it
  cites as its source), each MERGEing the node, its labels and properties, then each relationship;
* LOAD CSV: the same nodes and relationships written to CSV files in the server's import folder, then
  ``LOAD CSV … CALL { … } IN TRANSACTIONS OF 10000 ROWS`` per label set and relationship type.

The server is warmed up once (a sync of the first size, then a wipe), so no contender pays the JVM's
start, and dirty pages are written back (``os.sync``) before each contender. Node and relationship counts
must be equal across the three. Above ``--naive-max`` entities the naive way is run on an even sample of
``--naive-max`` subjects only, and its time for all the subjects is extrapolated from that sample's
pace (it would take hours: about 5 ms per subject here). Every ratio compares times for the same data.
Results are merged into benchmarks/results.json and appended to benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from benchmarks.report import replace_section, update_results_json
from benchmarks.run import _machine
from benchmarks.synthetic import TRIPLES_PER_RECORD, generate
from graph.neo4j.store import RESOURCE, Neo4jStore
from graph.plain_terms import resource_key
from graph.rdf.sources import restricted_iris, unprojected_sources
from graph.rdf.store import RdfStore
from graph.services.neo4j import projected_triples
from graph.services.store import ingest_paths, open_rdf_store
from graph.settings import Settings

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "neo4j"
TOOL = HERE.parent / "tools" / "neo4j-local" / "neo4j-local.sh"
PORT = "17691"


def _server(env: dict) -> dict[str, str]:
    done = subprocess.run(
        [str(TOOL), "start", "--port", PORT, "--fresh"], env=env, capture_output=True, text=True, check=True
    )
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def _rows(store: RdfStore, neo4j_store: Neo4jStore, step: int = 1):
    """Yield (iri, labels, props, [(type, object iri)]) of every ``step``-th subject, as the sync writes them."""
    groups = store.public_subject_groups(unprojected_sources(store), skip=restricted_iris(store))
    mapping = neo4j_store.mapping
    for subject, pairs in islice(groups, 0, None, step):
        labels, props, rels = set(), defaultdict(list), []
        for predicate, obj in pairs:
            if str(predicate).endswith("#type"):
                if obj in mapping.labels:
                    labels.add(mapping.labels[obj])
            elif hasattr(obj, "language"):
                key = mapping.property_key(predicate, obj)
                if key:
                    props[key].append(str(obj))
            elif predicate in mapping.relationships:
                rels.append((mapping.relationships[predicate], resource_key(obj)))
        yield (
            resource_key(subject),
            tuple(sorted(labels)),
            {k: v[0] if len(v) == 1 else v for k, v in props.items()},
            rels,
        )


def cpu_seconds(pid_file: Path) -> float:
    """Return the CPU time (user + system) the process named in ``pid_file`` has used so far (Linux)."""
    fields = Path(f"/proc/{pid_file.read_text().strip()}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peergraph_sync(store: Path, connection: dict[str, str]) -> tuple[float, float, float]:
    """Run ``peergraph neo4j sync`` as users do (its own process).

    Returns (seconds the sync reports, seconds of the whole command, CPU seconds the command used). The
    command's time adds the interpreter's start, the imports and opening the store to the sync's.
    """
    settings = {
        key: connection[key] for key in ("PEERGRAPH_NEO4J_URI", "PEERGRAPH_NEO4J_USER", "PEERGRAPH_NEO4J_PASSWORD")
    }
    env = {**os.environ, **settings, "PEERGRAPH_STORE": str(store), "PYTHONPATH": str(HERE.parent)}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "neo4j", "sync"],
        cwd=OUT,  # no .env file there: the settings are the environment's
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    command_s = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    reported = re.search(r" in ([0-9.]+) s$", done.stdout.strip())
    if reported is None:
        raise RuntimeError(f"`peergraph neo4j sync` printed no time: {done.stdout!r} {done.stderr!r}")
    return float(reported.group(1)), command_s, cpu_s


def naive_load(store: RdfStore, neo4j_store: Neo4jStore, limit: int | None) -> tuple[float, int, int]:
    """Write subjects one transaction each; return (seconds, subjects written, subjects in the store).

    A subject is one node with its properties and relationships: a record's own node, and apart from it
    the node of the web page it cites as its source (the synthetic records have about two subjects each).
    With a ``limit``, an even sample of about that many: every k-th subject in reading order (sorted by IRI,
    so every kind of subject in its proportion; the first ones alone were 20,000 subjects without any
    relationship). The rows are built before the clock starts.
    """
    if limit is None:
        rows = list(_rows(store, neo4j_store))
        subjects = len(rows)
    else:
        subjects = sum(1 for _ in store.public_plain_groups(unprojected_sources(store)))
        rows = list(islice(_rows(store, neo4j_store, max(1, subjects // limit)), limit))
    start = time.perf_counter()
    count = 0
    with neo4j_store._driver.session() as session:
        for iri, labels, props, rels in rows:

            def work(tx, iri=iri, labels=labels, props=props, rels=rels):
                add = "".join(f":{label}" for label in labels)
                tx.run(
                    f"MERGE (n:{RESOURCE} {{iri: $iri}}) SET n += $props" + (f" SET n{add}" if add else ""),
                    iri=iri,
                    props=props,
                )
                for rel_type, target in rels:
                    tx.run(
                        f"MATCH (a:{RESOURCE} {{iri: $s}}) MERGE (b:{RESOURCE} {{iri: $o}}) "
                        f"MERGE (a)-[:{rel_type}]->(b)",
                        s=iri,
                        o=target,
                    )

            session.execute_write(work)
            count += 1
    return time.perf_counter() - start, count, subjects


def write_csv(store: RdfStore, neo4j_store: Neo4jStore, import_dir: Path) -> tuple[dict, dict, float]:
    """Write the nodes (one file per label set and keys) and relationships (one per type) LOAD CSV reads."""
    started = time.perf_counter()
    import_dir.mkdir(parents=True, exist_ok=True)
    node_files: dict[tuple, tuple] = {}
    rel_files: dict[str, tuple] = {}
    for iri, labels, props, rels in _rows(store, neo4j_store):
        keys = tuple(sorted(props))
        if (labels, keys) not in node_files:
            handle = (import_dir / f"nodes-{len(node_files)}.csv").open("w", newline="", encoding="utf-8")
            node_files[(labels, keys)] = (handle, csv.writer(handle), handle.name)
            node_files[(labels, keys)][1].writerow(["iri", *keys])
        node_files[(labels, keys)][1].writerow(
            [iri, *(";".join(props[k]) if isinstance(props[k], list) else props[k] for k in keys)]
        )
        for rel_type, target in rels:
            if rel_type not in rel_files:
                handle = (import_dir / f"rels-{rel_type}.csv").open("w", newline="", encoding="utf-8")
                rel_files[rel_type] = (handle, csv.writer(handle), handle.name)
                rel_files[rel_type][1].writerow(["s", "o"])
            rel_files[rel_type][1].writerow([iri, target])
    for handle, _, _ in (*node_files.values(), *rel_files.values()):
        handle.close()
    return node_files, rel_files, time.perf_counter() - started


def load_csv(neo4j_store: Neo4jStore, node_files: dict, rel_files: dict, *, create: bool) -> float:
    """Run LOAD CSV over the files; ``create``: CREATE nodes and relationships (for an empty database)."""
    start = time.perf_counter()
    with neo4j_store._driver.session() as session:
        for (labels, keys), (_, _, name) in node_files.items():
            add = "".join(f":{label}" for label in labels)
            sets = ", ".join(f"n.{k} = row.{k}" for k in keys)
            session.run(
                f"LOAD CSV WITH HEADERS FROM 'file:///{Path(name).name}' AS row CALL (row) {{ "
                + (f"CREATE (n:{RESOURCE} {{iri: row.iri}})" if create else f"MERGE (n:{RESOURCE} {{iri: row.iri}})")
                + (f" SET n{add}" if add else "")
                + (f" SET {sets}" if sets else "")
                + " } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
        for rel_type, (_, _, name) in rel_files.items():
            session.run(
                f"LOAD CSV WITH HEADERS FROM 'file:///{Path(name).name}' AS row CALL (row) {{ "
                f"MATCH (a:{RESOURCE} {{iri: row.s}}) MERGE (b:{RESOURCE} {{iri: row.o}}) "
                f"{'CREATE' if create else 'MERGE'} (a)-[:{rel_type}]->(b) }} IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", default="100000")
    parser.add_argument("--naive-max", type=int, default=20_000)
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    cache = Path(os.environ.get("PEERGRAPH_CACHE", Path.home() / ".cache" / "peergraph")) / "neo4j-local"
    env = {**os.environ, "NEO4J_ENV_FILE": str(OUT / "neo4j.env")}
    connection = _server(env)
    server_pid = cache / f"neo4j-{PORT}.pid"  # written by tools/neo4j-local
    neo4j_store = Neo4jStore(connection["PEERGRAPH_NEO4J_URI"], "neo4j", connection["PEERGRAPH_NEO4J_PASSWORD"])
    results = []
    try:
        warmed = False
        for entities in [int(x) for x in args.entities.split(",")]:
            folder = OUT / f"records-{entities}"
            generate(folder, int(entities * TRIPLES_PER_RECORD))
            settings = Settings(
                store=OUT / f"store-{entities}",
                _env_file=None,
                neo4j_uri=connection["PEERGRAPH_NEO4J_URI"],
                neo4j_user=connection["PEERGRAPH_NEO4J_USER"],
                neo4j_password=connection["PEERGRAPH_NEO4J_PASSWORD"],
            )
            writer = open_rdf_store(settings)  # Neo4j configured: keeps public copies
            t = time.perf_counter()
            batch, _ = ingest_paths(writer, [folder], settings)
            ingest_s = time.perf_counter() - t
            # this process's peak so far: sizes run in ascending order, so the largest ingest sets it
            ingest_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            writer.close()
            store = RdfStore(settings.store, read_only=True)
            records = sum(s.report.record_count for s in batch.sources)
            row = {
                "entities": records,
                "triples": batch.triple_count,
                "rdf_ingest_s": ingest_s,
                "rdf_ingest_peak_rss_mb": ingest_rss_mb,
            }
            # The naive load and the CSV writing run in this process: free the ingested batch, whose millions
            # of objects every garbage collection would otherwise walk.
            del batch
            gc.collect()
            os.sync()  # no contender pays for writing back the ingest's dirty pages
            neo4j_store.wipe()
            if not warmed:  # a fresh JVM runs slowly until it has compiled its hot code: warm it for all three
                peergraph_sync(settings.store, connection)
                neo4j_store.wipe()
                warmed = True
            server_cpu = cpu_seconds(server_pid)
            row["peergraph_s"], row["peergraph_command_s"], row["peergraph_client_cpu_s"] = peergraph_sync(
                settings.store, connection
            )
            row["peergraph_server_cpu_s"] = cpu_seconds(server_pid) - server_cpu
            row["peergraph_counts"] = neo4j_store.counts()
            # Round trip: no blank nodes here, so equal N-Triples sets means isomorphic graphs.
            exported = {" ".join(t.n3() for t in triple) for triple in neo4j_store.export_triples()}
            projected = {" ".join(t.n3() for t in triple) for triple in projected_triples(store)}
            row["round_trip_equal"] = exported == projected
            # a resync, as after a re-ingest: every node and relationship by MERGE, then the scan for stale ones
            row["peergraph_resync_s"], _, _ = peergraph_sync(settings.store, connection)
            row["peergraph_resync_counts"] = neo4j_store.counts()
            print(
                json.dumps(
                    {k: row[k] for k in ("entities", "triples", "peergraph_s", "peergraph_counts", "round_trip_equal")}
                ),
                flush=True,
            )
            neo4j_store.wipe()
            # the local server confines LOAD CSV file URLs to HOME/import (tools/neo4j-local)
            node_files, rel_files, row["csv_write_s"] = write_csv(store, neo4j_store, cache / f"data-{PORT}" / "import")
            os.sync()
            row["load_csv_s"] = load_csv(neo4j_store, node_files, rel_files, create=False)
            row["load_csv_counts"] = neo4j_store.counts()
            neo4j_store.wipe()
            os.sync()
            row["load_csv_create_s"] = load_csv(neo4j_store, node_files, rel_files, create=True)
            row["load_csv_create_counts"] = neo4j_store.counts()
            neo4j_store.wipe()
            os.sync()
            naive_limit = None if records <= args.naive_max else args.naive_max
            row["naive_s"], row["naive_subjects"], row["subjects"] = naive_load(store, neo4j_store, naive_limit)
            # the naive time for all the data, at the sample's pace (the sample is the whole below --naive-max)
            row["naive_all_s"] = row["naive_s"] * row["subjects"] / row["naive_subjects"]
            row["naive_counts"] = neo4j_store.counts()
            neo4j_store.wipe()
            store.close()
            results.append(row)
            print(json.dumps(row), flush=True)
    finally:
        neo4j_store.close()
        subprocess.run([str(TOOL), "stop", "--port", PORT], env=env, capture_output=True, check=False)
    _write(results)


def _write(results: list[dict]) -> None:
    largest = max(results, key=lambda r: r["entities"])
    naive_rate = largest["entities"] / largest["naive_all_s"]
    ours_rate = largest["entities"] / largest["peergraph_s"]
    figures = {
        "neo4j_load.ratio_vs_naive": round(largest["naive_all_s"] / largest["peergraph_s"], 2),
        "neo4j_load.ratio_vs_load_csv": round(largest["load_csv_s"] / largest["peergraph_s"], 3),
        "neo4j_load.ratio_vs_load_csv_create": round(largest["load_csv_create_s"] / largest["peergraph_s"], 3),
        "neo4j_load.records_per_s": round(ours_rate),
        "neo4j_load.size_entities": largest["entities"],
    }
    update_results_json(figures)
    lines = [
        "## Neo4j load (`python -m benchmarks.neo4j_load`)",
        "",
        f"Machine: {_machine()}. Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}. One run of all "
        "contenders at every size (" + ", ".join(f"{r['entities']:,}" for r in results) + " entities).",
        "",
        "Same SYNTHETIC records, same local Neo4j 5.26 Community (embedded, Bolt on loopback), wiped between "
        "runs. Rates are records (entities) per second; ratios are the other's time over peergraph's for the "
        "same data.",
        "",
        "| entities | triples | ingest s (peak RSS MB) | peergraph s (command s) | resync s | records/s | "
        "LOAD CSV MERGE s (+ CSV writing s) | "
        "LOAD CSV CREATE s | naive s (subjects written of all; time for all) | × naive | × LOAD CSV MERGE | "
        "× LOAD CSV CREATE | "
        "nodes / relationships (all) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        counts = {
            json.dumps(r[k], sort_keys=True)
            for k in ("peergraph_counts", "peergraph_resync_counts", "load_csv_counts", "load_csv_create_counts")
        }
        same = "equal" if len(counts) == 1 else "DIFFER"
        whole = r["naive_subjects"] == r["subjects"]
        naive_all = f"{r['naive_all_s']:,.0f} s" + ("" if whole else ", extrapolated from an even sample")
        if whole:
            same += " (naive equal)" if r["naive_counts"] == r["peergraph_counts"] else " (naive DIFFERS)"
        same += ", round trip to RDF " + ("identical" if r["round_trip_equal"] else "DIFFERS")
        lines.append(
            f"| {r['entities']:,} | {r['triples']:,} | {r['rdf_ingest_s']:.1f} ({r['rdf_ingest_peak_rss_mb']:,.0f}) | "
            f"{r['peergraph_s']:.1f} ({r['peergraph_command_s']:.1f}) | {r['peergraph_resync_s']:.1f} | "
            f"{r['entities'] / r['peergraph_s']:,.0f} | {r['load_csv_s']:.1f} (+{r['csv_write_s']:.1f}) | "
            f"{r['load_csv_create_s']:.1f} | "
            f"{r['naive_s']:.1f} ({r['naive_subjects']:,} of {r['subjects']:,}; {naive_all}) | "
            f"{r['naive_all_s'] / r['peergraph_s']:.1f} | "
            f"{r['load_csv_s'] / r['peergraph_s']:.2f} | {r['load_csv_create_s'] / r['peergraph_s']:.2f} | "
            f"{r['peergraph_counts']['nodes']:,} / "
            f"{r['peergraph_counts']['relationships']:,}, {same} |"
        )
    cpu = largest["peergraph_client_cpu_s"] + largest["peergraph_server_cpu_s"]
    cores = os.cpu_count() or 1
    lines += [
        "",
        f"CPU during peergraph's sync at {largest['entities']:,} entities: {largest['peergraph_client_cpu_s']:.0f} s "
        f"in the `peergraph` process and {largest['peergraph_server_cpu_s']:.0f} s in Neo4j, {cpu:.0f} s in all. "
        f"On this machine's {cores} cores no schedule of that work ends before {cpu / cores:.0f} s, that is "
        f"{(largest['entities'] / (cpu / cores)) / naive_rate:.1f}× naive at best; the sync took "
        f"{largest['peergraph_s']:.0f} s.",
    ]
    lines += [
        "",
        "Targets (issue 3): ≥ 30× naive, ≥ 1× LOAD CSV, equal counts. LOAD CSV MERGE is the idempotent form (what "
        "a resync needs; the target's ratio); LOAD CSV CREATE is what an empty database allows, as peergraph "
        "does then.",
        "",
    ]
    notes = HERE / "results-neo4j-notes.md"
    if notes.exists():
        lines.append(notes.read_text(encoding="utf-8"))
    replace_section("neo4j", "\n".join(lines))


if __name__ == "__main__":
    main()
