"""Request and response models of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, Field


class HealthPublic(BaseModel):
    """Status of the stores."""

    status: str
    rdf_store: dict[str, object]
    neo4j: dict[str, object]


class SourcePublic(BaseModel):
    """One loaded source file."""

    name: str
    records: int | None = Field(None, description="Records read (API keys with restricted read only).")
    triples: int | None = Field(None, description="Triples held (API keys with restricted read only).")
    sha256: str | None = Field(None, description="Checksum of the file (API keys with restricted read only).")
    loaded_at: str


class StatsPublic(BaseModel):
    """What the store holds."""

    triples: int
    classes: dict[str, int]
    sources: list[SourcePublic]


class CypherRequest(BaseModel):
    """A read-only Cypher query and its parameters."""

    query: str
    parameters: dict[str, object] = {}


class CypherResultPublic(BaseModel):
    """Rows of a Cypher query."""

    columns: list[str]
    rows: list[dict[str, object]]
    truncated: bool
