"""``/health``: status of the RDF store (and Neo4j, once configured)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic)
def health(request: Request) -> HealthPublic:
    """Report whether the stores are usable."""
    store = request.app.state.rdf_store
    neo4j = "configured" if request.app.state.settings.neo4j_uri else "not configured"
    if store is None:
        return HealthPublic(
            status="degraded",
            rdf_store={"status": "unavailable", "detail": request.app.state.store_error},
            neo4j=neo4j,
        )
    store.refresh()
    return HealthPublic(status="ok", rdf_store=store.health(), neo4j=neo4j)
