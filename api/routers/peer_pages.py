"""Find-peers pages: ``/peers`` (form or uploaded assessment) and ``/peers/brief``, with their downloads.

One request travels whole: the ranking page writes its :class:`~graph.peers.matching.MatchRequest` into every
link (brief, downloads, permalink) with :func:`graph.peers.match_query.request_to_params`, and the brief reads it
back with :func:`graph.peers.match_query.request_from_params`, so the brief ranks exactly as the page did.
Bad values are shown on the page (status 400 or 422), so a person can correct them.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from api.deps import GraphViewDep
from api.routers.pages import choices
from graph.errors import InvalidRequest
from graph.peers.assessment import parse_assessment, request_from_assessment
from graph.peers.match_query import describe_request, request_from_params, request_to_params
from graph.peers.matching import MatchRequest
from graph.services.research import GraphView, desk_research_brief, find_peers
from ingest.types import InputRejected

router = APIRouter(tags=["pages"])
MAX_ASSESSMENT_BYTES = 256 * 1024
#: Evidence lines shown per provider before the rest is folded (all of them are in the brief).
EVIDENCE_OPEN = 5
RELATIONS = {
    "exact": "same challenge",
    "broader": "broader challenge",
    "narrower": "narrower challenge",
    "sibling": "related challenge",
    "same_area": "same monitoring area",
}


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def _grouped(request: Request) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        grouped.setdefault(key, []).append(value)
    return grouped


def _form(view: GraphView, match: MatchRequest | None) -> dict[str, Any]:
    """Return what the form shows: every choice, and the current request's values selected."""
    chosen = {
        "seeker": match.seeker.rsplit("/", 1)[-1] if match else None,
        "challenge": [iri.rsplit("/", 1)[-1] for iri in match.challenges] if match else [],
        "sector": [iri.rsplit("/", 1)[-1] for iri in match.sectors] if match else [],
        "exclude": [iri.rsplit("/", 1)[-1] for iri in match.exclude] if match else [],
        "text": match.text if match else "",
        "kind": match.kind if match else "country",
        "k": match.k if match else 10,
        "diverse": match.diverse if match else False,
        "prior_ties": match.prior_ties if match else "include",
    }
    sectors = sorted(
        ({"id": iri.rsplit("/", 1)[-1], "label": s.label} for iri, s in view.index.sectors.items()),
        key=lambda s: s["label"],
    )
    return {
        "form": chosen,
        "seekers": choices(view, "countries"),
        "challenges": choices(view, "challenges"),
        "sectors": sectors,
    }


def _node_labels(view: GraphView, iris: frozenset[str]) -> dict[str, str]:
    return {iri: str(view.graph.nodes[iri].get("label", iri)) for iri in iris if iri in view.graph}


def _request_context(view: GraphView, match: MatchRequest, uploaded: str = "") -> dict[str, Any]:
    pairs = request_to_params(view.index, match) + ([("assessment", uploaded[:200])] if uploaded else [])
    return {
        "uploaded": uploaded,
        "asked": describe_request(view.index, match, _node_labels(view, match.preferred_regions)),
        "request_query": urlencode(pairs),
        "relations": RELATIONS,
        "evidence_open": EVIDENCE_OPEN,
    }


