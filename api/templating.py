"""The Jinja templates of the web pages, with the filters they share (built once by ``create_app``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from graph.property_graph.term_labels import LANGUAGES, class_label, fact_label, relation_label
from graph.services.linked_data import path_of_iri
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


def page_language(request: Request) -> str:
    """Return the reader's language among en, fr and es: ``?lang=``, else ``Accept-Language``, else en."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    ranked = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        code, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((-weight, position, code.split("-")[0].strip().lower()))
    return next((code for _, _, code in sorted(ranked) if code in LANGUAGES), "en")


def _language(request: Request) -> dict[str, str]:
    return {"lang": page_language(request)}


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _in_language(entity: dict, lang: str) -> str:
    """Return a record's or concept's name in ``lang`` when its facts hold one, else its display label."""
    facts = entity.get("facts", {})
    for key in (f"prefLabel_{lang}", f"label_{lang}"):
        if isinstance(facts.get(key), str):
            return facts[key]
    return str(entity.get("label", ""))


def build_templates() -> Jinja2Templates:
    """Return the page templates with their helpers and the reader's language as ``lang``.

    Returns
    -------
    fastapi.templating.Jinja2Templates
        Autoescaping templates from ``api/templates``.
    """
    templates = Jinja2Templates(
        directory=Path(str(resources.files("api"))) / "templates", context_processors=[_language]
    )
    templates.env.filters["href"] = _href
    templates.env.filters["chart"] = _chart
    templates.env.filters["host"] = _host
    templates.env.filters["class_label"] = class_label
    templates.env.filters["relation_label"] = relation_label
    templates.env.filters["fact_label"] = lambda key, lang="en": _upper_first(fact_label(key, lang))
    templates.env.filters["in_language"] = _in_language
    templates.env.globals["query"] = _query
    return templates
