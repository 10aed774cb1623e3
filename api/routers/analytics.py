"""``/api/analytics``: the exchange network, shortest connections and ego networks (public records only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import GraphViewDep
from graph.peers.assessment import resolve_challenge
from graph.services.research import coverage, ego_network, exchange_analytics, shortest_connection

router = APIRouter(prefix="/api/analytics", tags=["analytics"])


@router.get("/exchanges")
def get_exchange_analytics(
    view: GraphViewDep,
    topic: Annotated[list[str] | None, Query(description="Only exchanges on this challenge; repeat.")] = None,
    since: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    until: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> dict[str, Any]:
    """Centrality, given/received, South-South and North-South flows, communities."""
    topics = [resolve_challenge(view.index, text, parameter="topic") for text in topic or []]
    years = (since or 0, until or 9999) if since or until else None
    return exchange_analytics(view, topics=topics, years=years)


@router.get("/path")
def get_path(
    view: GraphViewDep,
    source: Annotated[str, Query(alias="from", description="Entity id or IRI.")],
    target: Annotated[str, Query(alias="to", description="Entity id or IRI.")],
) -> dict[str, Any]:
    """Return the shortest chain of facts between two entities."""
    steps = shortest_connection(view, view.resolve(source, parameter="from"), view.resolve(target, parameter="to"))
    return {"steps": steps, "length": len(steps)}


@router.get("/ego")
def get_ego(
    view: GraphViewDep,
    focus: Annotated[str, Query(description="Entity id or IRI.")],
    radius: Annotated[int, Query(ge=1, le=4)] = 2,
    max_nodes: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> dict[str, Any]:
    """Return the bounded neighbourhood of an entity (nearest first; ``cut`` says if the bound was hit)."""
    sub, cut = ego_network(view, view.resolve(focus, parameter="focus"), radius=radius, max_nodes=max_nodes)
    nodes = [
        {"id": n, "label": d.get("label", n), "type": d.get("type", ""), "distance": d["distance"]}
        for n, d in sorted(sub.nodes(data=True), key=lambda nd: (nd[1]["distance"], nd[0]))
    ]
    edges = [{"from": u, "to": v, "kind": key} for u, v, key in sorted(sub.edges(keys=True))]
    return {"nodes": nodes, "edges": edges, "cut": cut, "max_nodes": max_nodes}


@router.get("/coverage")
def get_coverage(view: GraphViewDep) -> dict[str, Any]:
    """Count records per country, monitoring area, sector and source host: what the graph knows."""
    return coverage(view).as_dict()
