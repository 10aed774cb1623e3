"""SPARQL and Cypher consoles: a query box, results as a table, CSV/JSON downloads, canned questions one click away."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import AccessDep, GraphViewDep, RdfStoreDep, SettingsDep
from graph.errors import NEO4J_HOW_TO, InvalidRequest, QueryRejected, StoreUnavailable
from graph.property_graph.term_labels import ontology_terms
from graph.results import to_table
from graph.services.neo4j import cypher_parameters, run_cypher_readonly
from graph.services.query import run_sparql
from graph.services.questions import QUESTIONS, ask_cypher, ask_sparql, bound_sparql, get_question, resolve_arguments
from ingest.formulas import neutralise
from ontology.namespaces import PREFIXES

router = APIRouter(prefix="/console", tags=["pages"])
_ONTOLOGY = str(PREFIXES["pg"])

SPARQL_EXAMPLE = """SELECT ?seeker ?provider ?topic ?year WHERE {
  ?x a pg:PeerExchange ; pg:seeker/rdfs:label ?seeker ; pg:provider/rdfs:label ?provider ; pg:topic ?topic .
  FILTER(LANG(?seeker) = "en" && LANG(?provider) = "en")
  OPTIONAL { ?x pg:year ?year }
} ORDER BY ?year"""
CYPHER_EXAMPLE = """MATCH (x:PeerExchange)-[:SEEKER]->(s:Country), (x)-[:PROVIDER]->(p:Country)
RETURN s.label_en AS seeker, p.label_en AS provider, x.year AS year ORDER BY year"""


def _questions() -> list[dict[str, Any]]:
    return [
        {"name": q.name, "title": q.title, "example": {p.name: p.example for p in q.parameters}}
        for q in QUESTIONS.values()
    ]


def _download(columns: list[str], rows: list[dict[str, Any]], fmt: str, name: str) -> Response:
    if fmt == "json":
        body = json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False, indent=1, default=str)
        media = "application/json"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: neutralise(str(value)) for key, value in row.items()} for row in rows)  # spreadsheets
        body, media = buffer.getvalue(), "text/csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return Response(body, media_type=media, headers=headers)


def _render(request: Request, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, "console.html", context, status_code=status)


Format = Annotated[str | None, Query(pattern="^(csv|json)$", description="Download the rows as csv or json.")]


@router.get("/sparql", response_class=HTMLResponse)
def sparql_console(
    request: Request,
    store: RdfStoreDep,
    view: GraphViewDep,
    settings: SettingsDep,
    access: AccessDep,
    query: str | None = None,
    format: Format = None,
) -> Response:
    """Run a SPARQL query and show the rows (links for peergraph IRIs)."""
    context: dict[str, Any] = {
        "language": "SPARQL",
        "action": "/console/sparql",
        "query_text": query or SPARQL_EXAMPLE,
        "questions": _questions(),
        "backend": "sparql",
        "labels": {},
    }
    status = 200
    if query:
        try:
            result = run_sparql(store, query, max_rows=settings.max_rows, include_restricted=access.include_restricted)
            columns, rows = to_table(result)
            if format:
                return _download(columns, rows, format, "sparql-results")
            context["table"] = {"columns": columns, "rows": rows, "truncated": result.truncated}
            context["labels"] = _labels(view, rows)
            context["downloads"] = {
                f: "/console/sparql?" + urlencode({"query": query, "format": f}) for f in ("csv", "json")
            }
        except QueryRejected as error:
            context["error"], status = str(error), 400
    return _render(request, context, status)


@router.get("/cypher", response_class=HTMLResponse)
def cypher_console(
    request: Request,
    view: GraphViewDep,
    query: str | None = None,
    format: Format = None,
    param: Annotated[list[str] | None, Query(description="NAME=VALUE (VALUE read as JSON); repeat.")] = None,
) -> Response:
    """Run a read-only Cypher query on Neo4j and show the rows; says how to start Neo4j when there is none."""
    neo4j_store = request.app.state.neo4j_store
    context: dict[str, Any] = {
        "language": "Cypher",
        "action": "/console/cypher",
        "query_text": query or CYPHER_EXAMPLE,
        "questions": _questions(),
        "backend": "cypher",
        "labels": {},
        "unavailable": None if neo4j_store is not None else NEO4J_HOW_TO,
        "parameters": param or [],
    }
    status = 200
    if query and neo4j_store is not None:
        try:
            result = run_cypher_readonly(neo4j_store, query, cypher_parameters(param or []))
            rows = [{k: v for k, v in row.items()} for row in result.rows]
            if format:
                return _download(result.columns, rows, format, "cypher-results")
            context["table"] = {"columns": result.columns, "rows": rows, "truncated": result.truncated}
            context["labels"] = _labels(view, rows)
            bound = [("param", item) for item in param or []]
            context["downloads"] = {
                f: "/console/cypher?" + urlencode([("query", query), ("format", f), *bound]) for f in ("csv", "json")
            }
        except (QueryRejected, StoreUnavailable) as error:
            context["error"], status = str(error), 400 if isinstance(error, QueryRejected) else 503
    return _render(request, context, status)


@router.get("/questions/{name}", response_class=HTMLResponse)
def question_console(
    name: str,
    request: Request,
    store: RdfStoreDep,
    view: GraphViewDep,
    settings: SettingsDep,
    backend: Annotated[str, Query(pattern="^(sparql|cypher)$")] = "sparql",
    format: Format = None,
) -> Response:
    """Answer a ready-made question and show its query text and rows."""
    question = get_question(name)
    raw = {k: v for k, v in request.query_params.items() if k not in ("backend", "format")}
    context: dict[str, Any] = {
        "language": backend.upper() if backend == "sparql" else "Cypher",
        "action": f"/console/{backend}",
        "query_text": question.sparql() if backend == "sparql" else question.cypher(),
        "parameters": [],
        "questions": _questions(),
        "backend": backend,
        "labels": {},
        "title": question.title,
    }
    status = 200
    try:
        arguments = resolve_arguments(view, question, raw)
        if backend == "sparql":  # Run posts the text shown: it carries the binding itself
            context["query_text"] = bound_sparql(question, arguments)
        else:  # Run posts the parameters beside the text
            context["parameters"] = [f"{name}={json.dumps(value)}" for name, value in arguments.items()]
        if backend == "sparql":
            result = ask_sparql(store, view, question, arguments, max_rows=settings.max_rows)
        else:
            result = ask_cypher(request.app.state.neo4j_store, view, question, arguments)
        if format:
            return _download(result.columns, result.rows, format, name)
        context["table"] = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}
        context["labels"] = result.labels
        base = {**raw, "backend": backend}
        context["downloads"] = {
            f: f"/console/questions/{name}?" + urlencode({**base, "format": f}) for f in ("csv", "json")
        }
    except InvalidRequest as error:
        context["error"], status = str(error), 400
    except StoreUnavailable as error:
        context["unavailable"], status = str(error), 503
    return _render(request, context, status)


def _labels(view, rows: list[dict[str, Any]]) -> dict[str, str]:
    labels = {}
    for row in rows:
        for v in row.values():
            if isinstance(v, str) and v in view.graph:
                labels[v] = view.graph.nodes[v].get("label", v)
            elif isinstance(v, str) and v.startswith(_ONTOLOGY):  # classes and properties: their label
                term = ontology_terms().get(v[len(_ONTOLOGY) :])
                labels[v] = term.label() if term else v
    return labels
