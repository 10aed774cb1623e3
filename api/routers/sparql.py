"""``/sparql``: the SPARQL 1.1 Protocol, query only (GET, POST form-encoded, POST sparql-query).

Anonymous callers query the public graphs only; an API key with restricted read adds the restricted
graphs. Results by ``Accept`` (or the ``format`` parameter): SELECT/ASK as SPARQL JSON (default), XML, CSV, TSV;
CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD. Updates and ``SERVICE`` are refused with
400; there is no update route at all. Results are cut at ``PEERGRAPH_MAX_ROWS``, flagged by the
``X-Peergraph-Truncated`` header.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import AccessDep, RdfStoreDep, SettingsDep
from api.negotiation import negotiate
from graph.errors import QueryRejected
from graph.results import GRAPH_TYPES, SOLUTION_TYPES, serialize_graph, serialize_solutions
from graph.services import run_sparql

router = APIRouter(tags=["sparql"])

_FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
_RESPONSES = {
    200: {
        "content": {media: {} for media in (*SOLUTION_TYPES, *GRAPH_TYPES)},
        "description": "Query results in the negotiated format.",
    },
    400: {"description": "Malformed query, update, or SERVICE call."},
}


def _answer(query: str | None, request: Request, store, settings, access, fmt: str | None) -> Response:
    if request.query_params.get("update") is not None:
        raise QueryRejected("updates are refused: this endpoint is read-only")
    if not query:
        raise QueryRejected("missing the 'query' parameter (SPARQL 1.1 Protocol)")
    result = run_sparql(store, query, max_rows=settings.max_rows, include_restricted=access.include_restricted)
    accept = _FORMAT_ALIASES.get(fmt or "", "") or request.headers.get("accept", "")
    headers = {"X-Peergraph-Truncated": "true"} if result.truncated else {}
    if result.kind == "graph":
        media = negotiate(accept, GRAPH_TYPES, "text/turtle")
        return Response(serialize_graph(result, GRAPH_TYPES[media]), media_type=media, headers=headers)
    media = negotiate(accept, SOLUTION_TYPES, "application/sparql-results+json")
    return Response(serialize_solutions(result, SOLUTION_TYPES[media]), media_type=media, headers=headers)


@router.get("/sparql", responses=_RESPONSES)
def sparql_get(
    request: Request,
    store: RdfStoreDep,
    settings: SettingsDep,
    access: AccessDep,
    query: str | None = None,
    format: str | None = None,
) -> Response:
    """Run a query given as the ``query`` URL parameter."""
    return _answer(query, request, store, settings, access, format)


@router.post("/sparql", responses=_RESPONSES)
async def sparql_post(request: Request, store: RdfStoreDep, settings: SettingsDep, access: AccessDep) -> Response:
    """Run a query sent form-encoded (``query=…``) or as ``application/sparql-query``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type == "application/sparql-query":
        query = (await request.body()).decode("utf-8")
        fmt = request.query_params.get("format")
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        if "update" in form:
            raise QueryRejected("updates are refused: this endpoint is read-only")
        query, fmt = form.get("query"), form.get("format")
    elif content_type == "application/sparql-update":
        raise QueryRejected("updates are refused: this endpoint is read-only")
    else:
        raise QueryRejected(
            f"unsupported content type {content_type!r}; send application/sparql-query or "
            "application/x-www-form-urlencoded"
        )
    return await run_in_threadpool(_answer, query, request, store, settings, access, fmt)
