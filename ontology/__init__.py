"""The peergraph vocabulary: the OWL ontology, its SKOS concept schemes, prefixes and IRI minting."""

from ontology.ids import mint_iri
from ontology.namespaces import PREFIXES
from ontology.terms import PG

__all__ = ["PG", "PREFIXES", "mint_iri"]
