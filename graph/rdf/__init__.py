"""The embedded RDF store (pyoxigraph): atomic per-source loads, snapshots, restricted graphs, SPARQL."""
