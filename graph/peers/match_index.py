"""What find peers knows, read once from the projection: providers, their evidence items, concepts, texts.

:class:`MatchIndex` reads the one projection of the graph (:mod:`graph.services.projection`) and keeps, for every
candidate provider (country, institution, expert), the **evidence items** that show it worked on
something: measures it adopted or implemented, exchanges it gave as provider, projects it took part in,
good practices, stated expertise, and, for a country, its institutions whose kind suits a challenge (a
copyright office for *copyright*). Each item carries its challenge concepts, its cultural sectors, its
words (for the text bridge, :mod:`graph.peers.text_bridge`) and its sources. :class:`KindTable` holds the items
of one kind of provider as sparse arrays so one ranking is a few vector operations. The module never
touches a store and does not import networkx: it reads any graph with networkx's ``nodes``/``succ`` API.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import sparse

from graph.peers.text_bridge import TextIndex
from ontology import mint_iri

ProviderKind = Literal["country", "institution", "expert"]
PROVIDER_KINDS: tuple[ProviderKind, ...] = ("country", "institution", "expert")

#: Weight of one evidence item, by how the provider worked on the challenge.
EVIDENCE_WEIGHTS = {
    "exchange": 1.5,
    "practice": 1.5,
    "measure": 1.0,
    "expertise": 1.0,
    "project": 0.5,
    "institution": 0.5,
}
#: Added to an evidence item per outcome recorded for it.
OUTCOME_BONUS = 0.25

_CLASS_OF_KIND = {"country": "Country", "institution": "Institution", "expert": "Expert"}
_LABEL_PREFIXES = ("prefLabel", "altLabel", "label", "hiddenLabel", "notation")
_TEXT_FIELDS = ("label", "description", "topic", "aims", "challengesNote", "expertiseNote", "policyAreaNote")


@dataclass(frozen=True)
class Provider:
    """A candidate knowledge-provider and its context (that of its country for institutions and experts)."""

    iri: str
    kind: ProviderKind
    label: str
    country: str | None
    region: str | None
    sub_region: str | None
    languages: frozenset[str]
    sources: tuple[str, ...]
    income_group: str | None = None
    treaties: frozenset[str] = frozenset()
    institution_type: str | None = None
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A concept (challenge or sector) with its neighbours and names in every language."""

    iri: str
    label: str
    names: tuple[str, ...]
    broader: frozenset[str]
    narrower: frozenset[str]
    areas: frozenset[str]


@dataclass(frozen=True)
class Item:
    """One evidence record (measure, exchange, project, practice, expertise, institution)."""

    iri: str
    kind: str
    label: str
    concepts: tuple[str, ...]
    sectors: frozenset[str]
    outcomes: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    """One fact linking a provider to a concept: ``provider → via → concept``."""

    provider: str
    via: str
    via_kind: str
    via_label: str
    concept: str
    weight: float
    outcomes: int
    sources: tuple[str, ...]


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


def _concepts(graph: Any, nodes: Iterable[str]) -> dict[str, Concept]:
    """Read concepts with broader/narrower made symmetric, whichever direction the vocabulary states."""
    found = {
        iri: Concept(
            iri,
            str(graph.nodes[iri].get("label", iri)),
            _names(graph.nodes[iri]),
            frozenset(_targets(graph, iri, "BROADER")),
            frozenset(_targets(graph, iri, "NARROWER")),
            frozenset(_targets(graph, iri, "MONITORING_AREA")),
        )
        for iri in nodes
    }
    children: dict[str, set[str]] = defaultdict(set)
    for concept in found.values():
        for parent in concept.broader:
            children[parent].add(concept.iri)
    for iri, below in children.items():
        if iri in found:
            c = found[iri]
            found[iri] = Concept(c.iri, c.label, c.names, c.broader, c.narrower | below, c.areas)
    return found


