"""Use cases of peergraph, called by both the HTTP API and the command line.

Plain functions over explicit dependencies (settings, stores); they hold the logic that routers and CLI
commands must not. One module per concern: ``store`` (open, ingest, remove, stats), ``query`` (SPARQL),
``neo4j`` (projection and Cypher), ``research`` (desk research and graph views), ``questions``, ``exports``,
``uploads``, ``linked_data``, ``access`` (API keys) and ``projection`` (the networkx view of the store).
"""
