"""Networks for Gephi: every node typed and labelled, sources as attributes, edges labelled.

The projection of the data sources alone leaves the nodes it only points at (countries, vocabulary
concepts) without a type or label, and makes a node of every source address. :func:`gephi_network` takes
their type and label from the full projection (with vocabularies and the country reference), folds each
record's source addresses into its ``sources`` attribute (``source_count`` beside it), and gives every
edge a ``label`` in words (``addresses challenge``) beside its ``kind`` (``ADDRESSES_CHALLENGE``).
"""

from __future__ import annotations

import networkx as nx

from graph.property_graph.term_labels import class_label, relation_label
from ontology.namespaces import DATA_NS, VOCAB_NS

SOURCE_EDGE = "SOURCE"
_COPIED = ("label", "type", "identifier", "notation", "iso3", "label_en", "label_fr", "label_es")


def gephi_network(network: nx.MultiDiGraph, reference: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of ``network`` ready for Gephi.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The records to export, from :func:`graph.services.projection.project`.
    reference : networkx.MultiDiGraph
        A projection that also holds the vocabularies and the country reference (labels and types of the
        nodes ``network`` only points at).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes with ``label``, ``type`` and ``type_label`` (never empty) and ``sources``/``source_count``;
        no source-address nodes; edges with ``kind`` and ``label``.
    """
    sources: dict[str, list[str]] = {}
    for u, v, key in network.edges(keys=True):
        if key == SOURCE_EDGE:
            sources.setdefault(u, []).append(v)
    addresses = {v for targets in sources.values() for v in targets}
    kept = [n for n in network if n not in addresses or network.out_degree(n) > 0 or n in sources]
    out = nx.MultiDiGraph()
    for node in kept:
        data = dict(network.nodes[node])
        known = reference.nodes[node] if node in reference else {}
        if not data.get("type") or data.get("label") in (None, "", node):
            data.update({key: known[key] for key in _COPIED if key in known})
        elif known.get("label"):  # titled with its neighbours' names (exchanges: seeker and provider)
            data["label"] = known["label"]
        data["label"] = str(data.get("label") or node.rsplit("/", 1)[-1])
        data["type"] = str(data.get("type") or _type_of_iri(node))
        data["type_label"] = class_label(data["type"])
        if node in sources:
            data["sources"] = sorted(sources[node])
            data["source_count"] = len(sources[node])
        out.add_node(node, **data)
    for u, v, key, data in network.edges(keys=True, data=True):
        if key == SOURCE_EDGE or u not in out or v not in out:
            continue
        out.add_edge(u, v, key=key, **{**data, "label": relation_label(key)})
    return out


def _type_of_iri(iri: str) -> str:
    """Return a type for a node no source typed, from its address (a vocabulary's → ``Concept``)."""
    if iri.startswith(str(VOCAB_NS)):
        return "Concept"
    if iri.startswith(str(DATA_NS)):
        return iri[len(str(DATA_NS)) :].split("/", 1)[0].capitalize()
    return "Resource"
