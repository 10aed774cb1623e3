"""Access: anonymous callers never see restricted records through any channel; API keys (reader, editor) do.

Every channel is probed twice on the same store: anonymously (the restricted exchange must be absent) and
with a reader key (it must be present, so each check can fail).
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.services.access import ApiKeyFile
from tests.conftest import CLOSED_EXCHANGE

IRI = f"https://w3id.org/peergraph/id/exchange/{CLOSED_EXCHANGE}"
TOPIC = "closed round table"
EXCHANGES = "SELECT ?x WHERE { ?x a pg:PeerExchange }"

#: (path, query parameters): responses that must not mention the restricted exchange anonymously.
CHANNELS = [
    ("/sparql", {"query": EXCHANGES}),
    ("/sparql", {"query": f"DESCRIBE <{IRI}>"}),
    ("/sparql", {"query": "SELECT ?t WHERE { ?x pg:topic ?t }", "format": "csv"}),
    ("/api/exchanges", {"size": 200}),
    ("/api/search", {"q": "closed round"}),
    ("/api/countries/KOR", {}),
    ("/api/match/providers", {"seeker": "NAM", "challenge": "piracy", "k": 200}),
    ("/api/questions/exchanges-on-topic-since", {"challenge": "piracy", "since": "2000"}),
    ("/api/analytics/ego", {"focus": "KOR", "radius": 1}),
    ("/search", {"q": "closed"}),
    ("/id/country/KOR", {}),
    ("/console/sparql", {"query": EXCHANGES}),
    ("/viz/ego", {"focus": "KOR"}),
    ("/api/export", {"format": "nq"}),
    ("/api/export", {"format": "graphml"}),
]


@pytest.fixture
def clients(restricted_settings):
    """An app over a store with one restricted exchange, and a reader and an editor key."""
    keys = ApiKeyFile(restricted_settings.api_keys_path)
    _, reader = keys.create("analyst", "reader")
    _, editor = keys.create("programme staff", "editor")
    with TestClient(create_app(restricted_settings)) as client:
        yield client, {"Authorization": f"Bearer {reader}"}, {"Authorization": f"Bearer {editor}"}


@pytest.mark.parametrize(("path", "params"), CHANNELS)
def test_channel_hides_restricted_records_from_anonymous_callers_only(clients, path, params):
    client, reader, _ = clients
    anonymous = client.get(path, params=params)
    assert anonymous.status_code == 200, anonymous.text
    assert IRI not in anonymous.text and TOPIC not in anonymous.text
    with_key = client.get(path, params=params, headers=reader)
    assert with_key.status_code == 200
    assert IRI in with_key.text or TOPIC in with_key.text or CLOSED_EXCHANGE in with_key.text


def test_counts_leave_restricted_records_out(clients):
    client, reader, _ = clients
    assert client.get("/api/stats").json()["classes"]["PeerExchange"] == 17
    assert client.get("/api/stats", headers=reader).json()["classes"]["PeerExchange"] == 18
    assert client.get("/api/exchanges").json()["total"] == 17
    assert client.get("/api/exchanges", headers=reader).json()["total"] == 18
    assert client.get("/api/analytics/exchanges").json()["exchanges"] == 17
    assert client.get("/api/analytics/exchanges", headers=reader).json()["exchanges"] == 18
    count = "SELECT (COUNT(?x) AS ?n) WHERE { ?x a pg:PeerExchange }"
    assert client.get("/sparql", params={"query": count, "format": "csv"}).text.split() == ["n", "17"]
    assert client.get("/sparql", params={"query": count, "format": "csv"}, headers=reader).text.split() == ["n", "18"]


def test_restricted_record_pages_are_not_found_anonymously(clients):
    client, reader, _ = clients
    for path in (
        f"/api/exchanges/{CLOSED_EXCHANGE}",
        f"/id/exchange/{CLOSED_EXCHANGE}",
        f"/id/exchange/{CLOSED_EXCHANGE}.ttl",
    ):
        assert client.get(path).status_code == 404
        assert client.get(path, headers=reader).status_code == 200
    assert client.get("/api/analytics/ego", params={"focus": IRI}).status_code == 400


def test_bad_keys_are_refused_not_downgraded(clients, restricted_settings):
    client, _, _ = clients
    for header in ("Bearer pgk_not-a-key", "Basic dXNlcjpwdw==", "Bearer "):
        answer = client.get("/api/stats", headers={"Authorization": header})
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    keys = ApiKeyFile(restricted_settings.api_keys_path)
    key, token = keys.create("temporary", "reader")
    assert client.get("/api/stats", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    keys.revoke(key.key_id)
    revoked = client.get("/api/stats", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]


def test_keys_cli_stores_only_hashes(cli, restricted_settings):
    created = cli("keys", "create", "Ana (ministry)", "--role", "editor", settings=restricted_settings)
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("pgk_")
    stored = restricted_settings.api_keys_path.read_text()
    assert token not in stored and json.loads(stored)[0]["role"] == "editor"
    assert (restricted_settings.api_keys_path.stat().st_mode & 0o777) == 0o600
    listed = cli("keys", "list", settings=restricted_settings)
    assert "Ana (ministry)" in listed.stdout and token not in listed.stdout
    key_id = json.loads(stored)[0]["key_id"]
    assert cli("keys", "revoke", key_id, settings=restricted_settings).exit_code == 0
    assert json.loads(restricted_settings.api_keys_path.read_text())[0]["revoked"]
    assert cli("keys", "revoke", "nope", settings=restricted_settings).exit_code == 4
    assert cli("keys", "create", "x", "--role", "admin", settings=restricted_settings).exit_code == 2


def test_health_stats_and_home_page_count_no_restricted_records_and_show_no_checksums_or_paths(
    clients, restricted_settings
):
    client, reader, _ = clients
    health = client.get("/health")
    assert str(restricted_settings.store) not in health.text and "triples" not in health.text
    anonymous = client.get("/api/stats").json()
    with_key = client.get("/api/stats", headers=reader).json()
    assert anonymous["triples"] < with_key["triples"]  # the restricted exchange's triples are not counted
    closed = next(s for s in with_key["sources"] if s["name"].endswith("exchanges.csv") and "closed" in s["name"])
    assert closed["sha256"] and closed["records"] == 1
    assert closed["name"] not in {s["name"] for s in anonymous["sources"]}  # it holds restricted records only
    assert all(s["sha256"] is None and s["records"] is None for s in anonymous["sources"])
    assert closed["sha256"] not in client.get("/").text and closed["name"] not in client.get("/").text
    assert closed["name"] in client.get("/", headers=reader).text
    source = "https://example.org/closed"
    assert source not in client.get("/api/export", params={"format": "nt"}).text
    assert source in client.get("/api/export", params={"format": "nt"}, headers=reader).text
