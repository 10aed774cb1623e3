"""Oxigraph's lazy query results read into peergraph's :class:`~graph.results.SparqlResult`, cut at the row cap."""

from __future__ import annotations

import pyoxigraph as ox

from graph.rdf.oxigraph_terms import to_rdflib
from graph.results import SparqlResult
from graph.sparql_text import star_columns
from ingest.types import Triple


def sparql_result(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, sparql: str, max_rows: int
) -> SparqlResult:
    """Read an Oxigraph result as rdflib terms, at most ``max_rows`` rows or triples (``truncated`` says more existed).

    Oxigraph evaluates lazily: reading the result is where the query runs, so call this where the query may run
    (the socket-less thread of :mod:`graph.rdf.sandbox`).
    """
    if isinstance(result, ox.QueryBoolean):
        return SparqlResult("ask", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        triples: list[Triple] = []
        for triple in result:
            if len(triples) == max_rows:
                return SparqlResult("graph", triples=triples, truncated=True)
            triples.append((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return SparqlResult("graph", triples=triples)
    variables = star_columns(sparql, [variable.value for variable in result.variables])
    rows: list[dict[str, object]] = []
    for solution in result:
        if len(rows) == max_rows:
            return SparqlResult("select", variables, rows, truncated=True)
        rows.append({name: to_rdflib(solution[name]) for name in variables if solution[name] is not None})
    return SparqlResult("select", variables, rows)
