"""Validation of raw rows into records: every problem is collected, then reported at once.

Checks: unknown tables and columns, missing required columns and values, years, ISO 3166-1 codes,
web addresses, concept ids of the ontology's schemes, duplicate ids (identical rows are merged with a
warning, conflicting ones rejected) and references that must resolve within the batch or the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from difflib import get_close_matches
from typing import Any

from ingest.reference import countries
from ingest.schema import LIST_SEPARATOR, TABLES_BY_NAME, Column, Table
from ingest.types import InputRejected, Location, Problem, RawRow, Record
from ontology.ids import is_web_address
from ontology.vocabulary import concept_ids

#: Answers whether a record of a table with an id already exists in the store.
KnownRecord = Callable[[str, str], bool]

YEAR_RANGE = (1800, 2100)


def _cells(value: Any, many: bool) -> list[str]:
    """Split a raw cell into its non-empty string values."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [str(item).strip() for item in value if item is not None]
    elif isinstance(value, float) and value.is_integer():
        items = [str(int(value))]
    else:
        text = str(value).strip()
        items = [part.strip() for part in text.split(LIST_SEPARATOR)] if many else [text]
    return [item for item in items if item]


def check_header(table: Table, file: str, header: Iterable[str]) -> list[Problem]:
    """Return problems with a table's header: unknown and missing required columns.

    Parameters
    ----------
    table : Table
        The table the header belongs to.
    file : str
        The file name, for the messages.
    header : iterable of str
        The column names found.

    Returns
    -------
    list of Problem
        One problem per unknown or missing column, located at row 1.
    """
    found = [name.strip() for name in header]
    known = {column.name for column in table.columns}
    problems = [
        Problem(
            Location(file, 1, name or "(blank)"),
            f"unknown column {name!r} in table {table.name!r}; expected some of: {', '.join(sorted(known))}",
        )
        for name in found
        if name not in known
    ]
    problems += [
        Problem(Location(file, 1, name), f"required column {name!r} is missing")
        for name in table.required_columns
        if name not in found
    ]
    return problems


class _Validator:
    def __init__(self, known: KnownRecord | None):
        self.known = known or (lambda table, key: False)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.countries = countries()
        self.concepts = concept_ids()

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, message))

    def value(self, row: RawRow, column: Column) -> Any:
        cells = _cells(row.values.get(column.name), column.many)
        if not cells:
            if column.required:
                self.problem(row.at(column.name), f"{column.name!r} is required")
            return None
        if len(cells) > 1 and not column.many:
            self.problem(row.at(column.name), f"{column.name!r} takes one value, found {len(cells)}")
            return None
        checked = [self.check(row, column, cell) for cell in cells]
        if any(item is None for item in checked):
            return None
        return tuple(dict.fromkeys(checked)) if column.many else checked[0]

    def check(self, row: RawRow, column: Column, cell: str) -> Any:
        where = row.at(column.name)
        if column.type == "year":
            try:
                year = int(cell)
            except ValueError:
                self.problem(where, f"{cell!r} is not a year (expected four digits, e.g. 2021)")
                return None
            if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                self.problem(where, f"year {year} is outside {YEAR_RANGE[0]}–{YEAR_RANGE[1]}")
                return None
            return year
        if column.type == "amount":
            if not cell.isdigit():
                self.problem(where, f"{cell!r} is not an amount (expected a whole number, digits only, e.g. 95000)")
                return None
            return int(cell)
        if column.type == "country":
            code = cell.upper()
            if code not in self.countries:
                self.problem(
                    where,
                    f"{cell!r} is not an ISO 3166-1 alpha-3 country code{_suggest(code, self.countries)}",
                )
                return None
            return code
        if column.type == "concept":
            ids = self.concepts[column.scheme]
            if cell not in ids:
                self.problem(where, f"{cell!r} is not a concept of the {column.scheme!r} scheme{_suggest(cell, ids)}")
                return None
            return cell
        if column.type == "url":
            if not is_web_address(cell):
                self.problem(where, f"{cell!r} is not an absolute http(s) address")
                return None
            return cell
        if column.type == "id" and (any(char in cell for char in '<>"{}|\\^`') or "\n" in cell):
            self.problem(where, f"{cell!r} holds characters an id cannot have")
            return None
        return cell

    def record(self, row: RawRow) -> Record | None:
        table = TABLES_BY_NAME[row.table]
        before = len(self.problems)
        fields = {}
        for column in table.columns:
            value = self.value(row, column)
            if value is not None:
                fields[column.name] = value
        for start, end in (("start_year", "end_year"),):
            if start in fields and end in fields and fields[start] > fields[end]:
                self.problem(row.at(end), f"end year {fields[end]} is before start year {fields[start]}")
        if len(self.problems) > before or "id" not in fields:
            return None
        key = fields.pop("id")
        return Record(row.table, key, fields, row.at())


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = get_close_matches(value, list(choices), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(repr(choice) for choice in close)}?" if close else ""


def validate_rows(rows: Iterable[RawRow], known: KnownRecord | None = None) -> tuple[list[Record], list[Problem]]:
    """Validate raw rows into records, or raise with every problem found.

    Parameters
    ----------
    rows : iterable of RawRow
        The rows of one batch (all tables of one input).
    known : callable, optional
        ``known(table, id)`` answers whether the store already holds that record, so references to
        records loaded earlier resolve. Without it only the batch counts.

    Returns
    -------
    records : list of Record
        One record per distinct id per table, in input order.
    warnings : list of Problem
        Problems that did not stop the load (identical duplicate rows).

    Raises
    ------
    InputRejected
        With every problem found, if there is any.
    """
    validator = _Validator(known)
    by_id: dict[tuple[str, str], Record] = {}
    for row in rows:
        if row.table not in TABLES_BY_NAME:
            validator.problem(row.at(), f"unknown table {row.table!r}; expected one of: {', '.join(TABLES_BY_NAME)}")
            continue
        record = validator.record(row)
        if record is None:
            continue
        seen = by_id.get((record.table, record.key))
        if seen is None:
            by_id[(record.table, record.key)] = record
        elif seen.fields == record.fields:
            validator.warnings.append(Problem(record.location, f"duplicate of {seen.location} (identical; merged)"))
        else:
            differing = sorted(
                k for k in set(seen.fields) | set(record.fields) if seen.fields.get(k) != record.fields.get(k)
            )
            validator.problem(
                Location(record.location.file, record.location.row, "id"),
                f"id {record.key!r} is also at {seen.location} with different values ({', '.join(differing)})",
            )
    records = list(by_id.values())
    ids = {(record.table, record.key) for record in records}
    for record in records:
        table = TABLES_BY_NAME[record.table]
        for column in table.columns:
            if column.type != "ref" or column.name not in record.fields:
                continue
            values = record.fields[column.name]
            for target in values if column.many else (values,):
                if not any((t, target) in ids or validator.known(t, target) for t in column.targets):
                    validator.problem(
                        Location(record.location.file, record.location.row, column.name),
                        f"{target!r} does not name a record of {' or '.join(column.targets)} "
                        "in this input or in the store",
                    )
    if validator.problems:
        raise InputRejected(validator.problems)
    return records, validator.warnings
