"""``/api/questions``: the canned desk-research questions, runnable by name on SPARQL or Cypher."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import GraphViewDep, RdfStoreDep, SettingsDep
from graph.errors import InvalidRequest
from graph.services.questions import QUESTIONS, ask_cypher, ask_sparql, get_question, resolve_arguments

router = APIRouter(prefix="/api/questions", tags=["questions"])


@router.get("")
def list_questions() -> list[dict[str, Any]]:
    """List the catalogue: name, question and parameters with a working example."""
    return [
        {
            "name": q.name,
            "title": q.title,
            "parameters": [
                {"name": p.name, "kind": p.kind, "example": p.example, "help": p.help} for p in q.parameters
            ],
        }
        for q in QUESTIONS.values()
    ]


@router.get("/{name}")
def ask_question(
    name: str,
    request: Request,
    store: RdfStoreDep,
    view: GraphViewDep,
    settings: SettingsDep,
    backend: Annotated[str, Query(description="sparql (RDF store) or cypher (Neo4j).")] = "sparql",
) -> dict[str, Any]:
    """Answer a question; its parameters are query parameters (``?challenge=copyright``)."""
    question = get_question(name)
    raw = {key: value for key, value in request.query_params.items() if key != "backend"}
    arguments = resolve_arguments(view, question, raw)
    if backend == "sparql":
        # The view says whether the restricted graphs are queried (anonymous callers: public graphs only).
        result = ask_sparql(store, view, question, arguments, max_rows=settings.max_rows)
    elif backend == "cypher":
        result = ask_cypher(request.app.state.neo4j_store, view, question, arguments)
    else:
        raise InvalidRequest("backend", "use sparql or cypher")
    return result.as_dict()
