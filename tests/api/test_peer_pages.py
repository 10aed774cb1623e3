"""Find peers on the web: one request carried whole from ``/peers`` (form or upload) to the brief and the
downloads, and no evidence cut without saying so."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlencode

from graph.peers.assessment import parse_assessment, request_from_assessment
from graph.peers.match_query import request_from_params, request_to_params

C = "https://w3id.org/peergraph/id/country/"
ASSESSMENT = b"""seeker: NAM
challenges:
  - id: piracy
    weight: 3
  - copyright
sectors: [film-audiovisual]
statement: "Le piratage des films prive nos createurs de revenus."
exclude: [ZAF]
preferred_languages: [en]
preferred_regions: [southern-africa]
include_prior_ties: false
k: 5
"""


def _upload(client):
    return client.post("/peers", files={"file": ("nam.yaml", ASSESSMENT, "application/yaml")})


def _ranked(html: str) -> list[tuple[str, float]]:
    found = re.findall(r'<li data-id="([^"]+)">\s*<h3><a[^>]*>[^<]+</a> <span class="score">([^<]+)', html)
    return [(iri, float(score)) for iri, score in found]


def test_request_survives_the_round_trip_through_query_parameters(demo_view):
    request = request_from_assessment(demo_view.index, parse_assessment(ASSESSMENT, "nam.yaml"), source="nam.yaml")
    assert request.challenges["https://w3id.org/peergraph/vocab/challenge/piracy"] == 3
    pairs = request_to_params(demo_view.index, request)
    assert ("exclude", "ZAF") in pairs and ("challenge", "piracy@3") in pairs
    grouped = parse_qs(urlencode(pairs))
    assert request_from_params(demo_view.index, grouped) == request


def test_brief_ranks_under_the_uploaded_assessment(client):
    page = _upload(client)
    assert page.status_code == 200
    ranked = _ranked(page.text)
    assert len(ranked) == 5 and C + "ZAF" not in dict(ranked)
    first, score = ranked[0]
    link = re.search(r'class="brief" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert "exclude=ZAF" in link and "challenge=piracy%403" in link and "prior_ties=exclude" in link
    brief = client.get(link)
    assert brief.status_code == 200
    assert re.search(r'id="rank">Rank <strong>1</strong>', brief.text)
    assert float(re.search(r'id="brief-score">([^<]+)', brief.text).group(1)) == round(score, 2)
    assert re.search(r'id="asked-exclude">South Africa<', brief.text)
    assert "Assessment nam.yaml" in brief.text  # the brief names the assessment it answers
    assert 'Piracy and enforcement</a> <span class="weight">×3' in brief.text
    excluded = client.get(link.replace(first.replace(":", "%3A"), C + "ZAF"))
    assert excluded.status_code == 200 and "Not ranked" in excluded.text


def test_brief_lists_every_piece_of_evidence_and_the_page_counts_them(client):
    page = client.get("/peers", params={"seeker": "NAM", "challenge": ["piracy", "copyright"], "k": 3})
    totals = [int(n) for n in re.findall(r'class="muted evidence-count">(\d+) piece', page.text)]
    assert len(totals) == 3 and max(totals) > 25  # more than the page lists: it says so and links the rest
    assert "in the brief</a>" in page.text
    link = re.search(r'class="brief" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    brief = client.get(link)
    rows = len(re.findall(r"<tr><td>", brief.text))
    assert rows == totals[0]
    assert f"Evidence: all {totals[0]}" in brief.text
    data = client.get(link + "&format=json").json()
    assert len(data["candidate"]["evidence"]) == data["candidate"]["evidence_total"] == totals[0]


def test_match_json_gives_every_evidence_path(cli, demo_settings):
    answer = cli(
        "match",
        "--seeker",
        "NAM",
        "--challenge",
        "piracy",
        "--challenge",
        "copyright",
        "--json",
        settings=demo_settings,
    )
    results = json.loads(answer.stdout)["results"]
    assert any(r["evidence_total"] > 25 for r in results)
    assert all(len(r["evidence"]) == r["evidence_total"] for r in results)
    assert all(len(r["text_matches"]) == r["text_total"] for r in results)


def test_ranking_downloads_carry_the_same_request(client):
    page = _upload(client)
    query = re.search(r'id="permalink" href="/peers\?([^"]+)"', page.text).group(1).replace("&amp;", "&")
    again = client.get("/peers?" + query)
    assert _ranked(again.text) == _ranked(page.text)
    table = list(csv.DictReader(io.StringIO(client.get(f"/peers?{query}&format=csv").text)))
    assert [row["id"] for row in table] == [iri for iri, _ in _ranked(page.text)]
    data = client.get(f"/peers?{query}&format=json").json()
    assert data["exclude"] == [C + "ZAF"] and data["prior_ties"] == "exclude"
    assert [r["id"] for r in data["results"]] == [row["id"] for row in table]
