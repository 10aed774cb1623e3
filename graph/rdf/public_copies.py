"""Sorted N-Triples copies of each source's public graph, which the Neo4j sync reads instead of the store.

Reading the store's 10 M public triples at 1e6 entities costs Oxigraph about 120 CPU-seconds, nearly all
of it looking up the text of each term in RocksDB (see :mod:`graph.rdf.dump_stream`); on two cores that is
CPU Neo4j then lacks. When Neo4j is configured, the ingest therefore also writes each source's public
triples to a file beside the store, one line per triple, grouped by subject with subjects in code-point
order (:class:`SortedCopy`); it has the terms at hand, so no lookup is needed, and it takes the lines from
the quads it builds anyway for the store's merged default graph. The sync merges the files
of all sources by subject (:func:`merged_groups`) and parses them with :func:`~graph.rdf.plain_ntriples.plain_triples`.

A copy is named after its graph, whose IRI carries the ingest run, so a copy never goes stale: the graph
and its copy are written by the same load and removed together. It is written to a temporary name, synced
and renamed, so a copy that exists is complete. Stores without copies for every source are read by the dump.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import os
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from graph.plain_terms import PlainGroup, PlainTerm, grouped_by_subject
from graph.rdf.plain_ntriples import plain_triples

#: Bytes per read of a copy.
BLOCK = 1 << 20


def copy_name(graph: str) -> str:
    """Return the file name of the copy of a graph.

    >>> copy_name("https://w3id.org/peergraph/id/graph/records-measures-csv/run-1")
    '1274fa0f853234b5cccfd34e5422e8a8.nt'
    """
    return hashlib.sha256(graph.encode()).hexdigest()[:32] + ".nt"


class SortedCopy:
    """The lines of one public copy, gathered in any order and written grouped by subject, subjects sorted.

    Lines are N-Triples triples as Oxigraph writes them (``str`` of a triple, or of a quad in the default
    graph), so the copy reads back as a dump's lines do. Sorting groups needs them all at once: about
    150 bytes per triple held until :meth:`write`.
    """

    def __init__(self) -> None:
        self._groups: dict[str, list[str]] = {}
        self.count = 0

    def add(self, triple: str) -> None:
        """Add one triple's text (``<s> <p> <o>``, without the final dot)."""
        head = triple[: triple.index(" ")]
        key = head[1:-1] if head[0] == "<" else head  # the subject's plain key (IRIs are written unescaped)
        group = self._groups.get(key)
        if group is None:
            self._groups[key] = [triple]
        else:
            group.append(triple)
        self.count += 1

    def tap(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """Add each quad of the default graph as it passes (a load's quads feed the store and the copy)."""
        for quad in quads:
            self.add(str(quad))
            yield quad

    def write(self, path: Path) -> int:
        """Write the copy as ``path.tmp``, sync it and rename it to ``path``; return the lines written.

        The folder is made if it is missing.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".tmp")
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            for key in sorted(self._groups):
                out.write(" .\n".join(self._groups[key]))
                out.write(" .\n")
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
        return self.count


def write_copy(path: Path, triples: Iterable[ox.Triple]) -> int:
    """Write triples as a public copy (:class:`SortedCopy`); return how many.

    Parameters
    ----------
    path : pathlib.Path
        The copy.
    triples : iterable of pyoxigraph.Triple
        In any order.

    Returns
    -------
    int
        Lines written.
    """
    copy = SortedCopy()
    for triple in triples:
        copy.add(str(triple))
    return copy.write(path)


def _file_triples(copy: BinaryIO) -> Iterator[tuple[str, str, PlainTerm]]:
    """Yield the triples of one open copy as plain values."""
    rest = b""
    while block := copy.read(BLOCK):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        rest = block[cut:]
        if cut:
            yield from plain_triples(block[: cut - 1].decode("utf-8").split("\n"))
    if rest:
        raise ValueError(f"{getattr(copy, 'name', 'a public copy')}: the file ends inside a line: {rest[:200]!r}")


def _file_groups(copy: BinaryIO) -> Iterator[PlainGroup]:
    """Yield the subject groups of one open copy, checking that subjects ascend."""
    previous = ""
    for group in grouped_by_subject(_file_triples(copy)):
        if group[0] < previous:
            raise ValueError(
                f"{getattr(copy, 'name', 'a public copy')}: subjects out of order ({group[0]!r} after {previous!r})"
            )
        previous = group[0]
        yield group


def merged_groups(copies: Sequence[BinaryIO]) -> Iterator[PlainGroup]:
    """Yield each subject of the open copies once, with its pairs from all of them (each pair once).

    Parameters
    ----------
    copies : sequence of binary files
        Open copies (:func:`write_copy`); a subject in several has its pairs joined.

    Yields
    ------
    PlainGroup
        Subjects in ascending key order.

    Raises
    ------
    ValueError
        If a copy is not sorted, or ends inside a line.
    """
    streams = [_file_groups(copy) for copy in copies]
    if len(streams) == 1:
        yield from streams[0]
        return
    current: str | None = None
    pairs: list[tuple[str, PlainTerm]] = []
    shared = False
    for subject, more in heapq.merge(*streams, key=itemgetter(0)):
        if subject == current:
            pairs += more
            shared = True
            continue
        if current is not None:
            yield current, list(dict.fromkeys(pairs)) if shared else pairs
        current, pairs, shared = subject, more, False
    if current is not None:
        yield current, list(dict.fromkeys(pairs)) if shared else pairs


class CopyFolder:
    """The folder of public copies beside a store: one file per current public graph.

    Parameters
    ----------
    folder : pathlib.Path
        ``<store>/public-copies``.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, graph: str) -> Path:
        """Return the path of the copy of ``graph``."""
        return self.folder / copy_name(graph)

    def write_missing(self, store: ox.Store, public_graphs: Sequence[ox.NamedNode]) -> None:
        """Copy the public graphs that have no copy yet (a store loaded before Neo4j was configured)."""
        for graph in public_graphs:
            path = self.path(graph.value)
            if not path.exists():
                write_copy(path, (quad.triple for quad in store.quads_for_pattern(None, None, None, graph)))

    def drop_orphans(self, public_graphs: Sequence[ox.NamedNode]) -> None:
        """Delete the copies (and half-written ones) of graphs that are no current public graph."""
        if not self.folder.is_dir():
            return
        keep = {copy_name(graph.value) for graph in public_graphs}
        for copy in self.folder.iterdir():
            if copy.name not in keep:
                copy.unlink(missing_ok=True)

    def open_all(self, graphs: Sequence[str], files: contextlib.ExitStack) -> list[BinaryIO] | None:
        """Open the copies of these graphs in ``files``, or return None if one is missing.

        A copy opened stays readable if a writer removes it meanwhile (its graph went with the new generation).
        """
        try:
            return [files.enter_context(self.path(graph).open("rb")) for graph in graphs]
        except FileNotFoundError:
            return None
