"""Terms across the wire: SPARQL JSON results to rdflib terms, and rdflib terms to N-Triples text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.results import SparqlResult
from ingest.types import Triple
from ontology.namespaces import XSD

_XSD_STRING = str(XSD.string)
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def from_json(term: Mapping[str, str]) -> Node:
    """Return the rdflib term of one SPARQL 1.1 JSON results binding.

    >>> from_json({"type": "literal", "value": "Kenya", "xml:lang": "en"})
    rdflib.term.Literal('Kenya', lang='en')
    """
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in term:
        return Literal(value, lang=term["xml:lang"])
    datatype = term.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype and datatype != _XSD_STRING else None)


def ntriples_term(term: Node) -> str:
    r"""Return a term in N-Triples syntax (rdflib's ``n3()`` writes long literals in Turtle's triple quotes).

    >>> ntriples_term(Literal("two\nlines"))
    '"two\\nlines"'
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = f'"{str(term).translate(_ESCAPES)}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != _XSD_STRING:
        return f"{text}^^<{term.datatype}>"
    return text


def ntriples(triples: Iterable[Triple]) -> bytes:
    """Return triples as an N-Triples document."""
    return "".join(f"{ntriples_term(s)} {ntriples_term(p)} {ntriples_term(o)} .\n" for s, p, o in triples).encode()


def select_result(document: Mapping, max_rows: int, variables: list[str] | None = None) -> SparqlResult:
    """Return a SPARQL JSON results document (SELECT or ASK) as a :class:`SparqlResult`, cut at ``max_rows``."""
    if "boolean" in document:
        return SparqlResult("ask", boolean=bool(document["boolean"]))
    names = variables or list(document["head"].get("vars", []))
    bindings = document["results"]["bindings"]
    rows: list[dict[str, object]] = [
        {name: from_json(row[name]) for name in names if name in row} for row in bindings[:max_rows]
    ]
    return SparqlResult("select", names, rows, truncated=len(bindings) > max_rows)


def graph_result(body: bytes, max_rows: int) -> SparqlResult:
    """Return the N-Triples answer of a CONSTRUCT or DESCRIBE query as a :class:`SparqlResult`."""
    triples: list[Triple] = list(Graph().parse(data=body, format="nt"))
    return SparqlResult("graph", triples=triples[:max_rows], truncated=len(triples) > max_rows)
