"""Desk-research commands: ``peergraph match``, ``peergraph ask`` and ``peergraph analytics …``.

They call the same services as ``/api/match``, ``/api/questions`` and ``/api/analytics``. The command
line is the store's operator, so it sees restricted records too; the HTTP API shows anonymous users
public records only.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli_support import out, state
from api.cli_support import run as _run
from api.views import render_view
from graph.errors import InvalidRequest
from graph.peers.assessment import build_request, read_assessment, request_from_assessment, resolve_challenge
from graph.services.neo4j import open_neo4j_store
from graph.services.query import open_query_store
from graph.services.questions import QUESTIONS, ask_cypher, ask_sparql, get_question, resolve_arguments
from graph.services.research import (
    GraphView,
    build_graph_view,
    ego_network,
    exchange_analytics,
    find_peers,
    shortest_connection,
)
from graph.services.store import open_rdf_store

analytics_app = typer.Typer(
    help="Network analytics over the exchange network and the whole graph.", no_args_is_help=True
)


def _view() -> GraphView:
    with open_rdf_store(state.settings, read_only=True) as store:
        return build_graph_view(store, include_restricted=True)


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def match(
    seeker: Annotated[str | None, typer.Option(help="Seeker country: ISO3, ISO2 or name.")] = None,
    challenge: Annotated[
        list[str] | None,
        typer.Option(help="Challenge id, label (any language) or IRI; repeat. Default: the seeker's projects'."),
    ] = None,
    assessment: Annotated[
        Path | None, typer.Option(help="Diagnostic-assessment file (YAML or JSON) instead of the options.")
    ] = None,
    sector: Annotated[
        list[str] | None, typer.Option(help="Cultural sector id or label (film-audiovisual, music…); repeat.")
    ] = None,
    text: Annotated[
        str, typer.Option(help="The seeker's challenges in its own words (en, fr or es); read for concepts.")
    ] = "",
    k: Annotated[int, typer.Option("-k", help="How many providers.")] = 10,
    kind: Annotated[str, typer.Option(help="country, institution or expert.")] = "country",
    diverse: Annotated[bool, typer.Option(help="Keep a third of the slots for other regions.")] = False,
    exclude_prior_ties: Annotated[
        bool, typer.Option(help="Leave out peers that already worked with the seeker.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer (stable shape).")] = False,
) -> None:
    """Rank knowledge-providers for a seeker's challenges, with score parts, evidence and sources."""

    def body() -> None:
        view = _view()
        if assessment is not None:
            request = request_from_assessment(view.index, read_assessment(assessment), source=str(assessment))
        elif seeker is None:
            raise InvalidRequest("--seeker", "give --seeker (and --challenge) or --assessment FILE")
        else:
            request = build_request(
                view.index,
                seeker=seeker,
                challenges=challenge or [],
                kind=kind,
                k=k,
                exclude_prior_ties=exclude_prior_ties,
                diverse=diverse,
                sectors=sector or [],
                text=text,
            )
        if as_json:  # complete: every evidence path and text match of every provider
            result = find_peers(view, request, every_path=True)
            sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
            return
        result = find_peers(view, request)
        labels = ", ".join(f"{view.index.concepts[c].label} ×{w:g}" for c, w in request.challenges.items())
        sectors = ", ".join(sorted(view.index.sectors[s].label for s in request.sectors)) or "any sector"
        out.print(f"Read as: challenges {labels}; sectors {sectors}. Correct with --challenge and --sector.")
        table = Table(title=f"{request.kind} providers for {result.seeker_label}", show_lines=False)
        numbers = ("#", "score", "depth", "evidence", "text", "region", "language", "ties")
        for column in ("#", "provider", *numbers[1:], "evidence (strongest)"):
            table.add_column(column, justify="right" if column in numbers else "left")
        for rank, candidate in enumerate(result.candidates, 1):
            s = candidate.signals
            top = candidate.evidence[0] if candidate.evidence else None
            words = candidate.text_matches[0] if candidate.text_matches else None
            if top:
                why = f"{top['via_kind']}: {top['via_label'][:60]} → {top['challenge_label']}"
            elif words:
                why = f"{words['via_kind']}: {words['via_label'][:60]} (words: {', '.join(words['matched_words'][:4])})"
            else:
                why = ""
            table.add_row(
                str(rank),
                candidate.provider.label + (" *" if candidate.diverse_pick else ""),
                f"{candidate.score:.3f}",
                f"{s['depth']:.2f}",
                f"{s['evidence']:.2f}",
                f"{s['text']:.2f}",
                f"{s['region']:.2f}",
                f"{s['language']:.2f}",
                f"{s['prior_ties']:.0f}",
                f"{why} (+{max(0, candidate.evidence_total - 1)})",
            )
        out.print(table)
        out.print(
            f"{result.considered} candidate(s) with evidence; (+N) counts each provider's other evidence: "
            "--json gives every path and source."
        )

    _run(body)


