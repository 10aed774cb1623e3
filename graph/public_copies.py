"""Sorted N-Triples copies of each source's public graph, which the Neo4j sync reads instead of the store.

Reading the store's 10 M public triples at 1e6 entities costs Oxigraph about 120 CPU-seconds, nearly all
of it looking up the text of each term in RocksDB (see :mod:`graph.dump_stream`); on two cores that is
CPU Neo4j then lacks. When Neo4j is configured, the ingest therefore also writes each source's public
triples to a file beside the store, one line per triple, grouped by subject with subjects in code-point
order (:func:`write_copy`); it has the terms at hand, so no lookup is needed. The sync merges the files
of all sources by subject (:func:`merged_groups`) and parses them with :func:`~graph.plain_ntriples.plain_triples`.

A copy is named after its graph, whose IRI carries the ingest run, so a copy never goes stale: the graph
and its copy are written by the same load and removed together. It is written to a temporary name, synced
and renamed, so a copy that exists is complete. Stores without copies for every source are read by the dump.
"""

from __future__ import annotations

import hashlib
import heapq
import os
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from graph.plain_ntriples import plain_triples
from graph.plain_terms import PlainGroup, PlainTerm, grouped_by_subject

#: An object as Oxigraph holds it.
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
#: Bytes per read of a copy.
BLOCK = 1 << 20


def copy_name(graph: str) -> str:
    """Return the file name of the copy of a graph.

    >>> copy_name("https://w3id.org/peergraph/id/graph/records-measures-csv/run-1")
    '1274fa0f853234b5cccfd34e5422e8a8.nt'
    """
    return hashlib.sha256(graph.encode()).hexdigest()[:32] + ".nt"


def _subject_key(subject: ox.NamedNode | ox.BlankNode) -> str:
    return subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"


def write_copy(path: Path, triples: Iterable[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, OxTerm]]) -> int:
    """Write triples as N-Triples grouped by subject, subjects in code-point order of their keys.

    Parameters
    ----------
    path : pathlib.Path
        The copy; written as ``path.tmp``, synced, then renamed.
    triples : iterable of (subject, predicate, object)
        Oxigraph terms (Oxigraph writes each line, so they read back as a dump's lines do).

    Returns
    -------
    int
        Lines written.
    """
    groups: dict[str, tuple[ox.NamedNode | ox.BlankNode, list[tuple[ox.NamedNode, OxTerm]]]] = {}
    count = 0
    for subject, predicate, obj in triples:
        key = _subject_key(subject)
        group = groups.get(key)
        if group is None:
            groups[key] = (subject, [(predicate, obj)])
        else:
            group[1].append((predicate, obj))
        count += 1
    partial = path.with_name(path.name + ".tmp")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        for key in sorted(groups):
            subject, pairs = groups[key]
            head = f"{subject} "
            out.writelines(f"{head}{predicate} {obj} .\n" for predicate, obj in pairs)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(path)
    return count


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