def _ranking_csv(result: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    signals = list(result["weights"])
    writer.writerow(["rank", "id", "label", "score", *signals, "evidence_total", "text_total", "sources"])
    for rank, entry in enumerate(result["results"], 1):
        writer.writerow(
            [
                rank,
                entry["id"],
                entry["label"],
                entry["score"],
                *(entry["signals"].get(name, "") for name in signals),
                entry["evidence_total"],
                entry["text_total"],
                " ".join(entry["sources"]),
            ]
        )
    return buffer.getvalue()


def match_providers_full(view: GraphView, match: MatchRequest) -> dict[str, Any]:
    """Return the ranking's JSON with every evidence path and text match of each provider."""
    return find_peers(view, match, every_path=True).as_dict()


def _download(body: str, media: str, name: str) -> Response:
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/peers", response_class=HTMLResponse)
def peers_page(request: Request, view: GraphViewDep) -> Response:
    """Rank knowledge-providers for a seeker and its challenges, with evidence and sources.

    Query parameters are those of :mod:`graph.peers.match_query` (``seeker``, ``challenge`` (``piracy@3`` for a
    weight), ``sector``, ``text``, ``exclude``, ``prefer_language``, ``prefer_region``, ``prior_ties``,
    ``diverse``, ``kind``, ``k``); ``format=csv`` or ``json`` downloads the ranking (JSON with every
    evidence path).
    """
    params = _grouped(request)
    fmt = (params.get("format") or [""])[-1]
    context: dict[str, Any] = _form(view, None)
    context["form"]["challenge"] = params.get("challenge", [])  # "find peers on this challenge" links
    status = 200
    if params.get("seeker", [""])[-1]:
        try:
            match = request_from_params(view.index, params)
            if fmt == "json":
                full = match_providers_full(view, match)
                return _download(json.dumps(full, ensure_ascii=False, indent=1), "application/json", "peers.json")
            result = find_peers(view, match)
            if fmt == "csv":
                return _download(_ranking_csv(result.as_dict()), "text/csv", "peers.csv")
            uploaded = (params.get("assessment") or [""])[-1]
            context.update(_form(view, match), result=result.as_dict(), **_request_context(view, match, uploaded))
        except InvalidRequest as error:
            context["error"], status = str(error), 400
    return _page(request, "peers.html", context, status)


@router.post("/peers", response_class=HTMLResponse)
def peers_from_assessment(request: Request, view: GraphViewDep, file: UploadFile) -> HTMLResponse:
    """Rank providers from an uploaded diagnostic-assessment file (YAML or JSON).

    The page links to the same ranking as a GET address (weights, exclusions and all), for the brief and
    downloads.
    """
    context: dict[str, Any] = _form(view, None)
    status = 200
    name = file.filename or "upload"
    try:
        assessment = parse_assessment(file.file.read(MAX_ASSESSMENT_BYTES + 1), name, max_bytes=MAX_ASSESSMENT_BYTES)
        match = request_from_assessment(view.index, assessment, source=name)
        result = find_peers(view, match)
        context.update(_form(view, match), result=result.as_dict(), **_request_context(view, match, name))
    except InvalidRequest as error:
        context["error"], status = str(error), 400
    except InputRejected as error:
        context["error"], status = "; ".join(str(p) for p in error.problems), 422
    return _page(request, "peers.html", context, status)


@router.get("/peers/brief", response_class=HTMLResponse)
def brief_page(request: Request, view: GraphViewDep, provider: str) -> Response:
    """Show a printable desk-research brief on one candidate provider, ranked under the page's request.

    Takes the ``/peers`` parameters plus ``provider``; ``format=json`` downloads the brief.
    """
    params = _grouped(request)
    match = request_from_params(view.index, params)
    brief = desk_research_brief(view, match, provider)
    if (params.get("format") or [""])[-1] == "json":
        body = json.dumps(brief, ensure_ascii=False, indent=1, default=str)
        return _download(body, "application/json", "brief.json")
    context = _request_context(view, match, (params.get("assessment") or [""])[-1])
    context.update({"brief": brief, "groups": _evidence_groups(brief.get("candidate"), list(match.challenges))})
    return _page(request, "brief.html", context)


def _evidence_groups(candidate: dict[str, Any] | None, asked_order: list[str]) -> list[dict[str, Any]]:
    """Group a candidate's evidence by the seeker challenge it answers (in the request's order)."""
    if not candidate:
        return []
    groups: dict[str, dict[str, Any]] = {}
    for entry in candidate["evidence"]:
        group = groups.setdefault(
            entry["seeker_challenge"], {"iri": entry["seeker_challenge"], "label": entry["seeker_challenge_label"]}
        )
        group.setdefault("evidence", []).append(entry)
    order = {iri: number for number, iri in enumerate(asked_order)}
    return sorted(groups.values(), key=lambda group: order.get(group["iri"], len(order)))
