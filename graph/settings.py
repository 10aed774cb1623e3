"""Settings: the one configuration object, read from ``PEERGRAPH_*`` environment variables (or ``.env``).

Constructed once in a composition root (``api.app.create_app``, ``api.cli.main``) and passed down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDERS = {"", "changeme", "password", "neo4j"}


class Settings(BaseSettings):
    """peergraph's configuration; each field is the environment variable ``PEERGRAPH_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="PEERGRAPH_", env_file=".env", extra="ignore")

    store: Path = Field(Path(".peergraph/store"), description="Folder of the on-disk RDF store.")
    environment: str = Field(
        "development", description="`development` or `production`; production refuses placeholder secrets."
    )
    query_timeout_s: float = Field(
        10.0,
        gt=0,
        description="Seconds a SPARQL or Cypher query may take, from the request's arrival (queues included); "
        "past it the work is stopped (an embedded store's SPARQL worker process is killed and replaced; a remote "
        "store's request is abandoned) and the caller gets 504 (the CLI exits with code 5).",
    )
    query_workers: int | None = Field(
        None,
        ge=0,
        description="SPARQL worker processes of the server (default: the CPU count); each reads the newest "
        "snapshot (copied into memory with `serve_from_memory`). 0: queries run in the server's own threads, "
        "with no deadline (tests).",
    )
    query_queue: int = Field(
        8, ge=0, description="SPARQL queries that may wait for a busy worker; more get 503 with `Retry-After`."
    )
    result_cache_mb: int = Field(
        64,
        ge=0,
        description="Megabytes of `/sparql` answers the server keeps per store snapshot: the same query on the same "
        "data is answered again without a worker (`X-Peergraph-Cache: hit`); a new snapshot is never answered "
        "from an older one. 0: none kept.",
    )
    max_rows: int = Field(10_000, gt=0, description="Most rows a query returns; the rest are cut and flagged.")
    neo4j_uri: str | None = Field(
        None,
        description="Bolt URI (`bolt://`, `neo4j://`, `neo4j+s://`); empty: "
        "no Neo4j, Cypher answers with how to start one. When set, loads also keep sorted public copies "
        "of each source for `neo4j sync` (graph/rdf/public_copies.py).",
    )
    neo4j_user: str = Field("neo4j", description="Neo4j user that loads data.")
    neo4j_password: str = Field("", description="Password of `neo4j_user`.")
    neo4j_database: str = Field("neo4j", description="Neo4j database name.")
    neo4j_read_user: str | None = Field(
        None, description="Reader-role user for the Cypher endpoint (default: `neo4j_user`)."
    )
    neo4j_read_password: str | None = Field(None, description="Password of `neo4j_read_user`.")
    sparql_query_url: str | None = Field(
        None,
        description="SPARQL 1.1 query endpoint of a remote store (Fuseki, GraphDB, Virtuoso…); set, it replaces the "
        "embedded store (`store` then holds only the API key file).",
    )
    sparql_update_url: str | None = Field(
        None, description="SPARQL 1.1 update endpoint of the remote store (needed to ingest, remove or init)."
    )
    sparql_gsp_url: str | None = Field(
        None,
        description="Graph Store Protocol endpoint of the remote store; when set, each source graph is written by one "
        "PUT instead of update requests.",
    )
    sparql_user: str | None = Field(None, description="User for HTTP basic authentication at the remote store.")
    sparql_password: str | None = Field(None, description="Password of `sparql_user`.")
    serve_from_memory: bool = Field(
        True,
        description="The server copies the newest store snapshot into memory (SPARQL several times faster; "
        "memory grows with the store); false reads the on-disk snapshot.",
    )
    api_keys_file: Path | None = Field(
        None, description="JSON file of hashed API keys (default: `api-keys.json` in the store folder)."
    )
    max_upload_bytes: int = Field(
        5_000_000, gt=0, description="Largest upload `POST /api/ingest` accepts (all files together)."
    )

    admission_max_running: int = Field(
        2,
        gt=0,
        description="Expensive requests (SPARQL, Cypher, consoles, exports, questions, views, analytics, uploads; "
        "peer matching counted apart) running at once, per class; about the number of cores (queries cannot be "
        "cancelled, so more only share the same cores and slow `/health`).",
    )
    admission_max_running_per_client: int = Field(
        2,
        gt=0,
        description="Expensive requests of one class one client (API key, else address) may have running or queued.",
    )
    admission_max_queued: int = Field(
        8, ge=0, description="Expensive requests of one class that may wait for a slot; more get 503."
    )
    admission_queue_timeout_s: float = Field(
        15.0, gt=0, description="Seconds a queued request waits for a slot before 503."
    )
    admission_retry_after_s: int = Field(5, gt=0, description="`Retry-After` seconds sent with 503 Busy.")

    @property
    def api_keys_path(self) -> Path:
        """The API key file in use: ``api_keys_file`` or ``api-keys.json`` beside the store's data."""
        return self.api_keys_file or self.store / "api-keys.json"

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment == "production" and self.neo4j_uri and self.neo4j_password in _PLACEHOLDERS:
            raise ValueError("PEERGRAPH_NEO4J_PASSWORD is empty or a placeholder; set a real secret in production")
        if (self.sparql_update_url or self.sparql_gsp_url) and not self.sparql_query_url:
            raise ValueError("PEERGRAPH_SPARQL_UPDATE_URL / _GSP_URL need PEERGRAPH_SPARQL_QUERY_URL too")
        for name in ("sparql_query_url", "sparql_update_url", "sparql_gsp_url"):
            url = getattr(self, name)
            if url and not url.startswith(("http://", "https://")):
                raise ValueError(f"PEERGRAPH_{name.upper()} must be an http:// or https:// address, not {url!r}")
        return self
