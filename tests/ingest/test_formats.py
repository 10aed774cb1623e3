"""The same records in every input format give the same, hand-written graph."""

import csv
import shutil

import pytest
from rdflib import Graph

from ingest.pipeline import prepare
from ingest.registry import detect_format
from ingest.schema import TABLES
from ingest.templates import write_csv_templates, write_xlsx_template
from tests.helpers import DATA, assert_isomorphic, graph_of


def _expected() -> Graph:
    return Graph().parse(DATA / "records.expected.ttl")


def _prepared_graph(*paths) -> Graph:
    batch = prepare(list(paths))
    return graph_of(t for source in batch.sources for t in source.triples)


def test_csv_folder_gives_the_expected_graph():
    assert_isomorphic(_prepared_graph(DATA / "records"), _expected())


def test_json_gives_the_expected_graph():
    assert_isomorphic(_prepared_graph(DATA / "records.json"), _expected())


def test_jsonl_gives_the_expected_graph():
    assert_isomorphic(_prepared_graph(DATA / "records.jsonl"), _expected())


def test_xlsx_gives_the_expected_graph(tmp_path):
    rows = {
        table.name: list(csv.DictReader((DATA / "records" / f"{table.name}.csv").open(encoding="utf-8")))
        for table in TABLES
    }
    book = write_xlsx_template(tmp_path / "records.xlsx", rows)
    assert_isomorphic(_prepared_graph(book), _expected())


def test_turtle_round_trip_gives_the_expected_graph(tmp_path):
    path = tmp_path / "records.ttl"
    _expected().serialize(path, format="turtle")
    assert_isomorphic(_prepared_graph(path), _expected())


def test_one_source_per_csv_file_with_its_counts():
    batch = prepare([DATA / "records"])
    by_name = {source.name: source for source in batch.sources}
    assert by_name["records/measures.csv"].report.records == {"measures": 1}
    assert by_name["records/practices.csv"].report.records == {}
    assert len(batch.sources) == 10


def test_optional_empty_fields_give_no_triples():
    graph = _prepared_graph(DATA / "records")
    assert not any(str(o) == "" for o in graph.objects())


def test_single_csv_file_may_refer_to_records_in_the_store(tmp_path):
    shutil.copy(DATA / "records" / "measures.csv", tmp_path / "measures.csv")
    batch = prepare([tmp_path / "measures.csv"], known=lambda table, key: (table, key) == ("institutions", "I1"))
    assert batch.sources[0].report.records == {"measures": 1}


def test_templates_in_the_repository_are_current(tmp_path):
    write_csv_templates(tmp_path)
    shipped = DATA.parents[1] / "ingest" / "templates"
    for path in tmp_path.iterdir():
        assert path.read_text() == (shipped / path.name).read_text(), path.name


@pytest.mark.parametrize(
    ("name", "expected"),
    [("x.csv", "csv"), ("x.XLSX", "xlsx"), ("x.jsonl", "json"), ("x.trig", "rdf"), ("x.nt", "rdf")],
)
def test_format_detection(name, expected, tmp_path):
    assert detect_format(tmp_path / name) == expected
