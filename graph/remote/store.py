"""A remote SPARQL 1.1 store (Fuseki, GraphDB, Virtuoso, …) behind the store protocol.

Layout on the server, the same as the embedded store's: each source is a named graph per ingest run
(``…/id/graph/<source>/<run>``, plus ``…/restricted`` for triples naming restricted records), and the catalogue
of sources lives in its own named graph (:mod:`graph.source_catalog`). A load writes the new graphs (one Graph
Store Protocol ``PUT`` each, or ``INSERT DATA`` updates), then switches the catalogue in **one** update, then
drops the old graphs: readers, who only read the graphs the catalogue names, see the old or the new sources.

Every query names its dataset with the protocol's ``default-graph-uri`` and ``named-graph-uri``: the public
graphs of the catalogue (and the restricted ones only for callers allowed to see them), so the server's own
default graph, which on many servers is the union of all graphs, is never read. Queries are parsed first and
``SERVICE`` refused (:mod:`graph.sparql_guard`), and bounded by an HTTP deadline (``query_timeout_s``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

from rdflib import URIRef
from rdflib.term import Node

from graph.errors import StoreUnavailable
from graph.plain_terms import PlainGroup, plain_of, rdflib_of, resource_key, resource_of
from graph.remote.sparql_http import SparqlEndpoints
from graph.remote.terms import graph_result, ntriples, ntriples_term, select_result
from graph.remote.visibility import split_load
from graph.results import Serialised, SparqlResult, serialised
from graph.settings import Settings
from graph.source_catalog import (
    CATALOG,
    SOURCES_QUERY,
    catalog_triples,
    dataset_graphs,
    loaded_source,
    source_graph,
    switch_update,
)
from graph.sparql_guard import check_query
from graph.sparql_text import star_columns
from graph.store import LoadedSource, RunId, SourceId, SourceInfo
from ingest.types import Triple
from ontology import PG, mint_iri
from ontology.namespaces import sparql_prologue

#: Triples per ``INSERT DATA`` request when the server has no Graph Store Protocol endpoint.
INSERT_CHUNK = 20_000


def _sorted_pairs(pairs: Iterable[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    return sorted(set(pairs), key=lambda pair: (str(pair[0]), ntriples_term(pair[1])))


class RemoteStore:
    """A :class:`graph.store.GraphStore` on a SPARQL 1.1 server.

    Parameters
    ----------
    endpoints : SparqlEndpoints
        The server's query, update and Graph Store Protocol endpoints.
    """

    def __init__(self, endpoints: SparqlEndpoints):
        self.endpoints = endpoints
        self.read_only = endpoints.update_url is None
        self._holds: dict[str, bool] = {}

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self.endpoints.close()

    def health(self) -> dict[str, object]:
        """Return ``{"status": "ok", "read_only": …}`` without asking the server.

        ``/health`` runs on the event loop and must answer at once, so it does not wait for the server: a server
        that is down shows in the first request that needs it (503).
        """
        return {"status": "ok", "read_only": self.read_only}

    # ── reading ──────────────────────────────────────────────────────────────────────────────

    def _select(
        self, text: str, default: Sequence[str] | None, named: Sequence[str] | None, max_rows: int = 10**9
    ) -> SparqlResult:
        """Run a query on the given dataset (None and None: the server's own, for peergraph's own queries only)."""
        response = self.endpoints.query(sparql_prologue() + text, default_graphs=default, named_graphs=named)
        if response.headers.get("content-type", "").startswith("application/n-triples"):
            return graph_result(response.content, max_rows)
        return select_result(response.json(), max_rows)

    @property
    def generation(self) -> str:
        """A digest of the catalogue: it changes with every load or removal (one small query per call)."""
        text = "\n".join(f"{s.name} {s.graph} {s.restricted_graph}" for s in self.sources())
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def sources(self) -> list[LoadedSource]:
        """Return the catalogue, sorted by source name."""
        result = self._select(SOURCES_QUERY.replace(sparql_prologue(), ""), [], [str(CATALOG)])
        return [loaded_source({name: str(value) for name, value in row.items()}) for row in result.rows]

    def _graphs(self, include_restricted: bool, sources: Sequence[LoadedSource] | None = None) -> list[str]:
        return [
            graph
            for source in (self.sources() if sources is None else sources)
            for graph in source.graphs(include_restricted=include_restricted)
        ]

    def run_query(
        self,
        sparql: str,
        *,
        max_rows: int,
        bindings: Mapping[str, Node] | None = None,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> SparqlResult:
        """Run a read-only query on the server (see :meth:`graph.store.GraphStore.run_query`).

        ``bindings`` become a ``VALUES`` clause after the query, which the server joins with its answer.
        """
        checked = check_query(sparql)
        dataset = dataset or checked.dataset
        sources = self.sources()
        if dataset is None:
            default = named = self._graphs(include_restricted, sources)
        else:
            default = dataset_graphs(sources, dataset[0], include_restricted=include_restricted)
            named = dataset_graphs(sources, dataset[1], include_restricted=include_restricted)
        text = sparql
        if bindings:
            names = list(bindings)
            values = " ".join(ntriples_term(bindings[name]) for name in names)
            text += f"\nVALUES ({' '.join('?' + name for name in names)}) {{ ({values}) }}"
        result = self._select(text, default, named, max_rows)
        if result.kind == "select":
            result.variables = star_columns(sparql, result.variables)
        return result

    def run_query_serialised(
        self,
        sparql: str,
        *,
        formats: tuple[str | None, str | None],
        max_rows: int,
        include_restricted: bool = False,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> Serialised:
        """Run a query and write its answer here (see :meth:`graph.store.GraphStore.run_query_serialised`)."""
        result = self.run_query(sparql, max_rows=max_rows, include_restricted=include_restricted, dataset=dataset)
        return serialised(result, formats)

    def holds(self, iri: str) -> bool:
        """Tell whether any current graph, restricted ones too, has a triple about ``iri``.

        Validation asks this for every reference, many of them repeated: answers are kept until this handle
        writes (one query each, which reads the current graphs from the catalogue itself).
        """
        if iri not in self._holds:
            current = f"GRAPH <{CATALOG}> {{ ?source <{PG.currentGraph}>|<{PG.restrictedGraph}> ?g }}"
            query = f"ASK {{ {current} GRAPH ?g {{ <{iri}> ?p ?o }} }}"
            self._holds[iri] = bool(self._select(query, None, None).boolean)
        return self._holds[iri]

    def triples_in(self, graphs: Sequence[str]) -> Iterator[tuple[Node, Node, Node, str]]:
        """Yield every triple of these graphs with the graph it is in (one query, SPARQL JSON results)."""
        if not graphs:
            return
        values = " ".join(f"<{graph}>" for graph in graphs)
        result = self._select(
            f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}", [], graphs
        )
        for row in result.rows:
            yield row["s"], row["p"], row["o"], str(row["g"])  # type: ignore[misc]

    def quads(
        self, source: SourceId | None = None, *, include_restricted: bool = True
    ) -> Iterator[tuple[Node, Node, Node, str]]:
        """Yield ``(subject, predicate, object, source name)`` of every source (or one), as rdflib terms."""
        for loaded in self.sources():
            if source is None or loaded.name == source:
                for s, p, o, _ in self.triples_in(loaded.graphs(include_restricted=include_restricted)):
                    yield s, p, o, loaded.name

    def write_graph(
        self, out: BinaryIO, *, fmt: str, sources: Iterable[SourceId] | None = None, include_restricted: bool
    ) -> int:
        """Stream sources to ``out`` as N-Triples or N-Quads, as the server sends each graph."""
        wanted = None if sources is None else set(sources)
        lines = 0
        for source in self.sources():
            if wanted is not None and source.name not in wanted:
                continue
            end = f" <{mint_iri('source-file', source.name)}> .\n".encode() if fmt == "nq" else b" .\n"
            for graph in source.graphs(include_restricted=include_restricted):
                body = b"".join(self.endpoints.stream_construct("CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=[graph]))
                # N-Triples escapes line breaks inside literals: every line is one triple ending in " ."
                body = b"".join(line.rstrip()[:-2].rstrip() + end for line in body.splitlines() if line.strip())
                lines += body.count(b"\n")
                out.write(body)
        return lines

    def subject_groups(
        self, sources: Iterable[SourceId], *, skip: set[str] | None = None, include_restricted: bool = True
    ) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
        """Yield each subject of the given sources once with its sorted pairs in them (IRIs in ``skip`` left out)."""
        wanted, skip = set(sources), skip or set()
        graphs = [
            g for s in self.sources() if s.name in wanted for g in s.graphs(include_restricted=include_restricted)
        ]
        groups: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o, _ in self.triples_in(graphs):
            if str(s) not in skip and not (isinstance(o, URIRef) and str(o) in skip):
                groups[s].append((p, o))
        for subject in sorted(groups, key=str):
            yield subject, _sorted_pairs(groups[subject])

    def public_plain_groups(
        self, exclude_sources: Iterable[SourceId] = (), *, skip: set[str] | None = None
    ) -> Iterator[PlainGroup]:
        """Yield each subject of the public data (but what ``exclude_sources`` describe) once, as plain values."""
        excluded = set(exclude_sources)
        sources = self.sources()
        left_out = {str(s) for s, _, _, _ in self.triples_in([x.graph for x in sources if x.name in excluded])}
        kept = [x.name for x in sources if x.name not in excluded]
        for subject, pairs in self.subject_groups(kept, skip=(skip or set()) | left_out, include_restricted=False):
            yield resource_key(subject), [(str(predicate), plain_of(obj)) for predicate, obj in pairs]

    def public_subject_groups(
        self, exclude_sources: Iterable[SourceId] = (), *, skip: set[str] | None = None
    ) -> Iterator[tuple[Node, list[tuple[Node, Node]]]]:
        """Yield what :meth:`public_plain_groups` yields as rdflib terms, pairs sorted."""
        for subject, pairs in self.public_plain_groups(exclude_sources, skip=skip):
            yield resource_of(subject), _sorted_pairs((URIRef(p), rdflib_of(o)) for p, o in pairs)

    def count(self, source: SourceId | None = None) -> int:
        """Return the number of triples held (restricted ones too), overall or in one source (0 if unknown)."""
        return sum(s.triple_count for s in self.sources() if source is None or s.name == source)

    def public_count(self) -> int:
        """Return the number of public triples, summed over sources."""
        graphs = self._graphs(include_restricted=False)
        if not graphs:
            return 0
        values = " ".join(f"<{graph}>" for graph in graphs)
        result = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}", [], graphs
        )
        return int(str(result.rows[0]["n"]))

    def has_public_content(self, source: LoadedSource) -> bool:
        """Tell whether a source's public graph holds any triple."""
        return bool(self._select(f"ASK {{ GRAPH <{source.graph}> {{ ?s ?p ?o }} }}", [], [source.graph]).boolean)

    def content_hash(self) -> str:
        """Return a SHA-256 of the sources and their triples (not load times)."""
        digest = hashlib.sha256()
        for loaded in self.sources():
            lines = sorted(
                " ".join(ntriples_term(term) for term in (s, p, o))
                for s, p, o, _ in self.triples_in(loaded.graphs(include_restricted=True))
            )
            digest.update(f"{loaded.name}\n{loaded.sha256}\n".encode())
            for line in lines:
                digest.update(line.encode() + b"\n")
        return digest.hexdigest()

    # ── writing ──────────────────────────────────────────────────────────────────────────────

    def _write_graph(self, graph: str, triples: Sequence[Triple]) -> None:
        if self.endpoints.gsp_url:
            self.endpoints.put_graph(graph, ntriples(triples))
            return
        self.endpoints.update(f"DROP SILENT GRAPH <{graph}>")
        for i in range(0, len(triples), INSERT_CHUNK):
            data = ntriples(triples[i : i + INSERT_CHUNK]).decode()
            self.endpoints.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {data} }} }}")

    def replace_sources(self, items: Sequence[tuple[SourceInfo, Sequence[Triple]]], run: RunId) -> None:
        """Replace the content of every given source, all at once: new graphs, one catalogue switch, old graphs dropped.

        Raises
        ------
        StoreUnavailable
            If no update endpoint is configured, or the server fails.
        """
        if self.read_only:
            raise StoreUnavailable("this remote store is read-only: set PEERGRAPH_SPARQL_UPDATE_URL to write")
        started = datetime.now(UTC)
        self._holds = {}
        sources = self.sources()
        items, restricted = split_load(self, sources, items)
        with_hidden: set[SourceId] = set()
        for info, triples in items:
            public = [t for t in triples if t[0] not in restricted and t[2] not in restricted]
            hidden = [t for t in triples if t[0] in restricted or t[2] in restricted]
            self._write_graph(str(source_graph(info.name, run)), public)
            if hidden:
                with_hidden.add(info.name)
                self._write_graph(str(source_graph(info.name, run, restricted=True)), hidden)
        entries = catalog_triples(
            [(info, len(triples)) for info, triples in items], run, started, datetime.now(UTC), with_hidden
        )
        self.endpoints.update(switch_update([info.name for info, _ in items], entries))  # the switch
        replaced = {info.name for info, _ in items}
        self._drop([g for s in sources if s.name in replaced for g in s.graphs(include_restricted=True)])

    def remove_sources(self, names: Iterable[SourceId]) -> None:
        """Remove sources and their graphs (catalogue first, in one update); unknown names are ignored."""
        current = {source.name: source for source in self.sources()}
        names = [name for name in names if name in current]
        self._holds = {}
        if not names:
            return
        if self.read_only:
            raise StoreUnavailable("this remote store is read-only: set PEERGRAPH_SPARQL_UPDATE_URL to write")
        self.endpoints.update(switch_update(names, []))
        self._drop([g for name in names for g in current[name].graphs(include_restricted=True)])

    def _drop(self, graphs: Sequence[str]) -> None:
        if graphs:
            self.endpoints.update(" ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs))


class LiveRemoteStore:
    """What the server reads when the store is remote: the one :class:`RemoteStore` (the server keeps it current)."""

    def __init__(self, store: RemoteStore):
        self._store = store

    def current(self) -> RemoteStore:
        """Return the store."""
        return self._store

    def reload_now(self) -> RemoteStore:
        """Return the store (there is no snapshot to reload)."""
        return self._store

    def close(self) -> None:
        """Close the store's connections."""
        self._store.close()


def open_remote_store(settings: Settings) -> RemoteStore:
    """Open the remote store the ``sparql_*`` settings name (queries bounded by ``query_timeout_s``)."""
    assert settings.sparql_query_url is not None
    endpoints = SparqlEndpoints(
        settings.sparql_query_url,
        settings.sparql_update_url,
        settings.sparql_gsp_url,
        user=settings.sparql_user,
        password=settings.sparql_password,
        timeout_s=settings.query_timeout_s,
    )
    return RemoteStore(endpoints)
