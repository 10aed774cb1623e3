"""Streaming a graph out of an Oxigraph store as plain triples, with the decoding on another core.

Reading quads one by one is slow: nearly all of it is Oxigraph decoding terms (mostly looking up the text
of long IRIs) while it holds Python's GIL. A dump decodes the same terms, and
when it writes to a *path* it releases the GIL. So :func:`dumped_triples` runs three parts at once:

1. a thread in which Oxigraph dumps N-Triples to the path of a pipe (``/dev/fd/N``), without the GIL;
2. a thread that drains the pipe in 1 MB blocks into a bounded queue (:data:`READ_AHEAD_BLOCKS`), so
   the dump keeps running while the consumer is busy elsewhere (the pipe is raised from 64 KB to 1 MB on
   Linux, which made the reader wait less: ``benchmarks/results-notes.md``);
3. the caller's thread, which cuts the blocks into lines and lines into plain values
   (:mod:`graph.rdf.plain_ntriples`).

Writing the dump to a Python file object instead would hold the GIL for the whole dump. Oxigraph ends a
dump to a path with an fsync, which a pipe refuses with EINVAL once the last line is written: that one
error is expected and ignored; any other is raised in the caller's thread. A caller that stops early
stops both threads (the dump ends on a broken pipe).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import queue
import threading
from collections.abc import Iterator

import pyoxigraph as ox

from graph.plain_terms import PlainTerm
from graph.rdf.plain_ntriples import plain_triples

#: Bytes per read from the pipe.
BLOCK = 1 << 20
#: Blocks the dump may run ahead of the caller (64 MB).
READ_AHEAD_BLOCKS = 64
#: How Oxigraph reports the fsync a pipe refuses at the end of a dump to its path (Rust's io::Error text).
_FSYNC_REFUSED = f"(os error {errno.EINVAL})"


def dumped_triples(store: ox.Store, from_graph: ox.NamedNode | ox.DefaultGraph) -> Iterator[tuple[str, str, PlainTerm]]:
    """Yield the triples of one graph of the store in storage order (by subject), as plain values.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store.
    from_graph : pyoxigraph.NamedNode or pyoxigraph.DefaultGraph
        The graph to read.

    Yields
    ------
    tuple
        Subject key, predicate IRI, object (key or :class:`~graph.plain_terms.LiteralValue`).

    Raises
    ------
    OSError, ValueError
        The dump's own error if it failed (a stream cut short is reported by it, not by the half line).
    """
    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux: room for 1 MB, so the dump runs on while the drain waits for the GIL
        with contextlib.suppress(OSError):
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, BLOCK)
    blocks: queue.Queue[bytearray] = queue.Queue(maxsize=READ_AHEAD_BLOCKS)
    stopped = threading.Event()
    failures: list[BaseException] = []

    def dump() -> None:
        try:
            store.dump(f"/dev/fd/{write_end}", ox.RdfFormat.N_TRIPLES, from_graph=from_graph)
        except OSError as error:
            if _FSYNC_REFUSED not in str(error) and not stopped.is_set():
                failures.append(error)
        except BaseException as error:
            failures.append(error)
        finally:
            os.close(write_end)  # the drain sees the end of the stream

    def drain() -> None:
        with open(read_end, "rb", buffering=0) as source:
            while not stopped.is_set():
                block = bytearray()  # a pipe answers each read with what it holds (8 KB): gather BLOCK
                while len(block) < BLOCK and (more := source.read(BLOCK - len(block))):
                    block += more
                while not stopped.is_set():
                    try:
                        blocks.put(block, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if not block:
                    return
        # closing the read end here, once stopped, ends a dump still writing (broken pipe)

    threads = [
        threading.Thread(target=dump, name="oxigraph-dump", daemon=True),
        threading.Thread(target=drain, name="oxigraph-dump-drain", daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        rest = bytearray()
        while block := blocks.get():
            block = rest + block if rest else block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield from plain_triples(block[: cut - 1].decode("utf-8").split("\n"))
        if failures:
            raise failures[0]
        if rest:
            raise ValueError(f"the dump ended inside a line: {rest[:200]!r}")
    except ValueError:
        stopped.set()  # the drain lets go of the pipe, so a dump still writing ends (broken pipe, not an error)
        threads[0].join()
        if failures:  # a dump that failed leaves half a line: its own error says why
            raise failures[0] from None
        raise
    finally:
        stopped.set()
        for thread in threads:
            thread.join()
