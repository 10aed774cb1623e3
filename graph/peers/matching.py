"""Find peers: rank knowledge-providers for a seeker's challenges and sectors, and explain every score.

The toolkit's preparation phase asks "which countries, institutions and experts tackled challenges like
ours?". :func:`rank_providers` scores the candidates of one kind (from :class:`~graph.peers.match_index.MatchIndex`)
with seven signals, each in [0, 1] and shown:

``depth``
    log(1 + n) over the candidates' largest, n counting the provider's items on a seeker challenge itself:
    a deep record on the topic, saturating, where loosely related work does not count. With seeker sectors
    the count in them (same sector 1, same cultural domain 0.6) counts fully and the count in any sector
    backs off to ``generic_weight``, as in ``evidence``.
``evidence``
    Specific evidence, scored like BM25 with each provider as a document of evidence items and each seeker
    challenge as a query term expanded through the SKOS scheme. An item weighs its kind (exchange given
    1.5, measure 1, project or institution 0.5, plus 0.25 per outcome); items on the challenge itself, on a
    broader or narrower concept (0.6), a sibling (0.4) or a concept of the same monitoring area (0.25) form
    separate terms, each saturating (``k1``, length-normalised by ``b``) and counting its relation score,
    and a challenge takes its best term. With seeker sectors the challenge-in-sector term (same sector 1,
    same cultural domain 0.6) counts fully and the bare challenge backs off to ``generic_weight``;
    challenges weigh their priority times their rarity among providers.
``text``
    The best BM25 match between the seeker's words (its challenge statement, the labels of its challenges
    and sectors in en/fr/es) and the words of one of the provider's evidence items, over the best
    candidate's: finds work the tags missed. The matched passages are shown.
``region``, ``language``, ``income``, ``treaties``
    Context similarity, part by part (:func:`_context_parts`). They count in proportion to ``depth``
    (:func:`counted_signals`): resemblance makes a provider with a record on the challenges a closer peer,
    but is no evidence of knowledge to share on its own.
``prior_ties``
    1 if the provider already worked with the seeker. With ``prior_ties="exclude"`` they are left out.

The score is :func:`combine`, the weighted mean of the counted signals, with :data:`DEFAULT_PARAMETERS`
fitted as a conditional logit on the real exchanges (README, "How providers are ranked";
``benchmarks/match.py`` reports the nested estimate and what each signal adds).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from graph.peers.match_index import (
    PROVIDER_KINDS,
    Evidence,
    KindTable,
    MatchIndex,
    Provider,
    ProviderKind,
    fold_name,
)
from graph.peers.text_bridge import tokens

__all__ = [
    "DEFAULT_PARAMETERS",
    "PROVIDER_KINDS",
    "Candidate",
    "MatchIndex",
    "MatchParameters",
    "MatchRequest",
    "MatchResult",
    "combine",
    "contributions",
    "counted_signals",
    "fold_name",
    "rank_providers",
]

#: Most evidence paths and text matches shown per candidate (the strongest; the totals count all).
MAX_EVIDENCE_SHOWN = 25
MAX_TEXT_SHOWN = 5
_COPYRIGHT = ("copyright", "piracy", "rights", "fair-remuneration")
#: The parts of context similarity, each its own signal.
CONTEXT_PARTS = ("region", "language", "income", "treaties")
#: Relations of a concept to a seeker challenge that count towards the depth of specific record: the
#: challenge itself (broader and narrower concepts let volume back in through the hierarchy).
DEPTH_RELATIONS = frozenset({"exact"})
#: Every signal, in the order shown.
SIGNALS = ("evidence", "depth", "text", *CONTEXT_PARTS, "prior_ties")


@dataclass(frozen=True)
class MatchParameters:
    """Every number the ranking uses; :data:`DEFAULT_PARAMETERS` are the cross-validated ones."""

    weights: Mapping[str, float]
    k1: float = 1.2
    b: float = 0.75
    relation_scores: Mapping[str, float] = field(
        default_factory=lambda: {"exact": 1.0, "broader": 0.6, "narrower": 0.6, "sibling": 0.4, "same_area": 0.25}
    )
    sector_scores: Mapping[str, float] = field(default_factory=lambda: {"same": 1.0, "same_domain": 0.6})
    generic_weight: float = 0.5

    def without(self, signal: str) -> MatchParameters:
        """Return these parameters with one signal's weight set to 0 (for ablations)."""
        return replace(self, weights={**self.weights, signal: 0.0})


