"""Network analytics over the one projection of the graph: pure networkx functions keyed by IRI.

Each function takes a graph from :func:`graph.services.projection.project` (or the exchange network derived from
it by :func:`exchange_network`) and keyword options, and returns plain dicts or lists keyed by IRI. None
touches a store. Randomised algorithms take an explicit ``seed``.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Collection, Iterable
from typing import Any

import networkx as nx
from networkx.utils import not_implemented_for

#: Edge kinds that link everything to a few hubs (sources, schemes, roles); shortest connections and ego
#: networks do not walk through them.
HUB_EDGE_KINDS = frozenset(
    {
        "SOURCE",
        "IN_SCHEME",
        "TOP_CONCEPT_OF",
        "HAS_PEER_ROLE",
        "VISIBILITY",
        "MEASURE_KIND",
        "INSTITUTION_TYPE",
        "IN_REGION",
        "IN_SUB_REGION",
        "MONITORING_AREA",
        "POLICY_AREA",
        "OUTCOME_TYPE",
        "SUITED_TO_PHASE",
    }
)
FLOW_TYPES = ("south-south", "north-south", "south-north", "north-north", "triangular", "unknown")


def _targets(graph: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    return [target for target, keys in graph.succ[node].items() if kind in keys]


@not_implemented_for("undirected")
def exchange_network(
    graph: nx.MultiDiGraph, *, topics: Collection[str] = (), years: tuple[int, int] | None = None
) -> nx.DiGraph:
    """Derive the country exchange network: an edge seeker → provider per pair, weighted by exchanges.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection (with ``PeerExchange`` nodes and their ``SEEKER``/``PROVIDER`` edges).
    topics : collection of str, optional
        Challenge IRIs; when given, only exchanges addressing one of them count.
    years : (int, int), optional
        Inclusive year range; exchanges without a year are left out when given.

    Returns
    -------
    networkx.DiGraph
        Country nodes (with ``label``, ``region``, ``sub_region``) and edges carrying ``weight`` and the
        sorted list of ``exchanges``.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("x1", type="PeerExchange", year=2021)
    >>> g.add_node("UGA", type="Country", label="Uganda")
    >>> g.add_node("ZAF", type="Country", label="South Africa")
    >>> _ = g.add_edge("x1", "UGA", key="SEEKER"); _ = g.add_edge("x1", "ZAF", key="PROVIDER")
    >>> net = exchange_network(g)
    >>> list(net.edges(data="weight"))
    [('UGA', 'ZAF', 1)]
    """
    wanted = set(topics)
    net = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        if data.get("type") != "PeerExchange":
            continue
        if wanted and not wanted & set(_targets(graph, node, "ADDRESSES_CHALLENGE")):
            continue
        year = data.get("year")
        if years is not None and (not isinstance(year, int) or not years[0] <= year <= years[1]):
            continue
        for seeker in _targets(graph, node, "SEEKER"):
            for provider in _targets(graph, node, "PROVIDER"):
                for country in (seeker, provider):
                    if country not in net:
                        attributes = graph.nodes[country] if country in graph else {}
                        regions = _targets(graph, country, "IN_REGION") if country in graph else []
                        subs = _targets(graph, country, "IN_SUB_REGION") if country in graph else []
                        net.add_node(
                            country,
                            label=attributes.get("label", country),
                            region=regions[0] if regions else "",
                            sub_region=subs[0] if subs else "",
                        )
                if net.has_edge(seeker, provider):
                    net[seeker][provider]["weight"] += 1
                    net[seeker][provider]["exchanges"].append(node)
                else:
                    net.add_edge(seeker, provider, weight=1, exchanges=[node])
    for _, _, data in net.edges(data=True):
        data["exchanges"].sort()
    return net


@not_implemented_for("undirected")
def exchange_centrality(net: nx.DiGraph) -> dict[str, dict[str, float]]:
    """Centrality of each country in the exchange network, and what it gave and received.

    Parameters
    ----------
    net : networkx.DiGraph
        From :func:`exchange_network` (edges seeker → provider).

    Returns
    -------
    dict of str to dict
        Per country IRI: ``given`` and ``received`` (exchange counts as provider and as seeker),
        ``degree`` (normalised, undirected), ``betweenness`` and ``pagerank`` (weighted, on seeker →
        provider edges, so it rewards being learnt from).

    Examples
    --------
    >>> net = nx.DiGraph([("UGA", "ZAF", {"weight": 2}), ("NAM", "ZAF", {"weight": 1})])
    >>> scores = exchange_centrality(net)
    >>> scores["ZAF"]["given"], scores["UGA"]["received"]
    (3, 2)
    """
    if net.number_of_nodes() == 0:
        return {}
    undirected = net.to_undirected()
    degree = nx.degree_centrality(undirected) if net.number_of_nodes() > 1 else dict.fromkeys(net, 0.0)
    betweenness = nx.betweenness_centrality(undirected, weight=None)
    pagerank = nx.pagerank(net, weight="weight")
    return {
        node: {
            "given": int(net.in_degree(node, weight="weight")),
            "received": int(net.out_degree(node, weight="weight")),
            "degree": round(degree[node], 6),
            "betweenness": round(betweenness[node], 6),
            "pagerank": round(pagerank[node], 6),
        }
        for node in sorted(net)
    }


def exchange_flows(graph: nx.MultiDiGraph, north: Collection[str]) -> dict[str, Any]:
    """Classify each exchange as South-South, North-South, South-North, North-North or triangular.

    An exchange is *north-south* when the provider is in the North and the seeker in the South, and so on;
    it is *triangular* when seeker and provider are both in the South and a provider institution or expert
    is from the North (the UN sense: Southern partners supported by a Northern one). Exchanges whose
    seeker or provider is missing are *unknown*.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection.
    north : collection of str
        Country IRIs counted as the North (see ``graph.services.research.north_countries`` for the rule).

    Returns
    -------
    dict
        ``counts`` per flow type (every type present, zeros included) and ``exchanges``: IRI → type.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_node("x", type="PeerExchange")
    >>> _ = g.add_edge("x", "NAM", key="SEEKER"); _ = g.add_edge("x", "EST", key="PROVIDER")
    >>> exchange_flows(g, north={"EST"})["exchanges"]
    {'x': 'north-south'}
    """
    north = set(north)
    kinds: dict[str, str] = {}
    for node, data in sorted(graph.nodes(data=True)):
        if data.get("type") != "PeerExchange":
            continue
        seekers = _targets(graph, node, "SEEKER")
        providers = _targets(graph, node, "PROVIDER")
        if not seekers or not providers:
            kinds[node] = "unknown"
            continue
        seeker_north = seekers[0] in north
        provider_north = providers[0] in north
        if not seeker_north and not provider_north:
            helpers = [
                country
                for helper in _targets(graph, node, "PROVIDER_INSTITUTION")
                for country in _targets(graph, helper, "BASED_IN")
            ] + [
                country
                for helper in _targets(graph, node, "PROVIDER_EXPERT")
                for country in _targets(graph, helper, "NATIONALITY")
            ]
            kinds[node] = "triangular" if any(country in north for country in helpers) else "south-south"
        else:
            kinds[node] = f"{'north' if provider_north else 'south'}-{'north' if seeker_north else 'south'}"
    counts = Counter(kinds.values())
    return {"counts": {kind: counts.get(kind, 0) for kind in FLOW_TYPES}, "exchanges": kinds}


def exchange_communities(net: nx.DiGraph, *, seed: int = 2022) -> list[list[str]]:
    """Communities of countries in the exchange network (Louvain, weighted, undirected).

    Parameters
    ----------
    net : networkx.DiGraph
        From :func:`exchange_network`.
    seed : int
        Random seed (results are reproducible for a given seed).

    Returns
    -------
    list of list of str
        Communities as sorted IRI lists, largest first.

    Examples
    --------
    >>> net = nx.DiGraph([("a", "b"), ("c", "d")])
    >>> exchange_communities(net)
    [['a', 'b'], ['c', 'd']]
    """
    if net.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(net.to_undirected(), weight="weight", seed=seed)
    return sorted((sorted(group) for group in found), key=lambda group: (-len(group), group))


def _walkable(graph: nx.MultiDiGraph, skip_kinds: Collection[str]) -> nx.Graph:
    walk = nx.Graph()
    walk.add_nodes_from(graph.nodes)
    walk.add_edges_from((u, v) for u, v, kind in graph.edges(keys=True) if kind not in skip_kinds)
    return walk


def shortest_connection(
    graph: nx.MultiDiGraph, source: str, target: str, *, skip_kinds: Collection[str] = HUB_EDGE_KINDS
) -> list[dict[str, str]]:
    """Return the shortest chain of facts linking two entities, ignoring direction and hub edges.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection.
    source, target : str
        Entity IRIs.
    skip_kinds : collection of str
        Edge kinds not walked (defaults to :data:`HUB_EDGE_KINDS`).

    Returns
    -------
    list of dict
        One step per edge: ``{"from", "to", "kind", "direction"}`` (``forward`` when the fact reads
        from → to); empty when no chain exists.

    Raises
    ------
    KeyError
        If an IRI is not in the graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("x", "UGA", key="SEEKER"); _ = g.add_edge("x", "ZAF", key="PROVIDER")
    >>> [step["kind"] for step in shortest_connection(g, "UGA", "ZAF")]
    ['SEEKER', 'PROVIDER']
    """
    for node in (source, target):
        if node not in graph:
            raise KeyError(node)
    try:
        nodes = nx.shortest_path(_walkable(graph, skip_kinds), source, target)
    except nx.NetworkXNoPath:
        return []
    steps = []
    for here, there in zip(nodes, nodes[1:], strict=False):
        forward = [k for k in graph.succ[here].get(there, {}) if k not in skip_kinds]
        backward = [k for k in graph.succ[there].get(here, {}) if k not in skip_kinds]
        kind, direction = (sorted(forward)[0], "forward") if forward else (sorted(backward)[0], "backward")
        steps.append({"from": here, "to": there, "kind": kind, "direction": direction})
    return steps


def ego_network(
    graph: nx.MultiDiGraph,
    center: str,
    *,
    radius: int = 2,
    max_nodes: int = 500,
    skip_kinds: Collection[str] = HUB_EDGE_KINDS,
) -> tuple[nx.MultiDiGraph, bool]:
    """Return the neighbourhood of an entity up to ``radius`` steps, cut at ``max_nodes`` nodes.

    Nodes are taken breadth-first (nearest first, then by IRI), so a cut keeps the closest ones.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection.
    center : str
        The entity IRI.
    radius : int
        Most steps from the centre.
    max_nodes : int
        Most nodes kept.
    skip_kinds : collection of str
        Edge kinds not walked.

    Returns
    -------
    (networkx.MultiDiGraph, bool)
        The induced subgraph (each node gets a ``distance`` attribute) and whether it was cut.

    Raises
    ------
    KeyError
        If the IRI is not in the graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", key="R"); _ = g.add_edge("b", "c", key="R")
    >>> sub, cut = ego_network(g, "a", radius=1)
    >>> sorted(sub), cut
    (['a', 'b'], False)
    """
    if center not in graph:
        raise KeyError(center)
    distance = {center: 0}
    queue = deque([center])
    cut = False
    while queue:
        node = queue.popleft()
        if distance[node] == radius:
            continue
        neighbours = {v for v, keys in graph.succ[node].items() if set(keys) - set(skip_kinds)}
        neighbours |= {u for u, keys in graph.pred[node].items() if set(keys) - set(skip_kinds)}
        for other in sorted(neighbours - distance.keys()):
            if len(distance) >= max_nodes:
                cut = True
                break
            distance[other] = distance[node] + 1
            queue.append(other)
    sub = graph.subgraph(distance).copy()
    sub.remove_edges_from([(u, v, k) for u, v, k in list(sub.edges(keys=True)) if k in skip_kinds])
    nx.set_node_attributes(sub, distance, "distance")
    return sub, cut


@not_implemented_for("undirected")
def exchange_breakdown(graph: nx.MultiDiGraph, *, focus: str | None = None) -> dict[str, dict[str, int]]:
    """Count exchanges per year, per UN region of the seeker and per method (the charts of the pages).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection.
    focus : str, optional
        Count only exchanges with an edge to this node (a country as seeker or provider, an institution,
        an expert, a project, a challenge…).

    Returns
    -------
    dict
        ``{"year": {"2021": n, …}, "region": {"Africa": n, …}, "method": {"Webinar": n, …}}``, years in order,
        the others by count; exchanges without a year or method count under ``"unknown"``.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("x", type="PeerExchange", year=2021)
    >>> g.add_node("NAM", type="Country", label="Namibia")
    >>> g.add_node("africa", type="Region", label="Africa")
    >>> g.add_node("webinar", type="Method", label="Webinar")
    >>> _ = g.add_edge("x", "NAM", key="SEEKER"); _ = g.add_edge("NAM", "africa", key="IN_REGION")
    >>> _ = g.add_edge("x", "webinar", key="METHOD_USED")
    >>> exchange_breakdown(g)
    {'year': {'2021': 1}, 'region': {'Africa': 1}, 'method': {'Webinar': 1}}
    >>> exchange_breakdown(g, focus="webinar")["year"], exchange_breakdown(g, focus="KOR")["year"]
    ({'2021': 1}, {})
    """
    years: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    methods: Counter[str] = Counter()
    for node, data in graph.nodes(data=True):
        if data.get("type") != "PeerExchange":
            continue
        if focus is not None and focus not in graph.succ[node] and focus not in graph.pred[node]:
            continue
        years[str(data.get("year", "unknown"))] += 1
        seeker_regions = {
            graph.nodes[region].get("label", region)
            for seeker in _targets(graph, node, "SEEKER")
            for region in _targets(graph, seeker, "IN_REGION")
        }
        regions.update(seeker_regions or {"unknown"})
        used = {graph.nodes[m].get("label", m) for m in _targets(graph, node, "METHOD_USED")}
        methods.update(used or {"unknown"})
    return {
        "year": dict(sorted(years.items())),
        "region": dict(regions.most_common()),
        "method": dict(methods.most_common()),
    }


def top(scores: dict[str, dict[str, float]], measure: str, n: int = 10) -> list[tuple[str, float]]:
    """Return the ``n`` highest entries of one measure, ties broken by IRI.

    Examples
    --------
    >>> top({"a": {"x": 1.0}, "b": {"x": 2.0}}, "x", 1)
    [('b', 2.0)]
    """
    ranked: Iterable[tuple[str, float]] = ((node, values[measure]) for node, values in scores.items())
    return sorted(ranked, key=lambda item: (-item[1], item[0]))[:n]
