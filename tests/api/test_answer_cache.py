"""Answers kept per snapshot: a repeated ``/sparql`` query is sent again without a worker, never across a new
snapshot, an access level, a format or a row cap; the cache stays within its bytes.

The server tests start a query worker process, so they are marked slow.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.rdf.answer_cache import AnswerCache
from graph.rdf.store import RdfStore
from graph.results import Serialised
from graph.services.access import ApiKeyFile
from graph.services.store import ingest_paths
from graph.settings import Settings
from tests.conftest import CLOSED_EXCHANGE

DATA = Path(__file__).resolve().parents[1] / "data"
JSON = {"Accept": "application/sparql-results+json"}
COUNT_MEASURES = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pg:PolicyMeasure }"
EXCHANGES = "SELECT ?x WHERE { ?x a pg:PeerExchange } ORDER BY ?x"


def _served_by_workers(settings: Settings) -> Settings:
    return settings.model_copy(update={"query_workers": 1, "serve_from_memory": False, "query_timeout_s": 30.0})


def _count(response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _measures_on_disk(path: Path) -> int:
    with RdfStore(path, read_only=True) as store:
        return int(store.run_query(COUNT_MEASURES, max_rows=1).rows[0]["n"])


@pytest.mark.slow
def test_a_repeated_query_is_sent_again_until_a_writer_publishes_a_new_snapshot(demo_settings):
    settings = _served_by_workers(demo_settings)
    before = _measures_on_disk(settings.store)
    with TestClient(create_app(settings)) as client:
        first = client.get("/sparql", params={"query": COUNT_MEASURES}, headers=JSON)
        again = client.get("/sparql", params={"query": COUNT_MEASURES}, headers=JSON)
        assert "x-peergraph-cache" not in first.headers and again.headers["x-peergraph-cache"] == "hit"
        assert again.content == first.content and _count(again) == before
        as_csv = client.get("/sparql", params={"query": COUNT_MEASURES, "format": "csv"})
        assert "x-peergraph-cache" not in as_csv.headers and as_csv.text == f"n\r\n{before}\r\n"

        with RdfStore(settings.store) as writer:  # the command line's writer, while the server runs
            ingest_paths(writer, [DATA / "records"], settings)
        after = _measures_on_disk(settings.store)
        assert after > before
        fresh = client.get("/sparql", params={"query": COUNT_MEASURES}, headers=JSON)
        assert "x-peergraph-cache" not in fresh.headers and _count(fresh) == after
        repeated = client.get("/sparql", params={"query": COUNT_MEASURES}, headers=JSON)
        assert repeated.headers["x-peergraph-cache"] == "hit"


@pytest.mark.slow
def test_an_answer_kept_for_a_reader_key_is_never_sent_to_an_anonymous_caller(restricted_settings):
    settings = _served_by_workers(restricted_settings)
    _, reader = ApiKeyFile(settings.api_keys_path).create("analyst", "reader")
    with TestClient(create_app(settings)) as client:
        keyed = [client.get("/sparql", params={"query": EXCHANGES}, headers={"Authorization": f"Bearer {reader}"})]
        keyed.append(client.get("/sparql", params={"query": EXCHANGES}, headers={"Authorization": f"Bearer {reader}"}))
        assert CLOSED_EXCHANGE in keyed[0].text and keyed[1].headers["x-peergraph-cache"] == "hit"
        anonymous = client.get("/sparql", params={"query": EXCHANGES})
        assert anonymous.status_code == 200 and "x-peergraph-cache" not in anonymous.headers
        assert CLOSED_EXCHANGE not in anonymous.text
        capped = client.get("/sparql", params={"query": EXCHANGES, "format": "tsv"})
        assert "x-peergraph-cache" not in capped.headers


@pytest.mark.slow
def test_no_answer_is_kept_with_a_cache_of_0_megabytes(demo_settings):
    settings = _served_by_workers(demo_settings).model_copy(update={"result_cache_mb": 0})
    with TestClient(create_app(settings)) as client:
        answers = [client.get("/sparql", params={"query": COUNT_MEASURES}, headers=JSON) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert all("x-peergraph-cache" not in a.headers for a in answers)


def _answer(size: int) -> Serialised:
    return Serialised("select", b"x" * size, False)


def test_the_cache_forgets_the_least_recently_used_answers_to_stay_within_its_bytes():
    cache = AnswerCache(400)
    for key in "abcd":
        cache.put(key, _answer(100))
    assert cache.get("a") == Serialised("select", b"x" * 100, False, from_cache=True)  # "a" is now the newest
    cache.put("e", _answer(100))
    assert cache.get("b") is None and len(cache) == 4
    assert [key for key in "acde" if cache.get(key) is not None] == list("acde")
    cache.put("big", _answer(101))  # over a quarter of the cache: never kept
    assert cache.get("big") is None and len(cache) == 4
    assert (cache.hits, cache.misses) == (5, 2)


def test_a_cache_of_no_bytes_is_refused():
    with pytest.raises(ValueError, match="positive size"):
        AnswerCache(0)
