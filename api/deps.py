"""Dependency aliases for routes: the settings, the stores and the graph view on ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.desk_research import GraphView
from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jStore
from graph.rdf_store import RdfStore
from graph.services import NEO4J_HOW_TO
from graph.settings import Settings


def get_settings(request: Request) -> Settings:
    """Return the application's settings."""
    return request.app.state.settings


def get_rdf_store(request: Request) -> RdfStore:
    """Return the RDF store, reopened if a writer committed since the last request.

    Raises
    ------
    StoreUnavailable
        If the store could not be opened at start-up.
    """
    store = request.app.state.rdf_store
    if store is None:
        raise StoreUnavailable(request.app.state.store_error or "the RDF store is not open")
    store.refresh()
    return store


def get_neo4j_store(request: Request) -> Neo4jStore:
    """Return the Neo4j store.

    Raises
    ------
    StoreUnavailable
        If no Neo4j is configured, saying how to start one.
    """
    store = request.app.state.neo4j_store
    if store is None:
        raise StoreUnavailable(NEO4J_HOW_TO)
    return store


def get_graph_view(request: Request) -> GraphView:
    """Return the public graph view (projection and matching index) of the store's current state.

    Built once per committed state of the store and reused until the next ingest.
    """
    return request.app.state.graph_views.get(get_rdf_store(request))


GraphViewDep = Annotated[GraphView, Depends(get_graph_view)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Neo4jStoreDep = Annotated[Neo4jStore, Depends(get_neo4j_store)]
RdfStoreDep = Annotated[RdfStore, Depends(get_rdf_store)]
