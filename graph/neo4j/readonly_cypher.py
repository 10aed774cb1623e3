"""The text checks of read-only Cypher: ``LOAD CSV`` and procedures outside a small allow-list are refused.

They are the first of three layers (:meth:`graph.neo4j.store.Neo4jStore.run_cypher_readonly`): an ``EXPLAIN``
must then report query type ``r``, and the query runs in a read transaction with a timeout and a row cap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import QueryRejected

#: Procedures a read-only Cypher query may call (schema introspection only).
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    }
)
_CALL = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)\s*(?:\(|YIELD\b|$)", re.IGNORECASE)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)


@dataclass
class CypherResult:
    """Rows of a read-only Cypher query, cut at the row cap."""

    columns: list[str]
    rows: list[dict[str, object]]
    truncated: bool = False


def checked_cypher(query: str) -> str:
    """Return the query without surrounding blanks or a final ``;``, or refuse it from its text.

    Parameters
    ----------
    query : str
        One Cypher statement.

    Returns
    -------
    str
        The statement to run.

    Raises
    ------
    QueryRejected
        If it is empty, loads files (``LOAD CSV``) or calls a procedure outside :data:`ALLOWED_PROCEDURES`.

    Examples
    --------
    >>> checked_cypher("MATCH (n) RETURN n ; ")
    'MATCH (n) RETURN n'
    """
    text = query.strip().rstrip(";").strip()
    if not text:
        raise QueryRejected("the Cypher query is empty")
    if _LOAD_CSV.search(text):
        raise QueryRejected("LOAD CSV is refused: queries may not read files")
    for name in _CALL.findall(text):
        if name.lower() not in {p.lower() for p in ALLOWED_PROCEDURES}:
            raise QueryRejected(f"CALL {name} is refused: only {', '.join(sorted(ALLOWED_PROCEDURES))} may be called")
    return text
