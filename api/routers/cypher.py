"""``/cypher``: read-only Cypher on Neo4j (POST JSON ``{query, parameters}``); 503 when not configured."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Neo4jStoreDep
from api.schemas import CypherRequest, CypherResultPublic
from graph.services.neo4j import run_cypher_readonly

router = APIRouter(tags=["cypher"])


@router.post(
    "/cypher",
    response_model=CypherResultPublic,
    responses={
        400: {"description": "Refused: writes, LOAD CSV, procedures outside the allow-list, malformed, or too slow."},
        503: {"description": "Neo4j not configured or not reachable."},
    },
)
def cypher(request: CypherRequest, store: Neo4jStoreDep) -> CypherResultPublic:
    """Run one read-only Cypher statement with its parameters; rows are cut at the row cap."""
    result = run_cypher_readonly(store, request.query, request.parameters)
    return CypherResultPublic(columns=result.columns, rows=result.rows, truncated=result.truncated)
