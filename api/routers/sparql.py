"""``/sparql``: the SPARQL 1.1 Protocol, query only (GET, POST form-encoded, POST sparql-query).

The dataset is the union of the store's graphs, or the graphs named by ``default-graph-uri`` /
``named-graph-uri`` (or ``FROM`` / ``FROM NAMED`` in the query): a source's IRI
(``…/id/source-file/<name>``) or a current graph's; peergraph never fetches graphs from the web.
Anonymous callers query the public graphs only; an API key with restricted read adds the restricted
graphs. Results by ``Accept`` (or the ``format`` parameter): SELECT/ASK as SPARQL JSON (default), XML, CSV, TSV;
CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD. Updates and ``SERVICE`` are refused with
400 on the parsed query (graph/rdf/sparql_guard.py), and queries run in threads without network sockets
(graph/rdf/sandbox.py); there is no update route at all. Results are cut at ``PEERGRAPH_MAX_ROWS``, flagged by the
``X-Peergraph-Truncated`` header. Each query runs and is serialised in a worker process under
``PEERGRAPH_QUERY_TIMEOUT_S`` (graph/rdf/query_pool.py): past it, or when the client goes away, the worker is
killed (504); with every worker busy and the queue full, 503 with ``Retry-After``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import AccessDep, RdfStoreDep, SettingsDep
from api.negotiation import negotiate
from api.query_wait import run_until_disconnect
from graph.errors import QueryRejected
from graph.results import GRAPH_TYPES, SOLUTION_TYPES
from graph.services.query import run_sparql_serialised

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
    fmt = _single(params.get("format", []), "format")
    accept = _FORMAT_ALIASES.get(fmt or "", "") or request.headers.get("accept", "")
    solutions_media = negotiate(accept, SOLUTION_TYPES, "application/sparql-results+json")
    graph_media = negotiate(accept, GRAPH_TYPES, "text/turtle")
    answer = run_sparql_serialised(  # the query's kind (known after parsing, in the worker) picks the format
        store,
        query,
        formats=(SOLUTION_TYPES[solutions_media], GRAPH_TYPES[graph_media]),
        max_rows=settings.max_rows,
        include_restricted=access.include_restricted,
        default_graph_uris=params.get("default-graph-uri", []),
        named_graph_uris=params.get("named-graph-uri", []),
    )
    headers = {"X-Peergraph-Truncated": "true"} if answer.truncated else {}
    media = graph_media if answer.kind == "graph" else solutions_media
    return Response(answer.body, media_type=media, headers=headers)


def _lists(pairs) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


@router.get("/sparql", responses=_RESPONSES)
async def sparql_get(request: Request, store: RdfStoreDep, settings: SettingsDep, access: AccessDep) -> Response:
    """Run a query given as the ``query`` URL parameter (with ``default-graph-uri``/``named-graph-uri``)."""
    params = _lists(request.query_params.multi_items())
    return await run_until_disconnect(request, _answer, params, request, store, settings, access)


@router.post("/sparql", responses=_RESPONSES)
async def sparql_post(request: Request, store: RdfStoreDep, settings: SettingsDep, access: AccessDep) -> Response:
    """Run a query sent form-encoded (``query=…``) or as ``application/sparql-query``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type == "application/sparql-query":
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise QueryRejected("the query is not UTF-8: send it encoded as UTF-8") from None
        params = _lists(request.query_params.multi_items())
        params["query"] = [text]
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        params = _lists([(k, v) for k, v in form.multi_items() if isinstance(v, str)])
        for key, values in _lists(request.query_params.multi_items()).items():
            params.setdefault(key, values)
    elif content_type == "application/sparql-update":
        raise QueryRejected("updates are refused: this endpoint is read-only")
    else:
        raise QueryRejected(
            f"unsupported content type {content_type!r}; send application/sparql-query or "
            "application/x-www-form-urlencoded"
        )
    return await run_until_disconnect(request, _answer, params, request, store, settings, access)
