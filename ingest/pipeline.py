"""From input paths to validated triples, grouped by source file: read, validate, map, check shapes.

Nothing here writes anywhere. Every problem of the whole batch is collected before anything is
returned, so a batch is either accepted whole or rejected whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.mapping import record_triples
from ingest.registry import RECORD_FORMATS, UnknownFormat, detect_format, get_ingester
from ingest.schema import TABLES_BY_NAME
from ingest.shacl import check_shapes
from ingest.sources import csv_folder
from ingest.types import IngestReport, InputRejected, Location, Problem, RawRow, Record, Triple
from ingest.validate import KnownRecord, validate_rows


@dataclass
class PreparedSource:
    """The validated content of one source file, ready to load.

    Attributes
    ----------
    name : str
        The stable source name the file is stored under (``file.csv``, or ``folder/file.csv``).
    path : pathlib.Path
        The file.
    format : str
        The ingester that read it.
    sha256 : str
        Checksum of the file's bytes.
    report : IngestReport
        Counts per table and the number of triples.
    triples : list of Triple
        Distinct triples, in a deterministic order.
    """

    name: str
    path: Path
    format: str
    sha256: str
    report: IngestReport
    triples: list[Triple] = field(repr=False)


@dataclass
class Batch:
    """Everything one ingest call read: its sources and the warnings that did not stop it."""

    sources: list[PreparedSource]
    warnings: list[Problem]

    @property
    def triple_count(self) -> int:
        """Total triples over all sources."""
        return sum(len(source.triples) for source in self.sources)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _members(path: Path, name: str | None) -> list[tuple[str, Path, str]]:
    """Return (source name, file, format) for each file of an input path."""
    if not path.exists():
        raise InputRejected([Problem(Location(str(path)), "no such file or folder")])
    fmt = detect_format(path)
    if path.is_dir():
        return [(f"{path.resolve().name}/{file.name}", file, fmt) for file in csv_folder.files(path)] or [
            (path.name, path, fmt)
        ]
    return [(name or path.name, path, fmt)]


def _resolver(records: list[Record], known: KnownRecord | None) -> dict[str, str]:
    """Map ids named by multi-table references to the table that holds them."""
    in_batch: dict[str, str] = {}
    for record in records:
        in_batch.setdefault(record.key, record.table)
    resolve: dict[str, str] = {}
    for record in records:
        for column in TABLES_BY_NAME[record.table].columns:
            if column.type != "ref" or len(column.targets) < 2 or column.name not in record.fields:
                continue
            values = record.fields[column.name]
            for key in values if column.many else (values,):
                if in_batch.get(key) in column.targets:
                    resolve[key] = in_batch[key]
                elif known is not None:
                    resolve[key] = next((t for t in column.targets if known(t, key)), column.targets[0])
    return resolve


def prepare(
    paths: Iterable[Path],
    known: KnownRecord | None = None,
    *,
    name: str | None = None,
) -> Batch:
    """Read, validate and map the inputs into per-file triples, or raise with every problem.

    Parameters
    ----------
    paths : iterable of pathlib.Path
        Files or folders; all records of all of them are validated together, so they may refer to
        each other.
    known : callable, optional
        ``known(table, id)`` answers whether the store already holds a record, for references.
    name : str, optional
        Source name for a single input file (default: its file name).

    Returns
    -------
    Batch
        The prepared sources, one per file.

    Raises
    ------
    InputRejected
        With every problem found in the batch.
    """
    paths = list(paths)
    problems: list[Problem] = []
    members: list[tuple[str, Path, str]] = []
    for path in paths:
        try:
            members += _members(path, name if len(paths) == 1 else None)
        except UnknownFormat as error:
            problems.append(Problem(Location(str(path)), str(error).removeprefix(f"{path}: ")))
        except InputRejected as error:
            problems += error.problems
    rows: list[RawRow] = []
    owner: dict[str, str] = {}  # RawRow.file -> source name
    rdf_triples: dict[str, list[Triple]] = {}
    for source_name, file, fmt in members:
        ingester = get_ingester(fmt)
        try:
            items = list(ingester.read(file))
        except InputRejected as error:
            problems += error.problems
            continue
        if fmt in RECORD_FORMATS:
            rows += items
            owner.update({row.file: source_name for row in items})
        else:
            rdf_triples[source_name] = [t for item in items for t in ingester.to_triples(item)]
    if problems:
        raise InputRejected(problems)
    records, warnings = validate_rows(rows, known)
    resolve = _resolver(records, known)
    triples: dict[str, dict[Triple, None]] = {source: {} for source, _, _ in members}
    counts: dict[str, dict[str, int]] = {source: {} for source, _, _ in members}
    locations: dict[object, Location] = {}
    for record in records:
        source = owner[record.location.file]
        counts[source][record.table] = counts[source].get(record.table, 0) + 1
        for triple in record_triples(record, resolve):
            triples[source][triple] = None
            locations.setdefault(triple[0], record.location)
    for source, items in rdf_triples.items():
        triples[source].update(dict.fromkeys(items))
        counts[source]["triples"] = len(triples[source])
    # Every batch, at any size, is also checked against ontology/shapes.ttl (compiled: see ingest/shacl.py).
    shape_problems = check_shapes((t for items in triples.values() for t in items), locations)
    if shape_problems:
        raise InputRejected(shape_problems)
    prepared = []
    for source, file, fmt in members:
        items = list(triples[source])
        report = IngestReport(
            source, counts[source], len(items), [w for w in warnings if owner.get(w.location.file) == source]
        )
        prepared.append(PreparedSource(source, file, fmt, _sha256(file) if file.is_file() else "", report, items))
    return Batch(prepared, warnings)
