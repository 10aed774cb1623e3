"""Minting and parsing of peergraph IRIs: the only place IRIs are made.

IRIs are deterministic: the same kind and key always give the same IRI, so loading a record again
replaces it rather than duplicating it. They never depend on deployment settings.

* Records: ``https://w3id.org/peergraph/id/<kind>/<key>`` (kinds in :data:`RECORD_KINDS`).
* Vocabulary concepts: ``https://w3id.org/peergraph/vocab/<scheme>/<id>`` (:data:`CONCEPT_SCHEMES`).
* Sources: the web address itself (kind ``"source"``), checked to be an absolute http(s) URL.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from rdflib import URIRef

from ontology.namespaces import DATA_NS, SCHEME_SEGMENTS, VOCAB_NS

#: Kinds of record, each with its own IRI path segment.
RECORD_KINDS: frozenset[str] = frozenset(
    {
        "country",
        "programme",
        "project",
        "institution",
        "expert",
        "measure",
        "exchange",
        "outcome",
        "practice",
        "creative-city",
        "assessment",
        "membership",
        "graph",
        "source-file",
        "run",
    }
)

_SCHEME_SEGMENT = {"outcome-type": "outcome"}  # scheme name -> IRI path segment, where they differ
_SEGMENT_SCHEME = {segment: scheme for scheme, segment in _SCHEME_SEGMENT.items()}

#: Concept schemes under ``ontology/vocab/``, by name (the IRI path segment, except ``outcome-type``).
CONCEPT_SCHEMES: frozenset[str] = frozenset(_SEGMENT_SCHEME.get(segment, segment) for segment in SCHEME_SEGMENTS)
_SAFE = "-._~"
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class IriError(ValueError):
    """A key or address cannot be made into a peergraph IRI."""


def mint_iri(kind: str, key: str) -> URIRef:
    """Return the IRI of the record, concept or source ``key`` of ``kind``.

    Parameters
    ----------
    kind : str
        A record kind (``"country"``, ``"measure"``…), a concept scheme (``"challenge"``…) or ``"source"``.
    key : str
        The record's own identifier, the concept's id, or the source's web address. Surrounding white
        space is ignored; country codes are upper-cased.

    Returns
    -------
    rdflib.URIRef
        The IRI.

    Raises
    ------
    IriError
        If the kind is unknown or the key is empty or not a valid address.

    Examples
    --------
    >>> str(mint_iri("country", "nam"))
    'https://w3id.org/peergraph/id/country/NAM'
    >>> str(mint_iri("challenge", "copyright"))
    'https://w3id.org/peergraph/vocab/challenge/copyright'
    >>> str(mint_iri("measure", "M ZAF/01"))
    'https://w3id.org/peergraph/id/measure/M%20ZAF%2F01'
    """
    key = key.strip()
    if not key:
        raise IriError(f"an empty key cannot name a {kind}")
    if kind == "source":
        if not _URL.match(key):
            raise IriError(f"not an absolute http(s) address: {key!r}")
        return URIRef(key)
    if kind == "country":
        key = key.upper()
    if kind in RECORD_KINDS:
        return URIRef(f"{DATA_NS}{kind}/{quote(key, safe=_SAFE)}")
    if kind in CONCEPT_SCHEMES:
        return URIRef(f"{VOCAB_NS}{_SCHEME_SEGMENT.get(kind, kind)}/{quote(key, safe=_SAFE)}")
    raise IriError(f"unknown kind {kind!r}")


def parse_iri(iri: str) -> tuple[str, str]:
    """Return ``(kind, key)`` for a record or concept IRI minted by :func:`mint_iri`.

    Parameters
    ----------
    iri : str
        A peergraph record or concept IRI.

    Returns
    -------
    tuple of str
        The kind (or concept scheme) and the unquoted key.

    Raises
    ------
    IriError
        If the IRI is not a peergraph record or concept IRI.

    Examples
    --------
    >>> parse_iri("https://w3id.org/peergraph/id/measure/M-ZAF-01")
    ('measure', 'M-ZAF-01')
    """
    for base, kinds in ((str(DATA_NS), RECORD_KINDS), (str(VOCAB_NS), None)):
        if iri.startswith(base):
            kind, _, key = iri[len(base) :].partition("/")
            if kinds is None:
                kind = _SEGMENT_SCHEME.get(kind, kind)
                kinds = CONCEPT_SCHEMES
            if kind in kinds and key:
                return kind, unquote(key)
    raise IriError(f"not a peergraph record or concept IRI: {iri}")


def is_web_address(value: str) -> bool:
    """Tell whether ``value`` is an absolute http(s) address usable as a source IRI.

    Parameters
    ----------
    value : str
        The text to check.

    Returns
    -------
    bool
        True if :func:`mint_iri` accepts it as a ``"source"``.

    Examples
    --------
    >>> is_web_address("https://en.unesco.org/creativity"), is_web_address("en.unesco.org")
    (True, False)
    """
    return bool(_URL.match(value.strip())) and bool(urlsplit(value.strip()).netloc)
