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
Oxigraph evaluates a query whose default graph is a *list* of named graphs several times slower than one
over a single graph (``benchmarks/results-notes.md``). So the writer also keeps, in the store's own
default graph, the union of every source's public graph, updated with each load (triples of the old graph
no other public graph holds are removed, the new graph's triples added) and stamped with
``pg:unionDigest`` (a digest of the public graph names) last. Queries use it when the stamp matches the
catalog, and the list of graphs otherwise (a load killed midway, a store from an older version); a writer
that finds the stamp stale rebuilds the union when it opens the store.

Restricted records
------------------
Every triple naming a record marked ``visibility:restricted`` goes to the source's *restricted* graph
(``…/<run>/restricted``) instead of its public graph (:mod:`graph.rdf.visibility` says which); queries see the
public graphs only unless the caller asks for ``include_restricted``.

Where the rest lives
--------------------
One writer and its checkpoints for readers: :mod:`graph.rdf.snapshots` (and :mod:`graph.rdf.writer_lock`).
The catalogue's entries and its switch: :mod:`graph.source_catalog`. Which triples are restricted:
:mod:`graph.rdf.visibility`. Sorted public copies for the Neo4j sync: :mod:`graph.rdf.public_copies`. Reading
whole graphs: :mod:`graph.rdf.graph_reads`.
"""

from __future__ import annotations

import fcntl
import functools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, TypeVar

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from graph.errors import StoreLocked, StoreUnavailable
from graph.plain_terms import PlainGroup, rdflib_of, resource_of
from graph.rdf import graph_reads
from graph.rdf.graph_reads import pair_key
from graph.rdf.merged_graph import MergedDefaultGraph
from graph.rdf.oxigraph_results import serialised_answer, sparql_result
from graph.rdf.oxigraph_terms import to_ox
from graph.rdf.public_copies import CopyFolder
from graph.rdf.query_evaluation import evaluate
from graph.rdf.sandbox import run_without_network
from graph.rdf.snapshots import (
    DB_FOLDER,
    GENERATION_FILE,
    has_checkpoint,
    open_snapshot,
    publish_checkpoint,
    read_generation,
)
from graph.rdf.source_writing import write_source_graphs
from graph.rdf.visibility import reclassified_sources, restricted_records, with_sources_cited_only_by
from graph.rdf.writer_lock import acquire_lock
from graph.results import Serialised, SparqlResult
from graph.source_catalog import (
    CATALOG,
    SOURCES_QUERY,
    catalog_triples,
    dataset_graphs,
    loaded_source,
    switch_update,
)
from graph.sparql_guard import may_contain_keyword, screen_query
from graph.store import LoadedSource, RunId, SourceId, SourceInfo
from ingest.types import Triple

if TYPE_CHECKING:
    from graph.rdf.query_pool import QueryPool

PUBLIC_COPIES_FOLDER = "public-copies"
T = TypeVar("T")


class RdfStore:
    """The embedded RDF store, a :class:`graph.store.GraphStore`.

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
        self._generation = read_generation(path)
        self._copies = CopyFolder(path / PUBLIC_COPIES_FOLDER) if path is not None else None
        self._graphs: dict[bool, list[ox.NamedNode]] = {}
        if path is None:
            self._attach(ox.Store())
        elif read_only:
            if not self._generation:
                raise StoreUnavailable(f"no store at {path}; create one with `peergraph init` or `peergraph demo`")
            self._attach(open_snapshot(path, self._generation, in_memory))
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._lock = acquire_lock(path)
            try:
                self._attach(ox.Store(str(path / DB_FOLDER)))
            except OSError as error:
                self._release()
                raise StoreLocked(f"the store {path} cannot be opened for writing: {error}") from None
            self._drop_orphan_graphs()
            if self.keep_public_copies and self._copies is not None:
                self._copies.write_missing(self._store, self.visible_graphs())
            rebuilt = self._ensure_union()
            if rebuilt or not has_checkpoint(path, self._generation):
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

    def _publish(self) -> None:
        """Publish an immutable checkpoint of the database for readers, then prune old ones."""
        if self.path is None:
            self._generation = f"memory:{time.time_ns()}"
            return
        self._generation = publish_checkpoint(self._store, self.path)

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
        return self.read_only and self.path is not None and read_generation(self.path) != self._generation

    def refresh(self) -> bool:
        """Reopen a read-only store if a writer committed since it was opened.

        Returns
        -------
        bool
            True if the store was reopened.
        """
        if not self.read_only or self.path is None:
            return False
        generation = read_generation(self.path)
        if generation == self._generation:
            return False
        self._attach(open_snapshot(self.path, generation, self.in_memory))
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
        """Return the catalogue: every source the store holds now, sorted by name."""
        solutions = self._store.query(SOURCES_QUERY)
        names = [variable.value for variable in solutions.variables]
        return [
            loaded_source({name: row[name].value if row[name] is not None else None for name in names})
            for row in solutions
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

    def discard_union(self) -> None:
        """Empty the merged default graph and remove its stamp, as a load killed midway leaves them.

        Queries then read the list of graphs (same answers, slower) and the next writer rebuilds the union.
        """
        self._merged.unstamp()
        self._store.clear_graph(ox.DefaultGraph())
        self._merged.forget()

    def graph_names(self) -> set[str]:
        """Return the name of every named graph the database holds (current, catalogue, or left by a killed load)."""
        return {graph.value for graph in self._store.named_graphs() if isinstance(graph, ox.NamedNode)}

    def graph_lines(self, graph: str | None) -> set[str]:
        """Return the triples of one named graph (None: the merged default graph) as N-Triples lines."""
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return {str(quad.triple) + " ." for quad in self._store.quads_for_pattern(None, None, None, name)}

    def _ensure_union(self) -> bool:
        """Rebuild the merged default graph if its stamp is stale; return True if it was rebuilt."""
        if self.union_is_current():
            return False
        self._merged.rebuild(self.visible_graphs())
        return True

    def _drop_orphan_graphs(self) -> None:
        keep = {graph.value for graph in self.visible_graphs(include_restricted=True)} | {str(CATALOG)}
        for graph in list(self._store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value not in keep:
                self._store.remove_graph(graph)
        if self._copies is not None:
            self._copies.drop_orphans(self.visible_graphs())

    # ── writing ──────────────────────────────────────────────────────────────────────────────

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
        copies = self._copies if self.keep_public_copies else None
        with_hidden = write_source_graphs(
            self._store, items, restricted, run, into_union=union_was_current, copies=copies
        )
        entries = catalog_triples(
            [(info, len(triples)) for info, triples in items], run, started, datetime.now(UTC), with_hidden
        )
        self._store.update(switch_update([info.name for info, _ in items], entries))  # one transaction
        self._graphs = {}
        replaced = [old[info.name][0] for info, _ in items if info.name in old]
        self._merged.after_switch(replaced, self.visible_graphs(), union_was_current)
        for info, _ in items:
            for graph_name in old.get(info.name, []):
                self._store.remove_graph(ox.NamedNode(graph_name))
        if self._copies is not None:
            self._copies.drop_orphans(self.visible_graphs())
        self._publish()

    def remove_sources(self, names: Iterable[SourceId]) -> None:
        """Remove sources and their graphs (catalogue first, in one update); unknown names are ignored."""
        current = {source.name: source.graphs(include_restricted=True) for source in self.sources()}
        names = [name for name in names if name in current]
        if not names:
            return
        union_was_current = self.union_is_current()
        self._store.update(switch_update(names, []))
        self._graphs = {}
        if union_was_current:
            self._merged.unstamp()
        self._merged.after_switch([current[name][0] for name in names], self.visible_graphs(), union_was_current)
        for name in names:
            for graph_name in current[name]:
                self._store.remove_graph(ox.NamedNode(graph_name))
        if self._copies is not None:
            self._copies.drop_orphans(self.visible_graphs())
        self._publish()

    # ── reading ──────────────────────────────────────────────────────────────────────────────

    def count(self, source: SourceId | None = None) -> int:
        """Return the number of triples held (restricted ones too), overall or in one source (0 if unknown)."""
        if source is not None:
            return next((s.triple_count for s in self.sources() if s.name == source), 0)
        return sum(s.triple_count for s in self.sources())

    def public_count(self) -> int:
        """Return the number of public triples (what anonymous callers may count), summed over sources."""
        graphs = self.visible_graphs()
        if not graphs:
            return 0
        rows = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=graphs)
        return int(next(iter(rows))["n"].value)

    def has_public_content(self, source: LoadedSource) -> bool:
        """Tell whether a source's public graph holds any triple (a source of restricted records only does not)."""
        return next(self._store.quads_for_pattern(None, None, None, ox.NamedNode(source.graph)), None) is not None

    def holds(self, iri: str) -> bool:
        """Tell whether any current graph, restricted ones too, has a triple about ``iri`` (as its subject)."""
        subject = ox.NamedNode(iri)
        graphs = self.visible_graphs(include_restricted=True)
        return any(next(self._store.quads_for_pattern(subject, None, None, graph), None) for graph in graphs)

    def resolve_graphs(self, iris: Iterable[str], *, include_restricted: bool) -> list[ox.NamedNode]:
        """Turn graph IRIs of a request into the store's graphs (see :func:`graph.source_catalog.dataset_graphs`)."""
        return [ox.NamedNode(g) for g in dataset_graphs(self.sources(), iris, include_restricted=include_restricted)]

    def _evaluate(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Evaluate a query lazily over the visible graphs, or ``dataset`` (see :meth:`run_query`).

        ``bindings`` are substituted by the engine, never pasted into the text; a query that does not parse
        raises :class:`QueryRejected`.
        """
        if dataset is None:
            visible = self.visible_graphs(include_restricted=include_restricted)
            default_graph = self._merged.default_graphs(self.visible_graphs(), visible)
            # A query that cannot say GRAPH reads no named graph, and naming none is faster (results-notes.md).
            named_graphs = visible if may_contain_keyword(sparql, "graph") else []
        else:
            default_graph = self.resolve_graphs(dataset[0], include_restricted=include_restricted)
            named_graphs = self.resolve_graphs(dataset[1], include_restricted=include_restricted)
        return evaluate(self._store, sparql, default_graph, named_graphs, bindings)

    def run_query(
        self,
        sparql: str,
        *,
        max_rows: int,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> SparqlResult:
        """Run a read-only SPARQL query, cut at ``max_rows`` (see :meth:`graph.store.GraphStore.run_query`).

        The query is screened (:func:`graph.sparql_guard.screen_query`), then evaluated *and* its results read
        in a thread that cannot open network sockets (:mod:`graph.rdf.sandbox`): Oxigraph evaluates lazily, so the
        rows must be built in that thread too. With a :attr:`query_runner`, all of that happens in one of its
        worker processes, under its deadline (:mod:`graph.rdf.query_pool`; ``QueryTimeout``, ``QueryBusy``).
        """
        if self.query_runner is not None:
            return self.query_runner.run_query(
                sparql, max_rows=max_rows, bindings=bindings, include_restricted=include_restricted, dataset=dataset
            )
        return self.run_query_here(
            sparql, max_rows=max_rows, bindings=bindings, include_restricted=include_restricted, dataset=dataset
        )

    def run_query_here(
        self,
        sparql: str,
        *,
        max_rows: int,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> SparqlResult:
        """Run a query as :meth:`run_query` does, in this process even with a :attr:`query_runner`.

        For peergraph's own queries (not bounded by the users' deadline) and for the query workers themselves.

        Returns
        -------
        SparqlResult
            The bounded answer.
        """
        read = functools.partial(sparql_result, sparql=sparql, max_rows=max_rows)
        return self._run_here(sparql, read, bindings, include_restricted, dataset)

    def run_query_serialised(
        self,
        sparql: str,
        *,
        formats: tuple[str | None, str | None],
        max_rows: int,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> Serialised:
        """Run a query and return it written (see :meth:`graph.store.GraphStore.run_query_serialised`).

        With a :attr:`query_runner`, in one of its workers (and under its deadline), else in this process.
        """
        if self.query_runner is not None:
            return self.query_runner.run_serialised(
                sparql, formats=formats, max_rows=max_rows, include_restricted=include_restricted, dataset=dataset
            )
        return self.run_query_serialised_here(
            sparql, formats=formats, max_rows=max_rows, include_restricted=include_restricted, dataset=dataset
        )

    def run_query_serialised_here(
        self,
        sparql: str,
        *,
        formats: tuple[str | None, str | None],
        max_rows: int,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> Serialised:
        """Run a query as :meth:`run_query_here` does and return it written in the format for its kind.

        ``formats`` is ``(solutions format, graph format)`` as :func:`graph.results.serialised` takes them; SELECT
        results in JSON or TSV are written by Oxigraph (:func:`graph.rdf.oxigraph_results.serialised_answer`).

        Returns
        -------
        Serialised
            The answer's kind, bytes (None when its kind has no format) and truncation flag.
        """
        write = functools.partial(serialised_answer, sparql=sparql, formats=formats, max_rows=max_rows)
        return self._run_here(sparql, write, bindings, include_restricted, dataset)

    def _run_here(
        self,
        sparql: str,
        read: Callable[[ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples], T],
        bindings: Mapping[str, Node] | None,
        include_restricted: bool,
        dataset: tuple[list[str], list[str]] | None,
    ) -> T:
        """Screen a query, then evaluate it and ``read`` its lazy answer in a thread without network sockets."""
        checked = screen_query(sparql)

        def evaluate_and_read() -> T:
            return read(
                self._evaluate(
                    sparql, bindings=bindings, include_restricted=include_restricted, dataset=dataset or checked.dataset
                )
            )

        return run_without_network(evaluate_and_read)

    def quads(
        self, source: SourceId | None = None, *, include_restricted: bool = True
    ) -> Iterator[tuple[Node, Node, Node, str]]:
        """Yield ``(subject, predicate, object, source name)`` of every source (or one), as rdflib terms."""
        return graph_reads.source_quads(self._store, self.sources(), source, include_restricted)

    def write_graph(
        self, out: BinaryIO, *, fmt: str, sources: Iterable[SourceId] | None = None, include_restricted: bool
    ) -> int:
        """Stream sources to ``out`` as N-Triples or N-Quads (see :meth:`graph.store.GraphStore.write_graph`)."""
        return graph_reads.write_sources(self._store, self.sources(), out, fmt, sources, include_restricted)

    def subject_groups(
        self, sources: Iterable[SourceId], *, skip: set[str] | None = None, include_restricted: bool = True
    ) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
        """Yield each subject of the given sources once with its sorted pairs in them (see :class:`GraphStore`)."""
        return graph_reads.subject_groups(self._store, self.sources(), sources, skip or set(), include_restricted)

    def public_subject_groups(
        self, exclude_sources: Iterable[SourceId] = (), *, skip: set[str] | None = None
    ) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
        """Yield what :meth:`public_plain_groups` yields (same parameters) as rdflib terms, pairs sorted."""
        for subject, pairs in self.public_plain_groups(exclude_sources, skip=skip):
            yield (
                resource_of(subject),
                sorted(((URIRef(predicate), rdflib_of(obj)) for predicate, obj in pairs), key=pair_key),
            )

    def public_plain_groups(
        self, exclude_sources: Iterable[SourceId] = (), *, skip: set[str] | None = None
    ) -> Iterator[PlainGroup]:
        """Yield each subject of the public data once with its pairs, as plain values, in one ordered pass.

        Subjects described in ``exclude_sources`` (the OWL file) are left out, IRIs in ``skip`` as subjects and as
        objects; the copies, the merged graph's dump or the graphs are read (:func:`graph_reads.public_plain_groups`).
        """
        return graph_reads.public_plain_groups(
            self._store, self.sources(), self._copies, self.union_is_current(), set(exclude_sources), skip or set()
        )

    def content_hash(self) -> str:
        """Return a SHA-256 of the visible content (sources and their triples, not load times)."""
        return graph_reads.content_hash(self._store, self.sources())
