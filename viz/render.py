r"""Render a networkx graph as ONE self-contained HTML page: vis-network inlined, no external URL.

``to_html(graph, style)`` returns a string (no file, no browser). Positions are computed here with a
seeded networkx layout and physics is off, so a 2,000-node view draws at once and the same graph always
looks the same. pyvis 0.3.2 links bootstrap from a CDN even with ``cdn_resources="in_line"``: those tags
are removed, and a test scans the output for external references. Labels and tooltips go through
Jinja's ``tojson`` (``<`` becomes ``\\u003c``) and vis-network shows tooltip strings as text, so a label
``<script>`` is drawn as text.
"""

from __future__ import annotations

import html
import re

import networkx as nx
from pyvis.network import Network

from viz.style import Style

_CDN_TAG = re.compile(r"<(link|script)\b[^>]*\b(href|src)=\"https?://[^\"]*\"[^>]*>(\s*</script>)?", re.IGNORECASE)
_SPACING_PX = 70
_MIN_SCALE_PX = 250
_LABEL_PX = 18


def layout(graph: nx.Graph, *, seed: int = 2022) -> dict[str, tuple[float, float]]:
    """Return seeded positions in pixels (a spring layout; fewer iterations above 500 nodes).

    Examples
    --------
    >>> positions = layout(nx.path_graph(["a", "b", "c"]))
    >>> sorted(positions) == ["a", "b", "c"] and all(len(p) == 2 for p in positions.values())
    True
    """
    if graph.number_of_nodes() == 0:
        return {}
    simple = nx.Graph(graph.to_undirected(as_view=True)) if graph.is_directed() or graph.is_multigraph() else graph
    iterations = 50 if simple.number_of_nodes() <= 500 else 20
    positions = nx.spring_layout(simple, seed=seed, iterations=iterations)
    # about _SPACING_PX between neighbours whatever the size, so labels stay readable once the view fits
    scale = max(_MIN_SCALE_PX, _SPACING_PX * simple.number_of_nodes() ** 0.5)
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in positions.items()}


def _tooltip(node: str, attributes: dict) -> str:
    lines = [str(attributes.get("label", node)), f"{attributes.get('type', '')} · {node}"]
    for key in ("given", "received", "year", "distance", "score"):
        if key in attributes:
            lines.append(f"{key}: {attributes[key]}")
    return "\n".join(line for line in lines if line.strip(" ·"))


def to_network(graph: nx.Graph, style: Style) -> Network:
    """Map a graph to a pyvis Network with fixed positions (node ids are IRIs)."""
    network = Network(height="720px", width="100%", directed=graph.is_directed(), cdn_resources="in_line")
    positions = layout(graph)
    for node in sorted(graph.nodes):
        attributes = graph.nodes[node]
        colour, shape = style.colour_and_shape(attributes)
        size = float(attributes.get("size", 12))
        x, y = positions[node]
        network.add_node(
            node,
            label=str(attributes.get("label", node))[:60],
            title=_tooltip(node, attributes),
            color={"background": colour, "border": "#222222" if node in style.highlight else colour},
            borderWidth=4 if node in style.highlight else 1,
            shape=shape,
            size=size,
            x=x,
            y=y,
            physics=False,
            **({"href": style.links[node]} if node in style.links else {}),
        )
    edges = (
        graph.edges(keys=True, data=True)
        if graph.is_multigraph()
        else ((u, v, "", d) for u, v, d in graph.edges(data=True))
    )
    for source, target, key, data in sorted(edges, key=lambda e: (e[0], e[1], str(e[2]))):
        kind = str(data.get("kind", key or ""))
        weight = float(data.get("weight", 1))
        network.add_edge(
            source,
            target,
            title=f"{data.get('label', kind)} ({weight:g})" if "weight" in data else str(data.get("label", kind)),
            width=min(1 + weight, 8),
            physics=False,
        )
    network.set_options(
        '{"physics": {"enabled": false}, "edges": {"smooth": false, "arrows": {"to": {"enabled": true, '
        '"scaleFactor": 0.5}}, "color": {"color": "#999999"}}, "interaction": {"hover": true, '
        '"tooltipDelay": 100, "navigationButtons": false}, "layout": {"improvedLayout": false}, '
        f'"nodes": {{"font": {{"size": {_LABEL_PX}, "strokeWidth": 4, "strokeColor": "#ffffff"}}}}}}'
    )
    return network


