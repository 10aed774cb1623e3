"""``/api/match``: rank knowledge-providers for a seeker (the same JSON as ``peergraph match --json``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, UploadFile

from api.deps import GraphViewDep
from graph.peers.assessment import build_request, parse_assessment, request_from_assessment
from graph.services.research import find_peers

router = APIRouter(prefix="/api/match", tags=["find peers"])
MAX_ASSESSMENT_BYTES = 256 * 1024


@router.get("/providers")
def get_providers(
    view: GraphViewDep,
    seeker: Annotated[str, Query(description="Seeker country: ISO3, ISO2 or name.", examples=["NAM"])],
    challenge: Annotated[
        list[str] | None, Query(description="Challenge id, label or IRI; repeat. Default: the seeker's projects'.")
    ] = None,
    sector: Annotated[
        list[str] | None, Query(description="Cultural sector id or label (film-audiovisual, music…); repeat.")
    ] = None,
    text: Annotated[
        str, Query(max_length=4000, description="The seeker's challenges in its own words (en, fr or es).")
    ] = "",
    kind: Annotated[str, Query(description="country, institution or expert.")] = "country",
    k: Annotated[int, Query(ge=1, le=200, description="How many providers.")] = 10,
    diverse: Annotated[bool, Query(description="Keep a third of the slots for other regions.")] = False,
    exclude_prior_ties: Annotated[
        bool, Query(description="Leave out peers that already worked with the seeker.")
    ] = False,
) -> dict[str, Any]:
    """Rank providers with score parts, every evidence path and sources (public records only)."""
    request = build_request(
        view.index,
        seeker=seeker,
        challenges=challenge or [],
        kind=kind,
        k=k,
        exclude_prior_ties=exclude_prior_ties,
        diverse=diverse,
        sectors=sector or [],
        text=text,
    )
    return find_peers(view, request, every_path=True).as_dict()


@router.post("/assessment")
def post_assessment(view: GraphViewDep, file: UploadFile) -> dict[str, Any]:
    """Rank providers for an uploaded diagnostic-assessment file (YAML or JSON, at most 256 KiB)."""
    data = file.file.read(MAX_ASSESSMENT_BYTES + 1)
    name = file.filename or "assessment.yaml"
    assessment = parse_assessment(data, name, max_bytes=MAX_ASSESSMENT_BYTES)
    request = request_from_assessment(view.index, assessment, source=name)
    return find_peers(view, request, every_path=True).as_dict()
