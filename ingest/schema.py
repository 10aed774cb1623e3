"""The peergraph record format: its tables, their columns and what each column holds.

The same tables are read from a folder of CSV files (``<table>.csv``), an XLSX workbook (one sheet per
table) and JSON or JSONL records. List cells hold values separated by ``;``. The README's "Data
formats" section and the templates in ``ingest/templates/`` are generated from this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["id", "text", "year", "amount", "country", "ref", "concept", "url"]

#: Separator of list cells in CSV and XLSX.
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes
    ----------
    name : str
        Column header (JSON key).
    type : ColumnType
        ``id`` (the record's identifier), ``text``, ``year`` (1800–2100), ``amount`` (a whole number ≥ 0),
        ``country`` (ISO 3166-1
        alpha-3), ``ref`` (id of a record of ``targets``), ``concept`` (id of a concept of ``scheme``),
        ``url`` (absolute http(s) address).
    required : bool
        Whether every row must fill it.
    many : bool
        Whether the cell holds a list.
    targets : tuple of str
        For ``ref``: the tables whose ids it may name.
    scheme : str
        For ``concept``: the concept scheme.
    doc : str
        What the column means, for the README and templates.
    """

    name: str
    type: ColumnType
    doc: str
    required: bool = False
    many: bool = False
    targets: tuple[str, ...] = ()
    scheme: str = ""


