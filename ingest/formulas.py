"""Spreadsheet formula neutralisation for CSV meant for spreadsheets (the OWASP CSV-injection rule), reversibly.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
spreadsheet programs (``=HYPERLINK(…)``). Exports prefix such cells with ``'``, which spreadsheets show as
text. To keep exports re-ingestible unchanged, a cell that already starts with apostrophes before such a
character gets one more, and the CSV reader removes exactly one (:func:`restore`).
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise(value: str) -> str:
    """Return a cell value safe to open in a spreadsheet.

    Parameters
    ----------
    value : str
        The cell's text.

    Returns
    -------
    str
        ``value``, prefixed with ``'`` if a spreadsheet would read it as a formula (or it looks escaped).

    Examples
    --------
    >>> neutralise("=1+2"), neutralise("-1"), neutralise("@SUM(A1)"), neutralise("plain"), neutralise("'=x")
    ("'=1+2", "'-1", "'@SUM(A1)", 'plain', "''=x")
    """
    if value.startswith(TRIGGERS) or _ESCAPED.match(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo :func:`neutralise` for a cell read from CSV (ingest), so exports round-trip exactly.

    Parameters
    ----------
    value : str
        The cell's text as read.

    Returns
    -------
    str
        ``value`` without the one apostrophe :func:`neutralise` adds.

    Examples
    --------
    >>> restore("'=x"), restore("''=x"), restore("'quoted'")
    ('=x', "'=x", "'quoted'")
    """
    return value[1:] if _ESCAPED.match(value) else value
