"""Turn what a seeker types or uploads into a :class:`~graph.peers.matching.MatchRequest`.

Countries are named by ISO 3166 alpha-3 or alpha-2 code or by name; challenges by concept id
(``piracy``), prefixed name (``challenge:piracy``), IRI, or free text matched against the challenge
labels in every language (accents and case ignored). A diagnostic-assessment file (YAML or JSON) adds
priority weights, preferred languages and regions, exclusions and whether peers that already worked with
the seeker are included::

    seeker: NAM
    kind: country            # country | institution | expert
    k: 10
    challenges:
      - id: piracy           # or: text: "lutte contre le piratage"
        weight: 3
      - copyright            # a bare id or text weighs 1
    sectors: [film-audiovisual, music]   # ids or labels in en/fr/es; none: any sector
    statement: "Le piratage des films prive nos créateurs de revenus."  # read for challenges, sectors
    preferred_languages: [en]
    preferred_regions: [southern-africa]
    exclude: [ZAF]
    include_prior_ties: true
    diverse: false

Every unknown term is reported with the closest known ones; file problems name the file and the field.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.errors import InvalidRequest
from graph.peers.matching import PROVIDER_KINDS, MatchIndex, MatchRequest, fold_name
from graph.peers.text_bridge import concepts_in_text
from ingest.reference import find_country_by_pattern
from ingest.types import InputRejected, Location, Problem
from ontology.namespaces import PREFIXES

_CHALLENGE_NS = str(PREFIXES["challenge"])
_REGION_NS = str(PREFIXES["region"])


def _closest(text: str, choices: dict[str, str], n: int = 5) -> str:
    names = difflib.get_close_matches(fold_name(text), list(choices), n=n, cutoff=0.5)
    shown = list(dict.fromkeys(choices[name] for name in names))
    return ", ".join(shown) if shown else "none close; see `peergraph sparql` on skos:prefLabel"


def _shown(index: MatchIndex, iri: str) -> str:
    label = index.concepts[iri].label if iri in index.concepts else index.providers[iri].label
    return f"{iri.rsplit('/', 1)[-1]} ({label})"


def resolve_country(index: MatchIndex, text: str, *, parameter: str = "seeker") -> str:
    """Return the IRI of the country named by ``text`` (ISO3, ISO2, name or IRI).

    Raises
    ------
    InvalidRequest
        If no country has that code or name; the message lists the closest ones.
    """
    if text in index.providers and index.providers[text].kind == "country":
        return text
    table = index.name_table("country")
    found = table.get(fold_name(text))
    if found:
        return found
    code = find_country_by_pattern(fold_name(text))  # the reference library's name patterns ("South Korea")
    if code and fold_name(code) in table:
        return table[fold_name(code)]
    names = {name: _shown(index, iri) for name, iri in table.items()}
    raise InvalidRequest(parameter, f"unknown country {text!r}; closest: {_closest(text, names)}")


def resolve_entity(index: MatchIndex, text: str, *, parameter: str) -> str:
    """Return the IRI of a country, institution or expert named by IRI, id or exact label."""
    if text in index.providers:
        return text
    table = index.name_table("provider")
    found = table.get(fold_name(text))
    if found:
        return found
    names = {name: _shown(index, iri) for name, iri in table.items()}
    raise InvalidRequest(
        parameter, f"unknown country, institution or expert {text!r}; closest: {_closest(text, names)}"
    )


def resolve_challenge(index: MatchIndex, text: str, *, parameter: str = "challenge") -> str:
    """Return the IRI of the challenge concept named by ``text``.

    Tried in order: IRI, ``challenge:`` prefixed name, concept id, a label in any language equal to the
    text, then a single concept whose labels contain every word of the text.

    Raises
    ------
    InvalidRequest
        If nothing matches, or the words match several concepts; the message lists the candidates.
    """
    text = text.strip()
    if text in index.concepts:
        return text
    local = text.split(":", 1)[1] if text.startswith("challenge:") else text
    if _CHALLENGE_NS + local in index.concepts:
        return _CHALLENGE_NS + local
    wanted = fold_name(text)
    by_name = index.name_table("challenge")
    if wanted in by_name:
        return by_name[wanted]
    words = set(wanted.split())
    hits = sorted({iri for name, iri in by_name.items() if words and words <= set(name.split())})
    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = ", ".join(_shown(index, iri) for iri in hits)
        raise InvalidRequest(parameter, f"{text!r} matches several challenges: {listed}; name one by id")
    shown = {name: _shown(index, iri) for name, iri in by_name.items()}
    raise InvalidRequest(parameter, f"unknown challenge {text!r}; closest: {_closest(text, shown)}")


def resolve_sector(index: MatchIndex, text: str, *, parameter: str = "sector") -> str:
    """Return a sector concept IRI from an id (``music``), prefixed name, IRI or label (any language)."""
    if text in index.sectors:
        return text
    local = text.split(":", 1)[1] if text.startswith("sector:") else text
    by_name = index.name_table("sector")
    found = by_name.get(fold_name(local))
    if found:
        return found
    shown = {name: iri.rsplit("/", 1)[-1] for name, iri in by_name.items()}
    raise InvalidRequest(parameter, f"unknown sector {text!r}; closest: {_closest(text, shown)}")


def interpret_text(index: MatchIndex, text: str) -> tuple[dict[str, float], frozenset[str]]:
    """Read a diagnostic paragraph (en/fr/es) as weighted challenges and sectors, by their labels in it.

    Returns
    -------
    (dict of str to float, frozenset of str)
        Challenge IRI → how often its labels occur; the sectors named.
    """
    challenges = concepts_in_text(text, {c.iri: c.names for c in index.concepts.values()})
    sectors = concepts_in_text(text, {s.iri: s.names for s in index.sectors.values()})
    return challenges, frozenset(sectors)


def resolve_region(text: str) -> str:
    """Return a region concept IRI from an id (``southern-africa``), prefixed name or IRI."""
    if text.startswith(_REGION_NS):
        return text
    return _REGION_NS + (text.split(":", 1)[1] if text.startswith("region:") else text)


class ChallengeEntry(BaseModel):
    """One challenge of an assessment: a concept id or free text, with a priority weight."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = None
    text: str | None = None
    weight: float = Field(1.0, gt=0)


