"""The Neo4j backend: driver lifecycle, the sync from the RDF store, cleanup, read-only Cypher.

The sync's statements and writer threads are in :mod:`graph.neo4j.batch_writing`, the text checks of
read-only Cypher in :mod:`graph.neo4j.readonly_cypher`.

Neo4j holds a projection of the RDF store's public data, rebuilt by :meth:`Neo4jStore.sync` with a run
tag: every node and relationship written by a sync carries ``run``; when the whole pass succeeded,
everything with an older ``run`` is deleted. Re-syncing the same data changes nothing; a record deleted
at its source disappears; a sync interrupted midway (Neo4j stopped) leaves the previous projection plus
some new writes, and the next sync converges to the same graph as an uninterrupted one.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ClientError,
    CypherSyntaxError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph.errors import QueryRejected, StoreUnavailable
from graph.neo4j.batch_writing import (
    Writers,
    collector_paused,
    node_statements,
    relationship_statements,
    target_statements,
)
from graph.neo4j.readonly_cypher import CypherResult, checked_cypher
from graph.neo4j.schema import apply_schema
from graph.plain_terms import PlainGroup, resource_of
from graph.property_graph.mapping import RESOURCE, PlainProjector, PropertyGraphMapping, build_mapping, to_rdf_literal
from graph.store import RunId
from ingest.types import Triple
from ontology.namespaces import RDF

#: Subjects per node write transaction of a sync.
NODE_BATCH = 10_000
#: Relationships (and bare target nodes) per write transaction of a sync.
RELATIONSHIP_CHUNK = 10_000
#: Deletions per committed transaction when a sync removes what older runs wrote, or a wipe everything.
DELETE_CHUNK = 10_000
#: Threads writing in parallel during a sync: Neo4j uses more transactions open at once while Python reads
#: (four was the fastest of two to four, ``benchmarks/results.md``).
WRITERS = 4
log = logging.getLogger(__name__)
T = TypeVar("T")

_RETRYABLE = (ServiceUnavailable, SessionExpired, TransientError, ConnectionError, OSError)


@dataclass
class SyncReport:
    """What a sync wrote and removed."""

    run: RunId
    nodes: int = 0
    relationships: int = 0
    removed_nodes: int = 0
    removed_relationships: int = 0
    skipped_predicates: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Neo4jStore:
    """A Neo4j database reached over Bolt.

    Parameters
    ----------
    uri : str
        ``bolt://``, ``neo4j://`` or ``neo4j+s://`` URI (a single server, a cluster, or Aura).
    user, password : str
        Credentials of the user that loads data.
    database : str
        Database name.
    read_user, read_password : str, optional
        Credentials for read-only Cypher (a reader-role user where the edition has roles).
    timeout_s : float
        Transaction timeout of read-only queries.
    max_rows : int
        Row cap of read-only queries.
    """

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        read_user: str | None = None,
        read_password: str | None = None,
        timeout_s: float = 10.0,
        max_rows: int = 10_000,
    ):
        self.uri, self.database = uri, database
        self.timeout_s, self.max_rows = timeout_s, max_rows
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                notifications_min_severity="OFF",
                max_transaction_retry_time=5.0,
                connection_acquisition_timeout=10.0,
            )
            self._reader = self._driver
            if read_user:
                self._reader = GraphDatabase.driver(
                    uri, auth=(read_user, read_password or ""), notifications_min_severity="OFF"
                )
        except ValueError as error:
            raise StoreUnavailable(f"PEERGRAPH_NEO4J_URI {uri!r} is not a Neo4j URI: {error}") from None
        self.mapping: PropertyGraphMapping = build_mapping()
        self._every_label = ":".join(sorted(set(self.mapping.labels.values())))  # what a reset removes

    # ── lifecycle ────────────────────────────────────────────────────────────────────────────

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the drivers."""
        if self._reader is not self._driver:
            self._reader.close()
        self._driver.close()

    def _unavailable(self, error: Exception) -> StoreUnavailable:
        if isinstance(error, AuthError):
            return StoreUnavailable(
                f"Neo4j at {self.uri} refused the credentials (PEERGRAPH_NEO4J_USER / PEERGRAPH_NEO4J_PASSWORD)"
            )
        return StoreUnavailable(
            f"Neo4j at {self.uri} is not reachable ({type(error).__name__}: {error}); "
            "start it with `make neo4j-start` or `docker compose up neo4j`"
        )

    def health(self) -> dict[str, object]:
        """Check connectivity and return the server's version and counts.

        Returns
        -------
        dict
            ``{"status": "ok", "uri": …, "version": …, "nodes": n, "relationships": n}``.

        Raises
        ------
        StoreUnavailable
            If Neo4j cannot be reached or refuses the credentials.
        """
        try:
            self._driver.verify_connectivity()
            info = self._driver.get_server_info()
            counts = self.counts()
        except (Neo4jError, *_RETRYABLE) as error:
            raise self._unavailable(error) from None
        return {"status": "ok", "uri": self.uri, "version": info.agent, **counts}

    def init_schema(self) -> int:
        """Create constraints and indexes (idempotent); return how many statements ran."""
        try:
            return apply_schema(self._driver, self.database)
        except (Neo4jError, *_RETRYABLE) as error:
            raise self._unavailable(error) from None

    def counts(self) -> dict[str, int]:
        """Return the number of peergraph nodes and relationships."""
        records, _, _ = self._driver.execute_query(
            f"MATCH (n:{RESOURCE}) WITH count(n) AS nodes "
            f"OPTIONAL MATCH (:{RESOURCE})-[r]->(:{RESOURCE}) RETURN nodes, count(r) AS relationships",
            database_=self.database,
            routing_=neo4j.RoutingControl.READ,
        )
        return {"nodes": records[0]["nodes"], "relationships": records[0]["relationships"]}

    def count(self, source: str | None = None) -> int:
        """Return the number of nodes plus relationships (Neo4j holds one projection, not sources).

        Parameters
        ----------
        source : str, optional
            Not supported: the projection does not keep sources apart.

        Returns
        -------
        int
            Nodes plus relationships.

        Raises
        ------
        NotImplementedError
            If a source is given.
        """
        if source is not None:
            raise NotImplementedError("Neo4j holds one projection of the RDF store; count sources with SPARQL")
        counts = self.counts()
        return counts["nodes"] + counts["relationships"]

    def wipe(self) -> None:
        """Delete every peergraph node and relationship (tests, and `peergraph neo4j sync --fresh`).

        Relationships go first, type by type (one scan of the type's index each), then the nodes:
        ``DETACH DELETE`` of 10,000 nodes at once took a country's or a concept's hundreds of thousands of
        relationships into one transaction, beyond Neo4j's transaction memory at 1e6 entities.
        """
        for rel_type in sorted(self.mapping.inverse_relationships):
            self._delete_in_transactions(f"MATCH ()-[r:{rel_type}]->()", "DELETE r", "r")
        self._delete_in_transactions(f"MATCH (n:{RESOURCE})", "DETACH DELETE n", "n")

    # ── writing ──────────────────────────────────────────────────────────────────────────────

    def write(self, query: str, parameters: dict, *, first: str | None = None, attempts: int = 4) -> list[neo4j.Record]:
        """Run one write transaction and return its records, retrying with backoff while Neo4j is away.

        Parameters
        ----------
        query : str
            An idempotent statement (``MERGE``): running it twice gives the same graph as once.
        parameters : dict
            Its values.
        first : str, optional
            A faster statement with the same result that is *not* idempotent (``CREATE``). It is tried once,
            in a transaction the driver does not retry (a commit whose answer was lost must not run twice);
            if it fails for any reason (Neo4j away, a deadlock, a node that exists after all), ``query`` runs.
        attempts : int
            Tries of ``query``.

        Raises
        ------
        StoreUnavailable
            If Neo4j does not come back within the tries.
        """
        if first is not None:
            try:
                with self._driver.session(database=self.database) as session, session.begin_transaction() as tx:
                    records = list(tx.run(first, parameters))
                    tx.commit()
                return records
            except (Neo4jError, *_RETRYABLE) as error:
                log.info("Neo4j write by CREATE failed (%s); writing the batch by MERGE", type(error).__name__)
        return self._with_retries(
            lambda: self._driver.execute_query(query, parameters, database_=self.database).records, attempts
        )

    def _with_retries(self, run: Callable[[], T], attempts: int) -> T:
        """Return ``run()``, calling it again with backoff (1 s, 2 s, 4 s…) while Neo4j is away."""
        delay = 1.0
        for attempt in range(1, attempts + 1):
            try:
                return run()
            except _RETRYABLE as error:
                if attempt == attempts:
                    raise StoreUnavailable(
                        f"Neo4j at {self.uri} stopped answering during the sync ({type(error).__name__}) and did "
                        f"not come back after {attempts} tries; the RDF store is unchanged. Run the sync again "
                        "when Neo4j is back: it converges to the same graph."
                    ) from None
                log.warning(
                    "Neo4j write failed (%s); retry %d/%d in %.0f s", type(error).__name__, attempt, attempts - 1, delay
                )
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def _delete_in_transactions(self, match: str, delete: str, variable: str, parameters: dict | None = None) -> int:
        """Delete what ``match`` finds, :data:`DELETE_CHUNK` per committed transaction, in one pass; return how many.

        One scan of the database: a loop of ``… LIMIT 10000 DELETE`` would scan again from the start for
        each batch, past everything it keeps (quadratic in the worst case). The statement runs in an
        implicit transaction, as ``CALL … IN TRANSACTIONS`` requires; it is idempotent, so a retry after
        Neo4j came back deletes what the interrupted one left (and counts only that).
        """
        query = f"{match} CALL ({variable}) {{ {delete} }} IN TRANSACTIONS OF {DELETE_CHUNK} ROWS RETURN count(*) AS c"

        def run_once() -> int:
            with self._driver.session(database=self.database) as session:
                return session.run(query, parameters or {}).single(strict=True)["c"]

        return self._with_retries(run_once, attempts=4)

    def _holds_nothing(self) -> bool:
        records, _, _ = self._driver.execute_query(
            f"MATCH (n:{RESOURCE}) RETURN n LIMIT 1", database_=self.database, routing_=neo4j.RoutingControl.READ
        )
        return not records

    def sync(
        self,
        groups: Iterable[PlainGroup],
        run: RunId,
        *,
        batch_size: int = NODE_BATCH,
        on_batch: Callable[[int], None] | None = None,
    ) -> SyncReport:
        """Write every subject's node and relationships, then remove what this run did not write.

        Three steps, each statement batched (``UNWIND $rows``) and run by :data:`WRITERS` threads:

        1. nodes, written while the store is still being read (Python reads and builds rows on one core
           while Neo4j writes on the other); Neo4j answers each batch with the nodes' ids;
        2. bare nodes for relationship targets that are no subject (IRIs described nowhere in the data);
        3. relationships by type, both ends found by node id (no index lookup).

        Into a database that holds no peergraph node at the start, nodes and relationships are written
        with ``CREATE`` (nothing can exist yet, and no older run can be left to remove); otherwise with
        ``MERGE``, and what older runs wrote and this one did not is deleted at the end. A ``CREATE`` batch
        that fails is written again by ``MERGE`` (:meth:`write`).

        Parameters
        ----------
        groups : iterable of PlainGroup
            Each subject once, with all its (predicate, object) pairs to project.
        run : RunId
            The run tag.
        batch_size : int
            Subjects per node write transaction.
        on_batch : callable, optional
            Called with the number of subjects read so far, after each batch.

        Returns
        -------
        SyncReport
            Counts, and the predicates that have no mapping (not projected).

        Raises
        ------
        StoreUnavailable
            If Neo4j is unreachable, or stops answering and does not come back within the retries.
        """
        with collector_paused():
            return self._sync(groups, run, batch_size, on_batch)

    def _sync(
        self, groups: Iterable[PlainGroup], run: RunId, batch_size: int, on_batch: Callable[[int], None] | None
    ) -> SyncReport:
        started = time.perf_counter()
        report = SyncReport(run)
        self.init_schema()
        fresh = self._holds_nothing()
        projector = PlainProjector(self.mapping)
        ids: dict[str, int | str] = {}  # IRI → node id
        links: dict[str, list[tuple[str, str]]] = defaultdict(list)

        def write_nodes(statements: tuple[str, str], rows: list, iris: list[str]) -> None:
            merge, create = statements
            records = self.write(merge, {"rows": rows, "run": run}, first=create if fresh else None)
            ids.update(zip(iris, records[0]["ids"], strict=True))

        with Writers(WRITERS) as writers:
            nodes: dict[tuple[str, ...], list[dict]] = defaultdict(list)
            pending = 0
            for subject, pairs in groups:
                labels, row, node_links = projector.project(subject, pairs)
                nodes[labels].append(row)
                for rel_type, target in node_links:
                    links[rel_type].append((subject, target))
                report.relationships += len(node_links)
                pending += 1
                if pending == batch_size:
                    report.nodes += pending
                    for labels, rows in nodes.items():
                        statements = node_statements(labels, self._every_label)
                        writers.submit(write_nodes, statements, rows, [row["iri"] for row in rows])
                    nodes, pending = defaultdict(list), 0
                    if on_batch:
                        on_batch(report.nodes)
            report.nodes += pending
            for labels, rows in nodes.items():
                statements = node_statements(labels, self._every_label)
                writers.submit(write_nodes, statements, rows, [row["iri"] for row in rows])
        report.skipped_predicates = projector.skipped
        log.info("sync: %d nodes written at %.1f s", report.nodes, time.perf_counter() - started)

        targets = sorted({target for pairs in links.values() for _, target in pairs if target not in ids})
        with Writers(WRITERS) as writers:
            for i in range(0, len(targets), RELATIONSHIP_CHUNK):
                chunk = targets[i : i + RELATIONSHIP_CHUNK]
                writers.submit(write_nodes, target_statements(self._every_label), chunk, chunk)
        with Writers(WRITERS) as writers:
            for rel_type, pairs in links.items():
                merge, create = relationship_statements(rel_type)
                rows = [[ids[subject], ids[target]] for subject, target in pairs]
                for i in range(0, len(rows), RELATIONSHIP_CHUNK):
                    parameters = {"rows": rows[i : i + RELATIONSHIP_CHUNK], "run": run}
                    writers.submit(self.write, merge, parameters, first=create if fresh else None)
        log.info("sync: %d relationships written at %.1f s", report.relationships, time.perf_counter() - started)
        if not fresh:
            report.removed_relationships = self._delete_in_transactions(
                f"MATCH (:{RESOURCE})-[r]->(:{RESOURCE}) WHERE coalesce(r.run, '') <> $run",
                "DELETE r",
                "r",
                {"run": run},
            )
            report.removed_nodes = self._delete_in_transactions(
                f"MATCH (n:{RESOURCE}) WHERE coalesce(n.run, '') <> $run", "DETACH DELETE n", "n", {"run": run}
            )
        report.seconds = time.perf_counter() - started
        return report

    # ── reading ──────────────────────────────────────────────────────────────────────────────

    def export_triples(self) -> Iterator[Triple]:
        """Yield the projection back as RDF triples (the inverse mapping).

        Yields
        ------
        Triple
            Types from labels, literals from properties, object triples from relationships.
        """
        mapping = self.mapping
        labels = mapping.inverse_labels
        relations = mapping.inverse_relationships
        with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            for record in session.run(
                f"MATCH (n:{RESOURCE}) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props"
            ):
                subject = resource_of(record["iri"])
                for label in record["labels"]:
                    if label != RESOURCE:
                        yield subject, RDF.type, labels[label]
                for key, value in record["props"].items():
                    if key in ("iri", "run"):
                        continue
                    found = mapping.predicate_of_key(key)
                    if found is None:
                        continue
                    predicate, language = found
                    base = key.partition("_")[0]
                    for item in value if isinstance(value, list) else [value]:
                        yield subject, predicate, to_rdf_literal(base, item, language, mapping)
            for record in session.run(
                f"MATCH (a:{RESOURCE})-[r]->(b:{RESOURCE}) RETURN a.iri AS s, type(r) AS t, b.iri AS o"
            ):
                yield resource_of(record["s"]), relations[record["t"]], resource_of(record["o"])

    def run_cypher_readonly(self, query: str, parameters: dict | None = None) -> CypherResult:
        """Run a Cypher query that only reads, with three guards and two bounds.

        Guards: ``LOAD CSV`` and procedures outside an allow-list are refused from the text
        (:mod:`graph.neo4j.readonly_cypher`); an ``EXPLAIN`` must report query type ``r``; the query runs
        in a read transaction (read access mode, and the reader user where configured). Bounds: a transaction
        timeout and the row cap.

        Parameters
        ----------
        query : str
            One Cypher statement.
        parameters : dict, optional
            Values, passed separately from the text.

        Returns
        -------
        CypherResult
            Columns and rows (``truncated`` when the cap cut them).

        Raises
        ------
        QueryRejected
            If the query is empty, malformed, writes, loads files, calls a procedure outside the
            allow-list, or runs out of time.
        StoreUnavailable
            If Neo4j cannot be reached.
        """
        text = checked_cypher(query)
        parameters = dict(parameters or {})
        try:
            with self._reader.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                plan = session.run(neo4j.Query("EXPLAIN " + text, timeout=self.timeout_s), parameters).consume()
                if plan.query_type != "r":
                    raise QueryRejected(
                        f"only read-only queries are allowed; this one is of type "
                        f"{plan.query_type!r} (w = write, rw = read-write, s = schema)"
                    )

                @neo4j.unit_of_work(timeout=self.timeout_s)
                def read(tx: neo4j.ManagedTransaction) -> CypherResult:
                    result = tx.run(text, parameters)
                    rows = []
                    for record in result:
                        if len(rows) == self.max_rows:
                            return CypherResult(list(result.keys()), rows, truncated=True)
                        rows.append(dict(record.items()))
                    return CypherResult(list(result.keys()), rows)

                return session.execute_read(read)
        except QueryRejected:
            raise
        except CypherSyntaxError as error:
            raise QueryRejected(f"malformed Cypher: {error.message}") from None
        except ClientError as error:
            if "Timeout" in (error.code or "") or "timeout" in (error.message or "").lower():
                raise QueryRejected(f"the query ran longer than {self.timeout_s:g} s and was stopped") from None
            raise QueryRejected(f"refused by Neo4j: {error.message}") from None
        except (Neo4jError, *_RETRYABLE) as error:
            raise self._unavailable(error) from None
