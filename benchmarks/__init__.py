"""Benchmarks of peergraph (run with `make bench`)."""
