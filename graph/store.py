"""The store protocol: loading, counting and lifecycle, shared by the RDF store and Neo4j.

Querying is not part of it: SPARQL runs only on the RDF store and Cypher only on Neo4j, behind named
service functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ingest.types import Triple

#: The stable name a source file is loaded under (``sample/measures.csv``, ``vocabulary:challenges.ttl``).
SourceId = str
#: The tag of one load run (UTC timestamp and a counter), stamped on everything it wrote.
RunId = str


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do; a backend raises for anything it cannot do, never silently ignores it."""

    sparql: bool
    cypher: bool
    named_graphs: bool


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
    """A store that holds one replaceable unit of content per source."""

    capabilities: Capabilities

    def replace_sources(self, items: Sequence[tuple[SourceInfo, Sequence[Triple]]], run: RunId) -> None:
        """Replace the content of every given source, all or nothing, and record the run."""

    def count(self, source: SourceId | None = None) -> int:
        """Return the number of triples (or relationships and properties) held, overall or for a source."""

    def health(self) -> dict[str, object]:
        """Return a small status dictionary; raise :class:`graph.errors.StoreUnavailable` if unusable."""

    def close(self) -> None:
        """Release the store's files, locks or connections."""
