"""HTTP benchmark: peergraph's ``/sparql`` against Apache Jena Fuseki, then a bounded load on two endpoints.

python -m benchmarks.http [--triples 200000] [--runs 30] [--load-seconds 20]

Data: the bundled sample data plus a SYNTHETIC record folder of about ``--triples`` triples, ingested into
a fresh store. Fuseki 5.2.0 (``org.apache.jena:jena-fuseki-server``, fetched with ``mvn dependency:get``)
serves the same triples (peergraph's export, ontology and vocabularies included) from an in-memory
dataset; both listen on 127.0.0.1 and answer the same queries, checked to return the same number of rows.
Each query runs ``--runs`` times per server, alternating, after three warm-up runs; p50/p95 per query and
the geometric mean of the p50 ratios (ours / Fuseki's) are reported. Then ``wrk`` (2 threads, 16
connections) loads each endpoint for ``--load-seconds``. Client and servers share the machine's cores.
Those figures are the engine's: that server keeps no answers (``PEERGRAPH_RESULT_CACHE_MB=0``); a second one
with the default answer cache is timed on the same requests and reported apart ("as served").
Writes the ``http`` section of benchmarks/results.md and ``sparql.*`` / ``load.*`` in results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx2 as httpx

from benchmarks.report import replace_section, update_results_json
from benchmarks.run import _machine
from benchmarks.synthetic import generate
from ontology.namespaces import PREFIXES

HERE = Path(__file__).resolve().parent
FUSEKI = "org.apache.jena:jena-fuseki-server:5.2.0"
P50_GOAL = 0.8  # issue 18: /sparql p50 at most 0.8x Fuseki's, geometric mean over the queries
PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
#: name -> query; the same text goes to both servers (with the prefixes declared).
QUERIES = {
    "count-by-class": "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    "exchanges-with-labels": """SELECT ?x ?seeker ?provider ?year WHERE {
  ?x a pg:PeerExchange ; pg:seeker/rdfs:label ?seeker ; pg:provider/rdfs:label ?provider .
  OPTIONAL { ?x pg:year ?year } } ORDER BY ?x LIMIT 1000""",
    "measures-for-challenge": """SELECT ?m ?title ?country WHERE {
  ?m pg:addressesChallenge challenge:piracy ; rdfs:label ?title ; pg:adoptedBy/rdfs:label ?country }""",
    "measures-per-country-in-africa": """SELECT ?country (COUNT(?m) AS ?n) WHERE {
  ?m a pg:PolicyMeasure ; pg:adoptedBy ?c . ?c pg:inRegion region:africa ; rdfs:label ?country }
  GROUP BY ?country ORDER BY DESC(?n)""",
    "providers-via-broader-challenge": """SELECT DISTINCT ?provider WHERE {
  ?c skos:broader* challenge:copyright .
  { ?m pg:addressesChallenge ?c ; pg:adoptedBy ?provider }
  UNION { ?x pg:addressesChallenge ?c ; pg:provider ?provider } }""",
    "text-search": """SELECT ?m ?title WHERE { ?m a pg:PolicyMeasure ; rdfs:label ?title .
  FILTER(CONTAINS(LCASE(STR(?title)), "music")) } LIMIT 500""",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def fuseki_jar() -> Path:
    """Return the Fuseki server jar, fetched through Maven into ``~/.m2`` on first use."""
    group, artifact, version = FUSEKI.split(":")
    jar = Path.home() / ".m2/repository" / group.replace(".", "/") / artifact / version / f"{artifact}-{version}.jar"
    if not jar.is_file():
        subprocess.run(["mvn", "-q", "dependency:get", f"-Dartifact={FUSEKI}"], check=True, timeout=900)
    return jar


def _peergraph(store: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "api.cli", "--store", str(store), *args], check=True, timeout=3600)


def _rows(client: httpx.Client, url: str, query: str) -> int:
    answer = client.post(url, data={"query": PROLOGUE + query}, headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    return len(answer.json()["results"]["bindings"])


def _time(client: httpx.Client, url: str, query: str) -> float:
    started = time.perf_counter()
    _rows(client, url, query)
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def compare(ours: str, fuseki: str, runs: int) -> dict[str, dict[str, float]]:
    """Time every query on both endpoints (alternating) and check their row counts agree."""
    results = {}
    with httpx.Client(timeout=120) as client:
        for name, query in QUERIES.items():
            counts = (_rows(client, ours, query), _rows(client, fuseki, query))
            if counts[0] != counts[1]:
                raise SystemExit(f"{name}: peergraph returned {counts[0]} rows, Fuseki {counts[1]}")
            for _ in range(3):
                _time(client, ours, query), _time(client, fuseki, query)
            timings: dict[str, list[float]] = {"ours": [], "fuseki": []}
            for _ in range(runs):
                timings["ours"].append(_time(client, ours, query))
                timings["fuseki"].append(_time(client, fuseki, query))
            results[name] = {
                "rows": counts[0],
                "ours_p50": statistics.median(timings["ours"]),
                "ours_p95": _percentile(timings["ours"], 0.95),
                "fuseki_p50": statistics.median(timings["fuseki"]),
                "fuseki_p95": _percentile(timings["fuseki"], 0.95),
            }
            print(name, {k: round(v, 1) for k, v in results[name].items()}, flush=True)
    return results


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(url: str, seconds: int) -> dict[str, float]:
    """Run wrk against one URL and return requests/s, p99 latency and errors (non-2xx/3xx and socket errors)."""
    done = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=True
    )
    text = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", text).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    non_2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    return {"requests_per_s": rps, "p99_ms": p99, "requests": requests, "errors": non_2xx + socket_errors}


#: The queries loaded side by side at 1, 4 and 16 connections (rows, aggregate, property path).
SIDE_BY_SIDE = ("measures-for-challenge", "count-by-class", "providers-via-broader-challenge")
#: A query no engine finishes: the "heavy query in flight" (peergraph ends it at its deadline).
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Both servers admit every wrk connection (they all come from one address).
OUR_ENV = {"PEERGRAPH_ADMISSION_MAX_RUNNING_PER_CLIENT": "64", "PEERGRAPH_ADMISSION_MAX_QUEUED": "64"}


def wrk_at(url: str, connections: int, seconds: int) -> dict[str, float]:
    """Run wrk with ``connections`` connections and return requests/s, p99 ms and errors.

    wrk's own 2 s request timeout is raised to 30 s (beyond any server deadline), so a slow answer counts in
    the latency instead of wrk dropping the connection and the server seeing a client that went away.
    """
    done = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    text = done.stdout
    non_2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", text).group(1)),
        "errors": non_2xx + sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text)),
    }


def side_by_side(
    ours: str, fuseki: str, seconds: int, clients: tuple[int, ...] = (1, 4, 16)
) -> dict[str, dict[int, dict[str, dict[str, float]]]]:
    """Throughput and p99 of each side-by-side query on both servers at each count of connections."""
    found: dict[str, dict[int, dict[str, dict[str, float]]]] = {}
    for name in SIDE_BY_SIDE:
        query = urlencode({"query": PROLOGUE + QUERIES[name]})
        found[name] = {
            connections: {
                "ours": wrk_at(f"{ours}?{query}", connections, seconds),
                "fuseki": wrk_at(f"{fuseki}?{query}", connections, seconds),
            }
            for connections in clients
        }
        print(name, found[name], flush=True)
    return found


def with_heavy_in_flight(endpoint: str, runs: int) -> dict[str, float]:
    """p50/p95 of measures-for-challenge while one cartesian query runs on the same server."""

    def send_heavy() -> None:
        # Fuseki runs the cartesian query on until it is stopped, which drops this request: not a failure.
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(endpoint, data={"query": CARTESIAN}, timeout=60)

    heavy = threading.Thread(target=send_heavy, daemon=True)
    heavy.start()
    time.sleep(0.5)
    with httpx.Client(timeout=120) as client:
        timings = [_time(client, endpoint, QUERIES["measures-for-challenge"]) for _ in range(runs)]
    return {"p50": statistics.median(timings), "p95": _percentile(timings, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--side-seconds", type=int, default=10, help="wrk seconds per query, server and client count")
    args = parser.parse_args()
    if not shutil.which("wrk") or not shutil.which("java"):
        raise SystemExit("needs wrk (apt-get install wrk) and Java 17")
    work = HERE / "out" / "http"
    shutil.rmtree(work, ignore_errors=True)
    store, records, dump = work / "store", work / "synthetic", work / "all.nt"
    rows = generate(records, args.triples)
    _peergraph(store, "demo", "--no-serve")
    _peergraph(store, "ingest", str(records))
    _peergraph(store, "export", "--all", "--public-only", "-f", "nt", "-o", str(dump))
    triples = sum(1 for _ in dump.open(encoding="utf-8"))
    ours_port, cached_port, fuseki_port = _free_port(), _free_port(), _free_port()
    servers = [
        _our_server(store, ours_port, {**OUR_ENV, "PEERGRAPH_RESULT_CACHE_MB": "0"}),
        _our_server(store, cached_port, OUR_ENV),
        subprocess.Popen(
            [
                "java",
                "-Xmx4g",
                "-jar",
                str(fuseki_jar()),
                "--localhost",
                "--port",
                str(fuseki_port),
                f"--file={dump}",
                "/ds",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        ours, fuseki = f"http://127.0.0.1:{ours_port}/sparql", f"http://127.0.0.1:{fuseki_port}/ds/sparql"
        cached = f"http://127.0.0.1:{cached_port}/sparql"
        _wait(f"http://127.0.0.1:{ours_port}/health", servers[0])
        _wait(f"http://127.0.0.1:{cached_port}/health", servers[1])
        _wait(f"http://127.0.0.1:{fuseki_port}/$/ping", servers[2])
        match_url = f"http://127.0.0.1:{ours_port}/api/match/providers?seeker=NAM&challenge=piracy&k=10"
        httpx.get(match_url, timeout=600).raise_for_status()  # waits for the graph view the server builds at start
        compared = compare(ours, fuseki, args.runs)
        sparql_url = f"{ours}?" + urlencode({"query": PROLOGUE + QUERIES["measures-for-challenge"]})
        loads = {"match": load(match_url, args.load_seconds), "sparql": load(sparql_url, args.load_seconds)}
        print(loads, flush=True)
        sides = side_by_side(ours, fuseki, args.side_seconds)
        heavy = {"ours": with_heavy_in_flight(ours, 10), "fuseki": with_heavy_in_flight(fuseki, 10)}
        print("heavy in flight", heavy, flush=True)
        as_served = {
            "compared": compare(cached, fuseki, args.runs),
            "sides": side_by_side(cached, fuseki, args.side_seconds, (16,)),
        }
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    geomean, throughput_ratio = _p50_ratio(compared), _throughput_ratio(sides)
    as_served["p50_ratio"], as_served["throughput_ratio"] = (
        _p50_ratio(as_served["compared"]),
        _throughput_ratio(as_served["sides"]),
    )
    total = sum(v["requests"] for v in loads.values())
    update_results_json(
        {
            "sparql.p50_ratio_vs_fuseki": round(geomean, 3),
            "sparql.throughput_ratio_vs_fuseki_16": round(throughput_ratio, 3),
            "sparql.p50_ratio_vs_fuseki_cached": round(as_served["p50_ratio"], 3),
            "sparql.throughput_ratio_vs_fuseki_16_cached": round(as_served["throughput_ratio"], 3),
            "sparql.triples": triples,
            "load.requests_per_s": round(total / (2 * args.load_seconds), 1),
            "load.p99_ms": round(max(v["p99_ms"] for v in loads.values()), 1),
            "load.errors": sum(v["errors"] for v in loads.values()),
            "load.match_requests_per_s": loads["match"]["requests_per_s"],
            "load.sparql_requests_per_s": loads["sparql"]["requests_per_s"],
        }
    )
    _write(compared, loads, geomean, triples, rows, args, (sides, throughput_ratio, heavy), as_served)


def _our_server(store: Path, port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--store", str(store), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )


def _p50_ratio(compared: dict[str, dict[str, float]]) -> float:
    """The geometric mean over the queries of ours / Fuseki's p50."""
    ratios = [r["ours_p50"] / r["fuseki_p50"] for r in compared.values()]
    return math.exp(sum(math.log(r) for r in ratios) / len(ratios))


