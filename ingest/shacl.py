"""SHACL check of produced triples against ``ontology/shapes.ttl``, with plain-language problems.

The shapes are compiled once into plain Python checks (:mod:`ingest.shape_checker`), fast enough to run
on every load at any size; the tests hold their results equal to pyshacl's. Record inputs are also
checked field by field by :mod:`ingest.validate` before this; the shapes matter most for RDF inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from rdflib import Graph

from ingest.reference import reference_triples
from ingest.shape_checker import CompiledShapes, compile_shapes
from ingest.types import Location, Problem, Triple
from ontology.namespaces import bind_prefixes
from ontology.vocabulary import load_graph, ontology_path, shapes_path, vocabulary_graph


@cache
def ontology_triples() -> tuple[Triple, ...]:
    """Return the triples every check sees beside the data: vocabularies, ontology and country reference.

    They give concept and country objects their types, and the class hierarchy, for ``sh:class``.

    Returns
    -------
    tuple of Triple
        Distinct triples (cached; built once per process).
    """
    graph = vocabulary_graph()
    graph += load_graph(ontology_path())
    for triple in reference_triples():
        graph.add(triple)
    return tuple(graph)


@cache
def _data_names() -> Graph:
    return bind_prefixes(Graph())


@cache
def compiled_shapes() -> CompiledShapes:
    """Return ``ontology/shapes.ttl`` compiled (once per process).

    Raises
    ------
    ingest.shape_checker.ShapesUnsupported
        When the shapes use a SHACL feature the compiled checker does not implement.
    """
    return compile_shapes(load_graph(shapes_path()), _data_names().namespace_manager)


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
        Empty when the triples conform, else sorted by place.
    """
    violations = compiled_shapes().check(triples, ontology_triples())
    names = _data_names().namespace_manager
    problems = []
    for violation in violations:
        where = (locations or {}).get(violation.focus, Location(str(violation.focus)))
        column = names.normalizeUri(violation.path) if violation.path is not None else ""
        place = Location(where.file, where.row, column or where.column)
        problems.append(Problem(place, f"shape violation: {violation.message}"))
    return sorted(problems)
