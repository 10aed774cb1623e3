"""Canned desk-research questions: named queries, each written in SPARQL (RDF store) and Cypher (Neo4j).

The query texts live in ``graph/services/queries/<name>.rq`` and ``<name>.cypher``; parameters are passed as
values (SPARQL variable substitution, Cypher ``$parameters``), never pasted into the text. Both versions
return the same columns, IRIs and plain values, so their answers can be compared (the parity tests do) and
labelled afterwards from the graph view.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import NEO4J_HOW_TO, InvalidRequest, NotFound, StoreUnavailable
from graph.neo4j.store import Neo4jStore
from graph.peers.assessment import resolve_challenge, resolve_country, resolve_region
from graph.services.research import GraphView
from graph.store import GraphStore
from ontology.ids import mint_iri
from ontology.namespaces import PREFIXES


@dataclass(frozen=True)
class Parameter:
    """A parameter of a question: its name, the kind of value, and an example that works on the bundled data."""

    name: str
    kind: str
    example: str
    help: str


@dataclass(frozen=True)
class Question:
    """A named desk-research question."""

    name: str
    title: str
    parameters: tuple[Parameter, ...]

    def sparql(self) -> str:
        """Return the SPARQL text."""
        return _query_text(f"{self.name}.rq")

    def cypher(self) -> str:
        """Return the Cypher text."""
        return _query_text(f"{self.name}.cypher")


@cache
def _query_text(file_name: str) -> str:
    return (resources.files("graph.services") / "queries" / file_name).read_text(encoding="utf-8")


_CHALLENGE = Parameter("challenge", "challenge", "copyright", "challenge id, label (any language) or IRI")
_COUNTRY = Parameter("country", "country", "ZAF", "ISO3 or ISO2 code or name")

#: The catalogue, in the order the UI shows it.
QUESTIONS: dict[str, Question] = {
    q.name: q
    for q in (
        Question(
            "providers-for-challenge",
            "Which countries tackled this challenge (measures, exchanges given)?",
            (_CHALLENGE,),
        ),
        Question("measures-for-challenge", "Which policy measures address this challenge?", (_CHALLENGE,)),
        Question(
            "measures-for-challenge-in-region",
            "Which measures address this challenge in a region?",
            (_CHALLENGE, Parameter("region", "region", "africa", "UN M49 region or sub-region id")),
        ),
        Question(
            "experts-on-topic-speaking",
            "Which experts worked on this topic and come from a country speaking this language?",
            (_CHALLENGE, Parameter("language", "language", "en", "ISO 639 language code")),
        ),
        Question(
            "exchanges-on-topic-since",
            "Which peer exchanges on this topic took place since a year?",
            (
                Parameter("challenge", "challenge", "policy-framework", _CHALLENGE.help),
                Parameter("since", "year", "2021", "first year"),
            ),
        ),
        Question(
            "institutions-for-challenge",
            "Which institutions implemented measures or gave exchanges on it?",
            (_CHALLENGE,),
        ),
        Question(
            "outcomes-of",
            "What outcomes were recorded for a project, measure or exchange?",
            (Parameter("record", "record", "EF2-CRI", "identifier of a project, measure or exchange"),),
        ),
        Question(
            "projects-of-programme",
            "Which projects did a programme run, where and when?",
            (Parameter("programme", "programme", "EF2", "programme identifier"),),
        ),
        Question("seekers-of-provider", "Who learnt from this country as knowledge-provider?", (_COUNTRY,)),
        Question("measures-of-country", "Which policy measures did this country adopt?", (_COUNTRY,)),
        Question(
            "exchanges-by-method",
            "Which exchanges used this peer-learning method?",
            (Parameter("method", "method", "peer-meeting", "method id of the toolkit"),),
        ),
        Question(
            "treaty-peers-with-measures",
            "Which countries in the same treaty as this country adopted measures on this challenge?",
            (Parameter("country", "country", "NAM", _COUNTRY.help), _CHALLENGE),
        ),
        Question(
            "challenges-of-country",
            "Which challenges did this country's own projects set out to address?",
            (Parameter("country", "country", "NAM", _COUNTRY.help),),
        ),
    )
}


@dataclass
class QuestionResult:
    """The answer to a question: columns and rows of plain values (IRIs as strings), with labels."""

    question: str
    backend: str
    arguments: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]]
    labels: dict[str, str]
    truncated: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the answer."""
        return {
            "question": self.question,
            "backend": self.backend,
            "arguments": self.arguments,
            "columns": self.columns,
            "rows": self.rows,
            "labels": self.labels,
            "truncated": self.truncated,
        }


def get_question(name: str) -> Question:
    """Return a question by name.

    Raises
    ------
    NotFound
        Listing the known names.
    """
    try:
        return QUESTIONS[name]
    except KeyError:
        raise NotFound(f"no question {name!r}; known: {', '.join(QUESTIONS)}") from None


def _resolve_record(view: GraphView, text: str, parameter: str, kinds: tuple[str, ...]) -> str:
    if text in view.graph:
        return text
    for kind in kinds:
        iri = str(mint_iri(kind, text))
        if iri in view.graph:
            return iri
    raise InvalidRequest(parameter, f"no {' or '.join(kinds)} with identifier {text!r}")


