"""Conversions between rdflib terms (what the rest of peergraph speaks) and pyoxigraph terms (the store's)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

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
        The same term.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
