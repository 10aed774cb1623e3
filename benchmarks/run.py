"""Run the benchmarks and write benchmarks/results.md and benchmarks/results.json.

    python -m benchmarks.run [--sizes 1000,10000,100000,1000000]

Ingest, side by side on the same synthetic data at each size: peergraph's ingest of the CSV records
(read, validate, map, SHACL on every triple, load into a fresh on-disk store),
rdflib's default Graph parsing and adding the same triples as N-Triples, and pyoxigraph's raw
``bulk_load`` of that N-Triples file into a fresh on-disk store (the floor). Each measurement runs in its
own process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.report import replace_section, update_results_json
from benchmarks.synthetic import generate

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def _measure(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", *args],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"measurement {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        gib = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        gib = 0.0
    return f"{cpu}, {os.cpu_count()} cores, {gib:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def _nt_of(folder: Path, target: Path) -> int:
    from ingest.pipeline import prepare

    batch = prepare([folder])
    count = 0
    with target.open("w", encoding="utf-8") as handle:
        for source in batch.sources:
            for s, p, o in source.triples:
                handle.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
                count += 1
    return count


def run(sizes: list[int]) -> dict:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    rows = []
    for size in sizes:
        folder = OUT / f"records-{size}"
        generate(folder, size)
        nt = OUT / f"triples-{size}.nt"
        _nt_of(folder, nt)
        ours = _measure("peergraph", str(folder), str(OUT / f"store-{size}"))
        rdflib = _measure("rdflib", str(nt))
        bulk = _measure("bulk_load", str(nt), str(OUT / f"bulk-{size}"))
        rows.append({"size": size, "peergraph": ours, "rdflib": rdflib, "bulk_load": bulk})
        print(
            f"{size:>8}: peergraph {ours['seconds']:.2f}s ({ours['triples']} triples, {ours['peak_rss_mb']} MB), "
            f"rdflib {rdflib['seconds']:.2f}s, bulk_load {bulk['seconds']:.2f}s",
            flush=True,
        )
        shutil.rmtree(OUT / f"store-{size}", ignore_errors=True)
        shutil.rmtree(OUT / f"bulk-{size}", ignore_errors=True)
    return {"ingest": rows}


def _write(results: dict, sizes: list[int]) -> None:
    largest = max(results["ingest"], key=lambda row: row["size"])
    ours, rdflib, bulk = largest["peergraph"], largest["rdflib"], largest["bulk_load"]
    figures = {
        "ingest.ratio_vs_rdflib": round(rdflib["seconds"] / ours["seconds"], 3),
        "ingest.ratio_vs_bulk_load": round(bulk["seconds"] / ours["seconds"], 3),
        "ingest.peak_rss_mb": ours["peak_rss_mb"],
        "ingest.size_triples": ours["triples"],
    }
    update_results_json(figures)
    lines = [
        f"Machine: {_machine()}. Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}. "
        "Command: `make bench`. Data: SYNTHETIC records from `benchmarks/synthetic.py` (seed 2022).",
        "",
        "## Ingest",
        "",
        "peergraph = `peergraph ingest` of the CSV records into a fresh on-disk store (read, validate, map, SHACL "
        "on every triple, atomic load). "
        "rdflib = `Graph().parse()` of the same triples as N-Triples. "
        "bulk_load = pyoxigraph `Store.bulk_load` of that file into a fresh on-disk store (the floor). "
        "Ratios: the other's time / peergraph's time (higher is better for peergraph).",
        "",
        "| triples | peergraph s | triples/s | peak RSS MB | rdflib s | bulk_load s | × rdflib | × bulk_load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["ingest"]:
        o, r, b = row["peergraph"], row["rdflib"], row["bulk_load"]
        lines.append(
            f"| {o['triples']:,} | {o['seconds']:.2f} | {o['triples'] / o['seconds']:,.0f} | "
            f"{o['peak_rss_mb']:.0f} | {r['seconds']:.2f} | {b['seconds']:.2f} | "
            f"{r['seconds'] / o['seconds']:.2f} | {b['seconds'] / o['seconds']:.2f} |"
        )
    lines += [
        "",
        "Targets at 1e6 triples (issue 2): ≥ 20× rdflib, ≥ 0.3× raw bulk load, peak RSS < 2 GB.",
        "",
        "SHACL alone (compiled shapes against pyshacl): `python -m benchmarks.ingest_shacl`, section below.",
        "",
        "JSON figures: `benchmarks/results.json`.",
        "",
    ]
    notes = HERE / "results-notes.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8")]
    replace_section("ingest", "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    results = run(sizes)
    _write(results, sizes)
    print((HERE / "results.md").read_text())


if __name__ == "__main__":
    main()
