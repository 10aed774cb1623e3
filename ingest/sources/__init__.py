"""Built-in ingesters, one module per input format; each has ``read(path)`` and ``to_triples(item)``."""
