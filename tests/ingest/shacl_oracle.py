"""pyshacl as the test oracle of the compiled shape checker: the problems it reports, worded as peergraph words them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pyshacl import validate
from rdflib import Graph, Namespace

from ingest.shacl import ontology_triples
from ingest.types import Location, Problem, Triple
from ontology.namespaces import RDF, bind_prefixes
from ontology.vocabulary import load_graph, shapes_path

SH = Namespace("http://www.w3.org/ns/shacl#")


def pyshacl_problems(triples: Iterable[Triple], locations: Mapping[object, Location] | None = None) -> list[Problem]:
    """Validate with pyshacl exactly as peergraph did before the shapes were compiled."""
    data = bind_prefixes(Graph())
    for triple in triples:
        data.add(triple)
    for triple in ontology_triples():
        data.add(triple)
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
