"""One SPARQL query on Oxigraph with peergraph's prefixes, engine-side bindings and precise errors.

:class:`graph.rdf.store.RdfStore` decides which graphs a query sees; this module hands the text to Oxigraph and
turns its refusals into :class:`~graph.errors.QueryRejected` messages a caller can act on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox
from rdflib.term import Node

from graph.errors import QueryRejected
from graph.rdf.oxigraph_terms import to_ox
from graph.sparql_guard import UPDATES_REFUSED, is_update
from graph.sparql_text import readable_syntax_error
from ontology import mint_iri
from ontology.namespaces import PREFIXES


def evaluate(
    store: ox.Store,
    sparql: str,
    default_graph: Sequence[ox.NamedNode | ox.DefaultGraph],
    named_graphs: Sequence[ox.NamedNode],
    bindings: Mapping[str, Node] | None,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Evaluate ``sparql`` lazily over ``default_graph`` (an empty one when none) and ``named_graphs``.

    ``bindings`` are substituted by the engine, never pasted into the text. A query that does not parse raises
    :class:`QueryRejected` naming where ("malformed SPARQL at line L, column C, near …"), or saying the store is
    read-only when it is an update; an engine failure raises it with the engine's message.
    """
    try:
        return store.query(
            sparql,
            prefixes=PREFIXES,
            default_graph=list(default_graph) or [ox.NamedNode(str(mint_iri("graph", "empty")))],
            named_graphs=list(named_graphs),
            substitutions={ox.Variable(name): to_ox(value) for name, value in (bindings or {}).items()} or None,
        )
    except SyntaxError as error:
        if is_update(sparql):
            raise QueryRejected(UPDATES_REFUSED) from None
        raise QueryRejected(f"malformed SPARQL at {readable_syntax_error(str(error), sparql)}") from None
    except OSError as error:
        raise QueryRejected(f"the query failed: {error}") from None
