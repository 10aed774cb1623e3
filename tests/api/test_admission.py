"""Admission control: bounded running and queued expensive requests, 503 with Retry-After beyond (issue 16, 2)."""

import asyncio
import time

import httpx2 as httpx
import pytest

from api.admission import AdmissionControl, request_class
from graph.settings import Settings


def _slow_app(release: asyncio.Event, started: list[str]):
    """An ASGI app whose expensive routes hold until ``release`` is set; other routes answer at once."""

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        if scope["path"] != "/health":
            started.append(scope["path"])
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


def _limits(**values) -> Settings:
    base = {
        "admission_max_running": 1,
        "admission_max_running_per_client": 5,
        "admission_max_queued": 1,
        "admission_retry_after_s": 7,
        "admission_queue_timeout_s": 30,
    }
    return Settings(_env_file=None, **(base | values))


async def _client(app, address: str = "10.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 1234))
    return httpx.AsyncClient(transport=transport, base_url="http://peergraph")


def test_one_runs_one_waits_the_rest_get_503_and_health_never_waits():
    async def scenario():
        release, started = asyncio.Event(), []
        app = AdmissionControl(_slow_app(release, started), _limits())
        client = await _client(app)
        running = asyncio.create_task(client.get("/sparql"))
        queued = asyncio.create_task(client.get("/sparql"))
        await asyncio.sleep(0.1)
        refused = await client.get("/sparql")
        before = time.perf_counter()
        health = await client.get("/health")
        health_ms = (time.perf_counter() - before) * 1000
        assert started == ["/sparql"]  # the queued one has not started
        release.set()
        return refused, health, health_ms, await running, await queued, started

    refused, health, health_ms, running, queued, started = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert refused.status_code == 503 and refused.headers["retry-after"] == "7"
    assert "busy" in refused.json()["detail"]
    assert health.status_code == 200 and health_ms < 100
    assert running.status_code == queued.status_code == 200 and started == ["/sparql", "/sparql"]


def test_one_client_cannot_take_every_slot_and_matching_has_its_own():
    async def scenario():
        release, started = asyncio.Event(), []
        app = AdmissionControl(
            _slow_app(release, started), _limits(admission_max_running=4, admission_max_running_per_client=2)
        )
        greedy, other = await _client(app, "10.0.0.1"), await _client(app, "10.0.0.2")
        held = [asyncio.create_task(greedy.get("/sparql")) for _ in range(2)]
        await asyncio.sleep(0.1)
        third = await greedy.get("/sparql")
        match = asyncio.create_task(greedy.get("/api/match/providers"))
        others = asyncio.create_task(other.get("/sparql"))
        await asyncio.sleep(0.1)
        running = list(started)
        release.set()
        return third, running, await match, await others, [await task for task in held]

    third, running, match, others, held = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert third.status_code == 503 and "from you" in third.json()["detail"]
    assert sorted(running) == ["/api/match/providers", "/sparql", "/sparql", "/sparql"]
    assert match.status_code == others.status_code == 200 and all(r.status_code == 200 for r in held)


def test_a_queued_request_gives_up_after_the_queue_timeout():
    async def scenario():
        release, started = asyncio.Event(), []
        app = AdmissionControl(_slow_app(release, started), _limits(admission_queue_timeout_s=0.3))
        client = await _client(app)
        running = asyncio.create_task(client.get("/api/export"))
        await asyncio.sleep(0.05)
        before = time.perf_counter()
        waited = await client.get("/api/export")
        elapsed = time.perf_counter() - before
        release.set()
        await running
        return waited, elapsed

    waited, elapsed = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert waited.status_code == 503 and 0.25 < elapsed < 5


def test_waiting_requests_are_admitted_in_arrival_order_and_a_newcomer_queues_behind_them():
    async def scenario():
        started, releases, newcomer = [], {}, {}

        async def app(scope, receive, send):
            name = scope["query_string"].decode()
            started.append(name)
            await releases.setdefault(name, asyncio.Event()).wait()
            if name == "first":  # a newcomer arrives as the first request leaves, before any waiter resumes
                newcomer["task"] = asyncio.create_task(client.get("/sparql?late"))
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

        client = await _client(
            AdmissionControl(app, _limits(admission_max_queued=5, admission_max_running_per_client=9))
        )
        tasks = []
        for name in ("first", "second", "third"):
            tasks.append(asyncio.create_task(client.get(f"/sparql?{name}")))
            await asyncio.sleep(0.05)
        for name in ("first", "second", "third", "late"):
            await asyncio.sleep(0.05)
            releases.setdefault(name, asyncio.Event()).set()
        answers = [await task for task in tasks] + [await newcomer["task"]]
        return started, [answer.status_code for answer in answers]

    started, statuses = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert started == ["first", "second", "third", "late"] and statuses == [200] * 4


@pytest.mark.parametrize("path", ["/health", "/api/stats", "/static/style.css", "/id/country/KOR", "/"])
def test_cheap_routes_are_not_gated(path):
    assert request_class(path) is None


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/sparql", "query"), ("/console/sparql", "query"), ("/api/export", "query"), ("/cypher", "query")]
    + [("/api/match/providers", "match"), ("/peers", "match")],
)
def test_expensive_routes_are_gated(path, kind):
    assert request_class(path) == kind
