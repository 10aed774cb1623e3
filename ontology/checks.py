"""Self-checks of the ontology package, used by ``peergraph ontology check`` and the tests."""

from __future__ import annotations

from rdflib import URIRef

from ontology.codegen import generate_terms_source
from ontology.namespaces import PG_NS, RDF, RDFS, SKOS
from ontology.vocabulary import load_graph, ontology_path, package_dir, shapes_path, vocabulary_paths

_OWL = "http://www.w3.org/2002/07/owl#"


def ontology_problems() -> list[str]:
    """Return every problem found: stale ``terms.py``, terms without label or comment, unparsable files.

    Returns
    -------
    list of str
        Empty when the ontology is in order.
    """
    problems = []
    if (package_dir() / "terms.py").read_text(encoding="utf-8") != generate_terms_source(ontology_path()):
        problems.append("ontology/terms.py is out of date: run `peergraph ontology generate`")
    graph = load_graph(ontology_path())
    kinds = [URIRef(_OWL + kind) for kind in ("Class", "ObjectProperty", "DatatypeProperty")]
    terms = {s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(PG_NS))}
    for term in sorted(terms):
        labels = {label.language for label in graph.objects(term, RDFS.label)}
        if "en" not in labels:
            problems.append(f"{term} has no English rdfs:label")
        if graph.value(term, RDFS.comment) is None:
            problems.append(f"{term} has no rdfs:comment")
    for path in vocabulary_paths():
        vocab = load_graph(path)
        for concept in vocab.subjects(RDF.type, SKOS.Concept):
            if not any(label.language == "en" for label in vocab.objects(concept, SKOS.prefLabel)):
                problems.append(f"{path.name}: {concept} has no English skos:prefLabel")
            if vocab.value(concept, RDFS.comment) is None:
                problems.append(f"{path.name}: {concept} has no rdfs:comment")
    load_graph(shapes_path())
    return problems
