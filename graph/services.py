"""Use cases of peergraph, called by both the HTTP API and the command line.

Services are plain functions over explicit dependencies (settings, stores); they hold the logic that
routers and CLI commands must not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Graph

from graph.errors import NotFound, StoreUnavailable
from graph.live_store import LiveStore
from graph.loader import LoadReport, load, new_run_id
from graph.neo4j_store import CypherResult, Neo4jStore, SyncReport
from graph.rdf_store import RdfStore
from graph.results import SparqlResult
from graph.sandbox import run_without_network
from graph.settings import Settings
from graph.store import SourceInfo
from ingest.mapping import record_iri
from ingest.pipeline import Batch, prepare
from ingest.reference import reference_triples, treaty_triples
from ingest.types import Triple
from ontology import PG
from ontology.namespaces import RDF, bind_prefixes
from ontology.vocabulary import load_graph, ontology_path, vocabulary_paths

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


def open_rdf_store(settings: Settings, *, read_only: bool = False, in_memory: bool = False) -> RdfStore:
    """Open the RDF store the settings name.

    Parameters
    ----------
    settings : Settings
        ``settings.store`` is the folder.
    read_only : bool
        Open for reading only (the server does).
    in_memory : bool
        With ``read_only``, copy the snapshot into memory (the server does when ``serve_from_memory``).

    Returns
    -------
    RdfStore
        The open store; close it when done. A writer keeps public copies for the Neo4j sync
        (:mod:`graph.public_copies`) when Neo4j is configured.
    """
    return RdfStore(
        settings.store, read_only=read_only, in_memory=in_memory, keep_public_copies=bool(settings.neo4j_uri)
    )


def open_live_store(settings: Settings, *, warm: Callable[[RdfStore], object] | None = None) -> LiveStore:
    """Open the store the server reads: its newest snapshot, reloaded once per commit in the background.

    Parameters
    ----------
    settings : Settings
        ``store`` and ``serve_from_memory``.
    warm : callable, optional
        Called with each new snapshot before requests see it.

    Returns
    -------
    LiveStore
        The shared snapshot holder.
    """
    return LiveStore(settings.store, in_memory=settings.serve_from_memory, warm=warm)


def sample_data_path() -> Path:
    """Return the folder of the bundled sample data (real programme records, see its README section).

    Returns
    -------
    pathlib.Path
        ``ingest/sample``.
    """
    return Path(str(resources.files("ingest"))) / "sample"


def _builtin_sources() -> list[tuple[SourceInfo, list[Triple]]]:
    items: list[tuple[SourceInfo, list[Triple]]] = []
    for prefix, path in [("ontology:", ontology_path())] + [("vocabulary:", p) for p in vocabulary_paths()]:
        data = path.read_bytes()
        triples = list(load_graph(path))
        items.append((SourceInfo(prefix + path.name, path.name, hashlib.sha256(data).hexdigest(), 0), triples))
    for name, file_name, triples, kind in (
        ("reference:countries", "countries.csv", list(reference_triples()), PG.Country),
        ("reference:treaties", "treaty_memberships.csv", list(treaty_triples()), PG.TreatyMembership),
    ):
        digest = hashlib.sha256("\n".join(sorted(" ".join(t.n3() for t in triple) for triple in triples)).encode())
        records = sum(1 for _, p, o in triples if p == RDF.type and o == kind)
        items.append((SourceInfo(name, file_name, digest.hexdigest(), records), triples))
    return items


def init_store(store: RdfStore) -> list[str]:
    """Load the ontology, vocabularies and country reference into the store, where changed.

    Parameters
    ----------
    store : RdfStore
        A store open for writing.

    Returns
    -------
    list of str
        Names of the built-in sources that were (re)loaded.
    """
    held = {source.name: source.sha256 for source in store.sources()}
    changed = [(info, triples) for info, triples in _builtin_sources() if held.get(info.name) != info.sha256]
    if changed:
        store.replace_sources(changed, new_run_id())
    return [info.name for info, _ in changed]


def _known_in(store: RdfStore):
    def known(table: str, key: str) -> bool:
        return bool(store.query(f"ASK {{ <{record_iri(table, key)}> ?p ?o }}", include_restricted=True))

    return known


def validate_paths(
    store: RdfStore | None, paths: Sequence[Path], settings: Settings, *, name: str | None = None
) -> Batch:
    """Validate inputs without writing (``peergraph validate``).

    Parameters
    ----------
    store : RdfStore or None
        If given, references may resolve to records it holds.
    paths : sequence of pathlib.Path
        Input files or folders.
    settings : Settings
        For the SHACL size bound.
    name : str, optional
        Source name for a single file.

    Returns
    -------
    Batch
        The prepared (but not loaded) batch.

    Raises
    ------
    graph.errors.IngestError
        With every problem found.
    """
    # Read and parse where no socket can be opened: a parser that would fetch (a JSON-LD context, an XML
    # entity) fails instead of reaching the network.
    return run_without_network(
        prepare,
        paths,
        _known_in(store) if store is not None else None,
        name=name,
        shacl_max_triples=settings.shacl_max_triples,
    )


def ingest_paths(
    store: RdfStore,
    paths: Sequence[Path],
    settings: Settings,
    *,
    name: str | None = None,
    force: bool = False,
) -> tuple[Batch, LoadReport]:
    """Validate inputs and load them, all or nothing (``peergraph ingest``).

    Parameters
    ----------
    store : RdfStore
        A store open for writing; built-in sources are loaded first if missing.
    paths : sequence of pathlib.Path
        Input files or folders.
    settings : Settings
        For the SHACL size bound.
    name : str, optional
        Source name for a single file.
    force : bool
        Reload unchanged files too.

    Returns
    -------
    batch : Batch
        What was read.
    report : LoadReport
        What was loaded and what was unchanged.

    Raises
    ------
    graph.errors.IngestError
        With every problem found; nothing is written.
    """
    init_store(store)
    batch = validate_paths(store, paths, settings, name=name)
    return batch, load(batch, store, force=force)


def load_demo(store: RdfStore, settings: Settings) -> tuple[Batch, LoadReport]:
    """Load the bundled sample data (and the built-in sources) into the store.

    Parameters
    ----------
    store : RdfStore
        A store open for writing.
    settings : Settings
        For the SHACL size bound.

    Returns
    -------
    tuple
        As :func:`ingest_paths`.
    """
    return ingest_paths(store, [sample_data_path()], settings)


def run_sparql(
    store: RdfStore,
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
    store : RdfStore
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
        For malformed queries, updates, federated ``SERVICE`` calls and unknown graphs.
    """
    if default_graph_uris or named_graph_uris:
        dataset: tuple[list[str], list[str]] | None = (list(default_graph_uris), list(named_graph_uris))
    else:
        dataset = None  # the query's FROM clauses, if any (see RdfStore.run_query)
    return store.run_query(query, max_rows=max_rows, include_restricted=include_restricted, dataset=dataset)


