"""How RDF maps to a property graph (labels, relationship types, values), shared by Neo4j and networkx."""