def ask(
    name: Annotated[str | None, typer.Argument(help="Question name; omit to list the catalogue.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE; repeat.")] = None,
    backend: Annotated[str, typer.Option(help="sparql (RDF store) or cypher (Neo4j).")] = "sparql",
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Run a canned desk-research question by name (SPARQL on the store, or Cypher on Neo4j)."""

    def body() -> None:
        if name is None:
            # plain lines, not a table: the names must be typed, so they are never cut or wrapped
            for question in QUESTIONS.values():
                params = " ".join(f"-p {p.name}={p.example}" for p in question.parameters)
                out.print(f"[bold]{question.name}[/]  {params}", highlight=False, soft_wrap=True)
                out.print(f"    {question.title}", highlight=False)
            out.print(f"{len(QUESTIONS)} questions: peergraph ask NAME -p NAME=VALUE", highlight=False)
            return
        question = get_question(name)
        raw: dict[str, str] = {}
        for item in param or []:
            key, sep, value = item.partition("=")
            if not sep:
                raise InvalidRequest("--param", f"expected NAME=VALUE, got {item!r}")
            raw[key.strip()] = value
        if backend not in ("sparql", "cypher"):
            raise InvalidRequest("--backend", "use sparql or cypher")
        settings = state.settings
        with open_query_store(settings) as store:
            view = build_graph_view(store, include_restricted=backend == "sparql")
            arguments = resolve_arguments(view, question, raw)
            if backend == "sparql":
                result = ask_sparql(store, view, question, arguments, max_rows=settings.max_rows)
            else:
                neo4j_store = open_neo4j_store(settings)
                try:
                    result = ask_cypher(neo4j_store, view, question, arguments)
                finally:
                    neo4j_store.close()
        _print_rows(result.columns, result.rows, result.labels, fmt)

    _run(body)


def _print_rows(columns: list[str], rows: list[dict[str, Any]], labels: dict[str, str], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(
            json.dumps({"columns": columns, "rows": rows, "labels": labels}, ensure_ascii=False, indent=2) + "\n"
        )
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if row[c] is None else row[c] for c in columns] for row in rows])
    else:
        table = Table()
        for column in columns:
            table.add_column(column)
        for row in rows:
            cells = []
            for column in columns:
                value = row[column]
                cells.append(
                    f"{labels[value]} ({_short(value)})" if value in labels else "" if value is None else str(value)
                )
            table.add_row(*cells)
        out.print(table)
        out.print(f"{len(rows)} row(s)")


def viz(
    kind: Annotated[str, typer.Argument(help="exchanges, ego, match or programme.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")],
    focus: Annotated[str | None, typer.Option(help="ego: entity id or IRI.")] = None,
    seeker: Annotated[str | None, typer.Option(help="match: seeker ISO3.")] = None,
    challenge: Annotated[list[str] | None, typer.Option(help="match: challenge id; repeat.")] = None,
    programme: Annotated[str | None, typer.Option(help="programme: programme id (EF1, EF2).")] = None,
    topic: Annotated[list[str] | None, typer.Option(help="exchanges: challenge id; repeat.")] = None,
    since: Annotated[int | None, typer.Option(help="exchanges: first year.")] = None,
    until: Annotated[int | None, typer.Option(help="exchanges: last year.")] = None,
    max_nodes: Annotated[int, typer.Option(help="ego: most nodes (nearest kept).")] = 500,
) -> None:
    """Write a network view as one self-contained HTML file (opens offline, from email too)."""

    def body() -> None:
        page = render_view(
            _view(),
            kind,
            focus=focus,
            seeker=seeker,
            challenges=challenge,
            programme=programme,
            topics=topic,
            since=since,
            until=until,
            max_nodes=max_nodes,
        )
        partial = output.with_name(output.name + ".part")
        partial.write_text(page, encoding="utf-8")
        partial.replace(output)
        out.print(f"wrote {output} ({len(page) // 1024} KiB)")

    _run(body)


@analytics_app.command("exchanges")
def analytics_exchanges(
    topic: Annotated[list[str] | None, typer.Option(help="Only exchanges on this challenge; repeat.")] = None,
    since: Annotated[int | None, typer.Option(help="First year.")] = None,
    until: Annotated[int | None, typer.Option(help="Last year.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Centrality, giving and receiving, South-South/North-South flows and communities of the exchange network."""

    def body() -> None:
        view = _view()
        topics = [resolve_challenge(view.index, text, parameter="--topic") for text in topic or []]
        years = (since or 0, until or 9999) if since or until else None
        summary = exchange_analytics(view, topics=topics, years=years)
        if as_json:
            sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
            return
        table = Table(title=f"exchange network: {summary['exchanges']} exchange(s), {summary['pairs']} pair(s)")
        for column in ("country", "given", "received", "degree", "betweenness", "pagerank"):
            table.add_column(column, justify="left" if column == "country" else "right")
        ranked = sorted(summary["countries"].items(), key=lambda kv: (-kv[1]["pagerank"], kv[0]))
        for iri, values in ranked:
            table.add_row(
                f"{values['label']} ({_short(iri)})",
                str(values["given"]),
                str(values["received"]),
                f"{values['degree']:.3f}",
                f"{values['betweenness']:.3f}",
                f"{values['pagerank']:.3f}",
            )
        out.print(table)
        out.print("flows: " + ", ".join(f"{k} {v}" for k, v in summary["flows"]["counts"].items()))
        for number, group in enumerate(summary["communities"], 1):
            out.print(f"community {number}: " + ", ".join(_short(iri) for iri in group))

    _run(body)


@analytics_app.command("path")
def analytics_path(
    source: Annotated[str, typer.Argument(help="Entity id or IRI.")],
    target: Annotated[str, typer.Argument(help="Entity id or IRI.")],
) -> None:
    """Show the shortest chain of facts linking two entities."""

    def body() -> None:
        view = _view()
        steps = shortest_connection(
            view, view.resolve(source, parameter="SOURCE"), view.resolve(target, parameter="TARGET")
        )
        if not steps:
            out.print("no connection")
        for step in steps:
            arrow = f"-[{step['kind']}]->" if step["direction"] == "forward" else f"<-[{step['kind']}]-"
            out.print(f"{step['from_label']} {arrow} {step['to_label']}", highlight=False)

    _run(body)


@analytics_app.command("ego")
def analytics_ego(
    focus: Annotated[str, typer.Argument(help="Entity id or IRI.")],
    radius: Annotated[int, typer.Option(help="Steps from the entity.")] = 2,
    max_nodes: Annotated[int, typer.Option(help="Most nodes kept (nearest first).")] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="Print nodes and edges as JSON.")] = False,
) -> None:
    """List the bounded neighbourhood of an entity."""

    def body() -> None:
        view = _view()
        sub, cut = ego_network(view, view.resolve(focus, parameter="FOCUS"), radius=radius, max_nodes=max_nodes)
        nodes = [
            {"id": n, "label": d.get("label", n), "type": d.get("type", ""), "distance": d["distance"]}
            for n, d in sorted(sub.nodes(data=True), key=lambda nd: (nd[1]["distance"], nd[0]))
        ]
        if as_json:
            edges = [{"from": u, "to": v, "kind": key} for u, v, key in sorted(sub.edges(keys=True))]
            sys.stdout.write(json.dumps({"nodes": nodes, "edges": edges, "cut": cut}, ensure_ascii=False) + "\n")
            return
        for node in nodes:
            out.print(f"{node['distance']}  {node['type']:<14} {node['label']}", highlight=False)
        out.print(f"{len(nodes)} node(s), {sub.number_of_edges()} edge(s)" + (f"; cut at {max_nodes}" if cut else ""))

    _run(body)
