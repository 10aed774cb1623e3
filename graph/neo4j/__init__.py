"""The Neo4j projection: the store that mirrors the RDF store's public data as a property graph."""
