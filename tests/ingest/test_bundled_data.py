"""The bundled sample: every compiled fact and source survives, and counts equal the source files."""

import csv

import pytest

from graph.rdf.store import RdfStore
from graph.services.query import run_sparql
from graph.services.store import sample_data_path, store_stats
from ingest.pipeline import prepare
from tests.helpers import SHARED_PROGRAMME
from tools.check_compiled import COMPILED, is_mirror, is_wiki_copy, official_sources, reference_iso3, row_problems


def _rows(name):
    with (SHARED_PROGRAMME / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ifcd_rows():
    """The compiled IFCD projects that rest on a page other than a mirror."""
    path = COMPILED / "ifcd_projects.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if official_sources(row["source"])]


def _measure_rows():
    """The programme data's measures and the compiled ones that keep every rule, less mirror-only rows."""
    rows, codes = _rows("measures.csv"), reference_iso3()
    for path in sorted((COMPILED / "measures").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [row for row in csv.DictReader(handle) if not row_problems(row, codes)]
    return [row for row in rows if official_sources(row["source"])]


needs_shared = pytest.mark.skipif(
    not SHARED_PROGRAMME.exists(), reason="../shared/data/programme is not beside this clone"
)


@needs_shared
def test_store_counts_equal_the_compiled_source_files(demo_store_path):
    store = RdfStore(demo_store_path, read_only=True)
    classes = store_stats(store).classes
    store.close()
    assert classes["PolicyMeasure"] == len(_measure_rows())
    assert classes["Institution"] == len(_rows("institutions.csv")) == 80
    assert classes["Project"] == len(_rows("projects.csv")) + len(_ifcd_rows())
    assert classes["PeerExchange"] == len(_rows("exchanges.csv")) == 17
    assert classes["Expert"] == len(_rows("experts.csv")) == 31
    assert classes["Country"] == len({row["iso3"] for row in _rows("countries.csv")}) == 34
    results = sum(
        len([x for x in row["results"].split(";") if x.strip()])
        for row in _rows("projects.csv") + _ifcd_rows() + _measure_rows()
    )
    assert classes["Outcome"] == results


@needs_shared
def test_every_compiled_source_address_is_kept_and_no_mirror_or_wikipedia_copy():
    rows = [
        row
        for name in ("countries.csv", "exchanges.csv", "experts.csv", "institutions.csv", "projects.csv")
        for row in _rows(name)
    ] + _measure_rows()
    compiled = {url.strip() for row in rows for url in row["source"].split(" | ")}
    batch = prepare([sample_data_path()])
    kept = {str(o) for source in batch.sources for _, p, o in source.triples if str(p).endswith("/source")}
    assert set(official_sources(" | ".join(compiled))) <= kept
    assert not [url for url in kept if is_mirror(url) or is_wiki_copy(url)]


@needs_shared
def test_titles_names_and_years_match_the_compiled_rows():
    sample = {row["id"]: row for row in csv.DictReader((sample_data_path() / "measures.csv").open(encoding="utf-8"))}
    for row in _measure_rows():
        mine = sample[row["id"]]
        assert (mine["title"], mine["country"], mine["kind"], mine["start_year"], mine["end_year"]) == (
            row["title"],
            row["country_iso3"],
            row["kind"],
            row["year_start"],
            row["year_end"],
        )
        assert mine["description"] == row["description"]


def test_every_bundled_exchange_has_a_seeker_provider_and_a_source(demo_store_path):
    store = RdfStore(demo_store_path, read_only=True)
    result = run_sparql(
        store,
        """
        SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
          ?x a pg:PeerExchange ; pg:seeker ?s ; pg:provider ?p ; dcterms:source ?src . ?src a pg:Source }""",
        max_rows=10,
    )
    store.close()
    assert int(result.rows[0]["n"]) == 17


def test_reference_countries_carry_regions_and_languages(demo_store_path):
    store = RdfStore(demo_store_path, read_only=True)
    result = run_sparql(
        store,
        """
        SELECT ?region ?sub (GROUP_CONCAT(STR(?lang); separator=",") AS ?langs) WHERE {
          <https://w3id.org/peergraph/id/country/NAM> pg:inRegion/rdfs:label ?region ;
              pg:inSubRegion/rdfs:label ?sub ; pg:officialLanguage ?lang }
        GROUP BY ?region ?sub""",
        max_rows=10,
    )
    store.close()
    row = result.rows[0]
    assert (str(row["region"]), str(row["sub"])) == ("Africa", "Southern Africa")
    assert "en" in str(row["langs"]).split(",")
