"""Serialisation of SPARQL results in the standard formats, shared by the CLI and the HTTP endpoint.

SELECT/ASK: SPARQL 1.1 Query Results JSON, XML, CSV and TSV. CONSTRUCT/DESCRIBE: Turtle, N-Triples,
JSON-LD (via rdflib, with peergraph's prefixes).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef

from ingest.types import Triple
from ontology.namespaces import PREFIXES, XSD, bind_prefixes


@dataclass
class SparqlResult:
    """The answer to a SPARQL query, bounded by the row cap.

    Attributes
    ----------
    kind : str
        ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT/DESCRIBE).
    variables : list of str
        Projected variables (select).
    rows : list of dict
        Variable name to rdflib term (unbound variables are absent).
    boolean : bool or None
        The ASK answer.
    triples : list of Triple
        CONSTRUCT/DESCRIBE triples.
    truncated : bool
        Whether rows or triples were cut at the row cap.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False


#: Media type to format name, for SELECT/ASK results.
SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media type to rdflib format, for CONSTRUCT/DESCRIBE results.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


_XSD_STRING_IRI = str(XSD.string)


def _json_term(term: object) -> dict[str, str]:
    kind = type(term)
    if kind is URIRef:
        return {"type": "uri", "value": str(term)}
    if kind is BNode:
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != _XSD_STRING_IRI:
        value["datatype"] = str(term.datatype)
    return value


def to_sparql_json(result: SparqlResult) -> dict:
    """Return the SPARQL 1.1 Query Results JSON object of a SELECT or ASK result.

    Parameters
    ----------
    result : SparqlResult
        A ``select`` or ``ask`` result.

    Returns
    -------
    dict
        ``{"head": …, "results": …}`` or ``{"head": {}, "boolean": …}``.
    """
    if result.kind == "ask":
        return {"head": {}, "boolean": bool(result.boolean)}
    return {
        "head": {"vars": result.variables},
        "results": {"bindings": [{name: _json_term(term) for name, term in row.items()} for row in result.rows]},
    }


def to_sparql_xml(result: SparqlResult) -> str:
    """Return the SPARQL Query Results XML document of a SELECT or ASK result.

    Parameters
    ----------
    result : SparqlResult
        A ``select`` or ``ask`` result.

    Returns
    -------
    str
        The XML document.
    """
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out.append(f"<head/><boolean>{'true' if result.boolean else 'false'}</boolean></sparql>")
        return "".join(out)
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head><results>")
    for row in result.rows:
        out.append("<result>")
        for name, term in row.items():
            if isinstance(term, URIRef):
                inner = f"<uri>{escape(str(term))}</uri>"
            elif isinstance(term, BNode):
                inner = f"<bnode>{escape(str(term))}</bnode>"
            else:
                assert isinstance(term, Literal)
                attribute = (
                    f" xml:lang={quoteattr(term.language)}"
                    if term.language
                    else f" datatype={quoteattr(str(term.datatype))}"
                    if term.datatype is not None and term.datatype != XSD.string
                    else ""
                )
                inner = f"<literal{attribute}>{escape(str(term))}</literal>"
            out.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out)


def to_delimited(result: SparqlResult, delimiter: str = ",") -> str:
    r"""Return a SELECT result as SPARQL CSV (plain values) or TSV (terms in Turtle syntax).

    Parameters
    ----------
    result : SparqlResult
        A ``select`` result (an ASK result gives one ``boolean`` column).
    delimiter : str
        ``","`` for CSV, ``"\\t"`` for TSV.

    Returns
    -------
    str
        The table with a header row.
    """
    rows = [{"boolean": Literal(bool(result.boolean))}] if result.kind == "ask" else result.rows
    variables = ["boolean"] if result.kind == "ask" else result.variables
    buffer = io.StringIO()
    if delimiter == "\t":
        buffer.write("\t".join(f"?{name}" for name in variables) + "\n")
        for row in rows:
            buffer.write("\t".join(row[name].n3() if name in row else "" for name in variables) + "\n")
        return buffer.getvalue()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([str(row.get(name, "")) for name in variables])
    return buffer.getvalue()


def serialize_solutions(result: SparqlResult, fmt: str) -> str:
    """Serialise a SELECT/ASK result as ``json``, ``xml``, ``csv`` or ``tsv``.

    Parameters
    ----------
    result : SparqlResult
        The result.
    fmt : str
        A value of :data:`SOLUTION_TYPES`.

    Returns
    -------
    str
        The serialised result.
    """
    if fmt == "json":
        return json.dumps(to_sparql_json(result), ensure_ascii=False)
    if fmt == "xml":
        return to_sparql_xml(result)
    return to_delimited(result, "\t" if fmt == "tsv" else ",")


def serialize_graph(result: SparqlResult, fmt: str) -> str:
    """Serialise a CONSTRUCT/DESCRIBE result with rdflib (``turtle``, ``nt`` or ``json-ld``).

    Parameters
    ----------
    result : SparqlResult
        A ``graph`` result.
    fmt : str
        A value of :data:`GRAPH_TYPES`.

    Returns
    -------
    str
        The serialised graph.
    """
    graph = bind_prefixes(Graph())
    for triple in result.triples:
        graph.add(triple)
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    return graph.serialize(format=fmt)


def to_table(result: SparqlResult) -> tuple[list[str], list[dict[str, str]]]:
    """Return any result as columns and rows of plain strings (for HTML tables).

    SELECT gives its variables; ASK one ``answer`` column; CONSTRUCT/DESCRIBE ``subject``, ``predicate``,
    ``object``.

    Parameters
    ----------
    result : SparqlResult
        A query result.

    Returns
    -------
    tuple
        ``(columns, rows)``.
    """
    if result.kind == "ask":
        return ["answer"], [{"answer": "true" if result.boolean else "false"}]
    if result.kind == "graph":
        columns = ["subject", "predicate", "object"]
        return columns, [dict(zip(columns, (str(s), str(p), str(o)), strict=True)) for s, p, o in result.triples]
    return result.variables, [{k: str(v) for k, v in row.items()} for row in result.rows]