@dataclass(frozen=True)
class Table:
    """One table of the record format.

    Attributes
    ----------
    name : str
        Table name: CSV file stem, sheet name, JSON key.
    kind : str
        The record kind used to mint IRIs (``ontology.ids.RECORD_KINDS``).
    doc : str
        What one row describes.
    columns : tuple of Column
        The columns, the ``id`` column first.
    """

    name: str
    kind: str
    doc: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        """Return the column called ``name``.

        Parameters
        ----------
        name : str
            The column name.

        Returns
        -------
        Column
            The column.

        Raises
        ------
        KeyError
            If the table has no such column.
        """
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Names of the columns every row must fill."""
        return tuple(column.name for column in self.columns if column.required)


def _id(doc: str) -> Column:
    return Column("id", "id", doc, required=True)


def _visibility() -> Column:
    return Column("visibility", "concept", "`public` (default) or `restricted`.", scheme="visibility")


def _sources(required: bool = True) -> Column:
    return Column(
        "sources",
        "url",
        "Web addresses of the pages that state the row's facts.",
        required=required,
        many=True,
    )


def _sectors(doc: str = "Cultural sector ids (scheme `sector`); none means the cultural sector in general.") -> Column:
    return Column("sectors", "concept", doc, many=True, scheme="sector")


def _challenges(doc: str = "Challenge ids (scheme `challenge`) the record addresses.") -> Column:
    return Column("challenges", "concept", doc, many=True, scheme="challenge")


TABLES: tuple[Table, ...] = (
    Table(
        "programmes",
        "programme",
        "A programme that funds projects.",
        (
            _id("Programme id, e.g. `EF2`."),
            Column("name", "text", "Programme name.", required=True),
            Column("start_year", "year", "First year."),
            Column("end_year", "year", "Last year."),
            Column("description", "text", "What the programme does."),
            _sources(),
        ),
    ),
    Table(
        "countries",
        "country",
        "A country's part in programmes and exchanges (names, regions, income group, languages and treaty "
        "memberships come from the built-in country reference).",
        (
            _id("ISO 3166-1 alpha-3 code, e.g. `NAM`."),
            Column("name", "text", "Name as the source gives it (kept as an alternative label)."),
            Column(
                "programmes",
                "ref",
                "Programmes the country benefited from.",
                many=True,
                targets=("programmes",),
            ),
            Column(
                "roles",
                "concept",
                "Peer roles recorded for it: `knowledge-seeker`, `knowledge-provider`.",
                many=True,
                scheme="role",
            ),
            _visibility(),
            _sources(),
        ),
    ),
    Table(
        "institutions",
        "institution",
        "A ministry, agency, regulator, association, university…",
        (
            _id("Institution id, e.g. `INS01`."),
            Column("name", "text", "Name.", required=True),
            Column("country", "country", "ISO3 code of the country where it is based.", required=True),
            Column("type", "concept", "Institution type id (scheme `insttype`).", scheme="insttype"),
            Column("type_note", "text", "The type as the source words it."),
            _sectors(),
            _visibility(),
            _sources(),
        ),
    ),
    Table(
        "projects",
        "project",
        "A project or mission in one beneficiary country.",
        (
            _id("Project id, e.g. `EF2-UGA`."),
            Column("country", "country", "ISO3 code of the beneficiary country.", required=True),
            Column("programme", "ref", "Programme id.", targets=("programmes",)),
            Column("title", "text", "Title.", required=True),
            Column("start_year", "year", "Start year."),
            Column("end_year", "year", "End year."),
            Column(
                "policy_areas",
                "concept",
                "Areas of monitoring (scheme `monitoring`, e.g. `G1.A1`).",
                many=True,
                scheme="monitoring",
            ),
            Column("policy_area_note", "text", "Policy areas as the source words them.", many=True),
            Column("aims", "text", "What the project set out to do."),
            Column("amount_usd", "amount", "Funding in US dollars, where the source states it."),
            Column("implementer_note", "text", "Implementing organisations as the source names them.", many=True),
            _sectors(),
            _challenges(),
            Column("challenges_note", "text", "Challenges as the source words them.", many=True),
            _visibility(),
            _sources(),
        ),
    ),
    Table(
        "experts",
        "expert",
        "A person named as an expert, consultant or specialist.",
        (
            _id("Expert id, e.g. `EXP01`."),
            Column("name", "text", "Full name.", required=True),
            Column("country", "country", "ISO3 code of the nationality or base, where a source states it."),
            Column("expertise", "concept", "Challenge ids the expert knows about.", many=True, scheme="challenge"),
            Column("expertise_note", "text", "Expertise as the source words it.", many=True),
            _sectors("Cultural sector ids (scheme `sector`) of the expert's experience."),
            Column(
                "participated_in",
                "ref",
                "Ids of projects and exchanges the expert took part in.",
                many=True,
                targets=("projects", "exchanges"),
            ),
            _visibility(),
            _sources(),
        ),
    ),
    Table(
        "measures",
        "measure",
        "A policy measure adopted by a country.",
        (
            _id("Measure id, e.g. `M-ZAF-01`."),
            Column("country", "country", "ISO3 code of the adopting country.", required=True),
            Column("title", "text", "Title.", required=True),
            Column(
                "kind",
                "concept",
                "Measure kind (scheme `kind`): law, strategy, regulation, fund, incentive, "
                "programme, institution, other.",
                required=True,
                scheme="kind",
            ),
            Column("start_year", "year", "Year it started, where stated."),
            Column("end_year", "year", "Year it ended, where stated."),
            Column(
                "policy_areas",
                "concept",
                "Areas of monitoring (scheme `monitoring`).",
                many=True,
                scheme="monitoring",
            ),
            _sectors(),
            Column("sectors_note", "text", "Sectors as the source words them.", many=True),
            Column("description", "text", "What the measure does."),
            _challenges(),
            Column("challenges_note", "text", "Challenges as the source words them.", many=True),
            Column(
                "implemented_by",
                "ref",
                "Ids of implementing institutions.",
                many=True,
                targets=("institutions",),
            ),
            Column("implementer_note", "text", "Implementing bodies as the source names them.", many=True),
            _visibility(),
            _sources(),
        ),
    ),
    Table(
        "exchanges",
        "exchange",
        "A peer exchange between a knowledge-seeking and a knowledge-providing country.",
        (
            _id("Exchange id, e.g. `X-UGA-ZAF-2021`."),
            Column("seeker", "country", "ISO3 code of the knowledge-seeking country.", required=True),
            Column(
                "provider",
                "country",
                "ISO3 codes of the knowledge-providing countries.",
                required=True,
                many=True,
            ),
            Column(
                "provider_institutions",
                "ref",
                "Ids of providing institutions.",
                many=True,
                targets=("institutions",),
            ),
            Column(
                "provider_experts",
                "ref",
                "Ids of providing experts or facilitators.",
                many=True,
                targets=("experts",),
            ),
            Column("provider_note", "text", "Providers as the source names them."),
            Column("project", "ref", "Id of the project the exchange was part of.", targets=("projects",)),
            Column("topic", "text", "What the exchange was about.", required=True),
            _sectors(),
            _challenges(),
            Column("methods", "concept", "Method ids (scheme `method`).", many=True, scheme="method"),
            Column("format", "concept", "`online`, `in-person` or `hybrid`.", scheme="format"),
            Column("methods_note", "text", "How it was run, as the source words it."),
            Column("phases", "concept", "Phases it covered (scheme `phase`).", many=True, scheme="phase"),
            Column("year", "year", "Year it took place."),
            Column("obstacles", "concept", "Obstacles met (scheme `obstacle`).", many=True, scheme="obstacle"),
            Column(
                "success_factors",
                "concept",
                "Success factors seen (scheme `success`).",
                many=True,
                scheme="success",
            ),
            _visibility(),
            _sources(),
        ),
    ),
    Table(
        "outcomes",
        "outcome",
        "A result recorded for a project, exchange or measure.",
        (
            _id("Outcome id, e.g. `EF2-UGA-R1`."),
            Column(
                "outcome_of",
                "ref",
                "Id of the project, exchange or measure.",
                required=True,
                targets=("projects", "exchanges", "measures"),
            ),
            Column("description", "text", "The result as stated.", required=True),
            Column(
                "outcome_types",
                "concept",
                "Outcome types (scheme `outcome-type`).",
                many=True,
                scheme="outcome-type",
            ),
            Column("year", "year", "Year of the result."),
            _visibility(),
            _sources(),
        ),
    ),
    Table(
        "practices",
        "practice",
        "A good practice worth learning from.",
        (
            _id("Practice id."),
            Column("title", "text", "Title.", required=True),
            Column("country", "country", "ISO3 code of the country whose practice it is."),
            Column("institution", "ref", "Id of the institution whose practice it is.", targets=("institutions",)),
            Column("measure", "ref", "Id of the measure it rests on.", targets=("measures",)),
            Column("description", "text", "What makes it good."),
            _challenges(),
            _visibility(),
            _sources(),
        ),
    ),
    Table(
        "creative_cities",
        "creative-city",
        "A member city of the UNESCO Creative Cities Network in one creative field.",
        (
            _id("Creative City id, e.g. `CC-ashgabat`."),
            Column("city", "text", "City name.", required=True),
            Column("country", "country", "ISO3 code of the country the city lies in, where a source states it."),
            Column(
                "field",
                "concept",
                "Creative field (scheme `field`): crafts-and-folk-art, design, film, gastronomy, literature, "
                "media-arts, music.",
                required=True,
                scheme="field",
            ),
            Column("designation_year", "year", "Year the city joined the network, where a source states it."),
            _visibility(),
            _sources(),
        ),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
