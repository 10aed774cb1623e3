"""Store use cases: open, initialise, validate, ingest, remove, count."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from graph.errors import NotFound
from graph.rdf.live_store import LiveStore
from graph.rdf.loader import LoadReport, load, new_run_id
from graph.rdf.query_pool import QueryPool
from graph.rdf.sandbox import run_without_network
from graph.rdf.sources import is_builtin_source
from graph.rdf.store import RdfStore
from graph.remote.store import LiveRemoteStore, open_remote_store
from graph.settings import Settings
from graph.store import GraphStore, SourceInfo
from ingest.mapping import record_iri
from ingest.pipeline import Batch, prepare
from ingest.reference import reference_triples, treaty_triples
from ingest.types import Triple
from ontology import PG
from ontology.namespaces import RDF
from ontology.vocabulary import load_graph, ontology_path, vocabulary_paths


def open_rdf_store(settings: Settings, *, read_only: bool = False, in_memory: bool = False) -> GraphStore:
    """Open the RDF store the settings name: remote if ``sparql_query_url`` is set, else the embedded one.

    Parameters
    ----------
    settings : Settings
        ``settings.store`` is the embedded store's folder; ``sparql_*`` name a remote store.
    read_only : bool
        Open for reading only (the server does; the remote store is read-only without an update URL).
    in_memory : bool
        With ``read_only``, copy the snapshot into memory (the server does when ``serve_from_memory``).

    Returns
    -------
    GraphStore
        The open store; close it when done. An embedded writer keeps public copies for the Neo4j sync
        (:mod:`graph.rdf.public_copies`) when Neo4j is configured.
    """
    if settings.sparql_query_url:
        return open_remote_store(settings)
    return RdfStore(
        settings.store, read_only=read_only, in_memory=in_memory, keep_public_copies=bool(settings.neo4j_uri)
    )


def store_exists(settings: Settings) -> bool:
    """Tell whether there is a store to read: a remote one is taken to exist, an embedded one once published."""
    return bool(settings.sparql_query_url) or RdfStore.exists(settings.store)


def open_live_store(
    settings: Settings,
    *,
    warm: Callable[[GraphStore], object] | None = None,
    query_runner: QueryPool | None = None,
) -> LiveStore | LiveRemoteStore:
    """Open the store the server reads: the embedded store's newest snapshot, or the remote store.

    An embedded snapshot is reloaded once per commit, in the background.

    Parameters
    ----------
    settings : Settings
        ``store`` and ``serve_from_memory``, or ``sparql_*``.
    warm : callable, optional
        Called with each new snapshot before requests see it.
    query_runner : QueryPool, optional
        Worker processes that run an embedded snapshot's user queries under a deadline
        (:func:`graph.services.query.open_query_pool`).

    Returns
    -------
    LiveStore or LiveRemoteStore
        The shared holder: ``current()`` gives the store to read.
    """
    if settings.sparql_query_url:
        return LiveRemoteStore(open_remote_store(settings))
    return LiveStore(settings.store, in_memory=settings.serve_from_memory, warm=warm, query_runner=query_runner)


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


def init_store(store: GraphStore) -> list[str]:
    """Load the ontology, vocabularies and country reference into the store, where changed.

    Parameters
    ----------
    store : GraphStore
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


def _known_in(store: GraphStore, lookups: ThreadPoolExecutor):
    """Return the reference check of validation: asked in ``lookups``, a thread that may reach a remote store."""

    def known(table: str, key: str) -> bool:
        return lookups.submit(store.holds, str(record_iri(table, key))).result()

    return known


def validate_paths(
    store: GraphStore | None, paths: Sequence[Path], settings: Settings, *, name: str | None = None
) -> Batch:
    """Validate inputs without writing (``peergraph validate``).

    Parameters
    ----------
    store : GraphStore or None
        If given, references may resolve to records it holds.
    paths : sequence of pathlib.Path
        Input files or folders.
    settings : Settings
        The deployment's settings (no validation step reads one since SHACL lost its size bound).
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
    with ThreadPoolExecutor(1, thread_name_prefix="peergraph-lookup") as lookups:
        # Started here, not from the socket-less thread (whose filter new threads inherit): a remote store's
        # reference checks need the network.
        lookups.submit(int).result()
        return run_without_network(
            prepare,
            paths,
            _known_in(store, lookups) if store is not None else None,
            name=name,
        )


def ingest_paths(
    store: GraphStore,
    paths: Sequence[Path],
    settings: Settings,
    *,
    name: str | None = None,
    force: bool = False,
) -> tuple[Batch, LoadReport]:
    """Validate inputs and load them, all or nothing (``peergraph ingest``).

    Parameters
    ----------
    store : GraphStore
        A store open for writing; built-in sources are loaded first if missing.
    paths : sequence of pathlib.Path
        Input files or folders.
    settings : Settings
        The deployment's settings (no validation step reads one since SHACL lost its size bound).
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


def load_demo(store: GraphStore, settings: Settings) -> tuple[Batch, LoadReport]:
    """Load the bundled sample data (and the built-in sources) into the store.

    Parameters
    ----------
    store : GraphStore
        A store open for writing.
    settings : Settings
        The deployment's settings (no validation step reads one since SHACL lost its size bound).

    Returns
    -------
    tuple
        As :func:`ingest_paths`.
    """
    return ingest_paths(store, [sample_data_path()], settings)


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


def store_stats(store: GraphStore, *, include_restricted: bool = False) -> StoreStats:
    """Count sources, triples and records per ontology class (data sources only).

    Parameters
    ----------
    store : GraphStore
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
        result = store.run_query(
            f"""
            SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
              VALUES ?g {{ {data_graphs} }} GRAPH ?g {{ ?s ?p ?o }} ?s a ?class .
              FILTER(STRSTARTS(STR(?class), STR(pg:))) }} GROUP BY ?class ORDER BY ?class""",
            max_rows=10_000,
            include_restricted=include_restricted,
        )
        classes = {str(row["class"]).rsplit("#", 1)[-1]: int(str(row["n"])) for row in result.rows}
    if include_restricted:
        return StoreStats(sources, sum(s.triple_count for s in sources), classes)
    public = [source for source in sources if store.has_public_content(source)]
    return StoreStats(public, store.public_count(), classes, detailed=False)


def remove_sources(store: GraphStore, names: Iterable[str]) -> list[str]:
    """Remove sources from the store, all at once (``peergraph remove``).

    Parameters
    ----------
    store : GraphStore
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
