"""One suite over both RDF stores: the embedded store and a remote SPARQL 1.1 server (Fuseki).

Each test runs through :class:`graph.store.GraphStore` only, on a fresh store: load a source, replace it
atomically, remove it, exact query answers, restricted records invisible to anonymous queries, the catalogue.
"""

import io

import pytest
from rdflib import Literal, URIRef

from graph.errors import QueryRejected
from graph.rdf.store import RdfStore
from graph.services.store import open_rdf_store
from graph.store import SourceInfo
from ontology import PG, mint_iri
from ontology.namespaces import DCTERMS, RDFS

EX = "https://example.org/contract/"
M1, M2, R1 = URIRef(EX + "m1"), URIRef(EX + "m2"), URIRef(EX + "r1")
PAGE, CLOSED_PAGE = URIRef(EX + "page"), URIRef(EX + "closed-page")
RESTRICTED = mint_iri("visibility", "restricted")
LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"

MEASURES_V1 = [
    (M1, RDFS.label, Literal("Film fund", lang="en")),
    (M1, PG.startYear, Literal(2004)),
    (M1, DCTERMS.source, PAGE),
    (M2, RDFS.label, Literal("Copyright law\nof 2008")),
]
MEASURES_V2 = [(M2, RDFS.label, Literal("Copyright act"))]
CLOSED = [
    (R1, PG.visibility, RESTRICTED),
    (R1, RDFS.label, Literal("Closed round table")),
    (R1, DCTERMS.source, CLOSED_PAGE),
    (R1, PG.implementedBy, M1),
]


def _info(name: str, triples: list) -> SourceInfo:
    return SourceInfo(name, name.rsplit("/", 1)[-1], f"sha-of-{name}-{len(triples)}", len(triples))


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("remote", marks=pytest.mark.fuseki),
        pytest.param("remote-update-only", marks=pytest.mark.fuseki),  # writes by INSERT DATA, no Graph Store Protocol
    ]
)
def store(request, tmp_path):
    """A fresh, empty store of each kind, open for writing."""
    if request.param == "embedded":
        opened = RdfStore(tmp_path / "store")
    else:
        settings = request.getfixturevalue("fuseki_settings")
        if request.param == "remote-update-only":
            settings = settings.model_copy(update={"sparql_gsp_url": None})
        opened = open_rdf_store(settings)
    yield opened
    opened.close()


def _labels(store, **kwargs) -> list[tuple[str, str]]:
    return [(str(row["s"]), str(row["label"])) for row in store.run_query(LABELS, max_rows=100, **kwargs).rows]


def test_a_loaded_source_is_listed_and_answers_exactly(store):
    store.replace_sources([(_info("c/measures.csv", MEASURES_V1), MEASURES_V1)], "run-1")
    [source] = store.sources()
    assert (source.name, source.file_name, source.triple_count, source.run) == (
        "c/measures.csv",
        "measures.csv",
        4,
        "run-1",
    )
    assert source.restricted_graph is None and store.has_public_content(source)
    assert _labels(store) == [(EX + "m1", "Film fund"), (EX + "m2", "Copyright law\nof 2008")]
    result = store.run_query("SELECT ?year WHERE { ?m pg:startYear ?year }", max_rows=10)
    assert result.variables == ["year"] and result.rows == [{"year": Literal(2004)}]
    assert store.run_query(f"ASK {{ <{M2}> ?p ?o }}", max_rows=1).boolean is True
    constructed = store.run_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{M1}>) }}", max_rows=10)
    assert sorted(constructed.triples) == sorted(t for t in MEASURES_V1 if t[0] == M1)
    assert store.count() == 4 and store.public_count() == 4 and store.holds(str(M2)) and not store.holds(EX + "none")


def test_bindings_row_cap_and_dataset_clauses(store):
    store.replace_sources([(_info("c/measures.csv", MEASURES_V1), MEASURES_V1)], "run-1")
    store.replace_sources([(_info("c/other.csv", MEASURES_V2), MEASURES_V2)], "run-2")
    bound = store.run_query("SELECT ?s ?label WHERE { ?s rdfs:label ?label }", max_rows=10, bindings={"s": M1})
    assert [(str(r["s"]), str(r["label"])) for r in bound.rows] == [(EX + "m1", "Film fund")]
    capped = store.run_query(LABELS, max_rows=2)
    assert len(capped.rows) == 2 and capped.truncated
    other = str(mint_iri("source-file", "c/other.csv"))
    assert _labels(store, dataset=([other], [])) == [(EX + "m2", "Copyright act")]
    from_clause = f"SELECT ?s ?label FROM <{other}> WHERE {{ ?s rdfs:label ?label }}"
    assert [str(r["label"]) for r in store.run_query(from_clause, max_rows=10).rows] == ["Copyright act"]
    with pytest.raises(QueryRejected, match="unknown graph"):
        store.run_query("SELECT * FROM <https://example.org/elsewhere> WHERE { ?s ?p ?o }", max_rows=1)
    with pytest.raises(QueryRejected, match="SERVICE"):
        store.run_query("SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }", max_rows=1)


