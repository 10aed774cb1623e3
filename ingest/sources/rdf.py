"""RDF already in the ontology: Turtle, N-Triples, N-Quads, JSON-LD or TriG.

Quads are read into the source's one named graph (the graph names of TriG and N-Quads are dropped).
Terms in the ``pg:`` namespace must exist in the ontology. JSON-LD whose ``@context`` is an address is
refused (rdflib would fetch it); ingest also runs in a thread without network sockets (graph/rdf/sandbox.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.term import Node

from ingest.types import InputRejected, Location, Problem, Triple
from ontology.namespaces import PG_NS, RDF
from ontology.vocabulary import load_graph, ontology_path

FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".trig": "trig"}
SUFFIXES = tuple(FORMATS)
_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


def _ontology_terms() -> set[str]:
    return {str(term) for term in load_graph(ontology_path()).subjects() if str(term).startswith(str(PG_NS))}


def _remote_contexts(node: object) -> Iterator[str]:
    """Yield every ``@context`` (or ``@import``) given by address anywhere in a JSON-LD document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        yield item
            yield from _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _remote_contexts(item)


def _refuse_remote_contexts(path: Path) -> None:
    """Refuse a JSON-LD file whose contexts would be fetched from the web (ingest never goes online)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise InputRejected([Problem(Location(str(path)), f"invalid json-ld: {error}")]) from None
    remote = sorted(set(_remote_contexts(document)))
    if remote:
        raise InputRejected(
            [
                Problem(
                    Location(str(path)),
                    f"the JSON-LD @context {address!r} would be fetched from the web, and peergraph never fetches "
                    "during ingest: put the context inline in the file (an object instead of an address)",
                )
                for address in remote
            ]
        )


def read(path: Path) -> Iterator[Triple]:
    """Parse an RDF file and yield its triples.

    Parameters
    ----------
    path : pathlib.Path
        A file whose suffix names its syntax (``.ttl .nt .nq .jsonld .trig``).

    Yields
    ------
    Triple
        Every triple (quads lose their graph name).

    Raises
    ------
    InputRejected
        If the file does not parse, is empty, or uses ``pg:`` terms the ontology does not define.
    """
    syntax = FORMATS[path.suffix.lower()]
    try:
        if not path.read_bytes().strip():
            raise InputRejected([Problem(Location(str(path)), "the file is empty")])
        if syntax == "json-ld":
            _refuse_remote_contexts(path)
        if syntax in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(path, format=syntax)
            triples: list[Triple] = [(s, p, o) for s, p, o, _ in dataset.quads()]
        else:
            triples = list(Graph().parse(path, format=syntax))
    except InputRejected:
        raise
    except UnicodeDecodeError as error:
        raise InputRejected([Problem(Location(str(path)), f"not valid UTF-8 (offset {error.start})")]) from None
    except Exception as error:  # noqa: BLE001 - rdflib parsers raise many unrelated types for bad syntax
        message = " ".join(str(error).split())
        found = _LINE.search(message)
        raise InputRejected(
            [
                Problem(
                    Location(str(path), int(found.group(1)) if found else 0),
                    f"invalid {syntax}: {message[:300]}",
                )
            ]
        ) from None
    known = _ontology_terms()
    unknown: set[str] = set()
    for _, predicate, obj in triples:
        used: tuple[Node, ...] = (predicate, obj) if predicate == RDF.type else (predicate,)
        unknown.update(str(term) for term in used if str(term).startswith(str(PG_NS)) and str(term) not in known)
    if unknown:
        raise InputRejected(
            [
                Problem(Location(str(path)), f"{term} is not a term of the peergraph ontology")
                for term in sorted(unknown)
            ]
        )
    yield from triples


def to_triples(triple: Triple) -> Iterator[Triple]:
    """Yield the triple unchanged (RDF input is already in the ontology).

    Parameters
    ----------
    triple : Triple
        A triple from :func:`read`.

    Yields
    ------
    Triple
        The same triple.
    """
    yield triple
