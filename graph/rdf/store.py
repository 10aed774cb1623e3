"""The embedded RDF store (pyoxigraph, on disk or in memory): named graph per source, SPARQL queries.

How a load stays all-or-nothing
-------------------------------
Each load writes every source's triples into a *new* named graph (``…/id/graph/<source>/<run>``),
invisible to queries, then switches the catalog graph to the new graphs in **one** SPARQL update (one
transaction), and only then drops the old graphs. Queries see exactly the graphs the catalog lists, so a
process killed at any point leaves the store in its old or its new state; graphs left behind by a killed
load are dropped the next time a writer opens the store.

The default graph: a merged copy of the public graphs
-----------------------------------------------------
Oxigraph evaluates a query whose default graph is a *list* of named graphs 5-10 times slower than one
over a single graph (measured: ``benchmarks/http.py``). So the writer also keeps, in the store's own
default graph, the union of every source's public graph, updated with each load (triples of the old graph
no other public graph holds are removed, the new graph's triples added) and stamped with
``pg:unionDigest`` (a digest of the public graph names) last. Queries use it when the stamp matches the
catalog, and the list of graphs otherwise (a load killed midway, a store from an older version); a writer
that finds the stamp stale rebuilds the union when it opens the store.

Restricted records
------------------
Every triple whose subject or object is a record with ``pg:visibility visibility:restricted`` goes to the
source's *restricted* graph (``…/id/graph/<source>/<run>/restricted``, catalogued as ``pg:restrictedGraph``)
instead of its public graph. Queries see the public graphs only unless the caller asks for
``include_restricted`` (the command line, which is the store's operator, and API keys with restricted
read). A record is restricted if it is marked so in the load or in a stored source the load does not
replace. Every load re-splits, in the same switch, the stored sources whose triples change side (a sibling
file naming a record that became restricted, or public again), so visibility follows the record whichever
file a triple came from, with or without ``--force``.

One writer, many readers
------------------------
The store folder holds ``db/`` (the RocksDB database), ``snapshots/<generation>/`` and two small files.
RocksDB allows one read-write process, and a read-only open beside a working writer can race its
compactions (seen here: "No such file … .sst"). So:

* the writer (``peergraph ingest``, ``init``, ``demo``) holds ``peergraph-writer.lock`` (with its PID and
  command, so a second writer fails with a message naming the holder) and opens ``db/``;
* after every commit it publishes an immutable checkpoint of ``db/`` (``Store.backup``: hard links, no
  copy) as ``snapshots/<generation>/`` and writes that name to ``peergraph-generation``, keeping the two
  newest checkpoints;
* readers (``peergraph serve``, ``sparql``, ``stats``, ``export``) open the newest checkpoint read-only and
  reopen when ``peergraph-generation`` changes, so the CLI can ingest while the server runs and the
  server sees the new data on its next request.

Public copies for the Neo4j sync
--------------------------------
A writer opened with ``keep_public_copies`` (the commands do so when Neo4j is configured) also writes each
source's public graph to ``public-copies/<digest of the graph name>.nt`` during the load, sorted by subject,
and removes it with its graph (:mod:`graph.rdf.public_copies`); graphs loaded before without a copy are copied
when such a writer opens the store. :meth:`RdfStore.public_plain_groups` reads the copies instead of
decoding the store when every projected source has one.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import hashlib
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.errors import QueryRejected, StoreLocked, StoreUnavailable
from graph.plain_terms import PlainGroup, grouped_by_subject, plain_of, rdflib_of, resource_key, resource_of
from graph.rdf.dump_stream import dumped_triples
from graph.rdf.merged_graph import MergedDefaultGraph
from graph.rdf.oxigraph_terms import to_ox, to_plain, to_rdflib
from graph.rdf.public_copies import SortedCopy, copy_name, merged_groups, write_copy
from graph.rdf.sandbox import run_without_network
from graph.rdf.sparql_guard import check_query
from graph.rdf.sparql_text import readable_syntax_error, star_columns
from graph.rdf.visibility import reclassified_sources, restricted_records, with_sources_cited_only_by
from graph.rdf.writer_lock import acquire_lock
from graph.results import SparqlResult
from graph.store import Capabilities, LoadedSource, RunId, SourceId, SourceInfo
from ingest.types import Triple
from ontology import PG, mint_iri
from ontology.namespaces import PREFIXES, PROV, RDF, RDFS, XSD, sparql_prologue

if TYPE_CHECKING:
    from graph.rdf.query_pool import QueryPool

GENERATION_FILE = "peergraph-generation"
DB_FOLDER = "db"
SNAPSHOTS_FOLDER = "snapshots"
PUBLIC_COPIES_FOLDER = "public-copies"
KEEP_SNAPSHOTS = 2
CATALOG = mint_iri("graph", "catalog")


def _pair_key(pair: tuple[Node, Node]) -> tuple[str, str, str, str]:
    """Sort key of a (predicate, object) pair that orders equal texts of different languages or types too."""
    predicate, obj = pair
    return (str(predicate), str(obj), getattr(obj, "language", None) or "", str(getattr(obj, "datatype", None) or ""))


class RdfStore:
    """The embedded RDF store.

    Parameters
    ----------
    path : pathlib.Path or None
        Folder of the on-disk store; None for an in-memory store (tests).
    read_only : bool
        Open without writing (no lock; sees the data as of opening, see :meth:`refresh`).
    in_memory : bool
        With ``read_only``: copy the snapshot into memory (the server does: queries run several times faster
        than on the on-disk checkpoint, for memory roughly proportional to the store's size).
    keep_public_copies : bool
        When writing: keep a sorted N-Triples copy of each source's public graph beside the store
        (:mod:`graph.rdf.public_copies`), which the Neo4j sync reads instead of decoding the store; graphs
        loaded earlier without one are copied when the store opens.

    Raises
    ------
    StoreLocked
        If another process writes to the store.
    StoreUnavailable
        If a read-only store does not exist yet.
    """

    capabilities = Capabilities(sparql=True, cypher=False, named_graphs=True)
    #: Worker processes that run :meth:`run_query` under a deadline (graph/rdf/query_pool.py); None runs it here.
    query_runner: QueryPool | None = None

    def __init__(
        self, path: Path | None, *, read_only: bool = False, in_memory: bool = False, keep_public_copies: bool = False
    ):
        self.path = path
        self.read_only = read_only
        self.in_memory = in_memory
        self.keep_public_copies = keep_public_copies and path is not None and not read_only
        self._lock: IO[str] | None = None
        self._generation = self._read_generation()
        self._graphs: dict[bool, list[ox.NamedNode]] = {}
        if path is None:
            self._attach(ox.Store())
        elif read_only:
            if not self._generation:
                raise StoreUnavailable(f"no store at {path}; create one with `peergraph init` or `peergraph demo`")
            self._attach(self._open_snapshot(path, self._generation, in_memory))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._lock = acquire_lock(path)
            try:
                self._attach(ox.Store(str(path / DB_FOLDER)))
            except OSError as error:
                self._release()
                raise StoreLocked(f"the store {path} cannot be opened for writing: {error}") from None
            self._drop_orphan_graphs()
            self._write_missing_copies()
            rebuilt = self._ensure_union()
            if rebuilt or not self._generation or not (path / SNAPSHOTS_FOLDER / self._generation).exists():
                self._publish()

    def _attach(self, store: ox.Store) -> None:
        """Use ``store`` (opened, reopened or copied) with its merged default graph."""
        self._store = store
        self._merged = MergedDefaultGraph(store, to_ox(CATALOG))

    @staticmethod
    def exists(path: Path) -> bool:
        """Tell whether a store has been created at ``path``.

        Parameters
        ----------
        path : pathlib.Path
            A store folder.

        Returns
        -------
        bool
            True if a writer has published a snapshot there.
        """
        return (path / GENERATION_FILE).is_file()

    @staticmethod
    def _open_snapshot(path: Path, generation: str, in_memory: bool) -> ox.Store:
        try:
            snapshot = ox.Store.read_only(str(path / SNAPSHOTS_FOLDER / generation))
        except (OSError, RuntimeError) as error:
            raise StoreUnavailable(f"the store {path} cannot be read: {error}") from None
        if not in_memory:
            return snapshot
        copy = ox.Store()
        copy.bulk_extend(snapshot.quads_for_pattern(None, None, None, None))
        return copy

    def _read_generation(self) -> str:
        if self.path is None:
            return ""
        try:
            return (self.path / GENERATION_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def _publish(self) -> None:
        """Publish an immutable checkpoint of the database for readers, then prune old ones."""
        if self.path is None:
            self._generation = f"memory:{time.time_ns()}"
            return
        self._store.flush()
        # Compact before the checkpoint: readers of an uncompacted checkpoint were 8x slower on joins
        # (0.9 s vs 0.11 s on 390k quads); compaction took 0.45 s there.
        self._store.optimize()
        snapshots = self.path / SNAPSHOTS_FOLDER
        snapshots.mkdir(exist_ok=True)
        generation = f"{time.time_ns()}"
        self._store.backup(str(snapshots / generation))
        marker = self.path / f"{GENERATION_FILE}.tmp"
        marker.write_text(generation, encoding="utf-8")
        marker.replace(self.path / GENERATION_FILE)
        self._generation = generation
        for old in sorted(p for p in snapshots.iterdir() if p.name.isdigit())[:-KEEP_SNAPSHOTS]:
            shutil.rmtree(old, ignore_errors=True)

    def _release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    # ── lifecycle ────────────────────────────────────────────────────────────────────────────

    @property
    def generation(self) -> str:
        """Name of the committed state this handle sees; it changes with every commit (and refresh)."""
        return self._generation

    def is_stale(self) -> bool:
        """Tell whether a read-only store's writer has published a newer snapshot than the one open.

        Returns
        -------
        bool
            True if :meth:`refresh` (or opening the store again) would see newer data.
        """
        return self.read_only and self.path is not None and self._read_generation() != self._generation

    def refresh(self) -> bool:
        """Reopen a read-only store if a writer committed since it was opened.

        Returns
        -------
        bool
            True if the store was reopened.
        """
        if not self.read_only or self.path is None:
            return False
        generation = self._read_generation()
        if generation == self._generation:
            return False
        self._attach(self._open_snapshot(self.path, generation, self.in_memory))
        self._generation = generation
        self._graphs = {}
        return True

    def __enter__(self) -> RdfStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush (when writing) and release the store and its lock; closing twice does nothing."""
        if not hasattr(self, "_store"):
            return
        if not self.read_only and self.path is not None:
            self._store.flush()
        del self._store, self._merged  # both hold the database; it closes when the last reference goes
        self._release()

    def health(self) -> dict[str, object]:
        """Return the store's status for anyone who asks: no path, no counts (they would count restricted records).

        Returns
        -------
        dict
            ``{"status": "ok", "read_only": …}``.
        """
        return {"status": "ok", "read_only": self.read_only}

    # ── catalog ──────────────────────────────────────────────────────────────────────────────

    def sources(self) -> list[LoadedSource]:
        """Return the catalog: every source the store holds now, by name.

        Returns
        -------
        list of LoadedSource
            Sorted by source name.
        """
        query = (
            sparql_prologue()
            + f"""
            SELECT ?name ?file ?sha ?records ?triples ?graph ?run ?ended ?restricted WHERE {{ GRAPH <{CATALOG}> {{
              ?source a pg:SourceFile ; pg:sourceName ?name ; pg:fileName ?file ; pg:sha256 ?sha ;
                      pg:recordCount ?records ; pg:tripleCount ?triples ; pg:currentGraph ?graph ;
                      prov:wasGeneratedBy ?r . ?r rdfs:label ?run ; prov:endedAtTime ?ended
              OPTIONAL {{ ?source pg:restrictedGraph ?restricted }} }} }}
            ORDER BY ?name"""
        )
        rows = self._store.query(query)
        return [
            LoadedSource(
                row["name"].value,
                row["file"].value,
                row["sha"].value,
                int(row["records"].value),
                int(row["triples"].value),
                row["graph"].value,
                row["run"].value,
                row["ended"].value,
                row["restricted"].value if row["restricted"] is not None else None,
            )
            for row in rows
        ]

    def visible_graphs(self, *, include_restricted: bool = False) -> list[ox.NamedNode]:
        """Return the named graphs queries see: the current graph of every catalogued source.

        Parameters
        ----------
        include_restricted : bool
            Also the graphs of triples about restricted records.

        Returns
        -------
        list of pyoxigraph.NamedNode
            Graph names.
        """
        if include_restricted not in self._graphs:
            self._graphs[include_restricted] = [
                ox.NamedNode(graph)
                for source in self.sources()
                for graph in source.graphs(include_restricted=include_restricted)
            ]
        return self._graphs[include_restricted]

    # ── the merged default graph (graph/rdf/merged_graph.py) ─────────────────────────────────────

    def union_is_current(self) -> bool:
        """Tell whether the default graph holds exactly the union of the current public graphs."""
        return self._merged.is_current(self.visible_graphs())

    def _ensure_union(self) -> bool:
        """Rebuild the merged default graph if its stamp is stale; return True if it was rebuilt."""
        if self.union_is_current():
            return False
        self._merged.rebuild(self.visible_graphs())
        return True

    def _update_union(self, old_public: list[str], was_current: bool) -> None:
        """After a catalog switch: bring the merged default graph up to date and stamp it."""
        self._merged.forget()
        if was_current:
            self._merged.drop_replaced(old_public, self.visible_graphs())
        else:
            self._ensure_union()

    def _default_graphs(self, include_restricted: bool) -> list[ox.NamedNode | ox.DefaultGraph]:
        """Return the default graph of a query: the merged union (plus restricted graphs), or the graph list."""
        if self.union_is_current():
            if not include_restricted:
                return [ox.DefaultGraph()]
            public = set(self.visible_graphs())
            return [ox.DefaultGraph(), *(g for g in self.visible_graphs(include_restricted=True) if g not in public)]
        return self.visible_graphs(include_restricted=include_restricted) or [ox.DefaultGraph()]

    def _drop_orphan_graphs(self) -> None:
        keep = {graph.value for graph in self.visible_graphs(include_restricted=True)} | {str(CATALOG)}
        for graph in list(self._store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value not in keep:
                self._store.remove_graph(graph)
        self._drop_orphan_copies()

    # ── public copies (graph/rdf/public_copies.py) ───────────────────────────────────────────────

    def _copy_path(self, graph: str) -> Path:
        assert self.path is not None
        return self.path / PUBLIC_COPIES_FOLDER / copy_name(graph)

    def _write_missing_copies(self) -> None:
        """Copy the public graphs that have no copy yet (a store loaded before Neo4j was configured)."""
        if not self.keep_public_copies:
            return
        for graph in self.visible_graphs():
            path = self._copy_path(graph.value)
            if not path.exists():
                write_copy(path, (quad.triple for quad in self._store.quads_for_pattern(None, None, None, graph)))

    def _drop_orphan_copies(self) -> None:
        """Delete the copies (and half-written ones) of graphs that are no current public graph."""
        if self.path is None or not (self.path / PUBLIC_COPIES_FOLDER).is_dir():
            return
        keep = {copy_name(graph.value) for graph in self.visible_graphs()}
        for copy in (self.path / PUBLIC_COPIES_FOLDER).iterdir():
            if copy.name not in keep:
                copy.unlink(missing_ok=True)

    def _open_public_copies(
        self, sources: Sequence[LoadedSource], files: contextlib.ExitStack
    ) -> list[BinaryIO] | None:
        """Open the copies of these sources' public graphs in ``files``, or return None if one is missing.

        A copy opened stays readable if a writer removes it meanwhile (its graph went with the new generation).
        """
        if self.path is None:
            return None
        try:
            return [files.enter_context(self._copy_path(source.graph).open("rb")) for source in sources]
        except FileNotFoundError:
            return None

    # ── writing ──────────────────────────────────────────────────────────────────────────────

    @staticmethod
    def _quads(
        triples: Sequence[Triple],
        restricted: set[URIRef],
        graph: ox.NamedNode | ox.DefaultGraph,
        hidden: ox.NamedNode | None,
        cache: dict[str, ox.NamedNode],
    ) -> Iterator[ox.Quad]:
        """Yield a source's public quads in ``graph`` and, unless ``hidden`` is None, its restricted ones there."""
        for s, p, o in triples:
            if s in restricted or o in restricted:
                if hidden is not None:
                    yield ox.Quad(to_ox(s, cache), to_ox(p, cache), to_ox(o, cache), hidden)
            else:
                yield ox.Quad(to_ox(s, cache), to_ox(p, cache), to_ox(o, cache), graph)

    def replace_sources(self, items: Sequence[tuple[SourceInfo, Sequence[Triple]]], run: RunId) -> None:
        """Replace the content of each given source with its triples, all sources at once.

        Parameters
        ----------
        items : sequence of (SourceInfo, sequence of Triple)
            The sources to replace and their complete new content.
        run : RunId
            The run tag, recorded in the catalog.

        Raises
        ------
        StoreUnavailable
            If the store was opened read-only.
        """
        if self.read_only:
            raise StoreUnavailable("the store is open read-only; use `peergraph ingest` to write")
        started = datetime.now(UTC)
        union_was_current = self.union_is_current()
        if union_was_current:
            self._merged.unstamp()  # the default graph changes from here on: stale until stamped again
        old = {source.name: source.graphs(include_restricted=True) for source in self.sources()}
        sources = self.sources()
        restricted = restricted_records(self._store, sources, items)
        restricted = with_sources_cited_only_by(restricted, self._store, sources, items)
        items = [*items, *reclassified_sources(self._store, sources, items, restricted)]
        cache: dict[str, ox.NamedNode] = {}
        new_graphs: dict[SourceId, ox.NamedNode] = {}
        restricted_graphs: dict[SourceId, ox.NamedNode] = {}
        for info, triples in items:
            graph = ox.NamedNode(mint_iri("graph", f"{info.name}/{run}"))
            hidden = ox.NamedNode(mint_iri("graph", f"{info.name}/{run}/restricted"))
            new_graphs[info.name] = graph
            if any(s in restricted or o in restricted for s, _, o in triples):
                restricted_graphs[info.name] = hidden
            # Generators, not lists, and the merged default graph in a second call: the bulk loader holds what
            # one call gives it, so one call with both copies peaked ~900 MB higher at 1e6 triples.
            self._store.bulk_extend(self._quads(triples, restricted, graph, hidden, cache))
            if union_was_current or self.keep_public_copies:
                public = self._quads(triples, restricted, ox.DefaultGraph(), None, cache)
                copy = SortedCopy() if self.keep_public_copies else None
                if copy is not None:
                    public = copy.tap(public)
                if union_was_current:
                    self._store.bulk_extend(public)
                else:
                    collections.deque(public, maxlen=0)  # only the copy takes them
                if copy is not None:  # before the catalog switch: a killed load leaves an orphan, removed later
                    copy.write(self._copy_path(graph.value))
        run_iri = mint_iri("run", run)
        ended = datetime.now(UTC)
        catalog: list[Triple] = [
            (run_iri, RDF.type, PG.IngestRun),
            (run_iri, RDFS.label, Literal(run)),
            (run_iri, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)),
            (run_iri, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)),
        ]
        for info, triples in items:
            source = mint_iri("source-file", info.name)
            catalog += [
                (source, RDF.type, PG.SourceFile),
                (source, RDF.type, PROV.Entity),
                (source, PG.sourceName, Literal(info.name)),
                (source, PG.fileName, Literal(info.file_name)),
                (source, PG.sha256, Literal(info.sha256)),
                (source, PG.recordCount, Literal(info.record_count)),
                (source, PG.tripleCount, Literal(len(triples))),
                (source, PG.currentGraph, URIRef(new_graphs[info.name].value)),
                (source, PROV.wasGeneratedBy, run_iri),
            ]
            if info.name in restricted_graphs:
                catalog.append((source, PG.restrictedGraph, URIRef(restricted_graphs[info.name].value)))
        catalog_node = str(to_ox(CATALOG))
        deletes = "".join(
            f"DELETE WHERE {{ GRAPH {catalog_node} {{ {to_ox(mint_iri('source-file', info.name))} ?p ?o }} }} ;\n"
            for info, _ in items
        )
        data = " ".join(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in catalog)
        gc_runs = (
            f"DELETE {{ GRAPH {catalog_node} {{ ?run ?p ?o }} }} WHERE {{ GRAPH {catalog_node} {{ "
            f"?run a {to_ox(PG.IngestRun)} ; ?p ?o . FILTER NOT EXISTS {{ ?s {to_ox(PROV.wasGeneratedBy)} ?run }} }} }}"
        )
        # The switch: one update, one transaction.
        self._store.update(f"{deletes}INSERT DATA {{ GRAPH {catalog_node} {{ {data} }} }} ;\n{gc_runs}")
        self._graphs = {}
        self._update_union([old[info.name][0] for info, _ in items if info.name in old], union_was_current)
        for info, _ in items:
            for graph_name in old.get(info.name, []):
                self._store.remove_graph(ox.NamedNode(graph_name))
        self._drop_orphan_copies()
        self._publish()

    def remove_sources(self, names: Iterable[SourceId]) -> None:
        """Remove sources and their graphs from the store (catalog first, in one update).

        Parameters
        ----------
        names : iterable of SourceId
            Source names to remove; unknown names are ignored.
        """
        current = {source.name: source.graphs(include_restricted=True) for source in self.sources()}
        names = [name for name in names if name in current]
        if not names:
            return
        union_was_current = self.union_is_current()
        catalog_node = str(to_ox(CATALOG))
        self._store.update(
            " ;\n".join(
                f"DELETE WHERE {{ GRAPH {catalog_node} {{ {to_ox(mint_iri('source-file', name))} ?p ?o }} }}"
                for name in names
            )
        )
        self._graphs = {}
        if union_was_current:
            self._merged.unstamp()
        self._update_union([current[name][0] for name in names], union_was_current)
        for name in names:
            for graph_name in current[name]:
                self._store.remove_graph(ox.NamedNode(graph_name))
        self._drop_orphan_copies()
        self._publish()

    # ── reading ──────────────────────────────────────────────────────────────────────────────

    def count(self, source: SourceId | None = None) -> int:
        """Return the number of triples visible overall, or in one source.

        Parameters
        ----------
        source : SourceId, optional
            A source name.

        Returns
        -------
        int
            The count (0 for an unknown source).
        """
        if source is not None:
            return next((s.triple_count for s in self.sources() if s.name == source), 0)
        return sum(s.triple_count for s in self.sources())

    def public_count(self) -> int:
        """Return the number of public triples (what anonymous callers may count), summed over sources.

        Returns
        -------
        int
            Triples in the sources' public graphs.
        """
        graphs = self.visible_graphs()
        if not graphs:
            return 0
        rows = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=graphs)
        return int(next(iter(rows))["n"].value)

    def has_public_content(self, source: LoadedSource) -> bool:
        """Tell whether a source's public graph holds any triple (a source of restricted records only does not).

        Parameters
        ----------
        source : LoadedSource
            A catalogued source.

        Returns
        -------
        bool
            True if anonymous callers see something of it.
        """
        return next(self._store.quads_for_pattern(None, None, None, ox.NamedNode(source.graph)), None) is not None

    def resolve_graphs(self, iris: Iterable[str], *, include_restricted: bool) -> list[ox.NamedNode]:
        """Turn graph IRIs of a request into the store's graphs; an IRI naming none of them adds nothing.

        As Fuseki and Oxigraph do, ``FROM <x>`` for a graph the store does not hold (or the caller may not
        see) makes an empty graph rather than an error; peergraph never fetches graphs from the web.

        Parameters
        ----------
        iris : iterable of str
            Source IRIs (``…/id/source-file/<name>``: the source's current graphs) or current graph IRIs.
        include_restricted : bool
            Whether restricted graphs may be named.

        Returns
        -------
        list of pyoxigraph.NamedNode
            The graphs (possibly none).
        """
        known: dict[str, list[str]] = {}
        for source in self.sources():
            graphs = source.graphs(include_restricted=include_restricted)
            known[str(mint_iri("source-file", source.name))] = graphs
            known.update({graph: [graph] for graph in graphs})
        return [ox.NamedNode(graph) for iri in iris for graph in known.get(iri, [])]

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query over the visible graphs (the default graph is their union).

        Parameters
        ----------
        sparql : str
            A SPARQL 1.1 query; peergraph's prefixes are predeclared.
        bindings : mapping of str to rdflib term, optional
            Values for variables of the query (substituted by the engine, never pasted into the text).
        include_restricted : bool
            Also see triples about restricted records (default: public graphs only).
        dataset : (list of str, list of str), optional
            Graph IRIs for the default graph and the named graphs (see :meth:`resolve_graphs`), replacing
            the union of all graphs; ``FROM`` clauses in the query text are always overridden.

        Returns
        -------
        pyoxigraph result
            Solutions, a boolean, or triples.

        Raises
        ------
        QueryRejected
            If the query does not parse.
        """
        if dataset is None:
            default_graph = self._default_graphs(include_restricted)
            named_graphs = self.visible_graphs(include_restricted=include_restricted)
        else:
            default_graph = self.resolve_graphs(dataset[0], include_restricted=include_restricted)
            named_graphs = self.resolve_graphs(dataset[1], include_restricted=include_restricted)
        try:
            return self._store.query(
                sparql,
                prefixes=PREFIXES,
                default_graph=default_graph or [ox.NamedNode(str(mint_iri("graph", "empty")))],
                named_graphs=named_graphs,
                substitutions={ox.Variable(name): to_ox(value) for name, value in (bindings or {}).items()} or None,
            )
        except SyntaxError as error:
            raise QueryRejected(f"malformed SPARQL: {readable_syntax_error(str(error), sparql)}") from None
        except OSError as error:
            raise QueryRejected(f"the query failed: {error}") from None

    def run_query(
        self,
        sparql: str,
        *,
        max_rows: int,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> SparqlResult:
        """Run a SPARQL query and return its answer as rdflib terms, cut at ``max_rows``.

        Parameters
        ----------
        sparql : str
            A SPARQL 1.1 query.
        max_rows : int
            Most rows (or triples) to return.
        bindings : mapping of str to rdflib term, optional
            Values for variables of the query.
        include_restricted : bool
            Also see triples about restricted records.
        dataset : (list of str, list of str), optional
            Default and named graph IRIs (see :meth:`query`); without them, the query's ``FROM`` /
            ``FROM NAMED`` clauses choose the graphs (of this store only), else the union of the visible graphs.

        Returns
        -------
        SparqlResult
            The bounded answer.

        Raises
        ------
        QueryRejected
            If the query does not parse (rdflib's grammar), is an update, holds ``SERVICE`` anywhere, or fails.
            A graph the store does not hold is not an error: it is empty.
        QueryTimeout, QueryBusy
            With a :attr:`query_runner`: past the deadline, or no worker free (see :class:`QueryPool`).

        Notes
        -----
        The query is checked on its parse tree (:mod:`graph.rdf.sparql_guard`), then evaluated *and* its results
        read in a thread that cannot open network sockets (:mod:`graph.rdf.sandbox`): Oxigraph evaluates lazily,
        so the rows must be built in that thread too. With a :attr:`query_runner`, all of that happens in one of
        its worker processes, under its deadline (:mod:`graph.rdf.query_pool`).
        """
        if self.query_runner is not None:
            return self.query_runner.run_query(
                sparql, max_rows=max_rows, bindings=bindings, include_restricted=include_restricted, dataset=dataset
            )
        checked = check_query(sparql)
        return run_without_network(
            self._materialise, sparql, max_rows, bindings, include_restricted, dataset or checked.dataset
        )

    def _materialise(
        self,
        sparql: str,
        max_rows: int,
        bindings: Mapping[str, Node] | None,
        include_restricted: bool,
        dataset: tuple[list[str], list[str]] | None,
    ) -> SparqlResult:
        """Evaluate a checked query and read its answer, cut at ``max_rows`` (in the calling thread)."""
        result = self.query(sparql, bindings=bindings, include_restricted=include_restricted, dataset=dataset)
        if isinstance(result, ox.QueryBoolean):
            return SparqlResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples: list[Triple] = []
            for triple in result:
                if len(triples) == max_rows:
                    return SparqlResult("graph", triples=triples, truncated=True)
                triples.append((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
            return SparqlResult("graph", triples=triples)
        variables = star_columns(sparql, [variable.value for variable in result.variables])
        rows: list[dict[str, object]] = []
        for solution in result:
            if len(rows) == max_rows:
                return SparqlResult("select", variables, rows, truncated=True)
            rows.append({name: to_rdflib(solution[name]) for name in variables if solution[name] is not None})
        return SparqlResult("select", variables, rows)

    def quads(
        self, source: SourceId | None = None, *, include_restricted: bool = True
    ) -> Iterator[tuple[Node, Node, Node, str]]:
        """Yield every visible triple with the name of its source.

        Parameters
        ----------
        source : SourceId, optional
            Restrict to one source.
        include_restricted : bool
            Also triples about restricted records (default; exports for anonymous users pass False).

        Yields
        ------
        tuple
            ``(subject, predicate, object, source name)`` as rdflib terms.
        """
        for loaded in self.sources():
            if source is not None and loaded.name != source:
                continue
            for graph_name in loaded.graphs(include_restricted=include_restricted):
                for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_name)):
                    yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object), loaded.name

    def subject_groups(
        self, sources: Iterable[SourceId], *, skip: set[str] | None = None, include_restricted: bool = True
    ) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
        """Yield each subject of the given sources once, with all its (predicate, object) pairs in them.

        Parameters
        ----------
        sources : iterable of SourceId
            Sources whose graphs to read.
        skip : set of str, optional
            IRIs to leave out, as subjects and as objects.
        include_restricted : bool
            Also read the graphs of triples about restricted records.

        Yields
        ------
        tuple
            ``(subject, [(predicate, object), …])`` as rdflib terms, pairs in a stable order.
        """
        wanted = set(sources)
        graphs = [
            ox.NamedNode(graph)
            for s in self.sources()
            if s.name in wanted
            for graph in s.graphs(include_restricted=include_restricted)
        ]
        if not graphs:
            return
        keep = {graph.value for graph in graphs}
        skip = skip or set()
        subjects = self._store.query("SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=graphs)
        for row in subjects:
            subject = row["s"]
            if isinstance(subject, ox.NamedNode) and subject.value in skip:
                continue
            pairs = {
                (quad.predicate, quad.object)
                for quad in self._store.quads_for_pattern(subject, None, None, None)
                if isinstance(quad.graph_name, ox.NamedNode)
                and quad.graph_name.value in keep
                and not (isinstance(quad.object, ox.NamedNode) and quad.object.value in skip)
            }
            yield (
                to_rdflib(subject),
                sorted(((to_rdflib(p), to_rdflib(o)) for p, o in pairs), key=_pair_key),
            )

    def public_subject_groups(
        self, exclude_sources: Iterable[SourceId] = (), *, skip: set[str] | None = None
    ) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
        """Yield each subject of the public data once with its pairs, as rdflib terms.

        The same subjects and pairs as :meth:`public_plain_groups` (same parameters), pairs sorted.

        Yields
        ------
        tuple
            ``(subject, [(predicate, object), …])`` as rdflib terms, pairs in a stable order.
        """
        for subject, pairs in self.public_plain_groups(exclude_sources, skip=skip):
            yield (
                resource_of(subject),
                sorted(((URIRef(predicate), rdflib_of(obj)) for predicate, obj in pairs), key=_pair_key),
            )

    def public_plain_groups(
        self, exclude_sources: Iterable[SourceId] = (), *, skip: set[str] | None = None
    ) -> Iterator[PlainGroup]:
        """Yield each subject of the public data once with its pairs, as plain values, in one ordered pass.

        Three roads, the first that is open: the public copies of every source that is not excluded
        (:mod:`graph.rdf.public_copies`, merged by subject); a dump of the merged default graph, which is
        stored by subject, so one scan gives every subject's triples together; when that is stale,
        :meth:`subject_groups`. Subjects described in ``exclude_sources`` (the OWL file) are left out.

        Parameters
        ----------
        exclude_sources : iterable of SourceId
            Sources whose subjects to leave out.
        skip : set of str, optional
            IRIs to leave out, as subjects and as objects.

        Yields
        ------
        PlainGroup
            ``(subject, [(predicate IRI, object), …])``, pairs in the order read.
        """
        excluded = set(exclude_sources)
        skip = skip or set()
        sources = self.sources()
        with contextlib.ExitStack() as files:
            copies = self._open_public_copies([s for s in sources if s.name not in excluded], files)
            if copies is not None:
                groups = merged_groups(copies)
            elif self.union_is_current():
                groups = grouped_by_subject(dumped_triples(self._store, ox.DefaultGraph()))
            else:
                names = [s.name for s in sources if s.name not in excluded]
                for subject, pairs in self.subject_groups(names, skip=skip, include_restricted=False):
                    yield resource_key(subject), [(str(predicate), plain_of(obj)) for predicate, obj in pairs]
                return
            files.callback(groups.close)  # stops the dump's threads too, if the caller stops early
            left_out = skip | {
                to_plain(quad.subject)
                for source in sources
                if source.name in excluded
                for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(source.graph))
            }
            try:
                for subject, pairs in groups:
                    if subject in left_out:
                        continue
                    if skip:
                        pairs = [pair for pair in pairs if pair[1] not in skip]  # a LiteralValue is never in skip
                    if pairs:
                        yield subject, pairs
            except ValueError as error:
                if copies is None:
                    raise
                raise StoreUnavailable(
                    f"a public copy is damaged: {error}. Delete that file: reads then use the store itself, and "
                    "the next writer with Neo4j configured (e.g. `peergraph init`) writes the copy again"
                ) from None

    def content_hash(self) -> str:
        """Return a SHA-256 of the visible content (sources and their triples, not load times).

        Returns
        -------
        str
            Hex digest; equal digests mean equal content.
        """
        digest = hashlib.sha256()
        for loaded in self.sources():
            lines = sorted(
                str(quad.triple)
                for graph_name in loaded.graphs(include_restricted=True)
                for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_name))
            )
            digest.update(f"{loaded.name}\n{loaded.sha256}\n".encode())
            for line in lines:
                digest.update(line.encode())
                digest.update(b"\n")
        return digest.hexdigest()
