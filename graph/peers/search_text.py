"""Search across languages: the words a record is found by beyond its own text.

They are the en/fr/es names of the concepts it addresses (challenges, sectors, policy areas…) and, for
countries, their names in French and Spanish.

So "piratería", "droit d'auteur" or "derechos de autor" find the records tagged with the piracy or
copyright concepts whatever language the records are written in, and "namibie" finds Namibia. Words are
folded like every name in peergraph (:func:`graph.peers.match_index.fold_name`: case and accents ignored), and a
query word also matches by its en/fr/es stems (``derechos`` finds ``derecho``).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

import pycountry
import Stemmer

from ontology.namespaces import VOCAB_NS

_VOCAB = str(VOCAB_NS)
#: Edges that do not make a concept part of what a record is about.
_NOT_ABOUT = frozenset({"IN_SCHEME", "TOP_CONCEPT_OF", "BROADER", "NARROWER", "HAS_TOP_CONCEPT", "SOURCE"})
_OTHER_LANGUAGES = ("fr", "es")
_STEMMERS = ("english", "french", "spanish")
#: Shortest stem a word is matched by (shorter ones would match too much).
_MIN_STEM = 4


@lru_cache(maxsize=4096)
def word_forms(word: str) -> tuple[str, ...]:
    """Return the forms a folded query word matches by: itself and its en/fr/es Snowball stems.

    Examples
    --------
    >>> word_forms("derechos")
    ('derechos', 'derecho', 'derech')
    """
    stems = [Stemmer.Stemmer(language).stemWord(word) for language in _STEMMERS]
    return tuple(dict.fromkeys([word, *(stem for stem in stems if len(stem) >= _MIN_STEM)]))


def _names(data: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key, value in data.items():
        if "abel" in key or key == "notation":
            found += [str(v) for v in (value if isinstance(value, list) else [value])]
    return found


@cache
def _translations(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def country_names(iso3: str) -> list[str]:
    """Return the country's ISO 3166 names in French and Spanish (pycountry's translations).

    Examples
    --------
    >>> country_names("NAM")
    ['Namibie', 'République de Namibie', 'Namibia', 'República de Namibia']
    """
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return []
    names = [country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")]
    return list(dict.fromkeys(_translations(lang).gettext(name) for lang in _OTHER_LANGUAGES for name in names if name))


def extra_words(graph: Any, nodes: Iterable[str]) -> dict[str, str]:
    """Return, per record, the words it is found by beyond its own text (see the module docstring).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection.
    nodes : iterable of str
        The records.

    Returns
    -------
    dict of str to str
        Words by record IRI (records with none left out).
    """
    concept_names: dict[str, list[str]] = {}
    found: dict[str, str] = {}
    for node in nodes:
        words: list[str] = []
        for target, keys in graph.succ[node].items():
            if not target.startswith(_VOCAB) or not set(keys) - _NOT_ABOUT:
                continue
            if target not in concept_names:
                concept_names[target] = _names(graph.nodes[target]) if target in graph else []
            words += concept_names[target]
        data = graph.nodes[node]
        if data.get("type") == "Country" and isinstance(data.get("iso3"), str):
            words += country_names(data["iso3"])
        if words:
            found[node] = " ".join(words)
    return found
