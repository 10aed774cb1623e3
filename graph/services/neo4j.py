"""Neo4j use cases: open the projection, sync it from the RDF store, export it, run read-only Cypher."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from rdflib import Graph

from graph.errors import NEO4J_HOW_TO, QueryRejected, StoreUnavailable
from graph.neo4j.store import CypherResult, Neo4jStore, SyncReport
from graph.rdf.loader import new_run_id
from graph.rdf.sources import restricted_iris, unprojected_sources
from graph.settings import Settings
from graph.store import GraphStore
from ingest.types import Triple
from ontology.namespaces import bind_prefixes


def open_neo4j_store(settings: Settings) -> Neo4jStore:
    """Open the Neo4j store the settings name.

    Parameters
    ----------
    settings : Settings
        Neo4j URI, credentials, database, timeout and row cap.

    Returns
    -------
    Neo4jStore
        The store (the driver connects lazily); close it when done.

    Raises
    ------
    StoreUnavailable
        If no Neo4j is configured, saying how to start one.
    """
    if not settings.neo4j_uri:
        raise StoreUnavailable(NEO4J_HOW_TO)
    return Neo4jStore(
        settings.neo4j_uri,
        settings.neo4j_user,
        settings.neo4j_password,
        settings.neo4j_database,
        read_user=settings.neo4j_read_user,
        read_password=settings.neo4j_read_password,
        timeout_s=settings.query_timeout_s,
        max_rows=settings.max_rows,
    )


def projected_triples(store: GraphStore) -> Iterator[Triple]:
    """Yield the public triples Neo4j should hold, as RDF (what a round trip must give back).

    Parameters
    ----------
    store : GraphStore
        The RDF store.

    Yields
    ------
    Triple
        Every triple of the projected sources, restricted records left out.
    """
    for subject, pairs in store.public_subject_groups(unprojected_sources(store), skip=restricted_iris(store)):
        for predicate, obj in pairs:
            yield subject, predicate, obj


def sync_neo4j(
    store: GraphStore, neo4j_store: Neo4jStore, *, fresh: bool = False, on_batch: Callable[[int], None] | None = None
) -> SyncReport:
    """Project the RDF store's public data into Neo4j (``peergraph neo4j sync``).

    Parameters
    ----------
    store : GraphStore
        The RDF store (the source of truth).
    neo4j_store : Neo4jStore
        The target.
    fresh : bool
        Delete everything in Neo4j first.
    on_batch : callable, optional
        Progress callback (subjects written so far).

    Returns
    -------
    SyncReport
        What was written and removed.
    """
    if fresh:
        neo4j_store.wipe()
    groups = store.public_plain_groups(unprojected_sources(store), skip=restricted_iris(store))
    try:
        return neo4j_store.sync(groups, new_run_id(), on_batch=on_batch)
    finally:
        groups.close()  # release the store's query iterator in this thread, even when the sync failed


def export_neo4j(neo4j_store: Neo4jStore, destination: Path) -> int:
    """Write Neo4j's projection back as Turtle.

    Parameters
    ----------
    neo4j_store : Neo4jStore
        The Neo4j store.
    destination : pathlib.Path
        The Turtle file.

    Returns
    -------
    int
        Triples written.
    """
    graph = bind_prefixes(Graph())
    for triple in neo4j_store.export_triples():
        graph.add(triple)
    graph.serialize(destination, format="turtle")
    return len(graph)


def cypher_parameters(items: list[str]) -> dict[str, object]:
    """Read ``NAME=VALUE`` Cypher parameters as the CLI and the console take them (VALUE as JSON when it parses).

    Raises
    ------
    QueryRejected
        For an item without ``=`` or without a name.
    """
    found: dict[str, object] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryRejected(f"a parameter is NAME=VALUE (VALUE read as JSON when it parses), got {item!r}")
        try:
            found[name] = json.loads(value)
        except json.JSONDecodeError:
            found[name] = value
    return found


def run_cypher_readonly(neo4j_store: Neo4jStore, query: str, parameters: dict | None = None) -> CypherResult:
    """Run a read-only Cypher query on Neo4j (see :meth:`Neo4jStore.run_cypher_readonly` for the guards).

    Parameters
    ----------
    neo4j_store : Neo4jStore
        The Neo4j store.
    query : str
        One Cypher statement.
    parameters : dict, optional
        Its parameters.

    Returns
    -------
    CypherResult
        Columns and rows.
    """
    return neo4j_store.run_cypher_readonly(query, parameters)
