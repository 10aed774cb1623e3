"""XLSX records: one workbook with one sheet per table, as in ``ingest/templates/peergraph.xlsx``.

Every table's sheet must be present (it may hold only its header row); sheet names are table names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook

from ingest.mapping import record_triples
from ingest.schema import TABLES, TABLES_BY_NAME
from ingest.sources.xlsx_check import check_workbook
from ingest.types import InputRejected, Location, Problem, RawRow
from ingest.validate import check_header

SUFFIXES = (".xlsx",)
to_triples = record_triples


def read(path: Path) -> Iterator[RawRow]:
    """Read every row of every table sheet of a workbook.

    Parameters
    ----------
    path : pathlib.Path
        The workbook.

    Yields
    ------
    RawRow
        One per non-blank data row; ``file`` is ``book.xlsx[sheet]``.

    Raises
    ------
    InputRejected
        If the file is not a workbook, a sheet is missing or unknown, or a header is wrong.
    """
    check_workbook(path)  # sizes, dimensions and DTDs, streamed, before openpyxl builds anything
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many unrelated types for damaged parts
        raise InputRejected([Problem(Location(str(path)), f"not a readable XLSX workbook ({error})")]) from None
    problems: list[Problem] = []
    rows: list[RawRow] = []
    try:
        names = list(book.sheetnames)
        problems += [
            Problem(
                Location(f"{path}[{name}]"),
                f"sheet {name!r} is not a peergraph table; sheets are named after tables: {', '.join(TABLES_BY_NAME)}",
            )
            for name in names
            if name not in TABLES_BY_NAME
        ]
        problems += [
            Problem(
                Location(str(path)),
                f"sheet {table.name!r} is missing; keep every sheet of the "
                "template, with only its header row if it has no data",
            )
            for table in TABLES
            if table.name not in names
        ]
        for name in names:
            if name not in TABLES_BY_NAME:
                continue
            file = f"{path}[{name}]"
            sheet_rows = book[name].iter_rows(values_only=True)
            header = [str(cell).strip() if cell is not None else "" for cell in next(sheet_rows, ())]
            while header and not header[-1]:
                header.pop()
            header_problems = check_header(TABLES_BY_NAME[name], file, header)
            problems += header_problems
            if header_problems:
                continue
            for number, cells in enumerate(sheet_rows, start=2):
                values = dict(zip(header, cells, strict=False))
                if any(value not in (None, "") for value in values.values()):
                    rows.append(RawRow(name, file, number, values))
    except InputRejected:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged part shows only when its rows are read
        problems.append(Problem(Location(str(path)), f"not a readable XLSX workbook ({error})"))
    finally:
        book.close()
    if problems:
        raise InputRejected(problems)
    yield from rows
