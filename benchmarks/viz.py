"""View benchmark: time from navigation to the first drawn frame of a 2,000-node view in headless Chromium.

python -m benchmarks.viz [--nodes 2000] [--runs 5]

The graph is SYNTHETIC (2,000 nodes, 6,000 edges). Layout time (networkx, in Python, once per view) and
the browser time from navigation start to the first frame with drawn pixels (Playwright polling the
canvas) are reported separately. Writes the ``viz`` section of benchmarks/results.md and
``viz.interactive_ms_2k`` in results.json.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.report import replace_section, update_results_json
from benchmarks.run import _machine
from benchmarks.synthetic import view_graph
from viz.render import to_html
from viz.style import Style

HERE = Path(__file__).resolve().parent
#: Polled on every animation frame: the time (ms since navigation start) when the canvas first has pixels.
DRAWN = """() => {
  const canvas = document.querySelector("canvas");
  if (!canvas || !canvas.width) return false;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4 * 101) { if (pixels[i] > 0) return performance.now(); }
  return false;
}"""


def first_frame_ms(page: Path, chromium: str) -> tuple[float, float]:
    """Open the page in headless Chromium (Playwright, real time) and time its first frame.

    Returns
    -------
    tuple of float
        Milliseconds from navigation start to the first frame with drawn pixels, and to the moment the main
        thread next ran a script after it (the page answers input from then on).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--no-first-run"], headless=True
        )
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        tab.goto(page.as_uri(), wait_until="commit")
        drawn = tab.wait_for_function(DRAWN, polling="raf", timeout=60_000).json_value()
        responsive = tab.evaluate("performance.now()")
        browser.close()
    return float(drawn), float(responsive)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    graph = view_graph(args.nodes, args.nodes * 3)
    started = time.perf_counter()
    page_html = to_html(graph, Style(title=f"{args.nodes} SYNTHETIC nodes"))
    render_s = time.perf_counter() - started
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    page = out / f"view-{args.nodes}.html"
    page.write_text(page_html, encoding="utf-8")
    runs = [first_frame_ms(page, chromium) for _ in range(args.runs)]
    median = statistics.median(interactive for _, interactive in runs)
    median_drawn = statistics.median(drawn for drawn, _ in runs)
    print({"render_s": round(render_s, 2), "runs_ms": runs, "median": median}, flush=True)
    update_results_json(
        {
            "viz.interactive_ms_2k": round(median),
            "viz.first_frame_ms_2k": round(median_drawn),
            "viz.render_s_2k": round(render_s, 2),
        }
    )
    shown = ", ".join(f"{drawn:.0f}/{interactive:.0f}" for drawn, interactive in runs)
    section = "\n".join(
        [
            "## Network views (`python -m benchmarks.viz`)",
            "",
            f"Machine: {_machine()}. Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
            "",
            f"SYNTHETIC graph of {args.nodes:,} nodes and {graph.number_of_edges():,} edges, rendered by "
            f"`viz.render.to_html` (seeded spring layout in Python, physics off, vis-network inlined; "
            f"{len(page_html) // 1024:,} KiB): **{render_s:.1f} s** to build the page (once per view).",
            "",
            f"Browser (headless Debian Chromium driven by Playwright, real time, software rendering), from navigation "
            f"start to the first frame with drawn pixels / to the main thread answering after it, {args.runs} runs: "
            f"{shown} ms. Median interactive: **{median:.0f} ms** (target ≤ 2,000 ms); median first frame "
            f"{median_drawn:.0f} ms. The canvas is polled on every animation frame for non-transparent pixels.",
        ]
    )
    replace_section("viz", section)


if __name__ == "__main__":
    main()
