"""Uploads are checked before their body is read: the API key, then the declared size, then a hard cap.

FastAPI parses a multipart body (spooling it to disk) before any dependency runs, so ``POST /api/ingest``
checked the key only after storing the whole upload. This middleware answers 401/403 from the headers alone,
413 when ``Content-Length`` is over the limit, and counts the bytes of a body sent without a length
(chunked): past the limit it stops passing them on and answers 413 instead of whatever the app would say.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import access_for
from api.errors import send_problem
from graph.errors import Forbidden, Unauthorized
from graph.settings import Settings

UPLOAD_PATH = "/api/ingest"
MULTIPART_OVERHEAD = 64 * 1024  # form fields and part headers allowed on top of the files


class UploadGuard:
    """ASGI middleware guarding ``POST /api/ingest``.

    Parameters
    ----------
    app : ASGI app
        The application.
    settings : Settings
        ``max_upload_bytes`` and the API key file.
    """

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check an upload's key and size before its body is read; pass other requests through."""
        if scope["type"] != "http" or scope["path"] != UPLOAD_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        try:
            access_for(headers.get("authorization"), self.settings).require("editor")
        except (Unauthorized, Forbidden) as error:
            await send_problem(send, 401 if isinstance(error, Unauthorized) else 403, type(error).__name__, str(error))
            return
        limit = self.settings.max_upload_bytes + MULTIPART_OVERHEAD
        declared = headers.get("content-length", "")
        if declared and (not declared.isdigit() or int(declared) > limit):
            detail = f"the upload declares {declared} bytes; the limit is {self.settings.max_upload_bytes}"
            await send_problem(send, 413, "UploadTooLarge", detail + " (PEERGRAPH_MAX_UPLOAD_BYTES)")
            return
        received = 0
        over = False

        async def capped_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        replaced = False

        async def guarded_send(message: Message) -> None:
            nonlocal replaced
            if not over:
                await send(message)
            elif not replaced:  # the app answered a cut body: answer 413 instead, once
                replaced = True
                detail = f"the upload is over {self.settings.max_upload_bytes} bytes (PEERGRAPH_MAX_UPLOAD_BYTES)"
                await send_problem(send, 413, "UploadTooLarge", detail)

        await self.app(scope, capped_receive, guarded_send)
