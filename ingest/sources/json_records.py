"""JSON and JSONL records.

* ``.json``: one object whose keys are table names and whose values are lists of row objects.
* ``.jsonl``: one row object per line, with a ``"table"`` key naming its table.

List fields may be JSON arrays or ``;``-separated strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ingest.mapping import record_triples
from ingest.schema import TABLES_BY_NAME
from ingest.sources._text import read_utf8
from ingest.types import InputRejected, Location, Problem, RawRow
from ingest.validate import check_header

SUFFIXES = (".json", ".jsonl")
to_triples = record_triples


def _row(table: str, file: str, number: int, item: object, problems: list[Problem]) -> RawRow | None:
    if not isinstance(item, dict):
        problems.append(Problem(Location(file, number), f"a {table} row must be a JSON object"))
        return None
    spec = TABLES_BY_NAME.get(table)
    if spec is None:
        problems.append(
            Problem(
                Location(file, number),
                f"unknown table {table!r}; expected one of: {', '.join(TABLES_BY_NAME)}",
            )
        )
        return None
    header_problems = [
        Problem(Location(file, number, p.location.column), p.message) for p in check_header(spec, file, item.keys())
    ]
    problems += header_problems
    return None if header_problems else RawRow(table, file, number, item)


def read(path: Path) -> Iterator[RawRow]:
    """Read the rows of a JSON or JSONL file.

    Parameters
    ----------
    path : pathlib.Path
        A ``.json`` or ``.jsonl`` file.

    Yields
    ------
    RawRow
        One per row object; ``row`` is the line (JSONL) or the 1-based position in its table's list (JSON).

    Raises
    ------
    InputRejected
        If the file is not valid JSON, is shaped wrongly, or names unknown tables or fields.
    """
    text, problems = read_utf8(path)
    if text is None:
        raise InputRejected(problems)
    file = str(path)
    rows: list[RawRow] = []
    if path.suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(Problem(Location(file, number), f"invalid JSON at column {error.colno}: {error.msg}"))
                continue
            table = item.pop("table", None) if isinstance(item, dict) else None
            if table is None:
                problems.append(Problem(Location(file, number), 'each line needs a "table" key naming its table'))
                continue
            if (row := _row(str(table), file, number, item, problems)) is not None:
                rows.append(row)
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputRejected(
                [Problem(Location(file, error.lineno), f"invalid JSON at column {error.colno}: {error.msg}")]
            ) from None
        if not isinstance(document, dict):
            raise InputRejected([Problem(Location(file), "expected an object mapping table names to lists of rows")])
        for table, items in document.items():
            if not isinstance(items, list):
                problems.append(Problem(Location(file, 0, table), f"{table!r} must map to a list of rows"))
                continue
            for number, item in enumerate(items, start=1):
                if (row := _row(table, file, number, item, problems)) is not None:
                    rows.append(row)
    if problems:
        raise InputRejected(problems)
    yield from rows
