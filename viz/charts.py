"""Small bar charts as inline SVG strings (no script, no CDN): counts people would rather look at than read."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

BAR_COLOUR = "#0b5394"


def bar_chart_svg(title: str, counts: dict[str, int], *, width: int = 380, bar_height: int = 16) -> str:
    """Draw counts as a horizontal bar chart.

    Parameters
    ----------
    title : str
        Shown above the bars and read by screen readers.
    counts : dict of str to int
        Label to count, drawn in the given order.
    width : int
        Width of the drawing in pixels.
    bar_height : int
        Height of one bar.

    Returns
    -------
    str
        An ``<svg>`` element; labels are escaped, each bar has a ``<title>`` tooltip. An empty chart says so.

    Examples
    --------
    >>> svg = bar_chart_svg("Exchanges per year", {"2021": 3, "2022": 1})
    >>> svg.count("<rect"), "2021" in svg, 'aria-label="Exchanges per year"' in svg
    (2, True, True)
    >>> "&lt;b&gt;" in bar_chart_svg("t", {"<b>": 1})
    True
    """
    label_width, gap, top = 175, 4, 22
    height = top + max(len(counts), 1) * (bar_height + gap) + 4
    parts = [
        f'<svg class="chart" role="img" aria-label={quoteattr(title)} '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    if not counts:
        parts.append(f'<text x="0" y="{top + 12}" font-size="12">no data</text>')
    largest = max(counts.values(), default=1) or 1
    room = width - label_width - 40
    for row, (label, count) in enumerate(counts.items()):
        y = top + row * (bar_height + gap)
        length = max(1, round(room * count / largest))
        shown = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f"<g><title>{escape(label)}: {count}</title>"
            f'<text x="{label_width - 6}" y="{y + bar_height - 4}" font-size="12" text-anchor="end">'
            f"{escape(shown)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{BAR_COLOUR}"/>'
            f'<text x="{label_width + length + 4}" y="{y + bar_height - 4}" font-size="12">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
