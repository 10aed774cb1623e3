"""The ``peergraph`` command line: the same services as the HTTP API, for the shell.

Errors are printed as messages (never tracebacks) with distinct exit codes: 2 rejected input or query,
3 store unavailable or locked, 4 not found.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api import cli_keys, cli_neo4j, cli_research
from api.cli_neo4j import sync_neo4j_with_progress
from api.cli_options import GlobalOptionsGroup
from api.cli_support import EXIT_INPUT, EXIT_STORE, err, out, read_query, state
from api.cli_support import fail as _fail
from api.cli_support import run as _run
from graph.errors import QueryRejected, StoreUnavailable
from graph.results import serialize_graph, serialize_solutions
from graph.services import exports
from graph.services import research as desk_research
from graph.services.query import open_query_store, run_sparql
from graph.services.store import (
    ingest_paths,
    init_store,
    load_demo,
    open_rdf_store,
    remove_sources,
    store_exists,
    store_stats,
    validate_paths,
)
from graph.settings import Settings

app = typer.Typer(
    cls=GlobalOptionsGroup,  # --store and --verbose also after the subcommand
    help="peergraph: a knowledge graph of cultural-policy peers, measures and exchanges.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
ontology_app = typer.Typer(help="Work on the ontology: regenerate or check ontology/terms.py.", no_args_is_help=True)
app.add_typer(ontology_app, name="ontology")
app.add_typer(cli_neo4j.neo4j_app, name="neo4j")
app.add_typer(cli_neo4j.db_app, name="db")
app.command("match")(cli_research.match)
app.command("ask")(cli_research.ask)
app.command("viz")(cli_research.viz)
app.add_typer(cli_research.analytics_app, name="analytics")
app.add_typer(cli_keys.keys_app, name="keys")


@app.callback()
def main_options(
    store: Annotated[
        Path | None, typer.Option(help="Store folder (default: PEERGRAPH_STORE or .peergraph/store).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    """Set options shared by every command (given before or after the command's name)."""
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(message)s")
    logging.getLogger("bm25s").setLevel(level)  # bm25s sets its own logger to DEBUG on import
    settings = Settings()
    state.settings = settings.model_copy(update={"store": store}) if store else settings


@app.command()
def init() -> None:
    """Create the store and load the ontology, vocabularies and country reference."""

    def body():
        with open_rdf_store(state.settings) as store:
            loaded = init_store(store)
        out.print(
            f"store {state.settings.store}: {len(loaded)} built-in source(s) loaded"
            + ("" if loaded else " (already up to date)")
        )

    _run(body)


def _print_batch(batch, report=None) -> None:
    table = Table(title="ingest summary" if report else "validation summary")
    for name in ("source", "records", "triples", "status"):
        table.add_column(name, justify="right" if name in ("records", "triples") else "left")
    loaded = {source.name for source in report.loaded} if report else set()
    for source in batch.sources:
        status = ("loaded" if source.name in loaded else "unchanged") if report else "valid"
        records = ", ".join(f"{k} {v}" for k, v in source.report.records.items()) or "0"
        table.add_row(source.name, records, str(len(source.triples)), status)
    out.print(table)
    for warning in batch.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders: a folder of CSV files, .csv, .xlsx, .json, .jsonl, .ttl, .nt, .nq, .jsonld, .trig."
        ),
    ],
    name: Annotated[str | None, typer.Option(help="Source name for a single file (default: file name).")] = None,
    force: Annotated[bool, typer.Option(help="Reload files even if unchanged.")] = False,
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Then project the store into Neo4j.")] = False,
) -> None:
    """Validate files and load them into the store, all or nothing (then into Neo4j with --neo4j)."""

    def body():
        with (
            open_rdf_store(state.settings) as store,
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as progress,
        ):
            task = progress.add_task("reading and validating", total=None)
            batch, report = ingest_paths(store, paths, state.settings, name=name, force=force)
            progress.update(task, completed=1, total=1)
        _print_batch(batch, report)
        out.print(f"run {report.run}: {len(report.loaded)} source(s) loaded, {len(report.unchanged)} unchanged")
        if neo4j:
            sync_neo4j_with_progress(fresh=False)

    _run(body)


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to check.")],
    name: Annotated[str | None, typer.Option(help="Source name for a single file.")] = None,
) -> None:
    """Check files as `ingest` would, without writing anything (references may point into the store)."""

    def body():
        store = None
        if store_exists(state.settings):
            try:
                store = open_rdf_store(state.settings, read_only=True)
            except StoreUnavailable:
                store = None
        try:
            batch = validate_paths(store, paths, state.settings, name=name)
        finally:
            if store is not None:
                store.close()
        _print_batch(batch)
        out.print(
            f"valid: {sum(s.report.record_count for s in batch.sources)} record(s), "
            f"{batch.triple_count} triple(s); nothing was written"
        )

    _run(body)


