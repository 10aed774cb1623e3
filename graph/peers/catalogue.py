"""Browse the graph: list, filter, search and show entities (the REST list/detail endpoints and the pages).

Everything here reads one graph view (the projection the caller may see), so lists, search, pages and
views agree. Filters apply to an entity *or the records that name it*: a country matches ``challenge=piracy``
when one of its measures, projects or exchanges addresses piracy (or a narrower challenge); an expert
matches ``year=2021`` when they took part in something that ran in 2021.

* ``region``: UN M49 region or sub-region (id such as ``southern-africa``, M49 code ``018`` or name) of the
  entity's country (itself, where it is based, its nationality, beneficiary, adopter, seeker or provider).
* ``policy_area``: monitoring-framework area (``G1.A1`` or its name) of the entity's related measures.
* ``challenge``: challenge concept (id, label in any language), narrower ones included.
* ``year``: ``year`` equal, or ``startYear``–``endYear`` spanning it.
* ``language``: text in that language (``label_fr``…) or an official language of the entity's country.
* ``q``: words searched in every text value (labels in every language, descriptions, notes, topics, ids),
  case- and accent-insensitive; every word must occur.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.errors import InvalidRequest, NotFound
from graph.peers.matching import fold_name
from graph.peers.search_text import extra_words, word_forms
from ontology.ids import IriError, mint_iri


@dataclass(frozen=True)
class EntityKind:
    """A kind of entity the catalogue lists.

    Attributes
    ----------
    name : str
        Plural name used in paths (``countries``).
    type : str
        Ontology class local name in the projection (``Country``).
    iri_kind : str
        Record kind or concept scheme in IRIs (``country``, ``challenge``).
    """

    name: str
    type: str
    iri_kind: str


KINDS: dict[str, EntityKind] = {
    kind.name: kind
    for kind in (
        EntityKind("countries", "Country", "country"),
        EntityKind("institutions", "Institution", "institution"),
        EntityKind("experts", "Expert", "expert"),
        EntityKind("programmes", "Programme", "programme"),
        EntityKind("projects", "Project", "project"),
        EntityKind("measures", "PolicyMeasure", "measure"),
        EntityKind("exchanges", "PeerExchange", "exchange"),
        EntityKind("outcomes", "Outcome", "outcome"),
        EntityKind("practices", "GoodPractice", "practice"),
        EntityKind("creative-cities", "CreativeCity", "creative-city"),
        EntityKind("challenges", "Challenge", "challenge"),
    )
}
KIND_OF_TYPE = {kind.type: kind for kind in KINDS.values()}
#: Edges from an entity to "its" countries.
COUNTRY_EDGES = ("BASED_IN", "NATIONALITY", "BENEFICIARY", "ADOPTED_BY", "SEEKER", "PROVIDER", "IN_COUNTRY")
#: Edges from a record to the entity it names (record -> entity).
NAMING_EDGES = (
    "ADOPTED_BY",
    "IMPLEMENTED_BY",
    "BENEFICIARY",
    "SEEKER",
    "PROVIDER",
    "PROVIDER_INSTITUTION",
    "PROVIDER_EXPERT",
    "PART_OF_PROJECT",
    "PART_OF_PROGRAMME",
    "OUTCOME_OF",
    "IN_COUNTRY",
)
_TEXT_SKIP = ("type",)
MAX_PAGE_SIZE = 200
MAX_LINKED_FROM = 500


@dataclass(frozen=True)
class Filters:
    """Resolved filters of a list request (IRIs, not user text)."""

    q: tuple[str, ...] = ()
    regions: frozenset[str] = frozenset()
    policy_area: str | None = None
    challenges: frozenset[str] = frozenset()
    year: int | None = None
    language: str | None = None


@dataclass
class EntityPage:
    """One page of a list: the matching total, the items and facet counts over all matches."""

    kind: str
    total: int
    page: int
    size: int
    items: list[dict[str, Any]]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON body of a list endpoint."""
        return {
            "kind": self.kind,
            "total": self.total,
            "page": self.page,
            "size": self.size,
            "items": self.items,
            "facets": self.facets,
        }


