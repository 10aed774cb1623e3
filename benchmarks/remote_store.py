"""The remote SPARQL store beside the embedded one: ingest of the bundled sample, then a few queries (p50 ms).

python -m benchmarks.remote_store [--repeat N]

The remote store is the one ``PEERGRAPH_SPARQL_QUERY_URL`` (``_UPDATE_URL``, ``_GSP_URL``) names, or a local Fuseki
started for the run by ``tools/fuseki-local`` on port 13230 (stopped after). Both stores start empty and load
the built-in sources and the sample the way ``peergraph demo`` does; the queries go through
:meth:`graph.store.GraphStore.run_query`, as the API's do (parse check, dataset, result conversion).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from rdflib import URIRef

from graph.services.store import load_demo, open_rdf_store
from graph.settings import Settings

REPO = Path(__file__).resolve().parents[1]
FUSEKI = REPO / "tools" / "fuseki-local" / "fuseki-local.sh"
PORT = "13230"

QUERIES = {
    "count measures": ("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a pg:PolicyMeasure }", None),
    "providers for copyright": (
        "SELECT ?country (COUNT(?m) AS ?n) WHERE { ?m pg:addressesChallenge challenge:copyright ; pg:adoptedBy ?c . "
        "?c rdfs:label ?country FILTER(LANG(?country) = 'en') } GROUP BY ?country ORDER BY DESC(?n) ?country",
        None,
    ),
    "exchanges by seeker region": (
        "SELECT ?region (COUNT(?x) AS ?n) WHERE { ?x a pg:PeerExchange ; pg:seeker ?c . ?c pg:inRegion ?region } "
        "GROUP BY ?region",
        None,
    ),
    "one record (bound)": (
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
        {"s": URIRef("https://w3id.org/peergraph/id/country/NAM")},
    ),
    "describe a record": (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        {"s": URIRef("https://w3id.org/peergraph/id/country/NAM")},
    ),
}


def _measure(settings: Settings, repeat: int) -> dict[str, float]:
    timings: dict[str, float] = {}
    with open_rdf_store(settings) as store:
        started = time.perf_counter()
        batch, _ = load_demo(store, settings)
        timings["ingest of the sample (s)"] = time.perf_counter() - started
        timings["triples"] = batch.triple_count
        for name, (query, bindings) in QUERIES.items():
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                store.run_query(query, max_rows=10_000, bindings=bindings)
                runs.append((time.perf_counter() - started) * 1000)
            timings[f"{name} (p50 ms)"] = statistics.median(runs)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    started_fuseki = not os.environ.get("PEERGRAPH_SPARQL_QUERY_URL")
    if started_fuseki:
        env = {**os.environ, "FUSEKI_ENV_FILE": os.devnull}
        out = subprocess.run(
            [str(FUSEKI), "start", "--port", PORT], env=env, capture_output=True, text=True, check=True
        )
        urls = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
    else:
        urls = {
            name: os.environ.get(name, "") for name in ("PEERGRAPH_SPARQL_QUERY_URL", "PEERGRAPH_SPARQL_UPDATE_URL")
        }
        urls["PEERGRAPH_SPARQL_GSP_URL"] = os.environ.get("PEERGRAPH_SPARQL_GSP_URL", "")
    try:
        with tempfile.TemporaryDirectory(prefix="peergraph-bench-") as folder:
            embedded = _measure(Settings(store=Path(folder) / "store", _env_file=None), repeat)
            remote_settings = Settings(
                store=Path(folder) / "unused",
                _env_file=None,
                sparql_query_url=urls["PEERGRAPH_SPARQL_QUERY_URL"],
                sparql_update_url=urls["PEERGRAPH_SPARQL_UPDATE_URL"],
                sparql_gsp_url=urls["PEERGRAPH_SPARQL_GSP_URL"] or None,
            )
            remote = _measure(remote_settings, repeat)
    finally:
        if started_fuseki:
            subprocess.run([str(FUSEKI), "stop", "--port", PORT], capture_output=True, check=False)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{datetime.now(UTC):%Y-%m-%d}, {machine}")
    print("| measure | embedded | remote (Fuseki 5.2.0, in-memory, GSP) |")
    print("|---|---|---|")
    for key in embedded:
        digits = 0 if key == "triples" else (1 if "ms" in key else 2)
        print(f"| {key} | {embedded[key]:.{digits}f} | {remote[key]:.{digits}f} |")


if __name__ == "__main__":
    main()
