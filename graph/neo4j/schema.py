"""Neo4j constraints and indexes, applied idempotently by ``peergraph db init`` and before every sync."""

from __future__ import annotations

from neo4j import Driver

from graph.property_graph.mapping import RESOURCE

#: Statements that create the schema; each is a no-op when it already exists. (An index on ``run``, which
#: earlier versions made, is dropped: the sync's cleanup compares ``run`` with ``<>``, which no index serves,
#: and keeping it up to date cost Neo4j about a tenth of its work per node written.)
SCHEMA_STATEMENTS: tuple[str, ...] = (
    f"CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:{RESOURCE}) REQUIRE n.iri IS UNIQUE",
    "DROP INDEX resource_run IF EXISTS",
    "CREATE INDEX country_iso3 IF NOT EXISTS FOR (n:Country) ON (n.iso3)",
    "CREATE INDEX record_identifier IF NOT EXISTS FOR (n:PolicyMeasure) ON (n.identifier)",
    "CREATE INDEX concept_notation IF NOT EXISTS FOR (n:Concept) ON (n.notation)",
)


def apply_schema(driver: Driver, database: str) -> int:
    """Create the constraints and indexes that are missing, and wait until they are online.

    Parameters
    ----------
    driver : neo4j.Driver
        A driver for a user allowed to change the schema.
    database : str
        The database.

    Returns
    -------
    int
        Number of statements run.
    """
    for statement in SCHEMA_STATEMENTS:
        driver.execute_query(statement, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    return len(SCHEMA_STATEMENTS)
