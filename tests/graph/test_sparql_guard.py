"""The text screen before the parse: a query it lets through unparsed is one the parse would pass untouched."""

from __future__ import annotations

import pytest

from graph.errors import QueryRejected
from graph.sparql_guard import check_query, may_contain_keyword, screen_query

# Spellings a parser reads as SERVICE or FROM: each must reach the full parse.
NAMING = [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * where { sErViCe?e { ?s ?p ?o } }",
    "SELECT * WHERE { SERV\\u0049CE <http://x/> { } }",
    "SELECT * WHERE { \\U00000053ERVICE <http://x/> { } }",
    "SELECT * WHERE { ſervice <http://x/> { } }",  # LATIN SMALL LETTER LONG S upper-cases to S
    "SELECT * WHERE { ＳＥＲＶＩＣＥ <http://x/> { } }",  # fullwidth forms
    "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "SELECT * FR\\u004FM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "from a string" }',  # a false alarm: parsed, then passed
]
# Queries with neither word: passed without a parse.
PLAIN = [
    "SELECT ?s WHERE { ?s a pg:Country } LIMIT 3",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s rdfs:label ?o }",
    "SELECT ?x WHERE { ?x a }",  # malformed: the engine's parser reports it
]


@pytest.mark.parametrize("query", NAMING)
def test_every_spelling_of_service_or_from_goes_to_the_parse(query):
    assert may_contain_keyword(query, "service", "from")


@pytest.mark.parametrize("query", PLAIN)
def test_queries_without_either_word_pass_unparsed(query):
    assert not may_contain_keyword(query, "service", "from")
    assert screen_query(query).dataset is None


def test_the_screen_refuses_what_the_parse_refuses_and_reads_the_same_dataset():
    service = "SELECT * WHERE { SERV\\u0049CE <http://x/> { ?s ?p ?o } }"
    for check in (check_query, screen_query):
        with pytest.raises(QueryRejected, match="SERVICE"):
            check(service)
        with pytest.raises(QueryRejected, match="empty"):
            check("  \n")
    named = NAMING[6]
    assert screen_query(named) == check_query(named)
    assert screen_query(named).dataset == (["http://example.org/g"], [])
    assert screen_query(NAMING[-1]).dataset is None


def test_an_escape_past_the_last_code_point_goes_to_the_parse():
    assert may_contain_keyword("SELECT * WHERE { ?s ?p '\\UFFFFFFFF' }", "graph")
