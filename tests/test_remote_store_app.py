"""peergraph on a remote SPARQL store: `peergraph demo` loads the bundled data into Fuseki and the pages read it."""

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import IngestError
from graph.services.store import ingest_paths, open_rdf_store, validate_paths
from tests.helpers import DATA, sample_count

pytestmark = pytest.mark.fuseki


def _numbers(page: str) -> list[str]:
    """The numbers a page shows (counts, years), in order, without its time stamps."""
    return re.findall(r">\s*([\d,]+)\s*<", page)


def test_demo_and_pages_work_with_the_store_on_fuseki(cli, fuseki_settings, client, monkeypatch):
    for name in ("query", "update", "gsp"):
        value = getattr(fuseki_settings, f"sparql_{name}_url")
        monkeypatch.setenv(f"PEERGRAPH_SPARQL_{name.upper()}_URL", value)
    loaded = cli("demo", "--no-serve", settings=fuseki_settings)
    assert loaded.exit_code == 0, loaded.output
    assert fuseki_settings.sparql_query_url in loaded.output
    assert not (fuseki_settings.store / "db").exists()  # nothing went to an embedded store
    with TestClient(create_app(fuseki_settings)) as fuseki:
        assert fuseki.get("/health").json()["status"] == "ok"
        home = fuseki.get("/", headers={"Accept": "text/html"})
        embedded_home = client.get("/", headers={"Accept": "text/html"}).text
        assert home.status_code == 200 and _numbers(home.text) == _numbers(embedded_home)
        assert len(_numbers(home.text)) >= 3
        same = [
            ("/api/countries", {"size": 200}),
            ("/api/measures", {"q": "film", "size": 50}),
            ("/api/search", {"q": "piracy"}),
            ("/api/match/providers", {"seeker": "NAM", "challenge": "piracy", "k": 5}),
            ("/api/questions/providers-for-challenge", {"challenge": "copyright"}),
        ]
        for path, params in same:
            remote = fuseki.get(path, params=params)
            assert remote.status_code == 200 and remote.json() == client.get(path, params=params).json()  # embedded
        query = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a pg:PolicyMeasure }"
        answer = fuseki.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == sample_count("measures")
        for page in ("/id/country/NAM", "/search?q=film", "/peers?seeker=NAM&challenge=piracy", "/viz/exchanges"):
            assert fuseki.get(page, headers={"Accept": "text/html"}).status_code == 200, page
        export = fuseki.get("/api/export", params={"format": "nt"})
        assert export.status_code == 200 and len(export.text.splitlines()) > 1000
        service = "SELECT * WHERE { SERVICE <https://example.org/> { ?s ?p ?o } }"
        refused = fuseki.get("/sparql", params={"query": service})
        assert refused.status_code == 400


def test_validation_resolves_references_in_the_remote_store(fuseki_settings, tmp_path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text((DATA / "records" / "outcomes.csv").read_text(encoding="utf-8"), encoding="utf-8")
    with open_rdf_store(fuseki_settings) as empty, pytest.raises(IngestError, match="X1"):
        validate_paths(empty, [outcomes], fuseki_settings)  # the exchange it names is not stored yet
    with open_rdf_store(fuseki_settings) as writer:
        ingest_paths(writer, [DATA / "records"], fuseki_settings)
    # A fresh handle has no open connection: the checks must be able to open one (validation itself runs where
    # no socket can be opened).
    with open_rdf_store(fuseki_settings) as fresh:
        batch = validate_paths(fresh, [outcomes], fuseki_settings)
    assert batch.sources[0].report.record_count == 1
