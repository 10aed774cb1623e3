"""How views look: a colour and shape per ontology class or UN region, with the legend that explains them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: Colour and shape per ontology class (node attribute ``type`` of the projection).
CLASS_STYLES: dict[str, tuple[str, str]] = {
    "Country": ("#1f77b4", "dot"),
    "Institution": ("#2ca02c", "square"),
    "Expert": ("#9467bd", "triangle"),
    "PolicyMeasure": ("#ff7f0e", "diamond"),
    "GoodPractice": ("#e377c2", "star"),
    "PeerExchange": ("#d62728", "hexagon"),
    "Project": ("#8c564b", "box"),
    "Programme": ("#17becf", "ellipse"),
    "Outcome": ("#bcbd22", "dot"),
    "Challenge": ("#7f7f7f", "triangleDown"),
    "CreativeCity": ("#98df8a", "triangle"),
}
OTHER_STYLE = ("#c7c7c7", "dot")

#: Colour per UN M49 region (the exchange network colours countries by region).
REGION_COLOURS: dict[str, str] = {
    "africa": "#e6550d",
    "americas": "#3182bd",
    "asia": "#31a354",
    "europe": "#756bb1",
    "oceania": "#de2d26",
}


@dataclass(frozen=True)
class Style:
    """What a view colours by (``type`` or ``region``) and the title shown above it."""

    colour_by: str = "type"
    title: str = ""
    note: str = ""
    highlight: frozenset[str] = field(default_factory=frozenset)
    #: Human names of the classes for the legend (``PolicyMeasure`` → ``Policy measure``).
    type_labels: Mapping[str, str] = field(default_factory=dict)
    #: Where clicking a node goes, by node id (its page); nodes without one do nothing.
    links: Mapping[str, str] = field(default_factory=dict)
    #: Show the site's navigation above the view (pages served by peergraph, not files written by the CLI).
    site_header: bool = False

    def colour_and_shape(self, attributes: dict) -> tuple[str, str]:
        """Return the colour and shape of a node from its attributes."""
        if self.colour_by == "region":
            region = str(attributes.get("region", "")).rsplit("/", 1)[-1]
            return REGION_COLOURS.get(region, OTHER_STYLE[0]), "dot"
        return CLASS_STYLES.get(str(attributes.get("type", "")), OTHER_STYLE)

    def legend(self, types_present: set[str]) -> list[tuple[str, str]]:
        """Return (colour, name) pairs for the legend, only for what the view shows."""
        if self.colour_by == "region":
            return [(colour, name.title()) for name, colour in REGION_COLOURS.items() if name in types_present]
        return [
            (CLASS_STYLES.get(name, OTHER_STYLE)[0], self.type_labels.get(name, name) or "other")
            for name in sorted(types_present)
        ]
