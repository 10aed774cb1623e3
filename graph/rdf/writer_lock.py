"""The single-writer lock of an on-disk store: a file lock naming the process that holds it."""

from __future__ import annotations

import fcntl
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from graph.errors import StoreLocked

LOCK_FILE = "peergraph-writer.lock"


def acquire_lock(folder: Path) -> IO[str]:
    """Take the store folder's writer lock, or fail naming the process that holds it.

    Parameters
    ----------
    folder : pathlib.Path
        The store folder.

    Returns
    -------
    file
        The open lock file; closing it (or the process ending) releases the lock.

    Raises
    ------
    StoreLocked
        If another process holds the lock.
    """
    handle = (folder / LOCK_FILE).open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "{}"
        handle.close()
        try:
            info = json.loads(holder)
        except json.JSONDecodeError:
            info = {}
        raise StoreLocked(
            f"the store {folder} is in use by process {info.get('pid', '?')} ({info.get('command', 'unknown')}, "
            f"since {info.get('since', '?')}); only one process may write at a time. Wait for it or stop it; "
            "`peergraph serve` itself only reads and does not block ingests."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(
        json.dumps(
            {
                "pid": os.getpid(),
                "command": " ".join(sys.argv[:3]),
                "since": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
    )
    handle.flush()
    return handle
