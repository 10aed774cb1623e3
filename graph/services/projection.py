"""The one projection of the store into networkx, for analytics, network views and Gephi exports.

Nodes are keyed by IRI and carry ``label`` (display name), ``type`` (ontology class local name, or
``Concept``), ``source`` (the source that typed them) and their literal properties; edges carry the
predicate IRI in ``predicate`` and its relationship name (``ADOPTED_BY``) as key and ``kind``. Because
it is the only projection, analytics scores and view colours always refer to the same nodes.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import Literal, URIRef

from graph.property_graph.mapping import build_mapping, to_neo4j_value
from graph.store import GraphStore
from ontology.namespaces import RDF, RDFS, SKOS

_DISPLAY = (RDFS.label, SKOS.prefLabel)


def project(
    store: GraphStore, sources: list[str], *, skip: set[str] | None = None, include_restricted: bool = True
) -> nx.MultiDiGraph:
    """Project the given sources of the RDF store into a directed multigraph.

    Parameters
    ----------
    store : GraphStore
        The RDF store.
    sources : list of str
        Source names to include (for example the data sources, without vocabularies).
    skip : set of str, optional
        Record IRIs to leave out (restricted records for anonymous views).
    include_restricted : bool
        Read the graphs of triples about restricted records too.

    Returns
    -------
    networkx.MultiDiGraph
        IRI-keyed nodes with their literal properties (lists for several values), edges for every
        triple whose object is an IRI of a node or concept.
    """
    mapping = build_mapping()
    graph = nx.MultiDiGraph()
    for subject, pairs in store.subject_groups(sources, skip=skip, include_restricted=include_restricted):
        node = str(subject)
        attributes: dict[str, object] = {}
        types = []
        for predicate, obj in pairs:
            if predicate == RDF.type:
                types.append(mapping.labels.get(obj, str(obj)))
            elif isinstance(obj, Literal):
                key = mapping.property_key(predicate, obj) or str(predicate)
                value = str(obj) if obj.language else to_neo4j_value(key.partition("_")[0], obj, mapping)
                existing = attributes.get(key)
                attributes[key] = (
                    value
                    if existing is None
                    else [*existing, value]
                    if isinstance(existing, list)
                    else [existing, value]
                )
            elif isinstance(obj, URIRef):
                kind = mapping.relationships.get(predicate, str(predicate))
                graph.add_edge(node, str(obj), key=kind, kind=kind, predicate=str(predicate))
        label = next(
            (
                attributes[k]
                for k in ("label_en", "label", "prefLabel_en", "prefLabel", "identifier")
                if k in attributes
            ),
            node,
        )
        specific = sorted(t for t in types if t != "Concept") or types
        if isinstance(attributes.get("label"), list):
            attributes["labels"] = attributes["label"]
        attributes["label"] = label if isinstance(label, str) else str(label[0])
        attributes["type"] = specific[0] if specific else ""
        graph.add_node(node, **attributes)
    for node, data in graph.nodes(data=True):
        data.setdefault("label", node)
        data.setdefault("type", "")
    _title_exchanges(graph)
    return graph


def _named(graph: nx.MultiDiGraph, node: str, kind: str) -> str:
    targets = sorted(v for v, keys in graph.succ[node].items() if kind in keys)
    return " and ".join(str(graph.nodes[v].get("label", v.rsplit("/", 1)[-1])) for v in targets)


def _title_exchanges(graph: nx.MultiDiGraph) -> None:
    """Title exchanges with no name of their own from topic, seeker and provider (not ``X-NAM-ZWE``).

    ``Copyright policy: South Sudan learns from Tanzania (2020)``; the identifier stays in ``identifier`` and
    ``label_derived`` marks the title as composed (the text the ranking reads keeps the record's own words).
    """
    for node, data in graph.nodes(data=True):
        if data.get("type") != "PeerExchange" or data.get("label") != data.get("identifier"):
            continue

        topic = data.get("topic")
        topic = str(topic[0] if isinstance(topic, list) else topic or "").strip()
        seeker, provider = _named(graph, node, "SEEKER"), _named(graph, node, "PROVIDER")
        if not (seeker and provider):
            continue
        title = f"{seeker} learns from {provider}"
        title = f"{topic[:1].upper()}{topic[1:]}: {title}" if topic else title
        data["label"] = f"{title} ({data['year']})" if isinstance(data.get("year"), int) else title
        data["label_derived"] = True  # composed here, not stated by a source (the match index reads the id)


def sanitised_for_export(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy whose attribute values GraphML and GEXF can hold: scalars only, never None.

    Lists become ``"; "``-joined text; missing values are simply absent.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A graph from :func:`project`.

    Returns
    -------
    networkx.MultiDiGraph
        A sanitised copy.
    """

    def clean(attributes: dict) -> dict:
        out = {}
        for key, value in attributes.items():
            if value is None:
                continue
            if isinstance(value, list | tuple | set):
                value = "; ".join(str(item) for item in value)
            out[key] = value if type(value) in (str, int, float, bool) else str(value)
        return out

    copy = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **clean(data))
    for u, v, key, data in graph.edges(keys=True, data=True):
        copy.add_edge(u, v, key=key, **clean(data))
    return copy


def write_graphml(graph: nx.MultiDiGraph, destination: Path) -> None:
    """Write GraphML (attributes must be scalars: see :func:`sanitised_for_export`)."""
    nx.write_graphml(graph, destination)


def write_gexf(graph: nx.MultiDiGraph, destination: Path) -> None:
    """Write GEXF 1.2 for Gephi (attributes must be scalars: see :func:`sanitised_for_export`)."""
    nx.write_gexf(graph, destination)
