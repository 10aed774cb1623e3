"""Triples back to records: the inverse of :mod:`ingest.mapping`, for CSV exports in the ingest format.

An exported folder can be ingested again and gives the same graph (tested).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from ingest.formulas import neutralise
from ingest.mapping import column_predicate
from ingest.schema import LIST_SEPARATOR, TABLES, TABLES_BY_NAME
from ontology import PG
from ontology.ids import IriError, parse_iri
from ontology.namespaces import RDF

_TABLE_OF_KIND = {table.kind: table.name for table in TABLES}


def _columns_by_predicate(table: str) -> dict[URIRef, list[str]]:
    found: dict[URIRef, list[str]] = defaultdict(list)
    for column in TABLES_BY_NAME[table].columns:
        predicate = column_predicate(table, column.name)
        if predicate is not None:
            found[predicate].append(column.name)
    return found


def _cell(table: str, column: str, obj: Node) -> str | None:
    spec = TABLES_BY_NAME[table].column(column)
    if spec.type in ("country", "concept", "ref"):
        if not isinstance(obj, URIRef):
            return None
        try:
            kind, key = parse_iri(str(obj))
        except IriError:
            return None
        if spec.type == "country" and kind != "country":
            return None
        if spec.type == "ref" and _TABLE_OF_KIND.get(kind) not in spec.targets:
            return None
        if spec.type == "concept" and kind != spec.scheme:
            return None
        return key
    if spec.type == "url":
        return str(obj) if isinstance(obj, URIRef) else None
    if spec.type in ("year", "amount"):
        return str(int(str(obj))) if isinstance(obj, Literal) else None
    return str(obj) if isinstance(obj, Literal) else None


def records_from_groups(groups: Iterable[tuple[Node, list[tuple[Node, Node]]]]) -> dict[str, list[dict[str, str]]]:
    """Rebuild record rows, per table, from subject groups of data triples.

    Parameters
    ----------
    groups : iterable of (subject, [(predicate, object), …])
        Each record subject once with its triples (other subjects, such as source pages, are skipped).

    Returns
    -------
    dict of str to list of dict
        Table name to rows (column to cell text, lists joined with ``"; "``), sorted by id.
    """
    tables: dict[str, list[dict[str, str]]] = defaultdict(list)
    for subject, pairs in groups:
        try:
            kind, key = parse_iri(str(subject))
        except IriError:
            continue
        table = _TABLE_OF_KIND.get(kind)
        if table is None:
            continue
        columns = _columns_by_predicate(table)
        cells: dict[str, list[str]] = defaultdict(list)
        for predicate, obj in pairs:
            if predicate in (RDF.type, PG.identifier):
                continue
            for column in columns.get(predicate, []):
                value = _cell(table, column, obj)
                if value is not None:
                    cells[column].append(value)
        row = {"id": key}
        for column, values in cells.items():
            row[column] = f"{LIST_SEPARATOR} ".join(sorted(set(values)))
        tables[table].append(row)
    return {name: sorted(rows, key=lambda row: row["id"]) for name, rows in tables.items()}


def write_csv_tables(tables: dict[str, list[dict[str, str]]], folder: Path) -> list[Path]:
    """Write one ``<table>.csv`` per table given (rows may be empty), with the full header of the format.

    Parameters
    ----------
    tables : dict
        From :func:`records_from_groups`.
    folder : pathlib.Path
        The folder (created if missing).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(
                handle, fieldnames=[c.name for c in TABLES_BY_NAME[name].columns], lineterminator="\n"
            )
            writer.writeheader()
            writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)  # spreadsheets
        written.append(path)
    return written
