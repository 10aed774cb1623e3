"""Human names for the ontology's terms: classes, relationships and fact keys, in en, fr or es.

Pages show ``Policy measure`` rather than ``PolicyMeasure``, ``adopted by`` rather than ``ADOPTED_BY`` and
``M49 code`` rather than ``m49Code``; the names are the ontology's own ``rdfs:label`` (``ontology/peergraph.ttl``),
in the reader's language when the ontology gives one, else English. :func:`ontology_terms` also feeds the
``/ontology`` page, where every ``…/ontology#Term`` IRI resolves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rdflib import Literal, URIRef

from graph.property_graph.mapping import build_mapping
from ontology.namespaces import PREFIXES, RDF, RDFS
from ontology.vocabulary import load_graph, ontology_path

LANGUAGES = ("en", "fr", "es")
_PG = str(PREFIXES["pg"])
#: Names of the standard (non-peergraph) keys a record's facts use.
_STANDARD = {
    "label": {"en": "Name", "fr": "Nom", "es": "Nombre"},
    "prefLabel": {"en": "Name", "fr": "Nom", "es": "Nombre"},
    "altLabel": {"en": "Also called", "fr": "Autre nom", "es": "Otro nombre"},
    "comment": {"en": "Description", "fr": "Description", "es": "Descripción"},
    "definition": {"en": "Definition", "fr": "Définition", "es": "Definición"},
    "identifier": {"en": "Identifier", "fr": "Identifiant", "es": "Identificador"},
    "notation": {"en": "Code", "fr": "Code", "es": "Código"},
    "description": {"en": "Description", "fr": "Description", "es": "Descripción"},
    "title": {"en": "Title", "fr": "Titre", "es": "Título"},
    "Concept": {"en": "Concept", "fr": "Concept", "es": "Concepto"},
    "Source": {"en": "Source", "fr": "Source", "es": "Fuente"},
    "SOURCE": {"en": "source", "fr": "source", "es": "fuente"},
    "IN_SCHEME": {"en": "in scheme", "fr": "dans le schéma", "es": "en el esquema"},
    "BROADER": {"en": "broader", "fr": "plus large", "es": "más amplio"},
    "NARROWER": {"en": "narrower", "fr": "plus étroit", "es": "más estrecho"},
}


@dataclass
class Term:
    """One class or property of the ontology."""

    iri: str
    local: str
    kind: str  # Class, ObjectProperty or DatatypeProperty
    labels: dict[str, str] = field(default_factory=dict)
    comment: str = ""
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)

    def label(self, lang: str = "en") -> str:
        """Return the label in ``lang``, else English, else the local name."""
        return self.labels.get(lang) or self.labels.get("en") or self.local


@cache
def ontology_terms() -> dict[str, Term]:
    """Return every class and property of ``peergraph.ttl`` by local name (classes first, then by name).

    Examples
    --------
    >>> terms = ontology_terms()
    >>> terms["PolicyMeasure"].kind, terms["PolicyMeasure"].label("en")
    ('Class', 'Policy measure')
    """
    graph = load_graph(ontology_path())
    found: dict[str, Term] = {}
    for kind in ("Class", "ObjectProperty", "DatatypeProperty"):
        for subject in sorted(graph.subjects(RDF.type, URIRef(str(PREFIXES["owl"]) + kind))):
            iri = str(subject)
            if not iri.startswith(_PG):
                continue
            term = Term(iri, iri[len(_PG) :], kind)
            for value in graph.objects(subject, RDFS.label):
                if isinstance(value, Literal):
                    term.labels.setdefault(value.language or "en", str(value))
            term.comment = str(graph.value(subject, RDFS.comment, default=""))
            term.domain = sorted(_short(o) for o in graph.objects(subject, RDFS.domain))
            term.range = sorted(_short(o) for o in graph.objects(subject, RDFS.range))
            term.parents = sorted(_short(o) for o in graph.objects(subject, RDFS.subClassOf))
            found[term.local] = term
    return found


def _short(iri: object) -> str:
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)) :]}" if prefix != "pg" else text[len(str(namespace)) :]
    return text


@cache
def _relationship_terms() -> dict[str, str]:
    """Relationship type (``ADOPTED_BY``) → the local name of its property."""
    return {
        name: str(iri)[len(_PG) :] for iri, name in build_mapping().relationships.items() if str(iri).startswith(_PG)
    }


def _standard(name: str, lang: str) -> str | None:
    names = _STANDARD.get(name)
    return (names.get(lang) or names["en"]) if names else None


def class_label(name: str, lang: str = "en") -> str:
    """Return the human name of a class (``PolicyMeasure`` → ``Policy measure``).

    Examples
    --------
    >>> class_label("PeerExchange"), class_label("Country", "fr")
    ('Peer exchange', 'Pays')
    """
    term = ontology_terms().get(name)
    if term is not None:
        return term.label(lang)
    return _standard(name, lang) or name


def relation_label(name: str, lang: str = "en") -> str:
    """Return the human name of a relationship type (``ADDRESSES_CHALLENGE`` → ``addresses challenge``)."""
    local = _relationship_terms().get(name)
    if local is not None and local in ontology_terms():
        return ontology_terms()[local].label(lang)
    return _standard(name, lang) or name.lower().replace("_", " ")


def fact_label(key: str, lang: str = "en") -> str:
    """Return the human name of a fact key (``m49Code`` → ``M49 code``; ``label_fr`` → ``Name (fr)``).

    Examples
    --------
    >>> fact_label("label_fr")
    'Name (fr)'
    """
    base, _, language = key.partition("_")
    term = ontology_terms().get(base)
    name = term.label(lang) if term is not None else _standard(base, lang)
    if name is None:
        name = base
    return f"{name} ({language})" if language else name
