"""SPARQL deadlines (issue 18): a cartesian query stopped at 5 s, /health and matching meanwhile, and throughput.

python -m benchmarks.deadline [--triples 150000] [--seconds 10] [--before DIR]

Data: the bundled sample data plus a SYNTHETIC record folder of about ``--triples`` triples, in a fresh store.
With ``PEERGRAPH_QUERY_TIMEOUT_S=5``: the cartesian query ``SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f .
?g ?h ?i }`` alone (``/health`` polled every 50 ms meanwhile); four of them at once (``/api/match/providers``
asked every 200 ms meanwhile); then SIGTERM with two of them in flight. Then ``wrk`` on a row-returning query
(measures-for-challenge) at 1, 4 and 16 connections against this code and, with ``--before``, against the code
in that folder (e.g. ``git archive main | tar -x -C DIR``) served by the same Python. All clients come from one
address, so both servers get ``PEERGRAPH_ADMISSION_MAX_RUNNING_PER_CLIENT=64`` and ``…_MAX_QUEUED=64``.
Writes the ``deadline`` section of benchmarks/results.md and ``deadline.*`` / ``sparql.throughput_*`` keys.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx2 as httpx

from benchmarks.http import PROLOGUE, QUERIES, _free_port, _peergraph, _wait, wrk_at
from benchmarks.report import replace_section, update_results_json
from benchmarks.run import _machine
from benchmarks.synthetic import generate

HERE = Path(__file__).resolve().parent
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MATCH = "/api/match/providers?seeker=NAM&challenge=piracy&k=10"
ENV = {
    "PEERGRAPH_QUERY_TIMEOUT_S": "5",
    "PEERGRAPH_ADMISSION_MAX_RUNNING_PER_CLIENT": "64",
    "PEERGRAPH_ADMISSION_MAX_QUEUED": "64",
}


def _serve(store: Path, port: int, code: Path | None) -> subprocess.Popen:
    env = {**os.environ, **ENV}
    if code is not None:
        env["PYTHONPATH"] = str(code)  # with cwd: `-m` puts the working folder first on sys.path
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--store", str(store), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=code,
    )


def _timed(url: str, timeout: float = 120) -> tuple[object, float]:
    started = time.perf_counter()
    try:
        status: object = httpx.get(url, timeout=timeout).status_code
    except httpx.TransportError as error:
        status = type(error).__name__
    return status, time.perf_counter() - started


def _poll(url: str, every: float, stop: threading.Event, into: list[tuple[object, float]]) -> None:
    while not stop.is_set():
        into.append(_timed(url, 10))
        stop.wait(every)


def _heavy_storm(base: str, count: int, poll_path: str, every: float) -> dict[str, object]:
    """Send ``count`` cartesian queries at once while polling ``poll_path``; return statuses and latencies."""
    url = f"{base}/sparql?" + urlencode({"query": CARTESIAN})
    answers: list[tuple[object, float]] = []
    polls: list[tuple[object, float]] = []
    stop = threading.Event()
    poller = threading.Thread(target=_poll, args=(base + poll_path, every, stop, polls))
    heavy = [threading.Thread(target=lambda: answers.append(_timed(url))) for _ in range(count)]
    poller.start()
    for thread in heavy:
        thread.start()
    for thread in heavy:
        thread.join()
    stop.set()
    poller.join()
    latencies = sorted(seconds * 1000 for _, seconds in polls)
    return {
        "statuses": sorted(str(status) for status, _ in answers),
        "slowest_s": round(max(seconds for _, seconds in answers), 2),
        "polls": len(polls),
        "poll_statuses": sorted({str(status) for status, _ in polls}),
        "poll_p50_ms": round(statistics.median(latencies), 1),
        "poll_max_ms": round(latencies[-1], 1),
    }


def _warm(base: str) -> None:
    """Wait until two queries at once answer 200: every worker (two cores here) has opened the store."""
    url = f"{base}/sparql?" + urlencode({"query": "ASK {}"})
    with ThreadPoolExecutor(2) as pool:
        for _ in range(120):
            if all(status == 200 for status, _ in pool.map(_timed, [url, url])):
                return
            time.sleep(1)
    raise SystemExit("the query workers did not start")


def _sigterm(server: subprocess.Popen, base: str) -> float:
    """Start two cartesian queries, send SIGTERM after 1 s, and return the seconds until the process exited."""
    url = f"{base}/sparql?" + urlencode({"query": CARTESIAN})
    for _ in range(2):
        threading.Thread(target=_timed, args=(url,), daemon=True).start()
    time.sleep(1.0)
    started = time.perf_counter()
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=120)
    return time.perf_counter() - started


def _throughput(store: Path, code: Path | None, seconds: int) -> dict[int, dict[str, float]]:
    port = _free_port()
    server = _serve(store, port, code)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/health", server)
        url = f"{base}/sparql?" + urlencode({"query": PROLOGUE + QUERIES["measures-for-challenge"]})
        for _ in range(30):  # the workers (or the snapshot copy) are warm before measuring
            if httpx.get(url, timeout=120).status_code == 200:
                break
            time.sleep(1)
        return {connections: wrk_at(url, connections, seconds) for connections in (1, 4, 16)}
    finally:
        server.terminate()
        server.wait(timeout=120)


def main() -> None:
    """Build the store, run the deadline scenarios and the throughput runs, and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=150_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--before", type=Path, help="a folder holding the code to compare with (e.g. main)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk (apt-get install wrk)")
    work = HERE / "out" / "deadline"
    shutil.rmtree(work, ignore_errors=True)
    store, records = work / "store", work / "synthetic"
    _peergraph(store, "demo", "--no-serve")
    if args.triples:
        generate(records, args.triples)
        _peergraph(store, "ingest", str(records))
    port = _free_port()
    server = _serve(store, port, None)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/health", server)
        httpx.get(base + MATCH, timeout=600).raise_for_status()  # the graph view is built before measuring
        _warm(base)
        one = _heavy_storm(base, 1, "/health", 0.05)
        _warm(base)
        four = _heavy_storm(base, 4, MATCH, 0.2)
        _warm(base)
        print(one, four, flush=True)
        stop_s = _sigterm(server, base)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    after = _throughput(store, None, args.seconds)
    before = _throughput(store, args.before, args.seconds) if args.before else None
    print(after, before, flush=True)
    figures: dict[str, object] = {
        "deadline.cartesian_status": one["statuses"],
        "deadline.cartesian_s": one["slowest_s"],
        "deadline.health_max_ms_during": one["poll_max_ms"],
        "deadline.four_statuses": four["statuses"],
        "deadline.four_slowest_s": four["slowest_s"],
        "deadline.match_statuses_during_four": four["poll_statuses"],
        "deadline.match_max_ms_during_four": four["poll_max_ms"],
        "deadline.sigterm_exit_s": round(stop_s, 2),
    }
    for connections, figure in after.items():
        figures[f"sparql.throughput_{connections}"] = figure["requests_per_s"]
        if before:
            figures[f"sparql.throughput_{connections}_before"] = before[connections]["requests_per_s"]
    update_results_json(figures)
    _write(one, four, stop_s, after, before, args)


