"""Public copies: every kind of term reads back as Oxigraph's parser reads it; copies merge by subject;
a copy out of order or cut short is refused with its file named."""

import pyoxigraph as ox
import pytest

from graph.rdf import public_copies
from graph.rdf.oxigraph_terms import to_plain
from graph.rdf.public_copies import merged_groups, write_copy
from tests.graph.test_dump_stream import AWKWARD_OBJECTS

N = ox.NamedNode


def _groups(*paths):
    files = [path.open("rb") for path in paths]
    try:
        return list(merged_groups(files))
    finally:
        for file in files:
            file.close()


def test_every_kind_of_term_reads_back_as_oxigraph_reads_it(tmp_path):
    subjects = [N("https://example.org/s2"), ox.BlankNode("b9"), N("https://example.org/s1")]
    triples = [(s, N(f"https://example.org/p{i}"), o) for s in subjects for i, o in enumerate(AWKWARD_OBJECTS)]
    assert write_copy(tmp_path / "a.nt", [ox.Triple(*triple) for triple in triples]) == len(triples)
    groups = _groups(tmp_path / "a.nt")
    assert [subject for subject, _ in groups] == ["_:b9", "https://example.org/s1", "https://example.org/s2"]
    expected = {
        to_plain(s): [(p.value, to_plain(o)) for s2, p, o in triples if s2 == s] for s in subjects
    }  # each subject's pairs in the order given
    assert dict(groups) == expected
    # the file is N-Triples Oxigraph parses to the same triples
    parsed = {quad.triple for quad in ox.parse(path=str(tmp_path / "a.nt"), format=ox.RdfFormat.N_TRIPLES)}
    assert parsed == {ox.Triple(*triple) for triple in triples}
    assert not list(tmp_path.glob("*.tmp"))


def test_copies_merge_by_subject_and_state_a_shared_pair_once(tmp_path):
    a, b, c = (N(f"https://example.org/{x}") for x in "abc")
    p, q = N("https://example.org/p"), N("https://example.org/q")
    one = [(c, p, a), (a, p, b), (a, q, ox.Literal("x", language="en"))]
    two = [(b, p, c), (a, q, ox.Literal("x", language="en")), (a, q, ox.Literal("y"))]
    write_copy(tmp_path / "one.nt", [ox.Triple(*triple) for triple in one])
    write_copy(tmp_path / "two.nt", [ox.Triple(*triple) for triple in two])
    groups = _groups(tmp_path / "one.nt", tmp_path / "two.nt")
    x, y = to_plain(ox.Literal("x", language="en")), to_plain(ox.Literal("y"))
    assert groups == [
        (a.value, [(p.value, b.value), (q.value, x), (q.value, y)]),
        (b.value, [(p.value, c.value)]),
        (c.value, [(p.value, a.value)]),
    ]


def test_a_copy_out_of_order_is_refused_with_its_name(tmp_path):
    path = tmp_path / "copy.nt"
    path.write_text(
        "<https://e.org/b> <https://e.org/p> <https://e.org/o> .\n"
        "<https://e.org/a> <https://e.org/p> <https://e.org/o> .\n"
    )
    with pytest.raises(
        ValueError, match=r"copy\.nt: subjects out of order \('https://e.org/a' after 'https://e.org/b'\)"
    ):
        _groups(path)


def test_a_copy_cut_short_is_refused_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setattr(public_copies, "BLOCK", 16)  # the cut falls across many blocks
    path = tmp_path / "copy.nt"
    s, p = N("https://e.org/s"), N("https://e.org/p")
    write_copy(path, [ox.Triple(s, p, ox.Literal(f"value {i}")) for i in range(20)])
    whole = path.read_bytes()
    assert len(_groups(path)[0][1]) == 20
    path.write_bytes(whole[:-9])
    with pytest.raises(ValueError, match=r"copy\.nt: the file ends inside a line"):
        _groups(path)
