"""Domain errors of peergraph. The API maps them to HTTP in one place (``api/errors.py``)."""

from __future__ import annotations

from ingest.types import InputRejected


class PeergraphError(Exception):
    """Base of peergraph's domain errors."""


class NotFound(PeergraphError):
    """The requested entity, source or file does not exist."""


class QueryRejected(PeergraphError):
    """A query is malformed, not read-only, or asks for something that is refused."""


class InvalidRequest(PeergraphError):
    """A request parameter names something unknown or has a wrong value.

    Parameters
    ----------
    parameter : str
        The request parameter (or file field) at fault.
    reason : str
        What is wrong, with the closest known values where that helps.
    """

    def __init__(self, parameter: str, reason: str):
        self.parameter = parameter
        self.reason = reason
        super().__init__(f"{parameter}: {reason}")


class Unauthorized(PeergraphError):
    """A credential (API key) was given but is unknown or revoked."""


class Forbidden(PeergraphError):
    """The caller is known but its role does not allow the action."""


class UploadTooLarge(PeergraphError):
    """An upload is larger than the configured limit."""


class StoreUnavailable(PeergraphError):
    """A store cannot be used now: not configured, not reachable, or locked."""


class StoreLocked(StoreUnavailable):
    """Another process holds the store's single writer lock."""


class QueryTimeout(PeergraphError):
    """A query passed its deadline (``PEERGRAPH_QUERY_TIMEOUT_S``) and its work was stopped."""


class QueryBusy(PeergraphError):
    """Every query worker is busy and the queue is full, or no worker came free before the deadline.

    Parameters
    ----------
    message : str
        What happened, naming the setting that bounds it.
    retry_after_s : int
        Seconds after which a retry may find a free worker (the ``Retry-After`` header).
    """

    def __init__(self, message: str, retry_after_s: int):
        self.retry_after_s = retry_after_s
        super().__init__(message)


#: Input failed validation; nothing was written (re-exported from :mod:`ingest.types`).
IngestError = InputRejected

__all__ = [
    "IngestError",
    "InvalidRequest",
    "NotFound",
    "PeergraphError",
    "QueryBusy",
    "QueryRejected",
    "QueryTimeout",
    "StoreLocked",
    "StoreUnavailable",
]


NEO4J_HOW_TO = (
    "Cypher needs Neo4j, and none is configured. Start one with `make neo4j-start` (no Docker needed; it "
    "prints the settings) or `docker compose up neo4j`, then set PEERGRAPH_NEO4J_URI, PEERGRAPH_NEO4J_USER and "
    "PEERGRAPH_NEO4J_PASSWORD and run `peergraph neo4j sync`. Everything else works on the embedded RDF store "
    "(use SPARQL)."
)
