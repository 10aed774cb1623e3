"""Shared test helpers: graphs from triples or stores, isomorphism with a readable diff."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from ingest.types import Triple

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SHARED_PROGRAMME = REPO.parent / "shared" / "data" / "programme"
SAMPLE = REPO / "ingest" / "sample"


def sample_count(table: str) -> int:
    """Return the number of rows of a table of the bundled sample (``ingest/sample/<table>.csv``)."""
    with (SAMPLE / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


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
