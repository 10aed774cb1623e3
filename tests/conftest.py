"""Fixtures: settings per test, in-memory and on-disk stores, the demo store, CLI runner, app client.

Real-component markers: tests marked ``neo4j`` or ``browser`` may skip on a developer's machine when
the component is missing, but under CI (``CI=true``) such a skip is turned into a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from graph import services
from graph.rdf_store import RdfStore
from graph.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a store folder of this test's own."""
    return Settings(store=tmp_path / "store", _env_file=None)


@pytest.fixture
def store(settings: Settings):
    """An on-disk store opened for writing, with the built-in sources loaded; closed after the test."""
    opened = RdfStore(settings.store)
    services.init_store(opened)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory) -> Path:
    """A store holding the bundled sample data, built once per session (read it; never write it)."""
    path = tmp_path_factory.mktemp("demo") / "store"
    settings = Settings(store=path, _env_file=None)
    opened = RdfStore(path)
    services.load_demo(opened, settings)
    opened.close()
    return path


@pytest.fixture
def demo_settings(demo_store_path: Path, tmp_path: Path) -> Settings:
    """Settings pointing at a private copy of the demo store (tests may write to it)."""
    copy = tmp_path / "demo-store"
    shutil.copytree(demo_store_path, copy, ignore=shutil.ignore_patterns("LOCK", "peergraph-writer.lock"))
    return Settings(store=copy, _env_file=None)


@pytest.fixture
def client(demo_settings: Settings):
    """A TestClient around the app serving a copy of the demo store."""
    with TestClient(create_app(demo_settings)) as test_client:
        yield test_client


@pytest.fixture
def cli():
    """Run the ``peergraph`` CLI in-process: ``cli("stats", "--json", settings=…)``."""
    from api.cli import app

    runner = CliRunner()

    def invoke(*args: str, settings: Settings | None = None, input: str | None = None):
        prefix = ["--store", str(settings.store)] if settings is not None else []
        return runner.invoke(app, [*prefix, *args], input=input)

    return invoke


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI, a skipped real-component test (neo4j, browser) fails instead."""
    outcome = yield
    report = outcome.get_result()
    real_component = item.get_closest_marker("neo4j") or item.get_closest_marker("browser")
    if report.skipped and real_component and os.environ.get("CI") == "true":
        report.outcome = "failed"
        report.longrepr = f"CI must run real-component tests, but this one skipped: {report.longrepr}"