@dataclass
class StoreStats:
    """What the store holds: sources, triples and records per class.

    For anonymous callers (``detailed`` False) the sources are those with public content, the triples the
    public ones, and per-source counts and checksums are not to be shown (they count restricted records).
    """

    sources: list
    triples: int
    classes: dict[str, int]
    detailed: bool = True


def store_stats(store: RdfStore, *, include_restricted: bool = False) -> StoreStats:
    """Count sources, triples and records per ontology class (data sources only).

    Parameters
    ----------
    store : RdfStore
        The store.
    include_restricted : bool
        Count restricted records too, and give per-source counts and checksums.

    Returns
    -------
    StoreStats
        The counts.
    """
    sources = store.sources()
    data_graphs = " ".join(
        f"<{graph}>"
        for s in sources
        if not is_builtin_source(s.name)
        for graph in s.graphs(include_restricted=include_restricted)
    )
    classes: dict[str, int] = {}
    if data_graphs:
        result = store.query(
            f"""
            SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
              VALUES ?g {{ {data_graphs} }} GRAPH ?g {{ ?s ?p ?o }} ?s a ?class .
              FILTER(STRSTARTS(STR(?class), STR(pg:))) }} GROUP BY ?class ORDER BY ?class""",
            include_restricted=include_restricted,
        )
        classes = {row["class"].value.rsplit("#", 1)[-1]: int(row["n"].value) for row in result}
    if include_restricted:
        return StoreStats(sources, sum(s.triple_count for s in sources), classes)
    public = [source for source in sources if store.has_public_content(source)]
    return StoreStats(public, store.public_count(), classes, detailed=False)


