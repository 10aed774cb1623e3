"""Domain errors to HTTP problem responses, in one place."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import Send

from graph.errors import (
    Forbidden,
    InvalidRequest,
    NotFound,
    QueryRejected,
    StoreLocked,
    StoreUnavailable,
    Unauthorized,
    UploadTooLarge,
)
from ingest.types import InputRejected

_STATUS = {
    NotFound: 404,
    QueryRejected: 400,
    InvalidRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    StoreLocked: 409,
    UploadTooLarge: 413,
    InputRejected: 422,
    StoreUnavailable: 503,
}


def _problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra},
        status_code=status,
        media_type="application/problem+json",
        headers={"WWW-Authenticate": "Bearer"} if status == 401 else None,
    )


async def send_problem(send: Send, status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> None:
    """Send a problem response from ASGI middleware (before the app has read the request, or instead of it).

    Parameters
    ----------
    send : ASGI send callable
        Where to send it.
    status : int
        HTTP status.
    title, detail : str
        The problem's title and explanation.
    headers : dict, optional
        Extra headers (``Retry-After``, ``WWW-Authenticate``).
    """
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    extra = {**({"WWW-Authenticate": "Bearer"} if status == 401 else {}), **(headers or {})}
    raw = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    raw += [(name.lower().encode(), value.encode()) for name, value in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors to HTTP in one place.

    400 bad query or parameter, 401 unknown key, 403 role too low, 404 not found, 409 store busy, 413 upload too
    large, 422 bad input, 503 store down.

    Parameters
    ----------
    app : fastapi.FastAPI
        The application.
    """
    for error_type, status in _STATUS.items():

        async def handler(request: Request, error: Exception, status: int = status) -> JSONResponse:
            extra: dict[str, object] = {}
            if isinstance(error, InputRejected):
                extra["problems"] = [str(p) for p in error.problems]
            if isinstance(error, InvalidRequest):
                extra["parameter"] = error.parameter
            return _problem(status, type(error).__name__, str(error), **extra)

        app.add_exception_handler(error_type, handler)
