"""Text as a second bridge between a seeker and providers: BM25 over evidence texts, in en, fr and es.

Tags link records to challenges only where the compiler saw them; the words of a measure's description
often say more ("anti-piracy campaign" on a measure tagged only *copyright*). :class:`TextIndex` indexes
one short document per evidence item (title, description, topic, aims, notes) with BM25 (``bm25s``), words
folded (case, accents) and stemmed with the Snowball stemmer of the document's language (``PyStemmer``).
:func:`concepts_in_text` turns a free-text diagnostic (a paragraph in English, French or Spanish) into
weighted concepts by finding their labels (every language, stemmed) in it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_FRENCH, STOPWORDS_SPANISH

LANGUAGES = ("en", "fr", "es")
_STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish"}
_STOPWORDS = {"en": STOPWORDS_EN, "fr": STOPWORDS_FRENCH, "es": STOPWORDS_SPANISH}
_WORD = re.compile(r"[^\W\d_]{2,}")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents.

    Examples
    --------
    >>> fold("Piratería y DROIT d'auteur")
    "pirateria y droit d'auteur"
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _stopwords(language: str) -> frozenset[str]:
    return frozenset(fold(word) for word in _STOPWORDS[language])


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_STEMMER_NAMES[language])


def guess_language(text: str) -> str:
    """Return ``en``, ``fr`` or ``es``: the language whose stop words ``text`` uses most (``en`` on a tie).

    Examples
    --------
    >>> guess_language("Le pays lutte contre le piratage des oeuvres"), guess_language("la piratería de las obras")
    ('fr', 'es')
    """
    words = _WORD.findall(fold(text))
    counts = {language: sum(word in _stopwords(language) for word in words) for language in LANGUAGES}
    return max(LANGUAGES, key=lambda language: (counts[language], language == "en"))


def tokens(text: str, language: str | None = None) -> list[str]:
    """Return the stemmed content words of ``text`` (stop words of its language dropped).

    Examples
    --------
    >>> tokens("Fighting the piracy of films")
    ['fight', 'piraci', 'film']
    """
    language = language or guess_language(text)
    words = [word for word in _WORD.findall(fold(text)) if word not in _stopwords(language)]
    return _stemmer(language).stemWords(words)


@dataclass(frozen=True)
class TextHit:
    """One document that matched a text query: its key, BM25 score and the query stems it contains."""

    key: str
    score: float
    matched: tuple[str, ...]


class TextIndex:
    """BM25 over short documents keyed by IRI (one per evidence item).

    Parameters
    ----------
    documents : mapping of str to str
        Key (an IRI) → text. Texts without a content word are left out.

    Examples
    --------
    >>> index = TextIndex({"m1": "National film fund for cinema", "m2": "Copyright law against piracy"})
    >>> [(hit.key, hit.matched) for hit in index.search(tokens("piracy of films"))]
    [('m1', ('film',)), ('m2', ('piraci',))]
    """

    def __init__(self, documents: Mapping[str, str]):
        stemmed = {key: tokens(text) for key, text in documents.items() if text.strip()}
        self.keys = [key for key, words in stemmed.items() if words]
        self._tokens = [stemmed[key] for key in self.keys]
        self._position = {key: number for number, key in enumerate(self.keys)}
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        self._vocabulary: set[str] = set()
        if self.keys:
            self._bm25.index(self._tokens, show_progress=False)
            self._vocabulary = {word for words in self._tokens for word in words}

    def scores(self, query: Iterable[str]) -> np.ndarray:
        """Return the BM25 score of every document (in ``keys`` order) for the query stems."""
        known = [word for word in query if word in self._vocabulary]
        if not known:
            return np.zeros(len(self.keys))
        return np.asarray(self._bm25.get_scores(known), dtype=float)

    def search(self, query: Iterable[str]) -> list[TextHit]:
        """Return the documents with a positive score, best first, with the stems each matched."""
        query = list(dict.fromkeys(query))
        values = self.scores(query)
        order = np.argsort(-values, kind="stable")
        hits = []
        for number in order:
            if values[number] <= 0:
                break
            words = set(self._tokens[number])
            hits.append(TextHit(self.keys[number], float(values[number]), tuple(w for w in query if w in words)))
        return hits

    def matched(self, key: str, query: Iterable[str]) -> tuple[str, ...]:
        """Return the query stems found in the document ``key``."""
        number = self._position.get(key)
        if number is None:
            return ()
        words = set(self._tokens[number])
        return tuple(dict.fromkeys(word for word in query if word in words))


def concepts_in_text(text: str, names: Mapping[str, Iterable[str]]) -> dict[str, float]:
    """Return the concepts whose names occur in ``text``, weighted by how often (stemmed, any language).

    A name matches where all its content words occur, stemmed, as a run in the text; a concept's weight is
    the number of times any of its names matched.

    Parameters
    ----------
    text : str
        A diagnostic paragraph in English, French or Spanish.
    names : mapping of str to iterable of str
        Concept IRI → its labels (every language).

    Returns
    -------
    dict of str to float
        Concept IRI → weight (≥ 1), for the concepts found.

    Examples
    --------
    >>> concepts_in_text(
    ...     "Nous luttons contre le piratage des films et des livres; le piratage coûte cher.",
    ...     {"piracy": ["Piracy", "Piratage", "Piratería"], "film": ["Cinéma", "Film"], "music": ["Musique"]},
    ... )
    {'piracy': 2.0, 'film': 1.0}
    """
    language = guess_language(text)
    stems = tokens(text, language)
    joined = " " + " ".join(stems) + " "
    found: Counter[str] = Counter()
    for concept, labels in names.items():
        best = 0
        for label in labels:
            for label_language in dict.fromkeys((language, guess_language(label))):
                phrase = " ".join(tokens(label, label_language))
                if phrase:
                    best = max(best, joined.count(" " + phrase + " "))
        if best:
            found[concept] = float(best)
    return dict(found)
