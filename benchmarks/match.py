"""Find-peers benchmark: ranking quality (synthetic planted truth, leave-one-out on real exchanges) and speed.

python -m benchmarks.match [--worlds 200] [--sizes 10000,100000]

Writes its section of benchmarks/results.md (between markers, so reruns replace it) and the ``match.*``
keys of benchmarks/results.json. Synthetic worlds are SYNTHETIC: real challenge vocabulary and real
country reference, invented measures and exchanges (ids ``SYN-…``).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx

from benchmarks.report import replace_section, update_results_json
from benchmarks.run import _machine
from graph import services
from graph.desk_research import build_graph_view
from graph.matching import MatchIndex, MatchRequest, rank_providers
from graph.rdf_store import RdfStore
from graph.settings import Settings

HERE = Path(__file__).resolve().parent
SYN = "https://example.org/synthetic/"


def _base_graph() -> nx.MultiDiGraph:
    """The challenge vocabulary and country reference, projected from a fresh in-memory store."""
    store = RdfStore(None)
    services.init_store(store)
    view = build_graph_view(store)
    return view.graph.copy()


def _add_measure(graph: nx.MultiDiGraph, number: int, country: str, concepts: list[str]) -> None:
    node = f"{SYN}measure/{number}"
    graph.add_node(node, type="PolicyMeasure", label=f"SYN measure {number}")
    graph.add_edge(node, country, key="ADOPTED_BY")
    for concept in concepts:
        graph.add_edge(node, concept, key="ADDRESSES_CHALLENGE")


def _add_exchange(graph: nx.MultiDiGraph, number: int, seeker: str, provider: str, concepts: list[str]) -> None:
    node = f"{SYN}exchange/{number}"
    graph.add_node(node, type="PeerExchange", label=f"SYN exchange {number}")
    graph.add_edge(node, seeker, key="SEEKER")
    graph.add_edge(node, provider, key="PROVIDER")
    for concept in concepts:
        graph.add_edge(node, concept, key="ADDRESSES_CHALLENGE")


def _world(base: nx.MultiDiGraph, rng: random.Random):
    """One synthetic world: a seeker, 3 planted providers of its challenges, 5 popular decoys, background."""
    graph = base.copy()
    countries = sorted(n for n, d in graph.nodes(data=True) if d.get("type") == "Country")
    concepts = sorted(n for n, d in graph.nodes(data=True) if d.get("type") == "Challenge")
    seeker, *others = rng.sample(countries, 120)
    wanted = rng.sample(concepts, 3)
    rest = [c for c in concepts if c not in wanted]
    planted, decoys, background = others[:3], others[3:8], others[8:]
    number = 0
    for provider in planted:  # each addressed 2 of the seeker's 3 challenges, in 2-3 measures
        for _ in range(rng.randint(2, 3)):
            number += 1
            _add_measure(graph, number, provider, rng.sample(wanted, 2) + rng.sample(rest, 1))
    for provider in decoys:  # popular on other topics: many measures and exchanges, one on a wanted challenge
        for _ in range(rng.randint(20, 30)):
            number += 1
            _add_measure(graph, number, provider, rng.sample(rest, 2))
        number += 1
        _add_measure(graph, number, provider, [rng.choice(wanted)])
        for _ in range(rng.randint(3, 6)):
            number += 1
            _add_exchange(graph, number, rng.choice(background), provider, rng.sample(rest, 2))
    for provider in background:  # 0-4 measures on other topics
        for _ in range(rng.randint(0, 4)):
            number += 1
            _add_measure(graph, number, provider, rng.sample(rest, 2))
    return graph, seeker, wanted, set(planted)


def _rank_of(order: list[str], relevant: set[str]) -> int | None:
    return next((position for position, iri in enumerate(order, 1) if iri in relevant), None)


def quality_synthetic(worlds: int, seed: int = 2022) -> dict:
    """Hit@1, hit@5 and MRR of the first planted provider, for peergraph and two baselines."""
    base = _base_graph()
    rng = random.Random(seed)
    ranks: dict[str, list[int | None]] = {"peergraph": [], "popularity": [], "random": []}
    for _ in range(worlds):
        graph, seeker, wanted, planted = _world(base, rng)
        index = MatchIndex(graph)
        result = rank_providers(index, MatchRequest(seeker=seeker, challenges=dict.fromkeys(wanted, 1.0), k=10_000))
        ranks["peergraph"].append(_rank_of([c.provider.iri for c in result.candidates], planted))
        evidence = {}
        for by_provider in index.evidence.values():
            for provider, items in by_provider.items():
                if index.providers[provider].kind == "country" and provider != seeker:
                    evidence[provider] = evidence.get(provider, 0) + len(items)
        popular = sorted(evidence, key=lambda p: (-evidence[p], p))
        ranks["popularity"].append(_rank_of(popular, planted))
        shuffled = sorted(evidence)
        rng.shuffle(shuffled)
        ranks["random"].append(_rank_of(shuffled, planted))

    def summary(values: list[int | None]) -> dict:
        return {
            "mrr": round(sum(1 / r for r in values if r) / len(values), 4),
            "hit1": round(sum(1 for r in values if r == 1) / len(values), 4),
            "hit5": round(sum(1 for r in values if r and r <= 5) / len(values), 4),
        }

    return {"worlds": worlds, **{name: summary(values) for name, values in ranks.items()}}


def leave_one_out(demo: Path) -> list[dict]:
    """For each real exchange: drop every exchange of that seeker-provider pair, rank for the seeker's project."""
    with RdfStore(demo, read_only=True) as store:
        full = build_graph_view(store).graph
    rows = []
    exchanges = sorted(n for n, d in full.nodes(data=True) if d.get("type") == "PeerExchange")

    def one(node: str, kind: str) -> str | None:
        return next((v for v, keys in full.succ[node].items() if kind in keys), None)

    for exchange in exchanges:
        seeker, provider, project = one(exchange, "SEEKER"), one(exchange, "PROVIDER"), one(exchange, "PART_OF_PROJECT")
        pair = [x for x in exchanges if one(x, "SEEKER") == seeker and one(x, "PROVIDER") == provider]
        graph = full.copy()
        graph.remove_nodes_from(pair)
        source = project if project else exchange
        challenges = sorted(v for v, keys in full.succ[source].items() if "ADDRESSES_CHALLENGE" in keys)
        index = MatchIndex(graph)
        result = rank_providers(index, MatchRequest(seeker=seeker, challenges=dict.fromkeys(challenges, 1.0), k=10_000))
        order = [c.provider.iri for c in result.candidates]
        rows.append(
            {
                "exchange": exchange.rsplit("/", 1)[-1],
                "seeker": seeker.rsplit("/", 1)[-1],
                "provider": provider.rsplit("/", 1)[-1],
                "challenges_from": "project" if project else "exchange",
                "challenges": len(challenges),
                "rank": _rank_of(order, {provider}),
                "candidates": len(order),
            }
        )
    return rows


