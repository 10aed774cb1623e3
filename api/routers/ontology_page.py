"""``/ontology``: the ontology's classes and properties as a page, so ``…/ontology#Term`` links resolve.

Browsers get the page (one anchor per term); ``Accept: text/turtle`` (or ``/ontology.ttl``) gets the file.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.negotiation import negotiate
from graph.peers.catalogue import KIND_OF_TYPE
from graph.property_graph.term_labels import LANGUAGES, ontology_terms
from ontology.vocabulary import ontology_path

router = APIRouter(tags=["linked data"])


def _turtle() -> Response:
    return Response(ontology_path().read_bytes(), media_type="text/turtle", headers={"Vary": "Accept"})


@router.get("/ontology", response_class=HTMLResponse, responses={200: {"content": {"text/turtle": {}}}})
def ontology_page(request: Request) -> Response:
    """List every class and property with its labels (en/fr/es), comment, domain and range."""
    if negotiate(request.headers.get("accept", ""), ["text/html", "text/turtle"], "text/html") == "text/turtle":
        return _turtle()
    terms = list(ontology_terms().values())
    context = {
        "classes": [t for t in terms if t.kind == "Class"],
        "properties": [t for t in terms if t.kind != "Class"],
        "languages": LANGUAGES,
        "kind_of": {name: kind.name for name, kind in KIND_OF_TYPE.items()},
    }
    return request.app.state.templates.TemplateResponse(request, "ontology.html", context, headers={"Vary": "Accept"})


@router.get("/ontology.ttl", response_class=Response, responses={200: {"content": {"text/turtle": {}}}})
def ontology_file() -> Response:
    """Give the ontology as Turtle (``ontology/peergraph.ttl``)."""
    return _turtle()
