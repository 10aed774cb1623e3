"""Views: one self-contained HTML file each, with the expected entities, escaped text, and drawn pixels."""

from __future__ import annotations

import re
import subprocess

import networkx as nx
import numpy as np
import pytest

from api.views import render_view
from benchmarks.synthetic import view_graph
from tests.helpers import REPO
from viz.render import to_html
from viz.style import Style

ARTIFACTS = REPO / "tests" / "artifacts"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
C = "https://w3id.org/peergraph/id/country/"


@pytest.mark.parametrize(
    ("kind", "options", "expected"),
    [
        ("exchanges", {}, [C + "GBR", "United Kingdom", "Africa"]),
        ("ego", {"focus": "UGA"}, [C + "UGA", "X-UGA-ZAF-2021"]),
        ("match", {"seeker": "NAM"}, [C + "NAM", C + "ZWE", "Piracy and enforcement"]),
        ("programme", {"programme": "EF2"}, ["https://w3id.org/peergraph/id/project/EF2-UGA", "Yoonhyung Jeon"]),
    ],
)
def test_every_view_is_one_offline_file_with_its_entities(demo_view, kind, options, expected):
    page = render_view(demo_view, kind, **options)
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "vis.Network" in page and 'id="legend"' in page and 'id="peergraph-search"' in page
    for text in expected:
        assert text in page, text


def test_labels_with_markup_are_escaped():
    graph = nx.DiGraph()
    graph.add_node("https://example.org/x", label="<script>alert(1)</script>", type="Country")
    page = to_html(graph, Style(title="<i>title</i>"))
    assert "<script>alert(1)" not in page and "\\u003cscript\\u003ealert(1)" in page
    assert "<i>title</i>" not in page and "&lt;i&gt;title&lt;/i&gt;" in page


def test_ego_view_states_its_cut(demo_view):
    page = render_view(demo_view, "ego", focus="UGA", max_nodes=20)
    assert "20 nodes within 2 steps; cut at 20 nodes (nearest kept)" in page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("size", [50, 2000])
def test_views_draw_nodes_in_chromium(chromium, tmp_path, size):
    from PIL import Image

    page = tmp_path / f"view-{size}.html"
    page.write_text(to_html(view_graph(size, size * 2), Style(title=f"{size} nodes")), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"view-{size}.png"
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1200,900",
            "--virtual-time-budget=10000",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert not [line for line in console if "error" in line.lower() or "uncaught" in line.lower()], console
    image = Image.open(shot).convert("RGB")
    # The canvas is below the title bar; count coloured (non-grey) pixels there: node fills, not text or edges.
    canvas = image.crop((0, 200, 1200, 850))
    pixels = np.asarray(canvas, dtype=int)
    coloured = int((pixels.max(axis=2) - pixels.min(axis=2) > 60).sum())
    assert coloured > (500 if size == 50 else 5000), f"only {coloured} coloured pixels: nodes were not drawn"


def test_site_view_has_navigation_legend_in_words_and_node_links(client):
    page = client.get("/viz/ego", params={"focus": "NAM"}).text
    assert 'id="peergraph-nav"' in page and '<a href="/search">Search</a>' in page
    legend = re.findall(r'<li><span class="swatch"[^>]*></span>([^<]*)</li>', page)
    assert "Policy measure" in legend or "Peer exchange" in legend
    assert "PolicyMeasure" not in legend and "PeerExchange" not in legend
    assert '"href": "/id/country/NAM"' in page
    assert 'network.on("click"' in page


def test_match_view_is_bounded_and_says_so(client):
    page = client.get("/viz/match", params={"seeker": "NAM", "challenge": "piracy"}).text
    assert "3 strongest evidence paths" in page
    assert page.count('"href"') <= 10 * (1 + 3 * 2) + 5  # providers, their paths' records and concepts, seeker
