"""``/api/stats``: what the store holds."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AccessDep, RdfStoreDep
from api.schemas import SourcePublic, StatsPublic
from graph.services.store import store_stats

router = APIRouter(prefix="/api", tags=["stats"])


@router.get("/stats", response_model=StatsPublic)
def get_stats(store: RdfStoreDep, access: AccessDep) -> StatsPublic:
    """Count sources, triples and records per ontology class; per-source counts and checksums only with a key."""
    result = store_stats(store, include_restricted=access.include_restricted)
    return StatsPublic(
        triples=result.triples,
        classes=result.classes,
        sources=[
            SourcePublic(
                name=s.name,
                records=s.record_count if result.detailed else None,
                triples=s.triple_count if result.detailed else None,
                sha256=s.sha256 if result.detailed else None,
                loaded_at=s.loaded_at,
            )
            for s in result.sources
        ],
    )
