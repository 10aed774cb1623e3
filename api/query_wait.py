"""Run a blocking query handler in a thread, and stop its query when the HTTP client goes away."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from graph.services.query import cancel_when

T = TypeVar("T")
_POLL_S = 0.25  # how often the client's connection is checked while its query runs


async def run_until_disconnect(request: Request, function: Callable[..., T], *args: object) -> T:
    """Run ``function(*args)`` in the thread pool; a query it runs is stopped if the client disconnects.

    Parameters
    ----------
    request : starlette.requests.Request
        The request whose connection is watched (its body must have been read already).
    function : callable
        The blocking handler body.
    *args
        Its arguments.

    Returns
    -------
    object
        What ``function`` returned (its exception is raised here).
    """
    gone = threading.Event()
    arrived = getattr(request.state, "arrived", None)  # set by admission control: its queue counts too

    def call() -> T:
        with cancel_when(gone.is_set, since=arrived):
            return function(*args)

    task = asyncio.ensure_future(run_in_threadpool(call))
    while not task.done():
        await asyncio.wait({task}, timeout=_POLL_S)
        if not task.done() and not gone.is_set() and await request.is_disconnected():
            gone.set()  # the worker is killed within 0.1 s; the handler then ends with QueryTimeout
    return task.result()
