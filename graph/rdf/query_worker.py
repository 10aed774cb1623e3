"""A SPARQL worker process: reads jobs from a pipe, answers each from a read-only view of the store.

Started by :class:`graph.rdf.query_pool.QueryPool` as ``python -m graph.rdf.query_worker STORE IN_MEMORY JOBS
REPLIES`` (the last two are inherited pipe descriptors). It opens the newest published snapshot of the store
(copied into memory when ``IN_MEMORY`` is 1) and, before each job, reopens it if a writer has published a newer
one, so a query never reads data older than the last commit before it started. It first writes
:data:`READY`, once the store is open. A job is a pickled
:class:`Job`; the reply is a pickled ``(status, value)``: ``("ok", SparqlResult or Serialised)`` or the name of
a domain error and its message. Frames are an 8-byte big-endian length and that many bytes.

The pool kills a worker past its deadline (SIGKILL: pyoxigraph cannot interrupt a query), so the worker
holds nothing that needs cleaning up. It leaves when its job pipe closes or its parent goes away, and runs
at a lower CPU priority so the server's event loop (``/health``, cheap pages) is scheduled first.
"""

from __future__ import annotations

import logging
import os
import pickle
import struct
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Node

from graph.errors import QueryRejected, StoreUnavailable
from graph.rdf.store import RdfStore
from graph.result_formats import ResultNotRepresentable
from graph.results import Serialised, SparqlResult

log = logging.getLogger(__name__)
_HEADER = struct.Struct(">Q")
_NICENESS = 10
#: The first frame a worker writes, once it has opened the store (or failed to).
READY = b"ready"
#: Domain errors a worker reports by name, re-raised as such by the pool.
ERRORS = {
    "QueryRejected": QueryRejected,
    "StoreUnavailable": StoreUnavailable,
    "ResultNotRepresentable": ResultNotRepresentable,
}


@dataclass(frozen=True)
class Job:
    """One query for a worker (the arguments of :meth:`RdfStore.run_query`, plus the output wanted).

    Attributes
    ----------
    sparql : str
        The query as the caller sent it.
    max_rows : int
        Row cap.
    bindings : mapping of str to rdflib term or None
        Values for variables.
    include_restricted : bool
        Also see restricted records.
    dataset : (list of str, list of str) or None
        Default and named graph IRIs.
    formats : (str or None, str or None) or None
        ``(solutions format, graph format)`` as :func:`graph.results.serialised` takes them: the worker
        returns :class:`~graph.results.Serialised` bytes (no body when the result's kind has no format: the
        caller refuses it); None returns the :class:`SparqlResult`.
    """

    sparql: str
    max_rows: int
    bindings: Mapping[str, Node] | None = None
    include_restricted: bool = False
    dataset: tuple[list[str], list[str]] | None = None
    formats: tuple[str | None, str | None] | None = None


def write_frame(fd: int, payload: bytes) -> None:
    """Write one frame (length, then bytes) to a pipe descriptor.

    Parameters
    ----------
    fd : int
        Pipe descriptor open for writing.
    payload : bytes
        The frame's content.
    """
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, min(size - len(chunks), 1 << 20))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def read_frame(fd: int) -> bytes | None:
    """Read one frame from a pipe descriptor.

    Parameters
    ----------
    fd : int
        Pipe descriptor open for reading.

    Returns
    -------
    bytes or None
        The frame's content, or None if the other end closed (before or during the frame).
    """
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(fd, _HEADER.unpack(header)[0])


def answer(store: RdfStore, job: Job) -> SparqlResult | Serialised:
    """Run a job on an open store, in this process.

    Parameters
    ----------
    store : RdfStore
        The worker's read-only store.
    job : Job
        The query.

    Returns
    -------
    SparqlResult or Serialised
        The answer, serialised if ``job.formats`` asks for it (by Oxigraph's own writers where they are exact).
    """
    arguments = {"max_rows": job.max_rows, "include_restricted": job.include_restricted, "dataset": job.dataset}
    if job.formats is None:
        return store.run_query_here(job.sparql, bindings=job.bindings, **arguments)
    return store.run_query_serialised_here(job.sparql, formats=job.formats, bindings=job.bindings, **arguments)


def _leave_when_orphaned(parent: int) -> None:
    """Exit the process once its parent is gone (a killed server must not leave queries running)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _open(path: Path, in_memory: bool, store: RdfStore | None) -> RdfStore:
    if store is None:
        return RdfStore(path, read_only=True, in_memory=in_memory)
    store.refresh()
    return store


def serve(path: Path, in_memory: bool, jobs: int, replies: int) -> None:
    """Answer jobs until the job pipe closes.

    Parameters
    ----------
    path : pathlib.Path
        The store folder.
    in_memory : bool
        Copy each snapshot into memory.
    jobs, replies : int
        Pipe descriptors to read jobs from and write replies to.
    """
    os.nice(_NICENESS)
    threading.Thread(target=_leave_when_orphaned, args=(os.getppid(),), daemon=True).start()
    store: RdfStore | None = None
    try:
        store = _open(path, in_memory, None)  # opened before the first job arrives: the first answer is not late
    except StoreUnavailable as error:
        log.warning("query worker: %s (tried again with the first job)", error)
    write_frame(replies, READY)
    while (frame := read_frame(jobs)) is not None:
        job = pickle.loads(frame)
        reply: tuple[str, object]
        try:
            store = _open(path, in_memory, store)
            reply = ("ok", answer(store, job))
        except (QueryRejected, StoreUnavailable, ResultNotRepresentable) as error:
            reply = (type(error).__name__, str(error))
        except Exception as error:  # reported to the caller as a failed query, never silently dropped
            log.exception("query worker: the query failed")
            reply = ("error", f"{type(error).__name__}: {error}")
        write_frame(replies, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))


def main(argv: list[str]) -> None:
    """Run a worker: ``STORE IN_MEMORY JOBS REPLIES`` (see the module docstring).

    Parameters
    ----------
    argv : list of str
        The four arguments.
    """
    path, in_memory, jobs, replies = argv
    code = 0
    try:
        serve(Path(path), in_memory == "1", int(jobs), int(replies))
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stderr.flush()
    os._exit(code)  # the sandbox's query threads are not daemons: leave without waiting for them


if __name__ == "__main__":
    # Run the imported module, not this ``__main__`` copy: the pool unpickles replies as graph.rdf.query_worker.*.
    from graph.rdf import query_worker

    query_worker.main(sys.argv[1:])
