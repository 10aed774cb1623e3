"""``/viz/{kind}``: network views as self-contained HTML pages (public records only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import GraphViewDep
from api.views import render_view

router = APIRouter(prefix="/viz", tags=["views"])


@router.get("/{kind}", response_class=HTMLResponse)
def get_view(
    kind: str,
    view: GraphViewDep,
    focus: Annotated[str | None, Query(description="ego: entity id or IRI.")] = None,
    seeker: Annotated[str | None, Query(description="match: seeker ISO3.")] = None,
    challenge: Annotated[list[str] | None, Query(description="match: challenge ids; repeat.")] = None,
    programme: Annotated[str | None, Query(description="programme: programme id (EF1, EF2).")] = None,
    topic: Annotated[list[str] | None, Query(description="exchanges: challenge ids; repeat.")] = None,
    since: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    until: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    max_nodes: Annotated[int, Query(ge=1, le=5000, description="ego: most nodes, nearest kept.")] = 200,
) -> HTMLResponse:
    """Draw the exchange network, an ego network, a match map or a programme overview.

    The page has the site's navigation and a legend; clicking a node opens its page. Large views are bounded
    (ego: the nearest ``max_nodes``; match: the strongest paths per provider) and say so.
    """
    page = render_view(
        view,
        kind,
        focus=focus,
        seeker=seeker,
        challenges=challenge,
        programme=programme,
        topics=topic,
        since=since,
        until=until,
        max_nodes=max_nodes,
        in_site=True,
    )
    return HTMLResponse(page)
