import shutil
import subprocess

import pytest
from rdflib import Graph, Literal, URIRef

from ontology.checks import ontology_problems
from ontology.codegen import generate_terms_source
from ontology.ids import CONCEPT_SCHEMES
from ontology.namespaces import PG_NS, RDF, RDFS, SKOS, XSD
from ontology.terms import PG
from ontology.vocabulary import concept_ids, load_graph, ontology_path, package_dir, vocabulary_paths


def test_every_term_and_concept_is_labelled_and_commented_and_terms_py_is_current():
    assert ontology_problems() == []


def test_terms_py_matches_a_fresh_generation(tmp_path):
    target = tmp_path / "terms.py"
    target.write_text(generate_terms_source(ontology_path()), encoding="utf-8")
    assert target.read_text(encoding="utf-8") == (package_dir() / "terms.py").read_text(encoding="utf-8")


def test_pg_namespace_is_closed():
    assert PG.PeerExchange == URIRef(str(PG_NS) + "PeerExchange")
    with pytest.raises(AttributeError):
        _ = PG.PeerExchnage


def test_the_ontology_defines_the_classes_the_issue_names():
    graph = load_graph(ontology_path())
    classes = {
        str(c)[len(str(PG_NS)) :] for c in graph.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))
    }
    assert {
        "Country",
        "Region",
        "Institution",
        "Expert",
        "Programme",
        "Project",
        "PolicyMeasure",
        "Challenge",
        "PolicyArea",
        "GoodPractice",
        "Outcome",
        "PeerExchange",
        "Phase",
        "Method",
        "Obstacle",
        "SuccessFactor",
        "Source",
    } <= classes


def test_each_concept_scheme_has_concepts_and_challenges_are_hierarchical():
    ids = concept_ids()
    assert all(ids[scheme] for scheme in CONCEPT_SCHEMES)
    assert len(ids["phase"]) == 3
    assert len(ids["monitoring"]) == 15  # 4 goals and 11 areas, as in monitoring_framework.csv
    vocab = Graph()
    for path in vocabulary_paths():
        vocab += load_graph(path)
    copyright_ = URIRef("https://w3id.org/peergraph/vocab/challenge/copyright")
    assert (copyright_, SKOS.broader, URIRef("https://w3id.org/peergraph/vocab/challenge/rights")) in vocab
    assert Literal("Droit d'auteur et gestion collective", lang="fr") in set(vocab.objects(copyright_, SKOS.prefLabel))
    # every challenge is mapped to at least one area of monitoring
    challenges = set(vocab.subjects(RDF.type, PG.Challenge))
    assert challenges and all(vocab.value(c, PG.monitoringArea) is not None for c in challenges)


def _owl_consistent(extra_ntriples: str, tmp_path) -> bool:
    owlready2 = pytest.importorskip("owlready2")
    graph = Graph()
    graph += load_graph(ontology_path())
    # xsd:gYear and xsd:date are not in the OWL 2 datatype map, so HermiT refuses them as ranges; reason
    # over rdfs:Literal there instead (the check is about classes and properties, not date values).
    for datatype in (XSD.gYear, XSD.date):
        for prop in list(graph.subjects(RDFS.range, datatype)):
            graph.remove((prop, RDFS.range, datatype))
            graph.add((prop, RDFS.range, RDFS.Literal))
    graph.parse(data=extra_ntriples, format="nt")
    path = tmp_path / "peergraph.nt"
    graph.serialize(path, format="nt")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    try:
        with ontology:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_hermit_finds_the_ontology_consistent(tmp_path):
    assert subprocess.run(["java", "-version"], capture_output=True).returncode == 0
    assert _owl_consistent("", tmp_path)


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_hermit_detects_an_individual_that_is_both_a_country_and_an_expert(tmp_path):
    # Proves the consistency test can fail: Country and Expert are disjoint.
    thing = "<https://w3id.org/peergraph/id/country/XXX>"
    rdf_type = f"<{RDF.type}>"
    assert not _owl_consistent(f"{thing} {rdf_type} <{PG.Country}> .\n{thing} {rdf_type} <{PG.Expert}> .\n", tmp_path)


def test_every_object_property_range_and_domain_is_an_ontology_or_standard_class():
    graph = load_graph(ontology_path())
    for predicate in (RDFS.domain, RDFS.range):
        for _, cls in graph.subject_objects(predicate):
            assert str(cls).startswith((str(PG_NS), "http://www.w3.org/2001/XMLSchema#")), cls
