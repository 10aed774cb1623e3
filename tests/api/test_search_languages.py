"""Search crosses languages through the concepts records address (en/fr/es), ignoring case and accents,
and downloads every match."""

from __future__ import annotations

import csv
import io

import pytest

C = "https://w3id.org/peergraph/id/country/"


def _found(view, q: str) -> set[str]:
    return set(view.catalogue.select(None, view.catalogue.filters(q=q)))


def _tagged(view, concept: str) -> set[str]:
    iri = f"https://w3id.org/peergraph/vocab/challenge/{concept}"
    return {u for u, _, k in view.graph.in_edges(iri, keys=True) if k == "ADDRESSES_CHALLENGE"}


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("piratería", "piracy"),
        ("PIRATERIA", "piracy"),
        ("droit d'auteur", "copyright"),
        ("derechos de autor", "copyright"),
    ],
)
def test_words_in_any_language_find_the_records_tagged_with_the_concept(demo_view, query, concept):
    tagged = {n for n in _tagged(demo_view, concept) if demo_view.catalogue.searchable(n)}
    assert len(tagged) >= 5
    assert tagged <= _found(demo_view, query)


def test_country_names_in_french_and_spanish(demo_view):
    assert C + "NAM" in _found(demo_view, "namibie")
    assert C + "ZAF" in _found(demo_view, "Sudáfrica")


def test_search_page_downloads_every_match(client):
    page = client.get("/search", params={"q": "derechos de autor"})
    assert page.status_code == 200 and "format=csv" in page.text
    table = client.get("/search", params={"q": "derechos de autor", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(table)))
    data = client.get("/search", params={"q": "derechos de autor", "format": "json"}).json()
    assert len(rows) == data["total"] == len(data["items"]) > 30
    assert {row["iri"] for row in rows} == {item["iri"] for item in data["items"]}
