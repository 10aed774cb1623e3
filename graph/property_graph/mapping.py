"""The declarative mapping from RDF to the property graph, derived from the ontology (never per class).

* ``rdf:type`` to a class → a node label: the class's local name (``pg:PolicyMeasure`` → ``:PolicyMeasure``).
* An object property (IRI object) → a relationship type: local name in UPPER_SNAKE
  (``pg:addressesChallenge`` → ``:ADDRESSES_CHALLENGE``).
* A datatype or annotation property (literal object) → a node property: the local name; a
  language-tagged value goes to ``<key>_<lang>`` (``label_fr``); several values make a list.
* Every node has the label ``Resource`` and its IRI in ``iri`` (unique), plus ``run`` (the sync that
  wrote it); relationships carry ``run``.

Labels, types and keys come only from this allow-list: Cypher cannot take them as parameters, so they
are the only parts of a statement not passed as values. The inverse mapping turns Neo4j back into RDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rdflib import Literal, URIRef

from graph.plain_terms import LiteralValue, PlainTerm
from ontology.namespaces import DCTERMS, PG_NS, RDF, RDFS, SKOS, XSD
from ontology.vocabulary import load_graph, ontology_path

OWL = "http://www.w3.org/2002/07/owl#"
#: The label every synced node has; its ``iri`` is unique.
RESOURCE = "Resource"

# Terms of standard vocabularies that peergraph's sources use, with their property-graph names.
_EXTERNAL_CLASSES = {SKOS.Concept: "Concept", SKOS.ConceptScheme: "ConceptScheme"}
_EXTERNAL_RELATIONS = {
    SKOS.broader: "BROADER",
    SKOS.narrower: "NARROWER",
    SKOS.inScheme: "IN_SCHEME",
    SKOS.topConceptOf: "TOP_CONCEPT_OF",
    SKOS.related: "RELATED",
    DCTERMS.source: "SOURCE",
}
_EXTERNAL_PROPERTIES = {
    RDFS.label: "label",
    RDFS.comment: "comment",
    SKOS.prefLabel: "prefLabel",
    SKOS.altLabel: "altLabel",
    SKOS.definition: "definition",
    SKOS.notation: "notation",
    DCTERMS.description: "description",
}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_RDF_TYPE = str(RDF.type)
#: Datatypes whose values Neo4j holds as integers.
_INTEGER_TYPES = (XSD.gYear, XSD.integer)


def _neo4j_value(text: str, integer: bool) -> object:
    """Return a literal's text as Neo4j holds it: an int for an integer datatype when it reads as one."""
    return int(text) if integer and text.lstrip("-").isdigit() else text


