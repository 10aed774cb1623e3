"""Admission control: bounded concurrency for expensive requests, so no caller can take the server down.

Expensive requests (SPARQL, Cypher, consoles, exports, questions, views, analytics; peer matching in a class
of its own, so heavy queries cannot starve it) pass a gate per class: at most ``admission_max_running`` run at
once, at most ``admission_max_running_per_client`` of them (running or queued) per client (its API key, else
its address), and at most ``admission_max_queued`` wait, each for up to ``admission_queue_timeout_s``.
Anything beyond gets 503 with ``Retry-After``. Waiting requests are admitted first come, first served: a freed
slot passes to the longest waiter, and a newcomer queues behind anyone already waiting. Waiting happens on the
event loop, not in a worker thread, so cheap routes (``/health`` above all) always find a thread. pyoxigraph
cannot cancel a query, so a slot is freed when the handler's thread has really finished, not when the client
goes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import send_problem
from graph.settings import Settings

#: Path prefixes of expensive requests, by class.
CLASSES = {
    "query": (
        "/sparql",
        "/cypher",
        "/console/",
        "/api/export",
        "/api/questions/",
        "/viz/",
        "/api/analytics/",
        "/api/ingest",
    ),
    "match": ("/api/match/", "/peers"),
}


def request_class(path: str) -> str | None:
    """Return the admission class of a path, or None for cheap requests.

    Parameters
    ----------
    path : str
        The request path.

    Returns
    -------
    str or None
        ``"query"``, ``"match"`` or None.

    Examples
    --------
    >>> request_class("/sparql"), request_class("/api/match/providers"), request_class("/health")
    ('query', 'match', None)
    """
    for name, prefixes in CLASSES.items():
        if any(path == prefix.rstrip("/") or path.startswith(prefix) for prefix in prefixes):
            return name
    return None


@dataclass
class _Gate:
    """One class's slots and line (touched on the event loop only, so no lock is needed)."""

    running: int = 0
    #: One future per waiting request, oldest first; a freed slot is handed to the first not yet given up.
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)
    per_client: Counter = field(default_factory=Counter)

    async def enter(self, max_running: int, timeout_s: float) -> bool:
        """Take a slot, waiting in line behind earlier requests; return False if none came within ``timeout_s``."""
        if self.running < max_running and not self.waiting:
            self.running += 1
            return True
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await asyncio.wait_for(turn, timeout_s)  # resolved by leave(), which hands its slot over
            return True
        except TimeoutError:
            return False
        finally:
            with contextlib.suppress(ValueError):
                self.waiting.remove(turn)

    def leave(self) -> None:
        """Free a slot: hand it to the longest waiter still waiting, else count it free."""
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.running -= 1


class AdmissionControl:
    """ASGI middleware applying the gates to HTTP requests.

    Parameters
    ----------
    app : ASGI app
        The application.
    settings : Settings
        The ``admission_*`` limits.
    """

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings
        self.gates: dict[str, _Gate] = {}

    @staticmethod
    def _client(scope: Scope) -> str:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                return "key:" + hashlib.sha256(value).hexdigest()
        client = scope.get("client")
        return f"address:{client[0] if client else 'unknown'}"

    async def _refuse(self, send: Send, reason: str) -> None:
        retry = {"Retry-After": str(self.settings.admission_retry_after_s)}
        await send_problem(send, 503, "Busy", reason, retry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Admit, queue or refuse an HTTP request by its class; pass everything else through."""
        kind = request_class(scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        # The request's arrival: a query's deadline counts the wait here too (graph/rdf/query_pool.py).
        scope.setdefault("state", {})["arrived"] = time.monotonic()
        gate = self.gates.setdefault(kind, _Gate())
        client = self._client(scope)
        limits = self.settings
        if gate.per_client[client] >= limits.admission_max_running_per_client:
            await self._refuse(send, f"too many {kind} requests from you at once; retry later")
            return
        if gate.running >= limits.admission_max_running and len(gate.waiting) >= limits.admission_max_queued:
            await self._refuse(send, f"the server is busy with {kind} requests; retry later")
            return
        gate.per_client[client] += 1
        try:
            if not await gate.enter(limits.admission_max_running, limits.admission_queue_timeout_s):
                await self._refuse(send, f"waited {limits.admission_queue_timeout_s:g} s for a slot; retry later")
                return
            try:
                await self.app(scope, receive, send)
            finally:
                gate.leave()
        finally:
            gate.per_client[client] -= 1
            if not gate.per_client[client]:
                del gate.per_client[client]