def resolve_arguments(view: GraphView, question: Question, raw: dict[str, str]) -> dict[str, Any]:
    """Turn the user's values into IRIs and numbers.

    Raises
    ------
    InvalidRequest
        For a missing, unknown or ill-formed value, naming the parameter.
    """
    unknown = sorted(set(raw) - {p.name for p in question.parameters})
    if unknown:
        raise InvalidRequest(unknown[0], f"{question.name} takes only {', '.join(p.name for p in question.parameters)}")
    values: dict[str, Any] = {}
    for parameter in question.parameters:
        text = (raw.get(parameter.name) or "").strip()
        if not text:
            raise InvalidRequest(parameter.name, f"required ({parameter.help}; for example {parameter.example})")
        kind = parameter.kind
        if kind == "challenge":
            values[parameter.name] = resolve_challenge(view.index, text, parameter=parameter.name)
        elif kind == "country":
            values[parameter.name] = resolve_country(view.index, text, parameter=parameter.name)
        elif kind == "region":
            values[parameter.name] = resolve_region(text)
        elif kind == "method":
            values[parameter.name] = text if text.startswith("http") else str(PREFIXES["method"]) + text
        elif kind == "year":
            if not text.isdigit() or len(text) != 4:
                raise InvalidRequest(parameter.name, f"expected a four-digit year, got {text!r}")
            values[parameter.name] = int(text)
        elif kind == "language":
            values[parameter.name] = text.lower()
        elif kind == "programme":
            values[parameter.name] = _resolve_record(view, text, parameter.name, ("programme",))
        else:
            values[parameter.name] = _resolve_record(view, text, parameter.name, ("project", "measure", "exchange"))
    return values


def _plain(value: object) -> Any:
    if isinstance(value, URIRef):
        return str(value)
    if isinstance(value, Literal):
        if value.datatype in (XSD.integer, XSD.gYear):
            return int(str(value))
        return str(value)
    return value


def _term(kind: str, value: Any) -> URIRef | Literal:
    """Return the RDF term of a resolved argument: a number, a plain string, or an IRI."""
    if kind == "year":
        return Literal(value, datatype=XSD.integer)
    if kind == "language":
        return Literal(value)
    return URIRef(value)


def _labels(view: GraphView, rows: list[dict[str, Any]]) -> dict[str, str]:
    labels = {}
    for row in rows:
        for value in row.values():
            if isinstance(value, str) and value in view.graph:
                labels[value] = str(view.graph.nodes[value].get("label", value))
    return labels


def bound_sparql(question: Question, arguments: dict[str, Any]) -> str:
    """Return the question's SPARQL with its arguments bound by a trailing ``VALUES`` clause.

    The console shows this text, so running it again (or editing it) keeps the binding: ``VALUES`` joins
    before grouping, as the engine's own substitution does.

    Parameters
    ----------
    question : Question
        The question.
    arguments : dict
        Resolved values (:func:`resolve_arguments`).

    Returns
    -------
    str
        A query that answers the question for these arguments on its own.
    """
    names = [p.name for p in question.parameters if p.name in arguments]
    if not names:
        return question.sparql()
    variables = " ".join(f"?{name}" for name in names)
    row = " ".join(_term(p.kind, arguments[p.name]).n3() for p in question.parameters if p.name in arguments)
    return f"{question.sparql().rstrip()}\n# the question's parameters:\nVALUES ({variables}) {{ ({row}) }}\n"


def ask_sparql(
    store: GraphStore, view: GraphView, question: Question, arguments: dict[str, Any], *, max_rows: int
) -> QuestionResult:
    """Answer a question on the RDF store.

    Parameters
    ----------
    store : GraphStore
        The RDF store.
    view : GraphView
        The current view (for labels).
    question : Question
        The question.
    arguments : dict
        Resolved values (:func:`resolve_arguments`).
    max_rows : int
        Row cap.

    Returns
    -------
    QuestionResult
        Plain rows.
    """
    bindings = {p.name: _term(p.kind, arguments[p.name]) for p in question.parameters}
    result = store.run_query(
        question.sparql(), max_rows=max_rows, bindings=bindings, include_restricted=view.include_restricted
    )
    # Oxigraph substitutes only projected variables, so each query projects its parameters first.
    columns = [name for name in result.variables if name not in arguments]
    rows = [{name: _plain(row.get(name)) for name in columns} for row in result.rows]
    return QuestionResult(question.name, "sparql", arguments, columns, rows, _labels(view, rows), result.truncated)


def ask_cypher(
    neo4j_store: Neo4jStore | None, view: GraphView, question: Question, arguments: dict[str, Any]
) -> QuestionResult:
    """Answer a question on Neo4j (public data only, like everything Neo4j holds).

    Raises
    ------
    StoreUnavailable
        If no Neo4j is configured or reachable.
    """
    if neo4j_store is None:
        raise StoreUnavailable(NEO4J_HOW_TO)
    result = neo4j_store.run_cypher_readonly(question.cypher(), arguments)
    rows = [{name: row.get(name) for name in result.columns} for row in result.rows]
    return QuestionResult(
        question.name, "cypher", arguments, result.columns, rows, _labels(view, rows), result.truncated
    )
