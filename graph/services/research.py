"""Desk-research use cases of the preparation phase: find peers, network analytics, shortest connections.

They all read one :class:`GraphView`: the projection of the store (public records only unless asked) and
the matching index built from it. :class:`GraphViewCache` builds a view once per committed state of the
store and reuses it until the next ingest, so requests never rebuild it.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import networkx as nx

from graph.errors import InvalidRequest, NotFound
from graph.peers import analytics
from graph.peers.catalogue import KIND_OF_TYPE, Catalogue
from graph.peers.coverage import Coverage, coverage_report
from graph.peers.matching import MatchIndex, MatchRequest, MatchResult, rank_providers
from graph.rdf.sources import projected_sources, restricted_iris
from graph.services.projection import project
from graph.store import GraphStore
from ontology.ids import mint_iri
from ontology.namespaces import PREFIXES

_REGION = str(PREFIXES["region"])
#: The North, as the UN M49 standard long grouped "developed regions": Europe and Northern America, plus
#: Japan, Australia and New Zealand (M49 dropped the grouping in 2021; we keep it, stated, because the toolkit
#: and UNESCO reports still speak of South-South and North-South cooperation).
NORTH_REGIONS = frozenset({_REGION + "europe", _REGION + "northern-america", _REGION + "australia-and-new-zealand"})
NORTH_EXTRA_COUNTRIES = frozenset({str(mint_iri("country", "JPN"))})


@dataclass(frozen=True)
class GraphView:
    """The projection of one committed state of the store and the matching index built from it."""

    generation: str
    graph: nx.MultiDiGraph
    index: MatchIndex
    include_restricted: bool
    identifiers: dict[str, str]

    @cached_property
    def catalogue(self) -> Catalogue:
        """Lists, filters and search over this view (built on first use)."""
        return Catalogue(self.graph)

    def resolve(self, text: str, *, parameter: str) -> str:
        """Return the IRI of the entity named by IRI or identifier (``EF2-UGA``, ``NAM``, ``piracy``).

        Raises
        ------
        InvalidRequest
            Naming the parameter and the closest identifiers.
        """
        if text in self.graph:
            return text
        found = self.identifiers.get(text.casefold())
        if found:
            return found
        close = difflib.get_close_matches(text.casefold(), list(self.identifiers), n=5, cutoff=0.6)
        raise InvalidRequest(parameter, f"no entity {text!r}; closest: {', '.join(close) or 'none'}")


def build_graph_view(store: GraphStore, *, include_restricted: bool = False) -> GraphView:
    """Project the store (data, vocabularies, country reference) and index it for matching.

    Parameters
    ----------
    store : GraphStore
        The RDF store.
    include_restricted : bool
        Keep records whose visibility is restricted (only for callers allowed to see them).

    Returns
    -------
    GraphView
        The view of the store's current state.
    """
    skip = None if include_restricted else restricted_iris(store)
    graph = project(store, projected_sources(store), skip=skip, include_restricted=include_restricted)
    identifiers: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        name = data.get("identifier") or data.get("notation")
        if isinstance(name, str) and data.get("type") != "Source":
            identifiers.setdefault(name.casefold(), node)
    return GraphView(store.generation, graph, MatchIndex(graph), include_restricted, identifiers)


class GraphViewCache:
    """Views of store snapshots, built once per generation (and public/restricted), thread-safe.

    A view is built under a lock of its own key only, so requests on a snapshot whose view exists never wait
    for the build of another snapshot's view (a reload warms the new one in the background).
    """

    _KEEP = 4  # views kept: the current and previous generations, public and restricted

    def __init__(self) -> None:
        self._views: dict[tuple[str, bool], GraphView] = {}
        self._builders: dict[tuple[str, bool], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, store: GraphStore, *, include_restricted: bool = False) -> GraphView:
        """Return the view of the store's snapshot, building it if none exists yet.

        Parameters
        ----------
        store : GraphStore
            The RDF store (one snapshot).
        include_restricted : bool
            Whether restricted records are included.

        Returns
        -------
        GraphView
            The view of that snapshot.
        """
        key = (store.generation, include_restricted)
        with self._lock:
            view = self._views.get(key)
            if view is not None:
                return view
            builder = self._builders.setdefault(key, threading.Lock())
        with builder:
            view = self._views.get(key)
            if view is None:
                view = build_graph_view(store, include_restricted=include_restricted)
                with self._lock:
                    self._views[key] = view
                    for old in list(self._views)[: -self._KEEP]:
                        del self._views[old]
                        self._builders.pop(old, None)
            return view


def match_providers(view: GraphView, request: MatchRequest) -> MatchResult:
    """Rank knowledge-providers for a seeker (see :mod:`graph.peers.matching` for the signals).

    Parameters
    ----------
    view : GraphView
        The current view.
    request : MatchRequest
        The resolved request (:mod:`graph.peers.assessment`).

    Returns
    -------
    MatchResult
        Ranked, explained candidates.
    """
    return rank_providers(view.index, request)


def desk_research_brief(view: GraphView, request: MatchRequest, provider: str) -> dict[str, Any]:
    """Gather what an officer needs on one candidate provider: its rank and evidence, facts and records.

    Parameters
    ----------
    view : GraphView
        The current view.
    request : MatchRequest
        The seeker's request (its ``k`` is ignored: every candidate is ranked).
    provider : str
        The candidate's IRI or identifier.

    Returns
    -------
    dict
        ``match`` (the request as ranked: seeker, challenges, weights), ``candidate`` (the result entry with
        its ``rank`` and every evidence path and text match; None if the candidate has no evidence),
        ``detail`` (facts, links, sources),
        ``records`` (its measures, exchanges, projects and experts, by kind) and ``exchanges_by_year``.

    Raises
    ------
    InvalidRequest
        If the provider is unknown.
    """
    iri = view.resolve(provider, parameter="provider")
    everyone = replace(request, k=len(view.index.providers) or 1)
    ranked = rank_providers(view.index, everyone, evidence_limit=None, text_limit=None).as_dict()
    candidate = next(
        ({**entry, "rank": rank} for rank, entry in enumerate(ranked["results"], 1) if entry["id"] == iri), None
    )
    detail = view.catalogue.describe(iri)
    records: dict[str, list[dict[str, Any]]] = {}
    for link in [*detail["linked_from"], *detail["links"]]:
        kind = KIND_OF_TYPE.get(link["type"])
        if kind is not None and kind.name in ("measures", "exchanges", "projects", "experts", "institutions"):
            entry = view.catalogue.summary(link["iri"])
            if entry not in records.setdefault(kind.name, []):
                records[kind.name].append(entry)
    ranked["results"] = []
    return {
        "match": ranked,
        "candidate": candidate,
        "detail": detail,
        "records": records,
        "exchanges": analytics.exchange_breakdown(view.graph, focus=iri),
    }


def coverage(view: GraphView) -> Coverage:
    """Return what the view holds per country, monitoring area, sector and source host."""
    return coverage_report(view.graph)


def exchange_breakdown(view: GraphView, *, focus: str | None = None) -> dict[str, dict[str, int]]:
    """Count the view's exchanges per year, seeker region and method (see :mod:`graph.peers.analytics`).

    Parameters
    ----------
    view : GraphView
        The current view.
    focus : str, optional
        Only exchanges linked to this node.

    Returns
    -------
    dict
        Counts per year, region and method.
    """
    return analytics.exchange_breakdown(view.graph, focus=focus)


def north_countries(view: GraphView) -> set[str]:
    """Return the country IRIs counted as the North (see :data:`NORTH_REGIONS`)."""
    return {
        provider.iri
        for provider in view.index.providers.values()
        if provider.kind == "country"
        and (
            provider.region in NORTH_REGIONS
            or provider.sub_region in NORTH_REGIONS
            or provider.iri in NORTH_EXTRA_COUNTRIES
        )
    }


def exchange_analytics(
    view: GraphView, *, topics: list[str] | None = None, years: tuple[int, int] | None = None, seed: int = 2022
) -> dict[str, Any]:
    """Summarise the exchange network: centrality, giving and receiving, flows and communities.

    Parameters
    ----------
    view : GraphView
        The current view.
    topics : list of str, optional
        Challenge IRIs to restrict the exchanges to.
    years : (int, int), optional
        Inclusive year range.
    seed : int
        Seed of the community detection.

    Returns
    -------
    dict
        ``countries`` (label, region and scores per IRI), ``flows`` (counts per type and per exchange),
        ``communities`` (IRI lists), ``exchanges`` and ``pairs`` counts.
    """
    net = analytics.exchange_network(view.graph, topics=topics or (), years=years)
    scores = analytics.exchange_centrality(net)
    flows = analytics.exchange_flows(view.graph, north_countries(view))
    if topics or years:
        kept = {exchange for _, _, data in net.edges(data=True) for exchange in data["exchanges"]}
        flows = {
            "counts": {
                kind: sum(1 for x, k in flows["exchanges"].items() if k == kind and x in kept)
                for kind in analytics.FLOW_TYPES
            },
            "exchanges": {x: k for x, k in flows["exchanges"].items() if x in kept},
        }
    return {
        "countries": {
            iri: {"label": net.nodes[iri]["label"], "region": net.nodes[iri]["region"], **values}
            for iri, values in scores.items()
        },
        "flows": flows,
        "communities": analytics.exchange_communities(net, seed=seed),
        "exchanges": int(net.size(weight="weight")),
        "pairs": net.number_of_edges(),
    }


def _require(view: GraphView, iri: str, parameter: str) -> None:
    if iri not in view.graph:
        raise NotFound(f"{parameter}: no entity {iri} in the graph")


def shortest_connection(view: GraphView, source: str, target: str) -> list[dict[str, str]]:
    """Return the shortest chain of facts between two entities, with labels (see :mod:`graph.peers.analytics`).

    Raises
    ------
    NotFound
        If an IRI is not in the (visible) graph.
    """
    _require(view, source, "from")
    _require(view, target, "to")
    steps = analytics.shortest_connection(view.graph, source, target)
    for step in steps:
        step["from_label"] = str(view.graph.nodes[step["from"]].get("label", step["from"]))
        step["to_label"] = str(view.graph.nodes[step["to"]].get("label", step["to"]))
    return steps


def ego_network(view: GraphView, center: str, *, radius: int = 2, max_nodes: int = 500) -> tuple[nx.MultiDiGraph, bool]:
    """Return the bounded neighbourhood of an entity and whether it was cut.

    Raises
    ------
    NotFound
        If the IRI is not in the (visible) graph.
    """
    _require(view, center, "focus")
    return analytics.ego_network(view.graph, center, radius=radius, max_nodes=max_nodes)


def exchange_network_graph(
    view: GraphView, *, topics: list[str] | None = None, years: tuple[int, int] | None = None
) -> nx.DiGraph:
    """Return the country exchange network (seeker → provider) with ``size`` by activity, for views.

    Parameters
    ----------
    view : GraphView
        The current view.
    topics : list of str, optional
        Challenge IRIs to keep exchanges on.
    years : (int, int), optional
        Inclusive year range.

    Returns
    -------
    networkx.DiGraph
        Countries with ``label``, ``region``, ``given``, ``received`` and ``size``; weighted edges.
    """
    net = analytics.exchange_network(view.graph, topics=topics or (), years=years)
    for node in net:
        given, received = int(net.in_degree(node, weight="weight")), int(net.out_degree(node, weight="weight"))
        net.nodes[node].update(type="Country", given=given, received=received, size=10 + 6 * (given + received))
    for _, _, data in net.edges(data=True):
        data["kind"] = "learnt from"
    return net


def programme_graph(view: GraphView, programme: str) -> nx.MultiDiGraph:
    """Return a programme with its projects, their countries, experts, exchanges and exchange providers.

    Raises
    ------
    NotFound
        If the programme is not in the (visible) graph.
    """
    _require(view, programme, "programme")
    graph = view.graph
    keep = {programme}
    for part, keys in graph.pred[programme].items():
        if "PART_OF_PROGRAMME" not in keys:
            continue
        keep.add(part)
        keep.update(v for v, k in graph.succ[part].items() if "BENEFICIARY" in k)
        for other, k in graph.pred[part].items():
            if "PARTICIPATED_IN" in k or "PART_OF_PROJECT" in k:
                keep.add(other)
                if "PART_OF_PROJECT" in k:
                    keep.update(
                        v
                        for v, kk in graph.succ[other].items()
                        if {"SEEKER", "PROVIDER", "PROVIDER_INSTITUTION"} & set(kk)
                    )
    sub = graph.subgraph(keep).copy()
    sub.remove_edges_from([(u, v, k) for u, v, k in list(sub.edges(keys=True)) if k in analytics.HUB_EDGE_KINDS])
    return sub


def match_graph(view: GraphView, result: MatchResult, *, paths_per_provider: int | None = None) -> nx.MultiDiGraph:
    """Return the match map: the seeker, its challenges, the ranked providers and their strongest evidence paths.

    ``paths_per_provider`` bounds the paths drawn per provider (None: every path the result explains).
    """
    graph = nx.MultiDiGraph()

    def add(node: str, **attributes: object) -> None:
        data = dict(view.graph.nodes[node]) if node in view.graph else {"label": node}
        graph.add_node(node, **{**data, **attributes})

    seeker = result.request.seeker
    add(seeker, size=30)
    for challenge in result.request.challenges:
        add(challenge, size=18)
        graph.add_edge(seeker, challenge, key="SEEKS_HELP_ON", kind="seeks help on")
    for rank, candidate in enumerate(result.candidates, 1):
        provider = candidate.provider.iri
        add(provider, size=14 + 16 * candidate.score, score=round(candidate.score, 3), rank=rank)
        for path in candidate.evidence[:paths_per_provider]:
            _, via, concept = path["path"]
            if via not in graph:
                add(via, size=8)
            if concept not in graph:
                add(concept, size=10)
            graph.add_edge(provider, via, key=path["via_kind"], kind=path["via_kind"])
            graph.add_edge(via, concept, key="ADDRESSES_CHALLENGE", kind="addresses")
            if concept != path["seeker_challenge"]:
                graph.add_edge(concept, path["seeker_challenge"], key=path["relation"], kind=path["relation"])
    return graph
