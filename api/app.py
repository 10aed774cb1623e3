"""The FastAPI application factory: stores opened in the lifespan, routers, error handlers, static files."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.admission import AdmissionControl
from api.errors import install_error_handlers
from api.routers import (
    analytics,
    consoles,
    cypher,
    docs,
    entities,
    exports,
    health,
    ingest,
    linked_data,
    ontology_page,
    pages,
    peer_pages,
    peers,
    questions,
    sparql,
    stats,
    viz,
)
from api.security_headers import SecurityHeaders
from api.templating import build_templates
from api.upload_guard import UploadGuard
from graph.errors import StoreUnavailable
from graph.services.neo4j import open_neo4j_store
from graph.services.query import open_query_pool
from graph.services.research import GraphViewCache
from graph.services.store import open_live_store
from graph.settings import Settings


def create_app(settings: Settings) -> FastAPI:
    """Build the application for the given settings.

    The lifespan opens the RDF store read-only, one snapshot shared by all requests and reloaded in the
    background after a writer commits (the CLI is the writer; see ``graph/rdf/live_store.py``), starts the
    SPARQL worker processes (``graph/rdf/query_pool.py``; ``app.state.query_pool``, None with
    ``query_workers=0``) and,
    when configured, the Neo4j driver (it connects lazily), and closes both on shutdown. A missing store
    is not fatal: ``/health`` reports it and data routes answer 503.

    Parameters
    ----------
    settings : Settings
        The configuration.

    Returns
    -------
    fastapi.FastAPI
        The application.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.graph_views = GraphViewCache()
        app.state.query_pool = open_query_pool(settings)
        try:
            app.state.live_store = open_live_store(
                settings, warm=app.state.graph_views.get, query_runner=app.state.query_pool
            )
            app.state.store_error = None
        except StoreUnavailable as error:
            app.state.live_store = None
            app.state.store_error = str(error)
        if app.state.live_store is not None and app.state.query_pool is not None:
            # The workers open the store beside the server; serve once they have, so a query's deadline is its own.
            await asyncio.to_thread(app.state.query_pool.wait_ready, 120)
        app.state.neo4j_store = open_neo4j_store(settings) if settings.neo4j_uri else None
        builder = None
        if app.state.live_store is not None:  # build the view before the first request needs it
            first = app.state.live_store.current()
            builder = threading.Thread(target=app.state.graph_views.get, args=(first,), daemon=True)
            builder.start()
        yield
        if app.state.query_pool is not None:
            app.state.query_pool.close()  # kills the workers: queries still running end now
        if builder is not None:
            await asyncio.to_thread(builder.join)  # it reads the store: close the store after it
        if app.state.live_store is not None:
            await asyncio.to_thread(app.state.live_store.close)
        if app.state.neo4j_store is not None:
            app.state.neo4j_store.close()

    app = FastAPI(
        title="peergraph",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by api.routers.docs from local files, not a CDN
        redoc_url=None,
        description="Knowledge graph of cultural-policy peers, measures and exchanges: SPARQL, "
        "REST and pages over the bundled and ingested data.",
    )
    install_error_handlers(app)
    # Outermost last: uploads are checked before admission, so an anonymous upload never takes a slot.
    app.add_middleware(AdmissionControl, settings=settings)
    app.add_middleware(UploadGuard, settings=settings)
    app.add_middleware(SecurityHeaders)  # outermost: refusals from the guards get the headers too
    static = Path(str(resources.files("api"))) / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.state.templates = build_templates()
    routers = (
        health,
        stats,
        entities,
        exports,
        ingest,
        peers,
        questions,
        analytics,
        viz,
        sparql,
        cypher,
        consoles,
        linked_data,
        ontology_page,
        pages,
        peer_pages,
        docs,
    )
    for router in (module.router for module in routers):
        app.include_router(router)
    return app
