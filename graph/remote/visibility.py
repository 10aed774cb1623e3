"""Which triples of a load are restricted, on a remote store: the rules of :mod:`graph.rdf.visibility`, by SPARQL.

A record is restricted if the load or a stored source the load does not replace marks it so; source addresses
cited only by restricted records are restricted with them; stored sources whose triples change side are split
again in the same switch, from what the server holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import URIRef

from graph.store import LoadedSource, SourceInfo
from ingest.types import Triple
from ontology import PG, mint_iri
from ontology.namespaces import DCTERMS

if TYPE_CHECKING:
    from graph.remote.store import RemoteStore

RESTRICTED = mint_iri("visibility", "restricted")
Items = Sequence[tuple[SourceInfo, Sequence[Triple]]]


def split_load(
    store: RemoteStore, sources: Sequence[LoadedSource], items: Items
) -> tuple[list[tuple[SourceInfo, Sequence[Triple]]], set[URIRef]]:
    """Return the load with the stored sources that must be split again, and the restricted resources.

    Parameters
    ----------
    store : RemoteStore
        The store, read by SPARQL.
    sources : sequence of LoadedSource
        Its catalogue.
    items : sequence of (SourceInfo, triples)
        The load.

    Returns
    -------
    (list of (SourceInfo, triples), set of URIRef)
        Every source to write, and the resources whose triples go to restricted graphs.
    """
    replaced = {info.name for info, _ in items}
    kept = [source for source in sources if source.name not in replaced]
    stored = {source.name: list(store.triples_in(source.graphs(include_restricted=True))) for source in kept}
    loaded = [triple for _, triples in items for triple in triples]
    every = loaded + [(s, p, o) for quads in stored.values() for s, p, o, _ in quads]
    restricted = {s for s, p, o in every if p == PG.visibility and o == RESTRICTED}
    citations = [(s, o) for s, p, o in every if p == DCTERMS.source]
    cited_publicly = {o for s, o in citations if s not in restricted}
    restricted |= {o for s, o in citations if s in restricted and o not in cited_publicly and isinstance(o, URIRef)}
    again: list[tuple[SourceInfo, Sequence[Triple]]] = []
    for source in kept:
        quads = stored[source.name]
        if any((s in restricted or o in restricted) != (graph != source.graph) for s, _, o, graph in quads):
            info = SourceInfo(source.name, source.file_name, source.sha256, source.record_count)
            again.append((info, [(s, p, o) for s, p, o, _ in quads]))
    return [*items, *again], restricted  # type: ignore[misc]
