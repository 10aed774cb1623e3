"""Parse a user's SPARQL query before the store sees it; refuse updates and ``SERVICE`` on the parse tree.

A text check is no guard (``SERVICE#x⏎<…>``, ``SERVICE?e`` and prefixed names pass it), so the query is
parsed with rdflib's SPARQL 1.1 grammar and every node of the tree is visited: a ``SERVICE`` anywhere
(subqueries, ``OPTIONAL``, ``UNION``, ``MINUS``, ``EXISTS``, ``SILENT`` or not) is refused. A query rdflib
cannot parse is refused too, even if the store could run it. Both stores check every query here; the embedded
one then runs it in a thread that cannot open network sockets (:mod:`graph.rdf.sandbox`), the remote one sends
only checked queries to its server.

Parsing costs milliseconds (most of it in ``PREFIX`` lines), more than many queries take to run, so the embedded
store first screens the text (:func:`screen_query`): a query that cannot name ``SERVICE`` or ``FROM`` anywhere
(codepoint escapes decoded, compatibility forms and case folded) has nothing for the tree walk to find, and
goes to the engine, whose own parser judges its syntax. Any other query is parsed as above.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib import URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import QueryRejected
from ontology.namespaces import PREFIXES, sparql_prologue

SERVICE_REFUSED = "SERVICE (federated queries) is refused: peergraph answers from its own store only"
UPDATES_REFUSED = "updates are refused: this endpoint is read-only"
# SPARQL decodes \u and \U escapes anywhere in a query before parsing it (SPARQL 1.1 section 19.2).
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Keywords whose presence anywhere in a query's text sends it to the full parse.
_PARSED_KEYWORDS = ("service", "from")


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the check (no update, no ``SERVICE``), with the graphs its ``FROM`` clauses name.

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


def is_update(query: str) -> bool:
    """Tell whether ``query`` parses as a SPARQL 1.1 update (peergraph's prefixes predeclared).

    Parameters
    ----------
    query : str
        Text that did not parse as a query.

    Returns
    -------
    bool
        True for an update, which deserves "read-only" rather than a syntax error.
    """
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
        if is_update(query):
            raise QueryRejected(UPDATES_REFUSED) from None
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


def may_contain_keyword(query: str, *keywords: str) -> bool:
    r"""Tell whether a query's text holds any of ``keywords`` anywhere, in any spelling a parser could read.

    Codepoint escapes are decoded first, then compatibility forms and case are folded (``ſ`` and ``ＳＥＲＶＩＣＥ``
    count), so a False answer holds for any SPARQL parser: the query cannot use those keywords.

    Parameters
    ----------
    query : str
        SPARQL text.
    *keywords : str
        Lower-case SPARQL keywords.

    Returns
    -------
    bool
        True when the text may use one of them (false alarms included: in strings, IRIs, comments).

    Examples
    --------
    >>> may_contain_keyword("SELECT * { ?s ?p ?o }", "service", "from")
    False
    >>> may_contain_keyword("ASK { SERV\\u0049CE <x> {} }", "service")
    True
    """
    try:
        text = _CODEPOINT_ESCAPE.sub(lambda hit: chr(int(hit.group(1) or hit.group(2), 16)), query)
    except (ValueError, OverflowError):  # an escape past U+10FFFF: let the parser say what is wrong
        return True
    folded = unicodedata.normalize("NFKC", text).casefold()
    return any(keyword in folded for keyword in keywords)


def screen_query(query: str) -> CheckedQuery:
    """Check a query as :func:`check_query` does, parsing it only when its text may name SERVICE or FROM.

    For a store whose engine parses the query itself (its syntax errors are reported from there).

    Parameters
    ----------
    query : str
        SPARQL 1.1 query text.

    Returns
    -------
    CheckedQuery
        The query and its ``FROM`` dataset (None when the text names none).

    Raises
    ------
    QueryRejected
        As :func:`check_query`, for the queries it parses; an empty query always.
    """
    if query.strip() and not may_contain_keyword(query, *_PARSED_KEYWORDS):
        return CheckedQuery(query, None)
    return check_query(query)
