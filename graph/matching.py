"""Find peers: rank knowledge-providers for a seeker's challenges, and explain every score.

The toolkit's preparation phase asks "which countries, institutions and experts tackled challenges like
ours?". :class:`MatchIndex` reads the one projection of the graph (:mod:`graph.projection`) once and keeps,
per challenge concept, the evidence that each candidate provider worked on it: measures it adopted or
implemented, exchanges it gave as provider, projects it took part in, good practices, stated expertise.
:func:`rank_providers` then scores candidates of one kind with four signals, each in [0, 1] and shown:

``challenge``
    SKOS-aware similarity between the seeker's challenges and the provider's: the same concept counts 1,
    a direct broader or narrower concept 0.6, a sibling (same broader concept) 0.4, a concept of the same
    area of the 2005 Convention monitoring framework 0.25. Each seeker challenge weighs its priority times
    its rarity (inverse document frequency over providers), so generic challenges count less.
``track_record``
    How much evidence backs that similarity: the weights of the evidence items on related concepts
    (outcomes recorded add to their item), saturating as ``x / (x + 2)``.
``context``
    Half region (same UN sub-region 1, same region 0.6, or a preferred region 1) and half language (an
    official language shared with the seeker, or one of the preferred languages). Institutions and experts
    take the context of their country.
``prior_ties``
    1 if the provider already worked with the seeker (an exchange between them, or a project of the seeker
    the institution or expert took part in). With ``prior_ties="exclude"`` such providers are left out.

The score is ``0.55 challenge + 0.25 track_record + 0.15 context + 0.05 prior_ties``. The module never
touches a store and does not import networkx: it reads any graph with networkx's ``nodes``/``succ`` API.
"""

from __future__ import annotations

import heapq
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

ProviderKind = Literal["country", "institution", "expert"]
PROVIDER_KINDS: tuple[ProviderKind, ...] = ("country", "institution", "expert")

#: Weight of each signal in the score (they sum to 1).
SIGNAL_WEIGHTS = {"challenge": 0.55, "track_record": 0.25, "context": 0.15, "prior_ties": 0.05}
#: How close a provider's concept is to a seeker's challenge.
RELATION_SCORES = {"exact": 1.0, "broader": 0.6, "narrower": 0.6, "sibling": 0.4, "same_area": 0.25}
#: Weight of one evidence item, by how the provider worked on the challenge.
EVIDENCE_WEIGHTS = {
    "exchange": 1.5,
    "practice": 1.5,
    "measure": 1.0,
    "expertise": 1.0,
    "project": 0.5,
}
#: Most evidence paths shown per candidate (the strongest; ``evidence_total`` counts all).
MAX_EVIDENCE_SHOWN = 25
#: Added to an evidence item per outcome recorded for it.
OUTCOME_BONUS = 0.25

_CLASS_OF_KIND = {"country": "Country", "institution": "Institution", "expert": "Expert"}
_LABEL_PREFIXES = ("prefLabel", "altLabel", "label", "hiddenLabel", "notation")


@dataclass(frozen=True)
class Evidence:
    """One fact linking a provider to a challenge: ``provider → via → concept``."""

    provider: str
    via: str
    via_kind: str
    via_label: str
    concept: str
    weight: float
    outcomes: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Provider:
    """A candidate knowledge-provider and its context."""

    iri: str
    kind: ProviderKind
    label: str
    country: str | None
    region: str | None
    sub_region: str | None
    languages: frozenset[str]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    """A challenge concept of the SKOS scheme with its neighbours."""

    iri: str
    label: str
    names: tuple[str, ...]
    broader: frozenset[str]
    narrower: frozenset[str]
    areas: frozenset[str]


@dataclass
class MatchRequest:
    """What a knowledge-seeker asks for (already resolved to IRIs; see :mod:`graph.assessment`).

    ``challenges`` maps challenge concept IRIs to priority weights (> 0).
    """

    seeker: str
    challenges: dict[str, float]
    kind: ProviderKind = "country"
    k: int = 10
    preferred_languages: frozenset[str] = frozenset()
    preferred_regions: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    prior_ties: Literal["include", "exclude"] = "include"
    diverse: bool = False


