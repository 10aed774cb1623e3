"""Types shared by every ingester: triples, raw rows, records, problems and the ingest report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from rdflib.term import Node

#: A triple of rdflib terms, as ingesters produce them.
Triple: TypeAlias = tuple[Node, Node, Node]


@dataclass(frozen=True, order=True)
class Location:
    """Where a value came from: file, row (1 = header row of a table) and column.

    Attributes
    ----------
    file : str
        The file name as the user gave it (for a workbook, ``book.xlsx[sheet]``).
    row : int
        Row or line number, 1-based; 0 when the problem concerns the whole file.
    column : str
        Column (field) name, or ``""`` when the problem concerns the whole row or file.
    """

    file: str
    row: int = 0
    column: str = ""

    def __str__(self) -> str:
        return ":".join(part for part in (self.file, str(self.row) if self.row else "", self.column) if part)


@dataclass(frozen=True, order=True)
class Problem:
    """One reason an input is rejected, printed as ``file:row:column: message``.

    Attributes
    ----------
    location : Location
        Where the problem is.
    message : str
        What is wrong, in plain language, with the expected form where it helps.
    """

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class InputRejected(Exception):
    """Input failed validation; nothing was written. ``problems`` lists every reason found.

    Parameters
    ----------
    problems : list of Problem
        All problems found, in file, row and column order.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        shown = "\n".join(str(problem) for problem in self.problems[:50])
        more = f"\n… and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the input:\n{shown}{more}")


@dataclass(frozen=True)
class RawRow:
    """One row of a table as read from a file, before validation.

    Attributes
    ----------
    table : str
        The table it belongs to (``"measures"``…).
    file : str
        The file (and sheet) it was read from.
    row : int
        Its row or line number in that file.
    values : Mapping[str, Any]
        Column name to raw value: a string, a number, a list (JSON) or None.
    """

    table: str
    file: str
    row: int
    values: Mapping[str, Any]

    def at(self, column: str = "") -> Location:
        """Return the location of a column of this row.

        Parameters
        ----------
        column : str
            The column name, or ``""`` for the whole row.

        Returns
        -------
        Location
            ``file:row:column``.
        """
        return Location(self.file, self.row, column)


@dataclass(frozen=True)
class Record:
    """A validated record: one entity with typed field values.

    Attributes
    ----------
    table : str
        The table (entity type) it came from.
    key : str
        Its identifier, unique within the table.
    fields : Mapping[str, Any]
        Field name to value: ``str``, ``int`` (years), or ``tuple`` for list fields. Optional fields that
        were empty are absent.
    location : Location
        The row it was read from.
    """

    table: str
    key: str
    fields: Mapping[str, Any]
    location: Location


@dataclass
class IngestReport:
    """What one file contributed: counts per table and the triples produced.

    Attributes
    ----------
    source : str
        The source name the file is stored under.
    records : dict of str to int
        Record count per table.
    triples : int
        Number of distinct triples produced.
    warnings : list of Problem
        Problems that did not stop the load (such as identical duplicate rows).
    """

    source: str
    records: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    warnings: list[Problem] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        """Total number of records over all tables."""
        return sum(self.records.values())
