"""Find peers: scores on hand-built graphs (exact values), and answers on the bundled data."""

from __future__ import annotations

import csv
import json
import math

import networkx as nx
import pytest

from graph.errors import InvalidRequest
from graph.peers.assessment import build_request, read_assessment, request_from_assessment, resolve_challenge
from graph.peers.matching import DEFAULT_PARAMETERS, MatchIndex, MatchRequest, rank_providers
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

    # BM25 with k1 = 1.2, every provider one item (average length 1): tf (k1 + 1) / (tf + k1), over the
    # most a term can give (k1 + 1), times the relation's score. A: one measure (1); B: one measure on a
    # narrower concept (0.6 × one measure); E: one exchange given (weight 1.5).
    def bm25(tf):
        return tf / (tf + 1.2)

    assert a["evidence"] == pytest.approx(bm25(1.0))
    assert b["evidence"] == pytest.approx(0.6 * bm25(1.0))
    assert e["evidence"] == pytest.approx(bm25(1.5))
    assert (a["text"], b["text"], e["text"]) == (0.0, 0.0, 0.0)  # the items have no words
    assert (a["region"], b["region"], e["region"]) == (1.0, 0.0, 0.0)  # A: same sub-region
    assert (a["language"], b["language"], e["language"]) == (1.0, 0.0, 0.0)
    assert (a["income"], a["treaties"]) == (0.0, 0.0)  # not stated in this graph
    assert (a["prior_ties"], e["prior_ties"]) == (0.0, 1.0)
    # Depth: A and E have one item on `film` itself, log(1 + 1) over the largest, log(1 + 1); B's is on a
    # narrower concept, which depth does not count.
    assert (a["depth"], b["depth"], e["depth"]) == (1.0, 0.0, 1.0)
    # The score is the weighted mean of the signals (context parts times depth, which is 1 for A).
    w = DEFAULT_PARAMETERS.weights
    total = sum(w.values())
    assert by_label["A"].score == pytest.approx(
        (w["evidence"] * bm25(1.0) + w["depth"] + w["region"] + w["language"]) / total
    )
    assert by_label["E"].score == pytest.approx((w["evidence"] * bm25(1.5) + w["depth"]) / total)
    assert by_label["B"].score == pytest.approx(w["evidence"] * 0.6 * bm25(1.0) / total)
    path = by_label["B"].evidence[0]
    assert path["path"] == [C + "B", "m2", CH + "film-tax"]
    assert path["relation"] == "narrower" and by_label["B"].sources == ["https://example.org/source/m2"]


def test_context_counts_in_proportion_to_depth():
    """N resembles the seeker (its sub-region, its language) but has work only on a narrower concept: depth 0,
    so its context adds nothing. T, far away, has two measures on `film`, the deepest record; A's one gives
    depth log 2 / log 3, and its context counts that far."""
    g = _world()
    for code, region, sub, langs in (("N", "africa", "eastern-africa", ["en"]), ("T", "europe", "western-europe", [])):
        g.add_node(C + code, type="Country", label=code, officialLanguage=langs)
        g.add_edge(C + code, R + region, key="IN_REGION")
        g.add_edge(C + code, R + sub, key="IN_SUB_REGION")
    for measure, country, concept in (("n1", "N", "film-tax"), ("t1", "T", "film"), ("t2", "T", "film")):
        g.add_node(measure, type="PolicyMeasure", label=measure)
        g.add_edge(measure, C + country, key="ADOPTED_BY")
        g.add_edge(measure, CH + concept, key="ADDRESSES_CHALLENGE")
    result = rank_providers(MatchIndex(g), MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0}))
    by_label = {c.provider.label: c for c in result.candidates}
    n, a = by_label["N"], by_label["A"]
    w = DEFAULT_PARAMETERS.weights
    total = sum(w.values())
    assert (n.signals["region"], n.signals["language"], n.signals["depth"]) == (1.0, 1.0, 0.0)
    assert (n.contributions["region"], n.contributions["language"]) == (0.0, 0.0)
    depth = math.log(2) / math.log(3)
    assert a.signals["depth"] == pytest.approx(depth) and by_label["T"].signals["depth"] == 1.0
    assert a.contributions["region"] == pytest.approx(w["region"] * depth / total)
    assert a.contributions["language"] == pytest.approx(w["language"] * depth / total)
    for candidate in result.candidates:  # the parts add up to the score
        assert sum(candidate.contributions.values()) == pytest.approx(candidate.score)


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
    table = index.table_of_kind("country")
    assert table.rarity(CH + "music") > table.rarity(CH + "film")
    request = MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0, CH + "music": 1.0}, k=20)
    scores = {c.provider.label: c.signals["evidence"] for c in rank_providers(index, request).candidates}
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
    seekers = {row["country"]: [] for row in projects if row["challenges"]}
    for row in exchanges:
        seekers.setdefault(row["seeker"], []).extend(c.strip() for c in row["challenges"].split(";") if c.strip())
    # 25 programme projects in 25 countries, the IFCD projects' countries, and Ghana (no project).
    assert "GHA" in seekers and len(seekers) >= 26
    for seeker, own_challenges in sorted(seekers.items()):
        for kind in ("country", "institution", "expert"):
            request = build_request(demo_view.index, seeker=seeker, challenges=own_challenges, kind=kind, k=5)
            result = rank_providers(demo_view.index, request)
            assert result.candidates, (seeker, kind)
            for candidate in result.candidates:
                assert candidate.provider.kind == kind and candidate.provider.iri != C + seeker
                assert (candidate.evidence or candidate.text_matches) and candidate.sources
                for path in candidate.evidence:
                    assert path["path"][0] == candidate.provider.iri and path["challenge"].startswith(CH)
                assert set(candidate.sources) <= known_sources, (seeker, set(candidate.sources) - known_sources)


