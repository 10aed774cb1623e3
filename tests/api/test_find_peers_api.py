"""``/api/match``, ``/api/questions`` and ``/api/analytics``: same answers as the CLI, precise 4xx, and no
restricted record for anonymous callers."""

from __future__ import annotations

import json

C = "https://w3id.org/peergraph/id/country/"
RESTRICTED = "https://w3id.org/peergraph/id/exchange/X-TEST-CLOSED"


def test_match_endpoint_returns_the_cli_json(client, cli, demo_settings):
    answer = client.get("/api/match/providers", params={"seeker": "UGA", "challenge": ["piracy"], "k": 3})
    assert answer.status_code == 200
    on_cli = cli("match", "--seeker", "UGA", "--challenge", "piracy", "-k", "3", "--json", settings=demo_settings)
    assert answer.json() == json.loads(on_cli.stdout)
    assert len(answer.json()["results"]) == 3


def test_match_endpoint_names_the_bad_parameter(client):
    bad = client.get("/api/match/providers", params={"seeker": "NAM", "challenge": "pircy"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "challenge"
    assert "piracy (Piracy and enforcement)" in bad.json()["detail"]
    bad = client.get("/api/match/providers", params={"seeker": "Atlantis"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "seeker"
    bad = client.get("/api/match/providers", params={"seeker": "NAM", "kind": "planet"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "kind"
    assert client.get("/api/match/providers", params={"seeker": "NAM", "k": 0}).status_code == 422


def test_assessment_upload_ranks_and_rejects_bad_files(client):
    good = client.post(
        "/api/match/assessment",
        files={"file": ("nam.yaml", b"seeker: NAM\nchallenges: [piracy, copyright]\nk: 2\n", "application/yaml")},
    )
    assert good.status_code == 200 and len(good.json()["results"]) == 2
    bad = client.post("/api/match/assessment", files={"file": ("nam.json", b'{"seeker": "NAM"}', "application/json")})
    assert bad.status_code == 422
    assert bad.json()["problems"] == ["nam.json:challenges: give challenges, or a statement that names some"]
    big = client.post("/api/match/assessment", files={"file": ("big.yaml", b"#" * 300_000, "application/yaml")})
    assert big.status_code == 422 and "larger than" in big.json()["detail"]


def test_questions_catalogue_and_answers(client):
    catalogue = client.get("/api/questions").json()
    assert len(catalogue) >= 10
    answer = client.get("/api/questions/seekers-of-provider", params={"country": "GBR"})
    assert answer.status_code == 200
    assert sorted(row["exchange"].rsplit("/", 1)[-1] for row in answer.json()["rows"]) == [
        "X-GEO-GBR",
        "X-GEO-GBR-2021",
    ]
    assert client.get("/api/questions/nope").status_code == 404
    bad = client.get("/api/questions/seekers-of-provider", params={"country": "GBR", "backend": "gremlin"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "backend"
    no_neo4j = client.get("/api/questions/seekers-of-provider", params={"country": "GBR", "backend": "cypher"})
    assert no_neo4j.status_code == 503 and "make neo4j-start" in no_neo4j.json()["detail"]


def test_analytics_endpoints(client):
    summary = client.get("/api/analytics/exchanges").json()
    assert summary["exchanges"] == 17 and summary["flows"]["counts"]["north-south"] == 5
    path = client.get("/api/analytics/path", params={"from": "UGA", "to": "ZAF"}).json()
    assert path["length"] == 2
    ego = client.get("/api/analytics/ego", params={"focus": "UGA", "max_nodes": 10}).json()
    assert len(ego["nodes"]) == 10 and ego["cut"] is True
    bad = client.get("/api/analytics/ego", params={"focus": "EF2-UGX"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "focus"
