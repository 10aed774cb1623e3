"""Checks on an XLSX workbook before it is parsed: real sizes, row and cell counts, declared dimensions, no DTDs.

openpyxl trusts a sheet's declared ``<dimension>`` in read-only mode (a sheet declaring ``A1:Q1`` while
holding 100,000 rows loaded none of them, silently) and builds every row it reads. So each part of the
archive is streamed through expat first, with limits, and the workbook is refused with a message naming the
file and the sheet when it is too large, when data lies outside the declared dimension, or when a part
declares a DTD or entities (XXE, entity expansion).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from ingest.types import InputRejected, Location, Problem

#: Most data rows a sheet may hold.
MAX_ROWS_PER_SHEET = 50_000
#: Most cells (with a value or not) the whole workbook may hold.
MAX_CELLS = 1_000_000
#: Most bytes the archive's parts may hold once uncompressed (a zip bomb is refused before it is inflated).
MAX_UNCOMPRESSED_BYTES = 100_000_000
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


class _Refused(Exception):
    """A part broke a rule; the message says which."""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _last_cell(reference: str) -> tuple[int, int] | None:
    """Return (row, column) of the bottom-right cell of ``A1:Q20`` (or ``A1``), or None if unreadable."""
    found = _CELL.match(reference.split(":")[-1].replace("$", ""))
    return (int(found.group(2)), _column_number(found.group(1))) if found else None


def _parse(archive: zipfile.ZipFile, member: str, on_start=None) -> None:
    """Stream one XML part through expat, refusing DTDs and entity declarations."""

    def refuse_dtd(*_: object) -> None:
        raise _Refused("declares a DTD or entities, which workbooks never need (refused: XXE)")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    if on_start is not None:
        parser.StartElementHandler = on_start
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map each worksheet part (``xl/worksheets/sheet1.xml``) to its sheet's name."""
    names: dict[str, str] = {}
    targets: dict[str, str] = {}

    def on_relationship(tag: str, attributes: dict[str, str]) -> None:
        if tag.endswith(" Relationship") and "Id" in attributes:
            target = attributes.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            targets[attributes["Id"]] = path

    def on_sheet(tag: str, attributes: dict[str, str]) -> None:
        if tag.endswith(" sheet"):
            rel = next((value for key, value in attributes.items() if key.endswith(" id")), "")
            names[rel] = attributes.get("name", "")

    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        _parse(archive, "xl/_rels/workbook.xml.rels", on_relationship)
    if "xl/workbook.xml" in archive.namelist():
        _parse(archive, "xl/workbook.xml", on_sheet)
    return {targets[rel]: name for rel, name in names.items() if rel in targets}


def check_workbook(path: Path) -> None:
    """Refuse a workbook that is not a readable XLSX archive, is too large, or would be read wrongly.

    Parameters
    ----------
    path : pathlib.Path
        The workbook.

    Raises
    ------
    InputRejected
        Naming the file (and sheet): not a zip archive, more than :data:`MAX_UNCOMPRESSED_BYTES` uncompressed,
        a sheet with more than :data:`MAX_ROWS_PER_SHEET` rows, more than :data:`MAX_CELLS` cells, data outside
        a sheet's declared dimension, an XML part that does not parse or declares a DTD.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InputRejected([Problem(Location(str(path)), f"not a readable XLSX workbook ({error})")]) from None
    with archive:
        size = sum(info.file_size for info in archive.infolist())
        if size > MAX_UNCOMPRESSED_BYTES:
            message = f"the workbook holds {size:,} bytes uncompressed; the limit is {MAX_UNCOMPRESSED_BYTES:,}"
            raise InputRejected([Problem(Location(str(path)), message)])
        member = ""
        cells = 0
        try:
            sheets = _sheet_names(archive)
            for member in (m for m in archive.namelist() if m.endswith((".xml", ".rels"))):
                label = f"{path}[{sheets[member]}]" if member in sheets else f"{path} ({member})"
                if member not in sheets:
                    _parse(archive, member)
                    continue
                seen = {"rows": 0, "declared": None, "last": (0, 0)}

                def on_element(tag: str, attributes: dict[str, str], seen=seen) -> None:
                    nonlocal cells
                    name = tag.rsplit(" ", 1)[-1]
                    if name == "dimension":
                        seen["declared"] = _last_cell(attributes.get("ref", ""))
                    elif name == "row":
                        seen["rows"] += 1
                        if seen["rows"] > MAX_ROWS_PER_SHEET + 1:  # + the header row
                            raise _Refused(f"has more than {MAX_ROWS_PER_SHEET:,} data rows (the limit)")
                    elif name == "c":
                        cells += 1
                        if cells > MAX_CELLS:
                            raise _Refused(f"brings the workbook over {MAX_CELLS:,} cells (the limit)")
                        last = _last_cell(attributes.get("r", ""))
                        if last is not None:
                            seen["last"] = (max(seen["last"][0], last[0]), max(seen["last"][1], last[1]))

                _parse(archive, member, on_element)
                declared, last = seen["declared"], seen["last"]
                if declared is not None and (last[0] > declared[0] or last[1] > declared[1]):
                    raise _Refused(
                        f"declares its data ends at row {declared[0]}, column {declared[1]}, but holds cells up to "
                        f"row {last[0]}, column {last[1]}; save it again from a spreadsheet program"
                    )
        except _Refused as error:
            raise InputRejected([Problem(Location(label), f"the sheet {error}")]) from None
        except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
            where = f"{path} ({member})" if member else str(path)
            raise InputRejected([Problem(Location(where), f"not a readable XLSX workbook ({error})")]) from None