def _values(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


class Catalogue:
    """Lists, filters and search over one projection (built once per graph view).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection (see :mod:`graph.services.projection`).
    """

    def __init__(self, graph: Any):
        self.graph = graph
        self._by_type: dict[str, list[str]] = {}
        self._text: dict[str, str] = {}
        for node, data in graph.nodes(data=True):
            kind = KIND_OF_TYPE.get(data.get("type", ""))
            if kind is None:
                continue
            self._by_type.setdefault(kind.type, []).append(node)
            words = [str(v) for key, value in data.items() if key not in _TEXT_SKIP for v in _values(value)]
            self._text[node] = fold_name(" ".join(words))
        for node, words in extra_words(graph, self._text).items():  # concepts' and countries' names, en/fr/es
            self._text[node] += " " + fold_name(words)
        for nodes in self._by_type.values():
            nodes.sort(key=lambda n: (fold_name(str(graph.nodes[n].get("label", n))), n))

    # ── resolving filter values ─────────────────────────────────────────────────────────────

    def _concepts(self, types: Iterable[str]) -> dict[str, str]:
        """Map folded notation, id and labels of concepts of the given types to their IRIs."""
        wanted = set(types)
        names: dict[str, str] = {}
        for node, data in self.graph.nodes(data=True):
            if data.get("type") not in wanted:
                continue
            keys = [node.rstrip("/").rsplit("/", 1)[-1], str(data.get("notation", ""))]
            keys += [str(v) for key, value in data.items() if "abel" in key for v in _values(value)]
            for key in keys:
                if key:
                    names.setdefault(fold_name(key), node)
        return names

    def _resolve(self, text: str, types: Iterable[str], parameter: str) -> str:
        if text in self.graph:
            return text
        names = self._concepts(types)
        found = names.get(fold_name(text))
        if found:
            return found
        close = difflib.get_close_matches(fold_name(text), list(names), n=5, cutoff=0.6)
        raise InvalidRequest(parameter, f"unknown value {text!r}; closest: {', '.join(close) or 'none'}")

    def filters(
        self,
        *,
        q: str | None = None,
        region: str | None = None,
        policy_area: str | None = None,
        challenge: str | None = None,
        year: int | str | None = None,
        language: str | None = None,
    ) -> Filters:
        """Resolve user-given filter values to concepts (``year`` may be the text of a form or file).

        Raises
        ------
        InvalidRequest
            Naming the parameter and the closest known values.
        """
        regions: frozenset[str] = frozenset()
        if region:
            top = self._resolve(region, ("Region",), "region")
            regions = frozenset({top, *self._narrower(top)})
        challenges: frozenset[str] = frozenset()
        if challenge:
            concept = self._resolve(challenge, ("Challenge",), "challenge")
            challenges = frozenset({concept, *self._narrower(concept)})
        area = self._resolve(policy_area, ("PolicyArea", "MonitoringGoal"), "policy_area") if policy_area else None
        if isinstance(year, str):
            if year.strip() and not year.strip().isdigit():
                raise InvalidRequest("year", f"expected a year such as 2021, got {year!r}")
            year = int(year) if year.strip() else None
        if language is not None and not (len(language) == 2 and language.isalpha()):
            raise InvalidRequest("language", "use a two-letter language code such as en, fr or es")
        return Filters(
            tuple(fold_name(q).split()) if q else (),
            regions,
            area,
            challenges,
            year,
            language.lower() if language else None,
        )

    def _narrower(self, concept: str) -> set[str]:
        found: set[str] = set()
        todo = [concept]
        while todo:
            node = todo.pop()
            for child, _, kind in self.graph.in_edges(node, keys=True):
                if kind == "BROADER" and child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    # ── matching ───────────────────────────────────────────────────────────────────────────

    def _related(self, node: str) -> list[str]:
        """Return the entity and the records that name it (or that it took part in)."""
        related = [node]
        related += [source for source, _, kind in self.graph.in_edges(node, keys=True) if kind in NAMING_EDGES]
        related += [target for _, target, kind in self.graph.out_edges(node, keys=True) if kind == "PARTICIPATED_IN"]
        return related

    def countries_of(self, node: str) -> set[str]:
        """Return the countries an entity belongs to (itself for a country)."""
        if self.graph.nodes[node].get("type") == "Country":
            return {node}
        return {t for _, t, kind in self.graph.out_edges(node, keys=True) if kind in COUNTRY_EDGES}

    def _regions_of(self, node: str) -> set[str]:
        return {
            region
            for country in self.countries_of(node)
            for _, region, kind in self.graph.out_edges(country, keys=True)
            if kind in ("IN_REGION", "IN_SUB_REGION")
        }

    def _points_to(self, nodes: list[str], kinds: tuple[str, ...], targets: Iterable[str]) -> bool:
        wanted = set(targets)
        return any(
            target in wanted
            for node in nodes
            for _, target, kind in self.graph.out_edges(node, keys=True)
            if kind in kinds
        )

    def _in_year(self, nodes: list[str], year: int) -> bool:
        for node in nodes:
            data = self.graph.nodes[node]
            if year in [v for v in _values(data.get("year")) if isinstance(v, int)]:
                return True
            start, end = data.get("startYear"), data.get("endYear")
            if isinstance(start, int) and start <= year <= (end if isinstance(end, int) else start):
                return True
        return False

    def _speaks(self, node: str, language: str) -> bool:
        if any(key.endswith(f"_{language}") for key in self.graph.nodes[node]):
            return True
        return any(
            language in _values(self.graph.nodes[country].get("officialLanguage"))
            for country in self.countries_of(node)
        )

    def searchable(self, node: str) -> bool:
        """Tell whether a node has searchable words (a record that search lists)."""
        return node in self._text

    def matches(self, node: str, filters: Filters) -> bool:
        """Tell whether an entity passes every filter."""
        text = self._text.get(node, "")
        if filters.q and not all(any(form in text for form in word_forms(word)) for word in filters.q):
            return False
        if filters.regions and not (self._regions_of(node) & filters.regions):
            return False
        if filters.language and not self._speaks(node, filters.language):
            return False
        if filters.challenges or filters.policy_area or filters.year is not None:
            related = self._related(node)
            if filters.challenges and not (
                node in filters.challenges
                or self._points_to(related, ("ADDRESSES_CHALLENGE", "EXPERT_IN"), filters.challenges)
            ):
                return False
            if filters.policy_area and not self._points_to(
                related, ("POLICY_AREA", "MONITORING_AREA"), [filters.policy_area, *self._narrower(filters.policy_area)]
            ):
                return False
            if filters.year is not None and not self._in_year(related, filters.year):
                return False
        return True

    # ── answers ────────────────────────────────────────────────────────────────────────────

    def summary(self, node: str) -> dict[str, Any]:
        """Return the short form of an entity used in lists and links."""
        data = self.graph.nodes[node]
        kind = KIND_OF_TYPE.get(data.get("type", ""))
        summary: dict[str, Any] = {
            "iri": node,
            "id": node.rstrip("/").rsplit("/", 1)[-1],
            "kind": kind.name if kind else data.get("type", ""),
            "label": data.get("label", node),
        }
        for key in ("description", "aims", "topic", "comment_en", "year", "startYear", "endYear", "iso3"):
            if key in data:
                summary[key] = data[key]
        countries = sorted(self.countries_of(node)) if kind and kind.type != "Country" else []
        if countries:
            summary["countries"] = [{"iri": c, "label": self.graph.nodes[c].get("label", c)} for c in countries]
        return summary

    def select(self, kind: str | None, filters: Filters) -> list[str]:
        """Return the IRIs of every entity of a kind (or of every kind) that passes the filters, by label.

        Raises
        ------
        InvalidRequest
            For an unknown kind.
        """
        if kind is not None and kind not in KINDS:
            raise InvalidRequest("kind", f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        kinds = [KINDS[kind]] if kind else list(KINDS.values())
        return [n for k in kinds for n in self._by_type.get(k.type, []) if self.matches(n, filters)]

    def list(self, kind: str | None, filters: Filters, *, page: int = 1, size: int = 50) -> EntityPage:
        """Return one page of the entities of a kind (or of every kind) that pass the filters.

        Parameters
        ----------
        kind : str or None
            A key of :data:`KINDS`; None searches every kind.
        filters : Filters
            From :meth:`filters`.
        page, size : int
            1-based page number and page size (at most :data:`MAX_PAGE_SIZE`).

        Returns
        -------
        EntityPage
            Items sorted by label, with facets (``kind``, ``region``) counted over every match.

        Raises
        ------
        InvalidRequest
            For an unknown kind or a page out of range.
        """
        if page < 1:
            raise InvalidRequest("page", "pages start at 1")
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise InvalidRequest("size", f"use 1 to {MAX_PAGE_SIZE}")
        found = self.select(kind, filters)
        kind_counts = Counter(KIND_OF_TYPE[self.graph.nodes[n]["type"]].name for n in found)
        region_counts = Counter(
            self.graph.nodes[region].get("label", region)
            for node in found
            for region in {
                r
                for country in self.countries_of(node)
                for _, r, relation in self.graph.out_edges(country, keys=True)
                if relation == "IN_REGION"
            }
        )
        start = (page - 1) * size
        items = [self.summary(n) for n in found[start : start + size]]
        facets = {"kind": dict(kind_counts), "region": dict(sorted(region_counts.items()))}
        return EntityPage(kind or "all", len(found), page, size, items, facets)

    def detail(self, kind: str, key: str) -> dict[str, Any]:
        """Return everything the view holds about one entity: facts, links both ways, sources.

        Parameters
        ----------
        kind : str
            A key of :data:`KINDS`.
        key : str
            The entity's own id (``NAM``, ``EF2-UGA``, ``piracy``) or its IRI.

        Raises
        ------
        NotFound
            If the view holds no such entity (or it is restricted and the caller may not see it).
        """
        if kind not in KINDS:
            raise InvalidRequest("kind", f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        try:
            node = key if key in self.graph else str(mint_iri(KINDS[kind].iri_kind, key))
        except IriError:
            node = ""
        if node not in self.graph or self.graph.nodes[node].get("type") != KINDS[kind].type:
            raise NotFound(f"no {kind[:-1] if kind != 'countries' else 'country'} {key!r}")
        return self.describe(node)

    def describe(self, node: str) -> dict[str, Any]:
        """Return the detail of any node of the view (entity pages resolve IRIs with it)."""
        data = self.graph.nodes[node]
        facts = {k: v for k, v in data.items() if k not in ("label", "type")}
        outgoing, incoming, sources = [], [], []
        for _, target, relation in sorted(self.graph.out_edges(node, keys=True)):
            if relation == "SOURCE":
                sources.append(target)
            else:
                outgoing.append({"relation": relation, **self._link(target)})
        for origin, _, relation in sorted(self.graph.in_edges(node, keys=True)):
            if relation not in ("IN_SCHEME", "TOP_CONCEPT_OF", "MEMBER_COUNTRY"):
                incoming.append({"relation": relation, **self._link(origin)})
        return {
            **self.summary(node),
            "type": data.get("type", ""),
            "facts": facts,
            "links": outgoing,
            "linked_from": incoming[:MAX_LINKED_FROM],
            "linked_from_total": len(incoming),
            "sources": sources,
            "treaties": self.treaties(node),
        }

    def treaties(self, node: str) -> list[dict[str, Any]]:
        """Return the treaty memberships of a country: treaty, instrument, dates and source, by treaty label.

        Parameters
        ----------
        node : str
            A country IRI (any other node has none).

        Returns
        -------
        list of dict
            ``treaty`` and ``label`` (the treaty's IRI and name), ``instrument``, ``instrument_date``,
            ``in_force`` and ``source``, each None where the source gives none.
        """
        rows = []
        for membership, _, relation in self.graph.in_edges(node, keys=True):
            if relation != "MEMBER_COUNTRY":
                continue
            data = self.graph.nodes[membership]
            targets = {kind: target for _, target, kind in self.graph.out_edges(membership, keys=True)}
            treaty = targets.get("TREATY")
            rows.append(
                {
                    "treaty": treaty,
                    "label": self.graph.nodes[treaty].get("label", treaty) if treaty in self.graph else treaty,
                    "instrument": data.get("instrumentType"),
                    "instrument_date": data.get("instrumentDate"),
                    "in_force": data.get("inForceDate"),
                    "source": targets.get("SOURCE"),
                }
            )
        return sorted(rows, key=lambda row: str(row["label"]))

    def _link(self, node: str) -> dict[str, Any]:
        data = self.graph.nodes[node]
        return {"iri": node, "label": data.get("label", node), "type": data.get("type", "")}
