"""The three endpoints of a SPARQL 1.1 server over HTTP: query, update and the Graph Store Protocol.

Every failure becomes a peergraph error naming the endpoint: a server that cannot be reached, refuses the
credentials or answers 5xx is :class:`StoreUnavailable`; a query it rejects (4xx) or one that runs past the
deadline is :class:`QueryRejected`. Queries are sent as POSTed forms (long dataset lists do not fit a URL).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from urllib.parse import urlencode

import httpx2

from graph.errors import QueryRejected, StoreUnavailable

#: Media types asked of a query: results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE.
QUERY_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
FORM = "application/x-www-form-urlencoded"
#: Seconds a write (update or graph upload) may take: loads of large sources are slow, and bounded by this.
WRITE_TIMEOUT_S = 600.0


class SparqlEndpoints:
    """A client for the query, update and (optional) Graph Store Protocol endpoints of one server.

    Parameters
    ----------
    query_url : str
        Query endpoint.
    update_url, gsp_url : str or None
        Update and Graph Store Protocol endpoints (None: the store is read-only, or writes by update).
    user, password : str or None
        HTTP basic authentication.
    timeout_s : float
        Deadline of a query, in seconds.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None,
        gsp_url: str | None,
        *,
        user: str | None,
        password: str | None,
        timeout_s: float,
    ):
        self.query_url, self.update_url, self.gsp_url = query_url, update_url, gsp_url
        self.timeout_s = timeout_s
        auth = httpx2.BasicAuth(user, password or "") if user else None
        self._client = httpx2.Client(auth=auth, follow_redirects=False)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _send(self, method: str, url: str, *, timeout: float, what: str, **kwargs: object) -> httpx2.Response:
        try:
            response = self._client.request(method, url, timeout=timeout, **kwargs)  # type: ignore[arg-type]
        except httpx2.TimeoutException:
            if what == "query":
                raise QueryRejected(f"the query ran longer than {timeout:g} s and was stopped") from None
            raise StoreUnavailable(f"the SPARQL server at {url} did not finish the {what} in {timeout:g} s") from None
        except httpx2.HTTPError as error:
            raise StoreUnavailable(f"the SPARQL server at {url} is not reachable ({type(error).__name__})") from None
        if response.status_code in (401, 403):
            raise StoreUnavailable(
                f"the SPARQL server at {url} refused the credentials (PEERGRAPH_SPARQL_USER / _PASSWORD)"
            )
        if response.status_code >= 500 or (what != "query" and response.status_code >= 400):
            raise StoreUnavailable(
                f"the SPARQL server at {url} failed the {what} ({response.status_code}: {response.text[:300].strip()})"
            )
        if response.status_code >= 400:
            raise QueryRejected(f"the SPARQL server rejected the query: {response.text[:500].strip()}")
        return response

    def query(
        self, text: str, *, default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None
    ) -> httpx2.Response:
        """Send a query with its dataset (the protocol's ``default-graph-uri`` / ``named-graph-uri``).

        An empty list is sent as one graph that holds nothing, so the server never falls back to its own
        default graph (which may be the union of every graph, restricted ones included); None and None send
        no dataset, for peergraph's own queries that name their graphs (never a user's).
        """
        fields: list[tuple[str, str]] = [("query", text)]
        if default_graphs is not None or named_graphs is not None:
            fields += [("default-graph-uri", graph) for graph in default_graphs or [EMPTY_GRAPH]]
            fields += [("named-graph-uri", graph) for graph in named_graphs or [EMPTY_GRAPH]]
        return self._send(
            "POST",
            self.query_url,
            timeout=self.timeout_s,
            what="query",
            content=urlencode(fields).encode(),
            headers={"Accept": QUERY_ACCEPT, "Content-Type": FORM},
        )

    def stream_construct(self, text: str, *, default_graphs: Sequence[str]) -> Iterator[bytes]:
        """Yield the N-Triples of a CONSTRUCT query in chunks, as the server sends them (no deadline but writes')."""
        fields = [("query", text)] + [("default-graph-uri", graph) for graph in default_graphs or [EMPTY_GRAPH]]
        fields.append(("named-graph-uri", EMPTY_GRAPH))
        try:
            with self._client.stream(
                "POST",
                self.query_url,
                content=urlencode(fields).encode(),
                headers={"Accept": "application/n-triples", "Content-Type": FORM},
                timeout=WRITE_TIMEOUT_S,
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    raise StoreUnavailable(f"the SPARQL server failed to read a graph ({response.status_code})")
                yield from response.iter_bytes()
        except httpx2.HTTPError as error:
            raise StoreUnavailable(f"the SPARQL server at {self.query_url} stopped answering ({error})") from None

    def update(self, text: str) -> None:
        """Send one update request (one transaction on servers that have them)."""
        if self.update_url is None:
            raise StoreUnavailable("this remote store is read-only: set PEERGRAPH_SPARQL_UPDATE_URL to write")
        self._send(
            "POST",
            self.update_url,
            timeout=WRITE_TIMEOUT_S,
            what="update",
            content=text.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace a named graph with the given N-Triples (Graph Store Protocol ``PUT``)."""
        assert self.gsp_url is not None
        self._send(
            "PUT",
            self.gsp_url,
            timeout=WRITE_TIMEOUT_S,
            what="graph upload",
            params={"graph": graph},
            content=ntriples,
            headers={"Content-Type": "application/n-triples"},
        )


#: A graph no source writes to: the dataset of a query that may see nothing.
EMPTY_GRAPH = "https://w3id.org/peergraph/id/graph/empty"
