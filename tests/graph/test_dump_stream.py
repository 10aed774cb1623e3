"""Reading a store's graph through Oxigraph's dump: every kind of term as Oxigraph's parser reads it,
across block boundaries, early stops, and a dump that fails halfway."""

import threading

import pyoxigraph as ox
import pytest

from graph.rdf import dump_stream
from graph.rdf.dump_stream import dumped_triples
from graph.rdf.oxigraph_terms import to_plain
from graph.rdf.plain_ntriples import plain_triples

N = ox.NamedNode
XSD = "http://www.w3.org/2001/XMLSchema#"
AWKWARD_OBJECTS = [
    ox.Literal('quote " backslash \\ newline \n return \r tab \t bell \x07 delete \x7f'),
    ox.Literal("accents é ü, CJK 文化, emoji 😀, line separator \u2028, BOM \ufeff"),
    ox.Literal(" spaces  at both ends . "),
    ox.Literal('ends with a quote"'),
    ox.Literal(""),
    ox.Literal("Política cultural", language="es-MX"),
    ox.Literal("سياسة", language="ar", direction=ox.BaseDirection.RTL),
    ox.Literal("2004", datatype=N(XSD + "gYear")),
    ox.Literal("-17", datatype=N(XSD + "integer")),
    ox.Literal("explicit string", datatype=N(XSD + "string")),
    ox.Literal("x > y .", datatype=N("https://example.org/dt#odd")),
    N("https://example.org/ünïcode/path?q=a b".replace(" ", "%20")),
    N("https://example.org/o"),
    ox.BlankNode("b1"),
]


def _store(triples) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(*triple, ox.DefaultGraph()) for triple in triples)
    return store


def _as_oxigraph_reads(store: ox.Store) -> list:
    return [
        (to_plain(q.subject), q.predicate.value, to_plain(q.object))
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    ]


def _no_stream_threads_left() -> bool:
    return not [t for t in threading.enumerate() if t.name.startswith("oxigraph-dump")]


def test_every_kind_of_term_reads_as_oxigraph_parses_it():
    subjects = [N("https://example.org/s"), ox.BlankNode("b2")]
    store = _store(
        (subject, N(f"https://example.org/p{i}"), obj) for subject in subjects for i, obj in enumerate(AWKWARD_OBJECTS)
    )
    read = list(dumped_triples(store, ox.DefaultGraph()))
    assert len(read) == 2 * len(AWKWARD_OBJECTS)
    assert sorted(read, key=repr) == sorted(_as_oxigraph_reads(store), key=repr)
    assert _no_stream_threads_left()


def test_lines_cut_across_blocks_and_a_full_queue_lose_nothing(monkeypatch):
    monkeypatch.setattr(dump_stream, "BLOCK", 777)  # every block ends inside a line
    monkeypatch.setattr(dump_stream, "READ_AHEAD_BLOCKS", 2)  # the dump waits for the reader
    store = _store(
        (N(f"https://example.org/s{i // 5}"), N("https://example.org/p"), AWKWARD_OBJECTS[i % len(AWKWARD_OBJECTS)])
        for i in range(5_000)
    )
    read = list(dumped_triples(store, ox.DefaultGraph()))
    assert len(read) == len(store) == 5_000
    assert read == _as_oxigraph_reads(store)  # the same storage order as reading quads


def test_stopping_early_ends_the_dump_and_its_threads(monkeypatch):
    monkeypatch.setattr(dump_stream, "BLOCK", 4096)
    monkeypatch.setattr(dump_stream, "READ_AHEAD_BLOCKS", 2)
    store = _store(
        (N(f"https://example.org/s{i}"), N("https://example.org/p"), ox.Literal(f"v{i}")) for i in range(50_000)
    )
    stream = dumped_triples(store, ox.DefaultGraph())
    first = [next(stream) for _ in range(10)]
    stream.close()
    assert len(first) == 10 and _no_stream_threads_left()


def test_a_triple_term_is_refused_with_its_line():
    store = _store(
        [
            (
                N("https://example.org/s"),
                N("https://example.org/p"),
                ox.Triple(N("https://e.org/a"), N("https://e.org/b"), N("https://e.org/c")),
            )
        ]
    )
    with pytest.raises(
        ValueError,
        match=r"not an N-Triples IRI or blank node: '<<\( <https://e.org/a> .*' in line '<https://example.org/s> ",
    ):
        list(dumped_triples(store, ox.DefaultGraph()))
    assert _no_stream_threads_left()


def test_a_refused_line_early_in_a_long_dump_ends_the_dump_too(monkeypatch):
    monkeypatch.setattr(dump_stream, "BLOCK", 4096)
    monkeypatch.setattr(dump_stream, "READ_AHEAD_BLOCKS", 2)  # the dump is still writing when the line is refused
    triple_term = ox.Triple(N("https://e.org/a"), N("https://e.org/b"), N("https://e.org/c"))
    store = _store(
        (N(f"https://example.org/s{i}"), N("https://example.org/p"), triple_term if i == 0 else ox.Literal(f"v{i}"))
        for i in range(50_000)
    )
    outcome = []

    def read_all():
        try:
            list(dumped_triples(store, ox.DefaultGraph()))
        except ValueError as error:
            outcome.append(error)

    reader = threading.Thread(target=read_all)
    reader.start()
    reader.join(60)
    assert not reader.is_alive(), "the reader hangs on a dump that cannot finish"
    assert len(outcome) == 1 and "<<(" in str(outcome[0])
    assert _no_stream_threads_left()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("<https://e.org/s> <https://e.org/p> <https://e.org/o>", "not an N-Triples line as Oxigraph writes them"),
        ("<https://e.org/s> <https://e.org/p", "not an N-Triples line as Oxigraph writes them"),
        ("", "not an N-Triples line as Oxigraph writes them"),
        ("# a comment", "not an N-Triples line as Oxigraph writes them"),
        ('<https://e.org/s> <https://e.org/p> "open .', "not an N-Triples literal"),
        ('<https://e.org/s> <https://e.org/p> "v"^^xsd:string .', "not an N-Triples literal"),
        ("s <https://e.org/p> <https://e.org/o> .", "not an N-Triples IRI or blank node: 's'"),
    ],
)
def test_a_line_of_another_shape_is_refused_naming_it(line, message):
    with pytest.raises(ValueError, match=message) as refused:
        list(plain_triples([line]))
    assert repr(line) in str(refused.value)


class _DumpThatFails:
    """A store whose dump writes some lines and then fails as Oxigraph reports errors (an OSError)."""

    def __init__(self, text: bytes, error: str):
        self.text, self.error = text, error

    def dump(self, path, format, from_graph):  # noqa: A002 (Oxigraph's parameter name)
        with open(path, "wb") as sink:
            sink.write(self.text)
        raise OSError(self.error)


def test_a_dump_failing_halfway_raises_its_own_error_not_the_half_line():
    store = _DumpThatFails(
        b"<https://e.org/s> <https://e.org/p> <https://e.org/o> .\n<https://e.org/s> <https",
        "Input/output error (os error 5)",
    )
    with pytest.raises(OSError, match=r"os error 5"):
        list(dumped_triples(store, ox.DefaultGraph()))
    assert _no_stream_threads_left()


def test_the_fsync_a_pipe_refuses_after_the_last_line_is_no_error():
    store = _DumpThatFails(
        b"<https://e.org/s> <https://e.org/p> <https://e.org/o> .\n", "Invalid argument (os error 22)"
    )
    assert list(dumped_triples(store, ox.DefaultGraph())) == [("https://e.org/s", "https://e.org/p", "https://e.org/o")]