@app.command()
def sparql(
    query: Annotated[str, typer.Argument(help="A query, a .rq file, or - for standard input.")],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table, json, csv, tsv or xml (SELECT/ASK); turtle, nt, json-ld (CONSTRUCT/DESCRIBE).",
        ),
    ] = "table",
) -> None:
    """Run a read-only SPARQL query; the default graph is the union of data, ontology and vocabularies.

    The command line is the store's operator: it sees restricted records too (``/sparql`` does not,
    without an API key).
    """

    def body():
        with open_query_store(state.settings) as store:
            result = run_sparql(store, read_query(query), max_rows=state.settings.max_rows, include_restricted=True)
        if result.kind == "graph":
            fmt = format if format in ("turtle", "nt", "json-ld") else "turtle"
            sys.stdout.write(serialize_graph(result, fmt))
        elif format == "table":
            if result.kind == "ask":
                out.print("true" if result.boolean else "false")
                return
            table = Table(*result.variables)
            for row in result.rows:
                table.add_row(*(str(row.get(name, "")) for name in result.variables))
            out.print(table)
            out.print(f"{len(result.rows)} row(s)" + (" (cut at the row cap)" if result.truncated else ""))
        elif format in ("json", "csv", "tsv", "xml"):
            sys.stdout.write(serialize_solutions(result, format) + ("\n" if format in ("json", "xml") else ""))
        else:
            raise QueryRejected(f"unknown format {format!r}; use table, json, csv, tsv or xml")
        if result.truncated:
            err.print(f"[yellow]warning:[/] more results exist; cut at {state.settings.max_rows} (PEERGRAPH_MAX_ROWS)")

    _run(body)


app.command("cypher")(cli_neo4j.cypher)


def _print_coverage(as_json: bool) -> None:
    with open_rdf_store(state.settings, read_only=True) as store:
        report = desk_research.coverage(desk_research.build_graph_view(store, include_restricted=True))
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    areas = Table(
        "area of monitoring", "measures", "projects", "exchanges", "countries", title="records per monitoring area"
    )
    for area in report.areas:
        areas.add_row(area.label, str(area.measures), str(area.projects), str(area.exchanges), str(area.countries))
    out.print(areas)
    sectors = Table("sector", "measures", title="measures per sector")
    for _iri, label, measures in report.sectors:
        sectors.add_row(label, str(measures))
    out.print(sectors)
    countries = Table(
        "country", "measures", "projects", "exchanges", "institutions", "creative cities", title="records per country"
    )
    for row in report.countries:
        countries.add_row(
            row.label,
            *(str(n) for n in (row.measures, row.projects, row.exchanges, row.institutions, row.creative_cities)),
        )
    out.print(countries)
    hosts = Table("source host", "records", title="records per source host")
    for host, records in report.hosts:
        hosts.add_row(host, str(records))
    out.print(hosts)
    out.print(
        f"{len(report.countries)} of {report.countries_known} countries have records; "
        + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in report.totals.items())
    )


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    coverage: Annotated[
        bool, typer.Option("--coverage", help="Records per country, monitoring area, sector and source host.")
    ] = False,
) -> None:
    """Show what the store holds: sources, triples and records per class (or its coverage)."""

    def body():
        if coverage:
            _print_coverage(as_json)
            return
        with open_rdf_store(state.settings, read_only=True) as store:
            result = store_stats(store, include_restricted=True)
        if as_json:
            sys.stdout.write(
                json.dumps(
                    {
                        "triples": result.triples,
                        "classes": result.classes,
                        "sources": [
                            {
                                "name": s.name,
                                "records": s.record_count,
                                "triples": s.triple_count,
                                "sha256": s.sha256,
                                "loaded_at": s.loaded_at,
                            }
                            for s in result.sources
                        ],
                    },
                    indent=2,
                )
                + "\n"
            )
            return
        table = Table("source", "records", "triples", "loaded at", title=f"store {state.settings.store}")
        for source in result.sources:
            table.add_row(source.name, str(source.record_count), str(source.triple_count), source.loaded_at)
        out.print(table)
        classes = Table("class", "records")
        for name, count in result.classes.items():
            classes.add_row(name, str(count))
        out.print(classes)
        out.print(f"{result.triples} triples in {len(result.sources)} sources")

    _run(body)


@app.command()
def remove(
    names: Annotated[list[str], typer.Argument(help="Source names, as `peergraph stats` lists them.")],
) -> None:
    """Remove sources (and their triples) from the store, all at once."""

    def body():
        with open_rdf_store(state.settings) as store:
            removed = remove_sources(store, names)
        out.print(f"removed {len(removed)} source(s): {', '.join(removed)}")

    _run(body)


