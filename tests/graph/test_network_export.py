"""GraphML and GEXF exports read back with networkx as Gephi would see them: every node typed and labelled,
source addresses as attributes rather than nodes, every edge labelled."""

from __future__ import annotations

import networkx as nx
import pytest

C = "https://w3id.org/peergraph/id/country/"
PIRACY = "https://w3id.org/peergraph/vocab/challenge/piracy"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_export_is_typed_labelled_and_free_of_source_nodes(cli, demo_settings, tmp_path, fmt):
    target = tmp_path / f"net.{fmt}"
    done = cli("export", "-f", fmt, "-o", str(target), settings=demo_settings)
    assert done.exit_code == 0, done.output
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    nodes = dict(graph.nodes(data=True))
    assert all(data.get("type") for data in nodes.values())
    assert all(data.get("label") and not data["label"].startswith("http") for data in nodes.values())
    assert not any(node.startswith("http") and "w3id.org/peergraph" not in node for node in nodes)
    assert nodes[C + "NAM"]["label"] == "Namibia" and nodes[C + "NAM"]["type"] == "Country"
    assert nodes[PIRACY]["label"] == "Piracy and enforcement" and nodes[PIRACY]["type"] == "Challenge"
    exchange = next(n for n, d in nodes.items() if d["type"] == "PeerExchange" and d.get("sources"))
    assert nodes[exchange]["sources"].startswith("http") and int(nodes[exchange]["source_count"]) >= 1
    labels = {data.get("label") for _, _, data in graph.edges(data=True)}
    assert "addresses challenge" in labels and None not in labels


def test_exchanges_are_titled_from_topic_seeker_and_provider(demo_view):
    exchange = demo_view.graph.nodes["https://w3id.org/peergraph/id/exchange/X-SSD-TZA-2020"]
    assert (
        exchange["label"]
        == "Copyright policy and copyright management: South Sudan learns from United Republic of Tanzania (2020)"
    )
    assert exchange["identifier"] == "X-SSD-TZA-2020"
