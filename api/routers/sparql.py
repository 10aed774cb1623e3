"""``/sparql``: the SPARQL 1.1 Protocol, query only (GET, POST form-encoded, POST sparql-query).

The dataset is the union of the store's graphs, or the graphs named by ``default-graph-uri`` /
``named-graph-uri`` (or ``FROM`` / ``FROM NAMED`` in the query): a source's IRI
(``…/id/source-file/<name>``) or a current graph's; peergraph never fetches graphs from the web.
Anonymous callers query the public graphs only; an API key with restricted read adds the restricted
graphs; a graph the store does not hold is empty. Requests are read and formats chosen by
api/sparql_protocol.py (400 conflicting or non-UTF-8 input, 406, 414, 415). Results by ``Accept`` (or the
``format`` parameter): SELECT/ASK as SPARQL JSON (default), XML, CSV, TSV (graph/result_formats.py);
CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD, RDF/XML. Updates and ``SERVICE`` are refused with
400 on the parsed query (graph/sparql_guard.py), and queries run in threads without network sockets
(graph/rdf/sandbox.py); there is no update route at all. Results are cut at ``PEERGRAPH_MAX_ROWS``, flagged by the
``X-Peergraph-Truncated`` header.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import AccessDep, RdfStoreDep, SettingsDep
from api.sparql_protocol import get_params, post_params, result_media
from graph.errors import QueryRejected
from graph.result_formats import ResultNotRepresentable
from graph.results import GRAPH_TYPES, SOLUTION_TYPES, serialize_graph, serialize_solutions
from graph.services.query import run_sparql

router = APIRouter(tags=["sparql"])

_RESPONSES = {
    200: {
        "content": {media: {} for media in (*SOLUTION_TYPES, *GRAPH_TYPES)},
        "description": "Query results in the negotiated format.",
    },
    400: {"description": "Malformed query, update, SERVICE call, query sent twice, or text that is not UTF-8."},
    406: {"description": "No format of the result is acceptable (Accept or format)."},
    414: {"description": "GET address over 8192 bytes: POST the query instead."},
    415: {"description": "POST body neither application/sparql-query nor form-encoded, or not UTF-8."},
}


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise QueryRejected(f"{len(values)} '{name}' parameters: send exactly one (SPARQL 1.1 Protocol)")
    return values[0] if values else None


def _answer(params: dict[str, list[str]], request: Request, store, settings, access) -> Response:
    if params.get("update"):
        raise QueryRejected("updates are refused: this endpoint is read-only")
    query = _single(params.get("query", []), "query")
    if not query:
        raise QueryRejected("missing the 'query' parameter (SPARQL 1.1 Protocol)")
    result = run_sparql(
        store,
        query,
        max_rows=settings.max_rows,
        include_restricted=access.include_restricted,
        default_graph_uris=params.get("default-graph-uri", []),
        named_graph_uris=params.get("named-graph-uri", []),
    )
    accept = request.headers.get("accept", "")
    headers = {"X-Peergraph-Truncated": "true"} if result.truncated else {}
    if result.kind == "graph":
        media = result_media(params, accept, GRAPH_TYPES, "CONSTRUCT/DESCRIBE")
        return Response(serialize_graph(result, GRAPH_TYPES[media]), media_type=media, headers=headers)
    media = result_media(params, accept, SOLUTION_TYPES, "SELECT/ASK")
    try:
        body = serialize_solutions(result, SOLUTION_TYPES[media])
    except ResultNotRepresentable as error:
        raise HTTPException(406, str(error)) from None
    return Response(body, media_type=media, headers=headers)


@router.get("/sparql", responses=_RESPONSES)
def sparql_get(request: Request, store: RdfStoreDep, settings: SettingsDep, access: AccessDep) -> Response:
    """Run a query given as the ``query`` URL parameter (with ``default-graph-uri``/``named-graph-uri``)."""
    return _answer(get_params(request), request, store, settings, access)


@router.post("/sparql", responses=_RESPONSES)
async def sparql_post(request: Request, store: RdfStoreDep, settings: SettingsDep, access: AccessDep) -> Response:
    """Run a query sent form-encoded (``query=…``) or as ``application/sparql-query``."""
    params = await post_params(request)
    return await run_in_threadpool(_answer, params, request, store, settings, access)
