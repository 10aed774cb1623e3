"""Convert the compiled programme data (../shared/data/programme/) into peergraph's bundled sample.

    python tools/build_sample_data.py [SOURCE_DIR]

Writes ``ingest/sample/<table>.csv`` in the record format of ``ingest/schema.py``. Facts and source
addresses are kept as compiled; nothing is added that the compiled rows do not state, except these
documented derivations (peergraph's own classification, kept beside the source's words):

* ``sectors``: sector ids (scheme ``sector``) found by SECTOR_RULES in the row's own sector words, title,
  topic or name (the compiled sector words are kept in ``sectors_note``); no sector means the record
  concerns the cultural sector in general;
* sources on document-sharing mirrors and copies of Wikipedia (``tools/check_compiled.py``) are dropped, and so is a
  row left with no other source;
* IFCD projects compiled for the coverage work (``tools/compiled/ifcd_projects.csv``) become projects of
  the programme ``IFCD``, whose row cites the first project pages (the fund is named on each);
* measures compiled for the coverage work (``tools/compiled/measures/*.csv``) are added after the
  programme data's, less any row that breaks a rule of ``tools/check_compiled.py`` (listed as left out);
* ``challenges`` / ``expertise``: challenge ids found by the keyword rules in CHALLENGE_RULES applied to
  the row's own text (challenges, topic, aims, policy area, title, expertise);
* exchange ``methods`` and ``format``: from the methods text by METHOD_RULES and FORMAT_RULES;
* institution ``type``: the institution type id for the compiled type (INSTITUTION_TYPES);
* measure ``policy_areas``: the monitoring framework ids of the compiled area labels;
* ``implemented_by`` / ``provider_institutions``: institution ids whose compiled name matches the
  compiled implementer or provider text; unmatched text stays in the ``*_note`` columns;
* exchange ``project``: the programme project an exchange belonged to, as the data README states it
  (EXCHANGE_PROJECTS);
* ``outcomes``: one row per item of a project's or measure's ``results`` list, with the row's sources;
* ``creative_cities``: the rows of ``tools/compiled/creative_cities.csv`` with the id ``CC-<city slug>``
  (``-<ISO3>`` added where two cities share a slug), less their sources on document-sharing mirrors or
  copies of Wikipedia (``WIKI_COPY_HOSTS``); a row left with no other source, or breaking a rule of
  ``tools/check_compiled.py``, is left out and listed;
* ``programmes``: the two programmes named in the data README, with the sources of their beneficiary rows.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.schema import LIST_SEPARATOR, TABLES_BY_NAME  # noqa: E402
from tools.check_compiled import (  # noqa: E402
    COMPILED,
    SECTORS,
    city_problems,
    official_sources,
    reference_iso3,
    row_problems,
)

# Sector words in English, French and Spanish -> sector id (UNESCO Framework for Cultural Statistics).
SECTOR_RULES: list[tuple[str, str]] = [
    ("heritage", r"heritage|museum|mus[eé]e|museo|patrimo|monument|archive|archivo|librar(y|ies)|biblioth"),
    (
        "performing-arts",
        r"performing arts|theat(re|er)|th[eé][aâ]tre|teatro|\bdance\b|\bdanse\b|danza|circus|cirque|spectacle",
    ),
    ("music", r"music|musique|m[uú]sica|phonogra|\bsongs?\b|\bconcerts?\b"),
    (
        "visual-arts",
        r"visual arts?|fine arts?|arts plastiques|artes (visuales|pl[aá]sticas)|painting|sculpt|photograph|galler",
    ),
    ("crafts", r"craft|artisan|artesan"),
    (
        "publishing",
        r"publish|\bbooks?\b|\blivres?\b|\blibros?\b|literat|litt[eé]rat|\bpress\b|\bpresse\b|\bprensa\b|"
        r"newspaper|magazine|[eé]dition|editorial|\breading\b",
    ),
    (
        "film-audiovisual",
        r"\bfilms?\b|cinema|cin[eé]ma|\bcine\b|audio-?visual|audiovisuel|movie|\bvideo\b(?! ?games?)|screen",
    ),
    ("broadcasting", r"broadcast|televis|t[eé]l[eé]vision|\btv\b|\bradio|radiodiffusion|radiodifusi"),
    (
        "media-arts",
        r"video ?games?|jeux? vid[eé]o|videojuego|gaming|media arts?|digital arts?|arts num[eé]riques|"
        r"animation|animaci[oó]n|interactive",
    ),
    (
        "design",
        r"fashion|architect|arquitect|advertis|publicit|\bmoda\b|\bdesigners?\b|"
        r"(graphic|industrial|fashion|interior|product) design|design (sector|industr|week|cent|council|cit)|"
        r"dise[nñ]o (gr[aá]fico|industrial|de modas?)|design graphique",
    ),
]

CHALLENGE_RULES: list[tuple[str, str]] = [
    (
        "copyright",
        r"copyright|intellectual property|collective management|neighbouring rights|droit d.auteur|royalt",
    ),
    ("piracy", r"pira(cy|ted)|enforcement"),
    ("access-to-finance", r"\bfund(s|ing)?\b|financ|\bgrants?\b|investment|credit|loan"),
    ("tax-incentives", r"\btax|rebate|incentive"),
    ("informality", r"informal|formali[sz]|fragment"),
    ("entrepreneurship", r"entrepreneur|business model|start-?up|enterprises?\b"),
    ("distribution-and-markets", r"distribut|exhibition|\bmarkets?\b|audience|circulation|consumption"),
    ("creative-clusters", r"cluster|\bhubs?\b|creative district|pilot zone"),
    ("employment", r"\bjobs?\b|employment|livelihood"),
    ("fair-remuneration", r"remunerat|status of (the )?artist|statut de l.artiste|artists?.? rights"),
    ("social-protection", r"social security|social protection|pension|health (insurance|cover)"),
    ("artistic-freedom", r"censor|artistic freedom|freedom of expression"),
    ("professionalisation", r"professional (film )?associations?|associativ|professionali[sz]"),
    ("training", r"training|capacit(y|ies)|\bskills\b"),
    ("arts-education", r"art(s)? (and culture )?education|curricul|\bschools?\b"),
    ("digital-skills", r"digital skills|\bict\b|digitali[sz]|digital tools"),
    (
        "online-distribution",
        r"online (distribution|platforms?)|streaming|digital environment|digital platform",
    ),
    ("local-content", r"local content|quota|local (film )?production"),
    ("community-media", r"community (radio|media)|indigenous (and community )?media"),
    ("broadcasting-regulation", r"broadcast|licen[cs]e"),
    ("artist-mobility", r"mobility|\bvisas?\b"),
    ("co-production", r"co-?production|cooperation agreement|\btreat(y|ies)\b|memorandum"),
    ("export", r"export|internationali[sz]|international trade|foreign (markets?|productions?)"),
    ("gender-equality", r"gender|\bwomen\b"),
    ("indigenous-cultures", r"indigenous"),
    (
        "diversity-and-inclusion",
        r"inclusi(on|ve|vity)|\byouth\b|young people|transformation|historical imbalances",
    ),
    ("development-planning", r"development plan|poverty"),
    ("local-development", r"territorial|municipal|local government|\bcity\b|\bcities\b"),
    ("heritage-economy", r"heritage"),
    ("covid-recovery", r"covid|pandemic"),
    ("data-and-statistics", r"mapping|statistic|\bdata\b|research"),
    ("policy-monitoring", r"periodic report|monitoring|evaluation"),
    ("participatory-governance", r"participat|consultation|civil society|multi-?stakeholder|transparent"),
    (
        "institutional-capacity",
        r"inter-?ministerial|coordination|institutional|dedicated institution|body to manage",
    ),
    (
        "policy-framework",
        r"cultural polic|strateg|regulatory|legal framework|\blaws?\b|\bact\b|\bbill\b|legislat|"
        r"policy paper|action plan|policies|\bpolicy\b",
    ),
]
METHOD_RULES: list[tuple[str, str]] = [
    ("workshop", r"workshop|training module|academ(y|ies)"),
    ("round-table", r"round ?table"),
    ("open-forum-webinar", r"forum|webinar|public discussion"),
    ("exchange-visit", r"\bvisits?\b"),
    ("coaching-mentoring", r"mentor|coaching"),
    ("moderated-discussion", r"moderated"),
    ("peer-meeting", r"meeting|sessions with|virtual exchanges|peer-to-peer exchange|south-south exchange"),
    ("online-communication", r"online consultations"),
]
FORMAT_RULES: list[tuple[str, str]] = [
    ("hybrid", r"hybrid"),
    ("online", r"online|virtual|digital"),
    ("in-person", r"in windhoek|in-person|face-to-face|\bvisits?\b"),
]
INSTITUTION_TYPES: list[tuple[str, str]] = [
    (r"^ministry", "ministry"),
    (r"^agency \((copyright office|intellectual property)\)", "copyright-office"),
    (r"^(public )?agency|^public non-state entity", "public-agency"),
    (r"^regulator", "regulator"),
    (r"^collective management", "collective-management"),
    (r"^(ngo|civil society network)", "ngo"),
    (r"^professional association", "professional-association"),
    (r"^university", "university"),
    (r"^research institution", "research-institution"),
    (r"^unesco category 2 centre", "international-organisation"),
    (r"^cultural relations organisation", "cultural-relations"),
    (r"^fund", "public-fund"),
    (r"^local government", "local-government"),
    (r"^national commission for unesco", "national-commission-unesco"),
    (r"^presidency", "head-of-state-office"),
]
# The project each exchange belonged to, as stated in the data README ("Exchanges" caveats): the
# Namibia–Estonia, Georgia–United Kingdom and Ghana–China rows are outside the programmes, and the
# Panama–Colombia agenda is not tied to the programme by its source.
EXCHANGE_PROJECTS = {
    "X-UGA-ZAF-2021": "EF2-UGA",
    "X-SSD-TZA-2020": "EF2-SSD",
    "X-SSD-KEN-2021": "EF2-SSD",
    "X-SSD-UGA-2021": "EF2-SSD",
    "X-NAM-ZWE": "EF2-NAM",
    "X-GAB-BFA": "EF2-GAB",
    "X-PAN-CHL-2021": "EF2-PAN",
    "X-CRI-ARG-2021": "EF2-CRI",
    "X-CRI-COL-2021": "EF2-CRI",
    "X-CRI-CHL-2021": "EF2-CRI",
    "X-CRI-ESP-2021": "EF2-CRI",
}
IFCD = (
    "International Fund for Cultural Diversity (IFCD)",
    None,
    None,
    None,
    "UNESCO's multi-donor fund under the 2005 Convention that finances projects of developing-country Parties "
    "for their cultural and creative industries.",
)
PROGRAMMES = {
    "EF1": (
        "EU/UNESCO Expert Facility: Strengthening the System of Governance for Culture in Developing Countries",
        2010,
        2016,
        "2010-2016",
        "Technical assistance missions of the EU/UNESCO Expert Facility in 13 developing countries.",
    ),
    "EF2": (
        "EU/UNESCO programme: Supporting new regulatory frameworks to strengthen the cultural and creative "
        "industries and promote South-South cooperation",
        2018,
        2022,
        "2018-2022",
        "Projects in 12 countries to design regulatory frameworks for the cultural and creative industries, "
        "including peer-to-peer learning between countries.",
    ),
}


def split(cell: str, sep: str = ";") -> list[str]:
    return [part.strip() for part in cell.split(sep) if part.strip()]


def sources(cell: str) -> list[str]:
    return split(cell, "|")


def classify(text: str, rules: list[tuple[str, str]]) -> list[str]:
    low = text.lower()
    return [concept for concept, pattern in rules if re.search(pattern, low)]


def sectors_of(*texts: str) -> list[str]:
    """Return the sector ids named in ``texts``: ids as they are, then SECTOR_RULES on the words."""
    found = [part for text in texts for part in split(text) if part in SECTORS]
    return list(dict.fromkeys(found + classify(" ".join(texts), SECTOR_RULES)))


def outcomes_of(row: dict[str, str]) -> list[dict[str, object]]:
    """Return one outcome row per item of a compiled row's ``results`` list, with the row's sources."""
    return [
        {
            "id": f"{row['id']}-R{number}",
            "outcome_of": row["id"],
            "description": result,
            "sources": join(official_sources(row["source"])),
        }
        for number, result in enumerate(split(row["results"]), start=1)
    ]


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def read(source: Path, name: str) -> list[dict[str, str]]:
    with (source / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def join(values: list[str] | tuple[str, ...]) -> str:
    return f"{LIST_SEPARATOR} ".join(dict.fromkeys(values))


def write(table: str, rows: list[dict[str, object]]) -> None:
    columns = [column.name for column in TABLES_BY_NAME[table].columns]
    target = ROOT / "ingest" / "sample" / f"{table}.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            unknown = set(row) - set(columns)
            assert not unknown, (table, unknown)
            writer.writerow({key: ("" if value is None else value) for key, value in row.items()})
    print(f"{table}: {len(rows)} rows")


def match_institutions(
    text: str, institutions: dict[str, str], country: dict[str, str], iso3: str
) -> tuple[list[str], list[str]]:
    """Return (ids of institutions of country ``iso3`` whose name the text names, text parts not matched)."""
    ids, notes = [], []
    for part in split(text):
        key = norm(part)
        found = [
            ins
            for ins, name in institutions.items()
            if country[ins.split("|")[0]] == iso3 and (key == name or key.startswith(name + " "))
        ]
        if found:
            ids += found
        else:
            notes.append(part)
    return ids, notes


def slug(text: str) -> str:
    """Return a lower-case ASCII id part for a name (accents dropped).

    Examples
    --------
    >>> slug("São João del-Rei"), slug("Zahlé")
    ('sao-joao-del-rei', 'zahle')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def creative_city_rows(iso3_codes: set[str]) -> list[dict[str, object]]:
    """Return the sample rows of the compiled Creative Cities, printing the rows left out."""
    compiled = read(COMPILED, "creative_cities.csv")
    slugs = [slug(row["city"]) for row in compiled]
    rows = []
    for row, key in zip(compiled, slugs, strict=True):
        problems = city_problems(row, iso3_codes)
        if problems:
            print(f"  left out creative city {row['city']}: {'; '.join(problems)}")
            continue
        rows.append(
            {
                "id": f"CC-{key}" if slugs.count(key) == 1 else f"CC-{key}-{row['country_iso3']}",
                "city": row["city"],
                "country": row["country_iso3"],
                "field": row["field"],
                "designation_year": row["year"],
                "sources": join(official_sources(row["source"])),
            }
        )
    return rows


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "programme"
    (ROOT / "ingest" / "sample").mkdir(exist_ok=True)
    countries = read(source, "countries.csv")
    programme_sources = {
        key: [u for r in countries if r["programme_phase"] == phase for u in sources(r["source"])]
        for key, (_, _, _, phase, _) in PROGRAMMES.items()
    }
    ifcd = read(COMPILED, "ifcd_projects.csv") if (COMPILED / "ifcd_projects.csv").exists() else []
    ifcd = [row for row in ifcd if official_sources(row["source"])]
    programme_rows = [
        {
            "id": key,
            "name": name,
            "start_year": start,
            "end_year": end,
            "description": description,
            "sources": join(programme_sources[key]),
        }
        for key, (name, start, end, _, description) in PROGRAMMES.items()
    ]
    if ifcd:  # the fund is named on every project page; its row cites the first few
        sources_of_fund = [url for row in ifcd for url in official_sources(row["source"])][:5]
        programme_rows.append({"id": "IFCD", "name": IFCD[0], "description": IFCD[4], "sources": join(sources_of_fund)})
    write("programmes", programme_rows)

    merged: dict[str, dict[str, list[str]]] = {}
    phase_to_programme = {phase: key for key, (_, _, _, phase, _) in PROGRAMMES.items()}
    role_ids = {"knowledge-provider": "knowledge-provider", "knowledge-seeker": "knowledge-seeker"}
    for row in countries:
        entry = merged.setdefault(row["iso3"], {"name": [], "programmes": [], "roles": [], "sources": []})
        entry["name"].append(row["name"])
        if row["programme_phase"] in phase_to_programme:
            entry["programmes"].append(phase_to_programme[row["programme_phase"]])
        if row["role"] in role_ids:
            entry["roles"].append(role_ids[row["role"]])
        entry["sources"] += sources(row["source"])
    write(
        "countries",
        [
            {
                "id": iso3,
                "name": e["name"][0],
                "programmes": join(e["programmes"]),
                "roles": join(e["roles"]),
                "sources": join(e["sources"]),
            }
            for iso3, e in merged.items()
        ],
    )

    institutions = read(source, "institutions.csv")
    inst_rows = []
    for row in institutions:
        kind = next((t for pattern, t in INSTITUTION_TYPES if re.search(pattern, row["type"].lower())), None)
        assert kind, f"no institution type for {row['type']!r}"
        inst_rows.append(
            {
                "id": row["id"],
                "name": row["name"],
                "country": row["country_iso3"],
                "type": kind,
                "type_note": row["type"],
                "sectors": join(sectors_of(row["name"])),
                "sources": join(official_sources(row["source"])),
            }
        )
    write("institutions", inst_rows)
    names = {row["id"]: norm(row["name"]) for row in institutions}
    based = {row["id"]: row["country_iso3"] for row in institutions}
    # Names joined with " / " in one row also count by their parts (INS10).
    for row in institutions:
        if " / " in row["name"]:
            for part in row["name"].split(" / "):
                names[row["id"] + "|" + part] = norm(part)

    def ins_ids(found: list[str]) -> list[str]:
        return list(dict.fromkeys(i.split("|")[0] for i in found))

    projects = read(source, "projects.csv")
    monitoring = {row["label"]: row["id"] for row in read(source, "monitoring_framework.csv")}
    project_rows, outcome_rows = [], []
    for row in projects:
        text = " ".join([row["title"], row["policy_area"], row["aims"], row["challenges"]])
        project_rows.append(
            {
                "id": row["id"],
                "country": row["country_iso3"],
                "programme": phase_to_programme[row["phase"]],
                "title": row["title"],
                "start_year": row["start_year"],
                "end_year": row["end_year"],
                "policy_area_note": join(split(row["policy_area"])),
                "aims": row["aims"],
                "sectors": join(sectors_of(row["title"], row["policy_area"])),
                "challenges": join(classify(text, CHALLENGE_RULES)),
                "challenges_note": join(split(row["challenges"])),
                "sources": join(official_sources(row["source"])),
            }
        )
        outcome_rows += outcomes_of(row)
    for row in ifcd:
        text = " ".join([row["title"], row["challenges_addressed"], row["description"]])
        project_rows.append(
            {
                "id": row["id"],
                "country": row["country_iso3"],
                "programme": "IFCD",
                "title": row["title"],
                "start_year": row["year_start"],
                "end_year": row["year_end"],
                "aims": row["description"],
                "amount_usd": row["amount_usd"].replace(",", ""),
                "implementer_note": join(split(row["implementing_organisation"])),
                "sectors": join(sectors_of(row["sectors"], row["title"])),
                "challenges": join(classify(text, CHALLENGE_RULES)),
                "challenges_note": join(split(row["challenges_addressed"])),
                "sources": join(official_sources(row["source"])),
            }
        )
        outcome_rows += outcomes_of(row)
    write("projects", project_rows)

    exchange_rows = []
    for row in read(source, "exchanges.csv"):
        ids, notes = match_institutions(row["provider_institution"], names, based, row["provider_iso3"])
        text = " ".join([row["topic"], row["methods"]])
        formats = classify(row["methods"], FORMAT_RULES)
        fmt = "hybrid" if "hybrid" in formats or {"online", "in-person"} <= set(formats) else (formats or [""])[0]
        exchange_rows.append(
            {
                "id": row["id"],
                "seeker": row["seeker_iso3"],
                "provider": row["provider_iso3"],
                "provider_institutions": join(ins_ids(ids)),
                "provider_note": row["provider_institution"],
                "project": EXCHANGE_PROJECTS.get(row["id"], ""),
                "topic": row["topic"],
                "sectors": join(sectors_of(row["topic"])),
                "challenges": join(classify(text, CHALLENGE_RULES)),
                "methods": join(classify(row["methods"], METHOD_RULES)),
                "format": fmt,
                "methods_note": row["methods"],
                "year": row["year"],
                "sources": join(official_sources(row["source"])),
            }
        )
        print(f"  {row['id']}: institutions {ins_ids(ids)} unmatched {notes}")
    write("exchanges", exchange_rows)

    expert_rows = []
    for row in read(source, "experts.csv"):
        expert_rows.append(
            {
                "id": row["id"],
                "name": row["name"],
                "country": row["country_iso3"],
                "expertise": join(classify(row["expertise"], CHALLENGE_RULES)),
                "expertise_note": join(split(row["expertise"])),
                "sectors": join(sectors_of(row["expertise"])),
                "participated_in": join(split(row["programmes_projects"])),
                "sources": join(official_sources(row["source"])),
            }
        )
    write("experts", expert_rows)

    measure_rows, matched, dropped = [], 0, []
    compiled, iso3_codes, seen = [], reference_iso3(), set()
    for path in sorted((COMPILED / "measures").glob("*.csv")):
        for row in read(path.parent, path.name):
            problems = row_problems(row, iso3_codes) + ([f"id: {row['id']} appears twice"] if row["id"] in seen else [])
            seen.add(row["id"])
            if problems:  # tools/check_compiled.py lists them; such a row waits until it is mended
                print(f"  left out {path.name} {row['id']}: {'; '.join(problems)}")
            else:
                compiled.append(row)
    for row in read(source, "measures.csv") + compiled:
        if not official_sources(row["source"]):
            dropped.append(row["id"])
            continue
        ids, notes = match_institutions(row["implementing_institution"], names, based, row["country_iso3"])
        matched += bool(ids)
        areas = [monitoring[label] for label in split(row["monitoring_area"])]
        text = " ".join([row["title"], row["challenges_addressed"], row["description"]])
        measure_rows.append(
            {
                "id": row["id"],
                "country": row["country_iso3"],
                "title": row["title"],
                "kind": row["kind"],
                "start_year": row["year_start"],
                "end_year": row["year_end"],
                "policy_areas": join(areas),
                "sectors": join(sectors_of(row["sectors"], row["title"])),
                "sectors_note": join(s for s in split(row["sectors"]) if s not in SECTORS),
                "description": row["description"],
                "challenges": join(classify(text, CHALLENGE_RULES)),
                "challenges_note": join(split(row["challenges_addressed"])),
                "implemented_by": join(ins_ids(ids)),
                "implementer_note": join(notes),
                "sources": join(official_sources(row["source"])),
            }
        )
        outcome_rows += outcomes_of(row)
    print(f"  measures with a matched implementing institution: {matched}")
    print(f"  measures dropped, sourced only by a document-sharing mirror or a copy of Wikipedia: {dropped}")
    write("measures", measure_rows)
    write("outcomes", outcome_rows)
    write("practices", [])
    write("creative_cities", creative_city_rows(iso3_codes))


if __name__ == "__main__":
    main()
