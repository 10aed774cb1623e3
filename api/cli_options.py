"""Global options of ``peergraph`` accepted anywhere on the line: ``peergraph demo --no-serve --store X``.

Click reads a group's options only before the subcommand; :class:`GlobalOptionsGroup` moves ``--store``
(with its value) and ``--verbose``/``-v`` found after it to the front before parsing. Nothing after ``--``
is moved.
"""

from __future__ import annotations

import click
from typer.core import TyperGroup

#: Options of the top-level group that take a value, and flags.
VALUED = ("--store",)
FLAGS = ("--verbose", "-v")


def hoist_global_options(args: list[str]) -> list[str]:
    """Return ``args`` with the global options moved before the subcommand.

    Examples
    --------
    >>> hoist_global_options(["demo", "--no-serve", "--store", "x", "-v"])
    ['--store', 'x', '-v', 'demo', '--no-serve']
    >>> hoist_global_options(["sparql", "--", "--store"])
    ['sparql', '--', '--store']
    """
    moved: list[str] = []
    rest: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            rest += args[position:]
            break
        if arg in VALUED and position + 1 < len(args):
            moved += [arg, args[position + 1]]
            position += 2
            continue
        if arg in FLAGS or any(arg.startswith(name + "=") for name in VALUED):
            moved.append(arg)
        else:
            rest.append(arg)
        position += 1
    return moved + rest


class GlobalOptionsGroup(TyperGroup):
    """The top-level command group, reading its options wherever they stand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Hoist the global options, then parse as usual."""
        return super().parse_args(ctx, hoist_global_options(list(args)))
