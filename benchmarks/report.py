"""Where benchmark results go: figures into results.json, one marked section per benchmark into results.md.

Each benchmark replaces only its own section (between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``), so
benchmarks can run alone or in any order without erasing or repeating each other's results.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLE = "# Benchmark results\n"


def update_results_json(figures: dict[str, object]) -> None:
    """Merge figures into benchmarks/results.json (keys sorted)."""
    path = HERE / "results.json"
    existing = json.loads(path.read_text()) if path.exists() else {}
    existing.update(figures)
    path.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")


def replace_section(name: str, body: str) -> None:
    """Write ``body`` as the section ``name`` of benchmarks/results.md, replacing its previous run."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\n{body.strip()}\n{end}"
    path = HERE / "results.md"
    text = path.read_text(encoding="utf-8") if path.exists() else TITLE
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
