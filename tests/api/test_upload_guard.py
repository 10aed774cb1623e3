"""Uploads: the key and declared size are checked before the body is read, and bodies are capped (issue 16, 3)."""

import asyncio
import socket

import pytest

from api.app import create_app
from graph.services.access import ApiKeyFile

GIB = 1 << 30
PART = b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="measures.csv"\r\n\r\n'
CHUNK = 64 * 1024


def _call(app, headers: dict[str, str], body_bytes: int) -> tuple[int, dict, bytes, int]:
    """Send a POST /api/ingest to the ASGI app whose body has ``body_bytes``, counting the bytes the app reads."""
    read = 0
    sent: list[dict] = []

    async def receive():
        nonlocal read
        if read >= body_bytes:
            return {"type": "http.request", "body": b"", "more_body": False}
        chunk = min(CHUNK, body_bytes - read)
        data = (PART + b"x" * chunk)[:chunk] if read == 0 else b"x" * chunk  # one file part that never ends
        read += chunk
        return {"type": "http.request", "body": data, "more_body": read < body_bytes}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/ingest",
        "raw_path": b"/api/ingest",
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }

    async def run():
        async with app.router.lifespan_context(app):
            await app(scope, receive, send)

    asyncio.run(run())
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body, read


@pytest.fixture
def keys(demo_settings):
    api_keys = ApiKeyFile(demo_settings.api_keys_path)
    return {role: api_keys.create(role, role)[1] for role in ("reader", "editor")}


MULTIPART = "multipart/form-data; boundary=xyz"


def test_anonymous_gib_upload_is_refused_with_401_before_a_megabyte_is_read(demo_settings):
    status, headers, body, read = _call(
        create_app(demo_settings), {"content-type": MULTIPART, "content-length": str(GIB)}, GIB
    )
    assert status == 401 and b"www-authenticate" in headers
    assert read < 1_000_000


def test_anonymous_chunked_upload_is_refused_before_its_body_is_read(demo_settings):
    status, _, _, read = _call(
        create_app(demo_settings), {"content-type": MULTIPART, "transfer-encoding": "chunked"}, GIB
    )
    assert status == 401 and read < 1_000_000


def test_reader_key_is_refused_with_403_before_the_body(demo_settings, keys):
    headers = {"content-type": MULTIPART, "content-length": str(GIB), "authorization": f"Bearer {keys['reader']}"}
    status, _, _, read = _call(create_app(demo_settings), headers, GIB)
    assert status == 403 and read < 1_000_000


def test_editor_upload_declared_too_large_is_refused_with_413_before_the_body(demo_settings, keys):
    headers = {"content-type": MULTIPART, "content-length": str(GIB), "authorization": f"Bearer {keys['editor']}"}
    status, _, body, read = _call(create_app(demo_settings), headers, GIB)
    assert status == 413 and b"PEERGRAPH_MAX_UPLOAD_BYTES" in body and read < 1_000_000


def test_editor_chunked_upload_is_cut_at_the_cap_with_413(demo_settings, keys):
    headers = {"content-type": MULTIPART, "transfer-encoding": "chunked", "authorization": f"Bearer {keys['editor']}"}
    status, _, body, read = _call(create_app(demo_settings), headers, 50 * 1024 * 1024)
    assert status == 413 and b"UploadTooLarge" in body
    assert read <= demo_settings.max_upload_bytes + 64 * 1024 + CHUNK  # stopped at the cap, not at 50 MB


@pytest.mark.slow
def test_real_server_answers_401_to_an_anonymous_gib_upload_without_its_body(served):
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /api/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
            + f"Content-Length: {GIB}\r\n\r\n".encode()
            + b"x" * CHUNK  # a first chunk only: the answer must come without the rest
        )
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 401")
