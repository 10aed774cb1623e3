"""Loading prepared sources into the stores: one run tag per load, unchanged files skipped."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from graph.store import GraphStore, RunId, SourceInfo
from ingest.pipeline import Batch, PreparedSource

_counter = itertools.count()


def new_run_id() -> RunId:
    """Return a fresh run tag: UTC time to the microsecond plus a process-local counter.

    Returns
    -------
    RunId
        For example ``20261122T120000.123456Z-0``.
    """
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S.%fZ')}-{next(_counter)}"


@dataclass
class LoadReport:
    """What a load did.

    Attributes
    ----------
    run : RunId
        The run tag.
    loaded : list of PreparedSource
        Sources whose content was replaced.
    unchanged : list of PreparedSource
        Sources skipped because the store already holds the same file (same name and checksum).
    """

    run: RunId
    loaded: list[PreparedSource] = field(default_factory=list)
    unchanged: list[PreparedSource] = field(default_factory=list)


def load(batch: Batch, store: GraphStore, *, force: bool = False, run: RunId | None = None) -> LoadReport:
    """Load a prepared batch into the RDF store, all changed sources in one atomic switch.

    Parameters
    ----------
    batch : Batch
        From :func:`ingest.pipeline.prepare`.
    store : GraphStore
        An RDF store opened for writing.
    force : bool
        Reload sources even when their checksum is unchanged.
    run : RunId, optional
        The run tag (default: a new one).

    Returns
    -------
    LoadReport
        Which sources were loaded and which were unchanged.
    """
    report = LoadReport(run or new_run_id())
    held = {source.name: source.sha256 for source in store.sources()}
    items: list[tuple[SourceInfo, Sequence]] = []
    for source in batch.sources:
        if not force and source.sha256 and held.get(source.name) == source.sha256:
            report.unchanged.append(source)
            continue
        info = SourceInfo(source.name, source.path.name, source.sha256, source.report.record_count)
        items.append((info, source.triples))
        report.loaded.append(source)
    if items:
        store.replace_sources(items, report.run)
    return report
