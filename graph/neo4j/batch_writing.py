"""How a sync writes to Neo4j in batches: the statements, a pool of writer threads, the paused collector.

Every statement comes as a pair: ``MERGE`` (idempotent, for a database that holds peergraph nodes) and
``CREATE`` (faster, for an empty one). Node statements return the nodes' ids, by which relationships find
both ends without an index lookup.
"""

from __future__ import annotations

import contextlib
import gc
import queue
import threading
from collections.abc import Callable, Iterator

from graph.property_graph.mapping import RESOURCE

#: How a sync names nodes between its steps. ``id()`` is deprecated in favour of ``elementId()``, whose
#: string ids cost more to send and parse. Either is valid only while the node exists, which holds within
#: one sync: nothing else deletes peergraph's nodes. Set to ``elementId`` when ``id()`` goes.
NODE_ID = "id"
_RETURN_IDS = f"RETURN collect({NODE_ID}(n)) AS ids"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (process-wide) for a sync, and restore it after.

    A sync holds millions of long-lived strings and ids (link ends, node ids) that every full collection
    walks while holding the GIL, so the dump, the writers and the reader would all stand still meanwhile.
    The sync makes no reference cycles of its own; cycles another thread leaves are collected after it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Writers:
    """Threads running write tasks, at most two waiting per thread (a fast reader cannot pile up batches).

    The first failure is raised by the next :meth:`submit`, or at the end of the ``with`` block.
    """

    def __init__(self, count: int):
        self._tasks: queue.Queue = queue.Queue(maxsize=2 * count)
        self._failures: list[BaseException] = []
        self._threads = [
            threading.Thread(target=self._work, name=f"neo4j-sync-writer-{i}", daemon=True) for i in range(count)
        ]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def _work(self) -> None:
        while (task := self._tasks.get()) is not None:
            if self._failures:
                continue  # drain after a failure
            function, args, kwargs = task
            try:
                function(*args, **kwargs)
            except BaseException as error:  # raised in the submitting thread
                self._failures.append(error)

    def submit(self, function: Callable[..., object], *args: object, **kwargs: object) -> None:
        """Queue a task (waiting while the queue is full)."""
        if self._failures:
            raise self._failures[0]
        self._tasks.put((function, args, kwargs))

    def __exit__(self, exc_type: type | None, *exc_info: object) -> None:
        for _ in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join()
        if exc_type is None and self._failures:
            raise self._failures[0]


def node_statements(labels: tuple[str, ...], every_label: str) -> tuple[str, str]:
    """Return the (MERGE, CREATE) statements writing node rows with these labels; both return node ids.

    MERGE: a node last written by an older run first loses its labels and properties (so a record that
    lost a type or a field at the source loses it here too); a node of this run does not.
    """
    add = "".join(f":{label}" for label in labels)
    every, ids = every_label, _RETURN_IDS
    merge = (
        f"UNWIND $rows AS row MERGE (n:{RESOURCE} {{iri: row.iri}}) "
        f"FOREACH (_ IN CASE WHEN n.run IS NULL OR n.run = $run THEN [] ELSE [1] END | "
        f"REMOVE n:{every} SET n = {{iri: row.iri}}) "
        f"SET n += row, n.run = $run" + (f" SET n{add}" if add else "") + f" {ids}"
    )
    create = f"UNWIND $rows AS row CREATE (n:{RESOURCE}{add}) SET n = row, n.run = $run {ids}"
    return merge, create


def target_statements(every_label: str) -> tuple[str, str]:
    """Return the (MERGE, CREATE) statements writing bare nodes for targets that are no subject this run.

    MERGE resets a node left by an older run to ``{iri, run}``.
    """
    every, ids = every_label, _RETURN_IDS
    merge = (
        f"UNWIND $rows AS iri MERGE (n:{RESOURCE} {{iri: iri}}) "
        f"FOREACH (_ IN CASE WHEN coalesce(n.run, '') = $run THEN [] ELSE [1] END | "
        f"REMOVE n:{every} SET n = {{iri: iri, run: $run}}) {ids}"
    )
    create = f"UNWIND $rows AS iri CREATE (n:{RESOURCE} {{iri: iri, run: $run}}) {ids}"
    return merge, create


def relationship_statements(rel_type: str) -> tuple[str, str]:
    """Return the (MERGE, CREATE) statements writing ``[start id, end id]`` rows of a relationship type.

    MERGE tags the relationship with the run. CREATE (into a database with no peergraph node) does not:
    the tag only serves to find what a later sync did not write, and a missing tag counts as an older
    run; leaving it out saves a quarter of Neo4j's work on relationships (measured at 1e5 entities).
    """
    ends = f"UNWIND $rows AS row MATCH (a) WHERE {NODE_ID}(a) = row[0] MATCH (b) WHERE {NODE_ID}(b) = row[1] "
    return ends + f"MERGE (a)-[r:{rel_type}]->(b) SET r.run = $run", ends + f"CREATE (a)-[:{rel_type}]->(b)"