def _synthetic_graph(base: nx.MultiDiGraph, entities: int, rng: random.Random) -> nx.MultiDiGraph:
    graph = base.copy()
    countries = sorted(n for n, d in graph.nodes(data=True) if d.get("type") == "Country")
    concepts = sorted(n for n, d in graph.nodes(data=True) if d.get("type") == "Challenge")
    institutions = [f"{SYN}institution/{i}" for i in range(entities // 10)]
    for institution in institutions:
        graph.add_node(institution, type="Institution", label=institution)
        graph.add_edge(institution, rng.choice(countries), key="BASED_IN")
    for number in range(entities - len(institutions)):
        if number % 10 == 0:
            _add_exchange(graph, number, rng.choice(countries), rng.choice(countries), rng.sample(concepts, 2))
        else:
            country = rng.choice(countries)
            _add_measure(graph, number, country, rng.sample(concepts, rng.randint(1, 3)))
            if number % 3 == 0:
                graph.add_edge(f"{SYN}measure/{number}", rng.choice(institutions), key="IMPLEMENTED_BY")
    return graph


def speed(sizes: list[int], queries: int = 200, seed: int = 7) -> list[dict]:
    """p50/p95 of one ranking at each size (index built once, as the server does)."""
    base = _base_graph()
    rows = []
    for size in sizes:
        rng = random.Random(seed)
        graph = _synthetic_graph(base, size, rng)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        index = MatchIndex(graph)
        build_s = time.perf_counter() - started
        countries = sorted(p for p, v in index.providers.items() if v.kind == "country")
        concepts = sorted(index.concepts)
        timings = {"country": [], "institution": []}
        for kind in timings:
            for _ in range(queries):
                request = MatchRequest(
                    seeker=rng.choice(countries),
                    challenges=dict.fromkeys(rng.sample(concepts, 3), 1.0),
                    kind=kind,
                    k=10,
                )
                started = time.perf_counter()
                rank_providers(index, request)
                timings[kind].append((time.perf_counter() - started) * 1000)
        row = {
            "entities": size,
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "index_build_s": round(build_s, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "rss_before_index_mb": round(rss_before, 1),
        }
        for kind, values in timings.items():
            values.sort()
            row[f"{kind}_p50_ms"] = round(statistics.median(values), 2)
            row[f"{kind}_p95_ms"] = round(values[int(0.95 * len(values)) - 1], 2)
        rows.append(row)
        print(row, flush=True)
    return rows


def _write(quality: dict, loo: list[dict], timing: list[dict]) -> None:
    largest = max(timing, key=lambda r: r["entities"])
    figures = {
        "match.mrr_synthetic": quality["peergraph"]["mrr"],
        "match.hit5_synthetic": quality["peergraph"]["hit5"],
        "match.mrr_popularity_baseline": quality["popularity"]["mrr"],
        "match.p95_ms_1e5": max(largest["country_p95_ms"], largest["institution_p95_ms"]),
        "match.loo_real": [row["rank"] for row in loo],
    }
    update_results_json(figures)
    q = quality
    lines = [
        "## Find peers (`python -m benchmarks.match`)",
        "",
        f"Machine: {_machine()}. Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
        "",
        f"**Quality, synthetic planted truth** ({q['worlds']} SYNTHETIC worlds on the real challenge vocabulary and "
        "country reference: a seeker with 3 challenges; 3 planted providers that adopted 2-3 measures each on 2 of "
        "them; 5 popular decoys with 20-30 measures and 3-6 exchanges on other topics plus one measure on one wanted "
        "challenge; ~110 background countries with 0-4 measures on other topics). Rank of the first planted provider:",
        "",
        "| ranker | MRR | hit@1 | hit@5 |",
        "|---|---:|---:|---:|",
    ]
    for name in ("peergraph", "popularity", "random"):
        lines.append(f"| {name} | {q[name]['mrr']:.3f} | {q[name]['hit1']:.3f} | {q[name]['hit5']:.3f} |")
    ratio = q["peergraph"]["mrr"] / q["popularity"]["mrr"] if q["popularity"]["mrr"] else float("inf")
    lines += [
        "",
        f"Targets: MRR ≥ 0.8, hit@5 ≥ 0.95, ≥ 2× the popularity baseline's MRR (here {ratio:.1f}×).",
        "",
        "**Leave-one-out on the real bundled exchanges.** For each exchange, every exchange of the same "
        "seeker→provider pair is removed (otherwise the twin exchange would leak the answer through the prior-ties "
        "signal); providers are ranked for the challenges of the seeker's project (of the exchange itself when it "
        "has no project); the table gives where the real provider lands among all candidate countries.",
        "",
        "| exchange | seeker | real provider | challenges from | # challenges | rank | candidates |",
        "|---|---|---|---|---:|---:|---:|",
    ]
    for row in loo:
        rank = row["rank"] if row["rank"] else "not a candidate"
        lines.append(
            f"| {row['exchange']} | {row['seeker']} | {row['provider']} | {row['challenges_from']} | "
            f"{row['challenges']} | {rank} | {row['candidates']} |"
        )
    found = [r["rank"] for r in loo if r["rank"]]
    lines += [
        "",
        f"Real provider found in {len(found)}/{len(loo)} cases; in the top 5 in {sum(1 for r in found if r <= 5)}; "
        f"median rank {statistics.median(found) if found else '–'}.",
        "",
        "**Speed** (SYNTHETIC graphs: measures, exchanges and institutions over the real vocabulary; index built "
        "once, as the server does after each ingest; 200 random requests per kind, 3 challenges, k = 10):",
        "",
        "| entities | nodes | edges | index build s | country p50 / p95 ms | institution p50 / p95 ms | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in timing:
        lines.append(
            f"| {row['entities']:,} | {row['nodes']:,} | {row['edges']:,} | {row['index_build_s']} | "
            f"{row['country_p50_ms']} / {row['country_p95_ms']} | "
            f"{row['institution_p50_ms']} / {row['institution_p95_ms']} | {row['peak_rss_mb']} |"
        )
    lines += ["", "Target: p95 ≤ 50 ms at 1e5 entities."]
    replace_section("match", "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=200)
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    out = HERE / "out" / "match-demo"
    if not RdfStore.exists(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        with RdfStore(out) as store:
            services.load_demo(store, Settings(store=out, _env_file=None))
    quality = quality_synthetic(args.worlds)
    print(quality, flush=True)
    loo = leave_one_out(out)
    for row in loo:
        print(row, flush=True)
    timing = speed([int(s) for s in args.sizes.split(",")])
    _write(quality, loo, timing)


if __name__ == "__main__":
    main()