def _write(one, four, stop_s, after, before, args) -> None:
    rows = []
    for connections, figure in after.items():
        was = before[connections] if before else None
        old = f"{was['requests_per_s']:.0f} / {was['p99_ms']:.0f} / {was['errors']}" if was else "not run"
        rows.append(
            f"| {connections} | {old} | {figure['requests_per_s']:.0f} / {figure['p99_ms']:.0f} / {figure['errors']} |"
        )
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    body = f"""Machine: {_machine()}. Date: {when}. Command: `python -m benchmarks.deadline --triples {args.triples} \
--seconds {args.seconds}{" --before DIR" if args.before else ""}`.

## SPARQL deadlines and throughput (issue 18)

Store: bundled sample plus about {args.triples:,} SYNTHETIC triples. Server: `peergraph serve`, default workers
(CPU count) and queue, `PEERGRAPH_QUERY_TIMEOUT_S=5`; admission limits per client raised to 64 (every client
here shares one address). The cartesian query is `{CARTESIAN}`.

| scenario | heavy statuses | slowest heavy s | polled | polls | poll statuses | p50 ms | max ms |
|---|---|---:|---|---:|---|---:|---:|
| 1 cartesian | {one["statuses"]} | {one["slowest_s"]} | `/health` every 50 ms | {one["polls"]} | \
{one["poll_statuses"]} | {one["poll_p50_ms"]} | {one["poll_max_ms"]} |
| 4 cartesian at once | {four["statuses"]} | {four["slowest_s"]} | `/api/match/providers` every 200 ms | \
{four["polls"]} | {four["poll_statuses"]} | {four["poll_p50_ms"]} | {four["poll_max_ms"]} |

504 = stopped at the deadline (worker killed and replaced); 503 = no worker came free before the deadline.
SIGTERM with two cartesian queries in flight: the server exited after {stop_s:.2f} s.

Throughput of measures-for-challenge (`wrk -t min(2,c) -c c -d{args.seconds}s`, client on the same cores):
requests/s / p99 ms / errors, before (the `--before` code: queries in threads of the server process) and after
(worker processes, answers serialised there).

| connections | before | after |
|---|---|---|
{chr(10).join(rows)}
"""
    replace_section("deadline", body)
    print(body)


if __name__ == "__main__":
    main()
