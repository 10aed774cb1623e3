"""The server's shared snapshot: one background reload per commit, readers never wait for it (issue 16, 7)."""

import threading
import time

from graph.rdf.live_store import LiveStore
from graph.services.store import ingest_paths
from tests.helpers import DATA


def test_one_reload_per_commit_while_readers_keep_the_old_snapshot(store, settings):
    warmed: list[str] = []
    slow = threading.Event()

    def warm(fresh):  # a slow reload: copying a large store into memory takes seconds
        warmed.append(fresh.generation)
        slow.wait(timeout=10)

    live = LiveStore(settings.store, in_memory=True, warm=warm)
    old = live.current().generation
    ingest_paths(store, [DATA / "records"], settings)  # a writer commits
    timings: list[float] = []
    seen: list[str] = []

    def read() -> None:
        started = time.perf_counter()
        snapshot = live.current()
        seen.append(snapshot.generation)
        timings.append(time.perf_counter() - started)

    readers = [threading.Thread(target=read) for _ in range(20)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=5)
    assert seen == [old] * 20  # every reader kept the old snapshot during the reload
    assert max(timings) < 1.0  # and none waited for it (the reload is held for up to 10 s)
    slow.set()
    deadline = time.monotonic() + 10
    while live.current().generation == old:
        assert time.monotonic() < deadline, "the reload never finished"
        time.sleep(0.01)
    assert warmed == [store.generation]  # exactly one reload for twenty readers
    assert live.current().count() == store.count()
    live.close()


def test_reload_now_waits_for_the_newest_snapshot(store, settings):
    live = LiveStore(settings.store, in_memory=False)
    ingest_paths(store, [DATA / "records"], settings)
    assert live.reload_now().generation == store.generation
    live.close()