def test_bundled_namibia_finds_its_real_providers(demo_view):
    """Namibia's projects name 8 challenges; its real providers (ZWE, EST) must be among the candidates."""
    request = build_request(demo_view.index, seeker="NAM", challenges=[], k=300)
    assert len(request.challenges) == 8
    ranked = [c.provider.iri for c in rank_providers(demo_view.index, request).candidates]
    assert C + "ZWE" in ranked[:10]  # Zimbabwe gave Namibia an exchange on broadcasting and local content
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
    assert {"id", "label", "kind", "score", "signals", "contributions", "evidence", "sources"} <= set(first)
    assert set(first["signals"]) == {
        "evidence",
        "depth",
        "text",
        "region",
        "language",
        "income",
        "treaties",
        "prior_ties",
    }
    scores = [r["score"] for r in answer["results"]]
    assert scores == sorted(scores, reverse=True)


def test_cli_match_rejects_unknown_terms(cli, demo_settings):
    result = cli("match", "--seeker", "NAM", "--challenge", "pircy", settings=demo_settings)
    assert result.exit_code == 2 and "closest: piracy" in result.output
    result = cli("match", settings=demo_settings)
    assert result.exit_code == 2 and "--seeker" in result.output


S = "https://w3id.org/peergraph/vocab/sector/"


def _sector_world() -> nx.MultiDiGraph:
    """Seeker S asks about `film` in the film sector. F adopted one film measure in the film sector; G ten
    film measures of no stated sector; M one film measure in music. All in one region and language."""
    g = nx.MultiDiGraph()
    for code in ("S", "F", "G", "M"):
        g.add_node(C + code, type="Country", label=code, officialLanguage=["en"])
        g.add_edge(C + code, R + "africa", key="IN_REGION")
    g.add_node(CH + "film", type="Challenge", label="Film", prefLabel_en="Film")
    for domain, sectors in (("media", ("film-audiovisual", "broadcasting")), ("performance", ("music",))):
        g.add_node(S + domain, type="Sector", label=domain)
        for sector in sectors:
            g.add_node(S + sector, type="Sector", label=sector)
            g.add_edge(S + sector, S + domain, key="BROADER")
    measures = [("f1", "F", "film-audiovisual"), ("m1", "M", "music")] + [(f"g{i}", "G", None) for i in range(10)]
    for measure, country, sector in measures:
        g.add_node(measure, type="PolicyMeasure", label=measure)
        g.add_edge(measure, C + country, key="ADOPTED_BY")
        g.add_edge(measure, CH + "film", key="ADDRESSES_CHALLENGE")
        if sector:
            g.add_edge(measure, S + sector, key="SECTOR")
    return g