def test_replacing_a_source_is_whole_and_leaves_nothing_of_the_old_content(store):
    store.replace_sources([(_info("c/measures.csv", MEASURES_V1), MEASURES_V1)], "run-1")
    old = store.sources()[0].graph
    store.replace_sources([(_info("c/measures.csv", MEASURES_V2), MEASURES_V2)], "run-2")
    [source] = store.sources()
    assert source.run == "run-2" and source.graph != old and source.triple_count == 1
    assert _labels(store) == [(EX + "m2", "Copyright act")]
    everything = store.run_query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", max_rows=1)
    assert int(everything.rows[0]["n"]) == 1
    assert store.run_query(f"ASK {{ <{M1}> ?p ?o }}", max_rows=1, include_restricted=True).boolean is False


def test_removing_sources_removes_their_triples_only(store):
    store.replace_sources(
        [(_info("c/measures.csv", MEASURES_V1), MEASURES_V1), (_info("c/other.csv", MEASURES_V2), MEASURES_V2)], "run-1"
    )
    generation = store.generation
    store.remove_sources(["c/measures.csv", "c/not-there.csv"])
    assert [s.name for s in store.sources()] == ["c/other.csv"] and store.generation != generation
    assert _labels(store) == [(EX + "m2", "Copyright act")] and store.count() == 1


def test_restricted_records_never_reach_anonymous_queries(store):
    store.replace_sources(
        [(_info("c/measures.csv", MEASURES_V1), MEASURES_V1), (_info("c/closed.csv", CLOSED), CLOSED)], "run-1"
    )
    closed = next(s for s in store.sources() if s.name == "c/closed.csv")
    assert closed.restricted_graph and not store.has_public_content(closed)
    assert _labels(store) == [(EX + "m1", "Film fund"), (EX + "m2", "Copyright law\nof 2008")]
    assert _labels(store, include_restricted=True)[0] == (EX + "m1", "Film fund")
    assert (EX + "r1", "Closed round table") in _labels(store, include_restricted=True)
    for query in (
        f"ASK {{ <{R1}> ?p ?o }}",
        f"ASK {{ GRAPH ?g {{ <{R1}> ?p ?o }} }}",
        f"ASK {{ ?s ?p <{CLOSED_PAGE}> }}",  # the address only the restricted record cites
        f"ASK {{ GRAPH <{closed.restricted_graph}> {{ ?s ?p ?o }} }}",
    ):
        assert store.run_query(query, max_rows=1).boolean is False, query
    with pytest.raises(QueryRejected, match="unknown graph"):
        store.run_query(f"SELECT * FROM <{closed.restricted_graph}> WHERE {{ ?s ?p ?o }}", max_rows=1)
    assert store.public_count() == 4 and store.count() == 8
    public = [(str(s), name) for s, _, _, name in store.quads(include_restricted=False)]
    assert (str(R1), "c/closed.csv") not in public


def test_a_record_made_restricted_later_moves_its_triples_from_other_sources(store):
    mentions = [(M1, PG.implementedBy, R1)]
    store.replace_sources([(_info("c/links.csv", mentions), mentions)], "run-1")
    ask = f"ASK {{ ?s ?p <{R1}> }}"
    assert store.run_query(ask, max_rows=1).boolean is True
    store.replace_sources([(_info("c/closed.csv", CLOSED), CLOSED)], "run-2")
    assert store.run_query(ask, max_rows=1).boolean is False  # c/links.csv was split again in the same switch
    assert store.run_query(ask, max_rows=1, include_restricted=True).boolean is True


def test_graphs_stream_as_ntriples_and_nquads(store):
    store.replace_sources(
        [(_info("c/measures.csv", MEASURES_V1), MEASURES_V1), (_info("c/closed.csv", CLOSED), CLOSED)], "run-1"
    )
    out = io.BytesIO()
    assert store.write_graph(out, fmt="nt", include_restricted=False) == 4
    lines = out.getvalue().decode().splitlines()
    assert len(lines) == 4 and all(line.endswith(" .") for line in lines)
    assert f'<{M2}> <{RDFS.label}> "Copyright law\\nof 2008" .' in lines
    out = io.BytesIO()
    assert store.write_graph(out, fmt="nq", sources=["c/closed.csv"], include_restricted=True) == 4
    named = f"<{mint_iri('source-file', 'c/closed.csv')}> ."
    assert all(line.endswith(named) for line in out.getvalue().decode().splitlines())
