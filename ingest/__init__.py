"""Records to triples: input formats, validation and mapping to the ontology; pure apart from ``read``."""
