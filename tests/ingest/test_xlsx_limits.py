"""Workbooks are checked before they are parsed: real sizes, declared dimensions, no DTDs (issue 16, 3 and 9)."""

import csv
import re
import time
import zipfile
from pathlib import Path

import pytest

from graph.services.access import ApiKeyFile
from ingest.schema import TABLES
from ingest.sources.xlsx_check import MAX_ROWS_PER_SHEET
from ingest.templates import write_xlsx_template
from tests.helpers import DATA

MEASURES = "xl/worksheets/sheet6.xml"  # the sixth sheet of the template is measures


def _book(tmp_path: Path) -> Path:
    rows = {t.name: list(csv.DictReader((DATA / "records" / f"{t.name}.csv").open(encoding="utf-8"))) for t in TABLES}
    return write_xlsx_template(tmp_path / "records.xlsx", rows)


def _with_part(book: Path, member: str, edit) -> Path:
    """Rewrite one part of the workbook with ``edit(text) -> text``; return the new file."""
    out = book.with_name("tampered.xlsx")
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, edit(data.decode()) if info.filename == member else data)
    return out


def _many_rows(text: str, count: int) -> str:
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>M{n}</t></is></c></row>' for n in range(3, count + 3)
    )
    return text.replace("</sheetData>", rows + "</sheetData>")


def test_the_untampered_workbook_loads(cli, settings, tmp_path):
    assert cli("ingest", str(_book(tmp_path)), settings=settings).exit_code == 0


def test_data_outside_the_declared_dimension_is_refused_not_dropped(cli, settings, tmp_path):
    book = _with_part(
        _book(tmp_path), MEASURES, lambda text: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:O1"', text)
    )
    result = cli("ingest", str(book), settings=settings)
    assert result.exit_code == 2
    assert "tampered.xlsx[measures]" in result.output and "declares its data ends at row 1" in result.output


def test_a_sheet_with_too_many_rows_is_refused_quickly(cli, settings, tmp_path):
    book = _with_part(_book(tmp_path), MEASURES, lambda text: _many_rows(text, MAX_ROWS_PER_SHEET + 10))
    started = time.monotonic()
    result = cli("ingest", str(book), settings=settings)
    assert time.monotonic() - started < 20
    assert result.exit_code == 2 and f"more than {MAX_ROWS_PER_SHEET:,} data rows" in result.output
    assert "[measures]" in result.output


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ],
)
def test_xxe_and_entity_expansion_are_refused_with_a_message(cli, settings, tmp_path, doctype):
    book = _with_part(_book(tmp_path), MEASURES, lambda text: doctype + text)
    result = cli("ingest", str(book), settings=settings)
    assert result.exit_code == 2 and "DTD" in result.output and "tampered.xlsx" in result.output
    assert "root:" not in result.output


def test_a_damaged_part_is_exit_2_naming_the_file(cli, settings, tmp_path):
    book = _with_part(_book(tmp_path), MEASURES, lambda text: text[: len(text) // 2])
    result = cli("ingest", str(book), settings=settings)
    assert result.exit_code == 2 and "tampered.xlsx" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("damage", ["truncated", "doctype", "dimension"])
def test_bad_workbooks_over_http_are_422_naming_the_file(demo_settings, tmp_path, damage):
    from fastapi.testclient import TestClient

    from api.app import create_app

    edits = {
        "truncated": lambda text: text[: len(text) // 2],
        "doctype": lambda text: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>' + text,
        "dimension": lambda text: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:B1"', text),
    }
    book = _with_part(_book(tmp_path), MEASURES, edits[damage])
    token = ApiKeyFile(demo_settings.api_keys_path).create("editor", "editor")[1]
    with TestClient(create_app(demo_settings)) as client:
        answer = client.post(
            "/api/ingest",
            files=[("files", ("book.xlsx", book.read_bytes()))],
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 422, answer.text
    assert "book.xlsx" in answer.text
