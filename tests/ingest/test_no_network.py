"""Ingest never reaches the network: JSON-LD with a remote @context is refused, naming the file (issue 16, 5)."""

import json

import pytest

from graph.services.access import ApiKeyFile


def _document(url: str, where: str) -> dict:
    record = {"@id": "https://w3id.org/peergraph/id/country/NAM", "name": "Namibia"}
    if where == "top":
        return {"@context": url, **record}
    if where == "list":
        return {"@context": [url, {"pg": "https://w3id.org/peergraph/ontology#"}], **record}
    if where == "import":
        return {"@context": {"@import": url}, **record}
    return {"@graph": [{"@context": url, **record}]}  # nested node


@pytest.mark.parametrize("where", ["top", "list", "import", "nested"])
def test_remote_context_is_refused_and_nothing_connects(cli, settings, tmp_path, listener, where):
    port, connections = listener
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(_document(f"http://127.0.0.1:{port}/context.jsonld", where)))
    result = cli("ingest", str(path), settings=settings)
    assert result.exit_code == 2
    assert "remote.jsonld" in result.output and "@context" in result.output
    assert connections == []


def test_upload_with_remote_context_is_422_naming_the_file(demo_settings, listener):
    from fastapi.testclient import TestClient

    from api.app import create_app

    port, connections = listener
    token = ApiKeyFile(demo_settings.api_keys_path).create("editor", "editor")[1]
    body = json.dumps(_document(f"http://127.0.0.1:{port}/context.jsonld", "top"))
    with TestClient(create_app(demo_settings)) as client:
        answer = client.post(
            "/api/ingest", files=[("files", ("remote.jsonld", body))], headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 422 and "remote.jsonld" in answer.text and "@context" in answer.text
    assert connections == []


def test_inline_context_still_loads(cli, settings, tmp_path):
    path = tmp_path / "inline.jsonld"
    path.write_text(
        json.dumps(
            {
                "@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
                "@id": "https://example.org/a",
                "rdfs:label": "A",
            }
        )
    )
    result = cli("ingest", str(path), settings=settings)
    assert result.exit_code == 0, result.output
