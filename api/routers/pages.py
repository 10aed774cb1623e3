"""Server-rendered pages (every asset served locally): the home page."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import RdfStoreDep
from graph.services import is_builtin_source, store_stats

router = APIRouter(tags=["pages"])


def _templates() -> Jinja2Templates:
    return Jinja2Templates(directory=Path(str(resources.files("api"))) / "templates")


EXAMPLE_QUERY = """SELECT ?seeker ?provider ?topic ?year WHERE {
  ?x a pg:PeerExchange ; pg:seeker/rdfs:label ?seeker ; pg:provider/rdfs:label ?provider ; pg:topic ?topic .
  OPTIONAL { ?x pg:year ?year }
} ORDER BY ?year"""


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: RdfStoreDep) -> HTMLResponse:
    """Show what the graph holds and where to start."""
    stats = store_stats(store)
    data_sources = [s for s in stats.sources if not is_builtin_source(s.name)]
    last = max((s.loaded_at for s in data_sources), default=None)
    return _templates().TemplateResponse(
        request,
        "home.html",
        {"stats": stats, "sources": data_sources, "last_ingest": last, "example_query": EXAMPLE_QUERY},
    )
