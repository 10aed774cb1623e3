"""Serialisation of SPARQL results in the standard formats, shared by the CLI and the HTTP endpoint.

SELECT/ASK: SPARQL 1.1 Query Results JSON, XML, CSV and TSV (exact writers in :mod:`graph.result_formats`).
CONSTRUCT/DESCRIBE: Turtle, N-Triples, JSON-LD, RDF/XML (via rdflib, with peergraph's prefixes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from graph.result_formats import WRITERS
from ingest.types import Triple
from ontology.namespaces import PREFIXES, bind_prefixes


@dataclass
class SparqlResult:
    """The answer to a SPARQL query, bounded by the row cap.

    Attributes
    ----------
    kind : str
        ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT/DESCRIBE).
    variables : list of str
        Projected variables (select).
    rows : list of dict
        Variable name to rdflib term (unbound variables are absent).
    boolean : bool or None
        The ASK answer.
    triples : list of Triple
        CONSTRUCT/DESCRIBE triples.
    truncated : bool
        Whether rows or triples were cut at the row cap.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False


#: Media type to format name, for SELECT/ASK results.
SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media type to rdflib format, for CONSTRUCT/DESCRIBE results.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@dataclass(frozen=True)
class Serialised:
    """An answer already written in the format asked for.

    Attributes
    ----------
    kind : str
        ``"select"``, ``"ask"`` or ``"graph"`` (which of the two formats was used).
    body : bytes or None
        The serialised answer, UTF-8; None if no format was given for this kind of result.
    truncated : bool
        Whether rows or triples were cut at the row cap.
    from_cache : bool
        Whether the answer was kept from an earlier run of the same query on the same snapshot
        (:mod:`graph.rdf.answer_cache`) rather than evaluated now.
    """

    kind: str
    body: bytes | None
    truncated: bool
    from_cache: bool = False


def serialised(result: SparqlResult, formats: tuple[str | None, str | None]) -> Serialised:
    """Write a result in the format for its kind.

    Parameters
    ----------
    result : SparqlResult
        The result.
    formats : (str or None, str or None)
        The format for solutions (a value of :data:`SOLUTION_TYPES`) and for graphs (of :data:`GRAPH_TYPES`);
        None where the caller accepts none.

    Returns
    -------
    Serialised
        The bytes, or no body when the result's kind has no format (the caller refuses it).
    """
    solutions_format, graph_format = formats
    chosen = graph_format if result.kind == "graph" else solutions_format
    if chosen is None:
        return Serialised(result.kind, None, result.truncated)
    text = serialize_graph(result, chosen) if result.kind == "graph" else serialize_solutions(result, chosen)
    return Serialised(result.kind, text.encode("utf-8"), result.truncated)


def serialize_solutions(result: SparqlResult, fmt: str) -> str:
    """Serialise a SELECT/ASK result as ``json``, ``xml``, ``csv`` or ``tsv``.

    Parameters
    ----------
    result : SparqlResult
        The result.
    fmt : str
        A value of :data:`SOLUTION_TYPES`.

    Returns
    -------
    str
        The serialised result.

    Raises
    ------
    ResultNotRepresentable
        For XML, when a value holds a character XML 1.0 cannot carry.
    """
    if result.kind == "ask":
        return WRITERS[fmt]([], None, bool(result.boolean))
    return WRITERS[fmt](result.variables, result.rows)


def serialize_graph(result: SparqlResult, fmt: str) -> str:
    """Serialise a CONSTRUCT/DESCRIBE result with rdflib (``turtle``, ``nt`` or ``json-ld``).

    Parameters
    ----------
    result : SparqlResult
        A ``graph`` result.
    fmt : str
        A value of :data:`GRAPH_TYPES`.

    Returns
    -------
    str
        The serialised graph.
    """
    graph = bind_prefixes(Graph())
    for triple in result.triples:
        graph.add(triple)
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    return graph.serialize(format=fmt)


def to_table(result: SparqlResult) -> tuple[list[str], list[dict[str, str]]]:
    """Return any result as columns and rows of plain strings (for HTML tables).

    SELECT gives its variables; ASK one ``answer`` column; CONSTRUCT/DESCRIBE ``subject``, ``predicate``,
    ``object``.

    Parameters
    ----------
    result : SparqlResult
        A query result.

    Returns
    -------
    tuple
        ``(columns, rows)``.
    """
    if result.kind == "ask":
        return ["answer"], [{"answer": "true" if result.boolean else "false"}]
    if result.kind == "graph":
        columns = ["subject", "predicate", "object"]
        return columns, [dict(zip(columns, (str(s), str(p), str(o)), strict=True)) for s, p, o in result.triples]
    return result.variables, [{k: str(v) for k, v in row.items()} for row in result.rows]
