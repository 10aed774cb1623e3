"""Find peers: scores on hand-built graphs (exact values), and answers on the bundled data."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from graph.assessment import build_request, read_assessment, request_from_assessment, resolve_challenge
from graph.errors import InvalidRequest
from graph.matching import MatchIndex, MatchRequest, rank_providers
from ingest.reference import countries
from ingest.types import InputRejected
from tests.helpers import REPO

C = "https://w3id.org/peergraph/id/country/"
CH = "https://w3id.org/peergraph/vocab/challenge/"
R = "https://w3id.org/peergraph/vocab/region/"
SAMPLE = REPO / "ingest" / "sample"


def _world() -> nx.MultiDiGraph:
    """Seeker S (Africa, en); A (same sub-region, en) adopted a measure on `film`; B (Europe, fr) one on
    `film-tax`, a narrower concept; D (Europe) one on `music`, unrelated; E gave S an exchange on film."""
    g = nx.MultiDiGraph()
    for code, region, sub, langs in (
        ("S", "africa", "eastern-africa", ["en"]),
        ("A", "africa", "eastern-africa", ["en"]),
        ("B", "europe", "western-europe", ["fr"]),
        ("D", "europe", "western-europe", ["fr"]),
        ("E", "asia", "eastern-asia", ["ko"]),
    ):
        g.add_node(C + code, type="Country", label=code, officialLanguage=langs)
        g.add_edge(C + code, R + region, key="IN_REGION")
        g.add_edge(C + code, R + sub, key="IN_SUB_REGION")
    for concept in ("film", "film-tax", "music"):
        g.add_node(CH + concept, type="Challenge", label=concept.title(), prefLabel_en=concept.title())
    g.add_edge(CH + "film-tax", CH + "film", key="BROADER")
    for measure, country, concept in (("m1", "A", "film"), ("m2", "B", "film-tax"), ("m3", "D", "music")):
        g.add_node(measure, type="PolicyMeasure", label=measure)
        g.add_edge(measure, C + country, key="ADOPTED_BY")
        g.add_edge(measure, CH + concept, key="ADDRESSES_CHALLENGE")
        g.add_edge(measure, f"https://example.org/source/{measure}", key="SOURCE")
    g.add_node("x1", type="PeerExchange", identifier="x1")
    g.add_edge("x1", C + "S", key="SEEKER")
    g.add_edge("x1", C + "E", key="PROVIDER")
    g.add_edge("x1", CH + "film", key="ADDRESSES_CHALLENGE")
    return g


def test_rank_providers_scores_each_signal_exactly():
    index = MatchIndex(_world())
    result = rank_providers(index, MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0}))
    by_label = {c.provider.label: c for c in result.candidates}
    assert [c.provider.label for c in result.candidates] == ["A", "E", "B"]  # D's music measure is unrelated
    a, b, e = by_label["A"].signals, by_label["B"].signals, by_label["E"].signals
    assert (a["challenge"], b["challenge"], e["challenge"]) == (1.0, 0.6, 1.0)
    assert a["track_record"] == pytest.approx(1 / 3)  # one measure (weight 1): 1 / (1 + 2)
    assert b["track_record"] == pytest.approx(0.6 / 2.6)
    assert e["track_record"] == pytest.approx(1.5 / 3.5)  # an exchange weighs 1.5
    assert (a["context"], b["context"], e["context"]) == (1.0, 0.0, 0.0)
    assert (a["prior_ties"], e["prior_ties"]) == (0.0, 1.0)
    assert by_label["A"].score == pytest.approx(0.55 + 0.25 / 3 + 0.15)
    path = by_label["B"].evidence[0]
    assert path["path"] == [C + "B", "m2", CH + "film-tax"]
    assert path["relation"] == "narrower" and by_label["B"].sources == ["https://example.org/source/m2"]


def test_rank_providers_excludes_prior_ties_and_named_providers():
    index = MatchIndex(_world())
    request = MatchRequest(
        seeker=C + "S", challenges={CH + "film": 1.0}, prior_ties="exclude", exclude=frozenset({C + "B"})
    )
    assert [c.provider.label for c in rank_providers(index, request).candidates] == ["A"]


def test_rarer_challenges_weigh_more():
    g = _world()
    for i in range(5):  # five more providers of `film`, none of `music`
        g.add_node(C + f"F{i}", type="Country", label=f"F{i}")
        g.add_node(f"f{i}", type="PolicyMeasure", label=f"f{i}")
        g.add_edge(f"f{i}", C + f"F{i}", key="ADOPTED_BY")
        g.add_edge(f"f{i}", CH + "film", key="ADDRESSES_CHALLENGE")
    index = MatchIndex(g)
    assert index.rarity(CH + "music", "country") > index.rarity(CH + "film", "country")
    request = MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0, CH + "music": 1.0}, k=20)
    scores = {c.provider.label: c.signals["challenge"] for c in rank_providers(index, request).candidates}
    assert scores["D"] > scores["F0"]  # D tackled the rare challenge, F0 the common one


def test_diverse_keeps_slots_for_other_regions():
    g = _world()
    for i in range(4):  # four strong providers in the seeker's own region
        g.add_node(C + f"N{i}", type="Country", label=f"N{i}", officialLanguage=["en"])
        g.add_edge(C + f"N{i}", R + "africa", key="IN_REGION")
        g.add_node(f"n{i}", type="PolicyMeasure", label=f"n{i}")
        g.add_edge(f"n{i}", C + f"N{i}", key="ADOPTED_BY")
        g.add_edge(f"n{i}", CH + "film", key="ADDRESSES_CHALLENGE")
    index = MatchIndex(g)
    plain = rank_providers(index, MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0}, k=3))
    diverse = rank_providers(index, MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0}, k=3, diverse=True))
    assert all(c.provider.region == R + "africa" for c in plain.candidates)
    picks = [c for c in diverse.candidates if c.diverse_pick]
    assert len(picks) == 1 and picks[0].provider.region != R + "africa"


def test_every_bundled_seeker_gets_explained_and_sourced_providers(demo_view):
    exchanges = list(csv.DictReader((SAMPLE / "exchanges.csv").open(encoding="utf-8")))
    projects = list(csv.DictReader((SAMPLE / "projects.csv").open(encoding="utf-8")))
    known_sources = {
        url.strip()
        for table in SAMPLE.glob("*.csv")
        for row in csv.DictReader(table.open(encoding="utf-8"))
        for url in (row.get("sources") or "").split(";")
        if url.strip()
    }
    # Country providers also cite the library releases their reference facts (region, languages) come from.
    known_sources |= {c.source for c in countries().values()} | {c.languages_source for c in countries().values()}
    # Every knowledge-seeker: the beneficiary of each project, and the seeker of each exchange.
    seekers = {row["country"]: [] for row in projects}
    for row in exchanges:
        seekers.setdefault(row["seeker"], []).extend(c.strip() for c in row["challenges"].split(";") if c.strip())
    assert len(seekers) == 26  # 25 projects in 25 countries, and Ghana, a seeker without a project
    for seeker, own_challenges in sorted(seekers.items()):
        for kind in ("country", "institution", "expert"):
            request = build_request(demo_view.index, seeker=seeker, challenges=own_challenges, kind=kind, k=5)
            result = rank_providers(demo_view.index, request)
            assert result.candidates, (seeker, kind)
            for candidate in result.candidates:
                assert candidate.provider.kind == kind and candidate.provider.iri != C + seeker
                assert candidate.evidence and candidate.sources
                for path in candidate.evidence:
                    assert path["path"][0] == candidate.provider.iri and path["challenge"].startswith(CH)
                assert set(candidate.sources) <= known_sources, (seeker, set(candidate.sources) - known_sources)


def test_bundled_namibia_finds_its_real_providers(demo_view):
    """Namibia's projects name 8 challenges; its real providers (ZWE, EST) must be among the candidates."""
    request = build_request(demo_view.index, seeker="NAM", challenges=[], k=50)
    assert len(request.challenges) == 8
    ranked = [c.provider.iri for c in rank_providers(demo_view.index, request).candidates]
    assert ranked[0] == C + "ZWE"  # Zimbabwe gave Namibia an exchange on broadcasting and local content
    assert C + "EST" in ranked