@app.command()
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (or folder, for csv) to write; default: stdout.")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="ttl, nt, nq, jsonld; csv (a folder); graphml, gexf.")
    ] = "ttl",
    include_builtin: Annotated[
        bool, typer.Option("--all", help="Include ontology, vocabularies and the country reference.")
    ] = False,
    filter: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="KEY=VALUE selecting records; repeat. Keys: kind, q, region, policy_area, challenge, year, language.",
        ),
    ] = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Leave restricted records out.")] = False,
) -> None:
    """Export the store's data: RDF, CSV tables in the ingest format, or GraphML/GEXF for Gephi."""

    def body():
        filters = exports.parse_filters(filter or [])
        if output is None and format == "csv":
            raise QueryRejected("csv writes a folder of tables: give -o FOLDER")
        with tempfile.TemporaryDirectory(prefix="peergraph-export-") as temporary:
            target = output or Path(temporary) / f"export.{format}"
            with open_rdf_store(state.settings, read_only=True) as store:
                count = exports.export(
                    store,
                    format,
                    target,
                    include_builtin=include_builtin,
                    include_restricted=not public_only,
                    filters=filters,
                )
            if output is None:
                sys.stdout.buffer.write(target.read_bytes())
                sys.stdout.flush()
        unit = {"csv": "records", "graphml": "nodes", "gexf": "nodes", "nq": "quads"}.get(format, "triples")
        (out if output else err).print(f"wrote {count} {unit} to {output or 'standard output'}")

    _run(body)


@app.command()
def templates(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the CSV templates and peergraph.xlsx.")
    ] = Path("peergraph-templates"),
) -> None:
    """Write blank input templates: one CSV per table and a workbook with one sheet per table."""
    from ingest.templates import write_csv_templates, write_xlsx_template

    files = write_csv_templates(output)
    files.append(write_xlsx_template(output / "peergraph.xlsx"))
    out.print(f"wrote {len(files)} templates to {output}")


def _serve(host: str, port: int) -> None:
    import uvicorn

    from api.app import create_app
    from api.long_url import LongUrlRefusingProtocol

    application = create_app(state.settings)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            # uvicorn waits for requests in flight; kill the query workers first so running queries end now
            # (without locks or waits: a second Ctrl+C or SIGTERM may arrive while this handler runs).
            pool = getattr(application.state, "query_pool", None)
            if pool is not None:
                pool.stop_queries()
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    out.print(f"serving {state.settings.store} at http://{host}:{port}  (Ctrl+C to stop)")
    config = uvicorn.Config(application, host=host, port=port, log_level="warning", http=LongUrlRefusingProtocol)
    Server(config).run()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the web UI and API over the store (read-only; ingests may run beside it)."""
    _run(lambda: _serve(host, port))


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the data after loading.")] = True,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Load the bundled real programme data (and into Neo4j if configured), then serve it at http://HOST:PORT."""

    def body():
        with open_rdf_store(state.settings) as store:
            batch, report = load_demo(store, state.settings)
        out.print(
            f"demo data: {sum(s.report.record_count for s in batch.sources)} records, "
            f"{batch.triple_count} triples ({len(report.loaded)} source(s) loaded, "
            f"{len(report.unchanged)} unchanged) in {state.settings.sparql_query_url or state.settings.store}"
        )
        if state.settings.neo4j_uri:
            sync_neo4j_with_progress(fresh=False)
        if serve_after:
            _serve(host, port)

    _run(body)


@app.command()
def request(
    method: Annotated[str, typer.Argument(help="HTTP method, e.g. GET.")],
    path: Annotated[str, typer.Argument(help="Path with query string, e.g. /health.")],
) -> None:
    """Run one HTTP request through the app in-process and print the response body."""

    def body():
        from fastapi.testclient import TestClient

        from api.app import create_app

        with TestClient(create_app(state.settings)) as client:
            response = client.request(method.upper(), path)
        sys.stdout.write(response.text + ("\n" if not response.text.endswith("\n") else ""))
        if response.status_code >= 400:
            raise typer.Exit(EXIT_INPUT if response.status_code < 500 else EXIT_STORE)

    _run(body)


@ontology_app.command("generate")
def ontology_generate() -> None:
    """Regenerate ontology/terms.py from ontology/peergraph.ttl."""
    from ontology.codegen import write_terms
    from ontology.vocabulary import ontology_path, package_dir

    changed = write_terms(ontology_path(), package_dir() / "terms.py")
    out.print("ontology/terms.py " + ("regenerated" if changed else "is up to date"))


@ontology_app.command("check")
def ontology_check() -> None:
    """Check that terms.py is current and that every term has a label and comment."""
    from ontology.checks import ontology_problems

    problems = ontology_problems()
    for problem in problems:
        err.print(f"  {problem}", highlight=False, markup=False)
    if problems:
        raise _fail(f"{len(problems)} ontology problem(s)", EXIT_INPUT)
    out.print("ontology OK: terms.py current; every term labelled and commented; shapes parse")


def main() -> None:
    """Run the ``peergraph`` console script."""
    app()


if __name__ == "__main__":
    main()
