"""Readable SPARQL feedback: syntax errors a person can act on, and ``SELECT *`` columns in query order.

Oxigraph reports a syntax error as ``error at 1:46: expected one of …``, where the list may run through
dozens of grammar tokens and Unicode ranges; :func:`readable_syntax_error` keeps the position, quotes the
text there and names a few expected tokens. Oxigraph orders ``SELECT *`` columns by name (``o, p, s``);
:func:`star_columns` puts them in the order the query first mentions them (``s, p, o``).
"""

from __future__ import annotations

import re

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_STAR = re.compile(r"\bselect\s+(?:distinct\s+|reduced\s+)?\*", re.I)
_MAX_EXPECTED = 8


def _tokens(expected: str) -> list[str]:
    text = expected.removeprefix("expected one of ").removeprefix("expected ")
    parts = [part.strip() for part in re.split(r",\s*(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", text) if part.strip()]
    return [part for part in parts if not re.search(r"\\u|\\U|'-'|^\[|\\\\", part)]


def readable_syntax_error(message: str, query: str) -> str:
    """Return a syntax error as line, column, the text there and a short list of what could come next.

    Examples
    --------
    >>> readable_syntax_error('error at 1:10: expected CONSTRUCT', "SELEC * WHERE {}")
    'line 1, column 10, near "SELEC * WHERE {}": expected CONSTRUCT'
    """
    found = _POSITION.match(message.strip())
    if not found:
        return message
    line, column, expected = int(found.group(1)), int(found.group(2)), found.group(3)
    lines = query.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    near = text[max(column - 11, 0) : column + 9].strip()
    tokens = _tokens(expected)
    listed = ", ".join(tokens[:_MAX_EXPECTED]) + (", …" if len(tokens) > _MAX_EXPECTED else "")
    where = f"line {line}, column {column}" + (f', near "{near}"' if near else ", at the end")
    return f"{where}: expected {listed}" if listed else f"{where}: the query does not parse there"


def star_columns(query: str, variables: list[str]) -> list[str]:
    """Return ``variables`` in the order the query first names them, for a ``SELECT *`` query.

    Other queries keep the order they state.

    Examples
    --------
    >>> star_columns("SELECT * WHERE { ?s ?p ?o }", ["o", "p", "s"])
    ['s', 'p', 'o']
    """
    if not _STAR.search(query):
        return variables

    def first(name: str) -> int:
        hit = re.search(rf"[?$]{re.escape(name)}\b", query)
        return hit.start() if hit else len(query)

    return sorted(variables, key=first)
