"""The merged default graph of the embedded store: the union of every source's public graph.

It lives in the Oxigraph store's own default graph, so queries read one graph instead of a list (5-10×
faster, measured in ``benchmarks/http.py``).

A stamp in the catalog graph (``pg:unionDigest``: a digest of the public graph names) says which graphs it
merges. It is removed before the default graph changes and written back last, so a load killed midway leaves
no stamp (or a stale one): readers then fall back to the list of graphs, and the next writer rebuilds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pyoxigraph as ox

from graph.rdf.oxigraph_terms import to_ox
from ontology import PG


class MergedDefaultGraph:
    """The stamped union of public graphs in one Oxigraph store.

    Parameters
    ----------
    store : pyoxigraph.Store
        The store.
    catalog : pyoxigraph.NamedNode
        The catalog graph, which holds the stamp.
    """

    def __init__(self, store: ox.Store, catalog: ox.NamedNode):
        self._store = store
        self._catalog = catalog
        self._predicate = to_ox(PG.unionDigest)
        self._current: bool | None = None

    @staticmethod
    def _digest(public_graphs: Sequence[ox.NamedNode]) -> str:
        return hashlib.sha256("\n".join(sorted(graph.value for graph in public_graphs)).encode()).hexdigest()

    def forget(self) -> None:
        """Forget the cached answer of :meth:`is_current` (the catalog changed)."""
        self._current = None

    def is_current(self, public_graphs: Sequence[ox.NamedNode]) -> bool:
        """Tell whether the default graph holds exactly the union of ``public_graphs``."""
        if self._current is None:
            stamp = list(self._store.quads_for_pattern(self._catalog, self._predicate, None, self._catalog))
            self._current = len(stamp) == 1 and stamp[0].object.value == self._digest(public_graphs)
        return self._current

    def unstamp(self) -> None:
        """Remove the stamp: from now on the default graph reads as stale until :meth:`stamp`."""
        for quad in list(self._store.quads_for_pattern(self._catalog, self._predicate, None, self._catalog)):
            self._store.remove(quad)
        self._current = False

    def stamp(self, public_graphs: Sequence[ox.NamedNode]) -> None:
        """Record that the default graph now merges ``public_graphs``."""
        self.unstamp()
        digest = ox.Literal(self._digest(public_graphs))
        self._store.add(ox.Quad(self._catalog, self._predicate, digest, self._catalog))
        self._current = True

    def rebuild(self, public_graphs: Sequence[ox.NamedNode]) -> None:
        """Refill the default graph from ``public_graphs`` and stamp it."""
        self.unstamp()
        self._store.clear_graph(ox.DefaultGraph())
        default = ox.DefaultGraph()
        for graph in public_graphs:
            quads = [
                ox.Quad(q.subject, q.predicate, q.object, default)
                for q in self._store.quads_for_pattern(None, None, None, graph)
            ]
            self._store.bulk_extend(quads)
        self.stamp(public_graphs)

    def drop_replaced(self, old_graphs: Sequence[str], public_graphs: Sequence[ox.NamedNode]) -> None:
        """Remove the triples of replaced graphs that no current public graph holds, then stamp.

        The new graphs' triples were added to the default graph while they were loaded.
        """
        current = {graph.value for graph in public_graphs}
        default = ox.DefaultGraph()
        for name in old_graphs:
            for quad in list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))):
                elsewhere = any(
                    isinstance(other.graph_name, ox.NamedNode) and other.graph_name.value in current
                    for other in self._store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
                )
                if not elsewhere:
                    self._store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, default))
        self.stamp(public_graphs)

    def after_switch(self, old_graphs: Sequence[str], public_graphs: Sequence[ox.NamedNode], was_current: bool) -> None:
        """After a catalogue switch: bring the default graph up to date (incrementally if it was current), stamp it."""
        self.forget()
        if was_current:
            self.drop_replaced(old_graphs, public_graphs)
        elif not self.is_current(public_graphs):
            self.rebuild(public_graphs)

    def default_graphs(
        self, public_graphs: Sequence[ox.NamedNode], visible: Sequence[ox.NamedNode]
    ) -> list[ox.NamedNode | ox.DefaultGraph]:
        """Return the default graph of a query over ``visible``: the union plus the restricted graphs, or the list.

        While the union is current: the store's default graph and the graphs of ``visible`` that are not public;
        otherwise ``visible`` itself.
        """
        if self.is_current(public_graphs):
            public = set(public_graphs)
            return [ox.DefaultGraph(), *(graph for graph in visible if graph not in public)]
        return list(visible) or [ox.DefaultGraph()]
