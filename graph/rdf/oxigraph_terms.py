"""Conversions of pyoxigraph terms (the store's) to and from rdflib terms, and to plain values.

rdflib terms are what the rest of peergraph speaks; plain values (:mod:`graph.plain_terms`) serve bulk reads.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.plain_terms import LiteralValue, PlainTerm
from ontology.namespaces import XSD

_XSD_STRING = str(XSD.string)


def to_ox(term: Node, cache: dict[str, ox.NamedNode] | None = None) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to a pyoxigraph term.

    Parameters
    ----------
    term : rdflib term
        A URIRef, BNode or Literal.
    cache : dict, optional
        Reused NamedNode objects by IRI (predicates and classes repeat a lot).

    Returns
    -------
    pyoxigraph term
        The same term.
    """
    if isinstance(term, URIRef):
        if cache is None:
            return ox.NamedNode(term)
        node = cache.get(term)
        if node is None:
            node = cache[term] = ox.NamedNode(term)
        return node
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=to_ox(term.datatype, cache))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot store {term!r}")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """Convert a pyoxigraph term to an rdflib term.

    Parameters
    ----------
    term : pyoxigraph term
        A NamedNode, BlankNode or Literal.

    Returns
    -------
    rdflib term
        The same term, its lexical form kept as stored (rdflib would rewrite ``"1"^^xsd:boolean`` as
        ``"true"`` and a double ``"1500"`` as ``"1500.0"``).
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype), normalize=False)


def to_plain(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> PlainTerm:
    """Convert a pyoxigraph term to a plain value: an IRI, ``_:label``, or a :class:`LiteralValue`.

    >>> to_plain(ox.Literal("2004", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")))
    LiteralValue(value='2004', language=None, datatype='http://www.w3.org/2001/XMLSchema#gYear')
    """
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if term.language:
        return LiteralValue(term.value, term.language)
    datatype = term.datatype.value
    return LiteralValue(term.value, None, None if datatype == _XSD_STRING else datatype)
