"""``/sparql``: the SPARQL 1.1 Protocol, query only (GET, POST form-encoded, POST sparql-query).

The dataset is the union of the store's graphs, or the graphs named by ``default-graph-uri`` /
``named-graph-uri`` (or ``FROM`` / ``FROM NAMED`` in the query): a source's IRI
(``…/id/source-file/<name>``) or a current graph's; peergraph never fetches graphs from the web.
Anonymous callers query the public graphs only; an API key with restricted read adds the restricted
graphs; a graph the store does not hold is empty. Requests are read and formats chosen by
api/sparql_protocol.py (400 conflicting or non-UTF-8 input, 406, 414, 415). Results by ``Accept`` (or the
``format`` parameter): SELECT/ASK as SPARQL JSON (default), XML, CSV, TSV (graph/result_formats.py);
CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD, RDF/XML. Updates and ``SERVICE`` are refused with
400 (graph/sparql_guard.py: parsed when the text may name them), and queries run in threads without network sockets
(graph/rdf/sandbox.py); there is no update route at all. Results are cut at ``PEERGRAPH_MAX_ROWS``, flagged by the
``X-Peergraph-Truncated`` header. Each query runs and is serialised in a worker process under
``PEERGRAPH_QUERY_TIMEOUT_S`` (graph/rdf/query_pool.py): past it, or when the client goes away, the worker is
killed (504); with every worker busy and the queue full, 503 with ``Retry-After``. An answer kept from the same
query on the same snapshot (``PEERGRAPH_RESULT_CACHE_MB``) is sent again with ``X-Peergraph-Cache: hit``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from api.deps import AccessDep, RdfStoreDep, SettingsDep
from api.query_wait import run_until_disconnect
from api.sparql_protocol import get_params, post_params, result_media
from graph.errors import QueryRejected
from graph.result_formats import ResultNotRepresentable
from graph.results import GRAPH_TYPES, SOLUTION_TYPES
from graph.services.query import run_sparql_serialised

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
    503: {"description": "Every query worker busy and the queue full (with `Retry-After`), or no store."},
    504: {"description": "The query passed its deadline (`PEERGRAPH_QUERY_TIMEOUT_S`) and was stopped."},
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
    # The query's kind is known only once it is parsed (in the worker): choose a format for either kind now.
    accept = request.headers.get("accept", "")
    media: dict[bool, str | None] = {}
    refused: dict[bool, HTTPException] = {}
    for is_graph, offered, kind in ((False, SOLUTION_TYPES, "SELECT/ASK"), (True, GRAPH_TYPES, "CONSTRUCT/DESCRIBE")):
        try:
            media[is_graph] = result_media(params, accept, offered, kind)
        except HTTPException as error:
            media[is_graph], refused[is_graph] = None, error
    formats = (SOLUTION_TYPES.get(media[False] or ""), GRAPH_TYPES.get(media[True] or ""))
    try:
        answer = run_sparql_serialised(
            store,
            query,
            formats=formats,
            max_rows=settings.max_rows,
            include_restricted=access.include_restricted,
            default_graph_uris=params.get("default-graph-uri", []),
            named_graph_uris=params.get("named-graph-uri", []),
        )
    except ResultNotRepresentable as error:
        raise HTTPException(406, str(error)) from None
    is_graph = answer.kind == "graph"
    if answer.body is None:
        raise refused[is_graph]
    headers = {"X-Peergraph-Truncated": "true"} if answer.truncated else {}
    if answer.from_cache:
        headers["X-Peergraph-Cache"] = "hit"
    return Response(answer.body, media_type=media[is_graph], headers=headers)


@router.get("/sparql", responses=_RESPONSES)
async def sparql_get(request: Request, store: RdfStoreDep, settings: SettingsDep, access: AccessDep) -> Response:
    """Run a query given as the ``query`` URL parameter (with ``default-graph-uri``/``named-graph-uri``)."""
    params = get_params(request)
    return await run_until_disconnect(request, _answer, params, request, store, settings, access)


@router.post("/sparql", responses=_RESPONSES)
async def sparql_post(request: Request, store: RdfStoreDep, settings: SettingsDep, access: AccessDep) -> Response:
    """Run a query sent form-encoded (``query=…``) or as ``application/sparql-query``."""
    params = await post_params(request)
    return await run_until_disconnect(request, _answer, params, request, store, settings, access)