def _throughput_ratio(sides: dict[str, dict[int, dict[str, dict[str, float]]]]) -> float:
    """The geometric mean over the queries of ours / Fuseki's requests per second at 16 clients."""
    at_16 = [r[16]["ours"]["requests_per_s"] / r[16]["fuseki"]["requests_per_s"] for r in sides.values()]
    # A server that completed nothing in the window makes the geometric mean 0, not an error.
    return 0.0 if min(at_16) == 0 else math.exp(sum(math.log(r) for r in at_16) / len(at_16))


def _side_lines(sides, throughput_ratio, heavy, args) -> list[str]:
    lines = [
        "",
        f"Side by side: `wrk -t min(2,c) -c c -d{args.side_seconds}s --timeout 30s --latency`, the same query URL "
        "on each server (peergraph's per-client admission limits raised to 64, as every wrk connection comes from "
        "one address).",
        "",
        "| query | clients | peergraph req/s (p99 ms) | Fuseki req/s (p99 ms) | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, by_count in sides.items():
        for count, pair in by_count.items():
            ours, theirs = pair["ours"], pair["fuseki"]
            lines.append(
                f"| {name} | {count} | {ours['requests_per_s']:.0f} ({ours['p99_ms']:.0f}) | "
                f"{theirs['requests_per_s']:.0f} ({theirs['p99_ms']:.0f}) | "
                f"{ours['requests_per_s'] / theirs['requests_per_s']:.2f} |"
            )
    verdict = "met" if throughput_ratio >= 1 else "NOT met"
    lines += [
        "",
        f"Throughput at 16 clients, geometric mean of ours / Fuseki's: **{throughput_ratio:.2f}** "
        f"(goal ≥ 1: {verdict}).",
        "",
        "With one cartesian query in flight on the same server (peergraph ends it at its deadline, Fuseki runs it "
        "on), measures-for-challenge p50 / p95: peergraph "
        f"{heavy['ours']['p50']:.1f} / {heavy['ours']['p95']:.1f} ms, Fuseki {heavy['fuseki']['p50']:.1f} / "
        f"{heavy['fuseki']['p95']:.1f} ms.",
    ]
    return lines


def _as_served_lines(as_served) -> list[str]:
    lines = [
        "",
        "### As served: the same queries with the answer cache on (`PEERGRAPH_RESULT_CACHE_MB`, 64 by default)",
        "",
        "Every figure above is the engine's: that server ran with `PEERGRAPH_RESULT_CACHE_MB=0`, so each request "
        "was evaluated. A second server with the default cache answered the same requests here: a repeated query on "
        "the same snapshot is sent again without a worker (`graph/rdf/answer_cache.py`). Fuseki keeps no answers, "
        "so these ratios measure the cache on repeated queries, not the engine.",
        "",
        "| query | peergraph p50 ms | Fuseki p50 ms | p50 ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, r in as_served["compared"].items():
        lines.append(
            f"| {name} | {r['ours_p50']:.1f} | {r['fuseki_p50']:.1f} | {r['ours_p50'] / r['fuseki_p50']:.2f} |"
        )
    lines += [
        "",
        "| query (16 clients) | peergraph req/s (p99 ms) | Fuseki req/s (p99 ms) | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, by_count in as_served["sides"].items():
        ours, theirs = by_count[16]["ours"], by_count[16]["fuseki"]
        lines.append(
            f"| {name} | {ours['requests_per_s']:.0f} ({ours['p99_ms']:.0f}) | "
            f"{theirs['requests_per_s']:.0f} ({theirs['p99_ms']:.0f}) | "
            f"{ours['requests_per_s'] / theirs['requests_per_s']:.2f} |"
        )
    lines += [
        "",
        f"Geometric means as served: p50 ratio **{as_served['p50_ratio']:.2f}**, throughput ratio at 16 clients "
        f"**{as_served['throughput_ratio']:.2f}** (the goals are judged on the engine's figures above).",
    ]
    return lines


def _write(compared, loads, geomean, triples, rows, args, side, as_served) -> None:
    lines = [
        "## HTTP: `/sparql` vs Apache Jena Fuseki, and load (`python -m benchmarks.http`)",
        "",
        f"Machine: {_machine()}. Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
        "",
        f"Data: bundled sample + SYNTHETIC records ({', '.join(f'{n:,} {t}' for t, n in rows.items())}), "
        f"{triples:,} triples with the ontology and vocabularies. peergraph `serve` (one uvicorn process, "
        "Oxigraph snapshot copied into memory: `PEERGRAPH_SERVE_FROM_MEMORY=true`, the default; no answers kept: "
        "`PEERGRAPH_RESULT_CACHE_MB=0`) vs Fuseki "
        "5.2.0 (in-memory dataset, `-Xmx4g`), both on 127.0.0.1, same query "
        f"texts, row counts checked equal; {args.runs} runs per query and server, alternating, after 3 warm-ups.",
        "",
        "| query | rows | peergraph p50 / p95 ms | Fuseki p50 / p95 ms | p50 ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in compared.items():
        lines.append(
            f"| {name} | {r['rows']:,} | {r['ours_p50']:.1f} / {r['ours_p95']:.1f} | "
            f"{r['fuseki_p50']:.1f} / {r['fuseki_p95']:.1f} | {r['ours_p50'] / r['fuseki_p50']:.2f} |"
        )
    verdict = "met" if geomean <= P50_GOAL else "NOT met"
    lines += [
        "",
        f"Geometric mean of the p50 ratios (ours / Fuseki's): **{geomean:.2f}** (goal ≤ {P50_GOAL}: {verdict}).",
        "",
        f"Load: `wrk -t2 -c16 -d{args.load_seconds}s --latency` per endpoint (client on the same 2 cores).",
        "",
        "| endpoint | requests/s | p99 ms | requests | errors |",
        "|---|---:|---:|---:|---:|",
        f"| `/api/match/providers?seeker=NAM&challenge=piracy&k=10` | {loads['match']['requests_per_s']:.0f} | "
        f"{loads['match']['p99_ms']:.1f} | {loads['match']['requests']:,} | {loads['match']['errors']} |",
        f"| `/sparql` (measures-for-challenge) | {loads['sparql']['requests_per_s']:.0f} | "
        f"{loads['sparql']['p99_ms']:.1f} | {loads['sparql']['requests']:,} | {loads['sparql']['errors']} |",
    ]
    lines += _side_lines(*side, args)
    lines += _as_served_lines(as_served)
    replace_section("http", "\n".join(lines))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(HERE.parent))
    main()