def test_unknown_terms_list_the_closest(demo_view):
    with pytest.raises(InvalidRequest) as error:
        resolve_challenge(demo_view.index, "pircy")
    assert error.value.parameter == "challenge" and "piracy (Piracy and enforcement)" in error.value.reason
    with pytest.raises(InvalidRequest) as error:
        build_request(demo_view.index, seeker="Namibya", challenges=["piracy"])
    assert error.value.parameter == "seeker" and "NAM (Namibia)" in error.value.reason
    assert resolve_challenge(demo_view.index, "Piratería y observancia") == CH + "piracy"  # Spanish label
    assert resolve_challenge(demo_view.index, "challenge:copyright") == CH + "copyright"


def test_assessment_file_gives_the_same_answer_as_options(demo_view, tmp_path):
    yaml_file = tmp_path / "namibia.yaml"
    yaml_file.write_text("seeker: NAM\nchallenges:\n  - id: piracy\n    weight: 1\n  - copyright\nk: 4\n", "utf-8")
    json_file = tmp_path / "namibia.json"
    json_file.write_text(json.dumps({"seeker": "Namibia", "challenges": ["piracy", {"text": "copyright"}], "k": 4}))
    from_yaml = request_from_assessment(demo_view.index, read_assessment(yaml_file), source=str(yaml_file))
    from_json = request_from_assessment(demo_view.index, read_assessment(json_file), source=str(json_file))
    from_options = build_request(demo_view.index, seeker="NAM", challenges=["piracy", "copyright"], k=4)
    answers = [rank_providers(demo_view.index, r).as_dict()["results"] for r in (from_yaml, from_json, from_options)]
    assert answers[0] == answers[1] == answers[2] and len(answers[0]) == 4


