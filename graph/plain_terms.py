"""Terms as plain values, for reading millions of triples (the Neo4j sync) without building rdflib terms.

A resource is a string: its IRI, or ``_:label`` for a blank node. A literal is a :class:`LiteralValue`.
Building rdflib terms for millions of triples was most of the sync's reading time, so bulk readers pass
these instead and convert only where rdflib is needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ontology.namespaces import RDF, XSD

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


class LiteralValue(NamedTuple):
    """A literal's text with its language tag, or its datatype IRI (None for plain strings)."""

    value: str
    language: str | None = None
    datatype: str | None = None


#: A resource (IRI or ``_:label``) or a literal.
PlainTerm = str | LiteralValue
#: One subject with its (predicate IRI, object) pairs.
PlainGroup = tuple[str, list[tuple[str, PlainTerm]]]


def resource_key(term: Node) -> str:
    """Return the plain key of an rdflib IRI or blank node.

    >>> resource_key(URIRef("https://example.org/a")), resource_key(BNode("b1"))
    ('https://example.org/a', '_:b1')
    """
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def resource_of(key: str) -> URIRef | BNode:
    """Return the rdflib term of a resource key (the inverse of :func:`resource_key`).

    >>> resource_of("_:b1"), resource_of("https://example.org/a")
    (rdflib.term.BNode('b1'), rdflib.term.URIRef('https://example.org/a'))
    """
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)


def plain_of(term: Node) -> PlainTerm:
    """Return the plain value of an rdflib term.

    >>> plain_of(Literal("Kenya", lang="en"))
    LiteralValue(value='Kenya', language='en', datatype=None)
    """
    if isinstance(term, Literal):
        datatype = None if term.language or term.datatype is None else str(term.datatype)
        return LiteralValue(str(term), term.language, None if datatype == _XSD_STRING else datatype)
    return resource_key(term)


def rdflib_of(value: PlainTerm) -> Node:
    """Return the rdflib term of a plain value (the inverse of :func:`plain_of`).

    >>> rdflib_of(LiteralValue("2004", None, "http://www.w3.org/2001/XMLSchema#gYear"))
    rdflib.term.Literal('2004', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    """
    if isinstance(value, LiteralValue):
        if value.language:
            return Literal(value.value, lang=value.language)
        plain = value.datatype in (None, _XSD_STRING, _LANG_STRING)
        return Literal(value.value, datatype=None if plain else URIRef(value.datatype))
    return resource_of(value)


def grouped_by_subject(triples: Iterable[tuple[str, str, PlainTerm]]) -> Iterator[PlainGroup]:
    """Join consecutive triples of the same subject into one group (triples read in subject order).

    >>> list(grouped_by_subject([("s", "p", "a"), ("s", "q", "b"), ("t", "p", "c")]))
    [('s', [('p', 'a'), ('q', 'b')]), ('t', [('p', 'c')])]
    """
    current: str | None = None
    pairs: list[tuple[str, PlainTerm]] = []
    for subject, predicate, obj in triples:
        if subject != current:
            if current is not None:
                yield current, pairs
            current, pairs = subject, []
        pairs.append((predicate, obj))
    if current is not None:
        yield current, pairs