#: Signal weights fitted as a conditional logit on the real bundled exchanges (``benchmarks/match.py``,
#: ``benchmarks/match_fit.py``); BM25's k1 and b at their textbook values; prior ties shown but not counted,
#: as they pointed to a seeker's other partners rather than to new peers.
DEFAULT_PARAMETERS = MatchParameters(
    weights={
        "evidence": 0.04,
        "depth": 0.17,
        "text": 0.13,
        "region": 0.22,
        "language": 0.35,
        "income": 0.08,
        "treaties": 0.0,
        "prior_ties": 0.0,
    }
)


@dataclass
class MatchRequest:
    """What a knowledge-seeker asks for (already resolved to IRIs; see :mod:`graph.peers.assessment`).

    ``challenges`` maps challenge concept IRIs to priority weights (> 0); ``sectors`` are sector concept
    IRIs (none: any sector); ``text`` is the seeker's own statement of its challenges, in any of en/fr/es.
    """

    seeker: str
    challenges: dict[str, float]
    kind: ProviderKind = "country"
    k: int = 10
    sectors: frozenset[str] = frozenset()
    text: str = ""
    preferred_languages: frozenset[str] = frozenset()
    preferred_regions: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    prior_ties: Literal["include", "exclude"] = "include"
    diverse: bool = False


@dataclass
class Candidate:
    """One ranked provider with its score parts, evidence paths, text matches and sources."""

    provider: Provider
    score: float
    signals: dict[str, float]
    #: Each signal's part of the score, ``w_s c_s / Σ w``: they add up to it (context parts counted times depth).
    contributions: dict[str, float] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    evidence_total: int = 0
    text_matches: list[dict[str, Any]] = field(default_factory=list)
    text_total: int = 0
    sources: list[str] = field(default_factory=list)
    diverse_pick: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the stable JSON shape of one result (``peergraph match --json``)."""
        return {
            "id": self.provider.iri,
            "label": self.provider.label,
            "kind": self.provider.kind,
            "country": self.provider.country,
            "score": round(self.score, 4),
            "signals": {name: round(value, 4) for name, value in self.signals.items()},
            "contributions": {name: round(value, 4) for name, value in self.contributions.items()},
            "evidence": self.evidence,
            "evidence_total": self.evidence_total,
            "text_matches": self.text_matches,
            "text_total": self.text_total,
            "sources": self.sources,
            "diverse_pick": self.diverse_pick,
        }


@dataclass
class MatchResult:
    """The ranked answer to a :class:`MatchRequest`."""

    request: MatchRequest
    seeker_label: str
    candidates: list[Candidate]
    considered: int
    parameters: MatchParameters = DEFAULT_PARAMETERS

    def as_dict(self) -> dict[str, Any]:
        """Return the stable JSON shape: ``{"seeker", "kind", "results": [...]}`` plus context."""
        return {
            "seeker": self.request.seeker,
            "seeker_label": self.seeker_label,
            "kind": self.request.kind,
            "challenges": dict(self.request.challenges),
            "sectors": sorted(self.request.sectors),
            "text": self.request.text,
            "exclude": sorted(self.request.exclude),
            "preferred_languages": sorted(self.request.preferred_languages),
            "preferred_regions": sorted(self.request.preferred_regions),
            "prior_ties": self.request.prior_ties,
            "diverse": self.request.diverse,
            "k": self.request.k,
            "considered": self.considered,
            "weights": dict(self.parameters.weights),
            "results": [candidate.as_dict() for candidate in self.candidates],
        }


def _sector_factor(index: MatchIndex, table: KindTable, wanted: frozenset[str], scores: Mapping[str, float]):
    """Return how much each item counts as evidence in the seeker's sectors (0 outside them and when unstated)."""
    domains = {parent for sector in wanted if sector in index.sectors for parent in index.sectors[sector].broader}
    factors = np.zeros(len(table.item_iris))
    for number, sectors in enumerate(table.item_sectors):
        if sectors & wanted:
            factors[number] = scores["same"]
        elif any(index.sectors[s].broader & domains for s in sectors if s in index.sectors):
            factors[number] = scores["same_domain"]
    return factors