def data_sources(store: RdfStore) -> list[str]:
    """Return the names of the data sources (not the ontology, vocabularies or country reference).

    Parameters
    ----------
    store : RdfStore
        The RDF store.

    Returns
    -------
    list of str
        Source names.
    """
    return [source.name for source in store.sources() if not is_builtin_source(source.name)]


NEO4J_HOW_TO = (
    "Cypher needs Neo4j, and none is configured. Start one with `make neo4j-start` (no Docker needed; it "
    "prints the settings) or `docker compose up neo4j`, then set PEERGRAPH_NEO4J_URI, PEERGRAPH_NEO4J_USER and "
    "PEERGRAPH_NEO4J_PASSWORD and run `peergraph neo4j sync`. Everything else works on the embedded RDF store "
    "(use SPARQL)."
)


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


def projected_sources(store: RdfStore) -> list[str]:
    """Return the sources Neo4j mirrors: data, vocabularies and the country reference (not the OWL file).

    Parameters
    ----------
    store : RdfStore
        The RDF store.

    Returns
    -------
    list of str
        Source names.
    """
    return [source.name for source in store.sources() if not source.name.startswith("ontology:")]


def restricted_iris(store: RdfStore) -> set[str]:
    """Return the IRIs of records whose visibility is restricted.

    Parameters
    ----------
    store : RdfStore
        The RDF store.

    Returns
    -------
    set of str
        Record IRIs.
    """
    result = store.run_query(
        "SELECT ?s WHERE { ?s pg:visibility visibility:restricted }", max_rows=10**9, include_restricted=True
    )
    return {str(row["s"]) for row in result.rows}


def unprojected_sources(store: RdfStore) -> list[str]:
    """Return the sources Neo4j does not mirror: those :func:`projected_sources` leaves out (the OWL file).

    Parameters
    ----------
    store : RdfStore
        The RDF store.

    Returns
    -------
    list of str
        Source names.
    """
    projected = set(projected_sources(store))
    return [source.name for source in store.sources() if source.name not in projected]


def projected_triples(store: RdfStore) -> Iterator[Triple]:
    """Yield the public triples Neo4j should hold, as RDF (what a round trip must give back).

    Parameters
    ----------
    store : RdfStore
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
    store: RdfStore, neo4j_store: Neo4jStore, *, fresh: bool = False, on_batch: Callable[[int], None] | None = None
) -> SyncReport:
    """Project the RDF store's public data into Neo4j (``peergraph neo4j sync``).

    Parameters
    ----------
    store : RdfStore
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


def remove_sources(store: RdfStore, names: Iterable[str]) -> list[str]:
    """Remove sources from the store, all at once (``peergraph remove``).

    Parameters
    ----------
    store : RdfStore
        A store open for writing.
    names : iterable of str
        Source names, as ``peergraph stats`` lists them.

    Returns
    -------
    list of str
        The names removed.

    Raises
    ------
    NotFound
        If a name is not held (nothing is removed then).
    """
    names = list(names)
    held = {source.name for source in store.sources()}
    missing = [name for name in names if name not in held]
    if missing:
        raise NotFound(f"no source called {', '.join(missing)}; `peergraph stats` lists the sources")
    store.remove_sources(names)
    return names
