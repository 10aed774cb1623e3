"""One match request, carried whole through URLs: from ``/peers`` (form or upload) to the brief and downloads.

A :class:`~graph.peers.matching.MatchRequest` holds more than a form's fields: challenge weights, exclusions,
preferred languages and regions, the prior-ties choice, the statement. :func:`request_to_params` writes all
of it as query parameters and :func:`request_from_params` reads them back to an equal request, so a brief
opened from a ranking is ranked under the very same request (issue 19: a brief once dropped the weights
and exclusions of an uploaded assessment and contradicted its ranking).

Parameters (each repeatable except the scalars)::

    seeker=NAM  challenge=piracy@3  sector=music  text=…  exclude=ZAF  prefer_language=en
    prefer_region=southern-africa  prior_ties=exclude  diverse=true  kind=country  k=10

A challenge's weight follows ``@`` (``piracy@3``; none: 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from graph.errors import InvalidRequest
from graph.peers.assessment import build_request, resolve_challenge, resolve_entity, resolve_region
from graph.peers.matching import MatchIndex, MatchRequest
from ontology.namespaces import PREFIXES

_NS = {name: str(PREFIXES[name]) for name in ("challenge", "sector", "region")}
#: Query parameters a match request uses (the others on a page, like ``provider`` or ``format``, are not).
PARAMETERS = (
    "seeker",
    "challenge",
    "sector",
    "text",
    "exclude",
    "prefer_language",
    "prefer_region",
    "prior_ties",
    "exclude_prior_ties",
    "diverse",
    "kind",
    "k",
)


def _short(iri: str, namespace: str) -> str:
    prefix = _NS[namespace]
    return iri.removeprefix(prefix) if iri.startswith(prefix) else iri


def _weight_text(weight: float) -> str:
    return f"{weight:g}"


def request_to_params(index: MatchIndex, request: MatchRequest) -> list[tuple[str, str]]:
    """Return the query parameters that :func:`request_from_params` reads back to ``request``.

    Parameters
    ----------
    index : MatchIndex
        The index the request was resolved against (countries are written by ISO3 code).
    request : MatchRequest
        A resolved request.

    Returns
    -------
    list of (str, str)
        Ordered pairs, ready for ``urllib.parse.urlencode``.
    """
    pairs: list[tuple[str, str]] = [("seeker", _provider_key(index, request.seeker))]
    for iri, weight in request.challenges.items():
        name = _short(iri, "challenge")
        pairs.append(("challenge", name if weight == 1 else f"{name}@{_weight_text(weight)}"))
    pairs += [("sector", _short(iri, "sector")) for iri in sorted(request.sectors)]
    if request.text:
        pairs.append(("text", request.text))
    pairs += [("exclude", _provider_key(index, iri)) for iri in sorted(request.exclude)]
    pairs += [("prefer_language", code) for code in sorted(request.preferred_languages)]
    pairs += [("prefer_region", _short(iri, "region")) for iri in sorted(request.preferred_regions)]
    if request.prior_ties == "exclude":
        pairs.append(("prior_ties", "exclude"))
    if request.diverse:
        pairs.append(("diverse", "true"))
    pairs += [("kind", request.kind), ("k", str(request.k))]
    return pairs


def _provider_key(index: MatchIndex, iri: str) -> str:
    """Name a country by its code (``NAM``), any other provider by its IRI (ids may repeat across kinds)."""
    provider = index.providers.get(iri)
    return iri.rsplit("/", 1)[-1] if provider is not None and provider.kind == "country" else iri


def _split_weight(text: str) -> tuple[str, float]:
    name, sep, weight = text.rpartition("@")
    if not sep:
        return text, 1.0
    try:
        value = float(weight)
    except ValueError:
        return text, 1.0
    if value <= 0:
        raise InvalidRequest("challenge", f"the weight after @ must be above 0, got {text!r}")
    return name, value


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "on", "yes")


def request_from_params(index: MatchIndex, params: Mapping[str, Iterable[str]]) -> MatchRequest:
    """Resolve a match request from query parameters (see the module docstring).

    Without ``challenge``, the request starts from the statement's concepts or the seeker's own projects,
    as :func:`graph.peers.assessment.build_request` does.

    Parameters
    ----------
    index : MatchIndex
        The evidence index.
    params : mapping of str to iterable of str
        Every value of each parameter (``request.query_params`` grouped, or ``parse_qs`` output).

    Returns
    -------
    MatchRequest
        The resolved request.

    Raises
    ------
    InvalidRequest
        Naming the parameter and the closest known terms.
    """
    values = {key: [v for v in params.get(key, ()) if v != ""] for key in PARAMETERS}

    def one(key: str, default: str | None = None) -> str | None:
        return values[key][-1] if values[key] else default

    seeker = one("seeker")
    if not seeker:
        raise InvalidRequest("seeker", "choose the knowledge-seeking country")
    weighted: dict[str, float] = {}
    for item in values["challenge"]:
        name, weight = _split_weight(item)
        iri = resolve_challenge(index, name)
        weighted[iri] = weighted.get(iri, 0.0) + weight
    k_text = one("k", "10") or "10"
    if not k_text.isdigit() or not 1 <= int(k_text) <= 200:
        raise InvalidRequest("k", f"k must be a whole number from 1 to 200, got {k_text!r}")
    prior = one("prior_ties", "include")
    if prior not in ("include", "exclude"):
        raise InvalidRequest("prior_ties", f"use include or exclude, got {prior!r}")
    base = build_request(
        index,
        seeker=seeker,
        challenges=list(weighted),
        kind=one("kind", "country") or "country",
        k=int(k_text),
        exclude_prior_ties=prior == "exclude" or _flag(one("exclude_prior_ties")),
        diverse=_flag(one("diverse")),
        sectors=values["sector"],
        text=one("text", "") or "",
    )
    challenges = {**base.challenges, **weighted}
    return replace(
        base,
        challenges=challenges,
        exclude=frozenset(resolve_entity(index, name, parameter="exclude") for name in values["exclude"]),
        preferred_languages=frozenset(code.strip().lower() for code in values["prefer_language"]),
        preferred_regions=frozenset(resolve_region(name) for name in values["prefer_region"]),
    )


def describe_request(index: MatchIndex, request: MatchRequest, labels: Mapping[str, str]) -> dict[str, Any]:
    """Return the request in words, for the page that answers it ("this ranking answers …").

    Parameters
    ----------
    index : MatchIndex
        The evidence index (labels of seekers, providers and concepts).
    request : MatchRequest
        The request.
    labels : mapping of str to str
        Other labels by IRI (regions).

    Returns
    -------
    dict
        ``seeker``, ``challenges`` (``iri``, ``label``, ``weight``), ``sectors``, ``text``, ``exclude``,
        ``preferred_languages``, ``preferred_regions`` (labels), ``prior_ties``, ``diverse``, ``kind``, ``k``.
    """

    def label(iri: str) -> str:
        if iri in index.concepts:
            return index.concepts[iri].label
        if iri in index.sectors:
            return index.sectors[iri].label
        if iri in index.providers:
            return index.providers[iri].label
        return labels.get(iri, iri.rsplit("/", 1)[-1])

    return {
        "seeker": label(request.seeker),
        "challenges": [{"iri": iri, "label": label(iri), "weight": w} for iri, w in request.challenges.items()],
        "sectors": sorted(label(iri) for iri in request.sectors),
        "text": request.text,
        "exclude": sorted(label(iri) for iri in request.exclude),
        "preferred_languages": sorted(request.preferred_languages),
        "preferred_regions": sorted(label(iri) for iri in request.preferred_regions),
        "prior_ties": request.prior_ties,
        "diverse": request.diverse,
        "kind": request.kind,
        "k": request.k,
    }