def query_words(index: MatchIndex, request: MatchRequest) -> list[str]:
    """Return the stems of the seeker's words: its statement and its concepts' labels in every language."""
    words = tokens(request.text) if request.text else []
    for iri in list(request.challenges) + sorted(request.sectors):
        concept = index.concepts.get(iri) or index.sectors.get(iri)
        if concept is not None:
            for name in concept.names:
                words += tokens(name)
    return list(dict.fromkeys(words))


def _context_parts(table: KindTable, seeker: Provider | None, request: MatchRequest) -> dict[str, np.ndarray]:
    """Return how alike each provider's context is to the seeker's, part by part, each in [0, 1].

    ``region``: same UN sub-region 1, same region 0.6 (or in a preferred region 1); ``language``: an official
    language shared (or a preferred one); ``income``: the same World Bank group; ``treaties``: Jaccard of
    copyright treaties, only when the seeker asks about copyright. A part the graph cannot state is 0 for
    every provider, so it does not change the order.
    """
    size = len(table.providers)
    parts = {name: np.zeros(size) for name in CONTEXT_PARTS}
    if request.preferred_regions:
        codes = [table.code(region) for region in request.preferred_regions]
        parts["region"] = (np.isin(table.region, codes) | np.isin(table.sub_region, codes)).astype(float)
    elif seeker is not None and seeker.region:
        parts["region"] = np.where(
            table.sub_region == table.code(seeker.sub_region),
            1.0,
            np.where(table.region == table.code(seeker.region), 0.6, 0.0),
        )
    wanted = request.preferred_languages or (seeker.languages if seeker else frozenset())
    if wanted:
        parts["language"] = table.speaks(wanted).astype(float)
    if seeker is not None and seeker.income_group:
        parts["income"] = (table.income == table.code(seeker.income_group)).astype(float)
    asks_copyright = any(iri.rsplit("/", 1)[-1] in _COPYRIGHT for iri in request.challenges)
    if seeker is not None and seeker.treaties and asks_copyright:
        parts["treaties"] = np.array(
            [len(seeker.treaties & p.treaties) / len(seeker.treaties | p.treaties) for p in table.providers]
        )
    return parts


def _depth(
    table: KindTable,
    close: dict[str, dict[str, tuple[str, float]]],
    sector: np.ndarray | None,
    keep: np.ndarray,
    generic_weight: float,
) -> np.ndarray:
    """Return each provider's depth of specific record, in [0, 1].

    ``n`` counts the provider's items on a seeker challenge itself (loosely related work does not count) and
    the depth is log(1 + n) / log(1 + the candidates' largest n): the tenth item adds far less than the first.
    With seeker sectors (``sector``: how far each item is in them), the depth in the sectors counts fully and
    the depth in any sector backs off to ``generic_weight``, (in_sectors + g · any) / (1 + g): one measure in
    the seeker's sector outweighs ten in none, and a record whose sector the source does not state still counts.
    """
    on_topic = np.zeros(len(table.item_iris), dtype=bool)
    for related in close.values():
        on_topic |= table.relevance(related) > 0

    def scaled_log_count(counted: np.ndarray) -> np.ndarray:
        depth = np.log1p(np.bincount(table.item_provider, weights=counted, minlength=len(table.providers)))
        largest = depth[keep].max(initial=0.0)
        return depth / largest if largest > 0 else depth

    anywhere = scaled_log_count(on_topic.astype(float))
    if sector is None:
        return anywhere
    return (scaled_log_count(on_topic * sector) + generic_weight * anywhere) / (1.0 + generic_weight)


