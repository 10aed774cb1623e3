"""How SHACL problem messages name RDF terms: the same text pyshacl's reports give, without pyshacl.

The compiled checker (:mod:`ingest.shape_checker`) must word its problems exactly as the pyshacl reports
they replace, so a literal reads ``Literal("1999" = 1999-01-01, datatype=xsd:date)``, an IRI by its
prefixed name where a prefix is bound, and a blank node by its own triples (``[ pg:iso3 Literal(…) ]``).
One deliberate difference: pyshacl caches a blank node's description even when it was cut at the depth
limit, so a node on a cycle of blank nodes reads differently depending on where pyshacl met it first;
here a cut description is never cached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from ontology.namespaces import RDF

#: A blank node's (predicate, object) pairs in the data, in the order they were read.
BlankTriples = Mapping[Node, Sequence[tuple[Node, Node]]]

# pyshacl stops describing nested blank nodes at this depth (each level of nesting counts twice).
_MAX_DEPTH = 12
_TOO_DEEP = "<http://recursion.too.deep>"


def iri_text(node: URIRef, names: NamespaceManager) -> str:
    """Return an IRI as a prefixed name when its namespace is bound, else ``<iri>``."""
    try:
        return node.n3(namespace_manager=names)
    except Exception:  # rdflib refuses to write an IRI with spaces or quotes: pyshacl then prints it bare
        return str(node)


def literal_text(node: Literal, names: NamespaceManager) -> str:
    """Return ``Literal("lexical" = value, lang=…, datatype=…)`` as pyshacl writes it."""
    value = None if node.value is None else str(node.value)
    lexical = str(node)
    if value is not None and (cut := value.find(" object at 0x")) > 0:
        value = value[:cut]
    text = f'"{lexical}" = {value}' if value is not None and value != lexical else f'"{lexical}"'
    if node.language:
        text += f", lang={node.language}"
    if node.datatype:
        text += f", datatype={iri_text(node.datatype, names)}"
    return f"Literal({text})"


class TermText:
    """Names terms of one data graph, blank nodes included, caching each blank node's text.

    Parameters
    ----------
    names : NamespaceManager
        The prefixes IRIs are written with.
    blanks : mapping
        Each blank node subject to its (predicate, object) pairs, to describe blank nodes.
    """

    def __init__(self, names: NamespaceManager, blanks: BlankTriples):
        self.names = names
        self.blanks = blanks
        self._cache: dict[str, str] = {}
        self._cuts = 0  # descriptions cut at the depth limit so far; a cut one is not cached

    def __call__(self, node: Node, depth: int = 0) -> str:
        """Return the text of any term."""
        if isinstance(node, Literal):
            return literal_text(node, self.names)
        if isinstance(node, BNode):
            return self._blank(node, depth + 1)
        if isinstance(node, URIRef):
            return iri_text(node, self.names)
        return str(node)

    def _blank(self, node: BNode, depth: int) -> str:
        if depth >= _MAX_DEPTH:
            self._cuts += 1
            return _TOO_DEEP
        if (cached := self._cache.get(str(node))) is not None:
            return cached
        pairs = self.blanks.get(node, ())
        if not pairs:
            return "[ ]"
        if any(p == RDF.first for p, _ in pairs):
            items = " ".join(self(item, depth + 1) for item in self._items(node))
            return f"( {items} )"
        cuts = self._cuts
        by_predicate: dict[Node, list[Node]] = {}
        for p, o in pairs:
            by_predicate.setdefault(p, []).append(o)
        texts: dict[str, str] = {}
        for p, objects in by_predicate.items():
            p_text = p.n3(namespace_manager=self.names) if isinstance(p, (URIRef, BNode, Literal)) else str(p)
            o_texts = sorted(self(o, depth + 1) for o in dict.fromkeys(objects))
            texts[p_text] = ", ".join(o_texts)
        text = "[ " + " ; ".join(f"{p} {o}" for p, o in sorted(texts.items())) + " ]"
        if self._cuts == cuts:  # so a blank node on a cycle reads the same wherever it is named
            self._cache[str(node)] = text
        return text

    def _items(self, head: Node) -> list[Node]:
        """Return the members of an RDF list, as ``Graph.items`` walks it."""
        items: list[Node] = []
        seen = {head}
        node: Node | None = head
        while node:
            first = self._value(node, RDF.first)
            if first is not None:
                items.append(first)
            node = self._value(node, RDF.rest)
            if node in seen:
                raise ValueError("List contains a recursive rdf:rest reference")
            seen.add(node)
        return items

    def _value(self, node: Node, predicate: Node) -> Node | None:
        return next((o for p, o in self.blanks.get(node, ()) if p == predicate), None)
