"""Network views: pick the subgraph (``graph.services.research``) and render it (``viz.render``).

The one place the two meet, shared by ``peergraph viz`` and the ``/viz/…`` pages, since ``graph`` and
``viz`` never import each other.
"""

from __future__ import annotations

from dataclasses import replace

from graph.errors import InvalidRequest
from graph.peers.assessment import build_request, resolve_challenge
from graph.property_graph.term_labels import class_label
from graph.services.linked_data import IRI_BASE, path_of_iri
from graph.services.research import (
    GraphView,
    ego_network,
    exchange_network_graph,
    find_peers,
    match_graph,
    programme_graph,
)
from ontology.ids import mint_iri
from viz.render import to_html
from viz.style import Style

VIEW_KINDS = ("exchanges", "ego", "match", "programme")
#: Evidence paths drawn per provider in the match view (more made it a hairball; the brief lists all).
MATCH_PATHS_SHOWN = 3


def render_view(
    view: GraphView,
    kind: str,
    *,
    focus: str | None = None,
    seeker: str | None = None,
    challenges: list[str] | None = None,
    programme: str | None = None,
    topics: list[str] | None = None,
    since: int | None = None,
    until: int | None = None,
    max_nodes: int = 500,
    k: int = 10,
    in_site: bool = False,
) -> str:
    """Return one self-contained HTML page for a view.

    Every node links to its page: a local path when the page is served by peergraph (``in_site``, which also
    adds the site's navigation), its IRI in a file written by the CLI.

    Raises
    ------
    InvalidRequest
        For an unknown kind or a missing or unknown parameter (named).
    NotFound
        If the focus or programme is not in the visible graph.
    """
    if kind == "exchanges":
        topic_iris = [resolve_challenge(view.index, text, parameter="topic") for text in topics or []]
        years = (since or 0, until or 9999) if since or until else None
        graph = exchange_network_graph(view, topics=topic_iris, years=years)
        filters = ", ".join(filter(None, [", ".join(topics or []), f"{since or '…'}–{until or '…'}" if years else ""]))
        note = f"{graph.number_of_nodes()} countries, {int(graph.size(weight='weight'))} exchanges"
        style = Style(
            colour_by="region",
            title="Exchange network: seeker → provider" + (f" ({filters})" if filters else ""),
            note=note + "; node size = exchanges given and received; edge width = number of exchanges.",
        )
    elif kind == "ego":
        if not focus:
            raise InvalidRequest("focus", "the ego view needs --focus (an entity id or IRI)")
        center = view.resolve(focus, parameter="focus")
        graph, cut = ego_network(view, center, radius=2, max_nodes=max_nodes)
        label = view.graph.nodes[center].get("label", center)
        note = f"{graph.number_of_nodes()} nodes within 2 steps"
        note += f"; cut at {max_nodes} nodes (nearest kept)" if cut else ""
        style = Style(title=f"Neighbourhood of {label}", note=note, highlight=frozenset({center}))
    elif kind == "match":
        if not seeker:
            raise InvalidRequest("seeker", "the match view needs --seeker (ISO3)")
        result = find_peers(view, build_request(view.index, seeker=seeker, challenges=challenges or [], k=k))
        graph = match_graph(view, result, paths_per_provider=MATCH_PATHS_SHOWN)
        style = Style(
            title=f"Providers for {result.seeker_label}",
            note=f"top {len(result.candidates)} of {result.considered} candidates, each with its "
            f"{MATCH_PATHS_SHOWN} strongest evidence paths (all of them in the brief)",
            highlight=frozenset({result.request.seeker}),
        )
    elif kind == "programme":
        if not programme or not programme.strip():
            raise InvalidRequest("programme", "the programme view needs --programme (for example EF2)")
        iri = programme if programme.startswith("http") else str(mint_iri("programme", programme))
        graph = programme_graph(view, iri)
        style = Style(
            title=f"Programme {view.graph.nodes[iri].get('label', iri)}",
            note=f"{graph.number_of_nodes()} nodes: projects, countries, experts, exchanges and providers",
            highlight=frozenset({iri}),
        )
    else:
        raise InvalidRequest("kind", f"unknown view {kind!r}; use one of {', '.join(VIEW_KINDS)}")
    links = {node: (path_of_iri(node) if in_site else None) or node for node in graph if node.startswith(IRI_BASE)}
    types = {str(data.get("type", "")) for _, data in graph.nodes(data=True)}
    style = replace(
        style, links=links, type_labels={name: class_label(name) for name in types if name}, site_header=in_site
    )
    return to_html(graph, style)
