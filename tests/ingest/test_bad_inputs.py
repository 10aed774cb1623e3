"""The bad-input corpus: each case is rejected with its precise message, exit code 2, store unchanged."""

import pytest

from graph.rdf.store import RdfStore
from tests.helpers import DATA

BAD = DATA / "bad"

# (input, location printed before the message, words of the message)
CASES = [
    ("malformed_csv", "malformed_csv/programmes.csv:2", "malformed CSV"),
    ("missing_column", "missing_column/institutions.csv:1:country", "required column 'country' is missing"),
    ("unknown_country", "unknown_country/institutions.csv:2:country", "'XYZ' is not an ISO 3166-1 alpha-3"),
    (
        "dangling_reference",
        "dangling_reference/measures.csv:2:implemented_by",
        "'INS999' does not name a record of institutions",
    ),
    ("duplicate_conflict", "duplicate_conflict/institutions.csv:3:id", "id 'I1' is also at"),
    ("wrong_encoding", "wrong_encoding/countries.csv:2", "not valid UTF-8"),
    ("empty_file", "empty_file/programmes.csv", "the file is empty"),
    ("bad_year", "bad_year/projects.csv:2:start_year", "'20x1' is not a year"),
    (
        "end_before_start",
        "end_before_start/projects.csv:2:end_year",
        "end year 2019 is before start year 2021",
    ),
    (
        "unknown_concept",
        "unknown_concept/measures.csv:2:kind",
        "'decree' is not a concept of the 'kind' scheme",
    ),
    (
        "unknown_creative_field",
        "unknown_creative_field/creative_cities.csv:2:field",
        "'sculpture' is not a concept of the 'field' scheme",
    ),
    ("unknown_table", "unknown_table/partners.csv", "'partners.csv' is not a peergraph table"),
    ("bad_url", "bad_url/programmes.csv:2:sources", "is not an absolute http(s) address"),
    ("ragged_row", "ragged_row/experts.csv:2", "the row has 9 cells but the header has 8"),
    ("missing_value", "missing_value/institutions.csv:2:name", "'name' is required"),
    ("invalid_turtle.ttl", "invalid_turtle.ttl:4", "invalid turtle"),
    (
        "unknown_ontology_term.ttl",
        "unknown_ontology_term.ttl",
        "https://w3id.org/peergraph/ontology#Contry is not a term of the peergraph ontology",
    ),
    ("shape_violation.ttl", "https://w3id.org/peergraph/id/exchange/X9:pg:seeker", "shape violation"),
    ("invalid_json.json", "invalid_json.json:1", "invalid JSON"),
    ("jsonl_missing_table.jsonl", "jsonl_missing_table.jsonl:1", 'each line needs a "table" key'),
    ("not_a_workbook.xlsx", "not_a_workbook.xlsx", "not a readable XLSX workbook"),
    ("xlsx_missing_sheet.xlsx", "xlsx_missing_sheet.xlsx", "sheet 'experts' is missing"),
    ("notes.txt", "notes.txt", "no ingester reads '.txt' files"),
]


def test_the_corpus_has_at_least_fifteen_cases():
    assert len(CASES) >= 15
    assert {name for name, _, _ in CASES} == {path.name for path in BAD.iterdir()}


@pytest.mark.parametrize(("name", "where", "message"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_is_rejected_precisely_and_writes_nothing(name, where, message, cli, demo_settings):
    store = RdfStore(demo_settings.store, read_only=True)
    before = store.content_hash()
    store.close()

    result = cli("ingest", str(BAD / name), settings=demo_settings)

    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert "nothing was written" in output
    assert f"{where}" in output.replace(str(BAD) + "/", ""), output
    assert message in output, output
    assert "Traceback" not in output
    after = RdfStore(demo_settings.store, read_only=True)
    assert after.content_hash() == before
    after.close()


def test_all_problems_of_a_file_are_reported_at_once(tmp_path, cli, settings):
    (tmp_path / "institutions.csv").write_text(
        "id,name,country,type,type_note,visibility,sources\nI1,,XYZ,ministri,,,nowhere\n", encoding="utf-8"
    )
    result = cli("validate", str(tmp_path / "institutions.csv"), settings=settings)
    assert result.exit_code == 2
    for column in ("name", "country", "type", "sources"):
        assert f"institutions.csv:2:{column}:" in result.output
    assert "did you mean 'ministry'" in result.output
