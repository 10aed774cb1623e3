"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), drawn from files served by peergraph itself.

The JavaScript and CSS come from the ``fastapi-offline`` package (installed with peergraph) and are served at
``/docs-assets``, with every remote image address in them (ReDoc draws its maker's logo from its CDN)
replaced by the local icon; the pages load nothing from another host, so they work offline and under a strict
content-security policy (no inline script: Swagger UI starts from ``/static/docs.js``).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)
ASSETS_URL = "/docs-assets"


#: The files served, with their media types.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
#: An absolute address of an image inside an asset: served files must not make the browser fetch one.
_REMOTE_IMAGE = re.compile(rb"https?://[^\s\"'`()]+\.(?:svg|png|gif|jpe?g|webp)")


def assets_folder() -> Path:
    """Return the folder holding ``swagger-ui-bundle.js``, ``swagger-ui.css`` and ``redoc.standalone.js``."""
    return Path(str(resources.files("fastapi_offline"))) / "static"


@cache
def _asset(name: str) -> bytes:
    body = (assets_folder() / name).read_bytes()
    if not ASSETS[name].startswith("text/"):
        return body
    return _REMOTE_IMAGE.sub(f"{ASSETS_URL}/favicon.png".encode(), body)


@router.get(ASSETS_URL + "/{name}")
def api_docs_asset(name: str) -> Response:
    """Serve one Swagger UI or ReDoc file (cached by the browser for a day)."""
    if name not in ASSETS:
        raise HTTPException(status_code=404)
    return Response(_asset(name), media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"})


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``: try every route from the browser."""
    return request.app.state.templates.TemplateResponse(request, "api_docs.html", {"assets": ASSETS_URL})


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over ``/openapi.json``: the API reference as one readable page."""
    return request.app.state.templates.TemplateResponse(request, "api_redoc.html", {"assets": ASSETS_URL})
