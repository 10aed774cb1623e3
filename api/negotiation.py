"""Content negotiation: pick the media type a client prefers among those a route can produce."""

from __future__ import annotations

from collections.abc import Iterable


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
