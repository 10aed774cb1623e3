"""Build peergraph's country reference table and the UN M49 regions scheme from pinned libraries.

Run by hand when the reference data should be refreshed; the outputs are committed and read at run time,
so peergraph itself needs none of these packages and no network::

    python -m venv /tmp/reference-tools
    /tmp/reference-tools/bin/pip install "hdx-python-country==4.2.5" "babel==2.18.0"
    /tmp/reference-tools/bin/python tools/build_reference_tables.py

Outputs
-------
ingest/reference/countries.csv
    One row per ISO 3166-1 country or territory: iso3, iso2, m49, name (English), name_fr, name_es,
    sub_region, region (UN M49 concept ids), income_group (World Bank, concept id of the ``income``
    scheme), un_member (``yes`` for the 193 UN member states), languages (``;``-separated CLDR codes),
    source (the library release the codes, names, regions, income group and membership come from) and
    languages_source (the library release the languages come from).
ontology/vocab/regions.ttl
    The M49 regions, sub-regions and intermediate regions as a SKOS scheme.

Sources, cited per row: hdx-python-country ships OCHA's Countries & Territories Taxonomy offline (ISO
codes, M49 codes and names in the six UN languages, M49 region, sub-region and intermediate region,
World Bank income level, whether the country is on the UN DGACM list of member states); babel ships
CLDR's territory data (official and de-facto official languages,
``get_official_languages(territory, regional=True, de_facto=True)``). Nothing is typed in by hand: a
cell the library leaves empty stays empty.
"""

from __future__ import annotations

import csv
import re
from importlib.metadata import version
from pathlib import Path

from babel.languages import get_official_languages
from hdx.location.country import Country

ROOT = Path(__file__).resolve().parents[1]
VOCAB = "https://w3id.org/peergraph/vocab/region/"
HDX = f"https://pypi.org/project/hdx-python-country/{version('hdx-python-country')}/"
BABEL = f"https://pypi.org/project/babel/{version('babel')}/"
INCOME = {"Low": "low", "Lower middle": "lower-middle", "Upper middle": "upper-middle", "High": "high"}
FIELDS = [
    "iso3",
    "iso2",
    "m49",
    "name",
    "name_fr",
    "name_es",
    "sub_region",
    "region",
    "income_group",
    "un_member",
    "languages",
    "other_names",
    "name_pattern",
    "source",
    "languages_source",
]


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def first(row: dict, *keys: str) -> str:
    return next((row[key] for key in keys if row.get(key)), "")


def build() -> tuple[list[dict[str, str]], dict[str, tuple[str, str, str | None]]]:
    """Return the country rows and the M49 regions met (slug -> code, label, broader slug)."""
    data = Country.countriesdata(use_live=False)["countries"]
    regions: dict[str, tuple[str, str, str | None]] = {}
    rows = []
    for iso3 in sorted(data):
        row = data[iso3]
        chain = []  # (code, label) from the top region down
        for code_key, name_key in (
            ("Region Code", "Region Name"),
            ("Sub-region Code", "Sub-region Name"),
            ("Intermediate Region Code", "Intermediate Region Name"),
        ):
            if row.get(code_key) and row.get(name_key):
                chain.append((row[code_key].zfill(3), row[name_key]))
        broader = None
        for code, label in chain:
            regions.setdefault(slug(label), (code, label, broader))
            broader = slug(label)
        income = row.get("World Bank Income Level") or ""
        languages = get_official_languages(row["ISO 3166-1 Alpha 2-Codes"], regional=True, de_facto=True)
        rows.append(
            {
                "iso3": iso3,
                "iso2": row["ISO 3166-1 Alpha 2-Codes"],
                "m49": row["m49 numerical code"].zfill(3),
                "name": first(row, "English Short", "M49 English", "Preferred Term"),
                "name_fr": first(row, "French Short", "M49 French"),
                "name_es": first(row, "Spanish Short", "M49 Spanish"),
                # The most specific M49 grouping below the continent: the intermediate region where M49
                # has one (Eastern Africa, South America), else the sub-region (Western Asia).
                "sub_region": slug(chain[-1][1]) if len(chain) > 1 else "",
                "region": slug(chain[0][1]) if chain else "",
                "income_group": INCOME[income] if income else "",
                "un_member": "yes" if row.get("Appears in DGACM list") == "Y" else "",
                "languages": ";".join(code.replace("_", "-") for code in languages),
                # Other names the library knows (ISO, UN and ReliefWeb variants) and its name pattern,
                # so "Tanzania" or "South Korea" find their country.
                "other_names": ";".join(
                    dict.fromkeys(
                        name
                        for key in (
                            "RW Short Name",
                            "ISO Alt Term",
                            "HPC Tools Alt Term",
                            "DGACM Alt Term",
                            "RW API Alt Term",
                        )
                        for name in [row.get(key) or ""]
                        if name and ";" not in name
                    )
                ),
                "name_pattern": row.get("Regex") or "",
                "source": HDX,
                "languages_source": BABEL if languages else "",
            }
        )
    return rows, regions


def write_regions(path: Path, regions: dict[str, tuple[str, str, str | None]]) -> None:
    scheme = VOCAB[:-1]
    out = [
        "@prefix pg:      <https://w3id.org/peergraph/ontology#> .",
        "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        f"@prefix region:  <{VOCAB}> .",
        "",
        f"<{scheme}> a skos:ConceptScheme ;",
        '    rdfs:label "UN M49 regions"@en ; skos:prefLabel "UN M49 regions"@en ;',
        '    rdfs:comment "Regions, sub-regions and intermediate regions of the UN M49 standard, as '
        f"hdx-python-country {version('hdx-python-country')} ships them (generated by "
        'tools/build_reference_tables.py)."@en ;',
        f"    dcterms:source <{HDX}> .",
        "",
    ]
    for key, (code, label, broader) in sorted(regions.items(), key=lambda item: item[1][0]):
        link = f"skos:broader region:{broader}" if broader else f"skos:topConceptOf <{scheme}>"
        out.append(
            f"region:{key} a skos:Concept, pg:Region ; skos:inScheme <{scheme}> ;\n"
            f'    skos:prefLabel "{label}"@en ; rdfs:label "{label}"@en ; skos:notation "{code}" ;\n'
            f'    pg:m49Code "{code}" ; rdfs:comment "UN M49 region {code}."@en ; {link} .'
        )
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main() -> None:
    rows, regions = build()
    target = ROOT / "ingest" / "reference" / "countries.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    write_regions(ROOT / "ontology" / "vocab" / "regions.ttl", regions)
    print(f"{len(rows)} countries -> {target}; {len(regions)} regions")


if __name__ == "__main__":
    main()
