"""The server's view of the store: one read-only snapshot shared by every request, reloaded in the background.

A writer (``peergraph ingest``, an upload) publishes a new snapshot; the next request that notices starts
**one** reload in a background thread (opening the snapshot, copying it into memory when configured, and
warming the caller's caches), while that request and every other keep reading the snapshot they had. The new
snapshot is swapped in when it is ready; the old one is freed when the last request holding it finishes.
Before, each request reopened (and copied) the snapshot itself, so after an ingest every data request waited.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from graph.errors import StoreUnavailable
from graph.rdf.query_pool import QueryPool
from graph.rdf.store import RdfStore

log = logging.getLogger(__name__)


class LiveStore:
    """The newest published snapshot of an on-disk store, for concurrent readers.

    Parameters
    ----------
    path : pathlib.Path
        The store folder.
    in_memory : bool
        Copy each snapshot into memory (``serve_from_memory``).
    warm : callable, optional
        Called with a freshly opened snapshot before it is swapped in (e.g. to build its graph view).
    query_runner : QueryPool, optional
        Given to every snapshot opened: its user queries run in these worker processes, under their deadline.

    Raises
    ------
    StoreUnavailable
        If there is no store yet.
    """

    def __init__(
        self,
        path: Path,
        *,
        in_memory: bool,
        warm: Callable[[RdfStore], object] | None = None,
        query_runner: QueryPool | None = None,
    ):
        self._path = path
        self._in_memory = in_memory
        self._warm = warm
        self._query_runner = query_runner
        self._store = self._open()
        self._reloading = threading.Lock()

    def _open(self) -> RdfStore:
        store = RdfStore(self._path, read_only=True, in_memory=self._in_memory)
        store.query_runner = self._query_runner
        return store

    def current(self) -> RdfStore:
        """Return the snapshot to read now, never waiting; start the one background reload if a writer committed.

        Returns
        -------
        RdfStore
            The newest snapshot loaded so far.
        """
        store = self._store
        if store.is_stale() and self._reloading.acquire(blocking=False):
            threading.Thread(target=self._reload_in_background, name="peergraph-reload", daemon=True).start()
        return store

    def reload_now(self) -> RdfStore:
        """Load the newest snapshot before returning (for a writer in this process that waits for its own data).

        Returns
        -------
        RdfStore
            The newest snapshot.
        """
        with self._reloading:
            if self._store.is_stale():
                self._swap()
        return self._store

    def _swap(self) -> None:
        fresh = self._open()
        if self._warm is not None:
            self._warm(fresh)
        self._store = fresh  # one reference assignment: readers see the old or the new snapshot, whole

    def _reload_in_background(self) -> None:
        try:
            if self._store.is_stale():  # a reader that saw the old snapshot just before a swap asks again
                self._swap()
        except StoreUnavailable as error:  # the old snapshot stays in use; the next request tries again
            log.warning("reloading the store failed: %s", error)
        finally:
            self._reloading.release()

    def close(self) -> None:
        """Wait for a reload in progress, then close the current snapshot."""
        with self._reloading:
            self._store.close()
