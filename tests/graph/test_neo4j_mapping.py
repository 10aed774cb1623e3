"""The property-graph mapping is derived from the ontology and covers every predicate the data uses."""

from rdflib import Literal, URIRef

from graph.property_graph.mapping import build_mapping, to_neo4j_value, to_rdf_literal
from graph.rdf.store import RdfStore
from graph.services.neo4j import projected_triples
from ontology.namespaces import RDF, RDFS, XSD
from ontology.terms import PG
from ontology.vocabulary import load_graph, ontology_path


def test_labels_types_and_keys_follow_the_naming_rules():
    mapping = build_mapping()
    assert mapping.labels[PG.PeerExchange] == "PeerExchange"
    assert mapping.relationships[PG.providerInstitution] == "PROVIDER_INSTITUTION"
    assert mapping.relationships[PG.seeker] == "SEEKER"
    assert mapping.properties[PG.officialLanguage] == "officialLanguage"
    assert mapping.property_key(RDFS.label, Literal("Droit d'auteur", lang="fr")) == "label_fr"
    assert mapping.predicate_of_key("label_fr") == (RDFS.label, "fr")


def test_every_ontology_class_and_property_is_mapped():
    mapping = build_mapping()
    graph = load_graph(ontology_path())
    owl = "http://www.w3.org/2002/07/owl#"
    for kind, mapped in (
        ("Class", mapping.labels),
        ("ObjectProperty", mapping.relationships),
        ("DatatypeProperty", mapping.properties),
    ):
        terms = {t for t in graph.subjects(RDF.type, URIRef(owl + kind)) if str(t).startswith(str(PG))}
        assert terms and terms <= set(mapped), kind


def test_every_predicate_and_class_of_the_projected_data_is_mapped(demo_store_path):
    mapping = build_mapping()
    store = RdfStore(demo_store_path, read_only=True)
    unmapped = set()
    for _, predicate, obj in projected_triples(store):
        if predicate == RDF.type:
            if obj not in mapping.labels:
                unmapped.add(f"class {obj}")
        elif isinstance(obj, Literal):
            if predicate not in mapping.properties:
                unmapped.add(str(predicate))
        elif predicate not in mapping.relationships:
            unmapped.add(str(predicate))
    store.close()
    assert unmapped == set()


def test_values_round_trip_through_neo4j_types():
    mapping = build_mapping()
    year = Literal("2004", datatype=XSD.gYear)
    assert to_neo4j_value("startYear", year, mapping) == 2004
    assert to_rdf_literal("startYear", 2004, None, mapping) == year
    language = Literal("en", datatype=XSD.language)
    assert (
        to_rdf_literal("officialLanguage", to_neo4j_value("officialLanguage", language, mapping), None, mapping)
        == language
    )
    assert to_rdf_literal("label", "Film", "fr", mapping) == Literal("Film", lang="fr")
    assert isinstance(mapping.labels[URIRef(str(PG) + "Country")], str)
