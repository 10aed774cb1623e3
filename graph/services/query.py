"""SPARQL use case: a read-only query over the visible graphs or the dataset the request names."""

from __future__ import annotations

from collections.abc import Sequence

from graph.results import SparqlResult
from graph.store import GraphStore


def run_sparql(
    store: GraphStore,
    query: str,
    *,
    max_rows: int,
    include_restricted: bool = False,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
) -> SparqlResult:
    """Run a read-only SPARQL query over the store's visible graphs, or the dataset the request names.

    Parameters
    ----------
    store : GraphStore
        The store.
    query : str
        A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE). Updates and ``SERVICE`` are refused.
    max_rows : int
        Most rows (or triples) returned; ``truncated`` says whether more existed.
    include_restricted : bool
        Also query the graphs of restricted records (the operator and restricted-read API keys).
    default_graph_uris, named_graph_uris : sequence of str
        The protocol's ``default-graph-uri`` / ``named-graph-uri``: source or graph IRIs of this store. They
        override ``FROM`` / ``FROM NAMED`` in the query, which otherwise choose the dataset; without either,
        the default graph is the union of the store's graphs.

    Returns
    -------
    SparqlResult
        The bounded answer.

    Raises
    ------
    QueryRejected
        For malformed queries, updates and federated ``SERVICE`` calls (a graph the store does not hold is
        empty, not an error).
    """
    if default_graph_uris or named_graph_uris:
        dataset: tuple[list[str], list[str]] | None = (list(default_graph_uris), list(named_graph_uris))
    else:
        dataset = None  # the query's FROM clauses, if any (see GraphStore.run_query)
    return store.run_query(query, max_rows=max_rows, include_restricted=include_restricted, dataset=dataset)
