"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), drawn from files served by peergraph itself.

The JavaScript and CSS come from the ``fastapi-offline`` package (installed with peergraph) and are mounted at
``/static/api-docs``; the pages load nothing from another host, so they work offline and under a strict
content-security policy (no inline script: Swagger UI starts from ``/static/docs.js``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
ASSETS_URL = "/static/api-docs"


def assets_folder() -> Path:
    """Return the folder holding ``swagger-ui-bundle.js``, ``swagger-ui.css`` and ``redoc.standalone.js``."""
    return Path(str(resources.files("fastapi_offline"))) / "static"


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``: try every route from the browser."""
    return request.app.state.templates.TemplateResponse(request, "api_docs.html", {"assets": ASSETS_URL})


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over ``/openapi.json``: the API reference as one readable page."""
    return request.app.state.templates.TemplateResponse(request, "api_redoc.html", {"assets": ASSETS_URL})
