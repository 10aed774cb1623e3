"""The served pages in a real headless Chromium: they load, draw, and log no console error."""

import subprocess

import pytest

from tests.helpers import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = REPO / "tests" / "artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
    "--virtual-time-budget=5000",
    "--enable-logging=stderr",
    "--v=0",
]


def _chromium(chromium, tmp_path, *args):
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_home_page_draws_without_console_errors(chromium, served, tmp_path):
    from PIL import Image

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "home.png"
    done = _chromium(chromium, tmp_path, f"--screenshot={shot}", f"{served}/")
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert not [line for line in console if "error" in line.lower() or "uncaught" in line.lower()], console
    assert "Failed to load resource" not in done.stderr
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 900)
    drawn = sum(1 for pixel in image.getdata() if pixel != (255, 255, 255))
    assert drawn > 10_000, f"only {drawn} non-white pixels: the page looks empty"


def test_home_page_dom_shows_the_bundled_counts(chromium, served, tmp_path):
    done = _chromium(chromium, tmp_path, "--dump-dom", f"{served}/")
    assert done.returncode == 0
    assert "PolicyMeasure" in done.stdout and ">168<" in done.stdout
    assert "sample/measures.csv" in done.stdout
