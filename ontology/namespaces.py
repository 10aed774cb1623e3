"""The one prefix map of peergraph, and the base IRIs of its ontology, data and vocabularies.

Every graph, serialisation, SPARQL prologue and the SPARQL endpoint binds these prefixes, so a query or
a Turtle file reads the same everywhere.
"""

from __future__ import annotations

from rdflib import Graph, Namespace

ONTOLOGY_IRI = "https://w3id.org/peergraph/ontology"
PG_NS = Namespace(ONTOLOGY_IRI + "#")
DATA_NS = Namespace("https://w3id.org/peergraph/id/")
VOCAB_NS = Namespace("https://w3id.org/peergraph/vocab/")

PREFIXES: dict[str, str] = {
    "pg": str(PG_NS),
    "pgd": str(DATA_NS),
    "pgv": str(VOCAB_NS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
}
#: Path segment of each concept scheme under VOCAB_NS (``…/vocab/<segment>/<id>``).
SCHEME_SEGMENTS: tuple[str, ...] = (
    "challenge",
    "phase",
    "method",
    "format",
    "obstacle",
    "outcome",
    "success",
    "principle",
    "role",
    "team",
    "kind",
    "insttype",
    "visibility",
    "monitoring",
    "region",
    "sector",
    "income",
    "treaty",
    "field",
)
# One prefix per concept scheme, so concepts read as `challenge:copyright` in queries and Turtle.
PREFIXES.update({segment: f"{VOCAB_NS}{segment}/" for segment in SCHEME_SEGMENTS})

# Namespaces of the standard vocabularies peergraph writes, for code that needs their terms.
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
XSD = Namespace(PREFIXES["xsd"])
SKOS = Namespace(PREFIXES["skos"])
DCTERMS = Namespace(PREFIXES["dcterms"])
PROV = Namespace(PREFIXES["prov"])


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every peergraph prefix to ``graph`` (replacing rdflib's defaults) and return it.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to bind.

    Returns
    -------
    rdflib.Graph
        The same graph, for chaining.
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """Return the ``PREFIX`` lines of every peergraph prefix, to put before a SPARQL query.

    Returns
    -------
    str
        One ``PREFIX p: <iri>`` line per prefix.
    """
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
