"""Dependency aliases for routes: the settings, the caller's access, the stores and the graph view."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.errors import NEO4J_HOW_TO, StoreUnavailable, Unauthorized
from graph.neo4j.store import Neo4jStore
from graph.services.access import ANONYMOUS, Access, ApiKeyFile
from graph.services.research import GraphView
from graph.settings import Settings
from graph.store import GraphStore


def get_settings(request: Request) -> Settings:
    """Return the application's settings."""
    return request.app.state.settings


def get_access(request: Request) -> Access:
    """Return what the caller may do: anonymous without an ``Authorization: Bearer`` header, else its key's role.

    Raises
    ------
    Unauthorized
        If a key is sent but unknown or revoked (never silently downgraded to anonymous).
    """
    return access_for(request.headers.get("authorization"), request.app.state.settings)


def access_for(header: str | None, settings: Settings) -> Access:
    """Return the access an ``Authorization`` header value grants (see :func:`get_access`).

    Parameters
    ----------
    header : str or None
        The header's value.
    settings : Settings
        Names the API key file.

    Returns
    -------
    Access
        Anonymous without a header, else the key's role.

    Raises
    ------
    Unauthorized
        If a key is sent but malformed, unknown or revoked.
    """
    if not header:
        return ANONYMOUS
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send the API key as 'Authorization: Bearer <key>'")
    return ApiKeyFile(settings.api_keys_path).authenticate(token.strip())


AccessDep = Annotated[Access, Depends(get_access)]


def get_rdf_store(request: Request) -> GraphStore:
    """Return the store's current snapshot, shared by all requests (a newer one is loaded in the background).

    Raises
    ------
    StoreUnavailable
        If the store could not be opened at start-up.
    """
    live = request.app.state.live_store
    if live is None:
        raise StoreUnavailable(request.app.state.store_error or "the RDF store is not open")
    return live.current()


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


def get_graph_view(request: Request, access: AccessDep) -> GraphView:
    """Return the graph view (projection and matching index) the caller may see, of the store's current state.

    Built once per committed state of the store (and per public/restricted) and reused until the next ingest.
    """
    return request.app.state.graph_views.get(get_rdf_store(request), include_restricted=access.include_restricted)


GraphViewDep = Annotated[GraphView, Depends(get_graph_view)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Neo4jStoreDep = Annotated[Neo4jStore, Depends(get_neo4j_store)]
RdfStoreDep = Annotated[GraphStore, Depends(get_rdf_store)]