def _snake_upper(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


@dataclass(frozen=True)
class PropertyGraphMapping:
    """Class, object-property and literal-property names of the property graph, both ways.

    Attributes
    ----------
    labels : dict
        Class IRI → node label.
    relationships : dict
        Predicate IRI → relationship type.
    properties : dict
        Predicate IRI → property key.
    datatypes : dict
        Property key → the XSD datatype its values carry in RDF (from the ontology's ``rdfs:range``).
    """

    labels: dict[URIRef, str]
    relationships: dict[URIRef, str]
    properties: dict[URIRef, str]
    datatypes: dict[str, URIRef]

    def __post_init__(self) -> None:
        for name in (*self.labels.values(), *self.relationships.values(), *self.properties.values()):
            if not _NAME.match(name):
                raise ValueError(f"{name!r} cannot be a Neo4j label, type or key")

    def property_key(self, predicate: URIRef, literal: Literal) -> str | None:
        """Return the node property key of a literal-valued triple, or None if the predicate is unmapped."""
        key = self.properties.get(predicate)
        if key is None:
            return None
        return f"{key}_{literal.language.replace('-', '_')}" if literal.language else key

    @property
    def inverse_labels(self) -> dict[str, URIRef]:
        """Node label → class IRI."""
        return {label: iri for iri, label in self.labels.items()}

    @property
    def inverse_relationships(self) -> dict[str, URIRef]:
        """Relationship type → predicate IRI."""
        return {name: iri for iri, name in self.relationships.items()}

    def predicate_of_key(self, key: str) -> tuple[URIRef, str | None] | None:
        """Return (predicate, language) of a node property key, or None for keys of no predicate."""
        inverse = {name: iri for iri, name in self.properties.items()}
        if key in inverse:
            return inverse[key], None
        base, _, language = key.partition("_")
        if base in inverse and language:
            return inverse[base], language.replace("_", "-")
        return None


@cache
def build_mapping() -> PropertyGraphMapping:
    """Derive the mapping from ``ontology/peergraph.ttl``.

    Returns
    -------
    PropertyGraphMapping
        Labels for every ``owl:Class``, relationship types for every ``owl:ObjectProperty``, keys for
        every ``owl:DatatypeProperty``, plus the standard terms the sources use.

    Examples
    --------
    >>> m = build_mapping()
    >>> m.labels[PG_NS.PolicyMeasure], m.relationships[PG_NS.addressesChallenge], m.properties[PG_NS.startYear]
    ('PolicyMeasure', 'ADDRESSES_CHALLENGE', 'startYear')
    """
    graph = load_graph(ontology_path())

    def local(iri: URIRef) -> str:
        return str(iri)[len(str(PG_NS)) :]

    def of_kind(kind: str) -> list[URIRef]:
        return sorted(s for s in graph.subjects(RDF.type, URIRef(OWL + kind)) if str(s).startswith(str(PG_NS)))

    labels = {iri: local(iri) for iri in of_kind("Class")} | _EXTERNAL_CLASSES
    relationships = {iri: _snake_upper(local(iri)) for iri in of_kind("ObjectProperty")} | _EXTERNAL_RELATIONS
    properties = {iri: local(iri) for iri in of_kind("DatatypeProperty")} | _EXTERNAL_PROPERTIES
    datatypes = {}
    for iri in of_kind("DatatypeProperty"):
        datatype = graph.value(iri, RDFS.range)
        if datatype is not None and datatype != XSD.string:
            datatypes[local(iri)] = URIRef(datatype)
    return PropertyGraphMapping(labels, relationships, properties, datatypes)


class PlainProjector:
    """Turns a subject's plain (predicate, object) pairs into a node row and relationships (the sync's loop).

    The mapping's tables keyed by plain strings (rdflib's ``URIRef`` does not compare equal to ``str``), and
    the count of pairs no mapping covers.

    Parameters
    ----------
    mapping : PropertyGraphMapping
        The mapping.

    Examples
    --------
    >>> projector = PlainProjector(build_mapping())
    >>> labels, row, links = projector.project("https://example.org/m1", [
    ...     (str(RDF.type), str(PG_NS.PolicyMeasure)),
    ...     (str(PG_NS.startYear), LiteralValue("2004", None, str(XSD.gYear))),
    ...     (str(RDFS.label), LiteralValue("Loi", "fr")),
    ...     (str(PG_NS.addressesChallenge), "https://example.org/c")])
    >>> labels
    ('PolicyMeasure',)
    >>> row
    {'startYear': 2004, 'label_fr': 'Loi', 'iri': 'https://example.org/m1'}
    >>> links
    [('ADDRESSES_CHALLENGE', 'https://example.org/c')]
    """

    def __init__(self, mapping: PropertyGraphMapping):
        self.labels = {str(iri): label for iri, label in mapping.labels.items()}
        self.relationships = {str(iri): name for iri, name in mapping.relationships.items()}
        self.keys = {str(iri): key for iri, key in mapping.properties.items()}
        self.integer_keys = {key for key, datatype in mapping.datatypes.items() if datatype in _INTEGER_TYPES}
        self.skipped: dict[str, int] = {}

    def project(self, subject: str, pairs: list[tuple[str, PlainTerm]]) -> tuple[tuple[str, ...], dict, list]:
        """Return the node's labels (sorted), its properties with ``iri``, and its (type, target) pairs.

        Several values of a key become a sorted list; pairs without a mapping are counted in ``skipped``.
        """
        labels: set[str] = set()
        values: dict[str, list] = {}
        links: list[tuple[str, str]] = []
        for predicate, obj in pairs:
            if isinstance(obj, LiteralValue):
                key = self.keys.get(predicate)
                if key is None:
                    self.skipped[predicate] = self.skipped.get(predicate, 0) + 1
                    continue
                if obj.language:
                    key, value = f"{key}_{obj.language.replace('-', '_')}", obj.value
                else:
                    value = _neo4j_value(obj.value, key in self.integer_keys)
                values.setdefault(key, []).append(value)
            elif predicate == _RDF_TYPE:
                label = self.labels.get(obj)
                if label is None:
                    self.skipped[f"rdf:type {obj}"] = self.skipped.get(f"rdf:type {obj}", 0) + 1
                else:
                    labels.add(label)
            else:
                rel_type = self.relationships.get(predicate)
                if rel_type is None:
                    self.skipped[predicate] = self.skipped.get(predicate, 0) + 1
                else:
                    links.append((rel_type, obj))
        row: dict[str, object] = {k: (sorted(v, key=str) if len(v) > 1 else v[0]) for k, v in values.items()}
        row["iri"] = subject
        return tuple(sorted(labels)), row, links


def to_neo4j_value(key: str, literal: Literal, mapping: PropertyGraphMapping) -> object:
    """Return the Neo4j value of a literal: years and integers as integers, everything else as text.

    Parameters
    ----------
    key : str
        The property key (without language suffix).
    literal : rdflib.Literal
        The RDF value.
    mapping : PropertyGraphMapping
        For the declared datatype.

    Returns
    -------
    object
        An int or a str.
    """
    return _neo4j_value(str(literal), mapping.datatypes.get(key) in _INTEGER_TYPES)


def to_rdf_literal(key: str, value: object, language: str | None, mapping: PropertyGraphMapping) -> Literal:
    """Return the RDF literal of a Neo4j property value (the inverse of :func:`to_neo4j_value`).

    Parameters
    ----------
    key : str
        The property key (without language suffix).
    value : object
        The Neo4j value.
    language : str or None
        The language of a ``<key>_<lang>`` property.
    mapping : PropertyGraphMapping
        For the declared datatype.

    Returns
    -------
    rdflib.Literal
        The literal.
    """
    if language:
        return Literal(str(value), lang=language)
    datatype = mapping.datatypes.get(key)
    if datatype == XSD.gYear and isinstance(value, int):
        return Literal(f"{value:04d}", datatype=XSD.gYear)
    if datatype is not None:
        return Literal(str(value), datatype=datatype)
    return Literal(str(value))
