"""The Neo4j backend: driver lifecycle, batched sync from the RDF store, cleanup, read-only Cypher.

Neo4j holds a projection of the RDF store's public data, rebuilt by :meth:`Neo4jStore.sync` with a run
tag: every node and relationship written by a sync carries ``run``; when the whole pass succeeded,
everything with an older ``run`` is deleted. Re-syncing the same data changes nothing; a record deleted
at its source disappears; a sync interrupted midway (Neo4j stopped) leaves the previous projection plus
some new writes, and the next sync converges to the same graph as an uninterrupted one.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

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
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.errors import QueryRejected, StoreUnavailable
from graph.neo4j_mapping import RESOURCE, PropertyGraphMapping, build_mapping, to_neo4j_value, to_rdf_literal
from graph.neo4j_schema import apply_schema
from graph.store import Capabilities, RunId
from ingest.types import Triple
from ontology.namespaces import RDF

#: Relationships per write transaction in the relationship phase of a sync.
RELATIONSHIP_CHUNK = 10_000
#: Threads writing relationships in parallel.
RELATIONSHIP_WRITERS = 2
log = logging.getLogger(__name__)

#: A subject with the (predicate, object) pairs the synced graphs hold about it.
SubjectGroup = tuple[Node, list[tuple[Node, Node]]]

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
_RETRYABLE = (ServiceUnavailable, SessionExpired, TransientError, ConnectionError, OSError)


def _term_key(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _term_of(key: str) -> Node:
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)


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


@dataclass
class CypherResult:
    """Rows of a read-only Cypher query, cut at the row cap."""

    columns: list[str]
    rows: list[dict[str, object]]
    truncated: bool = False


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

    capabilities = Capabilities(sparql=False, cypher=True, named_graphs=False)

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
        """Delete every peergraph node and relationship (tests, and `peergraph neo4j sync --fresh`)."""
        self._run_in_batches(f"MATCH (n:{RESOURCE}) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c", {})

    # ── writing ──────────────────────────────────────────────────────────────────────────────

    def _write(self, query: str, parameters: dict, attempts: int = 4) -> None:
        delay = 1.0
        for attempt in range(1, attempts + 1):
            try:
                self._driver.execute_query(query, parameters, database_=self.database)
                return
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

    def _run_in_batches(self, query: str, parameters: dict) -> int:
        total = 0
        while True:
            records, _, _ = self._driver.execute_query(query, parameters, database_=self.database)
            done = records[0]["c"] if records else 0
            total += done
            if done == 0:
                return total

    def _node_statement(self, labels: tuple[str, ...]) -> str:
        """Return the statement writing nodes with these labels.

        A node last written by an older run first loses its labels and properties (so a record that lost a
        type or a field at the source loses it here too); a fresh node, or one of this run, does not.
        """
        add = "".join(f":{label}" for label in labels)
        every = ":".join(sorted(set(self.mapping.labels.values())))
        return (
            f"UNWIND $rows AS row MERGE (n:{RESOURCE} {{iri: row.iri}}) "
            f"FOREACH (_ IN CASE WHEN n.run IS NULL OR n.run = $run THEN [] ELSE [1] END | "
            f"REMOVE n:{every} SET n = {{iri: row.iri}}) "
            f"SET n += row.props, n.run = $run" + (f" SET n{add}" if add else "")
        )

    def _relationship_statement(self, rel_type: str, *, target_written: bool = False) -> str:
        """Return the statement writing relationships of a type.

        With ``target_written`` both ends are nodes this run wrote (found with MATCH); otherwise the target
        is merged, and a node left from an older run is reset to a bare ``{iri, run}`` node first.
        """
        if target_written:
            return (
                f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{iri: row.s}}) MATCH (b:{RESOURCE} {{iri: row.o}}) "
                f"MERGE (a)-[r:{rel_type}]->(b) SET r.run = $run"
            )
        every = ":".join(sorted(set(self.mapping.labels.values())))
        return (
            f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{iri: row.s}}) MERGE (b:{RESOURCE} {{iri: row.o}}) "
            f"FOREACH (_ IN CASE WHEN coalesce(b.run, '') = $run THEN [] ELSE [1] END | "
            f"REMOVE b:{every} SET b = {{iri: row.o, run: $run}}) "
            f"MERGE (a)-[r:{rel_type}]->(b) SET r.run = $run"
        )

    def sync(
        self,
        groups: Iterable[SubjectGroup],
        run: RunId,
        *,
        batch_size: int = 10_000,
        on_batch: Callable[[int], None] | None = None,
    ) -> SyncReport:
        """Write every subject's node and relationships, then remove what this run did not write.

        Parameters
        ----------
        groups : iterable of SubjectGroup
            Each subject once, with all its (predicate, object) pairs to project.
        run : RunId
            The run tag.
        batch_size : int
            Subjects per write transaction.
        on_batch : callable, optional
            Called with the number of subjects written so far, after each batch.

        Returns
        -------
        SyncReport
            Counts, and the predicates that have no mapping (not projected).

        Raises
        ------
        StoreUnavailable
            If Neo4j is unreachable, or stops answering and does not come back within the retries.
        """
        started = time.perf_counter()
        report = SyncReport(run)
        self.init_schema()
        mapping = self.mapping
        nodes: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        relationships: dict[str, list[dict]] = defaultdict(list)
        pending = written = 0
        written_iris: list[str] = []
        # Two phases. Nodes: reading the store and building rows (Python) overlaps with Neo4j's writes, one
        # writer thread taking whole batches from a short queue, in order. Relationships: kept until every
        # node is written, then written by type in large transactions, both ends found with MATCH when the
        # target is a node of this run (only other targets need a MERGE). Measured at 1e5 entities: 82 s
        # with one phase, see benchmarks/results.md for two.
        queued: queue.Queue = queue.Queue(maxsize=2)
        failures: list[BaseException] = []

        def write_batches() -> None:
            while (batch := queued.get()) is not None:
                if failures:
                    continue  # drain after a failure; the reader raises it
                try:
                    for labels, rows in batch.items():
                        self._write(self._node_statement(labels), {"rows": rows, "run": run})
                except BaseException as error:  # handed to the reading thread, which raises it
                    failures.append(error)

        writer = threading.Thread(target=write_batches, name="neo4j-sync-writer", daemon=True)
        writer.start()

        def flush() -> None:
            if failures:
                raise failures[0]
            queued.put(dict(nodes))
            nodes.clear()

        try:
            for subject, pairs in groups:
                labels: set[str] = set()
                props: dict[str, list] = defaultdict(list)
                for predicate, obj in pairs:
                    if predicate == RDF.type:
                        label = mapping.labels.get(obj)
                        if label is None:
                            report.skipped_predicates[f"rdf:type {obj}"] = (
                                report.skipped_predicates.get(f"rdf:type {obj}", 0) + 1
                            )
                        else:
                            labels.add(label)
                    elif isinstance(obj, Literal):
                        key = mapping.property_key(predicate, obj)
                        if key is None:
                            report.skipped_predicates[str(predicate)] = (
                                report.skipped_predicates.get(str(predicate), 0) + 1
                            )
                        else:
                            props[key].append(to_neo4j_value(key.partition("_")[0], obj, mapping))
                    else:
                        rel_type = mapping.relationships.get(predicate)
                        if rel_type is None:
                            report.skipped_predicates[str(predicate)] = (
                                report.skipped_predicates.get(str(predicate), 0) + 1
                            )
                        else:
                            relationships[rel_type].append({"s": _term_key(subject), "o": _term_key(obj)})
                            report.relationships += 1
                written_iris.append(_term_key(subject))
                nodes[tuple(sorted(labels))].append(
                    {
                        "iri": written_iris[-1],
                        "props": {k: (sorted(v, key=str) if len(v) > 1 else v[0]) for k, v in props.items()},
                    }
                )
                report.nodes += 1
                pending += 1
                if pending >= batch_size:
                    flush()
                    written += pending
                    pending = 0
                    if on_batch:
                        on_batch(written)
            flush()
        finally:
            queued.put(None)
            writer.join()
        if failures:
            raise failures[0]
        log.info("sync: %d nodes written in %.1f s", report.nodes, time.perf_counter() - started)
        subjects = set(written_iris)
        chunks = []
        for rel_type, rows in relationships.items():
            known = [row for row in rows if row["o"] in subjects]
            other = [row for row in rows if row["o"] not in subjects]
            for statement, chosen in (
                (self._relationship_statement(rel_type, target_written=True), known),
                (self._relationship_statement(rel_type), other),
            ):
                chunks += [
                    (statement, chosen[i : i + RELATIONSHIP_CHUNK]) for i in range(0, len(chosen), RELATIONSHIP_CHUNK)
                ]
        # Two writers: Neo4j uses both cores; a deadlock between them is a transient error the driver retries.
        with ThreadPoolExecutor(max_workers=RELATIONSHIP_WRITERS, thread_name_prefix="neo4j-sync-rel") as pool:
            for done in [pool.submit(self._write, statement, {"rows": rows, "run": run}) for statement, rows in chunks]:
                done.result()
        log.info("sync: %d relationships written at %.1f s", report.relationships, time.perf_counter() - started)
        report.removed_relationships = self._run_in_batches(
            f"MATCH (:{RESOURCE})-[r]->(:{RESOURCE}) WHERE r.run <> $run WITH r LIMIT 10000 DELETE r "
            "RETURN count(*) AS c",
            {"run": run},
        )
        report.removed_nodes = self._run_in_batches(
            f"MATCH (n:{RESOURCE}) WHERE coalesce(n.run, '') <> $run WITH n LIMIT 10000 DETACH DELETE n "
            "RETURN count(*) AS c",
            {"run": run},
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
                subject = _term_of(record["iri"])
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
                yield _term_of(record["s"]), relations[record["t"]], _term_of(record["o"])

    def run_cypher_readonly(self, query: str, parameters: dict | None = None) -> CypherResult:
        """Run a Cypher query that only reads, with three guards and two bounds.

        Guards: ``LOAD CSV`` and procedures outside :data:`ALLOWED_PROCEDURES` are refused from the text;
        an ``EXPLAIN`` must report query type ``r``; the query runs in a read transaction (read access
        mode, and the reader user where configured). Bounds: a transaction timeout and the row cap.

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
        text = query.strip().rstrip(";").strip()
        if not text:
            raise QueryRejected("the Cypher query is empty")
        if _LOAD_CSV.search(text):
            raise QueryRejected("LOAD CSV is refused: queries may not read files")
        for name in _CALL.findall(text):
            if name.lower() not in {p.lower() for p in ALLOWED_PROCEDURES}:
                raise QueryRejected(
                    f"CALL {name} is refused: only {', '.join(sorted(ALLOWED_PROCEDURES))} may be called"
                )
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