def _evidence_paths(
    index: MatchIndex,
    provider: str,
    chosen: dict[str, dict[str, tuple[str, float]]],
    limit: int | None = MAX_EVIDENCE_SHOWN,
) -> tuple[list[dict[str, Any]], int, list[str]]:
    """Return the strongest evidence paths (all with ``limit=None``), how many there are, and their sources."""
    found: list[tuple[float, float, str, str, Evidence, str, str]] = []
    total = 0
    for seeker_challenge, related in chosen.items():
        for concept, (relation, score) in related.items():
            items = index.evidence.get(concept, {}).get(provider, ())
            total += len(items)
            for item in items[:limit]:  # each list is sorted strongest first
                found.append((-score, -item.weight, item.via, concept, item, relation, seeker_challenge))
    key = lambda entry: entry[:4]  # noqa: E731
    strongest = sorted(found, key=key) if limit is None else heapq.nsmallest(limit, found, key=key)
    sources: set[str] = set(index.providers[provider].sources)
    paths = []
    for _score, _weight, via, concept, item, relation, seeker_challenge in strongest:
        paths.append(
            {
                "path": [provider, via, concept],
                "via_kind": item.via_kind,
                "via_label": item.via_label,
                "challenge": concept,
                "challenge_label": index.concepts[concept].label,
                "seeker_challenge": seeker_challenge,
                "seeker_challenge_label": index.concepts[seeker_challenge].label,
                "relation": relation,
                "sectors": sorted(index.items[via].sectors),
                "weight": item.weight,
                "outcomes": item.outcomes,
                "sources": list(item.sources),
            }
        )
        sources.update(item.sources)
    return paths, total, sorted(sources)


@dataclass
class Scores:
    """Every provider's signals and score for one request (arrays in the kind table's provider order)."""

    table: KindTable
    total: np.ndarray
    keep: np.ndarray
    signals: dict[str, np.ndarray]
    per_item_text: np.ndarray
    related: dict[str, dict[str, tuple[str, float]]]
    words: list[str]

    def order(self) -> list[str]:
        """Return the IRIs of the candidates, best first (ties by label, then IRI)."""
        candidates = np.flatnonzero(self.keep)
        return [self.table.providers[c].iri for c in candidates[np.argsort(-self.total[candidates], kind="stable")]]


