"""The five top-level packages have generic names: each must resolve to this repository."""

import importlib

import pytest

from tests.helpers import REPO


@pytest.mark.parametrize("name", ["ontology", "ingest", "graph", "api", "viz"])
def test_package_resolves_to_this_repository(name):
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert module.__file__.startswith(str(REPO / name)), module.__file__


def test_importing_packages_opens_nothing(tmp_path, monkeypatch):
    """No import-time side effects: importing everything creates no store folder and reads no settings."""
    import subprocess
    import sys

    code = "import ontology, ingest, graph.services, graph.rdf.store, api.app, api.cli, viz"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, env={"PATH": "/usr/bin:/bin"})
    assert list(tmp_path.iterdir()) == []
