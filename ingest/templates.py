"""Blank input templates for programme staff: one CSV per table, or one workbook with a sheet per table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from ingest.export import write_csv_tables
from ingest.schema import TABLES


def write_csv_templates(folder: Path) -> list[Path]:
    """Write ``<table>.csv`` files holding only their header rows.

    Parameters
    ----------
    folder : pathlib.Path
        Where to write them (created if missing).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    return write_csv_tables({table.name: [] for table in TABLES}, folder)


def write_xlsx_template(path: Path, rows: dict[str, list[dict[str, object]]] | None = None) -> Path:
    """Write a workbook with one sheet per table: bold headers with each column's meaning as a comment.

    Parameters
    ----------
    path : pathlib.Path
        The workbook to write.
    rows : dict, optional
        Table name to rows (column name to value) to fill in, for examples and tests.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        sheet = book.create_sheet(table.name)
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.name)
            cell.font = Font(bold=True)
            required = "Required. " if column.required else ""
            listing = "A list: separate values with ';'. " if column.many else ""
            cell.comment = Comment(f"{required}{listing}{column.doc}", "peergraph")
        for row in (rows or {}).get(table.name, []):
            sheet.append([row.get(column.name) for column in table.columns])
    book.save(path)
    return path
