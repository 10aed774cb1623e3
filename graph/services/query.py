"""SPARQL use case: a read-only query over the visible graphs or the dataset the request names, under a deadline.

User queries run in worker processes (:mod:`graph.rdf.query_pool`) when the store has a query runner: the
server's pool (:func:`open_query_pool`, one worker per core by default) or the command line's single worker
(:func:`open_query_store`). Past ``query_timeout_s`` the worker is killed and the caller gets ``QueryTimeout``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence

from graph.rdf.answer_cache import AnswerCache
from graph.rdf.query_pool import QueryPool, cancel_when
from graph.rdf.store import RdfStore
from graph.results import Serialised, SparqlResult
from graph.services.store import open_rdf_store
from graph.settings import Settings
from graph.store import GraphStore

__all__ = ["cancel_when", "open_query_pool", "open_query_store", "run_sparql", "run_sparql_serialised"]


def open_query_pool(settings: Settings, *, workers: int | None = None) -> QueryPool | None:
    """Make the pool of query workers the settings ask for (no process starts until :meth:`QueryPool.start`).

    Parameters
    ----------
    settings : Settings
        ``store``, ``serve_from_memory``, ``query_workers``, ``query_queue``, ``query_timeout_s``,
        ``admission_retry_after_s`` and ``result_cache_mb`` (the server's pool only).
    workers : int, optional
        Overrides ``query_workers`` (the command line uses one).

    Returns
    -------
    QueryPool or None
        None when ``query_workers`` is 0: queries then run in the calling process, without a deadline.
    """
    count = settings.query_workers if workers is None else workers
    if count == 0 or settings.sparql_query_url:  # a remote store bounds its queries by its HTTP deadline
        return None
    server = workers is None  # the command line's single worker answers one command: nothing to keep
    return QueryPool(
        settings.store,
        in_memory=settings.serve_from_memory and server,
        workers=count or os.cpu_count() or 1,
        queue=settings.query_queue,
        timeout_s=settings.query_timeout_s,
        retry_after_s=settings.admission_retry_after_s,
        answer_cache=AnswerCache(settings.result_cache_mb << 20) if server and settings.result_cache_mb else None,
    )


@contextlib.contextmanager
def open_query_store(settings: Settings) -> Iterator[GraphStore]:
    """Open the store read-only for a command whose SPARQL runs in one worker process, under the deadline.

    Parameters
    ----------
    settings : Settings
        As :func:`open_query_pool`; the worker reads the on-disk snapshot (no copy in memory).

    Yields
    ------
    GraphStore
        The store; an embedded store's :meth:`~RdfStore.run_query` goes to the worker, which is killed when the
        block ends (a remote store is opened as :func:`open_rdf_store` does).
    """
    pool = open_query_pool(settings, workers=0 if settings.query_workers == 0 else 1)
    if settings.sparql_query_url:
        with open_rdf_store(settings, read_only=True) as remote:
            yield remote
        return
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(RdfStore(settings.store, read_only=True))
        if pool is not None:
            stack.enter_context(pool)
            pool.start()  # the worker opens the store while the command goes on
            store.query_runner = pool
        yield store


def _dataset(default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]) -> tuple[list[str], list[str]] | None:
    if default_graph_uris or named_graph_uris:
        return (list(default_graph_uris), list(named_graph_uris))
    return None  # the query's FROM clauses, if any (see RdfStore.run_query)


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
    QueryTimeout, QueryBusy
        Past the deadline, or with every query worker busy (see :class:`QueryPool`).
    """
    dataset = _dataset(default_graph_uris, named_graph_uris)
    return store.run_query(query, max_rows=max_rows, include_restricted=include_restricted, dataset=dataset)


def run_sparql_serialised(
    store: GraphStore,
    query: str,
    *,
    formats: tuple[str | None, str | None],
    max_rows: int,
    include_restricted: bool = False,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
) -> Serialised:
    """Run a query as :func:`run_sparql` does and return its answer serialised (in the worker, when there is one).

    Parameters
    ----------
    store : GraphStore
        The store.
    query : str
        A SPARQL 1.1 query.
    formats : (str or None, str or None)
        The format for solutions (``json``, ``xml``, ``csv``, ``tsv``) and for graphs (an rdflib format name);
        None where the caller accepts none (the answer then has no body).
    max_rows : int
        Most rows (or triples) returned.
    include_restricted : bool
        Also query the graphs of restricted records.
    default_graph_uris, named_graph_uris : sequence of str
        As :func:`run_sparql`.

    Returns
    -------
    Serialised
        The answer's kind (which format applied), bytes and truncation flag.

    Raises
    ------
    QueryRejected, QueryTimeout, QueryBusy
        As :func:`run_sparql`.
    """
    dataset = _dataset(default_graph_uris, named_graph_uris)
    return store.run_query_serialised(
        query, formats=formats, max_rows=max_rows, include_restricted=include_restricted, dataset=dataset
    )
