"""``POST /api/ingest``: editor keys only, the same validation as the CLI, all or nothing, size-limited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.rdf.store import RdfStore
from graph.services.access import ApiKeyFile
from tests.helpers import DATA

HEADER = "id,country,title,kind,start_year,end_year,policy_areas,sectors,description,challenges,challenges_note,"
HEADER += "implemented_by,implementer_note,visibility,sources\n"
GOOD = HEADER + "M-UP-1,NAM,Uploaded levy,fund,2024,,G1.A1,music,A test levy.,piracy,,,,,https://example.org/up1\n"
BAD = HEADER + "M-UP-2,NAM,Bad year,fund,20x4,,G1.A1,music,Broken.,piracy,,,,,https://example.org/up2\n"


@pytest.fixture
def upload(demo_settings):
    """POST files to /api/ingest with a role's key (or none); also returns the settings."""
    keys = ApiKeyFile(demo_settings.api_keys_path)
    tokens = {role: keys.create(role, role)[1] for role in ("reader", "editor")}
    with TestClient(create_app(demo_settings)) as client:

        def post(files: dict[str, str | bytes], role: str | None = "editor", **data: str):
            headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
            parts = [("files", (name, body)) for name, body in files.items()]
            return client.post("/api/ingest", files=parts, data=data, headers=headers)

        yield post, client, demo_settings


def _content(settings) -> str:
    with RdfStore(settings.store, read_only=True) as store:
        return store.content_hash()


def test_editor_upload_loads_and_the_server_sees_it(upload):
    post, client, _ = upload
    assert client.get("/api/measures/M-UP-1").status_code == 404
    answer = post({"measures.csv": GOOD}, dataset="ministry-2024")
    assert answer.status_code == 200, answer.text
    assert answer.json()["loaded"] == ["ministry-2024/measures.csv"]
    assert answer.json()["records"] == {"ministry-2024/measures.csv": {"measures": 1}}
    measure = client.get("/api/measures/M-UP-1").json()
    assert measure["label"] == "Uploaded levy" and measure["sources"] == ["https://example.org/up1"]
    again = post({"measures.csv": GOOD}, dataset="ministry-2024")
    assert again.json()["loaded"] == [] and again.json()["unchanged"] == ["ministry-2024/measures.csv"]


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("reader", 403)])
def test_upload_needs_an_editor_key(upload, role, status):
    post, _, settings = upload
    before = _content(settings)
    assert post({"measures.csv": GOOD}, role=role).status_code == status
    assert _content(settings) == before


def test_invalid_upload_names_file_row_and_field_and_writes_nothing(upload):
    post, client, settings = upload
    before = _content(settings)
    answer = post({"measures.csv": GOOD.replace("M-UP-1", "M-UP-0") + BAD.split("\n", 1)[1]}, dataset="batch")
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        "batch/measures.csv:3:start_year: '20x4' is not a year (expected four digits, e.g. 2021)"
    ]
    assert _content(settings) == before
    assert client.get("/api/measures/M-UP-0").status_code == 404


def test_rejected_uploads_write_nothing(upload, tmp_path):
    post, _, settings = upload
    before = _content(settings)
    too_large = post({"measures.csv": GOOD + "x" * settings.max_upload_bytes})
    assert too_large.status_code == 413 and "limit" in too_large.json()["detail"]
    unsafe = post({"../measures.csv": GOOD})
    assert unsafe.status_code == 400 and unsafe.json()["parameter"] == "files"
    bad_name = post({"measures.csv": GOOD}, dataset="../etc")
    assert bad_name.status_code == 400 and bad_name.json()["parameter"] == "dataset"
    turtle = (DATA / "bad" / "invalid_turtle.ttl").read_bytes()
    broken = post({"notes.ttl": turtle}, dataset="rdf")
    assert broken.status_code == 422 and broken.json()["problems"][0].startswith("rdf/notes.ttl:4")
    assert _content(settings) == before


def test_upload_while_another_writer_holds_the_store_is_409(upload):
    post, _, settings = upload
    before = _content(settings)
    with RdfStore(settings.store):  # the CLI's `peergraph ingest` would hold this lock
        busy = post({"measures.csv": GOOD})
    assert busy.status_code == 409 and "in use by process" in busy.json()["detail"]
    assert _content(settings) == before
