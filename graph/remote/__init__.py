"""A remote SPARQL 1.1 store (query, update and Graph Store Protocol endpoints) behind the store protocol."""
