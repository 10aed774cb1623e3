"""CSV records: a folder of ``<table>.csv`` files, or one such file.

Each file has a header row with the table's column names (see ``ingest/templates/``). List cells
separate values with ``;``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ingest.formulas import restore
from ingest.mapping import record_triples
from ingest.schema import TABLES_BY_NAME
from ingest.sources._text import read_utf8
from ingest.types import InputRejected, Location, Problem, RawRow
from ingest.validate import check_header

#: Names of the files this ingester reads.
SUFFIXES = (".csv",)
to_triples = record_triples


def files(path: Path) -> list[Path]:
    """Return the CSV files of an input: the file itself, or a folder's ``*.csv`` files sorted by name.

    Parameters
    ----------
    path : pathlib.Path
        A CSV file or a folder.

    Returns
    -------
    list of pathlib.Path
        The files to read.
    """
    return sorted(path.glob("*.csv")) if path.is_dir() else [path]


def _rows(path: Path, problems: list[Problem]) -> Iterator[RawRow]:
    table_name = path.stem
    table = TABLES_BY_NAME.get(table_name)
    if table is None:
        problems.append(
            Problem(
                Location(str(path)),
                f"{path.name!r} is not a peergraph table; name CSV files "
                f"after their table: {', '.join(name + '.csv' for name in TABLES_BY_NAME)}",
            )
        )
        return
    text, read_problems = read_utf8(path)
    problems += read_problems
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        header_problems = check_header(table, str(path), header)
        problems += header_problems
        if header_problems:
            return
        names = [name.strip() for name in header]
        for cells in reader:
            row_number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                problems.append(
                    Problem(
                        Location(str(path), row_number),
                        f"the row has {len(cells)} cells but the header has {len(names)}",
                    )
                )
                continue
            yield RawRow(table_name, str(path), row_number, dict(zip(names, map(restore, cells), strict=True)))
    except csv.Error as error:
        problems.append(Problem(Location(str(path), reader.line_num), f"malformed CSV: {error}"))


def read(path: Path) -> Iterator[RawRow]:
    """Read every row of a CSV file or folder.

    Parameters
    ----------
    path : pathlib.Path
        A ``<table>.csv`` file or a folder of them.

    Yields
    ------
    RawRow
        One per non-blank data row.

    Raises
    ------
    InputRejected
        If a file is not a table, not UTF-8, empty, malformed, or has a wrong header.
    """
    problems: list[Problem] = []
    paths = files(path)
    if not paths:
        raise InputRejected([Problem(Location(str(path)), "the folder holds no .csv file")])
    rows = [row for file in paths for row in _rows(file, problems)]
    if problems:
        raise InputRejected(problems)
    yield from rows
