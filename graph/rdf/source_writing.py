"""Writing a load's sources into new named graphs of the embedded store, before the catalogue switch.

Each source goes to its public graph and, for triples naming a restricted record, its restricted graph
(:func:`graph.source_catalog.source_graph`). While they are written, the public triples are also added to the
merged default graph (when it is current) and to the source's sorted public copy (when the store keeps copies).
"""

from __future__ import annotations

import collections
from collections.abc import Iterator, Sequence

import pyoxigraph as ox
from rdflib import URIRef

from graph.rdf.oxigraph_terms import to_ox
from graph.rdf.public_copies import CopyFolder, SortedCopy
from graph.source_catalog import source_graph
from graph.store import RunId, SourceId, SourceInfo
from ingest.types import Triple


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


def write_source_graphs(
    store: ox.Store,
    items: Sequence[tuple[SourceInfo, Sequence[Triple]]],
    restricted: set[URIRef],
    run: RunId,
    *,
    into_union: bool,
    copies: CopyFolder | None,
) -> set[SourceId]:
    """Write each source's new graphs (no query sees them before the switch); return the sources with hidden triples.

    Parameters
    ----------
    store : pyoxigraph.Store
        The writer's store.
    items : sequence of (SourceInfo, sequence of Triple)
        The sources and their complete new content.
    restricted : set of URIRef
        Resources whose triples go to the restricted graphs.
    run : RunId
        The run tag (names the graphs).
    into_union : bool
        Also add the public triples to the merged default graph.
    copies : CopyFolder or None
        Where to write each source's sorted public copy, if the store keeps them.

    Returns
    -------
    set of SourceId
        The sources that have a restricted graph.
    """
    cache: dict[str, ox.NamedNode] = {}
    with_hidden: set[SourceId] = set()
    for info, triples in items:
        graph = to_ox(source_graph(info.name, run))
        hidden = to_ox(source_graph(info.name, run, restricted=True))
        if any(s in restricted or o in restricted for s, _, o in triples):
            with_hidden.add(info.name)
        # Generators, not lists, and the merged default graph in a second call: the bulk loader holds what one
        # call gives it, so one call with both copies needs much more memory.
        store.bulk_extend(_quads(triples, restricted, graph, hidden, cache))
        if into_union or copies is not None:
            public = _quads(triples, restricted, ox.DefaultGraph(), None, cache)
            copy = SortedCopy() if copies is not None else None
            if copy is not None:
                public = copy.tap(public)
            if into_union:
                store.bulk_extend(public)
            else:
                collections.deque(public, maxlen=0)  # only the copy takes them
            if copy is not None and copies is not None:  # before the switch: a killed load leaves an orphan
                copy.write(copies.path(graph.value))
    return with_hidden
