"""``/api/<kind>`` lists and details (countries, institutions, experts, …) and ``/api/search`` across kinds.

Filters, search and pagination are described in :mod:`graph.peers.catalogue`; anonymous callers see public records
only (the graph view follows the caller's access).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import GraphViewDep
from graph.peers.catalogue import KINDS, MAX_PAGE_SIZE, Catalogue
from graph.services.research import GraphView

router = APIRouter(prefix="/api", tags=["entities"])

Q = Annotated[str | None, Query(description="Words to find in any text, any language (accents ignored).")]
Region = Annotated[str | None, Query(description="UN M49 region or sub-region: id, code or name.")]
PolicyArea = Annotated[str | None, Query(description="Monitoring-framework area: G1.A1 or its name.")]
Challenge = Annotated[str | None, Query(description="Challenge id or label; narrower challenges included.")]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="Year the record (or a related one) ran.")]
Language = Annotated[str | None, Query(description="Two-letter code: text in it, or an official language.")]
Page = Annotated[int, Query(ge=1, description="Page number, from 1.")]
Size = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]


def _list(
    view: GraphView, kind: str | None, q, region, policy_area, challenge, year, language, page, size
) -> dict[str, Any]:
    catalogue: Catalogue = view.catalogue
    filters = catalogue.filters(
        q=q, region=region, policy_area=policy_area, challenge=challenge, year=year, language=language
    )
    return catalogue.list(kind, filters, page=page, size=size).as_dict()


@router.get("/search")
def search(
    view: GraphViewDep,
    q: Q = None,
    kind: Annotated[str | None, Query(description=f"One of: {', '.join(KINDS)}; default all.")] = None,
    region: Region = None,
    policy_area: PolicyArea = None,
    challenge: Challenge = None,
    year: Year = None,
    language: Language = None,
    page: Page = 1,
    size: Size = 50,
) -> dict[str, Any]:
    """Search every kind of entity; facets count the matches per kind and per region."""
    return _list(view, kind, q, region, policy_area, challenge, year, language, page, size)


def _add_routes(kind: str) -> None:
    singular = "country" if kind == "countries" else kind[:-1]

    def list_kind(
        view: GraphViewDep,
        q: Q = None,
        region: Region = None,
        policy_area: PolicyArea = None,
        challenge: Challenge = None,
        year: Year = None,
        language: Language = None,
        page: Page = 1,
        size: Size = 50,
    ) -> dict[str, Any]:
        return _list(view, kind, q, region, policy_area, challenge, year, language, page, size)

    def get_kind(key: str, view: GraphViewDep) -> dict[str, Any]:
        return view.catalogue.detail(kind, key)

    list_kind.__doc__ = f"List {kind}, filtered and paged, sorted by label."
    get_kind.__doc__ = f"One {singular}: facts, links both ways and sources (by id or IRI)."
    router.add_api_route(f"/{kind}", list_kind, methods=["GET"], name=f"list_{kind}")
    router.add_api_route(f"/{kind}/{{key}}", get_kind, methods=["GET"], name=f"get_{singular}")


for _kind in KINDS:
    _add_routes(_kind)