class Assessment(BaseModel):
    """A diagnostic-assessment file (see the module docstring for the format)."""

    model_config = ConfigDict(extra="forbid")
    seeker: str
    challenges: list[ChallengeEntry | str] = []
    sectors: list[str] = []
    statement: str = ""
    kind: str = "country"
    k: int = Field(10, ge=1, le=200)
    preferred_languages: list[str] = []
    preferred_regions: list[str] = []
    exclude: list[str] = []
    include_prior_ties: bool = True
    diverse: bool = False

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in PROVIDER_KINDS:
            raise ValueError(f"must be one of {', '.join(PROVIDER_KINDS)}")
        return value


def read_assessment(path: Path) -> Assessment:
    """Read and check a YAML or JSON assessment file.

    Raises
    ------
    InputRejected
        With one problem per wrong field, located as ``file:field``.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputRejected([Problem(Location(str(path)), f"cannot read the file: {error}")]) from None
    return parse_assessment(data, str(path))


def parse_assessment(data: bytes, name: str, *, max_bytes: int | None = None) -> Assessment:
    """Check the bytes of an assessment file; ``name`` (ending ``.json`` for JSON) locates the problems.

    Raises
    ------
    InputRejected
        With one problem per wrong field, located as ``name:field``.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise InputRejected([Problem(Location(name), f"the file is larger than {max_bytes} bytes")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputRejected([Problem(Location(name), f"not UTF-8 text: {error}")]) from None
    is_json = name.lower().endswith(".json")
    try:
        parsed: Any = json.loads(text) if is_json else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        kind = "JSON" if is_json else "YAML"
        raise InputRejected([Problem(Location(name), f"not valid {kind}: {error}")]) from None
    if not isinstance(parsed, dict):
        raise InputRejected([Problem(Location(name), "expected a mapping with at least `seeker` and `challenges`")])
    try:
        return Assessment.model_validate(parsed)
    except ValidationError as error:
        problems = [
            Problem(Location(name, 0, ".".join(str(part) for part in issue["loc"])), issue["msg"])
            for issue in error.errors()
        ]
        raise InputRejected(problems) from None


def request_from_assessment(index: MatchIndex, assessment: Assessment, *, source: str = "") -> MatchRequest:
    """Resolve an assessment's names to IRIs.

    Raises
    ------
    InputRejected
        When ``source`` (the file name) is given, listing every unknown term by field.
    InvalidRequest
        Otherwise, for the first unknown term.
    """
    problems: list[Problem] = []

    def attempt(resolve: Any, text: str, field: str) -> str | None:
        try:
            return resolve(index, text, parameter=field)
        except InvalidRequest as error:
            if not source:
                raise
            problems.append(Problem(Location(source, 0, field), error.reason))
            return None

    seeker = attempt(resolve_country, assessment.seeker, "seeker")
    challenges: dict[str, float] = {}
    for position, entry in enumerate(assessment.challenges):
        item = ChallengeEntry(text=entry) if isinstance(entry, str) else entry
        term = item.id or item.text
        if not term:
            problems.append(Problem(Location(source, 0, f"challenges.{position}"), "give `id` or `text`"))
            continue
        iri = attempt(resolve_challenge, term, f"challenges.{position}")
        if iri:
            challenges[iri] = challenges.get(iri, 0.0) + item.weight
    sectors = {attempt(resolve_sector, name, f"sectors.{i}") for i, name in enumerate(assessment.sectors)}
    if assessment.statement:
        found, named = interpret_text(index, assessment.statement)
        for iri, weight in found.items():
            challenges.setdefault(iri, weight)
        sectors |= named
    if not challenges and not problems:
        problems.append(Problem(Location(source, 0, "challenges"), "give challenges, or a statement that names some"))
    excluded = [attempt(resolve_entity, name, f"exclude.{i}") for i, name in enumerate(assessment.exclude)]
    if problems and not source:
        raise InvalidRequest(problems[0].location.column or "challenges", problems[0].message)
    if problems:
        raise InputRejected(problems)
    assert seeker is not None
    return MatchRequest(
        seeker=seeker,
        challenges=challenges,
        kind=assessment.kind,  # type: ignore[arg-type]
        k=assessment.k,
        sectors=frozenset(iri for iri in sectors if iri),
        text=assessment.statement,
        preferred_languages=frozenset(assessment.preferred_languages),
        preferred_regions=frozenset(resolve_region(region) for region in assessment.preferred_regions),
        exclude=frozenset(iri for iri in excluded if iri),
        prior_ties="include" if assessment.include_prior_ties else "exclude",
        diverse=assessment.diverse,
    )


def build_request(
    index: MatchIndex,
    *,
    seeker: str,
    challenges: Iterable[str],
    kind: str = "country",
    k: int = 10,
    exclude_prior_ties: bool = False,
    diverse: bool = False,
    sectors: Iterable[str] = (),
    text: str = "",
) -> MatchRequest:
    """Resolve a seeker and challenge names given on a command line or in a query string.

    Raises
    ------
    InvalidRequest
        Naming the parameter and the closest known terms.
    """
    if kind not in PROVIDER_KINDS:
        raise InvalidRequest("kind", f"unknown kind {kind!r}; use one of {', '.join(PROVIDER_KINDS)}")
    if k < 1:
        raise InvalidRequest("k", "k must be at least 1")
    wanted: dict[str, float] = {}
    for name in challenges:
        iri = resolve_challenge(index, name)
        wanted[iri] = wanted.get(iri, 0.0) + 1.0
    seeker_iri = resolve_country(index, seeker)
    chosen_sectors = frozenset(resolve_sector(index, name) for name in sectors)
    if text:
        found, named = interpret_text(index, text)
        for iri, weight in found.items():
            wanted.setdefault(iri, weight)
        chosen_sectors |= named
    if not wanted and not chosen_sectors:
        chosen_sectors = index.sectors_of_seeker(seeker_iri)
    if not wanted:
        wanted = index.challenges_of_seeker(seeker_iri)
        if not wanted:
            raise InvalidRequest(
                "challenge", f"give at least one challenge: {seeker} has no project with challenges to start from"
            )
    return MatchRequest(
        seeker=seeker_iri,
        challenges=wanted,
        kind=kind,  # type: ignore[arg-type]
        k=k,
        prior_ties="exclude" if exclude_prior_ties else "include",
        diverse=diverse,
        sectors=chosen_sectors,
        text=text,
    )
