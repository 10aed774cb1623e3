"""RDF already in the ontology: Turtle, N-Triples, N-Quads, JSON-LD or TriG.

Quads are read into the source's one named graph (the graph names of TriG and N-Quads are dropped).
Terms in the ``pg:`` namespace must exist in the ontology.
"""

from __future__ import annotations

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
