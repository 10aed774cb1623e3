"""Re-classifying a record moves every triple naming it, whichever file the triple came from (issue 16, 4)."""

import shutil

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.helpers import DATA

EXCHANGE = "https://w3id.org/peergraph/id/exchange/X1"
OUTCOME = "https://w3id.org/peergraph/id/outcome/O1"


def _set_visibility(path, record_id: str, value: str) -> None:
    """Rewrite the ``visibility`` cell of one row of a CSV file of the test records."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("visibility")
    for number, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        if cells[0] == record_id:
            cells[column] = value
            lines[number] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _anonymous_channels(client: TestClient) -> dict[str, str]:
    return {
        "sparql": client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}).text,
        "export nt": client.get("/api/export", params={"format": "nt"}).text,
        "export csv": client.get("/api/export", params={"format": "csv"}).text,
        "outcome page": client.get("/id/outcome/O1.ttl").text,
    }


@pytest.fixture
def records(tmp_path):
    """A copy of the test records where the outcome O1 (which names the exchange X1) is public."""
    folder = tmp_path / "records"
    shutil.copytree(DATA / "records", folder)
    _set_visibility(folder / "outcomes.csv", "O1", "")
    return folder


def test_restricting_a_record_hides_triples_of_unchanged_sibling_files(cli, settings, records):
    assert cli("ingest", str(records), settings=settings).exit_code == 0
    with TestClient(create_app(settings)) as client:
        before = _anonymous_channels(client)
    assert EXCHANGE in before["sparql"] and EXCHANGE in before["outcome page"]  # the probe can fail

    _set_visibility(records / "exchanges.csv", "X1", "restricted")
    result = cli("ingest", str(records), settings=settings)  # no --force: outcomes.csv is unchanged
    assert result.exit_code == 0, result.output
    assert "outcomes.csv" in result.output  # reported unchanged, yet its triple naming X1 moved
    with TestClient(create_app(settings)) as client:
        after = _anonymous_channels(client)
        entity = client.get("/id/outcome/O1.ttl")
    for channel, text in after.items():
        assert EXCHANGE not in text and "/X1" not in text, channel
    assert entity.status_code == 200 and OUTCOME in entity.text  # the public outcome stays public

    everything = cli("sparql", "-", settings=settings, input=f"ASK {{ <{OUTCOME}> pg:outcomeOf <{EXCHANGE}> }}")
    assert everything.output.strip() == "true"  # the operator still sees it: moved, not lost


def test_making_a_record_public_again_brings_its_triples_back(cli, settings, records):
    _set_visibility(records / "exchanges.csv", "X1", "restricted")
    assert cli("ingest", str(records), settings=settings).exit_code == 0
    _set_visibility(records / "exchanges.csv", "X1", "")
    assert cli("ingest", str(records), settings=settings).exit_code == 0
    with TestClient(create_app(settings)) as client:
        page = client.get("/id/outcome/O1.ttl").text
        query = f"ASK {{ <{OUTCOME}> pg:outcomeOf <{EXCHANGE}> }}"
        answer = client.get("/sparql", params={"query": query}).json()["boolean"]
    assert EXCHANGE in page and answer is True


def test_a_source_address_cited_only_by_restricted_records_is_not_public(cli, settings):
    # The test records' outcome O1 is restricted and alone cites https://example.org/o1.
    assert cli("ingest", str(DATA / "records"), settings=settings).exit_code == 0
    with TestClient(create_app(settings)) as client:
        channels = _anonymous_channels(client)
        cited = client.get("/sparql", params={"query": "ASK { <https://example.org/x1> a pg:Source }"}).json()
    for channel, text in channels.items():
        assert "https://example.org/o1" not in text, channel
    assert cited["boolean"] is True  # an address a public record cites stays public
    operator = cli("sparql", "-", settings=settings, input="ASK { <https://example.org/o1> a pg:Source }")
    assert operator.output.strip() == "true"
