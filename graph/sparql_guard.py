"""Parse a user's SPARQL query before the store sees it; refuse updates and ``SERVICE`` on the parse tree.

A text check is no guard (``SERVICE#x⏎<…>``, ``SERVICE?e`` and prefixed names pass it), so the query is
parsed with rdflib's SPARQL 1.1 grammar and every node of the tree is visited: a ``SERVICE`` anywhere
(subqueries, ``OPTIONAL``, ``UNION``, ``MINUS``, ``EXISTS``, ``SILENT`` or not) is refused. A query rdflib
cannot parse is refused too, even if the store could run it. Both stores check every query here; the embedded
one then runs it in a thread that cannot open network sockets (:mod:`graph.rdf.sandbox`), the remote one sends
only checked queries to its server.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib import URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import QueryRejected
from ontology.namespaces import PREFIXES, sparql_prologue

SERVICE_REFUSED = "SERVICE (federated queries) is refused: peergraph answers from its own store only"


@dataclass(frozen=True)
class CheckedQuery:
    """A query that parsed and holds no ``SERVICE``, with the graphs its ``FROM`` clauses name.

    Attributes
    ----------
    text : str
        The query as sent.
    dataset : (list of str, list of str) or None
        ``FROM`` and ``FROM NAMED`` IRIs, or None if the query has neither.
    """

    text: str
    dataset: tuple[list[str], list[str]] | None


def _nodes(node: object) -> Iterator[object]:
    """Yield ``node`` and everything below it in an rdflib parse tree."""
    yield node
    if isinstance(node, CompValue | dict):
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _nodes(value)


def _is_update(query: str) -> bool:
    try:
        parseUpdate(sparql_prologue() + query)
    except (ParseException, ValueError, TypeError):
        return False
    return True


def check_query(query: str) -> CheckedQuery:
    """Parse a read query and refuse what peergraph does not run.

    Parameters
    ----------
    query : str
        SPARQL 1.1 query text; peergraph's prefixes are predeclared.

    Returns
    -------
    CheckedQuery
        The query and its ``FROM`` dataset.

    Raises
    ------
    QueryRejected
        If the query is empty, an update, contains ``SERVICE`` anywhere, or does not parse (with the
        parser's line and column).
    """
    if not query.strip():
        raise QueryRejected("the query is empty")
    try:
        parsed = parseQuery(sparql_prologue() + query)
    except ParseException as error:
        if _is_update(query):
            raise QueryRejected("updates are refused: this endpoint is read-only") from None
        line = error.lineno - sparql_prologue().count("\n")
        raise QueryRejected(f"malformed SPARQL at line {line}, column {error.col}: {error.msg}") from None
    except (ValueError, TypeError) as error:  # rdflib raises these for some bad terms (e.g. unknown prefixes)
        raise QueryRejected(f"malformed SPARQL: {error}") from None
    if any(isinstance(node, CompValue) and node.name == "ServiceGraphPattern" for node in _nodes(parsed)):
        raise QueryRejected(SERVICE_REFUSED)
    default: list[str] = []
    named: list[str] = []
    # CompValue.get(key, default) takes no default (its second argument is `variables`): test membership
    for clause in parsed[1]["datasetClause"] if "datasetClause" in parsed[1] else []:  # noqa: SIM401
        key = "default" if "default" in clause else "named"
        term = clause[key]
        iri = str(term) if isinstance(term, URIRef) else str(PREFIXES.get(term["prefix"], "")) + term["localname"]
        (default if key == "default" else named).append(iri)
    return CheckedQuery(query, (default, named) if default or named else None)
