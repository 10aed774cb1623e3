"""40 concurrent heavy SPARQL queries against a real server: /health and /api/match must keep answering.

Starts ``peergraph serve`` on a copy of the demo store, sends the storm twice (40 anonymous callers from one
address; 40 callers with API keys of their own), polls ``/health`` every 20 ms and asks ``/api/match`` during
each, and writes the figures to benchmarks/results.md (section ``admission``). Run: ``python -m benchmarks.admission``.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

#: About 25 M solutions on the demo store (~1-2 s each on one core here); pyoxigraph cannot cancel it.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?k { 1 2 3 4 5 6 7 8 } ?a a pg:Country . ?b ?p ?o }"
MATCH = "/api/match/providers?seeker=NAM&challenge=piracy&k=5"


def _get(url: str, headers: dict[str, str] | None = None, timeout: float = 120) -> tuple[int, float]:
    """GET ``url``; return its status and seconds taken."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:  # refused or reset: the server is gone (the shutdown measurement)
        status = 0
    return status, time.perf_counter() - started


def storm(base: str, tokens: list[str | None], *, heavy: str = HEAVY) -> dict[str, object]:
    """Send one heavy query per token at once, polling /health and asking /api/match meanwhile.

    Parameters
    ----------
    base : str
        The server's base URL.
    tokens : list of str or None
        One API key (or None: anonymous) per concurrent caller.
    heavy : str
        The query each caller sends.

    Returns
    -------
    dict
        Statuses of the heavy queries, /health latencies (ms), /api/match statuses and latencies (ms),
        and the storm's duration (s).
    """
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": heavy})
    statuses: list[int] = []
    health_ms: list[float] = []
    match: list[tuple[int, float]] = []
    done = threading.Event()

    def caller(token: str | None) -> None:
        statuses.append(_get(url, {"Authorization": f"Bearer {token}"} if token else {})[0])

    def poll_health() -> None:
        while not done.is_set():
            status, seconds = _get(f"{base}/health", timeout=10)
            health_ms.append(seconds * 1000 if status == 200 else float("inf"))
            time.sleep(0.02)

    def ask_match() -> None:
        while not done.is_set():
            status, seconds = _get(base + MATCH, timeout=60)
            match.append((status, seconds * 1000))
            time.sleep(0.2)

    started = time.perf_counter()
    callers = [threading.Thread(target=caller, args=(token,)) for token in tokens]
    watchers = [threading.Thread(target=poll_health), threading.Thread(target=ask_match)]
    for thread in watchers + callers:
        thread.start()
    for thread in callers:
        thread.join()
    done.set()
    for thread in watchers:
        thread.join()
    return {
        "heavy": {str(code): statuses.count(code) for code in sorted(set(statuses))},
        "health_ms": health_ms,
        "match": match,
        "seconds": time.perf_counter() - started,
    }


def _summary(name: str, result: dict) -> str:
    health = sorted(result["health_ms"])
    match_ms = [ms for status, ms in result["match"] if status == 200]
    match_codes = sorted({status for status, _ in result["match"]})
    return (
        f"| {name} | {result['heavy']} | {len(health)} | {statistics.median(health):.1f} | "
        f"{health[int(len(health) * 0.99) - 1]:.1f} | {health[-1]:.1f} | {len(match_ms)}/{len(result['match'])} "
        f"{match_codes} | {max(match_ms, default=0):.0f} | {result['seconds']:.1f} |"
    )


def main() -> None:
    """Build a demo store, serve it, run both storms and record the figures."""
    from benchmarks.report import replace_section, update_results_json
    from benchmarks.run import _machine
    from graph.rdf.store import RdfStore
    from graph.services.access import ApiKeyFile
    from graph.services.store import load_demo
    from graph.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--callers", type=int, default=40)
    args = parser.parse_args()
    store = Path(tempfile.mkdtemp(prefix="peergraph-admission-")) / "store"
    with RdfStore(store) as writer:
        load_demo(writer, Settings(store=store, _env_file=None))
    keys = ApiKeyFile(store / "api-keys.json")
    tokens = [keys.create(f"caller {n}", "reader")[1] for n in range(args.callers)]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "--store", str(store), "serve", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while _get(f"{base}/health", timeout=1)[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        _get(base + MATCH)  # the graph view is built: measure the storm, not the warm-up
        one = _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": HEAVY}))[1]
        anonymous = storm(base, [None] * args.callers)
        keyed = storm(base, tokens)
        after = _get(f"{base}/health", timeout=5)
        # SIGTERM in the middle of a third storm: the process must exit once its running queries end.
        threading.Thread(target=storm, args=(base, tokens), daemon=True).start()
        time.sleep(1.0)
    finally:
        stopping = time.perf_counter()
        server.terminate()
        server.wait(timeout=60)
        stop_s = time.perf_counter() - stopping
    rows = [_summary(f"{args.callers} anonymous (one address)", anonymous), _summary(f"{args.callers} keys", keyed)]
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    body = f"""Machine: {_machine()}. Date: {when}. Command: `python -m benchmarks.admission`.

## Admission control: {args.callers} concurrent heavy queries (issue 16)

Each caller sends one SPARQL query of ~25 M solutions on the demo store ({one:.2f} s alone); `/health` is polled
every 20 ms and `/api/match/providers` asked every 200 ms while the storm lasts. Default limits: 2 running and 8
queued per class, 2 per client. heavy = HTTP statuses of the heavy queries (503 = refused with Retry-After).

| callers | heavy | /health polls | p50 ms | p99 ms | max ms | /api/match 200s | match max ms | storm s |
|---|---|---:|---:|---:|---:|---|---:|---:|
{chr(10).join(rows)}

After the storms `/health` answered {after[0]} in {after[1] * 1000:.1f} ms. SIGTERM sent 1 s into a third storm
(keys): the process exited after {stop_s:.1f} s. uvicorn lets in-flight requests finish, and pyoxigraph cannot cancel a
query, so the running and the queued queries run first: the bound is the queue timeout (15 s) plus one query.
"""
    replace_section("admission", body)
    update_results_json({"admission": {"single_heavy_s": one, "anonymous": anonymous["heavy"], "keys": keyed["heavy"]}})
    print(json.dumps({"anonymous": anonymous["heavy"], "keys": keyed["heavy"]}))
    print(body)


if __name__ == "__main__":
    main()
