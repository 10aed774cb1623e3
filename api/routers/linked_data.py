"""Linked data: every peergraph IRI resolves here (``/id/<kind>/<key>``, ``/vocab/<scheme>/<id>``).

Browsers get the entity page; ``Accept: text/turtle``, ``application/n-triples`` or ``application/ld+json``
(or the suffix ``.ttl``, ``.nt``, ``.jsonld``, ``.html``) get its description as RDF.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import AccessDep, GraphViewDep, RdfStoreDep, SettingsDep
from api.negotiation import negotiate
from graph.errors import NotFound
from graph.results import GRAPH_TYPES
from graph.services.linked_data import describe, iri_of_path
from graph.services.research import exchange_breakdown

router = APIRouter(tags=["linked data"])
_SUFFIXES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".html": "text/html",
}


def _resolve(request: Request, path: str, store, view, settings, access) -> Response:
    path = request.scope.get("raw_path", path.encode()).decode("ascii", "replace") or path
    media = None
    for suffix, suffix_media in _SUFFIXES.items():
        if path.endswith(suffix):
            path, media = path.removesuffix(suffix), suffix_media
            break
    media = media or negotiate(request.headers.get("accept", ""), ["text/html", *GRAPH_TYPES], "text/html")
    iri = iri_of_path(path)
    if media != "text/html":
        body = describe(
            store, iri, GRAPH_TYPES[media], include_restricted=access.include_restricted, max_rows=settings.max_rows
        )
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    if iri not in view.graph:
        raise NotFound(f"nothing is known about {iri}")
    entity = view.catalogue.describe(iri)
    charts = exchange_breakdown(view, focus=iri)
    return request.app.state.templates.TemplateResponse(
        request, "entity.html", {"entity": entity, "charts": charts}, headers={"Vary": "Accept"}
    )


@router.get("/id/{kind}/{key}", response_class=HTMLResponse, responses={200: {"content": {m: {} for m in GRAPH_TYPES}}})
def record(
    kind: str,
    key: str,
    request: Request,
    store: RdfStoreDep,
    view: GraphViewDep,
    settings: SettingsDep,
    access: AccessDep,
) -> Response:
    """Show a record's page, or give its RDF by ``Accept`` or suffix."""
    return _resolve(request, f"/id/{kind}/{key}", store, view, settings, access)


@router.get(
    "/vocab/{scheme}/{key}", response_class=HTMLResponse, responses={200: {"content": {m: {} for m in GRAPH_TYPES}}}
)
def concept(
    scheme: str,
    key: str,
    request: Request,
    store: RdfStoreDep,
    view: GraphViewDep,
    settings: SettingsDep,
    access: AccessDep,
) -> Response:
    """Show a vocabulary concept's page, or give its RDF by ``Accept`` or suffix."""
    return _resolve(request, f"/vocab/{scheme}/{key}", store, view, settings, access)
