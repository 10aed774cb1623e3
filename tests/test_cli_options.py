"""The command line as a newcomer types it: global options after the command, export to standard output,
question names listed whole."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from api.cli import app
from api.cli_options import hoist_global_options
from graph.services.questions import QUESTIONS


def test_global_options_after_the_command(demo_settings):
    runner = CliRunner()
    after = runner.invoke(app, ["stats", "--json", "--store", str(demo_settings.store)])
    before = runner.invoke(app, ["--store", str(demo_settings.store), "stats", "--json"])
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert json.loads(after.stdout)["triples"] > 1000
    assert hoist_global_options(["demo", "--no-serve", "--store=x"]) == ["--store=x", "demo", "--no-serve"]


def test_demo_takes_the_store_after_its_options(tmp_path):
    store = tmp_path / "store"
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "demo", "--no-serve", "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "demo data:" in done.stdout and store.is_dir()


def test_export_without_output_writes_to_standard_output(cli, demo_settings):
    done = cli("export", "-f", "nt", settings=demo_settings)
    assert done.exit_code == 0, done.output
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) > 1000 and all(line.endswith(" .") for line in lines)
    assert "wrote" not in done.stdout and "to standard output" in done.stderr
    assert cli("export", "-f", "csv", settings=demo_settings).exit_code == 2


def test_ask_lists_every_question_name_whole(cli, demo_settings):
    listed = cli("ask", settings=demo_settings)
    assert listed.exit_code == 0
    starts = {line.split()[0] for line in listed.stdout.splitlines() if line and not line.startswith(" ")}
    assert set(QUESTIONS) <= starts
