"""Domain errors to HTTP problem responses, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from graph.errors import InvalidRequest, NotFound, QueryRejected, StoreUnavailable
from ingest.types import InputRejected

_STATUS = {NotFound: 404, QueryRejected: 400, InvalidRequest: 400, StoreUnavailable: 503, InputRejected: 422}


def _problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra},
        status_code=status,
        media_type="application/problem+json",
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors to HTTP: not found 404, bad query or parameter 400, bad input 422, store down 503.

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