@dataclass
class Candidate:
    """One ranked provider with its score parts, evidence paths and sources."""

    provider: Provider
    score: float
    signals: dict[str, float]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    evidence_total: int = 0
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
            "evidence": self.evidence,
            "evidence_total": self.evidence_total,
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

    def as_dict(self) -> dict[str, Any]:
        """Return the stable JSON shape: ``{"seeker", "kind", "results": [...]}`` plus context."""
        return {
            "seeker": self.request.seeker,
            "seeker_label": self.seeker_label,
            "kind": self.request.kind,
            "challenges": {iri: weight for iri, weight in self.request.challenges.items()},
            "considered": self.considered,
            "weights": SIGNAL_WEIGHTS,
            "results": [candidate.as_dict() for candidate in self.candidates],
        }


def fold_name(text: str) -> str:
    """Normalise a name for lookup: case, accents and hyphens ignored.

    Examples
    --------
    >>> fold_name("Piratería y-observancia")
    'pirateria y observancia'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("-", " ").split())


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _targets(graph: Any, node: str, kind: str) -> list[str]:
    return [target for target, keys in graph.succ[node].items() if kind in keys]


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return [str(item) for item in value]
    return [str(value)]


def _names(attributes: Mapping[str, object]) -> tuple[str, ...]:
    names = []
    for key, value in attributes.items():
        if key.split("_", 1)[0] in _LABEL_PREFIXES:
            names.extend(_as_list(value))
    return tuple(dict.fromkeys(names))


class MatchIndex:
    """Evidence per challenge and provider, read once from the projection of the graph.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection from :func:`graph.projection.project` that includes the challenge vocabulary and the
        country reference (edges keyed by relationship name, such as ``ADDRESSES_CHALLENGE``).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("c:film", type="Challenge", label="Film", prefLabel_en="Film")
    >>> g.add_node("C:ZAF", type="Country", label="South Africa", iso3="ZAF")
    >>> g.add_node("C:UGA", type="Country", label="Uganda", iso3="UGA")
    >>> g.add_node("m:1", type="PolicyMeasure", label="Film rebate")
    >>> _ = g.add_edge("m:1", "C:ZAF", key="ADOPTED_BY")
    >>> _ = g.add_edge("m:1", "c:film", key="ADDRESSES_CHALLENGE")
    >>> index = MatchIndex(g)
    >>> result = rank_providers(index, MatchRequest(seeker="C:UGA", challenges={"c:film": 1.0}))
    >>> [(c.provider.label, c.signals["challenge"]) for c in result.candidates]
    [('South Africa', 1.0)]
    """

    def __init__(self, graph: Any):
        nodes = graph.nodes
        by_type: dict[str, list[str]] = defaultdict(list)
        for node, data in nodes(data=True):
            by_type[data.get("type", "")].append(node)
        self.concepts: dict[str, Concept] = {}
        for iri in by_type["Challenge"]:
            data = nodes[iri]
            self.concepts[iri] = Concept(
                iri=iri,
                label=str(data.get("label", iri)),
                names=_names(data),
                broader=frozenset(_targets(graph, iri, "BROADER")),
                narrower=frozenset(_targets(graph, iri, "NARROWER")),
                areas=frozenset(_targets(graph, iri, "MONITORING_AREA")),
            )
        # Make broader/narrower symmetric whichever direction the vocabulary states.
        narrower: dict[str, set[str]] = defaultdict(set)
        for concept in self.concepts.values():
            for parent in concept.broader:
                narrower[parent].add(concept.iri)
        for iri, children in narrower.items():
            if iri in self.concepts:
                concept = self.concepts[iri]
                self.concepts[iri] = Concept(
                    concept.iri,
                    concept.label,
                    concept.names,
                    concept.broader,
                    concept.narrower | children,
                    concept.areas,
                )

        self._sources = {node: tuple(sorted(_targets(graph, node, "SOURCE"))) for node in nodes}
        outcomes: dict[str, int] = defaultdict(int)
        for outcome in by_type["Outcome"]:
            for target in _targets(graph, outcome, "OUTCOME_OF"):
                outcomes[target] += 1

        def country_context(country: str | None) -> tuple[str | None, str | None, frozenset[str]]:
            if country is None or country not in nodes:
                return None, None, frozenset()
            regions = _targets(graph, country, "IN_REGION")
            sub_regions = _targets(graph, country, "IN_SUB_REGION")
            languages = frozenset(_as_list(nodes[country].get("officialLanguage")))
            return (regions[0] if regions else None), (sub_regions[0] if sub_regions else None), languages

        self.providers: dict[str, Provider] = {}
        for kind, relation in (("country", None), ("institution", "BASED_IN"), ("expert", "NATIONALITY")):
            for iri in by_type[_CLASS_OF_KIND[kind]]:
                country = iri if relation is None else next(iter(_targets(graph, iri, relation)), None)
                region, sub_region, languages = country_context(country)
                self.providers[iri] = Provider(
                    iri,
                    kind,
                    str(nodes[iri].get("label", iri)),
                    country,
                    region,
                    sub_region,
                    languages,
                    self._sources.get(iri, ()),
                )

        self.iso2_codes = {
            iri: str(nodes[iri]["iso2"]) for iri in by_type["Country"] if isinstance(nodes[iri].get("iso2"), str)
        }
        # concept -> provider -> evidence items
        self.evidence: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
        self.ties: dict[str, set[str]] = defaultdict(set)

        def add(provider: str, via: str, via_kind: str, concepts: Iterable[str]) -> None:
            if provider not in self.providers:
                return
            count = outcomes.get(via, 0)
            weight = EVIDENCE_WEIGHTS[via_kind] + OUTCOME_BONUS * count
            label = str(nodes[via].get("label", via)) if via in nodes else via
            for concept in concepts:
                if concept in self.concepts:
                    self.evidence[concept][provider].append(
                        Evidence(provider, via, via_kind, label, concept, weight, count, self._sources.get(via, ()))
                    )

        for measure in by_type["PolicyMeasure"]:
            concepts = _targets(graph, measure, "ADDRESSES_CHALLENGE")
            for country in _targets(graph, measure, "ADOPTED_BY"):
                add(country, measure, "measure", concepts)
            for institution in _targets(graph, measure, "IMPLEMENTED_BY"):
                add(institution, measure, "measure", concepts)
        for practice in by_type["GoodPractice"]:
            concepts = _targets(graph, practice, "ADDRESSES_CHALLENGE")
            for provider in _targets(graph, practice, "PRACTICE_OF"):
                add(provider, practice, "practice", concepts)
        project_countries: dict[str, list[str]] = {}
        self._project_challenges: dict[str, dict[str, float]] = defaultdict(dict)
        for project in by_type["Project"]:
            concepts = _targets(graph, project, "ADDRESSES_CHALLENGE")
            project_countries[project] = _targets(graph, project, "BENEFICIARY")
            for country in project_countries[project]:
                add(country, project, "project", concepts)
                for concept in concepts:
                    self._project_challenges[country][concept] = 1.0
        for exchange in by_type["PeerExchange"]:
            concepts = _targets(graph, exchange, "ADDRESSES_CHALLENGE")
            seekers = _targets(graph, exchange, "SEEKER")
            givers = (
                _targets(graph, exchange, "PROVIDER")
                + _targets(graph, exchange, "PROVIDER_INSTITUTION")
                + _targets(graph, exchange, "PROVIDER_EXPERT")
            )
            for giver in givers:
                add(giver, exchange, "exchange", concepts)
                for seeker in seekers:
                    self.ties[giver].add(seeker)
                    self.ties[seeker].add(giver)
        for expert in by_type["Expert"]:
            add(expert, expert, "expertise", _targets(graph, expert, "EXPERT_IN"))
            for project in _targets(graph, expert, "PARTICIPATED_IN"):
                add(expert, project, "project", _targets(graph, project, "ADDRESSES_CHALLENGE"))
                for country in project_countries.get(project, ()):
                    self.ties[expert].add(country)
                    self.ties[country].add(expert)

        for by_provider in self.evidence.values():
            for items in by_provider.values():
                items.sort(key=lambda item: (-item.weight, item.via))
        self._tables: dict[str, KindTable] = {}
        self._name_tables: dict[str, dict[str, str]] = {}
        # Document frequency of each concept among providers of each kind, for rarity weights.
        self._providers_with_evidence: dict[str, int] = defaultdict(int)
        self._df: dict[tuple[str, str], int] = defaultdict(int)
        seen: set[str] = set()
        for concept, by_provider in self.evidence.items():
            for provider in by_provider:
                kind = self.providers[provider].kind
                self._df[(concept, kind)] += 1
                if provider not in seen:
                    seen.add(provider)
                    self._providers_with_evidence[kind] += 1

    def rarity(self, concept: str, kind: str) -> float:
        """Return the inverse document frequency of a concept among providers of a kind (≥ 1)."""
        total = self._providers_with_evidence.get(kind, 0)
        return math.log((total + 1) / (self._df.get((concept, kind), 0) + 1)) + 1.0

    def related(self, concept: str) -> dict[str, tuple[str, float]]:
        """Return the concepts close to ``concept`` with their relation name and score (the best one).

        Parameters
        ----------
        concept : str
            A challenge concept IRI.

        Returns
        -------
        dict of str to (str, float)
            Concept IRI → (relation, score), the concept itself included as ``exact``.
        """
        own = self.concepts.get(concept)
        if own is None:
            return {}
        found: dict[str, tuple[str, float]] = {}

        def offer(iri: str, relation: str) -> None:
            score = RELATION_SCORES[relation]
            if iri in self.concepts and (iri not in found or found[iri][1] < score):
                found[iri] = (relation, score)

        for other in self.concepts.values():
            if other.iri != concept and own.areas & other.areas:
                offer(other.iri, "same_area")
        for parent in own.broader:
            for sibling in self.concepts[parent].narrower if parent in self.concepts else ():
                if sibling != concept:
                    offer(sibling, "sibling")
            offer(parent, "broader")
        for child in own.narrower:
            offer(child, "narrower")
        found[concept] = ("exact", RELATION_SCORES["exact"])
        return found

    def table_of_kind(self, kind: str) -> KindTable:
        """Return the array view of the providers of one kind (built on first use, then kept)."""
        if kind not in self._tables:
            self._tables[kind] = KindTable(self, kind)
        return self._tables[kind]

    def name_table(self, kind: str) -> dict[str, str]:
        """Return folded name → IRI for ``country``, ``provider`` (any kind) or ``challenge`` (built once).

        Codes and ids (the IRI's last segment, ISO2 for countries) win over labels that happen to be equal.
        """
        if kind not in self._name_tables:
            table: dict[str, str] = {}
            if kind == "challenge":
                named = [(c.iri, c.names) for c in self.concepts.values()]
                codes = {c.iri: [_local(c.iri)] for c in self.concepts.values()}
            else:
                chosen = [p for p in self.providers.values() if kind == "provider" or p.kind == kind]
                named = [(p.iri, (p.label,)) for p in chosen]
                codes = {p.iri: [_local(p.iri), self.iso2_codes.get(p.iri, "")] for p in chosen}
            for iri, names in codes.items():
                table.update((fold_name(code), iri) for code in names if code)
            for iri, names in named:
                for name in names:
                    table.setdefault(fold_name(name), iri)
            self._name_tables[kind] = table
        return self._name_tables[kind]

    def challenges_of_seeker(self, seeker: str) -> dict[str, float]:
        """Return the challenges of the seeker's own projects (its diagnostic, as recorded), weight 1 each."""
        return dict(sorted(self._project_challenges.get(seeker, {}).items()))

    def seeker_label(self, seeker: str) -> str:
        """Return the display label of a seeker (its IRI if unknown)."""
        provider = self.providers.get(seeker)
        return provider.label if provider else seeker


class KindTable:
    """The providers of one kind as arrays, so one ranking is a few vector operations.

    ``weights[c, p]`` is the summed evidence weight of provider ``p`` on concept ``c`` (0 when none);
    region, sub-region and language membership are integer codes and boolean masks.
    """

    def __init__(self, index: MatchIndex, kind: str):
        self.providers = sorted((p for p in index.providers.values() if p.kind == kind), key=lambda p: (p.label, p.iri))
        self.position = {provider.iri: number for number, provider in enumerate(self.providers)}
        self.concept_row = {iri: row for row, iri in enumerate(sorted(index.concepts))}
        self.weights = np.zeros((len(self.concept_row), len(self.providers)))
        for concept, by_provider in index.evidence.items():
            row = self.concept_row[concept]
            for provider, items in by_provider.items():
                column = self.position.get(provider)
                if column is not None:
                    self.weights[row, column] = sum(item.weight for item in items)
        self.present = self.weights > 0
        codes: dict[str | None, int] = {None: -1}
        self.region_codes = codes
        self.region = np.array([codes.setdefault(p.region, len(codes)) for p in self.providers], dtype=np.int64)
        self.sub_region = np.array([codes.setdefault(p.sub_region, len(codes)) for p in self.providers], dtype=np.int64)
        self._language_masks: dict[str, np.ndarray] = {}

    def code(self, region: str | None) -> int:
        """Return the code of a region, or -2 (matches nothing) when unknown or missing."""
        return self.region_codes.get(region, -2) if region else -2

    def speaks(self, languages: frozenset[str]) -> np.ndarray:
        """Return the mask of providers with at least one of the languages as an official language."""
        mask = np.zeros(len(self.providers), dtype=bool)
        for language in languages:
            if language not in self._language_masks:
                self._language_masks[language] = np.array([language in p.languages for p in self.providers])
            mask |= self._language_masks[language]
        return mask


def _context(table: KindTable, seeker: Provider | None, request: MatchRequest) -> np.ndarray:
    if request.preferred_regions:
        codes = [table.code(region) for region in request.preferred_regions]
        region = (np.isin(table.region, codes) | np.isin(table.sub_region, codes)).astype(float)
    elif seeker is None:
        region = np.zeros(len(table.providers))
    else:
        region = np.where(
            table.sub_region == table.code(seeker.sub_region),
            1.0,
            np.where(table.region == table.code(seeker.region), 0.6, 0.0),
        )
    wanted = request.preferred_languages or (seeker.languages if seeker else frozenset())
    return 0.5 * region + 0.5 * table.speaks(wanted)


def _evidence_paths(
    index: MatchIndex, provider: str, chosen: dict[str, dict[str, tuple[str, float]]]
) -> tuple[list[dict[str, Any]], int, list[str]]:
    """Return the strongest evidence paths, how many there are, and the sources of the paths shown."""
    found: list[tuple[float, float, str, str, Evidence, str, str]] = []
    total = 0
    for seeker_challenge, related in chosen.items():
        for concept, (relation, score) in related.items():
            items = index.evidence.get(concept, {}).get(provider, ())
            total += len(items)
            for item in items[:MAX_EVIDENCE_SHOWN]:  # each list is sorted strongest first
                found.append((-score, -item.weight, item.via, concept, item, relation, seeker_challenge))
    strongest = heapq.nsmallest(MAX_EVIDENCE_SHOWN, found, key=lambda entry: entry[:4])
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
                "relation": relation,
                "weight": item.weight,
                "outcomes": item.outcomes,
                "sources": list(item.sources),
            }
        )
        sources.update(item.sources)
    return paths, total, sorted(sources)


