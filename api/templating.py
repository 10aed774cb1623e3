"""The Jinja templates of the web pages, with the filters they share (built once by ``create_app``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from graph.linked_data import path_of_iri
from viz.charts import bar_chart_svg


def _href(iri: str) -> str:
    """Link target of an IRI: its page on this server for peergraph IRIs, the address itself for sources."""
    return path_of_iri(iri) or iri


def _host(address: str) -> str:
    """Short name of a source address: its host without ``www.`` (the whole address when it has none)."""
    host = urlsplit(address).hostname or address
    return host.removeprefix("www.")


def _chart(counts: dict[str, int], title: str) -> Markup:
    return Markup(bar_chart_svg(title, counts))  # noqa: S704 - bar_chart_svg escapes every label


def _query(values: dict[str, object], **changes: object) -> str:
    merged = {**values, **changes}
    pairs = [(k, v) for k, value in merged.items() for v in (value if isinstance(value, list) else [value])]
    return urlencode([(k, v) for k, v in pairs if v not in (None, "")])


def build_templates() -> Jinja2Templates:
    """Return the page templates with the ``href``, ``chart`` and ``query`` helpers.

    Returns
    -------
    fastapi.templating.Jinja2Templates
        Autoescaping templates from ``api/templates``.
    """
    templates = Jinja2Templates(directory=Path(str(resources.files("api"))) / "templates")
    templates.env.filters["href"] = _href
    templates.env.filters["chart"] = _chart
    templates.env.filters["host"] = _host
    templates.env.globals["query"] = _query
    return templates
