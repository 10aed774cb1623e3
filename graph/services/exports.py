"""Exports: RDF (Turtle, N-Triples, N-Quads, JSON-LD), CSV tables in the ingest format, GraphML/GEXF for Gephi.

The command line (the store's operator) exports everything by default; HTTP exports for anonymous callers
leave restricted records out. Filters (the catalogue's: ``kind``, ``q``, ``region``, ``policy_area``,
``challenge``, ``year``, ``language``) select records; RDF and CSV exports then hold those records' own
triples or rows, networks the selected records with their direct neighbours (typed, labelled, sources as
attributes: :mod:`graph.property_graph.network_export`).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from graph.errors import InvalidRequest
from graph.peers.catalogue import Catalogue
from graph.property_graph.network_export import gephi_network
from graph.rdf.sources import data_sources, is_builtin_source, projected_sources, restricted_iris
from graph.services.projection import project, sanitised_for_export, write_gexf, write_graphml
from graph.services.research import build_graph_view
from graph.store import GraphStore
from ingest.export import records_from_groups, write_csv_tables
from ontology import mint_iri
from ontology.namespaces import PREFIXES, bind_prefixes

RDF_FORMATS = {"ttl": "turtle", "nq": "nquads", "jsonld": "json-ld", "nt": "nt"}
#: Formats that are not RDF: CSV tables in the ingest format (a folder), and networks for Gephi.
OTHER_FORMATS = ("csv", "graphml", "gexf")
FILTER_KEYS = ("kind", "q", "region", "policy_area", "challenge", "year", "language")
#: Media type and file suffix of each format over HTTP (CSV tables come as one zip).
HTTP_MEDIA = {
    "ttl": ("text/turtle", "ttl"),
    "nt": ("application/n-triples", "nt"),
    "nq": ("application/n-quads", "nq"),
    "jsonld": ("application/ld+json", "jsonld"),
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "csv": ("application/zip", "zip"),
}


def parse_filters(items: list[str]) -> dict[str, str]:
    """Turn ``KEY=VALUE`` strings (``--filter challenge=piracy``) into a dict.

    Raises
    ------
    InvalidRequest
        For a malformed item or an unknown key.

    Examples
    --------
    >>> parse_filters(["kind=measures", "challenge=piracy"])
    {'kind': 'measures', 'challenge': 'piracy'}
    """
    filters: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not value.strip():
            raise InvalidRequest("filter", f"expected KEY=VALUE, got {item!r}")
        if key not in FILTER_KEYS:
            raise InvalidRequest("filter", f"unknown filter {key!r}; use one of {', '.join(FILTER_KEYS)}")
        filters[key] = value.strip()
    return filters


def select_records(catalogue: Catalogue, filters: dict[str, str]) -> set[str]:
    """Return the IRIs of the records the filters select.

    Raises
    ------
    InvalidRequest
        For an unknown filter value, naming the filter.
    """
    resolved = catalogue.filters(**{key: value for key, value in filters.items() if key != "kind"})
    return set(catalogue.select(filters.get("kind"), resolved))


def export(
    store: GraphStore,
    fmt: str,
    destination: Path,
    *,
    include_builtin: bool = False,
    include_restricted: bool = True,
    filters: dict[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> int:
    """Write the store's data in one format.

    Parameters
    ----------
    store : GraphStore
        The store.
    fmt : str
        ``ttl`` (Turtle, with peergraph's prefixes), ``nt``, ``nq`` (one graph per source, named by the
        source's stable IRI), ``jsonld`` (with a context of the prefixes), ``csv`` (a folder of tables in
        the ingest format), ``graphml`` or ``gexf`` (networks for Gephi).
    destination : pathlib.Path
        The file (folder for ``csv``).
    include_builtin : bool
        Also export the ontology, vocabularies and country reference (RDF formats).
    include_restricted : bool
        Also export restricted records.
    filters : dict of str to str, optional
        Catalogue filters selecting records (see the module docstring).
    catalogue : Catalogue, optional
        The catalogue to filter with (the server passes its cached view's); built from the store if needed.

    Returns
    -------
    int
        Triples (quads for ``nq``), records (``csv``) or nodes (networks) written; unfiltered N-Triples and
        N-Quads are streamed source by source, so a triple two sources state counts (and is written) twice.

    Raises
    ------
    InvalidRequest
        For an unknown format or filter.
    """
    if fmt not in RDF_FORMATS and fmt not in OTHER_FORMATS:
        raise InvalidRequest("format", f"unknown export format {fmt!r}; use one of {', '.join(HTTP_MEDIA)}")
    selected = None
    if filters:
        catalogue = catalogue or build_graph_view(store, include_restricted=include_restricted).catalogue
        selected = select_records(catalogue, filters)
    skip = None if include_restricted else restricted_iris(store)
    if fmt == "csv":
        groups = store.subject_groups(data_sources(store), skip=skip, include_restricted=include_restricted)
        tables = records_from_groups((s, pairs) for s, pairs in groups if selected is None or str(s) in selected)
        write_csv_tables(tables, destination)
        return sum(len(rows) for rows in tables.values())
    if fmt in ("graphml", "gexf"):
        network = project(store, data_sources(store), skip=skip, include_restricted=include_restricted)
        if selected is not None:
            keep = set(selected) | {n for node in selected if node in network for n in network.successors(node)}
            network = network.subgraph(keep).copy()
        reference = project(store, projected_sources(store), skip=skip, include_restricted=include_restricted)
        network = sanitised_for_export(gephi_network(network, reference))
        (write_graphml if fmt == "graphml" else write_gexf)(network, destination)
        return network.number_of_nodes()
    if fmt in ("nt", "nq") and selected is None:  # streamed by the store, a graph at a time
        names = [s.name for s in store.sources() if include_builtin or not is_builtin_source(s.name)]
        with destination.open("wb") as out:
            return store.write_graph(out, fmt=fmt, sources=names, include_restricted=include_restricted)
    quads = [
        (s, p, o, name)
        for s, p, o, name in store.quads(include_restricted=include_restricted)
        if (include_builtin or not is_builtin_source(name)) and (selected is None or str(s) in selected)
    ]
    if fmt == "nq":
        dataset = bind_prefixes(Dataset())
        for s, p, o, name in quads:
            dataset.graph(URIRef(mint_iri("source-file", name))).add((s, p, o))
        dataset.serialize(destination, format="nquads")
        return len(quads)
    graph = bind_prefixes(Graph())
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    if fmt == "jsonld":
        graph.serialize(destination, format="json-ld", context=dict(PREFIXES), auto_compact=True)
    else:
        graph.serialize(destination, format=RDF_FORMATS[fmt])
    return len(graph)


def export_bytes(
    store: GraphStore, fmt: str, *, include_restricted: bool, filters: dict[str, str], catalogue: Catalogue
) -> bytes:
    """Return an export as bytes for HTTP (CSV tables zipped into one file).

    Parameters
    ----------
    store : GraphStore
        The store.
    fmt : str
        A format of :data:`HTTP_MEDIA`.
    include_restricted : bool
        Whether the caller may see restricted records.
    filters : dict of str to str
        Catalogue filters.
    catalogue : Catalogue
        The catalogue of the view the caller may see.

    Returns
    -------
    bytes
        The file's content.
    """
    with tempfile.TemporaryDirectory(prefix="peergraph-export-") as temporary:
        target = Path(temporary) / "export"
        export(store, fmt, target, include_restricted=include_restricted, filters=filters, catalogue=catalogue)
        if fmt != "csv":
            return target.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(target.iterdir()):
                archive.write(file, file.name)
        return buffer.getvalue()
