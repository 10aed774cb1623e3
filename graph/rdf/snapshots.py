"""The store folder's checkpoints: the writer publishes one per commit, readers open the newest.

One writer, many readers
------------------------
The store folder holds ``db/`` (the RocksDB database), ``snapshots/<generation>/`` and two small files.
RocksDB allows one read-write process, and a read-only open beside a working writer can race its
compactions (seen here: "No such file … .sst"). So:

* the writer (``peergraph ingest``, ``init``, ``demo``) holds ``peergraph-writer.lock`` (with its PID and
  command, so a second writer fails with a message naming the holder) and opens ``db/``;
* after every commit it publishes an immutable checkpoint of ``db/`` (``Store.backup``: hard links, no
  copy) as ``snapshots/<generation>/`` and writes that name to ``peergraph-generation``, keeping the two
  newest checkpoints;
* readers (``peergraph serve``, ``sparql``, ``stats``, ``export``) open the newest checkpoint read-only and
  reopen when ``peergraph-generation`` changes, so the CLI can ingest while the server runs and the
  server sees the new data on its next request.

The marker is written to a temporary name and renamed, so a reader sees the old or the new name, whole.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from graph.errors import StoreUnavailable

GENERATION_FILE = "peergraph-generation"
DB_FOLDER = "db"
SNAPSHOTS_FOLDER = "snapshots"
KEEP_SNAPSHOTS = 2


def read_generation(path: Path | None) -> str:
    """Return the name of the newest published checkpoint of the store at ``path``, or ``""`` if none."""
    if path is None:
        return ""
    try:
        return (path / GENERATION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def has_checkpoint(path: Path, generation: str) -> bool:
    """Tell whether the checkpoint ``generation`` is still on disk."""
    return bool(generation) and (path / SNAPSHOTS_FOLDER / generation).exists()


def open_snapshot(path: Path, generation: str, in_memory: bool) -> ox.Store:
    """Open a checkpoint read-only, or copy it into memory.

    Raises
    ------
    StoreUnavailable
        If it cannot be read.
    """
    try:
        snapshot = ox.Store.read_only(str(path / SNAPSHOTS_FOLDER / generation))
    except (OSError, RuntimeError) as error:
        raise StoreUnavailable(f"the store {path} cannot be read: {error}") from None
    if not in_memory:
        return snapshot
    copy = ox.Store()
    copy.bulk_extend(snapshot.quads_for_pattern(None, None, None, None))
    return copy


def publish_checkpoint(store: ox.Store, path: Path) -> str:
    """Publish an immutable checkpoint of the writer's database for readers, prune old ones; return its name."""
    store.flush()
    # Compact first: joins on an uncompacted checkpoint were several times slower (benchmarks/results.md).
    store.optimize()
    snapshots = path / SNAPSHOTS_FOLDER
    snapshots.mkdir(exist_ok=True)
    generation = f"{time.time_ns()}"
    store.backup(str(snapshots / generation))
    marker = path / f"{GENERATION_FILE}.tmp"
    marker.write_text(generation, encoding="utf-8")
    marker.replace(path / GENERATION_FILE)
    for old in sorted(p for p in snapshots.iterdir() if p.name.isdigit())[:-KEEP_SNAPSHOTS]:
        shutil.rmtree(old, ignore_errors=True)
    return generation