def score_providers(
    index: MatchIndex, request: MatchRequest, parameters: MatchParameters = DEFAULT_PARAMETERS
) -> Scores:
    """Score every provider of ``request.kind`` (no selection, no explanation): the core of the ranking."""
    seeker = index.providers.get(request.seeker)
    table = index.table_of_kind(request.kind)
    size = len(table.providers)
    related = {c: index.related(c, parameters.relation_scores) for c in request.challenges if c in index.concepts}
    importance = {c: request.challenges[c] * table.rarity(c) for c in related}
    total_importance = sum(importance.values()) or 1.0
    k1, b = parameters.k1, parameters.b
    norm = k1 * (1 - b + b * table.length / table.average_length)

    def bm25(per_item: np.ndarray) -> np.ndarray:
        frequency = np.bincount(table.item_provider, weights=per_item, minlength=size)
        return np.divide(frequency * (k1 + 1), frequency + norm, out=np.zeros(size), where=frequency > 0) / (k1 + 1)

    # Each relation level (same concept, broader or narrower, sibling, same area) is its own expanded query
    # term that saturates on its own and counts its score: many loosely related items cannot add up to the
    # weight of one on the challenge itself; a challenge takes its best level. With sectors, the
    # challenge-in-sector term counts fully and the challenge alone backs off to generic_weight.
    sector = _sector_factor(index, table, request.sectors, parameters.sector_scores) if request.sectors else None
    generic = parameters.generic_weight if request.sectors else 1.0
    evidence = np.zeros(size)
    for challenge, close in related.items():
        relevance = table.relevance(close)
        best = np.zeros(size)
        for level in np.unique(relevance[relevance > 0]):
            per_item = table.item_weight * (relevance == level)
            found = generic * bm25(per_item)
            if sector is not None:
                found = (bm25(per_item * sector) + found) / (1.0 + generic)
            best = np.maximum(best, level * found)
        evidence += importance[challenge] * best
    evidence /= total_importance

    words = query_words(index, request)
    item_scores = np.append(index.texts.scores(words), 0.0)  # position -1: items without words score 0
    per_item_text = item_scores[table.item_text]
    text = np.zeros(size)
    np.maximum.at(text, table.item_provider, per_item_text)

    ties = index.ties.get(request.seeker, set())
    tie_mask = np.zeros(size, dtype=bool)
    tie_mask[[table.position[p] for p in ties if p in table.position]] = True
    keep = (evidence > 0) | (text > 0)
    excluded = set(request.exclude) | {request.seeker}
    keep[[table.position[p] for p in excluded if p in table.position]] = False
    if request.exclude and request.kind != "country":
        keep &= ~np.array([p.country in excluded for p in table.providers], dtype=bool)
    if request.prior_ties == "exclude":
        keep &= ~tie_mask
    best_text = text[keep].max(initial=0.0)  # over the candidates: the seeker's own words would match itself
    text = text / best_text if best_text > 0 else text
    close = {c: {k: v for k, v in found.items() if v[0] in DEPTH_RELATIONS} for c, found in related.items()}
    signals = {
        "evidence": evidence,
        "depth": _depth(table, close, sector, keep, parameters.generic_weight),
        "text": text,
        **_context_parts(table, seeker, request),
        "prior_ties": tie_mask.astype(float),
    }
    return Scores(table, combine(signals, parameters), keep, signals, per_item_text, related, words)


def counted_signals(signals: Mapping[str, Any]) -> dict[str, Any]:
    """Return the signals as the score counts them: each context part times ``depth``.

    Context similarity makes a provider with a specific record a closer peer; it is not evidence on its own,
    so a resembling country with no record on the seeker's challenges gains nothing from it. Works on arrays
    (all providers) and on one provider's floats alike.
    """
    depth = signals["depth"]
    return {name: values * depth if name in CONTEXT_PARTS else values for name, values in signals.items()}


def contributions(signals: Mapping[str, Any], parameters: MatchParameters) -> dict[str, Any]:
    """Return each signal's part of the score, ``w_s c_s / Σ w`` (``c_s`` counted: :func:`counted_signals`)."""
    weights = parameters.weights
    total = sum(weights.get(name, 0.0) for name in signals) or 1.0
    return {name: weights.get(name, 0.0) * values / total for name, values in counted_signals(signals).items()}


def combine(signals: Mapping[str, Any], parameters: MatchParameters) -> Any:
    """Return the scores: the weighted mean of the counted signals, ``Σ w_s c_s / Σ w_s`` (in [0, 1]).

    A weighted sum is the log-odds of a conditional logit: the weights are fitted as one
    (``benchmarks/match.py``), and the mean keeps the score readable on the signals' own scale.
    """
    return sum(contributions(signals, parameters).values())


