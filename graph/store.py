"""The RDF store protocol (:class:`GraphStore`) and the types of sources it holds.

Two stores implement it: the embedded one (``graph/rdf/``) and a remote SPARQL 1.1 server (``graph/remote/``).
The use cases in ``graph/services/`` take a :class:`GraphStore`, so they run on either. Neo4j is no
:class:`GraphStore`: it holds a projection, synced from one (``graph/neo4j/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from rdflib.term import Node

from graph.plain_terms import PlainGroup
from graph.results import Serialised, SparqlResult
from ingest.types import Triple

#: The stable name a source file is loaded under (``sample/measures.csv``, ``vocabulary:challenges.ttl``).
SourceId = str
#: The tag of one load run (UTC timestamp and a counter), stamped on everything it wrote.
RunId = str


@dataclass(frozen=True)
class SourceInfo:
    """What is recorded about a source file when it is loaded.

    Attributes
    ----------
    name : SourceId
        Stable source name; loading the same name again replaces its content.
    file_name : str
        The file's name.
    sha256 : str
        Checksum of the file's bytes.
    record_count : int
        Records read from it.
    """

    name: SourceId
    file_name: str
    sha256: str
    record_count: int


@dataclass(frozen=True)
class LoadedSource:
    """A source as the store holds it now (one entry of the catalog)."""

    name: SourceId
    file_name: str
    sha256: str
    record_count: int
    triple_count: int
    graph: str
    run: RunId
    loaded_at: str
    restricted_graph: str | None = None

    def graphs(self, *, include_restricted: bool) -> list[str]:
        """Return the names of the graphs holding this source's triples.

        Parameters
        ----------
        include_restricted : bool
            Also return the graph of triples about restricted records, if there is one.

        Returns
        -------
        list of str
            Graph IRIs, the public one first.
        """
        if include_restricted and self.restricted_graph:
            return [self.graph, self.restricted_graph]
        return [self.graph]


class GraphStore(Protocol):
    """The RDF store peergraph reads and writes: embedded or a remote SPARQL 1.1 server.

    Implemented by :class:`graph.rdf.store.RdfStore` and :class:`graph.remote.store.RemoteStore`.
    Each source is one named graph (two when it names restricted records), replaced as a unit; the catalogue
    says which graphs are current. Anonymous reads see the public graphs only. Answers are peergraph's own types
    (:class:`~graph.results.SparqlResult`, rdflib terms, plain values), never a library's objects.
    """

    @property
    def generation(self) -> str:
        """Name of the committed state this handle sees; it changes with every load or removal."""

    def sources(self) -> list[LoadedSource]:
        """Return the catalogue, sorted by source name; ``restricted_graph`` says whether one has restricted records."""

    def replace_sources(self, items: Sequence[tuple[SourceInfo, Sequence[Triple]]], run: RunId) -> None:
        """Replace the content of every given source, all at once: readers see the old or the new graphs."""

    def remove_sources(self, names: Iterable[SourceId]) -> None:
        """Remove sources and their graphs, all at once; unknown names are ignored."""

    def run_query(
        self,
        sparql: str,
        *,
        max_rows: int,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> SparqlResult:
        """Run a read-only SPARQL query; the default graph is the union of the visible graphs.

        Parameters
        ----------
        sparql : str
            A SPARQL 1.1 query (peergraph's prefixes predeclared). Updates and ``SERVICE`` are refused.
        max_rows : int
            Most rows (or triples) returned; ``truncated`` says whether more existed.
        bindings : mapping of str to rdflib term, optional
            Values of (projected) variables, never pasted into the text by the caller.
        include_restricted : bool
            Also see the graphs of restricted records.
        dataset : (list of str, list of str), optional
            Source or graph IRIs of the default and named graphs; without them, the query's ``FROM`` /
            ``FROM NAMED`` (of this store only), else the visible graphs.

        Raises
        ------
        QueryRejected
            For a malformed query, an update, ``SERVICE``, an unknown graph, or a query past its deadline.
        """

    def run_query_serialised(
        self,
        sparql: str,
        *,
        formats: tuple[str | None, str | None],
        max_rows: int,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> Serialised:
        """Run a query as :meth:`run_query` does and return its answer written in the format for its kind.

        Parameters
        ----------
        formats : (str or None, str or None)
            ``(solutions format, graph format)`` as :func:`graph.results.serialised` takes them; None where the
            caller accepts none (the answer then has no body).
        """

    def holds(self, iri: str) -> bool:
        """Tell whether any current graph, restricted ones too, has a triple with ``iri`` as its subject."""

    def quads(
        self, source: SourceId | None = None, *, include_restricted: bool = True
    ) -> Iterator[tuple[Node, Node, Node, str]]:
        """Yield ``(subject, predicate, object, source name)`` of every source (or one), as rdflib terms."""

    def write_graph(
        self, out: BinaryIO, *, fmt: str, sources: Iterable[SourceId] | None = None, include_restricted: bool
    ) -> int:
        """Stream sources (default: all) to ``out`` as N-Triples or N-Quads; return the lines written.

        ``fmt`` is ``nt`` or ``nq`` (one graph per source, named by its ``…/id/source-file/<name>`` IRI). A
        triple two sources state is written once per source.
        """

    def subject_groups(
        self, sources: Iterable[SourceId], *, skip: set[str] | None = None, include_restricted: bool = True
    ) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
        """Yield each subject of the given sources once with its sorted (predicate, object) pairs in them.

        IRIs in ``skip`` are left out as subjects and as objects.
        """

    def public_plain_groups(
        self, exclude_sources: Iterable[SourceId] = (), *, skip: set[str] | None = None
    ) -> Iterator[PlainGroup]:
        """Yield each subject of the public data (but what ``exclude_sources`` describe) once, as plain values."""

    def public_subject_groups(
        self, exclude_sources: Iterable[SourceId] = (), *, skip: set[str] | None = None
    ) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
        """Yield what :meth:`public_plain_groups` yields as rdflib terms, pairs sorted."""

    def count(self, source: SourceId | None = None) -> int:
        """Return the number of triples held (restricted ones too), overall or for a source."""

    def public_count(self) -> int:
        """Return the number of public triples, summed over sources."""

    def has_public_content(self, source: LoadedSource) -> bool:
        """Tell whether a source's public graph holds any triple."""

    def content_hash(self) -> str:
        """Return a SHA-256 of the sources and their triples (not load times): equal content, equal digest."""

    def health(self) -> dict[str, object]:
        """Return a small status dictionary without counts; raise :class:`graph.errors.StoreUnavailable` if unusable."""

    def close(self) -> None:
        """Release the store's files, locks or connections."""
