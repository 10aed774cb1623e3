"""Plumbing shared by the command-line modules.

Consoles, the settings chosen by the global options, reading a query argument, and the one place domain errors
become messages and exit codes (2 rejected input, query or parameter; 3 store unavailable or locked; 4 not found).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console

from graph.errors import InvalidRequest, NotFound, QueryBusy, QueryRejected, QueryTimeout, StoreUnavailable
from graph.settings import Settings
from ingest.types import InputRejected

out = Console()
err = Console(stderr=True)
EXIT_INPUT, EXIT_STORE, EXIT_NOT_FOUND, EXIT_TIMEOUT = 2, 3, 4, 5
T = TypeVar("T")


class CliState:
    """What the global options decided, for the command that runs next."""

    settings: Settings


state = CliState()


def read_query(text: str) -> str:
    """Return a query given on the command line: the text itself, a .rq/.sparql/.cypher file, or ``-`` (stdin)."""
    if text == "-":
        return sys.stdin.read()
    path = Path(text)
    if len(text) < 4096 and path.suffix in (".rq", ".sparql", ".cypher") and path.is_file():
        return path.read_text(encoding="utf-8")
    return text


def fail(message: str, code: int) -> typer.Exit:
    """Print an error message and return the exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def run(action: Callable[[], T]) -> T:
    """Run a command body, turning domain errors into messages and exit codes."""
    try:
        return action()
    except InputRejected as error:
        err.print(f"[bold red]rejected:[/] {len(error.problems)} problem(s); nothing was written.", highlight=False)
        for problem in error.problems:
            err.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(EXIT_INPUT) from None
    except (QueryRejected, InvalidRequest) as error:
        raise fail(str(error), EXIT_INPUT) from None
    except (StoreUnavailable, QueryBusy) as error:
        raise fail(str(error), EXIT_STORE) from None
    except QueryTimeout as error:
        raise fail(str(error), EXIT_TIMEOUT) from None
    except NotFound as error:
        raise fail(str(error), EXIT_NOT_FOUND) from None
