"""Build the table of treaty memberships: the six copyright treaties and the 2005 Convention.

Run by hand when the copies in ``tools/data/`` are refreshed; the output is committed and read at run
time (peergraph needs neither these libraries nor the network)::

    /tmp/reference-tools/bin/python tools/build_treaty_memberships.py   # venv of build_reference_tables.py

Inputs
------
tools/data/membership-to-copyright-treaties.csv
    A verbatim copy of ``data/membership-to-copyright-treaties.csv`` of the PDDL dataset
    github.com/datasets/membership-to-copyright-treaties at commit :data:`DATASET_COMMIT` (compiled by
    its maintainers from WIPO's treaty pages). Only the Berne, Rome, WCT, WPPT, Beijing and Marrakesh rows
    are kept; rows of the European Union (not a country) are left out.
tools/data/convention-2005-parties.txt
    Parties to the 2005 Convention transcribed from the stored copies of the pages named in its
    ``@source`` lines (line formats in its header). Names of ``@lang de`` blocks are German and are
    matched with CLDR's German territory names (babel), or :data:`ALIASES_DE` where the gazette spells
    them otherwise. A Party named by several pages keeps its first line.

Output
------
ingest/reference/treaty_memberships.csv
    iso3, treaty (concept id of the ``treaty`` scheme), party_name (as the source writes it),
    signature_date, instrument_type, instrument_date, in_force_date (ISO dates, blank where the source
    gives none) and source (the exact address of the file or page the row comes from).

Country names are matched to ISO3 codes with hdx-python-country's exact lookup, then its fuzzy lookup;
every name must resolve or the build fails.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from babel import Locale
from hdx.location.country import Country

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tools" / "data"
DATASET_COMMIT = "96217be87d0fd7bf68aa5b235809ae82b79403f8"
DATASET_SOURCE = (
    "https://github.com/datasets/membership-to-copyright-treaties/blob/"
    f"{DATASET_COMMIT}/data/membership-to-copyright-treaties.csv"
)
TREATIES = {
    "Berne": "berne",
    "Rome": "rome",
    "WIPO Copyright Treaty (WCT)": "wct",
    "WIPO Performances and Phonograms Treaty (WPPT)": "wppt",
    "Beijing": "beijing",
    "Marrakesh": "marrakesh",
}
NOT_COUNTRIES = {"European Union (EU)"}
INSTRUMENTS = {
    "R": "Ratification, acceptance, approval or notification",
    "A": "Accession",
    "Su": "Succession",
    "D": "Instrument deposited (the source does not say which)",
    "P": "Party (the source gives no date)",
}
# German names the Austrian gazette notices use where CLDR's German names differ (ISO3 codes).
ALIASES_DE = {
    "Kongo": "COG",
    "Demokratische Republik Kongo": "COD",
    "Demokratische Volksrepublik Laos": "LAO",
    "Die ehemalige jugoslawische Republik Mazedonien": "MKD",
    "Arabische Republik Syrien": "SYR",
    "Republik Korea": "KOR",
    "Palästina": "PSE",
    "Tschechische Republik": "CZE",
}
FIELDS = [
    "iso3",
    "treaty",
    "party_name",
    "signature_date",
    "instrument_type",
    "instrument_date",
    "in_force_date",
    "source",
]
_LINE = re.compile(
    r"^(?P<name>.+?)(?: (?P<date>\d{2}-\d{2}-\d{4}))? \((?P<kind>R|A|Su|D|P)\)(?: (?P<force>\d{2}-\d{2}-\d{4}))?$"
)


def iso3_of(name: str) -> str:
    code = Country.get_iso3_country_code(name, use_live=False)
    if code is None:
        code, _ = Country.get_iso3_country_code_fuzzy(name, use_live=False)
    if code is None:
        raise SystemExit(f"no ISO3 code for {name!r}")
    return code


def iso3_of_german(name: str) -> str:
    if name in ALIASES_DE:
        return ALIASES_DE[name]
    # CLDR writes the typographic apostrophe (Côte d’Ivoire); the gazette the plain one.
    by_name = {label.replace("\u2019", "'"): code for code, label in Locale("de").territories.items() if len(code) == 2}
    if name not in by_name:
        raise SystemExit(f"no ISO code for the German name {name!r}")
    return Country.get_iso3_from_iso2(by_name[name], use_live=False)


def iso_date(text: str) -> str:
    day, month, year = text.split("-")
    return f"{year}-{month}-{day}"


def copyright_rows() -> list[dict[str, str]]:
    rows = []
    with (DATA / "membership-to-copyright-treaties.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Treaty"] not in TREATIES or row["Contracting Party"] in NOT_COUNTRIES:
                continue
            rows.append(
                {
                    "iso3": iso3_of(row["Contracting Party"]),
                    "treaty": TREATIES[row["Treaty"]],
                    "party_name": row["Contracting Party"],
                    "signature_date": row["Signature Date"],
                    "instrument_type": row["Instrument Type"],
                    "instrument_date": row["Instrument Date"],
                    "in_force_date": row["Entry Into Force Date"],
                    "source": DATASET_SOURCE,
                }
            )
    return rows


def convention_rows() -> list[dict[str, str]]:
    rows, source, german, seen = [], None, False, set()
    for line in (DATA / "convention-2005-parties.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@source "):
            source = line.split(" ", 1)[1].strip()
            continue
        if line.startswith("@lang "):
            german = line.split(" ", 1)[1].strip() == "de"
            continue
        match = _LINE.match(line.strip())
        dated = match is not None and (match["kind"] == "P") == (match["date"] is None)
        if match is None or not dated or source is None:
            raise SystemExit(f"cannot read {line!r}")
        iso3 = iso3_of_german(match["name"]) if german else iso3_of(match["name"])
        if iso3 in seen:  # named by an earlier, fuller line
            continue
        seen.add(iso3)
        rows.append(
            {
                "iso3": iso3,
                "treaty": "convention-2005",
                "party_name": match["name"],
                "signature_date": "",
                "instrument_type": INSTRUMENTS[match["kind"]],
                "instrument_date": iso_date(match["date"]) if match["date"] else "",
                "in_force_date": iso_date(match["force"]) if match["force"] else "",
                "source": source,
            }
        )
    return rows


def main() -> None:
    rows = copyright_rows() + convention_rows()
    keys = [(row["iso3"], row["treaty"]) for row in rows]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise SystemExit(f"two rows for {sorted(duplicates)}")
    rows.sort(key=lambda row: (row["iso3"], row["treaty"]))
    target = ROOT / "ingest" / "reference" / "treaty_memberships.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {target}")


if __name__ == "__main__":
    main()
