"""``/api/export``: the exports of ``peergraph export`` over HTTP (restricted records only with a key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import AccessDep, GraphViewDep, RdfStoreDep
from graph.services.exports import HTTP_MEDIA, export_bytes

router = APIRouter(prefix="/api", tags=["exports"])


@router.get("/export", response_class=Response, responses={200: {"content": {m: {} for m, _ in HTTP_MEDIA.values()}}})
def get_export(
    store: RdfStoreDep,
    view: GraphViewDep,
    access: AccessDep,
    format: Annotated[str, Query(description=f"One of: {', '.join(HTTP_MEDIA)} (csv: a zip of tables).")] = "ttl",
    kind: Annotated[str | None, Query(description="Only records of this kind (countries, measures…).")] = None,
    q: Annotated[str | None, Query(description="Only records whose text has these words.")] = None,
    region: Annotated[str | None, Query(description="Only records of this UN region or sub-region.")] = None,
    policy_area: Annotated[str | None, Query(description="Only records of this policy area.")] = None,
    challenge: Annotated[str | None, Query(description="Only records on this challenge.")] = None,
    year: Annotated[str | None, Query(description="Only records of this year.")] = None,
    language: Annotated[str | None, Query(description="Only records in or of this language.")] = None,
) -> Response:
    """Download the data as RDF, CSV tables (zip) or a GraphML/GEXF network, optionally filtered."""
    filters = {
        key: value
        for key, value in {
            "kind": kind,
            "q": q,
            "region": region,
            "policy_area": policy_area,
            "challenge": challenge,
            "year": year,
            "language": language,
        }.items()
        if value
    }
    body = export_bytes(
        store, format, include_restricted=access.include_restricted, filters=filters, catalogue=view.catalogue
    )
    media, suffix = HTTP_MEDIA[format]
    headers = {"Content-Disposition": f'attachment; filename="peergraph.{suffix}"'}
    return Response(body, media_type=media, headers=headers)
