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
