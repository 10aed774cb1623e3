"""Exchange-network analytics on the bundled data (counts derived by hand from exchanges.csv)."""

from __future__ import annotations

import pytest

from graph.errors import InvalidRequest, NotFound
from graph.services.research import GraphViewCache, ego_network, exchange_analytics, shortest_connection
from graph.services.store import ingest_paths
from tests.helpers import DATA

C = "https://w3id.org/peergraph/id/country/"
CH = "https://w3id.org/peergraph/vocab/challenge/"


def test_exchange_network_counts_match_the_bundled_exchanges(demo_view):
    summary = exchange_analytics(demo_view)
    # 17 rows in exchanges.csv; 15 distinct seeker→provider pairs (NAM→EST and GEO→GBR happen twice).
    assert (summary["exchanges"], summary["pairs"]) == (17, 15)
    countries = summary["countries"]
    assert len(countries) == 20
    assert (countries[C + "GBR"]["given"], countries[C + "GBR"]["received"]) == (2, 0)
    assert (countries[C + "CRI"]["given"], countries[C + "CRI"]["received"]) == (0, 4)
    assert (countries[C + "UGA"]["given"], countries[C + "UGA"]["received"]) == (1, 1)
    # Providers in Europe: ESP once, EST twice, GBR twice; every seeker is in the South.
    assert summary["flows"]["counts"] == {
        "south-south": 12,
        "north-south": 5,
        "south-north": 0,
        "north-north": 0,
        "triangular": 0,
        "unknown": 0,
    }
    assert summary["flows"]["exchanges"]["https://w3id.org/peergraph/id/exchange/X-CRI-ESP-2021"] == "north-south"


def test_communities_are_the_connected_groups_and_reproducible(demo_view):
    first = exchange_analytics(demo_view, seed=1)["communities"]
    assert first == exchange_analytics(demo_view, seed=1)["communities"]
    assert [C + code for code in ("ARG", "CHL", "COL", "CRI", "ESP", "PAN")] in first
    assert [C + "BFA", C + "GAB"] in first
    assert sorted(iri for group in first for iri in group) == sorted(exchange_analytics(demo_view)["countries"])


def test_filters_by_topic_and_years(demo_view):
    copyright_only = exchange_analytics(demo_view, topics=[CH + "copyright"])
    assert copyright_only["exchanges"] == 4  # X-SSD-TZA-2020, X-SSD-KEN-2021, X-SSD-UGA-2021, X-NAM-ZWE
    recent = exchange_analytics(demo_view, years=(2022, 2030))
    assert recent["exchanges"] == 3  # X-GHA-CHN-2022, X-NAM-EST-2023, X-NAM-EST-2024
    assert sum(recent["flows"]["counts"].values()) == 3


def test_shortest_connection_walks_through_the_exchange(demo_view):
    steps = shortest_connection(demo_view, C + "UGA", C + "ZAF")
    assert [(s["kind"], s["direction"]) for s in steps] == [("SEEKER", "backward"), ("PROVIDER", "forward")]
    assert steps[0]["to"] == "https://w3id.org/peergraph/id/exchange/X-UGA-ZAF-2021"
    assert steps[1]["to_label"] == "South Africa"
    with pytest.raises(NotFound):
        shortest_connection(demo_view, C + "NAM", C + "NOWHERE")


def test_ego_network_is_bounded_and_says_so(demo_view):
    sub, cut = ego_network(demo_view, C + "UGA", radius=2, max_nodes=30)
    assert cut and sub.number_of_nodes() == 30
    assert sub.nodes[C + "UGA"]["distance"] == 0 and max(d for _, d in sub.nodes(data="distance")) <= 2
    whole, cut = ego_network(demo_view, C + "UGA", radius=1, max_nodes=500)
    assert not cut and "https://w3id.org/peergraph/id/exchange/X-UGA-ZAF-2021" in whole
    assert not any(kind == "SOURCE" for _, _, kind in whole.edges(keys=True))


def test_view_resolves_identifiers_and_names_close_ones(demo_view):
    assert demo_view.resolve("ef2-uga", parameter="focus") == "https://w3id.org/peergraph/id/project/EF2-UGA"
    with pytest.raises(InvalidRequest) as error:
        demo_view.resolve("EF2-UGX", parameter="focus")
    assert "ef2-uga" in error.value.reason


def test_view_cache_rebuilds_only_after_a_commit(store, settings):
    cache = GraphViewCache()
    first = cache.get(store)
    assert cache.get(store) is first
    ingest_paths(store, [DATA / "records"], settings)
    second = cache.get(store)
    assert second is not first and second.graph.number_of_nodes() > first.graph.number_of_nodes()
