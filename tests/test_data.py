"""Checks on the bundled glossary data: data/entities.csv and data/places.csv."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = ROOT / "seeds"
FILES = ("entities.csv", "places.csv")
HEADER = ["english", "arabic", "kind", "variants", "aliases", "note", "source"]
KINDS = {"person", "place", "organization", "other"}

ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")

# (spelling as it occurs in the seed articles, canonical English of its entity)
SEED_SPELLINGS = [
    ("بيونج يانج", "Pyongyang"),
    ("بيونغ يانغ", "Pyongyang"),
    ("سيرجي لافروف", "Sergei Lavrov"),
    ("سيرغي لافروف", "Sergei Lavrov"),
    ("لافروف", "Sergei Lavrov"),
    ("ديمتري بيسكوف", "Dmitry Peskov"),
    ("دميتري بيسكوف", "Dmitry Peskov"),
    ("كيم جونج أون", "Kim Jong Un"),
    ("كيم جونغ أون", "Kim Jong Un"),
    ("كيم", "Kim Jong Un"),
    ("تشوي سون-هوي", "Choe Son Hui"),
    ("تشوي", "Choe Son Hui"),
    ("سيرغي شويغو", "Sergei Shoigu"),
    ("فلاديمير بوتين", "Vladimir Putin"),
    ("بوتين", "Vladimir Putin"),
    ("فوستوشني", "Vostochny Cosmodrome"),
    ("قاعدة فوستوشني الفضائية", "Vostochny Cosmodrome"),
    ("فلاديفستوك", "Vladivostok"),
    ("الكرملين", "Kremlin"),
    ("موسكو", "Moscow"),
    ("دبي", "Dubai"),
    ("أربيل", "Erbil"),
    ("روسيا", "Russia"),
    ("الاتحاد الروسي", "Russia"),
    ("كوريا الشمالية", "North Korea"),
    ("جمهورية كوريا الشمالية", "North Korea"),
    ("أوكرانيا", "Ukraine"),
    ("الصين", "China"),
    ("اليابان", "Japan"),
    ("الولايات المتحدة", "United States"),
    ("شمال شرق آسيا", "Northeast Asia"),
    ("شرقي آسيا", "East Asia"),
    ("شبه الجزيرة الكورية", "Korean Peninsula"),
    ("سبوتنيك", "Sputnik"),
    ("أ ف ب", "Agence France-Presse"),
    ("الشرق", "Asharq"),
    ("نورث برس", "North Press Agency"),
    ("الأمم المتحدة", "United Nations"),
    ("مجلس الأمن الدولي", "UN Security Council"),
    ("حزب العمال الكوري", "Workers' Party of Korea"),
    # in the seed with the preposition li- fused on: «للجنة» = li- + «اللجنة»
    ("للجنة المركزية لحزب العمال الكوري", "Central Committee of the Workers' Party of Korea"),
    ("اللجنة العسكرية للحزب", "Central Military Commission of the Workers' Party of Korea"),
    ("الديوان الرئاسي", "Presidential Administration of Russia"),
    ("الغرب", "West"),
    ("Reuters", "Reuters"),
]
# seed spellings with the preposition li- fused on, and the bare form the data lists
FUSED_LI = {"للجنة المركزية لحزب العمال الكوري": "اللجنة المركزية لحزب العمال الكوري"}


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def all_rows() -> list[tuple[str, dict[str, str]]]:
    return [(name, row) for name in FILES for row in read(name)[1]]


def split(field: str) -> list[str]:
    return [s for s in field.split("|") if s] if field else []


def spellings(row: dict[str, str]) -> list[str]:
    return [row["english"], row["arabic"], *split(row["variants"]), *split(row["aliases"])]


def without_li(spelling: str) -> str:
    """The bare form of a seed spelling that carries a fused preposition li-."""
    return FUSED_LI.get(spelling, spelling)


def is_arabic(text: str) -> bool:
    return bool(ARABIC.search(text)) and not LATIN.search(text)


def by_english() -> dict[str, dict[str, str]]:
    return {row["english"]: row for _, row in all_rows()}


@pytest.mark.parametrize("name", FILES)
def test_header_and_encoding(name: str) -> None:
    raw = (DATA / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    raw.decode("utf-8")
    header, rows = read(name)
    assert header == HEADER
    assert rows
    for row in rows:
        assert None not in row, f"extra columns in {row}"
        assert all(v is not None for v in row.values()), f"missing columns in {row}"


def test_required_fields_and_kind() -> None:
    for name, row in all_rows():
        assert row["english"] and row["arabic"], (name, row)
        assert row["kind"] in KINDS, (name, row)
        assert row["source"], (name, row)


def test_no_stray_whitespace() -> None:
    for name, row in all_rows():
        for key, value in row.items():
            assert value == value.strip(), (name, key, value)
            assert "  " not in value, (name, key, value)
        for s in split(row["variants"]) + split(row["aliases"]):
            assert s == s.strip() and s, (name, row["english"], s)


def test_no_empty_list_items() -> None:
    for name, row in all_rows():
        for key in ("variants", "aliases"):
            if row[key]:
                assert all(row[key].split("|")), (name, row["english"], key)


def test_canonical_english_unique_across_files() -> None:
    counts = Counter(row["english"].casefold() for _, row in all_rows())
    assert [e for e, n in counts.items() if n > 1] == []


def test_canonical_arabic_unique_across_files() -> None:
    counts = Counter(row["arabic"] for _, row in all_rows())
    assert [a for a, n in counts.items() if n > 1] == []


def test_no_spelling_names_two_entities() -> None:
    owners: dict[str, set[str]] = {}
    for _, row in all_rows():
        for s in spellings(row):
            owners.setdefault(s.casefold(), set()).add(row["english"])
    assert {s: o for s, o in owners.items() if len(o) > 1} == {}


def test_scripts() -> None:
    for name, row in all_rows():
        assert is_arabic(row["arabic"]), (name, row["arabic"])
        assert not ARABIC.search(row["english"]), (name, row["english"])
        assert LATIN.search(row["english"]), (name, row["english"])
        for s in split(row["variants"]) + split(row["aliases"]):
            if ARABIC.search(s):
                assert is_arabic(s), (name, row["english"], s)
            else:
                assert LATIN.search(s), (name, row["english"], s)


def test_seed_spellings_occur_in_seeds() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    assert text, "seed articles missing"
    for spelling, _ in SEED_SPELLINGS:
        assert spelling in text, spelling


@pytest.mark.parametrize(("spelling", "english"), SEED_SPELLINGS)
def test_seed_spelling_listed_on_its_entity(spelling: str, english: str) -> None:
    row = by_english().get(english)
    assert row is not None, f"{english} missing"
    assert without_li(spelling) in spellings(row), f"{spelling} not listed for {english}"


def test_house_style_uses_ghain() -> None:
    rows = by_english()
    assert rows["Pyongyang"]["arabic"] == "بيونغ يانغ"
    assert rows["Sergei Lavrov"]["arabic"] == "سيرغي لافروف"
    assert rows["Kim Jong Un"]["arabic"] == "كيم جونغ أون"
    assert rows["Sergei Shoigu"]["arabic"] == "سيرغي شويغو"
    assert rows["Dmitry Peskov"]["arabic"] == "دميتري بيسكوف"


def test_places_contents() -> None:
    _, rows = read("places.csv")
    assert all(r["kind"] == "place" for r in rows)
    territories = [r for r in rows if r["note"] == "country or territory"]
    cities = [r for r in rows if r["note"] != "country or territory"]
    assert len(territories) >= 200
    assert len(cities) >= 200
    assert sum(r["note"].startswith("capital of ") for r in cities) >= 100
    names = {r["english"] for r in rows}
    assert {"Egypt", "Saudi Arabia", "Cairo", "Baghdad", "Seoul", "Kyiv"} <= names


def test_curated_entities_not_duplicated_in_places() -> None:
    _, entities = read("entities.csv")
    _, places = read("places.csv")
    place_names = {r["english"].casefold() for r in places}
    for name in ("Moscow", "Pyongyang", "Vladivostok", "Dubai", "Russia", "North Korea"):
        assert name.casefold() not in place_names
        assert sum(r["english"] == name for r in entities) == 1