def rank_providers(index: MatchIndex, request: MatchRequest) -> MatchResult:
    """Rank candidate providers of ``request.kind`` for the seeker's challenges.

    Parameters
    ----------
    index : MatchIndex
        The evidence index.
    request : MatchRequest
        Seeker, weighted challenges and options (resolved IRIs).

    Returns
    -------
    MatchResult
        At most ``request.k`` candidates, best first, each with signals, evidence paths and sources.
        Providers with no evidence on any related challenge are not candidates.
    """
    seeker = index.providers.get(request.seeker)
    related = {challenge: index.related(challenge) for challenge in request.challenges}
    importance = {
        challenge: weight * index.rarity(challenge, request.kind) for challenge, weight in request.challenges.items()
    }
    total_importance = sum(importance.values()) or 1.0
    excluded = set(request.exclude) | {request.seeker}
    ties = index.ties.get(request.seeker, set())

    table = index.table_of_kind(request.kind)
    size = len(table.providers)
    similarity = np.zeros(size)
    volume = np.zeros(size)
    total_weight = sum(request.challenges.values()) or 1.0
    for challenge, close in related.items():
        rows = [table.concept_row[concept] for concept in close]
        scores = np.array([score for _relation, score in close.values()])
        best = (table.present[rows] * scores[:, None]).max(axis=0) if rows else np.zeros(size)
        similarity += importance[challenge] * best
        volume += (request.challenges[challenge] / total_weight) * (scores @ table.weights[rows])
    tie_mask = np.zeros(size, dtype=bool)
    tie_mask[[table.position[p] for p in ties if p in table.position]] = True
    keep = similarity > 0
    keep[[table.position[p] for p in excluded if p in table.position]] = False
    if request.exclude and request.kind != "country":
        keep &= ~np.array([p.country in excluded for p in table.providers])
    if request.prior_ties == "exclude":
        keep &= ~tie_mask
    signals = {
        "challenge": similarity / total_importance,
        "track_record": volume / (volume + 2.0),
        "context": _context(table, seeker, request),
        "prior_ties": tie_mask.astype(float),
    }
    total = sum(SIGNAL_WEIGHTS[name] * values for name, values in signals.items())
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
    for candidate in chosen:
        paths, total, sources = _evidence_paths(index, candidate.provider.iri, related)
        candidate.evidence, candidate.evidence_total, candidate.sources = paths, total, sources
    return MatchResult(request, index.seeker_label(request.seeker), chosen, len(candidates))


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
