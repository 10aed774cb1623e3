"""Check the hand-compiled coverage rows in ``tools/compiled/`` before they enter the bundled sample.

    python tools/check_compiled.py

Prints one line per problem (``file:row: column: message``) and exits 1 if there is any. The rules are
those of ``tools/compiled/README.md``: sourced rows only, no row resting only on a document-sharing
mirror, descriptions in at most 40 words, ids unique, sectors and areas from their lists.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
COMPILED = ROOT / "tools" / "compiled"

#: Hosts that re-publish other people's documents; a fact must also rest on a page that is not one.
MIRROR_HOSTS = (
    "paperzz.com",
    "vdocument.in",
    "vdocuments.site",
    "vdocuments.mx",
    "vdocuments.net",
    "docslib.org",
    "scribd.com",
    "fdocuments.in",
    "fdocuments.us",
    "fdocuments.net",
    "dokumen.tips",
    "dokumen.pub",
    "readkong.com",
    "hobbydocbox.com",
    "pdfslide.net",
    "pdfslide.us",
    "documents.pub",
    "silo.tips",
    "studylib.net",
    "doczz.net",
    "yumpu.com",
    "pdf4pro.com",
    "documents.lib",
    "lawsdocbox.com",
    "123dok.com",
    "2vmbj36k4.asia",  # an unnamed copy of the PacLII legal database
    "un-icc.cloud",  # a test copy of the OHCHR site
)
SECTORS = frozenset(
    [
        "heritage",
        "performing-arts",
        "music",
        "visual-arts",
        "crafts",
        "publishing",
        "film-audiovisual",
        "broadcasting",
        "media-arts",
        "design",
    ]
)
AREAS = frozenset(
    {
        "Cultural and creative sectors",
        "Media diversity",
        "Digital environment",
        "Partnering with civil society",
        "Mobility of artists and cultural professionals",
        "Flow of cultural goods and services",
        "Treaties and agreements",
        "National sustainable development policies and plans",
        "International sustainable development programmes",
        "Gender equality",
        "Artistic freedom",
    }
)
#: Copies of Wikipedia (not the encyclopedia itself): a measure or Creative City row must rest on another page too.
WIKI_COPY_HOSTS = (
    "kiwix.casplantje.nl",
    "home.cydlabs.com",
    "wikimili.com",
    "wikiwand.com",
    "profilpelajar.com",
    "hessslslslsls.azureedge.net",
    "ipns.dweb.link",
)
#: The seven creative fields of the UNESCO Creative Cities Network (scheme ``field``).
CREATIVE_FIELDS = frozenset(
    ["crafts-and-folk-art", "design", "film", "gastronomy", "literature", "media-arts", "music"]
)
KINDS = frozenset(["law", "strategy", "regulation", "fund", "incentive", "programme", "institution", "other"])
MAX_DESCRIPTION_WORDS = 40


def is_mirror(url: str) -> bool:
    """Return whether ``url`` is on a document-sharing mirror (any subdomain of a listed host).

    Examples
    --------
    >>> is_mirror("https://www.scribd.com/document/1"), is_mirror("https://en.unesco.org/creativity/x")
    (True, False)
    """
    host = (urlsplit(url).hostname or "").lower()
    return any(host == mirror or host.endswith("." + mirror) for mirror in MIRROR_HOSTS)


def is_wiki_copy(url: str) -> bool:
    """Return whether ``url`` is on a copy of Wikipedia (any subdomain of a listed host).

    Examples
    --------
    >>> is_wiki_copy("https://wikimili.com/en/Design"), is_wiki_copy("https://en.wikipedia.org/wiki/Design")
    (True, False)
    """
    host = (urlsplit(url).hostname or "").lower()
    return any(host == copy or host.endswith("." + copy) for copy in WIKI_COPY_HOSTS)


def city_problems(row: dict[str, str], iso3_codes: set[str]) -> list[str]:
    """Return ``column: message`` for every rule one compiled Creative City row breaks."""
    problems = []
    if not row["city"].strip():
        problems.append("city: empty")
    if row["country_iso3"] and row["country_iso3"] not in iso3_codes:
        problems.append(f"country_iso3: unknown code {row['country_iso3']!r}")
    if row["field"] not in CREATIVE_FIELDS:
        problems.append(f"field: {row['field']!r} is not one of {sorted(CREATIVE_FIELDS)}")
    if row["year"] and not re.fullmatch(r"20[0-4]\d", row["year"]):
        problems.append(f"year: {row['year']!r} is not a designation year")
    urls = [part.strip() for part in row["source"].split("|") if part.strip()]
    if not urls or any(not url.startswith(("http://", "https://")) for url in urls):
        problems.append("source: every address must start with http(s)://")
    elif not official_sources(row["source"]):
        problems.append("source: rests only on a document-sharing mirror or a copy of Wikipedia")
    return problems


def official_sources(cell: str) -> list[str]:
    """Return the addresses of a ``|``-separated source cell that are neither mirrors nor copies of Wikipedia."""
    urls = [part.strip() for part in cell.split("|") if part.strip()]
    return [url for url in urls if not is_mirror(url) and not is_wiki_copy(url)]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def row_problems(row: dict[str, str], iso3_codes: set[str]) -> list[str]:
    """Return ``column: message`` for every rule one compiled measure row breaks."""
    problems = []
    if not re.fullmatch(r"M-[A-Z]{3}-\d{3}", row["id"] or ""):
        problems.append(f"id: {row['id']!r} is not M-<ISO3>-<nnn>")
    if row["country_iso3"] not in iso3_codes:
        problems.append(f"country_iso3: unknown code {row['country_iso3']!r}")
    if not row["title"].strip():
        problems.append("title: empty")
    if row["kind"] not in KINDS:
        problems.append(f"kind: {row['kind']!r} is not one of {sorted(KINDS)}")
    problems += [f"sectors: {s!r} is not a sector id" for s in _split(row["sectors"]) if s not in SECTORS]
    problems += [
        f"monitoring_area: {a!r} is not an area label" for a in _split(row["monitoring_area"]) if a not in AREAS
    ]
    if len(row["description"].split()) > MAX_DESCRIPTION_WORDS:
        problems.append(f"description: more than {MAX_DESCRIPTION_WORDS} words")
    for column in ("year_start", "year_end"):
        if row[column] and not re.fullmatch(r"(18|19|20)\d\d", row[column]):
            problems.append(f"{column}: {row[column]!r} is not a year")
    urls = [part.strip() for part in row["source"].split("|") if part.strip()]
    if not urls or any(not url.startswith(("http://", "https://")) for url in urls):
        problems.append("source: every address must start with http(s)://")
    elif not official_sources(row["source"]):
        problems.append("source: rests only on a document-sharing mirror or a copy of Wikipedia")
    return problems


def reference_iso3() -> set[str]:
    """Return the ISO3 codes of peergraph's country reference table."""
    with (ROOT / "ingest" / "reference" / "countries.csv").open(encoding="utf-8", newline="") as handle:
        return {row["iso3"] for row in csv.DictReader(handle)}


