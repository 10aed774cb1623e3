"""The request side of the SPARQL 1.1 Protocol for ``/sparql``: where the query comes from, and in what format.

* GET: parameters in the URL (UTF-8, percent-encoded). An address longer than :data:`MAX_GET_BYTES` gets 414
  and the advice to POST (the server itself answers 414 past :data:`MAX_SERVER_URL_BYTES`, see
  :mod:`api.long_url`).
* POST ``application/sparql-query``: the query is the body (UTF-8); ``default-graph-uri`` /
  ``named-graph-uri`` in the URL. POST ``application/x-www-form-urlencoded``: every parameter in the body.
  Media types and the ``charset`` parameter are case-insensitive; a charset other than UTF-8 or another
  media type gets 415.
* A query in both the URL and the body, or given twice, gets 400; so does text that is not UTF-8.
* The result format comes from ``format`` or else ``Accept`` (q-values honoured); 406 when nothing acceptable
  can be produced.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import HTTPException, Request

from api.negotiation import choose_media
from graph.errors import InvalidRequest, QueryRejected

#: Longest GET request address (path and query string, bytes) ``/sparql`` answers; longer gets 414.
MAX_GET_BYTES = 8192
#: Longest request address the server reads at all; longer gets 414 from the HTTP protocol (api/long_url.py).
MAX_SERVER_URL_BYTES = 32768

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

Params = dict[str, list[str]]


def too_long_message(size: int, limit: int, *, read_whole: bool = True) -> str:
    """Return the 414 explanation for a request address of ``size`` bytes over ``limit``.

    ``read_whole=False``: reading stopped after ``size`` bytes, so the address is at least that long.
    """
    return (
        f"the request address is {'' if read_whole else 'at least '}{size} bytes, over the {limit}-byte limit for "
        f"GET: send the query with POST, as {_QUERY} or {_FORM}"
    )


def _parse(text: bytes, where: str) -> Params:
    """Parse percent-encoded ``name=value`` pairs whose decoded bytes must be UTF-8."""
    try:
        pairs = parse_qsl(text.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise QueryRejected(f"the {where} is not UTF-8: percent-encode UTF-8 bytes (SPARQL 1.1 Protocol)") from None
    params: Params = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def get_params(request: Request) -> Params:
    """Return the parameters of a GET request.

    Parameters
    ----------
    request : fastapi.Request
        The request.

    Returns
    -------
    dict
        Parameter name to its values.

    Raises
    ------
    HTTPException
        414 when the address is longer than :data:`MAX_GET_BYTES`.
    QueryRejected
        When the parameters are not UTF-8.
    """
    raw = request.scope.get("query_string", b"")
    size = len(request.scope.get("raw_path") or request.url.path.encode()) + (len(raw) + 1 if raw else 0)
    if size > MAX_GET_BYTES:
        raise HTTPException(414, too_long_message(size, MAX_GET_BYTES))
    return _parse(raw, "URL's query string")


def _content_type(request: Request) -> tuple[str, str | None]:
    """Return the lower-cased media type and charset (None when not given) of a request."""
    media, *params = [p.strip() for p in request.headers.get("content-type", "").split(";")]
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


async def post_params(request: Request) -> Params:
    """Return the parameters of a POST request, the query from its body.

    Parameters
    ----------
    request : fastapi.Request
        The request.

    Returns
    -------
    dict
        Parameter name to its values (``query`` from the body).

    Raises
    ------
    HTTPException
        415 for a media type other than the two query ones, or a charset other than UTF-8.
    QueryRejected
        For an update, a body that is not UTF-8, or a query in both the URL and the body.
    """
    media, charset = _content_type(request)
    if media == _UPDATE:
        raise QueryRejected("updates are refused: this endpoint is read-only")
    if media not in (_QUERY, _FORM):
        shown = f"content type {media!r}" if media else "no content type"
        raise HTTPException(415, f"{shown}: send a query as {_QUERY} or {_FORM} (SPARQL 1.1 Protocol)")
    if charset is not None and charset not in ("utf-8", "utf8"):
        raise HTTPException(415, f"charset {charset!r}: send the query encoded as UTF-8 (SPARQL 1.1 Protocol)")
    in_url = _parse(request.scope.get("query_string", b""), "URL's query string")
    body = await request.body()
    if media == _QUERY:
        try:
            params = {"query": [body.decode("utf-8")]}
        except UnicodeDecodeError as error:
            raise QueryRejected(
                f"the query is not UTF-8 (byte {error.start}): send it encoded as UTF-8 (SPARQL 1.1 Protocol)"
            ) from None
    else:
        params = _parse(body, "form body")
    for name in ("query", "update"):
        if name in in_url and name in params:
            raise QueryRejected(f"'{name}' is both in the URL and in the body: send it once (SPARQL 1.1 Protocol)")
    for key, values in in_url.items():
        params.setdefault(key, values)
    return params


def result_media(params: Params, accept: str, offered: dict[str, str], kind: str) -> str:
    """Return the media type to answer with: the ``format`` parameter's, else the best by ``Accept``.

    Parameters
    ----------
    params : dict
        The request's parameters.
    accept : str
        The ``Accept`` header.
    offered : dict
        Media type to format name, the default first.
    kind : str
        What the result is (for the message): ``SELECT/ASK`` or ``CONSTRUCT/DESCRIBE``.

    Returns
    -------
    str
        A key of ``offered``.

    Raises
    ------
    InvalidRequest
        For a ``format`` value peergraph does not know, or more than one.
    HTTPException
        406 when neither ``format`` nor ``Accept`` names a type ``offered`` holds.
    """
    formats = params.get("format", [])
    if len(formats) > 1:
        raise InvalidRequest("format", f"{len(formats)} values: send one")
    if formats:
        if formats[0].lower() not in _FORMAT_ALIASES:
            raise InvalidRequest("format", f"unknown {formats[0]!r}; known: {', '.join(_FORMAT_ALIASES)}")
        accept = _FORMAT_ALIASES[formats[0].lower()]
    media = choose_media(accept, list(offered))
    if media is None:
        raise HTTPException(
            406, f"cannot answer a {kind} result as {accept!r}; available: {', '.join(offered)} (by Accept or format)"
        )
    return media
