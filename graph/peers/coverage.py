"""How much the graph knows, where: records per country, monitoring area and sector, rows per source host.

A desk officer needs to know whether a provider is missing from a ranking because it did nothing on the
topic or because the graph has no record of it. :func:`coverage_report` counts, from the one projection
(:mod:`graph.services.projection`), the measures, projects, exchanges, institutions and UNESCO Creative
Cities of every country; the measures, projects and exchanges per area of the 2005 Convention monitoring
framework (an exchange counts under the areas of the project it was part of) and the measures per
cultural sector; and how many records cite each source host. Pure: it reads any graph with networkx's
``nodes``/``succ`` API and touches no store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

#: Record classes counted per country, with the relationship that ties each to its country.
_PER_COUNTRY = {
    "PolicyMeasure": ("measures", ("ADOPTED_BY",)),
    "Project": ("projects", ("BENEFICIARY",)),
    "PeerExchange": ("exchanges", ("SEEKER", "PROVIDER")),
    "Institution": ("institutions", ("BASED_IN",)),
    "CreativeCity": ("creative_cities", ("IN_COUNTRY",)),
}
#: Record classes whose source hosts are counted.
_SOURCED = (
    "PolicyMeasure",
    "Project",
    "PeerExchange",
    "Institution",
    "Expert",
    "Outcome",
    "GoodPractice",
    "CreativeCity",
)


@dataclass
class CountryCoverage:
    """What the graph holds for one country."""

    iri: str
    label: str
    measures: int = 0
    projects: int = 0
    exchanges: int = 0
    institutions: int = 0
    creative_cities: int = 0

    @property
    def total(self) -> int:
        """All records of the country."""
        return self.measures + self.projects + self.exchanges + self.institutions + self.creative_cities


@dataclass(frozen=True)
class AreaCoverage:
    """What the graph holds for one area of the monitoring framework."""

    iri: str
    label: str
    measures: int
    projects: int
    exchanges: int
    countries: int


@dataclass
class Coverage:
    """The coverage report: countries with records, areas, sectors and source hosts."""

    countries: list[CountryCoverage]
    countries_known: int
    areas: list[AreaCoverage]
    sectors: list[tuple[str, str, int]]
    hosts: list[tuple[str, int]]
    totals: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the report (``peergraph stats --coverage --json``, ``/api/coverage``)."""
        return {
            "totals": self.totals,
            "countries_known": self.countries_known,
            "countries_with_records": len(self.countries),
            "countries": [
                {
                    "id": c.iri,
                    "label": c.label,
                    "measures": c.measures,
                    "projects": c.projects,
                    "exchanges": c.exchanges,
                    "institutions": c.institutions,
                    "creative_cities": c.creative_cities,
                }
                for c in self.countries
            ],
            "monitoring_areas": [
                {
                    "id": a.iri,
                    "label": a.label,
                    "measures": a.measures,
                    "projects": a.projects,
                    "exchanges": a.exchanges,
                    "countries": a.countries,
                }
                for a in self.areas
            ],
            "sectors": [{"id": iri, "label": label, "measures": measures} for iri, label, measures in self.sectors],
            "source_hosts": [{"host": host, "records": records} for host, records in self.hosts],
        }


def _targets(graph: Any, node: str, kind: str) -> list[str]:
    return [target for target, keys in graph.succ[node].items() if kind in keys]


def coverage_report(graph: Any) -> Coverage:
    """Count what the graph holds per country, monitoring area, sector and source host.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection from :func:`graph.services.projection.project` (vocabularies and country reference included).

    Returns
    -------
    Coverage
        Countries with at least one record, most records first; areas by measures, then projects and
        exchanges; sectors by measures; hosts by records citing them. An area's countries are those whose
        measures, projects or exchanges (seeker and providers) it counts.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("c:NAM", type="Country", label="Namibia")
    >>> g.add_node("m:1", type="PolicyMeasure", label="Arts fund")
    >>> _ = g.add_edge("m:1", "c:NAM", key="ADOPTED_BY")
    >>> _ = g.add_edge("m:1", "https://www.unesco.org/x", key="SOURCE")
    >>> report = coverage_report(g)
    >>> [(c.label, c.measures) for c in report.countries], report.hosts
    ([('Namibia', 1)], [('www.unesco.org', 1)])
    """
    nodes = graph.nodes
    by_type: dict[str, list[str]] = defaultdict(list)
    for node, data in nodes(data=True):
        by_type[data.get("type", "")].append(node)
    countries = {iri: CountryCoverage(iri, str(nodes[iri].get("label", iri))) for iri in by_type["Country"]}
    totals = {}
    for cls, (attribute, relations) in _PER_COUNTRY.items():
        totals[attribute] = len(by_type[cls])
        for record in by_type[cls]:
            for country in {c for relation in relations for c in _targets(graph, record, relation)}:
                if country in countries:
                    setattr(countries[country], attribute, getattr(countries[country], attribute) + 1)
    per_area: dict[str, Counter[str]] = defaultdict(Counter)  # area -> {"measures": n, "projects": n, …}
    area_countries: dict[str, set[str]] = defaultdict(set)
    sector_measures: Counter[str] = Counter()

    def count(area: str, attribute: str, countries_of_record: list[str]) -> None:
        per_area[area][attribute] += 1
        area_countries[area].update(countries_of_record)

    for measure in by_type["PolicyMeasure"]:
        for area in _targets(graph, measure, "POLICY_AREA"):
            count(area, "measures", _targets(graph, measure, "ADOPTED_BY"))
        for sector in _targets(graph, measure, "SECTOR"):
            sector_measures[sector] += 1
    for project in by_type["Project"]:
        for area in _targets(graph, project, "POLICY_AREA"):
            count(area, "projects", _targets(graph, project, "BENEFICIARY"))
    for exchange in by_type["PeerExchange"]:
        # An exchange's areas: its own, else those of the project it was part of.
        projects = _targets(graph, exchange, "PART_OF_PROJECT")
        areas = set(_targets(graph, exchange, "POLICY_AREA")) or {
            area for project in projects for area in _targets(graph, project, "POLICY_AREA")
        }
        peers = _targets(graph, exchange, "SEEKER") + _targets(graph, exchange, "PROVIDER")
        for area in areas:
            count(area, "exchanges", peers)
    hosts: Counter[str] = Counter()
    for cls in _SOURCED:
        for record in by_type[cls]:
            hosts.update({urlsplit(source).hostname or source for source in _targets(graph, record, "SOURCE")})

    def label(iri: str) -> str:
        return str(nodes[iri].get("label", iri)) if iri in nodes else iri

    with_records = sorted((c for c in countries.values() if c.total), key=lambda c: (-c.total, c.label))
    return Coverage(
        countries=with_records,
        countries_known=len(countries),
        areas=sorted(
            (
                AreaCoverage(a, label(a), n["measures"], n["projects"], n["exchanges"], len(area_countries[a]))
                for a, n in per_area.items()
            ),
            key=lambda row: (-row.measures, -row.projects, -row.exchanges, row.label),
        ),
        sectors=sorted(((s, label(s), n) for s, n in sector_measures.items()), key=lambda row: (-row[2], row[1])),
        hosts=sorted(hosts.items(), key=lambda item: (-item[1], item[0])),
        totals=totals,
    )
