"""SPARQL under a deadline that stops the work: a small pool of worker processes and a bounded queue.

pyoxigraph can neither time out nor cancel a query, and a thread cannot be killed, so user queries run in
worker processes (:mod:`graph.rdf.query_worker`), each over its own read-only view of the store's newest
snapshot. A query gets a deadline (``query_timeout_s``) when it is submitted; waiting for a free worker counts
against it. A worker still busy at the deadline is killed with SIGKILL and replaced by a fresh process, and the
caller gets :class:`~graph.errors.QueryTimeout`. When the caller stops waiting (an HTTP client that went away,
see :func:`cancel_when`), its query may still run for as long as a worker takes to start (the cost of killing
it, measured at each start): a short query finishes and its worker stays, a long one is killed. Killing at
once would let clients with short timeouts keep every worker restarting. When every worker is busy and
``queue`` queries already wait, the next one gets :class:`~graph.errors.QueryBusy` at once (HTTP 503 with
``Retry-After``), so nothing piles up.

Answers cross the process boundary pickled: a :class:`~graph.results.SparqlResult` for callers that read
rows (questions, pages), or bytes already serialised in the worker for ``/sparql``, so building and writing
rows happens on the workers' cores, not in the server's event loop process; serialised answers may be kept per
snapshot (:mod:`graph.rdf.answer_cache`) and served again without a worker. Workers start with the pool
(:meth:`QueryPool.start`) or with the first query that needs one, and the pool is closed (workers killed) when
the server or command that owns it stops.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Node

from graph.errors import QueryBusy, QueryTimeout, StoreUnavailable
from graph.rdf.answer_cache import AnswerCache
from graph.rdf.query_worker import ERRORS, Job, read_frame, write_frame
from graph.rdf.snapshots import read_generation
from graph.results import Serialised, SparqlResult

log = logging.getLogger(__name__)
_POLL_S = 0.1  # how often a waiting caller checks whether its client went away
_CALLER: contextvars.ContextVar[tuple[Callable[[], bool], float | None] | None] = contextvars.ContextVar(
    "caller", default=None
)


@contextlib.contextmanager
def cancel_when(cancelled: Callable[[], bool], *, since: float | None = None) -> Iterator[None]:
    """Stop (and kill the worker of) any query run inside this block as soon as ``cancelled()`` is true.

    Parameters
    ----------
    cancelled : callable
        Polled every 0.1 s while a query runs, in the waiting thread (e.g. ``threading.Event.is_set``).
    since : float, optional
        ``time.monotonic()`` when the caller's request arrived: the deadline counts from there (waiting in
        admission control included), not from when the query reaches the pool.

    Yields
    ------
    None
        The block's queries are cancellable.
    """
    token = _CALLER.set((cancelled, since))
    try:
        yield
    finally:
        _CALLER.reset(token)


class _Stopped(Exception):
    """A worker exchange ended without an answer (``reason``: deadline, cancelled, died)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class _Worker:
    """One slot of the pool: a worker process (started on demand) and its two pipes."""

    def __init__(self, path: Path, in_memory: bool):
        self.path = path
        self.in_memory = in_memory
        self.process: subprocess.Popen[bytes] | None = None
        self.jobs = self.replies = -1
        self.ready = False  # the process has written READY (it opened the store)
        self.started_at = 0.0
        self.startup_s: float | None = None  # how long the last process took to open the store

    def start(self) -> None:
        if self.process is not None:
            return
        self.ready = False
        self.started_at = time.monotonic()
        jobs_read, self.jobs = os.pipe()
        self.replies, replies_write = os.pipe()
        command = [sys.executable, "-m", "graph.rdf.query_worker", str(self.path), "1" if self.in_memory else "0"]
        try:
            self.process = subprocess.Popen(
                [*command, str(jobs_read), str(replies_write)],
                pass_fds=(jobs_read, replies_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        except OSError:
            os.close(self.jobs)
            os.close(self.replies)
            raise
        finally:
            os.close(jobs_read)
            os.close(replies_write)

    def exchange(
        self, job: bytes, deadline: float, cancelled: Callable[[], bool] | None, grace_s: float | None
    ) -> bytes:
        """Send a job and wait for its reply until the deadline; raise :class:`_Stopped` otherwise.

        Once ``cancelled()`` is true the reply is awaited ``grace_s`` more seconds at most (None: as long as this
        worker's process took to open the store, the price of replacing it).
        """
        self.start()
        try:
            self.wait_ready(deadline, cancelled)  # a fresh worker opens the store first, within the same deadline
        except _Stopped as stopped:
            if stopped.reason != "died":
                raise _Stopped("unready") from None  # no job sent yet: the worker is left to finish starting
            raise
        try:
            write_frame(self.jobs, job)
        except OSError:
            raise _Stopped("died") from None
        return self._next_frame(deadline, cancelled, (self.startup_s or 0.0) if grace_s is None else grace_s)

    def poll_ready(self) -> bool:
        """Read the READY frame if it has arrived, without waiting; return whether the process is ready."""
        if not self.ready and self.process is not None:
            with contextlib.suppress(_Stopped):
                self.wait_ready(time.monotonic())
        return self.ready

    def wait_ready(self, deadline: float, cancelled: Callable[[], bool] | None = None) -> None:
        """Wait until the process has opened the store (its READY frame); raise :class:`_Stopped` otherwise."""
        if not self.ready:
            self._next_frame(deadline, cancelled, 0.0)
            self.ready = True
            self.startup_s = time.monotonic() - self.started_at

    def _next_frame(self, deadline: float, cancelled: Callable[[], bool] | None, grace_s: float) -> bytes:
        given_up: float | None = None  # when the caller went away, the reply is awaited until then
        while True:
            limit = deadline if given_up is None else min(deadline, given_up)
            remaining = max(0.0, limit - time.monotonic())
            try:
                ready, _, _ = select.select([self.replies], [], [], min(remaining, _POLL_S))
            except (OSError, ValueError):  # the pool was closed and the pipe with it
                raise _Stopped("died") from None
            if ready:
                break
            now = time.monotonic()
            if given_up is not None and now >= given_up:
                raise _Stopped("cancelled")
            if now >= deadline:
                raise _Stopped("deadline")
            if given_up is None and cancelled is not None and cancelled():
                given_up = now + grace_s
        try:
            reply = read_frame(self.replies)
        except OSError:
            reply = None
        if reply is None:
            raise _Stopped("died")
        return reply

    def kill(self) -> None:
        """Kill the process, leaving the pipes to the thread using the worker (it sees them close)."""
        if self.process is not None:
            self.process.kill()

    def stop(self) -> None:
        """Kill the process (if any) and close the pipes; the slot starts a new process when next used."""
        process, self.process = self.process, None
        if process is None:
            return
        process.kill()
        process.wait()
        for fd in (self.jobs, self.replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.jobs = self.replies = -1


@dataclass(frozen=True)
class PoolStats:
    """What the pool is doing now.

    Attributes
    ----------
    workers : int
        Slots (worker processes when all have started).
    pids : tuple of int
        Process ids of the running worker processes.
    busy : int
        Workers running a query.
    queued : int
        Queries waiting for a worker.
    timeouts, cancelled, refused : int
        Queries stopped at their deadline, stopped because their caller went away, refused with the queue full.
    startup_s : float or None
        The longest time a running worker took to open the store (None before any has): how long a query
        whose caller went away may still run before its worker is killed.
    """

    workers: int
    pids: tuple[int, ...]
    busy: int
    queued: int
    timeouts: int
    cancelled: int
    refused: int
    startup_s: float | None


class QueryPool:
    """Worker processes that run SPARQL queries under a deadline.

    Parameters
    ----------
    path : pathlib.Path
        Folder of the on-disk store the workers read (its newest published snapshot).
    in_memory : bool
        Each worker copies the snapshot into memory (faster queries, one copy of the store per worker).
    workers : int
        Worker processes (at least 1).
    queue : int
        Queries that may wait for a busy worker; more are refused.
    timeout_s : float
        Deadline of each query, waiting included.
    retry_after_s : int
        ``Retry-After`` seconds suggested when refusing.
    cancel_grace_s : float, optional
        How long a query whose caller went away may still run before its worker is killed (default: as long as
        that worker took to start, so killing never costs more than letting the query finish would have).
    answer_cache : AnswerCache, optional
        Where serialised answers are kept per snapshot (:meth:`run_serialised`); None keeps none.
    """

    def __init__(
        self,
        path: Path,
        *,
        in_memory: bool,
        workers: int,
        queue: int,
        timeout_s: float,
        retry_after_s: int,
        cancel_grace_s: float | None = None,
        answer_cache: AnswerCache | None = None,
    ):
        if workers < 1:
            raise ValueError("a query pool needs at least one worker")
        self.path = path
        self.answer_cache = answer_cache
        self.timeout_s = timeout_s
        self.cancel_grace_s = cancel_grace_s
        self.queue = queue
        self.retry_after_s = retry_after_s
        self._slots = [_Worker(path, in_memory) for _ in range(workers)]
        self._idle = list(self._slots)
        self._waiting = 0
        self._counts = {"deadline": 0, "cancelled": 0, "refused": 0}
        self._closed = False
        self._lock = threading.Lock()
        self._freed = threading.Condition(self._lock)

    def start(self) -> None:
        """Start every worker process now (they open the store while the caller goes on)."""
        with self._lock:
            for worker in self._idle:
                worker.start()

    def wait_ready(self, timeout_s: float) -> bool:
        """Start the idle workers and wait until each has opened the store (benchmarks and tests measure warm).

        Parameters
        ----------
        timeout_s : float
            Longest wait in all.

        Returns
        -------
        bool
            True if every idle worker was ready in time.
        """
        deadline = time.monotonic() + timeout_s
        with self._lock:
            taken, self._idle = self._idle, []
        try:
            for worker in taken:
                worker.start()
                worker.wait_ready(deadline)
        except _Stopped:
            return False
        finally:
            for worker in taken:
                self._give_back(worker)
        return True

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def stop_queries(self) -> None:
        """Refuse new queries and SIGKILL every worker now, without taking a lock or waiting.

        Safe in a signal handler: a second signal arriving while the first one's handler runs cannot deadlock.
        """
        self._closed = True  # first: a query that loses its worker now reports a shutdown, not a crash
        for worker in self._slots:
            worker.kill()  # busy ones too: their callers wake up and clean up their own worker

    def close(self) -> None:
        """Kill every worker, queries in flight included (their callers get StoreUnavailable); idempotent."""
        self.stop_queries()
        with self._lock:
            for worker in self._idle:
                worker.stop()
            self._freed.notify_all()

    def stats(self) -> PoolStats:
        """Return what the pool is doing now.

        Returns
        -------
        PoolStats
            Workers, their process ids, busy and queued counts, and how many queries were stopped or refused.
        """
        with self._lock:
            running = [w for w in self._slots if w.process is not None and w.process.poll() is None]
            startups = [w.startup_s for w in running if w.startup_s is not None]
            return PoolStats(
                len(self._slots),
                tuple(w.process.pid for w in running),
                len(self._slots) - len(self._idle),
                self._waiting,
                self._counts["deadline"],
                self._counts["cancelled"],
                self._counts["refused"],
                max(startups, default=None),
            )

    def _late(self) -> str:
        return (
            f"the query passed its deadline of {self.timeout_s:g} s (PEERGRAPH_QUERY_TIMEOUT_S) and was stopped; "
            "narrow it (more specific patterns, LIMIT) or ask the operator for a longer deadline"
        )

    def _take(self, deadline: float) -> _Worker:
        """Return an idle worker, waiting in the bounded queue until the deadline."""
        with self._lock:
            if self._closed:
                raise StoreUnavailable("the server is shutting down; no more queries are run")
            if not self._idle and self._waiting >= self.queue:
                self._counts["refused"] += 1
                raise QueryBusy(
                    f"all {len(self._slots)} query workers are busy and {self._waiting} queries wait already "
                    f"(PEERGRAPH_QUERY_QUEUE); retry in {self.retry_after_s} s",
                    self.retry_after_s,
                )
            self._waiting += 1
            try:
                while not self._closed:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise self._none_free()
                    if self._idle:
                        break
                    self._freed.wait(remaining)
            finally:
                self._waiting -= 1
            if self._closed:
                raise StoreUnavailable("the server is shutting down; no more queries are run")
            # A worker that has opened the store first: a replacement may still be copying it.
            chosen = next((w for w in reversed(self._idle) if w.poll_ready()), self._idle[-1])
            self._idle.remove(chosen)
            return chosen

    def _none_free(self) -> QueryBusy:
        return QueryBusy(
            f"no query worker was free before the deadline of {self.timeout_s:g} s (PEERGRAPH_QUERY_TIMEOUT_S); "
            f"retry in {self.retry_after_s} s",
            self.retry_after_s,
        )

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
            self._idle.append(worker)
            self._freed.notify()

    def _call(self, job: Job) -> object:
        cancelled, since = _CALLER.get() or (None, None)
        deadline = (since if since is not None else time.monotonic()) + self.timeout_s
        worker = self._take(deadline)
        try:
            job_bytes = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
            reply = worker.exchange(job_bytes, deadline, cancelled, self.cancel_grace_s)
        except _Stopped as stopped:
            if stopped.reason == "unready":
                raise self._none_free() from None
            worker.stop()  # kills a query still running
            if not self._closed:
                worker.start()  # its replacement opens the store now, not when the next query comes
            if self._closed:
                raise StoreUnavailable("the server is shutting down; the query was stopped") from None
            if stopped.reason == "died":
                raise StoreUnavailable("the query worker stopped unexpectedly; retry (a new one was started)") from None
            with self._lock:
                self._counts[stopped.reason] += 1
            if stopped.reason == "cancelled":
                raise QueryTimeout("the caller went away; its query was stopped") from None
            raise QueryTimeout(self._late()) from None
        finally:
            self._give_back(worker)
        status, value = pickle.loads(reply)
        if status == "ok":
            return value
        raise ERRORS.get(status, RuntimeError)(value)

    def run_query(
        self,
        sparql: str,
        *,
        max_rows: int,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> SparqlResult:
        """Run a query in a worker (the parameters of :meth:`graph.rdf.store.RdfStore.run_query`).

        Returns
        -------
        SparqlResult
            The bounded answer.

        Raises
        ------
        QueryRejected
            For malformed queries, updates, ``SERVICE`` and unknown graphs.
        QueryTimeout
            Past the deadline (the worker was killed), or when the caller went away.
        QueryBusy
            With every worker busy and the queue full, or no worker free before the deadline.
        StoreUnavailable
            If the store cannot be read, or the pool is shutting down.
        """
        job = Job(sparql, max_rows, dict(bindings) if bindings else None, include_restricted, dataset)
        result = self._call(job)
        assert isinstance(result, SparqlResult)
        return result

    def run_serialised(
        self,
        sparql: str,
        *,
        formats: tuple[str | None, str | None],
        max_rows: int,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> Serialised:
        """Run a query in a worker and return its answer already serialised there (or kept from before).

        With an :attr:`answer_cache`, the answer of the same query on the same snapshot (same formats, row cap,
        access and dataset) is returned without a worker, ``from_cache`` set.

        Parameters
        ----------
        sparql : str
            The query.
        formats : (str or None, str or None)
            Format for solutions (SELECT/ASK) and for graphs (CONSTRUCT/DESCRIBE), as
            :func:`graph.results.serialize_solutions` / :func:`graph.results.serialize_graph` name them.
        max_rows : int
            Row cap.
        include_restricted : bool
            Also see restricted records.
        dataset : (list of str, list of str), optional
            Default and named graph IRIs.

        Returns
        -------
        Serialised
            The answer's kind, bytes and truncation flag.

        Raises
        ------
        QueryRejected, QueryTimeout, QueryBusy, StoreUnavailable
            As :meth:`run_query`.
        """
        job = Job(sparql, max_rows, None, include_restricted, dataset, formats)
        if self.answer_cache is None:
            return self._serialised(job)
        # The snapshot's name is read before and after the query: the answer is kept only if no writer published
        # in between, so the snapshot it was read from is the one named in its key.
        before = read_generation(self.path)
        if not before:  # nothing published yet: no snapshot to name the answer by
            return self._serialised(job)
        key = (before, sparql, formats, max_rows, include_restricted, dataset and tuple(map(tuple, dataset)))
        kept = self.answer_cache.get(key)
        if kept is not None:
            return kept
        answer = self._serialised(job)
        if read_generation(self.path) == before:
            self.answer_cache.put(key, answer)
        return answer

    def _serialised(self, job: Job) -> Serialised:
        answer = self._call(job)
        assert isinstance(answer, Serialised)
        return answer