def rank_providers(
    index: MatchIndex,
    request: MatchRequest,
    parameters: MatchParameters = DEFAULT_PARAMETERS,
    *,
    evidence_limit: int | None = MAX_EVIDENCE_SHOWN,
    text_limit: int | None = MAX_TEXT_SHOWN,
) -> MatchResult:
    """Rank candidate providers of ``request.kind`` for the seeker's challenges, sectors and words.

    Parameters
    ----------
    index : MatchIndex
        The evidence index.
    request : MatchRequest
        Seeker, weighted challenges, sectors, statement and options (resolved IRIs).
    parameters : MatchParameters
        Signal weights and BM25 and similarity constants.
    evidence_limit, text_limit : int or None
        Most evidence paths and text matches explained per candidate (the strongest; None: every one). They
        change the explanation only, never the scores; ``evidence_total`` and ``text_total`` count them all.

    Returns
    -------
    MatchResult
        At most ``request.k`` candidates, best first, each with signals, evidence paths, text matches and
        sources. Providers with no evidence related to the request, by concept or by words, are not
        candidates.
    """
    seeker = index.providers.get(request.seeker)
    scores = score_providers(index, request, parameters)
    table, total, keep, signals, per_item_text, related, words = (
        scores.table,
        scores.total,
        scores.keep,
        scores.signals,
        scores.per_item_text,
        scores.related,
        scores.words,
    )
    candidates = np.flatnonzero(keep)
    # Providers are in (label, IRI) order, so a stable sort on -score breaks ties by label then IRI.
    order = candidates[np.argsort(-total[candidates], kind="stable")]
    wanted = request.k if not request.diverse else len(order)
    scored = [
        Candidate(
            table.providers[column],
            float(total[column]),
            {name: float(values[column]) for name, values in signals.items()},
        )
        for column in order[:wanted]
    ]
    chosen = _select(scored, request, seeker)
    best_text: dict[int, list[tuple[float, str]]] = {}
    columns = [table.position[c.provider.iri] for c in chosen]
    for number in np.flatnonzero(np.isin(table.item_provider, columns) & (per_item_text > 0)):
        column = int(table.item_provider[number])
        best_text.setdefault(column, []).append((float(per_item_text[number]), table.item_iris[number]))
    for candidate in chosen:
        candidate.contributions = contributions(candidate.signals, parameters)
        paths, count, sources = _evidence_paths(index, candidate.provider.iri, related, evidence_limit)
        candidate.evidence, candidate.evidence_total, candidate.sources = paths, count, sources
        matches = sorted(best_text.get(table.position[candidate.provider.iri], []), key=lambda m: (-m[0], m[1]))
        candidate.text_matches = [
            {
                "via": iri,
                "via_kind": index.items[iri].kind,
                "via_label": index.items[iri].label,
                "score": round(score, 4),
                "matched_words": list(index.texts.matched(iri, words)),
                "sources": list(index.items[iri].sources),
            }
            for score, iri in matches[:text_limit]
        ]
        shown = {url for match in candidate.text_matches for url in match["sources"]}
        candidate.sources = sorted(set(candidate.sources) | shown)
        candidate.text_total = len(matches)
    return MatchResult(request, index.seeker_label(request.seeker), chosen, len(candidates), parameters)


def _select(scored: list[Candidate], request: MatchRequest, seeker: Provider | None) -> list[Candidate]:
    """Take the top ``k``; with ``diverse``, keep a third of the slots for other regions' best providers."""
    if not request.diverse or seeker is None or request.k < 3:
        return scored[: request.k]
    reserved = max(1, request.k // 3)
    top = scored[: request.k - reserved]
    others = [c for c in scored[request.k - reserved :] if c.provider.region != seeker.region]
    picks = others[:reserved]
    for candidate in picks:
        candidate.diverse_pick = True
    rest = [c for c in scored[request.k - reserved :] if c not in picks]
    chosen = top + picks + rest[: request.k - len(top) - len(picks)]
    return sorted(chosen, key=lambda c: (-c.score, c.provider.label, c.provider.iri))
