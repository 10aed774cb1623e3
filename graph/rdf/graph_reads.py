"""Reading the embedded store's graphs whole: quads by source, N-Triples/N-Quads, subjects with their pairs, a digest.

Functions over the Oxigraph store and its catalogue (:meth:`graph.rdf.store.RdfStore.sources`); the store's
methods of the same names call them.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

import pyoxigraph as ox
from rdflib.term import Node

from graph.errors import StoreUnavailable
from graph.plain_terms import PlainGroup, grouped_by_subject, plain_of, resource_key
from graph.rdf.dump_stream import dumped_triples
from graph.rdf.oxigraph_terms import to_plain, to_rdflib
from graph.rdf.public_copies import CopyFolder, merged_groups
from graph.store import LoadedSource, SourceId
from ontology import mint_iri


def pair_key(pair: tuple[Node, Node]) -> tuple[str, str, str, str]:
    """Sort key of a (predicate, object) pair that orders equal texts of different languages or types too."""
    predicate, obj = pair
    return (str(predicate), str(obj), getattr(obj, "language", None) or "", str(getattr(obj, "datatype", None) or ""))


def source_quads(
    store: ox.Store, sources: Sequence[LoadedSource], source: SourceId | None, include_restricted: bool
) -> Iterator[tuple[Node, Node, Node, str]]:
    """Yield ``(subject, predicate, object, source name)`` of every source (or one), as rdflib terms."""
    for loaded in sources:
        if source is not None and loaded.name != source:
            continue
        for graph_name in loaded.graphs(include_restricted=include_restricted):
            for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph_name)):
                yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object), loaded.name


def write_sources(
    store: ox.Store,
    sources: Sequence[LoadedSource],
    out: BinaryIO,
    fmt: str,
    wanted: Iterable[SourceId] | None,
    include_restricted: bool,
) -> int:
    """Stream the graphs of ``wanted`` sources (None: all) to ``out`` as N-Triples or N-Quads; return the lines."""
    names = None if wanted is None else set(wanted)
    lines = 0
    for source in sources:
        if names is not None and source.name not in names:
            continue
        # N-Triples escapes line breaks inside literals, so " .\n" only ends lines.
        end = f" <{mint_iri('source-file', source.name)}> .\n".encode() if fmt == "nq" else b" .\n"
        for graph in source.graphs(include_restricted=include_restricted):
            data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
            lines += data.count(b"\n")
            out.write(data if fmt == "nt" else data.replace(b" .\n", end))
    return lines


def subject_groups(
    store: ox.Store,
    sources: Sequence[LoadedSource],
    wanted: Iterable[SourceId],
    skip: set[str],
    include_restricted: bool,
) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
    """Yield each subject of the ``wanted`` sources once, with all its (predicate, object) pairs in them.

    IRIs in ``skip`` are left out as subjects and as objects; pairs come sorted (:func:`pair_key`).
    """
    names = set(wanted)
    graphs = [
        ox.NamedNode(graph)
        for s in sources
        if s.name in names
        for graph in s.graphs(include_restricted=include_restricted)
    ]
    if not graphs:
        return
    keep = {graph.value for graph in graphs}
    subjects = store.query("SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=graphs)
    for row in subjects:
        subject = row["s"]
        if isinstance(subject, ox.NamedNode) and subject.value in skip:
            continue
        pairs = {
            (quad.predicate, quad.object)
            for quad in store.quads_for_pattern(subject, None, None, None)
            if isinstance(quad.graph_name, ox.NamedNode)
            and quad.graph_name.value in keep
            and not (isinstance(quad.object, ox.NamedNode) and quad.object.value in skip)
        }
        yield (
            to_rdflib(subject),
            sorted(((to_rdflib(p), to_rdflib(o)) for p, o in pairs), key=pair_key),
        )


def content_hash(store: ox.Store, sources: Sequence[LoadedSource]) -> str:
    """Return a SHA-256 of the sources and every triple of theirs (not load times); equal content, equal digest."""
    digest = hashlib.sha256()
    for loaded in sources:
        lines = sorted(
            str(quad.triple)
            for graph_name in loaded.graphs(include_restricted=True)
            for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph_name))
        )
        digest.update(f"{loaded.name}\n{loaded.sha256}\n".encode())
        for line in lines:
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def public_plain_groups(
    store: ox.Store,
    sources: Sequence[LoadedSource],
    copy_folder: CopyFolder | None,
    union_is_current: bool,
    excluded: set[SourceId],
    skip: set[str],
) -> Iterator[PlainGroup]:
    """Yield each subject of the public data once with its pairs, as plain values, in one ordered pass.

    Three roads, the first that is open: the public copies of every source that is not excluded
    (:mod:`graph.rdf.public_copies`, merged by subject); a dump of the merged default graph, which is
    stored by subject, so one scan gives every subject's triples together; when that is stale,
    :func:`subject_groups`. Subjects described in ``excluded`` sources (the OWL file) are left out, IRIs in
    ``skip`` as subjects and as objects.

    Raises
    ------
    StoreUnavailable
        If a public copy is damaged (saying which to delete).
    """
    with contextlib.ExitStack() as files:
        kept = [s.graph for s in sources if s.name not in excluded]
        copies = copy_folder.open_all(kept, files) if copy_folder is not None else None
        if copies is not None:
            groups = merged_groups(copies)
        elif union_is_current:
            groups = grouped_by_subject(dumped_triples(store, ox.DefaultGraph()))
        else:
            names = [s.name for s in sources if s.name not in excluded]
            for subject, pairs in subject_groups(store, sources, names, skip, include_restricted=False):
                yield resource_key(subject), [(str(predicate), plain_of(obj)) for predicate, obj in pairs]
            return
        files.callback(groups.close)  # stops the dump's threads too, if the caller stops early
        left_out = skip | {
            to_plain(quad.subject)
            for source in sources
            if source.name in excluded
            for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(source.graph))
        }
        try:
            for subject, pairs in groups:
                if subject in left_out:
                    continue
                if skip:
                    pairs = [pair for pair in pairs if pair[1] not in skip]  # a LiteralValue is never in skip
                if pairs:
                    yield subject, pairs
        except ValueError as error:
            if copies is None:
                raise
            raise StoreUnavailable(
                f"a public copy is damaged: {error}. Delete that file: reads then use the store itself, and "
                "the next writer with Neo4j configured (e.g. `peergraph init`) writes the copy again"
            ) from None
