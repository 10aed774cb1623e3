"""Serialised SPARQL answers kept per store snapshot, so a repeated query is answered without a worker.

A snapshot never changes once published (:mod:`graph.rdf.snapshots`), so the same query text, asked with
the same formats, row cap, access and dataset of the same snapshot, has the same bytes: serving them again
is exact, not stale. Public endpoints put an HTTP cache before the engine for the same reason (pages and
dashboards repeat their queries). The cache is bounded in bytes and forgets the least recently used
answers first; a new snapshot makes every older key unreachable, and they age out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import replace

from graph.results import Serialised


class AnswerCache:
    """A thread-safe least-recently-used map from a query's key to its :class:`Serialised` answer.

    Parameters
    ----------
    max_bytes : int
        Most bytes of answers kept (an answer larger than a quarter of it is never kept, so one answer cannot
        empty the cache).
    """

    def __init__(self, max_bytes: int):
        if max_bytes <= 0:
            raise ValueError("an answer cache needs a positive size; use no cache instead")
        self.max_bytes = max_bytes
        self.hits = self.misses = 0
        self._bytes = 0
        self._answers: OrderedDict[Hashable, Serialised] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Serialised | None:
        """Return the answer kept for ``key`` (``from_cache`` set), or None."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
        return replace(answer, from_cache=True)

    def put(self, key: Hashable, answer: Serialised) -> None:
        """Keep ``answer`` for ``key`` unless it is too large, forgetting the least recently used to make room."""
        size = _size(answer)
        if size > self.max_bytes // 4:
            return
        with self._lock:
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._bytes -= _size(previous)
            self._answers[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, oldest = self._answers.popitem(last=False)
                self._bytes -= _size(oldest)

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)


def _size(answer: Serialised) -> int:
    return len(answer.body or b"")
