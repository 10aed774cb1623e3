"""``/health``: status of the RDF store (and Neo4j, once configured)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.schemas import HealthPublic
from graph.errors import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic)
async def health(request: Request) -> HealthPublic:
    """Report whether the stores are usable.

    It runs on the event loop (no worker thread to wait for; the store check reads one small file), and
    Neo4j's check, which goes over the network, in a thread of its own.
    """
    live = request.app.state.live_store
    neo4j_store = request.app.state.neo4j_store
    if neo4j_store is None:
        neo4j: dict[str, object] = {"status": "not configured"}
    else:
        try:
            neo4j = await run_in_threadpool(neo4j_store.health)
        except StoreUnavailable as error:
            neo4j = {"status": "unavailable", "detail": str(error)}
    if live is None:
        return HealthPublic(
            status="degraded",
            rdf_store={"status": "unavailable", "detail": request.app.state.store_error},
            neo4j=neo4j,
        )
    return HealthPublic(status="ok", rdf_store=live.current().health(), neo4j=neo4j)