class MatchIndex:
    """Providers, evidence items, concepts and texts, read once from the projection of the graph.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection from :func:`graph.services.projection.project` that includes the vocabularies and the country
        reference (edges keyed by relationship name, such as ``ADDRESSES_CHALLENGE``).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("c:film", type="Challenge", label="Film", prefLabel_en="Film")
    >>> g.add_node("C:ZAF", type="Country", label="South Africa", iso3="ZAF")
    >>> g.add_node("m:1", type="PolicyMeasure", label="Film rebate")
    >>> _ = g.add_edge("m:1", "C:ZAF", key="ADOPTED_BY")
    >>> _ = g.add_edge("m:1", "c:film", key="ADDRESSES_CHALLENGE")
    >>> index = MatchIndex(g)
    >>> [(e.provider, e.via, e.weight) for e in index.evidence["c:film"]["C:ZAF"]]
    [('C:ZAF', 'm:1', 1.0)]
    """

    def __init__(self, graph: Any):
        nodes = graph.nodes
        by_type: dict[str, list[str]] = defaultdict(list)
        for node, data in nodes(data=True):
            by_type[data.get("type", "")].append(node)
        self.concepts = _concepts(graph, by_type["Challenge"])
        self.sectors = _concepts(graph, by_type["Sector"])
        self._sources = {node: tuple(sorted(_targets(graph, node, "SOURCE"))) for node in nodes}
        outcomes: dict[str, int] = defaultdict(int)
        for outcome in by_type["Outcome"]:
            for target in _targets(graph, outcome, "OUTCOME_OF"):
                outcomes[target] += 1
        # skos:related links an institution kind to the challenges such bodies handle.
        suited = {kind: _targets(graph, kind, "RELATED") for kind in by_type["InstitutionType"]}

        # Copyright treaties each country is party to (TreatyMembership records; the 2005 Convention is not
        # a copyright treaty and its Party list is incomplete, so it is left out).
        memberships: dict[str, set[str]] = defaultdict(set)
        convention = str(mint_iri("treaty", "convention-2005"))
        for membership in by_type["TreatyMembership"]:
            for treaty in _targets(graph, membership, "TREATY"):
                if treaty != convention:
                    for country in _targets(graph, membership, "MEMBER_COUNTRY"):
                        memberships[country].add(treaty)

        def country_context(country: str | None) -> dict[str, Any]:
            if country is None or country not in nodes:
                return {}
            regions = _targets(graph, country, "IN_REGION")
            sub_regions = _targets(graph, country, "IN_SUB_REGION")
            income = _targets(graph, country, "INCOME_GROUP")
            treaties = memberships.get(country, ())
            return {
                "region": regions[0] if regions else None,
                "sub_region": sub_regions[0] if sub_regions else None,
                "languages": frozenset(_as_list(nodes[country].get("officialLanguage"))),
                "income_group": income[0] if income else None,
                "treaties": frozenset(treaties),
            }

        self.providers: dict[str, Provider] = {}
        for kind, relation in (("country", None), ("institution", "BASED_IN"), ("expert", "NATIONALITY")):
            for iri in by_type[_CLASS_OF_KIND[kind]]:
                country = iri if relation is None else next(iter(_targets(graph, iri, relation)), None)
                types = _targets(graph, iri, "INSTITUTION_TYPE")
                self.providers[iri] = Provider(
                    iri,
                    kind,
                    str(nodes[iri].get("label", iri)),
                    country,
                    sources=self._sources.get(iri, ()),
                    institution_type=types[0] if types else None,
                    names=_names(nodes[iri]),
                    **{"region": None, "sub_region": None, "languages": frozenset(), **country_context(country)},
                )
        self.iso2_codes = {
            iri: str(nodes[iri]["iso2"]) for iri in by_type["Country"] if isinstance(nodes[iri].get("iso2"), str)
        }

        self.items: dict[str, Item] = {}
        texts: dict[str, str] = {}
        #: provider -> [(item IRI, weight)]
        self.provider_items: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.ties: dict[str, set[str]] = defaultdict(set)

        def item(iri: str, kind: str, concepts: Iterable[str]) -> Item:
            if iri not in self.items:
                data = nodes.get(iri, {}) if hasattr(nodes, "get") else nodes[iri]
                self.items[iri] = Item(
                    iri,
                    kind,
                    str(data.get("label", iri)),
                    tuple(c for c in dict.fromkeys(concepts) if c in self.concepts),
                    frozenset(s for s in _targets(graph, iri, "SECTOR") if s in self.sectors),
                    outcomes.get(iri, 0),
                    self._sources.get(iri, ()),
                )
                own = {**data, "label": data.get("identifier")} if data.get("label_derived") else data
                texts[iri] = ". ".join(text for field in _TEXT_FIELDS for text in _as_list(own.get(field)))
            return self.items[iri]

        def add(provider: str, via: Item) -> None:
            if provider in self.providers:
                weight = EVIDENCE_WEIGHTS[via.kind] + OUTCOME_BONUS * via.outcomes
                self.provider_items[provider].append((via.iri, weight))

        for measure in by_type["PolicyMeasure"]:
            found = item(measure, "measure", _targets(graph, measure, "ADDRESSES_CHALLENGE"))
            for provider in _targets(graph, measure, "ADOPTED_BY") + _targets(graph, measure, "IMPLEMENTED_BY"):
                add(provider, found)
        for practice in by_type["GoodPractice"]:
            found = item(practice, "practice", _targets(graph, practice, "ADDRESSES_CHALLENGE"))
            for provider in _targets(graph, practice, "PRACTICE_OF"):
                add(provider, found)
        project_countries: dict[str, list[str]] = {}
        self._seeker_needs: dict[str, tuple[dict[str, float], set[str]]] = defaultdict(lambda: ({}, set()))
        for project in by_type["Project"]:
            found = item(project, "project", _targets(graph, project, "ADDRESSES_CHALLENGE"))
            project_countries[project] = _targets(graph, project, "BENEFICIARY")
            for country in project_countries[project]:
                add(country, found)
                challenges, sectors = self._seeker_needs[country]
                challenges.update(dict.fromkeys(found.concepts, 1.0))
                sectors.update(found.sectors)
        for exchange in by_type["PeerExchange"]:
            found = item(exchange, "exchange", _targets(graph, exchange, "ADDRESSES_CHALLENGE"))
            seekers = _targets(graph, exchange, "SEEKER")
            for giver in (
                _targets(graph, exchange, "PROVIDER")
                + _targets(graph, exchange, "PROVIDER_INSTITUTION")
                + _targets(graph, exchange, "PROVIDER_EXPERT")
            ):
                add(giver, found)
                for seeker in seekers:
                    self.ties[giver].add(seeker)
                    self.ties[seeker].add(giver)
        for expert in by_type["Expert"]:
            add(expert, item(expert, "expertise", _targets(graph, expert, "EXPERT_IN")))
            for project in _targets(graph, expert, "PARTICIPATED_IN"):
                if project in self.items:
                    add(expert, self.items[project])
                for country in project_countries.get(project, ()):
                    self.ties[expert].add(country)
                    self.ties[country].add(expert)
        for institution in by_type["Institution"]:
            kind_of = self.providers[institution].institution_type
            concepts = suited.get(kind_of, []) if kind_of else []
            if concepts:
                found = item(institution, "institution", concepts)
                add(self.providers[institution].country or "", found)

        self.evidence: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
        for provider, held in self.provider_items.items():
            for iri, weight in held:
                via = self.items[iri]
                for concept in via.concepts:
                    self.evidence[concept][provider].append(
                        Evidence(provider, iri, via.kind, via.label, concept, weight, via.outcomes, via.sources)
                    )
        for by_provider in self.evidence.values():
            for found_items in by_provider.values():
                found_items.sort(key=lambda e: (-e.weight, e.via))
        self.texts = TextIndex(texts)
        self._tables: dict[str, KindTable] = {}
        self._name_tables: dict[str, dict[str, str]] = {}

    def related(self, concept: str, relation_scores: Mapping[str, float]) -> dict[str, tuple[str, float]]:
        """Return the concepts close to ``concept`` with their relation and its score (the best one).

        Relations are ``exact``, ``broader``, ``narrower``, ``sibling`` (same broader concept) and
        ``same_area`` (same area of the 2005 Convention monitoring framework).
        """
        own = self.concepts.get(concept)
        if own is None:
            return {}
        found: dict[str, tuple[str, float]] = {}

        def offer(iri: str, relation: str) -> None:
            score = relation_scores.get(relation, 0.0)
            if score > 0 and iri in self.concepts and (iri not in found or found[iri][1] < score):
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
        found[concept] = ("exact", 1.0)
        return found

    def table_of_kind(self, kind: str) -> KindTable:
        """Return the array view of the providers of one kind (built on first use, then kept)."""
        if kind not in self._tables:
            self._tables[kind] = KindTable(self, kind)
        return self._tables[kind]

    def name_table(self, kind: str) -> dict[str, str]:
        """Return folded name → IRI for ``country``, ``provider`` (any kind), ``challenge`` or ``sector``.

        Codes and ids (the IRI's last segment, ISO2 for countries) win over labels that happen to be equal.
        """
        if kind not in self._name_tables:
            table: dict[str, str] = {}
            if kind in ("challenge", "sector"):
                concepts = self.concepts if kind == "challenge" else self.sectors
                named = [(c.iri, c.names) for c in concepts.values()]
                codes = {c.iri: [_local(c.iri)] for c in concepts.values()}
            else:
                chosen = [p for p in self.providers.values() if kind == "provider" or p.kind == kind]
                named = [(p.iri, (p.label, *p.names)) for p in chosen]
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
        return dict(sorted(self._seeker_needs[seeker][0].items())) if seeker in self._seeker_needs else {}

    def sectors_of_seeker(self, seeker: str) -> frozenset[str]:
        """Return the sectors of the seeker's own projects."""
        return frozenset(self._seeker_needs[seeker][1]) if seeker in self._seeker_needs else frozenset()

    def seeker_label(self, seeker: str) -> str:
        """Return the display label of a seeker (its IRI if unknown)."""
        provider = self.providers.get(seeker)
        return provider.label if provider else seeker


