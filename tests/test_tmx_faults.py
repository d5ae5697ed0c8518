"""Faults users found in the TMX and TBX imports (issue 18, faults 2 and 4), with real files:
a TMX made from the TICO-19 COVID-19 terminology (tests/data), through the console script."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from glossary import Glossary
from glossary.tmx import TMXWriter

DATA = Path(__file__).resolve().parent / "data"


def tico_tmx(path: Path, rows: list[dict[str, str]] | None = None) -> Path:
    """The TICO-19 Facebook terminology (en -> ar-AR, 306 pairs) as a TMX, one unit a row."""
    if rows is None:
        with open(DATA / "tico19-facebook-en-ar.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    with TMXWriter(path, srclang="en") as w:
        for r in rows:
            w.write_unit([(r["sourceLang"], r["sourceString"], None), (r["targetLang"], r["targetString"], None)])
    return path


# ---------------------------------------------------------------- fault 2
def test_sources_differing_by_punctuation_with_other_targets_are_two_units(cli, tmp_path: Path) -> None:
    """``covid-19`` -> مرض كوفيد 19 and ``COVID 19`` -> كوفيد 19 (TICO-19 rows 62 and 67) normalize to
    one source; they were taken for duplicates and the second was dropped by default."""
    db = str(tmp_path / "t.db")
    tmx = tico_tmx(tmp_path / "tico19.tmx")
    result = cli("--db", db, "tm", "import", str(tmx), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["read"], report["added"], report["duplicates"], report["skipped"]) == (306, 306, 0, 0)
    found = json.loads(cli("--db", db, "tm", "concordance", "covid 19", "--json").stdout)
    assert {(h["source"], h["target"]) for h in found} >= {("covid-19", "مرض كوفيد 19"), ("COVID 19", "كوفيد 19")}
    # importing the file again: every unit is a duplicate (same source, same target), nothing is added
    again = json.loads(cli("--db", db, "tm", "import", str(tmx), "--json").stdout)
    assert (again["added"], again["duplicates"], again["skipped"]) == (0, 306, 306)
    assert json.loads(cli("--db", db, "tm", "stats", "--json").stdout)["units"] == 306


def test_a_repeated_pair_is_one_unit_and_another_translation_is_kept(tmp_path: Path) -> None:
    rows = [
        {"sourceLang": "en", "targetLang": "ar-AR", "sourceString": s, "targetString": t}
        for s, t in [("covid-19", "مرض كوفيد 19"), ("COVID-19", "مرض كوفيد 19"),  # the same pair: one unit
                     ("covid-19", "كوفيد 19"),  # another translation of a stored source: kept (skip)
                     ("quarantine", "حجر صحي")]
    ]
    tmx = tico_tmx(tmp_path / "few.tmx", rows)
    with Glossary.open(tmp_path / "g.db") as g:
        assert g.tm.import_tmx(tmx) == 3
        rep = g.tm.last_import
        assert rep is not None and (rep.added, rep.duplicates, rep.skipped) == (3, 1, 1)
        assert sorted(u.target for u in g.tm.units()) == ["حجر صحي", "كوفيد 19", "مرض كوفيد 19"]
    with Glossary.open(tmp_path / "u.db") as g:  # update: the newest translation of a source wins
        assert g.tm.import_tmx(tmx, on_duplicate="update") == 4  # 2 added, 2 updated
        assert sorted(u.target for u in g.tm.units()) == ["حجر صحي", "كوفيد 19"]


# ---------------------------------------------------------------- fault 4
def one_error_line(result, text: str) -> None:
    assert result.returncode == 2, result.stdout
    assert result.stderr == f"glossary: error: {text}\n"


def test_a_tmx_without_an_arabic_english_pair_is_refused(cli, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    rows = [{"sourceLang": "en", "targetLang": "fr-FR", "sourceString": s, "targetString": t}
            for s, t in [("quarantine", "quarantaine"), ("vaccine", "vaccin")]]
    tmx = tico_tmx(tmp_path / "en-fr.tmx", rows)
    one_error_line(
        cli("--db", db, "tm", "import", str(tmx)),
        f"{tmx}: no unit has both an Arabic and an English segment (2 units read; "
        "languages found: en, fr-FR); nothing imported",
    )
    empty = tico_tmx(tmp_path / "empty.tmx", [])
    one_error_line(cli("--db", db, "tm", "import", str(empty)), f"{empty}: no translation units (<tu>) in the file")
    # a file where some units have the pair imports those and counts the others
    mixed = tico_tmx(tmp_path / "mixed.tmx", [*rows, {"sourceLang": "en", "targetLang": "ar-AR",
                                                     "sourceString": "vaccine", "targetString": "لقاح"}])
    report = json.loads(cli("--db", db, "tm", "import", str(mixed), "--json").stdout)
    assert (report["added"], report["incomplete"]) == (1, 2)


TBX_HEAD = '<?xml version="1.0"?>\n<martif type="TBX" xml:lang="en"><text><body>\n'
TBX_TAIL = "</body></text></martif>\n"


def concept(cid: str, **terms: str) -> str:
    sets = "".join(f'<langSet xml:lang="{lang}"><tig><term>{t}</term></tig></langSet>' for lang, t in terms.items())
    return f'<termEntry id="{cid}">{sets}</termEntry>\n'


def test_a_tbx_without_arabic_is_refused_and_one_with_some_imports_those(cli, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    en_fr = tmp_path / "en-fr.tbx"
    en_fr.write_text(TBX_HEAD + concept("c1", en="vaccine", fr="vaccin") + concept("c2", en="mask", fr="masque")
                     + TBX_TAIL, encoding="utf-8")
    one_error_line(cli("--db", db, "import", str(en_fr)),
                   f"{en_fr}: no concept has both an English and an Arabic term (2 concepts read); nothing imported")
    some = tmp_path / "some.tbx"
    some.write_text(TBX_HEAD + concept("c1", en="vaccine", fr="vaccin") + concept("c2", en="Moscow", ar="موسكو")
                    + concept("c3", en="mask", fr="masque") + TBX_TAIL, encoding="utf-8")
    result = cli("--db", db, "import", str(some))
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout and "2 concepts without both English and Arabic skipped" in result.stdout
    assert f"skipped 2 concepts without both an English and an Arabic term (first: {some}:3:" in result.stderr
    assert json.loads(cli("--db", db, "lookup", "موسكو", "--json").stdout)[0]["english"] == "Moscow"


def test_omegat_tab_suffix(cli, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    tab = tmp_path / "glossary.tab"
    tab.write_text("موسكو\tMoscow\tcapital of Russia\nبيونغ يانغ\tPyongyang\n", encoding="utf-8")
    result = cli("--db", db, "import", str(tab))
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout
    exported = tmp_path / "out.tab"
    assert cli("--db", db, "export", str(exported)).returncode == 0
    assert "موسكو\tMoscow" in exported.read_text(encoding="utf-8")
