"""Server-rendered pages (every asset served locally): home and search (find peers: ``api.routers.peer_pages``).

Bad values in a page's form are shown on the page (status 400), so a person can correct them.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import AccessDep, GraphViewDep, RdfStoreDep
from graph.errors import InvalidRequest
from graph.peers.catalogue import KINDS, Filters
from graph.rdf.sources import is_builtin_source
from graph.services.research import GraphView, coverage, exchange_breakdown
from graph.services.store import store_stats

router = APIRouter(tags=["pages"], include_in_schema=True)


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def choices(view: GraphView, kind: str) -> list[dict[str, str]]:
    """Every entity of a kind as ``{id, label}``, by label (for select boxes)."""
    nodes = view.catalogue.select(kind, Filters())
    return [{"id": node.rstrip("/").rsplit("/", 1)[-1], "label": view.graph.nodes[node]["label"]} for node in nodes]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: RdfStoreDep, view: GraphViewDep, access: AccessDep) -> HTMLResponse:
    """Show what the graph holds, charts of the exchanges, and where to start."""
    stats = store_stats(store, include_restricted=access.include_restricted)
    data_sources = [s for s in stats.sources if not is_builtin_source(s.name)]
    last = max((s.loaded_at for s in data_sources), default=None)
    context = {
        "stats": stats,
        "sources": data_sources,
        "last_ingest": last,
        "charts": exchange_breakdown(view),
        "reference_countries": len(view.catalogue.select("countries", Filters())),
    }
    return _page(request, "home.html", context)


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, view: GraphViewDep) -> HTMLResponse:
    """Show how much the graph knows per country, monitoring area, sector and source host."""
    return _page(request, "coverage.html", {"coverage": coverage(view)})


def _search_download(items: list[dict[str, Any]], fmt: str) -> Response:
    if fmt == "json":
        body = json.dumps({"total": len(items), "items": items}, ensure_ascii=False, indent=1, default=str)
        media = "application/json"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "kind", "label", "year", "countries", "iri"])
        for item in items:
            countries = "; ".join(c["label"] for c in item.get("countries", []))
            year = item.get("year", item.get("startYear", ""))
            writer.writerow([item["id"], item["kind"], item["label"], year, countries, item["iri"]])
        body, media = buffer.getvalue(), "text/csv"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="search.{fmt}"'})


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    view: GraphViewDep,
    q: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    challenge: str | None = None,
    year: Annotated[str | None, Query()] = None,
    language: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    format: Annotated[str | None, Query(pattern="^(csv|json)$", description="Download every match.")] = None,
) -> Response:
    """Search every record with facets (kind, region) and filters; words match across en/fr/es.

    ``format=csv`` or ``json`` downloads every match (not one page).
    """
    params = {"q": q, "kind": kind, "region": region, "challenge": challenge, "year": year, "language": language}
    context: dict[str, Any] = {"params": params, "kinds": list(KINDS), "challenges": choices(view, "challenges")}
    status = 200
    try:
        filters = view.catalogue.filters(q=q, region=region, challenge=challenge, year=year, language=language or None)
        if format:
            items = [view.catalogue.summary(node) for node in view.catalogue.select(kind or None, filters)]
            return _search_download(items, format)
        context["result"] = view.catalogue.list(kind or None, filters, page=page, size=50).as_dict()
    except InvalidRequest as error:
        context["error"], status = str(error), 400
    return _page(request, "search.html", context, status)
