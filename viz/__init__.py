"""Rendering only: from a networkx graph and a style to self-contained HTML (network views land here)."""
