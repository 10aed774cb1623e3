"""``peergraph cypher``, ``peergraph neo4j sync|export`` and ``peergraph db init``: the Neo4j side of the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli_support import err, out, read_query, state
from api.cli_support import run as _run
from graph.services.neo4j import cypher_parameters, export_neo4j, open_neo4j_store, run_cypher_readonly, sync_neo4j
from graph.services.store import open_rdf_store

neo4j_app = typer.Typer(help="Neo4j: project the RDF store into Neo4j, or export it back.", no_args_is_help=True)
db_app = typer.Typer(help="Database administration.", no_args_is_help=True)


def cypher(
    query: Annotated[str, typer.Argument(help="A Cypher query, a .cypher file, or - for standard input.")],
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE, repeatable.")] = None,
) -> None:
    """Run a read-only Cypher query on Neo4j (needs PEERGRAPH_NEO4J_URI); writes are refused."""

    def body():
        parameters = cypher_parameters(param or [])
        with open_neo4j_store(state.settings) as store:
            result = run_cypher_readonly(store, read_query(query), parameters)
        if format == "json":
            sys.stdout.write(
                json.dumps(
                    {"columns": result.columns, "rows": result.rows, "truncated": result.truncated},
                    default=str,
                    ensure_ascii=False,
                )
                + "\n"
            )
        elif format == "csv":
            import csv

            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(result.columns)
            for row in result.rows:
                writer.writerow([row.get(column, "") for column in result.columns])
        else:
            table = Table(*result.columns)
            for row in result.rows:
                table.add_row(*(str(row.get(column, "")) for column in result.columns))
            out.print(table)
            out.print(f"{len(result.rows)} row(s)" + (" (cut at the row cap)" if result.truncated else ""))

    _run(body)


def sync_neo4j_with_progress(fresh: bool) -> None:
    """Project the store into Neo4j with a progress line, then print what was written and skipped."""
    with (
        open_neo4j_store(state.settings) as neo4j_store,
        open_rdf_store(state.settings, read_only=True) as store,
        Progress(
            TextColumn("{task.description}"),
            TextColumn("{task.completed} subjects"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("projecting into Neo4j", total=None)
        report = sync_neo4j(
            store, neo4j_store, fresh=fresh, on_batch=lambda done: progress.update(task, completed=done)
        )
    out.print(
        f"neo4j run {report.run}: {report.nodes} nodes and {report.relationships} relationships written, "
        f"{report.removed_nodes} nodes and {report.removed_relationships} relationships removed "
        f"in {report.seconds:.1f} s"
    )
    for predicate, count in sorted(report.skipped_predicates.items()):
        err.print(
            f"[yellow]warning:[/] {count} triple(s) with {predicate} have no property-graph mapping "
            "and were not projected",
            highlight=False,
        )


@neo4j_app.command("sync")
def neo4j_sync(
    fresh: Annotated[bool, typer.Option(help="Delete everything in Neo4j first.")] = False,
) -> None:
    """Project the RDF store's public records into Neo4j (restricted records stay out)."""
    _run(lambda: sync_neo4j_with_progress(fresh))


@neo4j_app.command("export")
def neo4j_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="Turtle file to write.")],
) -> None:
    """Export Neo4j's projection back to RDF (Turtle), through the inverse mapping."""

    def body():
        with open_neo4j_store(state.settings) as store:
            count = export_neo4j(store, output)
        out.print(f"wrote {count} triples to {output}")

    _run(body)


@db_app.command("init")
def db_init() -> None:
    """Create Neo4j's constraints and indexes (idempotent; the sync does it too)."""

    def body():
        with open_neo4j_store(state.settings) as store:
            count = store.init_schema()
        out.print(f"neo4j schema: {count} constraint/index statements applied")

    _run(body)
