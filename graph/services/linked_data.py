"""Linked data: the RDF description of one IRI (its triples as subject) in Turtle, N-Triples or JSON-LD.

peergraph's IRIs live under ``https://w3id.org/peergraph/`` (``id/…`` records, ``vocab/…`` concepts). A
server resolves the same paths locally (``/id/country/NAM``); see ``api/routers/linked_data.py``.
"""

from __future__ import annotations

from rdflib import URIRef

from graph.errors import NotFound
from graph.results import serialize_graph
from graph.store import GraphStore
from ontology.namespaces import DATA_NS

#: Where peergraph's IRIs start; the rest is the path a server resolves.
IRI_BASE = str(DATA_NS).removesuffix("id/")


def iri_of_path(path: str) -> str:
    """Return the IRI a local path stands for.

    Examples
    --------
    >>> iri_of_path("/id/country/NAM")
    'https://w3id.org/peergraph/id/country/NAM'
    """
    return IRI_BASE + path.lstrip("/")


def path_of_iri(iri: str) -> str | None:
    """Return the local path of a peergraph IRI, or None for other IRIs (sources on the web).

    Examples
    --------
    >>> path_of_iri("https://w3id.org/peergraph/vocab/challenge/piracy")
    '/vocab/challenge/piracy'
    >>> path_of_iri("https://en.unesco.org/creativity") is None
    True
    """
    return "/" + iri[len(IRI_BASE) :] if iri.startswith(IRI_BASE) else None


def describe(store: GraphStore, iri: str, fmt: str, *, include_restricted: bool, max_rows: int) -> str:
    """Serialise the triples whose subject is ``iri``.

    Parameters
    ----------
    store : GraphStore
        The store.
    iri : str
        A peergraph IRI.
    fmt : str
        ``turtle``, ``nt`` or ``json-ld``.
    include_restricted : bool
        Whether the caller may see restricted records.
    max_rows : int
        Most triples returned.

    Returns
    -------
    str
        The serialised description.

    Raises
    ------
    NotFound
        If the store holds nothing about ``iri`` that the caller may see.
    """
    result = store.run_query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        max_rows=max_rows,
        bindings={"s": URIRef(iri)},
        include_restricted=include_restricted,
    )
    if not result.triples:
        raise NotFound(f"nothing is known about {iri}")
    return serialize_graph(result, fmt)
