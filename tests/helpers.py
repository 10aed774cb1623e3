"""Shared test helpers: graphs from triples or stores, isomorphism with a readable diff."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from ingest.types import Triple

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SHARED_PROGRAMME = REPO.parent / "shared" / "data" / "programme"


def graph_of(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    """Assert two graphs are isomorphic, showing the triples only in one of them."""
    left, right = to_isomorphic(actual), to_isomorphic(expected)
    if left == right:
        return
    _, only_actual, only_expected = graph_diff(left, right)
    lines = ["graphs differ"]
    lines += [f"  only in actual:   {' '.join(t.n3() for t in triple)}" for triple in sorted(only_actual)][:40]
    lines += [f"  only in expected: {' '.join(t.n3() for t in triple)}" for triple in sorted(only_expected)][:40]
    raise AssertionError("\n".join(lines))
