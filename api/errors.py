"""Domain errors to HTTP problem responses, in one place."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Send

from api.negotiation import negotiate
from graph.errors import (
    Forbidden,
    InvalidRequest,
    NotFound,
    QueryBusy,
    QueryRejected,
    QueryTimeout,
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
    QueryBusy: 503,
    QueryTimeout: 504,
}


_HEADINGS = {
    400: "This request cannot be answered as asked",
    401: "An API key is needed",
    403: "This needs a key with more rights",
    404: "Nothing here",
    405: "This address does not take that method",
    409: "The store is busy",
    413: "The file is too large",
    422: "The input has problems",
    503: "The data store is not available",
    504: "The query took too long",
}


def wants_html(request: Request) -> bool:
    """Return whether the client prefers a page to JSON (browsers do; API clients and ``*/*`` do not)."""
    accept = request.headers.get("accept", "")
    return negotiate(accept, ["text/html", "application/json", "application/problem+json"], "json") == "text/html"


def _problem(status: int, title: str, detail: str, request: Request | None = None, **extra: object) -> Response:
    if request is not None and wants_html(request) and hasattr(request.app.state, "templates"):
        context = {
            "status": status,
            "title": title,
            "heading": _HEADINGS.get(status, title),
            "detail": detail,
            "problems": extra.get("problems") or [],
        }
        return request.app.state.templates.TemplateResponse(
            request, "error.html", context, status_code=status, headers={"Vary": "Accept"}
        )
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra},
        status_code=status,
        media_type="application/problem+json",
        headers={"WWW-Authenticate": "Bearer"} if status == 401 else None,
    )


def problem_json(status: int, title: str, detail: str) -> bytes:
    """Return the ``application/problem+json`` body (RFC 9457) of a problem with no extra members."""
    return json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()


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
    body = problem_json(status, title, detail)
    extra = {**({"WWW-Authenticate": "Bearer"} if status == 401 else {}), **(headers or {})}
    raw = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    raw += [(name.lower().encode(), value.encode()) for name, value in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors to HTTP in one place.

    400 bad query or parameter, 401 unknown key, 403 role too low, 404 not found, 409 store busy, 413 upload too
    large, 422 bad input, 503 store down or query workers busy (with ``Retry-After``), 504 query past its
    deadline. Browsers (``Accept: text/html`` first) get the message as a page, API
    clients as ``application/problem+json``; unknown addresses and bad parameters too.

    Parameters
    ----------
    app : fastapi.FastAPI
        The application.
    """
    for error_type, status in _STATUS.items():

        async def handler(request: Request, error: Exception, status: int = status) -> Response:
            extra: dict[str, object] = {}
            if isinstance(error, InputRejected):
                extra["problems"] = [str(p) for p in error.problems]
            if isinstance(error, InvalidRequest):
                extra["parameter"] = error.parameter
            response = _problem(status, type(error).__name__, str(error), request, **extra)
            if isinstance(error, QueryBusy):
                response.headers["Retry-After"] = str(error.retry_after_s)
            return response

        app.add_exception_handler(error_type, handler)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if not wants_html(request):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        detail = f"No page or record at {request.url.path}." if error.status_code == 404 else str(error.detail)
        response = _problem(error.status_code, "HTTPException", detail, request)
        response.headers.update(error.headers or {})
        return response

    async def validation_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}" for e in error.errors()]
        if not wants_html(request):
            return JSONResponse({"detail": jsonable(error.errors())}, status_code=422)
        return _problem(422, "RequestValidationError", "Some parameters are not valid.", request, problems=problems)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def jsonable(value: object) -> object:
    """Return FastAPI's JSON form of validation errors (as its default handler answers)."""
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(value)
