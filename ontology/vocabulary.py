"""Access to the ontology files shipped in this package: paths, parsed graphs and concept ids.

Nothing is read at import time; each function reads the package's own ``.ttl`` files when called and
caches the result.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Graph

from ontology.ids import CONCEPT_SCHEMES, IriError, parse_iri
from ontology.namespaces import RDF, SKOS, bind_prefixes


def package_dir() -> Path:
    """Return the folder of the ``ontology`` package.

    Returns
    -------
    pathlib.Path
        The folder holding ``peergraph.ttl`` and ``vocab/``.
    """
    return Path(str(resources.files("ontology")))


def ontology_path() -> Path:
    """Return the path of ``peergraph.ttl``, the OWL ontology.

    Returns
    -------
    pathlib.Path
        The ontology file.
    """
    return package_dir() / "peergraph.ttl"


def shapes_path() -> Path:
    """Return the path of ``shapes.ttl``, the SHACL shapes for ingester output.

    Returns
    -------
    pathlib.Path
        The shapes file.
    """
    return package_dir() / "shapes.ttl"


def vocabulary_paths() -> list[Path]:
    """Return the SKOS concept scheme files, one per scheme, sorted by name.

    Returns
    -------
    list of pathlib.Path
        The ``ontology/vocab/*.ttl`` files.
    """
    return sorted((package_dir() / "vocab").glob("*.ttl"))


@cache
def _parsed(path: Path) -> Graph:
    return bind_prefixes(Graph()).parse(path, format="turtle")


def load_graph(path: Path) -> Graph:
    """Return the parsed graph of one of this package's Turtle files (cached; do not modify it).

    Parameters
    ----------
    path : pathlib.Path
        A path returned by :func:`ontology_path`, :func:`shapes_path` or :func:`vocabulary_paths`.

    Returns
    -------
    rdflib.Graph
        The parsed graph.
    """
    return _parsed(path)


def vocabulary_graph() -> Graph:
    """Return one graph holding every concept scheme.

    Returns
    -------
    rdflib.Graph
        A new graph with the triples of all ``vocab/*.ttl`` files.
    """
    graph = bind_prefixes(Graph())
    for path in vocabulary_paths():
        graph += load_graph(path)
    return graph


@cache
def concept_ids() -> dict[str, frozenset[str]]:
    """Return the ids of the concepts of each scheme, keyed by scheme name.

    Returns
    -------
    dict of str to frozenset of str
        For example ``{"challenge": {"copyright", …}, "method": {…}, …}``.

    Examples
    --------
    >>> "copyright" in concept_ids()["challenge"]
    True
    """
    found: dict[str, set[str]] = {scheme: set() for scheme in CONCEPT_SCHEMES}
    for path in vocabulary_paths():
        for concept in load_graph(path).subjects(RDF.type, SKOS.Concept):
            try:
                scheme, key = parse_iri(str(concept))
            except IriError:
                continue
            found[scheme].add(key)
    return {scheme: frozenset(keys) for scheme, keys in found.items()}
