"""Pages for people: HTML errors for browsers (JSON for API clients), the ontology page, human labels in the
reader's language, readable SPARQL errors."""

from __future__ import annotations

import re

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_unknown_address_is_a_page_for_browsers_and_json_for_clients(client):
    page = client.get("/no/such/page", headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'id="error-title">Nothing here<' in page.text and 'href="/search"' in page.text
    api = client.get("/no/such/page", headers={"accept": "*/*"})
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_unknown_record_is_a_page_for_browsers_and_problem_json_for_clients(client):
    page = client.get("/id/country/XXX", headers=BROWSER)
    assert page.status_code == 404 and "<!doctype html>" in page.text.lower()
    assert "nothing is known about https://w3id.org/peergraph/id/country/XXX" in page.text
    api = client.get("/id/country/XXX", headers={"accept": "application/json"})
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    missing = client.get("/peers/brief?seeker=NAM", headers=BROWSER)
    assert missing.status_code == 422 and "provider: Field required" in missing.text


def test_ontology_terms_resolve_to_a_page(client):
    page = client.get("/ontology", headers=BROWSER)
    assert page.status_code == 200
    for term in ("PolicyMeasure", "PeerExchange", "Country", "addressesChallenge"):
        assert f'id="{term}"' in page.text
    assert "Policy measure" in page.text
    turtle = client.get("/ontology", headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and "owl:Ontology" in turtle.text


def test_entity_page_names_facts_classes_and_links_in_words(client):
    page = client.get("/id/country/NAM", headers=BROWSER).text
    facts = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert "UN M49 code" in facts and "m49Code" not in facts
    assert 'href="/peers?seeker=NAM"' in page  # find peers for this country
    spanish = client.get("/vocab/challenge/piracy", headers={**BROWSER, "accept-language": "es-ES,es;q=0.9"})
    assert 'id="entity-label">Piratería y observancia<' in spanish.text and '<html lang="es">' in spanish.text
    french = client.get("/vocab/challenge/piracy?lang=fr", headers=BROWSER)
    assert ">Piratage et application des droits<" in french.text


def test_sparql_errors_and_star_columns_read_well(client):
    bad = client.get("/sparql", params={"query": 'SELECT * WHERE { ?s ?p ?o . FILTER(?o = "x) }'})
    assert bad.status_code == 400
    detail = bad.json()["detail"]
    assert detail.startswith("malformed SPARQL at line 1, column ") and "\\u" not in detail and "[_]" not in detail
    good = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { ?s a pg:Country ; rdfs:label ?o } LIMIT 1"},
        headers={"accept": "application/sparql-results+json"},
    )
    assert good.json()["head"]["vars"] == ["s", "o"]


def test_console_names_classes_and_links_them_to_the_ontology_page(client):
    page = client.get("/console/sparql", params={"query": "SELECT DISTINCT ?class WHERE { ?x a ?class } LIMIT 50"})
    assert '<a href="/ontology#PolicyMeasure">Policy measure</a>' in page.text
    assert client.get("/ontology", headers=BROWSER).status_code == 200


def test_api_docs_pages_and_their_files_name_no_other_host(client):
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert not re.findall(r'(?:src|href)="https?://', page.text), path
    redoc = client.get("/docs-assets/redoc.standalone.js")
    assert redoc.status_code == 200 and len(redoc.content) > 500_000
    assert b"cdn.redoc.ly" not in redoc.content
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs-assets/../../etc/passwd").status_code == 404
