"""SHACL check of produced triples against ``ontology/shapes.ttl``, with plain-language problems.

pyshacl is pure Python (about 8,000 triples/s here, see ``benchmarks/results.md``): it checks the bundled
data (~7k triples) in about a second but would take minutes on millions of triples, so
``graph.settings.Settings.shacl_max_triples`` bounds when it runs. Record inputs are fully checked field by
field by :mod:`ingest.validate` before this; the shapes matter most for RDF inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from pyshacl import validate
from rdflib import Graph, Namespace

from ingest.reference import reference_triples
from ingest.types import Location, Problem, Triple
from ontology.namespaces import RDF, bind_prefixes
from ontology.vocabulary import load_graph, ontology_path, shapes_path, vocabulary_graph

SH = Namespace("http://www.w3.org/ns/shacl#")


@cache
def _ontology_graph() -> Graph:
    graph = vocabulary_graph()
    graph += load_graph(ontology_path())
    for triple in reference_triples():
        graph.add(triple)
    return graph


def check_shapes(triples: Iterable[Triple], locations: Mapping[object, Location] | None = None) -> list[Problem]:
    """Validate triples against the shapes and return one problem per violation.

    Parameters
    ----------
    triples : iterable of Triple
        The triples to check.
    locations : mapping, optional
        Subject IRI to the row it came from, to place each problem; otherwise the focus node is named.

    Returns
    -------
    list of Problem
        Empty when the triples conform.
    """
    data = bind_prefixes(Graph())
    for triple in triples:
        data.add(triple)
    data += _ontology_graph()  # concept and country types, and the class hierarchy, for sh:class
    conforms, report, _ = validate(data, shacl_graph=load_graph(shapes_path()), inference="none", allow_warnings=True)
    if conforms:
        return []
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "does not conform")
        where = (locations or {}).get(focus, Location(str(focus)))
        column = data.namespace_manager.normalizeUri(path) if path is not None else ""
        problems.append(Problem(Location(where.file, where.row, column or where.column), f"shape violation: {message}"))
    return sorted(problems)
