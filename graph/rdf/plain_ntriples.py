r"""Reading the N-Triples that Oxigraph writes into plain values (:mod:`graph.plain_terms`), line by line.

The Neo4j sync reads the store's whole public graph (10 M triples at 1e6 entities) from an Oxigraph dump.
Parsing it with Oxigraph's parser builds three term objects per triple that are then turned into strings,
on the thread that also feeds Neo4j. Oxigraph's own output is regular (one triple per line, single spaces,
IRIs never escaped, literals escaped only with ``\``), so cutting the lines does the same faster
(``benchmarks/results-notes.md``). Anything else is refused with the line, never guessed.

>>> list(plain_triples(['<https://e.org/s> <https://e.org/p> "Kenya"@en .']))
[('https://e.org/s', 'https://e.org/p', LiteralValue(value='Kenya', language='en', datatype=None))]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from graph.plain_terms import LiteralValue, PlainTerm
from ontology.namespaces import XSD

_XSD_STRING = str(XSD.string)
_END = " ."
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf\"'\\]))")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape_match(match: re.Match[str]) -> str:
    short, long, char = match.groups()
    return chr(int(short or long, 16)) if char is None else _ESCAPED[char]


def unescape(text: str) -> str:
    r"""Return the text of an N-Triples string or IRI with its escapes (``\"``, ``\n``, ``\u00E9`` …) decoded.

    >>> unescape(r'say \"hi\"\n\u00E9')
    'say "hi"\né'
    """
    return _ESCAPE.sub(_unescape_match, text) if "\\" in text else text


def _resource(text: str, line: str) -> str:
    if text[:1] == "<" and text[-1:] == ">" and " " not in text:
        return unescape(text[1:-1])
    if text.startswith("_:"):
        return text
    raise ValueError(f"not an N-Triples IRI or blank node: {text!r} in line {line!r}")


def _literal(text: str, line: str) -> LiteralValue:
    close = text.rfind('"')
    value, suffix = unescape(text[1:close]), text[close + 1 :]
    if not suffix:
        return LiteralValue(value)
    if suffix[0] == "@":  # a direction (@ar--rtl) is not kept, as in oxigraph_terms.to_plain
        return LiteralValue(value, suffix[1:].partition("--")[0])
    if suffix.startswith("^^<") and suffix[-1] == ">":
        datatype = unescape(suffix[3:-1])
        return LiteralValue(value, None, None if datatype == _XSD_STRING else datatype)
    raise ValueError(f"not an N-Triples literal: {text!r} in line {line!r}")


def _triple(line: str) -> tuple[str, str, PlainTerm]:
    """Parse any line (the general road, for lines with a blank node, an escape or a literal)."""
    parts = line.split(" ", 2)
    if len(parts) != 3 or len(parts[2]) < 3 or not parts[2].endswith(_END) or parts[1][:1] != "<":
        raise ValueError(f"not an N-Triples line as Oxigraph writes them: {line!r}")
    subject, predicate, rest = parts
    obj = rest[:-2]
    return (
        _resource(subject, line),
        _resource(predicate, line),
        _literal(obj, line) if obj[0] == '"' else _resource(obj, line),
    )


def plain_triples(lines: Iterable[str]) -> Iterator[tuple[str, str, PlainTerm]]:
    r"""Yield (subject, predicate IRI, object) as plain values from N-Triples lines written by Oxigraph.

    Lines of three IRIs without escapes (most of them) are cut by position; the others take
    the general road.

    Parameters
    ----------
    lines : iterable of str
        Lines without their newline, each ``<s> <p> <o> .``.

    Yields
    ------
    tuple
        Subject key (IRI or ``_:label``), predicate IRI, object (key or :class:`LiteralValue`).

    Raises
    ------
    ValueError
        On a line of another shape (a triple term, a comment, a line cut short), naming the line.
    """
    for line in lines:
        if line[:1] == "<" and line[-3:] == "> ." and line.count(" ") == 3 and "\\" not in line:
            subject, predicate, obj = line.split(" ", 2)
            if obj[0] == "<" and predicate[-1] == ">":
                yield subject[1:-1], predicate[1:-1], obj[1:-3]
                continue
        yield _triple(line)
