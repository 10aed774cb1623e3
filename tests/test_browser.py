"""The served pages in a real headless Chromium (Debian's, driven by Playwright): they load offline, draw,
log no console error, and the main journeys work (search, entity page, find peers, brief, consoles).

Every request that leaves 127.0.0.1 is blocked and recorded, so a page that needs a CDN fails here.
Screenshots land in ``tests/artifacts/``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pytest

from tests.helpers import REPO, sample_count

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = REPO / "tests" / "artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-quic"]


@pytest.fixture
def page(chromium, served):
    """A Playwright page in headless Chromium; yields (page, base URL, problems seen)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is missing: pip install -e '.[dev]'")
    problems: list[str] = []
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        opened = context.new_page()

        def guard(route):
            host = urlsplit(route.request.url).hostname
            if route.request.url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
                route.continue_()
            else:
                problems.append(f"external request: {route.request.url}")
                route.abort()

        context.route("**/*", guard)
        opened.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        opened.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        yield opened, served, problems
        browser.close()


def _shot(opened, name: str) -> int:
    """Save a screenshot and return its count of non-white pixels."""
    from PIL import Image

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    opened.screenshot(path=str(path))
    pixels = np.asarray(Image.open(path).convert("RGB"))
    return int((pixels != 255).any(axis=2).sum())


def test_home_page_draws_counts_and_charts(page):
    opened, base, problems = page
    opened.goto(f"{base}/")
    assert opened.locator("#counts").inner_text().count("Policy measure") == 1  # in words, not PolicyMeasure
    assert str(sample_count("measures")) in opened.locator("#counts").inner_text()
    assert opened.locator("#charts svg").count() == 3
    assert opened.locator("#charts svg rect").count() >= 5
    assert _shot(opened, "home") > 10_000
    assert problems == []


def test_search_finds_a_country_and_its_page_draws_its_neighbourhood(page):
    opened, base, problems = page
    opened.goto(f"{base}/")
    opened.fill("header input[name=q]", "Namibia")
    opened.press("header input[name=q]", "Enter")
    opened.wait_for_selector("#results")
    link = opened.locator('#results a[href="/id/country/NAM"]')
    assert link.count() == 1
    link.click()
    assert opened.locator("#entity-label").inner_text() == "Namibia"
    assert opened.locator("#sources a").count() >= 1  # Namibia's facts name their sources
    frame = opened.frame_locator("iframe.view")
    frame.locator("canvas").first.wait_for(timeout=30_000)
    assert _shot(opened, "entity") > 10_000
    assert problems == []


def test_find_peers_ranks_providers_and_opens_a_brief(page):
    opened, base, problems = page
    opened.goto(f"{base}/peers")
    opened.select_option("select[name=seeker]", "NAM")
    opened.select_option("select[name=challenge]", ["piracy", "copyright"])
    opened.click("#peers-form button[type=submit]")
    ranked = opened.locator("#ranked > li")
    assert ranked.count() == 10
    expected = opened.request.get(f"{base}/api/match/providers?seeker=NAM&challenge=piracy&challenge=copyright")
    assert expected.json()["results"][0]["label"] in ranked.first.inner_text()  # the page ranks as the API does
    assert _shot(opened, "peers") > 10_000
    ranked.first.locator("a.brief").click()
    assert "Rank 1 of" in opened.locator("#rank").inner_text()
    assert opened.locator(".evidence-table tbody tr").count() >= 1
    assert problems == []


def test_sparql_console_runs_the_example_and_a_canned_question(page):
    opened, base, problems = page
    opened.goto(f"{base}/console/sparql")
    opened.click("#console-form button")
    assert opened.locator("#result tbody tr").count() == 17  # the bundled exchanges
    opened.click("#questions a >> nth=0")
    assert opened.locator("#result tbody tr").count() > 0
    assert opened.locator("#row-count a").first.get_attribute("href").startswith("/console/questions/")
    assert problems == []


ASSESSMENT = """seeker: NAM
challenges:
  - id: piracy
    weight: 3
  - copyright
exclude: [ZAF, KEN]
k: 5
"""


def test_brief_ranks_as_the_ranking_under_an_uploaded_assessment(page, tmp_path):
    opened, base, problems = page
    upload = tmp_path / "namibia.yaml"
    upload.write_text(ASSESSMENT, encoding="utf-8")
    opened.goto(f"{base}/peers")
    opened.set_input_files("#upload-form input[type=file]", str(upload))
    opened.click("#upload-form button[type=submit]")
    ranked = opened.locator("#ranked > li")
    assert ranked.count() == 5
    names = [ranked.nth(i).locator("h3 > a").first.inner_text() for i in range(5)]
    assert "South Africa" not in names and "Kenya" not in names
    first_score = ranked.first.locator(".score").inner_text()
    assert opened.locator("#asked-exclude").inner_text() == "Kenya, South Africa"
    ranked.first.locator("a.brief").click()
    assert opened.locator("#entity-label").count() == 0  # a brief, not an entity page
    assert "Rank 1 of" in opened.locator("#rank").inner_text()
    assert opened.locator("#brief-score").inner_text() == first_score
    assert names[0] in opened.locator("h1").inner_text()
    assert opened.locator("#asked-exclude").inner_text() == "Kenya, South Africa"
    assert problems == []


def test_api_docs_draw_with_every_outside_request_blocked(page):
    opened, base, problems = page
    opened.goto(f"{base}/docs")
    opened.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert opened.locator(".swagger-ui .opblock").count() >= 20
    assert _shot(opened, "docs") > 10_000
    opened.goto(f"{base}/redoc")
    opened.wait_for_function(
        "document.querySelector('redoc') && document.querySelector('redoc').innerText.includes('/api/match/providers')",
        timeout=30_000,
    )
    assert problems == []


def test_pages_fit_a_390_pixel_screen(page):
    opened, base, problems = page
    opened.set_viewport_size({"width": 390, "height": 844})
    brief = "/peers/brief?seeker=NAM&challenge=piracy&challenge=copyright&provider=ZAF"
    for name, path in [
        ("narrow-brief", brief),
        ("narrow-peers", "/peers?seeker=NAM&challenge=piracy&challenge=copyright"),
        ("narrow-search", "/search?q=copyright"),
        ("narrow-entity", "/id/country/NAM"),
        ("narrow-home", "/"),
    ]:
        opened.goto(base + path)
        width = opened.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide at a 390 px viewport"
        assert _shot(opened, name) > 5_000
    assert problems == []


def test_clicking_a_node_opens_its_page(page):
    opened, base, problems = page
    opened.goto(f"{base}/viz/ego?focus=NAM&max_nodes=60")
    opened.wait_for_function("typeof network !== 'undefined' && network.getPositions().constructor === Object")
    target = opened.evaluate(
        """() => {
          const node = nodes.get().find(n => n.href && n.href.startsWith('/id/institution/'));
          const point = network.canvasToDOM(network.getPositions([node.id])[node.id]);
          const box = document.getElementById('mynetwork').getBoundingClientRect();
          return {href: node.href, x: box.left + point.x, y: box.top + point.y};
        }"""
    )
    opened.mouse.click(target["x"], target["y"])
    opened.wait_for_url(base + target["href"], timeout=10_000)
    assert opened.locator("#entity-label").inner_text()
    assert problems == []
