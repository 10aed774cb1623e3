"""Dependency aliases for routes: the settings and the RDF store on ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.errors import StoreUnavailable
from graph.rdf_store import RdfStore
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


SettingsDep = Annotated[Settings, Depends(get_settings)]
RdfStoreDep = Annotated[RdfStore, Depends(get_rdf_store)]