class KindTable:
    """The providers of one kind and their evidence items as arrays.

    ``incidence`` is the items × challenge-concepts matrix (CSC, 1 where the item addresses the concept);
    ``item_provider[i]`` the column of the provider item ``i`` counts for and ``item_weight[i]`` its weight
    (an item shared by two providers appears once per provider); ``length[p]`` the number of items of
    provider ``p``, which BM25's length normalisation divides by.
    """

    def __init__(self, index: MatchIndex, kind: str):
        self.providers = sorted((p for p in index.providers.values() if p.kind == kind), key=lambda p: (p.label, p.iri))
        self.position = {provider.iri: number for number, provider in enumerate(self.providers)}
        self.concept_row = {iri: row for row, iri in enumerate(sorted(index.concepts))}
        rows, columns, provider_of, weights, item_iris = [], [], [], [], []
        for provider in self.providers:
            for iri, weight in index.provider_items.get(provider.iri, ()):
                number = len(item_iris)
                item_iris.append(iri)
                provider_of.append(self.position[provider.iri])
                weights.append(weight)
                for concept in index.items[iri].concepts:
                    rows.append(number)
                    columns.append(self.concept_row[concept])
        self.item_iris = item_iris
        self.item_provider = np.array(provider_of, dtype=np.int64)
        self.item_weight = np.array(weights, dtype=float)
        self.incidence = sparse.csc_matrix(
            (np.ones(len(rows)), (rows, columns)), shape=(len(item_iris), len(self.concept_row))
        )
        self.incidence.sum_duplicates()
        self.item_sectors = [index.items[iri].sectors for iri in item_iris]
        text_position = {key: number for number, key in enumerate(index.texts.keys)}
        self.item_text = np.array([text_position.get(iri, -1) for iri in item_iris], dtype=np.int64)
        self.length = np.bincount(self.item_provider, minlength=len(self.providers)).astype(float)
        with_items = self.length[self.length > 0]
        self.average_length = float(with_items.mean()) if with_items.size else 1.0
        # Providers with at least one item on each concept, for rarity (inverse document frequency).
        self.document_frequency = np.zeros(len(self.concept_row))
        coo = self.incidence.tocoo()
        pairs = set(zip(coo.col.tolist(), self.item_provider[coo.row].tolist(), strict=True))
        for column, _provider in pairs:
            self.document_frequency[column] += 1
        self.providers_with_items = int((self.length > 0).sum())
        codes: dict[str | None, int] = {None: -1}
        self.codes = codes
        self.region = np.array([codes.setdefault(p.region, len(codes)) for p in self.providers], dtype=np.int64)
        self.sub_region = np.array([codes.setdefault(p.sub_region, len(codes)) for p in self.providers], dtype=np.int64)
        self.income = np.array([codes.setdefault(p.income_group, len(codes)) for p in self.providers], dtype=np.int64)
        self._language_masks: dict[str, np.ndarray] = {}

    def rarity(self, concept: str) -> float:
        """Return the inverse document frequency of a concept among providers of this kind (≥ 1)."""
        row = self.concept_row.get(concept)
        frequency = self.document_frequency[row] if row is not None else 0.0
        return math.log((self.providers_with_items + 1) / (frequency + 1)) + 1.0

    def relevance(self, related: Mapping[str, tuple[str, float]]) -> np.ndarray:
        """Return each item's best relation score to one seeker challenge (0 when unrelated)."""
        best = np.zeros(len(self.item_iris))
        indptr, indices = self.incidence.indptr, self.incidence.indices
        for concept, (_relation, score) in related.items():
            row = self.concept_row.get(concept)
            if row is not None:
                hit = indices[indptr[row] : indptr[row + 1]]
                best[hit] = np.maximum(best[hit], score)
        return best

    def code(self, value: str | None) -> int:
        """Return the code of a region or income group, or -2 (matches nothing) when unknown or missing."""
        return self.codes.get(value, -2) if value else -2

    def speaks(self, languages: frozenset[str]) -> np.ndarray:
        """Return the mask of providers with at least one of the languages as an official language."""
        mask = np.zeros(len(self.providers), dtype=bool)
        for language in languages:
            if language not in self._language_masks:
                self._language_masks[language] = np.array([language in p.languages for p in self.providers])
            mask |= self._language_masks[language]
        return mask