def _legend_html(graph: nx.Graph, style: Style) -> str:
    present = {
        str(d.get("region" if style.colour_by == "region" else "type", "")).rsplit("/", 1)[-1]
        for _, d in graph.nodes(data=True)
    }
    items = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>{html.escape(name)}</li>'
        for colour, name in style.legend(present)
    )
    return f'<ul id="legend">{items}</ul>'


_CHROME = """
<style>
 body {{ font-family: system-ui, sans-serif; margin: 0; }}
 #peergraph-bar {{ padding: 8px 12px; border-bottom: 1px solid #ddd; }}
 #peergraph-bar h1 {{ font-size: 18px; margin: 0 0 4px 0; }}
 #peergraph-nav {{ display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 6px; }}
 #peergraph-nav a {{ color: #0b5394; }}
 #mynetwork {{ max-width: 100%; }}
 #legend {{ list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 12px; }}
 .swatch {{ display: inline-block; width: 12px; height: 12px; margin-right: 4px; border-radius: 2px; }}
 div.vis-tooltip {{ position: absolute; white-space: pre-wrap; background: #fff; border: 1px solid #999;
   padding: 4px 6px; font-size: 12px; max-width: 420px; }}
</style>
<div id="peergraph-bar">
 {nav}<h1>{title}</h1>
 <p id="view-note">{note}</p>
 {legend}
 <label>Find <input id="peergraph-search" type="search" placeholder="a name…" size="30"></label>
 <span id="peergraph-found"></span>
</div>
"""

_SEARCH = """
<script>
(function () {
  var box = document.getElementById("peergraph-search");
  var found = document.getElementById("peergraph-found");
  box.addEventListener("input", function () {
    var text = box.value.trim().toLowerCase();
    if (!text) { network.unselectAll(); found.textContent = ""; return; }
    var hits = nodes.get({ filter: function (n) { return String(n.label).toLowerCase().indexOf(text) >= 0; } })
      .map(function (n) { return n.id; });
    network.selectNodes(hits);
    found.textContent = hits.length + " found";
    if (hits.length) { network.focus(hits[0], { scale: 1.2 }); }
  });
  // Click a node to open its page (the whole window, also from a view framed in a page).
  network.on("click", function (event) {
    if (!event.nodes.length) { return; }
    var href = nodes.get(event.nodes[0]).href;
    if (href) { (window.top || window).location.href = href; }
  });
  network.on("hoverNode", function (event) {
    document.getElementById("mynetwork").style.cursor = nodes.get(event.node).href ? "pointer" : "default";
  });
})();
</script>
"""

_NAV = (
    '<nav id="peergraph-nav"><a href="/"><strong>peergraph</strong></a><a href="/search">Search</a>'
    '<a href="/peers">Find peers</a><a href="/viz/exchanges">Exchange network</a></nav>'
)


def to_html(graph: nx.Graph, style: Style) -> str:
    r"""Return the view as one self-contained HTML page (see the module docstring).

    Parameters
    ----------
    graph : networkx.Graph
        Nodes keyed by IRI with ``label`` and ``type`` (or ``region``), optional ``size``; edges optional
        ``kind`` and ``weight``.
    style : Style
        Colours, title and the note shown above the view (for example where it was cut).

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("https://example.org/a", label="<b>A</b>", type="Country")
    >>> page = to_html(g, Style(title="demo"))
    >>> "https://cdn" in page, "<b>A</b>" in page, "\\u003cb\\u003eA" in page
    (False, False, True)
    """
    page = to_network(graph, style).generate_html()
    page = _CDN_TAG.sub("", page)
    chrome = _CHROME.format(
        title=html.escape(style.title),
        note=html.escape(style.note.rstrip(".") + "." if style.note else "")
        + (" Click a node to open its page." if style.links else ""),
        legend=_legend_html(graph, style),
        nav=_NAV if style.site_header else "",
    )
    page = page.replace("<body>", "<body>" + chrome, 1)
    return page.replace("</body>", _SEARCH + "</body>", 1)
