"""Refuse federated SPARQL (``SERVICE``) before a query reaches the engine, whatever its spelling.

Oxigraph runs ``SERVICE`` with its own HTTP client and has no switch to turn that off, so a query that
names a service would make the server send a request to any address. A text search for the word is no
guard: comments, line breaks, codepoint escapes and ``SERVICE?var`` all pass it. :func:`refuse_service`
reads the query as the SPARQL grammar does: it applies the codepoint escapes first (SPARQL 1.1 §19.2),
then skips comments, string literals and IRIs token by token, and refuses the keyword wherever it stands
as a keyword; as a second check it walks rdflib's parse tree for a service pattern.
"""

from __future__ import annotations

import re

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery

from graph.errors import QueryRejected

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Comments, long and short strings, IRIs: the places where the word SERVICE is not a keyword.
_SKIPPED = re.compile(
    r"#[^\n\r]*"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|<[^<>\"{}|^`\\\s]*>",
    re.DOTALL,
)
# The keyword, not part of a prefixed name (ex:SERVICE, SERVICE:x), a variable or a longer word.
_KEYWORD = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:.-])", re.IGNORECASE)
REFUSAL = "SERVICE (federated queries) is refused: peergraph answers from its own store only"


def _unescape(query: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


def _has_service_pattern(node: object) -> bool:
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service_pattern(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_has_service_pattern(value) for value in node)
    return False


def refuse_service(query: str, prologue: str = "") -> None:
    r"""Raise :class:`QueryRejected` if ``query`` calls a ``SERVICE``, however it is written.

    Parameters
    ----------
    query : str
        The SPARQL query as received.
    prologue : str
        Prefix declarations the endpoint adds before parsing (so prefixed names resolve).

    Raises
    ------
    QueryRejected
        Naming the refusal.

    Examples
    --------
    >>> refuse_service("SELECT * WHERE { SERVICE#x\n<http://127.0.0.1:9/a> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRejected: SERVICE (federated queries) is refused: peergraph answers from its own store only
    >>> refuse_service('SELECT * WHERE { ?s <http://x/SERVICE> "SERVICE" } # SERVICE')
    """
    code = _SKIPPED.sub(" ", _unescape(query))
    if _KEYWORD.search(code):
        raise QueryRejected(REFUSAL)
    try:
        parsed = parseQuery(prologue + query)
    except ParseException:
        return  # the store reports the syntax error with its own message
    if _has_service_pattern(parsed):
        raise QueryRejected(REFUSAL)
