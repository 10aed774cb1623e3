"""Ingest with SHACL on every triple against Oxigraph's raw bulk load, on SYNTHETIC data.

    python -m benchmarks.ingest_shacl [--size 1000000]

Writes the ``ingest-shacl`` section of benchmarks/results.md and the keys ``ingest.ratio_vs_bulk_load``
(bulk_load's time / peergraph's, SHACL on everything) and ``ingest.shacl_max_triples`` (null: no cap) of
benchmarks/results.json. Each measurement runs in its own process (``benchmarks.measure``), so its peak
memory is its own: peergraph's ``ingest`` of the CSV records into a fresh on-disk store; ``bulk_load`` of the
same triples as N-Triples into a fresh on-disk store; and the stages of the ingest (read, validate, map and
SHACL; then the compiled SHACL check alone on the output).
"""

from __future__ import annotations

import argparse
import shutil
from datetime import UTC, datetime

from benchmarks.report import replace_section, update_results_json
from benchmarks.run import OUT, _machine, _measure, _nt_of
from benchmarks.synthetic import generate


def run(size: int) -> dict:
    """Measure peergraph's ingest (SHACL on everything), the bulk load and the stages at one size."""
    folder, nt = OUT / f"shacl-records-{size}", OUT / f"shacl-triples-{size}.nt"
    shutil.rmtree(folder, ignore_errors=True)
    generate(folder, size)
    _nt_of(folder, nt)
    results = {}
    for what, args in (
        ("peergraph", [str(folder), str(OUT / "shacl-store")]),
        ("bulk_load", [str(nt), str(OUT / "shacl-bulk")]),
        ("stages", [str(folder)]),
    ):
        shutil.rmtree(OUT / "shacl-store", ignore_errors=True)
        shutil.rmtree(OUT / "shacl-bulk", ignore_errors=True)
        results[what] = _measure(what, *args)
        print(what, results[what], flush=True)
    shutil.rmtree(OUT / "shacl-store", ignore_errors=True)
    shutil.rmtree(OUT / "shacl-bulk", ignore_errors=True)
    return results


def write(results: dict) -> None:
    """Record the figures in results.json and the section in results.md."""
    ours, bulk, stages = results["peergraph"], results["bulk_load"], results["stages"]
    ratio = bulk["seconds"] / ours["seconds"]
    update_results_json({"ingest.ratio_vs_bulk_load": round(ratio, 3), "ingest.shacl_max_triples": None})
    triples = ours["triples"]
    load_s = ours["seconds"] - stages["prepare_s"]
    shapes_share = stages["shapes_s"] / ours["seconds"]
    lines = [
        "## Ingest with SHACL on everything (`python -m benchmarks.ingest_shacl`)",
        "",
        f"Machine: {_machine()}. Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}. One run. "
        "Data: SYNTHETIC records from `benchmarks/synthetic.py` (seed 2022).",
        "",
        "peergraph = `peergraph ingest` of the CSV records into a fresh on-disk store: read, validate, map, "
        "SHACL (the compiled `ontology/shapes.ttl`) on every triple, atomic load. bulk_load = pyoxigraph "
        "`Store.bulk_load` of the same triples as N-Triples into a fresh on-disk store.",
        "",
        "| triples | peergraph s | triples/s | peak RSS MB | bulk_load s | triples/s | peak RSS MB | × bulk_load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {triples:,} | {ours['seconds']:.2f} | {triples / ours['seconds']:,.0f} | {ours['peak_rss_mb']:.0f} | "
        f"{bulk['seconds']:.2f} | {bulk['triples'] / bulk['seconds']:,.0f} | {bulk['peak_rss_mb']:.0f} | {ratio:.2f} |",
        "",
        "Where peergraph's time goes (the stages measured in a separate process on the same records):",
        "",
        "| stage | seconds | share of the ingest |",
        "|---|---:|---:|",
        f"| read, validate, map and SHACL (`ingest.pipeline.prepare`) | {stages['prepare_s']:.2f} | "
        f"{stages['prepare_s'] / ours['seconds']:.0%} |",
        f"| of which the compiled SHACL check ({stages['triples']:,} triples + the ontology, "
        f"{stages['triples'] / stages['shapes_s']:,.0f} triples/s) | {stages['shapes_s']:.2f} | {shapes_share:.0%} |",
        f"| load into the store (the rest of the ingest) | {load_s:.2f} | {load_s / ours['seconds']:.0%} |",
        f"| compiling the shapes and reading the ontology (once per process) | {stages['shapes_setup_s']:.2f} | |",
        "",
        f"Target (issue 18): ≥ 0.5× bulk_load at 1e6 triples with SHACL on everything, peak RSS < 2 GB: "
        f"**{'met' if ratio >= 0.5 else 'not met'}** ({ratio:.2f}×, {ours['peak_rss_mb']:,.0f} MB). "
        "SHACL has no size cap (`ingest.shacl_max_triples`: null).",
    ]
    replace_section("ingest-shacl", "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="target number of triples")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    write(run(args.size))


if __name__ == "__main__":
    main()
