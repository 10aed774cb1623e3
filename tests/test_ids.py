import pytest

from ontology.ids import IriError, is_web_address, mint_iri, parse_iri


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("country", "NAM"),
        ("measure", "M-ZAF-01"),
        ("exchange", "X a/b"),
        ("challenge", "copyright"),
        ("outcome-type", "robust-regulation"),
    ],
)
def test_mint_and_parse_round_trip(kind, key):
    assert parse_iri(str(mint_iri(kind, key))) == (kind, key)


def test_minting_is_deterministic_and_normalises_country_codes():
    assert mint_iri("country", " nam ") == mint_iri("country", "NAM")
    assert mint_iri("project", "EF2-UGA") == mint_iri("project", "EF2-UGA")


@pytest.mark.parametrize(("kind", "key"), [("country", ""), ("nonsense", "x"), ("source", "www.example.org")])
def test_bad_keys_are_refused(kind, key):
    with pytest.raises(IriError):
        mint_iri(kind, key)


def test_parse_refuses_foreign_iris():
    with pytest.raises(IriError):
        parse_iri("https://example.org/x")


def test_web_addresses():
    assert is_web_address("https://en.unesco.org/creativity?x=1&y=2")
    assert not is_web_address("https://has space.org")
