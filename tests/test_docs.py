"""The README cannot drift: settings, CLI commands and routes are all mentioned."""

import re

import typer.main

from api.app import create_app
from api.cli import app as cli_app
from graph.peers.catalogue import KINDS
from graph.settings import Settings
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table():
    for name in Settings.model_fields:
        assert f"`PEERGRAPH_{name.upper()}`" in README, name


def test_every_cli_command_is_in_the_readme():
    group = typer.main.get_command(cli_app)
    names = [
        f"{name} {sub}" if sub else name
        for name, command in group.commands.items()
        for sub in getattr(command, "commands", None) or [None]
    ]
    assert "ontology generate" in names and "ingest" in names
    for name in names:
        assert f"peergraph {name}" in README, name


def test_every_route_is_in_the_readme(tmp_path):
    app = create_app(Settings(store=tmp_path / "s", _env_file=None))
    paths = set(app.openapi()["paths"])
    assert "/sparql" in paths
    for path in paths:
        kind = path.split("/")[2] if path.startswith("/api/") else ""
        if kind in KINDS:  # one route per kind of entity, documented once as /api/{kind}
            assert f"`{kind}`" in README, kind
            path = path.replace(f"/api/{kind}", "/api/{kind}")
        assert f"`{path}`" in README, path


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^```(?:sh|bash)?\n(.*?)\n```", section, flags=re.S | re.M)
    assert [c.strip() for c in commands] == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
