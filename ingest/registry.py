"""The registry of ingesters: source format name to module.

Built-in formats register here exactly as a third-party one would: a module with ``SUFFIXES``,
``read(path)`` and ``to_triples(item)``. Callers look ingesters up by name or by a path's suffix.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ingest.sources import csv_folder, json_records, rdf, xlsx

#: Format name to ingester module.
SOURCES: dict[str, ModuleType] = {
    "csv": csv_folder,
    "xlsx": xlsx,
    "json": json_records,
    "rdf": rdf,
}

#: Formats whose rows are records of :mod:`ingest.schema` (validated as a batch); the others give triples.
RECORD_FORMATS = frozenset({"csv", "xlsx", "json"})


class UnknownFormat(ValueError):
    """No ingester reads the given path or name."""


def get_ingester(name: str) -> ModuleType:
    """Return the ingester registered under ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`SOURCES`.

    Returns
    -------
    module
        The ingester module.

    Raises
    ------
    UnknownFormat
        If no ingester has that name.
    """
    try:
        return SOURCES[name]
    except KeyError:
        raise UnknownFormat(f"no ingester called {name!r}; known: {', '.join(SOURCES)}") from None


def detect_format(path: Path) -> str:
    """Return the name of the ingester that reads ``path``: a folder is CSV, files go by suffix.

    Parameters
    ----------
    path : pathlib.Path
        A file or folder.

    Returns
    -------
    str
        A key of :data:`SOURCES`.

    Raises
    ------
    UnknownFormat
        If the path does not exist or no ingester reads its suffix.

    Examples
    --------
    >>> detect_format(Path("records.jsonl"))
    'json'
    """
    if path.is_dir():
        return "csv"
    suffix = path.suffix.lower()
    for name, module in SOURCES.items():
        if suffix in module.SUFFIXES:
            return name
    known = sorted(suffix for module in SOURCES.values() for suffix in module.SUFFIXES)
    raise UnknownFormat(
        f"{path}: no ingester reads {suffix or 'files without a suffix'!r} files "
        f"(known: a folder of CSV files, {', '.join(known)})"
    )
