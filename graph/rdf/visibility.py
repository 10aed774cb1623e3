"""Which triples of a load are restricted: a record's visibility decides where every triple naming it lives.

Used by :meth:`graph.rdf.store.RdfStore.replace_sources` before it splits each source into its public and
restricted graphs. A record is restricted if the load or a stored source the load does not replace marks it
so (the replaced sources' old marks do not count, so a record can be made public again). Source addresses
cited only by restricted records are restricted with them. Stored sources outside the load whose triples
change side are returned with their stored triples, to be split again in the same atomic switch.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import URIRef

from graph.rdf.oxigraph_terms import to_ox, to_rdflib
from graph.store import LoadedSource, SourceInfo
from ingest.types import Triple
from ontology import PG, mint_iri
from ontology.namespaces import DCTERMS

RESTRICTED = mint_iri("visibility", "restricted")
Items = Sequence[tuple[SourceInfo, Sequence[Triple]]]


def _kept_graphs(sources: Sequence[LoadedSource], items: Items) -> list[ox.NamedNode]:
    replaced = {info.name for info, _ in items}
    return [
        ox.NamedNode(graph)
        for source in sources
        if source.name not in replaced
        for graph in source.graphs(include_restricted=True)
    ]


def restricted_records(store: ox.Store, sources: Sequence[LoadedSource], items: Items) -> set[URIRef]:
    """Return the records marked restricted in ``items`` or in the stored sources the load does not replace.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store.
    sources : sequence of LoadedSource
        Its catalog.
    items : sequence of (SourceInfo, triples)
        The load.

    Returns
    -------
    set of URIRef
        Record IRIs.
    """
    marked = {s for _, triples in items for s, p, o in triples if p == PG.visibility and o == RESTRICTED}
    kept = _kept_graphs(sources, items)
    if not kept:
        return marked
    stored = store.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s {to_ox(PG.visibility)} {to_ox(RESTRICTED)} }}", default_graph=kept
    )
    return marked | {URIRef(row["s"].value) for row in stored if isinstance(row["s"], ox.NamedNode)}


def with_sources_cited_only_by(
    restricted: set[URIRef], store: ox.Store, sources: Sequence[LoadedSource], items: Items
) -> set[URIRef]:
    """Add the source addresses (``dcterms:source`` objects) that only restricted records cite.

    Such an address would otherwise stay public (as ``<address> a pg:Source``) and tell what a restricted
    record was about. Citations count across the load and every stored source it does not replace.

    Parameters
    ----------
    restricted : set of URIRef
        The restricted records.
    store : pyoxigraph.Store
        The store.
    sources : sequence of LoadedSource
        Its catalog.
    items : sequence of (SourceInfo, triples)
        The load.

    Returns
    -------
    set of URIRef
        ``restricted`` and those addresses.
    """
    citations = [(s, o) for _, triples in items for s, p, o in triples if p == DCTERMS.source]
    predicate = to_ox(DCTERMS.source)
    for graph in _kept_graphs(sources, items):
        for quad in store.quads_for_pattern(None, predicate, None, graph):
            citations.append((to_rdflib(quad.subject), to_rdflib(quad.object)))
    cited_publicly = {o for s, o in citations if s not in restricted}
    only_hidden = {o for s, o in citations if s in restricted and o not in cited_publicly}
    return restricted | {o for o in only_hidden if isinstance(o, URIRef)}


def reclassified_sources(
    store: ox.Store, sources: Sequence[LoadedSource], items: Items, restricted: set[URIRef]
) -> list[tuple[SourceInfo, list[Triple]]]:
    """Return the stored sources outside the load whose triples change side, with their stored triples.

    A source whose public graph names a restricted resource, or whose restricted graph holds a triple naming
    none, is split again (from what the store holds) in the same switch, with or without ``--force``.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store.
    sources : sequence of LoadedSource
        Its catalog.
    items : sequence of (SourceInfo, triples)
        The load.
    restricted : set of URIRef
        Resources whose triples are restricted.

    Returns
    -------
    list of (SourceInfo, list of Triple)
        Items to add to the load.
    """
    replaced = {info.name for info, _ in items}
    names = [to_ox(resource) for resource in restricted]
    hidden = {name.value for name in names}
    again: list[tuple[SourceInfo, list[Triple]]] = []
    for source in sources:
        if source.name in replaced:
            continue
        public = ox.NamedNode(source.graph)
        moves = any(
            next(store.quads_for_pattern(name, None, None, public), None) is not None
            or next(store.quads_for_pattern(None, None, name, public), None) is not None
            for name in names
        )
        if not moves and source.restricted_graph:
            moves = any(
                quad.subject.value not in hidden and getattr(quad.object, "value", None) not in hidden
                for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(source.restricted_graph))
            )
        if moves:
            triples: list[Triple] = [
                (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
                for graph in source.graphs(include_restricted=True)
                for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            ]
            again.append((SourceInfo(source.name, source.file_name, source.sha256, source.record_count), triples))
    return again
