"""Content negotiation: pick the media type a client prefers among those a route can produce."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def negotiate(accept: str, choices: Iterable[str], default: str) -> str:
    """Return the first of ``choices`` the ``Accept`` header ranks highest, else ``default``.

    Parameters
    ----------
    accept : str
        The ``Accept`` header (may be empty).
    choices : iterable of str
        Media types the route can produce.
    default : str
        Used when the header names none of them (including ``*/*``).

    Returns
    -------
    str
        A media type.

    Examples
    --------
    >>> rdf = ["text/turtle", "application/ld+json"]
    >>> negotiate("text/turtle;q=0.5, application/ld+json", rdf, "text/html")
    'application/ld+json'
    >>> negotiate("*/*", ["text/turtle"], "text/html")
    'text/html'
    """
    offered = set(choices)
    wanted = []
    for index, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = next((float(p[2:]) for p in params if p.startswith("q=") and _number(p[2:])), 1.0)
        wanted.append((-quality, index, media))
    for negative_quality, _, media in sorted(wanted):
        if media in offered and negative_quality < 0:
            return media
    return default


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def choose_media(accept: str, offered: Sequence[str]) -> str | None:
    """Return the media type of ``offered`` that an ``Accept`` header ranks highest, or None if it takes none.

    Media ranges are matched case-insensitively; each offered type takes the quality of its most specific
    matching range (``type/subtype`` over ``type/*`` over ``*/*``), and ``q=0`` refuses it. Ties go to the
    more specific range, then the range listed first, then the order of ``offered`` (its first is the
    default, also used for an empty header).

    Parameters
    ----------
    accept : str
        The ``Accept`` header (may be empty).
    offered : sequence of str
        Media types the route can produce, in lower case, the preferred first.

    Returns
    -------
    str or None
        A media type of ``offered``, or None (the caller answers 406).

    Examples
    --------
    >>> results = ["application/sparql-results+json", "text/csv"]
    >>> choose_media("Text/CSV;q=0.9, */*;q=0.1", results)
    'text/csv'
    >>> choose_media("text/*, application/sparql-results+json;q=0.5", results)
    'text/csv'
    >>> choose_media("text/csv;q=0, text/html", results) is None
    True
    """
    if not accept.strip():
        return offered[0] if offered else None
    ranges = []
    for index, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                quality = float(value) if _number(value) and 0 <= float(value) <= 1 else 0.0
        ranges.append((media.lower(), quality, index))
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for position, media in enumerate(offered):
        kind = media.split("/", 1)[0]
        matches = [
            (quality, specificity, index)
            for wanted, quality, index in ranges
            for specificity in [2 if wanted == media else 1 if wanted == f"{kind}/*" else 0 if wanted == "*/*" else -1]
            if specificity >= 0
        ]
        if not matches:
            continue
        quality, specificity, index = max(matches, key=lambda m: (m[1], -m[2]))  # the most specific range
        key = (quality, specificity, -index, -position)
        if quality > 0 and (best is None or key > best):
            best, chosen = key, media
    return chosen