def check_measures(path: Path, iso3_codes: set[str], seen: set[str]) -> list[str]:
    """Return the problems of one compiled measures file, as ``file:row: column: message``."""
    problems = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.relative_to(ROOT)}:{number}"
            if row["id"] in seen:
                problems.append(f"{where}: id: {row['id']} appears twice")
            seen.add(row["id"])
            problems += [f"{where}: {problem}" for problem in row_problems(row, iso3_codes)]
    return problems


def check_cities(path: Path, iso3_codes: set[str]) -> list[str]:
    """Return the problems of the compiled Creative Cities file, as ``file:row: column: message``."""
    problems = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.relative_to(ROOT)}:{number}"
            problems += [f"{where}: {problem}" for problem in city_problems(row, iso3_codes)]
    return problems


def main() -> int:
    """Check every compiled file; print problems; return the exit code."""
    iso3_codes = reference_iso3()
    problems: list[str] = []
    seen: set[str] = set()
    for path in sorted((COMPILED / "measures").glob("*.csv")):
        problems += check_measures(path, iso3_codes, seen)
    city_issues = check_cities(COMPILED / "creative_cities.csv", iso3_codes)
    for line in problems + city_issues:
        print(line)
    print(f"{len(problems)} problems in {len(seen)} compiled measures")
    print(f"{len(city_issues)} problems in the compiled Creative Cities")
    return 1 if problems or city_issues else 0


if __name__ == "__main__":
    sys.exit(main())
