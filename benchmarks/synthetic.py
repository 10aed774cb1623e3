"""A deterministic generator of SYNTHETIC records in peergraph's CSV format, for scale tests only.

Every id starts with ``SYN-`` and every source address is under ``https://example.org/synthetic/``, so
synthetic records can never be mistaken for the real bundled data. The same seed and size always give
the same files.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import networkx as nx

from ingest.reference import countries
from ingest.schema import TABLES_BY_NAME
from ontology.vocabulary import concept_ids

SOURCE = "https://example.org/synthetic/"
# Average triples per record, measured on the generator's output (used to hit a target size).
TRIPLES_PER_RECORD = 11.5


def _write(folder: Path, table: str, rows: list[dict[str, object]]) -> None:
    columns = [column.name for column in TABLES_BY_NAME[table].columns]
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def generate(folder: Path, triples: int, seed: int = 2022) -> dict[str, int]:
    """Write a synthetic CSV record folder of about ``triples`` triples.

    Parameters
    ----------
    folder : pathlib.Path
        Where to write ``institutions.csv``, ``experts.csv``, ``measures.csv`` and ``exchanges.csv``.
    triples : int
        Target number of triples (the result is within a few percent).
    seed : int
        Random seed.

    Returns
    -------
    dict of str to int
        Rows written per table.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    codes = sorted(code for code, c in countries().items() if c.region)
    challenges = sorted(concept_ids()["challenge"])
    kinds = sorted(concept_ids()["kind"])
    areas = sorted(k for k in concept_ids()["monitoring"] if ".A" in k)
    methods = sorted(concept_ids()["method"])
    records = max(4, int(triples / TRIPLES_PER_RECORD))
    n_inst, n_exp, n_exch = records // 5, records // 10, records // 10
    n_meas = records - n_inst - n_exp - n_exch
    institutions = [
        {
            "id": f"SYN-I{i}",
            "name": f"Synthetic institution {i}",
            "country": rng.choice(codes),
            "type": "ministry",
            "sources": f"{SOURCE}institution/{i}",
        }
        for i in range(n_inst)
    ]
    experts = [
        {
            "id": f"SYN-E{i}",
            "name": f"Synthetic expert {i}",
            "country": rng.choice(codes),
            "expertise": "; ".join(rng.sample(challenges, 2)),
            "sources": f"{SOURCE}expert/{i}",
        }
        for i in range(n_exp)
    ]
    measures = [
        {
            "id": f"SYN-M{i}",
            "country": rng.choice(codes),
            "title": f"Synthetic measure {i}",
            "kind": rng.choice(kinds),
            "start_year": rng.randint(1990, 2024),
            "policy_areas": rng.choice(areas),
            "challenges": "; ".join(rng.sample(challenges, 2)),
            "implemented_by": f"SYN-I{rng.randrange(n_inst)}" if n_inst else "",
            "sources": f"{SOURCE}measure/{i}",
        }
        for i in range(n_meas)
    ]
    exchanges = []
    for i in range(n_exch):
        seeker, provider = rng.sample(codes, 2)
        exchanges.append(
            {
                "id": f"SYN-X{i}",
                "seeker": seeker,
                "provider": provider,
                "topic": f"synthetic topic {i}",
                "challenges": rng.choice(challenges),
                "methods": rng.choice(methods),
                "year": rng.randint(2010, 2024),
                "sources": f"{SOURCE}exchange/{i}",
            }
        )
    for table, rows in (
        ("institutions", institutions),
        ("experts", experts),
        ("measures", measures),
        ("exchanges", exchanges),
    ):
        _write(folder, table, rows)
    return {"institutions": n_inst, "experts": n_exp, "measures": n_meas, "exchanges": n_exch}


def view_graph(nodes: int, edges: int, seed: int = 3) -> nx.DiGraph:
    """Return a SYNTHETIC directed graph with typed, labelled nodes, for drawing tests and the view benchmark.

    Examples
    --------
    >>> graph = view_graph(10, 15)
    >>> graph.number_of_nodes(), graph.number_of_edges()
    (10, 15)
    """
    rng = random.Random(seed)
    graph = nx.DiGraph()
    types = ["Country", "Institution", "Expert", "PolicyMeasure", "PeerExchange"]
    for i in range(nodes):
        graph.add_node(f"{SOURCE}{i}", label=f"SYN {i}", type=types[i % len(types)])
    while graph.number_of_edges() < edges:
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a != b:
            graph.add_edge(f"{SOURCE}{a}", f"{SOURCE}{b}", kind="R")
    return graph