def test_sector_makes_one_specific_measure_beat_ten_generic_ones():
    index = MatchIndex(_sector_world())
    film = MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0}, sectors=frozenset({S + "film-audiovisual"}))
    ranked = rank_providers(index, film).candidates
    assert [c.provider.label for c in ranked] == ["F", "G", "M"]

    # Lengths 1, 10, 1 (average 4); b = 0.75 and k1 = 1.2 give each provider's BM25 denominator.
    def bm25(tf, length):
        return tf / (tf + 1.2 * (0.25 + 0.75 * length / 4))

    # The film-in-film "term" counts 1, film alone backs off to 0.5: (specific + 0.5 generic) / 1.5.
    signals = {c.provider.label: c.signals["evidence"] for c in ranked}
    assert signals["F"] == pytest.approx((bm25(1.0, 1) + 0.5 * bm25(1.0, 1)) / 1.5)
    assert signals["G"] == pytest.approx(0.5 * bm25(10.0, 10) / 1.5)  # ten measures, none in a sector
    assert signals["M"] == pytest.approx(0.5 * bm25(1.0, 1) / 1.5)  # music: another domain
    # Depth backs off the same way: (depth in the sector + 0.5 depth in any) / 1.5, each log(1 + n) over the
    # largest (F's one in-sector item; G's ten anywhere).
    depths = {c.provider.label: c.signals["depth"] for c in ranked}
    anywhere = math.log(2) / math.log(11)
    assert depths == pytest.approx({"F": (1 + 0.5 * anywhere) / 1.5, "G": 0.5 / 1.5, "M": 0.5 * anywhere / 1.5})
    # Without a sector every item counts fully and volume wins, as it should when the seeker names none.
    anyone = rank_providers(index, MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0})).candidates
    assert [c.provider.label for c in anyone] == ["G", "F", "M"]
    broadcasting = MatchRequest(seeker=C + "S", challenges={CH + "film": 1.0}, sectors=frozenset({S + "broadcasting"}))
    by_label = {c.provider.label: c.signals["evidence"] for c in rank_providers(index, broadcasting).candidates}
    assert by_label["F"] == pytest.approx((bm25(0.6, 1) + 0.5 * bm25(1.0, 1)) / 1.5)  # same domain: 0.6


def test_text_bridge_finds_work_the_tags_missed():
    g = _world()
    g.add_node(C + "K", type="Country", label="K", officialLanguage=["en"])
    g.add_node("k1", type="PolicyMeasure", label="Anti-piracy campaign", description="Raids on pirated DVDs.")
    g.add_edge("k1", C + "K", key="ADOPTED_BY")  # no challenge tag at all
    index = MatchIndex(g)
    result = rank_providers(index, MatchRequest(seeker=C + "S", challenges={}, text="We suffer from piracy"))
    assert [c.provider.label for c in result.candidates] == ["K"]
    match = result.candidates[0]
    assert match.signals["evidence"] == 0.0 and match.signals["text"] == 1.0
    assert match.text_matches[0]["via"] == "k1" and match.text_matches[0]["matched_words"] == ["piraci"]


def test_institutions_of_the_kind_a_challenge_needs_count_for_their_country(demo_view):
    request = build_request(demo_view.index, seeker="NAM", challenges=["copyright"], kind="institution", k=200)
    ranked = rank_providers(demo_view.index, request).candidates
    kinds = {c.provider.iri: c.provider.institution_type for c in ranked}
    wanted = ("copyright-office", "collective-management")
    offices = [iri for iri, kind in kinds.items() if kind and kind.endswith(wanted)]
    assert offices, "copyright offices and collecting societies are candidates on copyright"
    bodies = [item for item in demo_view.index.items.values() if item.kind == "institution"]
    assert bodies and all(item.concepts for item in bodies)  # each counts for its country on its challenges


@pytest.mark.parametrize(
    ("statement", "challenges", "sectors"),
    [
        (
            "Le piratage des films prive nos créateurs de revenus; nous voulons réformer le droit d'auteur "
            "et la gestion collective.",
            {"piracy", "copyright"},
            {"film-audiovisual"},
        ),
        (
            "La piratería de música y la falta de financiación frenan a nuestros artistas; queremos una ley "
            "de cuotas de pantalla para el cine.",
            {"piracy", "access-to-finance", "policy-framework", "local-content"},
            {"music", "film-audiovisual"},
        ),
    ],
)
def test_statements_in_french_and_spanish_map_to_their_concepts(demo_view, statement, challenges, sectors):
    request = build_request(demo_view.index, seeker="NAM", challenges=[], text=statement)
    assert {iri.rsplit("/", 1)[-1] for iri in request.challenges} == challenges
    assert {iri.rsplit("/", 1)[-1] for iri in request.sectors} == sectors
    assert request.text == statement
