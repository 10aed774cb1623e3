"""Oxigraph's lazy query results, cut at the row cap: read into a :class:`~graph.results.SparqlResult`, or written.

Writing SELECT results as JSON or TSV uses Oxigraph's own writers, which give the same bytes as peergraph's
(:mod:`graph.result_formats`; the tests compare them) without building a Python object per term. The row cap
is kept on the TSV stream, where every row is one line (line breaks inside terms are escaped): the writer is
stopped once the line after the last allowed row arrives. JSON is that TSV read back and written by Oxigraph,
which keeps every term as it was.
"""

from __future__ import annotations

import contextlib
import io

import pyoxigraph as ox

from graph.rdf.oxigraph_terms import to_rdflib
from graph.results import Serialised, SparqlResult, serialised
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


_NATIVE = {"json": ox.QueryResultsFormat.JSON, "tsv": ox.QueryResultsFormat.TSV}


class _CapReached(Exception):
    """Raised from a write to stop Oxigraph's writer once the row cap is passed."""


class _CappedLines(io.RawIOBase):
    """A binary sink that keeps what it is given and stops the writer past ``max_lines`` lines."""

    def __init__(self, max_lines: int):
        super().__init__()
        self.max_lines = max_lines
        self.lines = 0
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # noqa: ANN001 (a bytes-like object)
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            raise _CapReached
        return len(chunk)

    def text(self) -> bytes:
        """Everything written, cut after the last whole allowed line."""
        whole = b"".join(self.chunks)
        if self.lines <= self.max_lines:
            return whole
        end = -1
        for _ in range(self.max_lines):
            end = whole.index(b"\n", end + 1)
        return whole[: end + 1]


def _capped_tsv(result: ox.QuerySolutions, columns: list[str], max_rows: int) -> tuple[bytes, bool]:
    """Write solutions as TSV, at most ``max_rows`` rows, their columns in the order ``columns``."""
    sink = _CappedLines(max_rows + 1)  # the header line, then one line per row
    with contextlib.suppress(_CapReached):
        result.serialize(sink, format=ox.QueryResultsFormat.TSV)
    text = sink.text()
    written = [variable.value for variable in result.variables]
    if columns != written:  # SELECT * : Oxigraph writes the columns by name, peergraph in query order
        where = [written.index(name) for name in columns]
        lines = [line.split(b"\t") for line in text.split(b"\n")[:-1]]
        text = b"".join(b"\t".join(fields[i] for i in where) + b"\n" for fields in lines)
    return text, sink.lines > sink.max_lines


def serialised_answer(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    sparql: str,
    formats: tuple[str | None, str | None],
    max_rows: int,
) -> Serialised:
    """Write an Oxigraph result in the format for its kind, at most ``max_rows`` rows or triples.

    As :func:`sparql_result`, call this where the query may run. SELECT results as JSON or TSV are written by
    Oxigraph; everything else goes through :func:`sparql_result` and :func:`graph.results.serialised`.
    """
    solutions_format, graph_format = formats
    if not isinstance(result, ox.QuerySolutions) or solutions_format not in _NATIVE:
        kind = "graph" if isinstance(result, ox.QueryTriples) else "select"
        if (graph_format if kind == "graph" else solutions_format) is None:  # refused by the caller: not read
            return Serialised("ask" if isinstance(result, ox.QueryBoolean) else kind, None, False)
        return serialised(sparql_result(result, sparql, max_rows), formats)
    columns = star_columns(sparql, [variable.value for variable in result.variables])
    tsv, truncated = _capped_tsv(result, columns, max_rows)
    if solutions_format == "tsv":
        return Serialised("select", tsv, truncated)
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return Serialised("select", solutions.serialize(format=_NATIVE[solutions_format]), truncated)
