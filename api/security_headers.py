"""Security headers on every response; pages get a Content-Security-Policy their own inline code satisfies.

Every asset is served from this origin, so the policy allows ``'self'`` only. Inline ``<script>`` and
``<style>`` blocks (the graph views embed vis-network and their data; Swagger UI has a starter script) are
allowed by the SHA-256 of their exact text, computed from the page as it is sent: a script injected into a
page would not match. ``style="…"`` attributes (legend swatches, pyvis containers) are allowed with
``style-src-attr 'unsafe-inline'``: CSS in attributes cannot run script. ``/docs`` and ``/redoc`` (Swagger
UI and ReDoc, served from this origin) may also evaluate strings, inject styles and start a blob worker, as
those bundles do.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMMON = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"SAMEORIGIN",
    b"referrer-policy": b"same-origin",
}
#: Anything that is not a page: nothing may be loaded or run from it.
NOT_A_PAGE = b"default-src 'none'; frame-ancestors 'self'"
_INLINE = {
    "script": re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL),
    "style": re.compile(rb"<style[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL),
}
# Swagger UI and ReDoc (served from this origin) build functions from strings and ReDoc runs a worker
# from a blob: these two pages alone may do that.
_DOCS_PAGES = {"/docs", "/redoc"}


def _hashes(page: bytes, kind: str) -> str:
    found = {base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() for m in _INLINE[kind].finditer(page)}
    return "".join(f" 'sha256-{digest}'" for digest in sorted(found))


def page_policy(page: bytes, path: str = "") -> str:
    """Return the Content-Security-Policy for an HTML page: this origin, plus its own inline blocks by hash.

    Parameters
    ----------
    page : bytes
        The page as sent.
    path : str
        Its path (``/docs`` and ``/redoc`` may evaluate strings and start a blob worker).

    Returns
    -------
    str
        The policy.
    """
    docs = path in _DOCS_PAGES
    evaluate = " 'unsafe-eval'" if docs else ""
    worker = "worker-src 'self' blob:; " if docs else ""
    inline_style = " 'unsafe-inline'" if docs else _hashes(page, "style")  # the docs bundles inject <style>
    return (
        "default-src 'none'; "
        f"script-src 'self'{evaluate}{_hashes(page, 'script')}; "
        f"style-src 'self'{inline_style}; style-src-attr 'unsafe-inline'; "
        f"img-src 'self' data:; font-src 'self'; {worker}"
        "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
    )


class SecurityHeaders:
    """ASGI middleware adding the headers; HTML bodies are held until complete to hash their inline blocks.

    Parameters
    ----------
    app : ASGI app
        The application.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to every HTTP response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def secured_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in COMMON]
                headers += list(COMMON.items())
                is_page = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if not is_page:
                    await send({**message, "headers": [*headers, (b"content-security-policy", NOT_A_PAGE)]})
                    return
                start = {**message, "headers": headers}
                return
            if start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body)
            policy = page_policy(page, scope["path"]).encode()
            await send({**start, "headers": [*start["headers"], (b"content-security-policy", policy)]})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, secured_send)
