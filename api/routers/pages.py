"""Server-rendered pages (every asset served locally): home, search, find peers and the printable brief.

Bad values in a page's form are shown on the page (status 400), so a person can correct them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import HTMLResponse

from api.deps import AccessDep, GraphViewDep, RdfStoreDep
from graph.assessment import build_request, parse_assessment, request_from_assessment
from graph.catalogue import KINDS, Filters
from graph.desk_research import GraphView, coverage, desk_research_brief, exchange_breakdown, match_providers
from graph.errors import InvalidRequest
from graph.services import is_builtin_source, store_stats
from ingest.types import InputRejected

router = APIRouter(tags=["pages"], include_in_schema=True)
MAX_ASSESSMENT_BYTES = 256 * 1024


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def _choices(view: GraphView, kind: str) -> list[dict[str, str]]:
    """Every entity of a kind as ``{id, label}``, by label (for select boxes)."""
    nodes = view.catalogue.select(kind, Filters())
    return [{"id": node.rstrip("/").rsplit("/", 1)[-1], "label": view.graph.nodes[node]["label"]} for node in nodes]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: RdfStoreDep, view: GraphViewDep, access: AccessDep) -> HTMLResponse:
    """Show what the graph holds, charts of the exchanges, and where to start."""
    stats = store_stats(store, include_restricted=access.include_restricted)
    data_sources = [s for s in stats.sources if not is_builtin_source(s.name)]
    last = max((s.loaded_at for s in data_sources), default=None)
    context = {"stats": stats, "sources": data_sources, "last_ingest": last, "charts": exchange_breakdown(view)}
    return _page(request, "home.html", context)


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, view: GraphViewDep) -> HTMLResponse:
    """Show how much the graph knows per country, monitoring area, sector and source host."""
    return _page(request, "coverage.html", {"coverage": coverage(view)})


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
) -> HTMLResponse:
    """Search every record with facets (kind, region) and filters."""
    params = {"q": q, "kind": kind, "region": region, "challenge": challenge, "year": year, "language": language}
    context: dict[str, Any] = {"params": params, "kinds": list(KINDS), "challenges": _choices(view, "challenges")}
    status = 200
    try:
        filters = view.catalogue.filters(q=q, region=region, challenge=challenge, year=year, language=language or None)
        context["result"] = view.catalogue.list(kind or None, filters, page=page, size=50).as_dict()
    except InvalidRequest as error:
        context["error"], status = str(error), 400
    return _page(request, "search.html", context, status)


def _peers_context(view: GraphView, params: dict[str, Any]) -> dict[str, Any]:
    return {"params": params, "seekers": _choices(view, "countries"), "challenges": _choices(view, "challenges")}


@router.get("/peers", response_class=HTMLResponse)
def peers_page(
    request: Request,
    view: GraphViewDep,
    seeker: str | None = None,
    challenge: Annotated[list[str] | None, Query()] = None,
    kind: str = "country",
    k: Annotated[int, Query(ge=1, le=50)] = 10,
    diverse: bool = False,
) -> HTMLResponse:
    """Rank knowledge-providers for a seeker and its challenges, with evidence and sources."""
    params = {"seeker": seeker, "challenge": challenge or [], "kind": kind, "k": k, "diverse": diverse}
    context = _peers_context(view, params)
    status = 200
    if seeker:
        try:
            match = build_request(
                view.index, seeker=seeker, challenges=challenge or [], kind=kind, k=k, diverse=diverse
            )
            context["result"] = match_providers(view, match).as_dict()
        except InvalidRequest as error:
            context["error"], status = str(error), 400
    context["labels"] = _labels(view, context)
    return _page(request, "peers.html", context, status)


@router.post("/peers", response_class=HTMLResponse)
def peers_from_assessment(request: Request, view: GraphViewDep, file: UploadFile) -> HTMLResponse:
    """Rank providers from an uploaded diagnostic-assessment file (YAML or JSON)."""
    context = _peers_context(view, {"seeker": None, "challenge": [], "kind": "country", "k": 10, "diverse": False})
    status = 200
    try:
        assessment = parse_assessment(
            file.file.read(MAX_ASSESSMENT_BYTES + 1), file.filename or "upload", max_bytes=MAX_ASSESSMENT_BYTES
        )
        match = request_from_assessment(view.index, assessment, source=file.filename or "upload")
        context["result"] = match_providers(view, match).as_dict()
        context["params"] = {
            "seeker": match.seeker.rsplit("/", 1)[-1],
            "challenge": [iri.rsplit("/", 1)[-1] for iri in match.challenges],
            "kind": match.kind,
            "k": match.k,
            "diverse": match.diverse,
        }
    except InvalidRequest as error:
        context["error"], status = str(error), 400
    except InputRejected as error:
        context["error"], status = "; ".join(str(p) for p in error.problems), 422
    context["labels"] = _labels(view, context)
    return _page(request, "peers.html", context, status)


def _labels(view: GraphView, context: dict[str, Any]) -> dict[str, str]:
    result = context.get("result") or {}
    return {iri: view.graph.nodes[iri].get("label", iri) for iri in result.get("challenges", {}) if iri in view.graph}


@router.get("/peers/brief", response_class=HTMLResponse)
def brief_page(
    request: Request,
    view: GraphViewDep,
    seeker: str,
    provider: str,
    challenge: Annotated[list[str] | None, Query()] = None,
    kind: str = "country",
) -> HTMLResponse:
    """Show a printable desk-research brief on one candidate provider for a seeker."""
    match = build_request(view.index, seeker=seeker, challenges=challenge or [], kind=kind, k=10)
    brief = desk_research_brief(view, match, provider)
    labels = {iri: view.graph.nodes[iri].get("label", iri) for iri in brief["match"]["challenges"] if iri in view.graph}
    return _page(request, "brief.html", {"brief": brief, "labels": labels})
