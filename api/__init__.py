"""Adapters over ``graph.services``: the HTTP API and web pages (``app``) and the command line (``cli``)."""
