"""Ingest from uploaded files (``POST /api/ingest``): the same validation as ``peergraph ingest``, all or nothing.

The server reads the store through published snapshots; an upload opens the store for writing for the
duration of the load (the single-writer lock: if ``peergraph ingest`` is running, the upload is refused
with 409 and the holder named), then the server sees the new data on its next request.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from graph.errors import InvalidRequest, UploadTooLarge
from graph.neo4j.store import Neo4jStore, SyncReport
from graph.rdf.loader import LoadReport
from graph.services.neo4j import sync_neo4j
from graph.services.store import ingest_paths, open_rdf_store
from graph.settings import Settings
from ingest.types import InputRejected

_DATASET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.()-]{0,127}$")


@dataclass
class Upload:
    """One uploaded file: the name the client gave and its bytes."""

    name: str
    data: bytes


@dataclass
class UploadReport:
    """What an upload changed."""

    dataset: str
    sources: list[str]
    load: LoadReport
    neo4j: SyncReport | None


def check_upload_size(uploads: list[Upload], max_bytes: int) -> None:
    """Refuse uploads larger than ``max_bytes`` together.

    Parameters
    ----------
    uploads : list of Upload
        The files.
    max_bytes : int
        The limit.

    Raises
    ------
    UploadTooLarge
        If the files are larger together.
    """
    total = sum(len(upload.data) for upload in uploads)
    if total > max_bytes:
        raise UploadTooLarge(f"the upload is {total} bytes; the limit is {max_bytes} (PEERGRAPH_MAX_UPLOAD_BYTES)")


def _paths(folder: Path, dataset: str, uploads: list[Upload]) -> tuple[list[Path], str | None]:
    if not _DATASET.fullmatch(dataset):
        raise InvalidRequest("dataset", "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
    if not uploads:
        raise InvalidRequest("files", "upload at least one file")
    names = [upload.name for upload in uploads]
    for name in names:
        if not _FILE_NAME.fullmatch(name) or ".." in name:
            raise InvalidRequest("files", f"unsafe file name {name!r}: use a plain name such as measures.csv")
    if len(set(names)) != len(names):
        raise InvalidRequest("files", "two files have the same name")
    target = folder / dataset
    target.mkdir()
    for upload in uploads:
        (target / upload.name).write_bytes(upload.data)
    if all(name.lower().endswith(".csv") for name in names):
        return [target], None
    if len(uploads) == 1:
        return [target / names[0]], f"{dataset}/{names[0]}"
    raise InvalidRequest("files", "upload the CSV files of one dataset together, or one file in another format")


def _renamed(error: InputRejected, folder: Path) -> InputRejected:
    """Name files in problems as the client sent them (``dataset/file``), not by their temporary path."""
    prefix = f"{folder}/"
    return InputRejected(
        [replace(p, location=replace(p.location, file=p.location.file.replace(prefix, ""))) for p in error.problems]
    )


def ingest_uploads(
    settings: Settings,
    uploads: list[Upload],
    *,
    dataset: str = "upload",
    force: bool = False,
    neo4j_store: Neo4jStore | None = None,
) -> UploadReport:
    """Validate uploaded files and load them into the store, all or nothing; then project into Neo4j if given.

    Parameters
    ----------
    settings : Settings
        Names the store and the size limit.
    uploads : list of Upload
        CSV files of one dataset (source names ``<dataset>/<file>``, as a folder would give), or one file in
        another supported format.
    dataset : str
        The dataset name: uploading the same dataset again replaces its sources.
    force : bool
        Reload unchanged files too.
    neo4j_store : Neo4jStore, optional
        Sync Neo4j after the load.

    Returns
    -------
    UploadReport
        Sources loaded and unchanged, and the Neo4j sync.

    Raises
    ------
    UploadTooLarge, InvalidRequest, InputRejected, StoreLocked
        Nothing is written in any of these cases.
    """
    check_upload_size(uploads, settings.max_upload_bytes)
    with tempfile.TemporaryDirectory(prefix="peergraph-upload-") as temporary:
        folder = Path(temporary)
        paths, name = _paths(folder, dataset, uploads)
        with open_rdf_store(settings) as store:
            try:
                batch, report = ingest_paths(store, paths, settings, name=name, force=force)
            except InputRejected as error:
                raise _renamed(error, folder) from None
            synced = sync_neo4j(store, neo4j_store) if neo4j_store is not None else None
    return UploadReport(dataset, [source.name for source in batch.sources], report, synced)