def test_bad_assessment_names_file_and_field(demo_view, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("seeker: NAM\nchallenges: [pircy, {id: copyright, weight: -1}]\nkind: planet\n", "utf-8")
    with pytest.raises(InputRejected) as error:
        read_assessment(bad)
    shown = [str(p) for p in error.value.problems]
    assert any(line.startswith(f"{bad}:challenges.1") and "greater than 0" in line for line in shown)
    assert any(line.startswith(f"{bad}:kind") and "country, institution, expert" in line for line in shown)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("seeker: XXX\nchallenges: [pircy]\n", "utf-8")
    with pytest.raises(InputRejected) as error:
        request_from_assessment(demo_view.index, read_assessment(unknown), source=str(unknown))
    assert [p.location.column for p in error.value.problems] == ["challenges.0", "seeker"]


def test_cli_match_json_has_the_stable_shape(cli, demo_settings):
    result = cli("match", "--seeker", "UGA", "--challenge", "piracy", "-k", "3", "--json", settings=demo_settings)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["seeker"] == C + "UGA" and answer["kind"] == "country" and len(answer["results"]) == 3
    first = answer["results"][0]
    assert {"id", "label", "kind", "score", "signals", "evidence", "sources"} <= set(first)
    assert set(first["signals"]) == {"challenge", "track_record", "context", "prior_ties"}
    scores = [r["score"] for r in answer["results"]]
    assert scores == sorted(scores, reverse=True)


def test_cli_match_rejects_unknown_terms(cli, demo_settings):
    result = cli("match", "--seeker", "NAM", "--challenge", "pircy", settings=demo_settings)
    assert result.exit_code == 2 and "closest: piracy" in result.output
    result = cli("match", settings=demo_settings)
    assert result.exit_code == 2 and "--seeker" in result.output
