"""Which sources are built in, projected to Neo4j or restricted: the store's catalogue policy.

Built-in sources (ontology, vocabularies, country reference) are loaded by ``init_store``; the others are data.
Neo4j mirrors every source but the OWL file; restricted records never leave the store for anonymous callers.
"""

from __future__ import annotations

from graph.store import GraphStore

#: Prefix of the names of built-in sources (ontology, vocabularies, reference).
BUILTIN_PREFIXES = ("ontology:", "vocabulary:", "reference:")


def is_builtin_source(name: str) -> bool:
    """Tell whether a source is built in (ontology, vocabulary or country reference) rather than data.

    Parameters
    ----------
    name : str
        A source name.

    Returns
    -------
    bool
        True for built-in sources.

    Examples
    --------
    >>> is_builtin_source("vocabulary:challenges.ttl"), is_builtin_source("sample/measures.csv")
    (True, False)
    """
    return name.startswith(BUILTIN_PREFIXES)


def data_sources(store: GraphStore) -> list[str]:
    """Return the names of the data sources (not the ontology, vocabularies or country reference).

    Parameters
    ----------
    store : GraphStore
        The RDF store.

    Returns
    -------
    list of str
        Source names.
    """
    return [source.name for source in store.sources() if not is_builtin_source(source.name)]


def projected_sources(store: GraphStore) -> list[str]:
    """Return the sources Neo4j mirrors: data, vocabularies and the country reference (not the OWL file).

    Parameters
    ----------
    store : GraphStore
        The RDF store.

    Returns
    -------
    list of str
        Source names.
    """
    return [source.name for source in store.sources() if not source.name.startswith("ontology:")]


def restricted_iris(store: GraphStore) -> set[str]:
    """Return the IRIs of records whose visibility is restricted.

    Parameters
    ----------
    store : GraphStore
        The RDF store.

    Returns
    -------
    set of str
        Record IRIs.
    """
    query = "SELECT ?s WHERE { ?s pg:visibility visibility:restricted }"
    # peergraph's own query: in this process, not in a user query worker under the users' deadline
    run = getattr(store, "run_query_here", store.run_query)
    return {str(row["s"]) for row in run(query, max_rows=10**9, include_restricted=True).rows}


def unprojected_sources(store: GraphStore) -> list[str]:
    """Return the sources Neo4j does not mirror: those :func:`projected_sources` leaves out (the OWL file).

    Parameters
    ----------
    store : GraphStore
        The RDF store.

    Returns
    -------
    list of str
        Source names.
    """
    projected = set(projected_sources(store))
    return [source.name for source in store.sources() if source.name not in projected]
