"""Generate ``ontology/terms.py``, the closed namespace class ``PG``, from ``peergraph.ttl``.

Run ``peergraph ontology generate`` after editing the ontology; ``peergraph ontology check`` (and a test)
fails when ``terms.py`` is out of date.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from ontology.namespaces import PG_NS, RDF, RDFS

_KINDS = (
    ("Classes", "http://www.w3.org/2002/07/owl#Class"),
    ("Object properties", "http://www.w3.org/2002/07/owl#ObjectProperty"),
    ("Datatype properties", "http://www.w3.org/2002/07/owl#DatatypeProperty"),
)

_HEADER = '''"""The terms of the peergraph ontology as a closed namespace: ``PG.Country``, ``PG.seeker``…

GENERATED from ontology/peergraph.ttl by ``peergraph ontology generate``. Do not edit.
An unknown attribute raises ``AttributeError``, so a typo cannot mint a term that the ontology lacks.
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace


class PG(DefinedNamespace):
    """Terms of the peergraph ontology."""

    _fail = True
    _NS = Namespace("{namespace}")
'''


def generate_terms_source(ontology: Path) -> str:
    """Return the Python source of ``terms.py`` for the ontology file.

    Parameters
    ----------
    ontology : pathlib.Path
        The Turtle file of the ontology.

    Returns
    -------
    str
        The module source, deterministic for a given ontology.
    """
    graph = Graph().parse(ontology, format="turtle")
    lines = [_HEADER.format(namespace=PG_NS)]
    for heading, kind in _KINDS:
        terms = sorted(
            str(term)[len(str(PG_NS)) :]
            for term in graph.subjects(RDF.type, URIRef(kind))
            if str(term).startswith(str(PG_NS))
        )
        lines.append(f"\n    # {heading}\n")
        for name in terms:
            labels = {lit.language: str(lit) for lit in graph.objects(PG_NS[name], RDFS.label)}
            label = labels.get("en") or next(iter(labels.values()), "")
            lines.append(f"    {name}: URIRef  # {label}\n")
    return "".join(lines)


def write_terms(ontology: Path, target: Path) -> bool:
    """Write ``terms.py`` if its content changed.

    Parameters
    ----------
    ontology : pathlib.Path
        The ontology Turtle file.
    target : pathlib.Path
        Where ``terms.py`` lives.

    Returns
    -------
    bool
        True if the file was written (it differed), False if it was up to date.
    """
    source = generate_terms_source(ontology)
    if target.exists() and target.read_text(encoding="utf-8") == source:
        return False
    target.write_text(source, encoding="utf-8")
    return True
