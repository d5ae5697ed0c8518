"""Translation memory: storage, scoring, entity-aware matching and repair, index upkeep, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import Glossary, segments, tmx_import
from glossary import tm as tm_module
from glossary import tmx as tmx_module
from glossary.errors import InputError, NotFoundError
from glossary.normalize import normalize
from glossary.segments import tokenwise_normalize
from glossary.tmx import TMXWriter

SEEDS = Path(__file__).parents[1] / "seeds"

MET = "التقى بوتين مع لافروف في موسكو"
MET_EN = "Putin met Lavrov in Moscow"


def seed_lines() -> list[str]:
    out: list[str] = []
    for p in sorted(SEEDS.glob("*.txt")):
        out += [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if len(ln.split()) >= 8]
    return list(dict.fromkeys(out))


@pytest.fixture
def g(default_copy: Glossary) -> Glossary:
    """A default store (a copy of the one first use makes: the bundled glossary and its index)."""
    return default_copy


def test_add_get_remove(g: Glossary) -> None:
    uid = g.tm.add(MET, MET_EN, note="n", origin="o")
    u = g.tm.get(uid)
    assert (u.source, u.target, u.source_lang, u.target_lang, u.note, u.origin) == (
        MET, MET_EN, "ar", "en", "n", "o")
    assert g.tm.add(MET, MET_EN) == uid  # identical pair: same unit
    assert len(g.tm) == 1
    g.tm.remove(uid)
    assert len(g.tm) == 0 and g.tm.search(MET) == []
    with pytest.raises(NotFoundError):
        g.tm.remove(uid)


@pytest.mark.parametrize(
    ("source", "target", "kw", "message"),
    [("", "x", {}, "empty source"), (MET, " ", {}, "empty target"),
     ("Putin", "x", {}, "no Arabic"), (MET, MET_EN, {"source_lang": "ar!"}, "bad source_lang"),
     (MET, MET_EN, {"target_lang": "ar"}, "both")],
)
def test_add_rejects(g: Glossary, source: str, target: str, kw: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        g.tm.add(source, target, **kw)


def test_exact_match_after_normalization_is_100(g: Glossary) -> None:
    g.tm.add("أشاد لافروف وتشوي، الثلاثاء، بعمق العلاقات", "Lavrov and Choe praised the ties on Tuesday")
    hit = g.tm.search("اشاد لافروف وتشوي الثلاثاء بعمق العلاقات!")[0]
    assert hit.score == 100
    hit = g.tm.search("أشاد لافروف وتشوي، الأربعاء، بعمق العلاقات")[0]
    assert 70 <= hit.score < 100


def test_scores_fall_with_edits_and_rank_best_first(g: Glossary) -> None:
    lines = seed_lines()[:8]
    for i, s in enumerate(lines):
        g.tm.add(s, f"t{i}")
    words = lines[3].split()
    one = " ".join([*words[:-1], "كلمة"])
    two = " ".join([*words[:-2], "كلمة", "أخرى"])
    h1, h2 = g.tm.search(one)[0], g.tm.search(two)[0]
    assert h1.target == h2.target == "t3"
    assert 100 > h1.score > h2.score
    assert g.tm.search(lines[5], min_score=0)[0].score == 100
    scores = [h.score for h in g.tm.search(lines[5], limit=8, min_score=0)]
    assert scores == sorted(scores, reverse=True)


def test_ties_rank_by_recency(g: Glossary) -> None:
    a = g.tm.add(MET, "older")
    b = g.tm.add(MET, "newer")
    g.db.execute("UPDATE tm_units SET updated = '2020-01-01T00:00:00.000Z' WHERE id = ?", [a])
    assert [h.unit_id for h in g.tm.search(MET)] == [b, a]


def test_entity_swap_repairs_target(g: Glossary) -> None:
    g.tm.add(MET, MET_EN)
    hit = g.tm.search("التقى بوتين مع شويغو في موسكو")[0]
    assert hit.score >= 90
    assert hit.repaired and hit.repaired_target == "Putin met Shoigu in Moscow"
    assert hit.repairs == [("Lavrov", "Shoigu")]
    assert hit.target == MET_EN  # the stored target is left as it was


def test_spelling_variants_do_not_lower_the_score(g: Glossary) -> None:
    g.tm.add("وكان وزير الخارجية الروسي سيرغي لافروف أشار إلى أن المحادثات ستتطرق إلى التعاون",
             "Russian Foreign Minister Sergei Lavrov said the talks would cover cooperation")
    hit = g.tm.search("وكان وزير الخارجية الروسي سيرجي لافروف أشار إلى أن المحادثات ستتطرق إلى التعاون")[0]
    assert hit.score == 100 and not hit.repaired
    edited = "وكان وزير الخارجية الروسي سيرجي لافروف أشار إلى أن المحادثات ستتناول التعاون"
    same = "وكان وزير الخارجية الروسي سيرغي لافروف أشار إلى أن المحادثات ستتناول التعاون"
    assert g.tm.search(edited)[0].score == g.tm.search(same)[0].score < 100


def test_repair_on_seed_sentences(g: Glossary) -> None:
    src = "وتخضع بيونج يانج لسلسلة عقوبات دولية بسبب برامجها للأسلحة الذرية"
    g.tm.add(src, "Pyongyang is under a series of international sanctions over its nuclear weapons programs")
    hit = g.tm.search("وتخضع موسكو لسلسلة عقوبات دولية بسبب برامجها للأسلحة الذرية")[0]
    assert hit.repaired_target == (
        "Moscow is under a series of international sanctions over its nuclear weapons programs"
    )
    # a clitic on the name (و + بيسكوف) still finds the entity
    g.tm.add("وفق المتحدث باسم الكرملين ديمتري بيسكوف", "according to Kremlin spokesman Dmitry Peskov")
    hit = g.tm.search("وفق المتحدث باسم الكرملين سيرغي لافروف")[0]
    assert hit.repaired_target == "according to Kremlin spokesman Sergei Lavrov"


def test_number_repair(g: Glossary) -> None:
    g.tm.add("قمة عقدت في العام 2023 في روسيا", "a summit held in 2023 in Russia")
    hit = g.tm.search("قمة عقدت في العام ٢٠١٩ في روسيا")[0]
    assert 90 <= hit.score < 100
    assert hit.repaired_target == "a summit held in 2019 in Russia"


def test_both_directions(g: Glossary) -> None:
    g.tm.add("Putin arrived in Pyongyang on Tuesday", "وصل بوتين إلى بيونغ يانغ الثلاثاء",
             source_lang="en", target_lang="ar")
    g.tm.add(MET, MET_EN)
    hit = g.tm.search("Putin arrived in Pyongyang on Wednesday")[0]
    assert hit.source_lang == "en" and hit.target == "وصل بوتين إلى بيونغ يانغ الثلاثاء"
    assert not hit.reversed
    rev = g.tm.search("Putin met Lavrov in Moscow")[0]
    assert rev.reversed and rev.target == MET and rev.score == 100


def test_concordance_any_spelling(g: Glossary) -> None:
    a = g.tm.add("وقال وزير الخارجية سيرغي لافروف إن المحادثات مفيدة", "x1")
    b = g.tm.add("ونقل الكرملين عن سيرجي لافروف قوله", "x2")
    g.tm.add("وصل بوتين إلى بيونغ يانغ", "x3")
    ids = {h.unit_id for h in g.tm.concordance("سيرجي لافروف")}
    assert ids == {a, b}
    assert {h.unit_id for h in g.tm.concordance("بيونج يانج")} == {3}
    assert g.tm.concordance("المحادثات مفيدة")[0].unit_id == a
    assert g.tm.concordance("غير موجود") == []


def test_index_follows_sql_writes(g: Glossary) -> None:
    """The FTS index is kept by triggers: plain SQL writes (the JSONL restore) are searchable."""
    g.db.execute(
        "INSERT INTO tm_units (source, target, source_lang, target_lang, source_norm, target_norm) "
        "VALUES (?, ?, 'ar', 'en', ?, ?)",
        [MET, MET_EN, normalize(MET, "ar"), normalize(MET_EN, "en")],
    )
    assert g.tm.search(MET)[0].score == 100
    g.db.execute("DELETE FROM tm_units")
    assert g.tm.search(MET) == []


def test_renormalize_on_fingerprint_change(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    g = Glossary.open(path)
    g.tm.add(MET, MET_EN)
    g.db.execute("UPDATE tm_units SET source_norm = 'stale'")
    g.db.execute("UPDATE meta SET value = 'old' WHERE key = 'tm_norm_fingerprint'")
    g.close()
    g = Glossary.open(path)
    assert g.tm.search(MET)[0].score == 100


def test_glossary_changes_reach_the_tm(g: Glossary) -> None:
    g.tm.add("استقبل بوتين زانغ وي في موسكو", "Putin received Zhang Wei in Moscow")
    assert not g.tm.search("استقبل بوتين لافروف في موسكو", min_score=0)[0].repaired
    g.add("Zhang Wei", "زانغ وي", kind="person")
    hit = g.tm.search("استقبل بوتين لافروف في موسكو")[0]
    assert hit.repaired_target == "Putin received Sergei Lavrov in Moscow"  # canonical for canonical


def test_candidates_come_from_the_index(g: Glossary) -> None:
    for i, s in enumerate(seed_lines()):
        g.tm.add(s, f"t{i}")
    plan = g.db.execute(
        "EXPLAIN QUERY PLAN SELECT rowid FROM tm_fts WHERE tm_fts MATCH 'موسكو' ORDER BY rank LIMIT 5"
    ).fetchall()
    assert any("VIRTUAL TABLE INDEX" in str(r) for r in plan)


def test_stats(g: Glossary) -> None:
    g.tm.add(MET, MET_EN, origin="seeds")
    s = g.tm.stats()
    assert s["units"] == 1 and s["by_pair"] == {"ar→en": 1} and s["by_origin"] == {"seeds": 1}


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("glossary")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "glossary.cli"]
    env = {**os.environ, "GLOSSARY_DB": str(db), "COLUMNS": "200"}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert run_cli(db, "init", "--defaults").returncode == 0
    r = run_cli(db, "tm", "add", MET, MET_EN)
    assert r.returncode == 0, r.stderr
    r = run_cli(db, "tm", "search", "التقى بوتين مع شويغو في موسكو", "--json")
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert hits[0]["repaired_target"] == "Putin met Shoigu in Moscow"
    r = run_cli(db, "tm", "concordance", "سيرجي لافروف", "--json")
    assert json.loads(r.stdout)[0]["target"] == MET_EN
    out = tmp_path / "tm.tmx"
    assert run_cli(db, "tm", "export", str(out)).returncode == 0
    r = run_cli(tmp_path / "other.db", "tm", "import", str(out), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["added"] == 1
    r = run_cli(db, "tm", "stats", "--json")
    assert json.loads(r.stdout)["units"] == 1
    r = run_cli(db, "tm", "search", "لا شيء يشبه هذا")
    assert r.returncode == 1
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx>\n<body>\n<tu>", encoding="utf-8")
    r = run_cli(db, "tm", "import", str(bad))
    assert r.returncode == 2
    assert r.stderr.strip().startswith("glossary: error:") and f"{bad}:3:" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = run_cli(db, "tm", "import", str(out), "--on-duplicate", "merge")
    assert r.returncode == 2


# ---------------------------------------------------------------------- normalization memo

# Arabic letters, harakat, tatweel, hamza forms, presentation forms, Arabic-Indic
# digits, punctuation, Latin with accents and combining marks, Greek sigma (its
# lower case depends on the next letter), ligatures that NFKC expands into
# several words, and every kind of whitespace Python splits on.
_PIECES = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.sampled_from(list("AbcÉéßİıΣσςΟΔ-_.,،؛!? '\"«»()0123456789٠١٢٣")),
    st.sampled_from(["\u00a8", "\ufdfa", "\ufdfb", "\u2474", "\u200c", "\u200f", "\ufeff", "\u00ad"]),
    st.sampled_from([" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u00a0", "\u1680",
                     "\u2000", "\u2009", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]),
    st.characters(),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_tokenwise_normalize_is_normalize(text: str) -> None:
    """The import's per-token memo gives exactly normalize() of the whole text, in both scripts."""
    for lang in ("ar", "en"):
        assert tokenwise_normalize(text, lang) == normalize(text, lang)
        assert tokenwise_normalize(text, lang) == normalize(text, lang)  # now from the memo


def test_tokenwise_normalize_on_seed_text() -> None:
    for line in seed_lines()[:200]:
        assert tokenwise_normalize(line, "ar") == normalize(line, "ar")
    assert segments._TOKENWISE_OK


# ---------------------------------------------------------------------- candidates and swaps


def test_swapped_entity_found_when_the_new_name_is_common(g: Glossary) -> None:
    """The query's rarest terms are the swapped-in name, which many other units share:
    the original (same words, another name) must still be a candidate and come first."""
    target = g.tm.add("وقال لافروف إن المحادثات مع الوفد الكوري كانت بناءة ومفيدة للغاية",
                      "Lavrov said the talks with the Korean delegation were very constructive and useful")
    for i, line in enumerate(seed_lines()):
        g.tm.add(f"{line} وقال شويغو", f"t{i}")
        g.tm.add(f"وأكد شويغو أن {line}", f"u{i}")
    assert sum(1 for u in g.tm.units() if "شويغو" in u.source) > tm_module.CANDIDATES
    query = "وقال شويغو إن المحادثات مع الوفد الكوري كانت بناءة ومفيدة للغاية"
    assert target in g.tm.candidates(query)
    hit = g.tm.search(query)[0]
    assert hit.unit_id == target and hit.score >= 90
    assert hit.repaired_target == "Shoigu said the talks with the Korean delegation were very constructive and useful"


def test_units_differing_only_in_entities_rank_by_entities_matched(g: Glossary) -> None:
    one_off = g.tm.add("التقى بوتين مع لافروف في موسكو لبحث التعاون", "a")
    two_off = g.tm.add("التقى شويغو مع لافروف في بكين لبحث التعاون", "b")
    hits = g.tm.search("التقى بوتين مع شويغو في موسكو لبحث التعاون")
    assert [h.unit_id for h in hits] == [one_off, two_off]
    assert hits[0].score > hits[1].score


# ---------------------------------------------------------------------- import pipeline


def _tmx(path: Path, pairs: list[tuple[str, str]]) -> Path:
    with TMXWriter(path, srclang="ar") as w:
        for ar, en in pairs:
            w.write_unit([("ar", ar, None), ("en", en, None)])
    return path


@pytest.mark.parametrize(("empty", "bulk_units"), [(True, 200_000), (True, 4), (False, 200_000)])
def test_import_in_batches_indexes_every_unit(
    g: Glossary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty: bool, bulk_units: int
) -> None:
    """Duplicates of units from earlier batches update them; tm_fts and the indexes stay right.

    Into an empty TM (a bulk load: indexes built at the end, duplicates found in
    memory), into an empty TM whose bulk load outgrows its in-memory duplicate
    map half-way (``BULK_UNITS``: indexes built then, duplicates looked up in the
    store after), and into one that holds units.
    """
    monkeypatch.setattr(tmx_import, "BATCH", 3)
    monkeypatch.setattr(tmx_import, "BULK_UNITS", bulk_units)
    ended: list[int] = []
    end_bulk = tmx_import.TMXImport._end_bulk

    def spy(self: tmx_import.TMXImport) -> None:
        ended.append(len(self._bulk or ()))
        end_bulk(self)

    monkeypatch.setattr(tmx_import.TMXImport, "_end_bulk", spy)
    indexes = g.db.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'tm_units' AND type = 'index'").fetchall()
    lines = seed_lines()[:20]
    if not empty:
        g.tm.add(lines[0], "stored before")
    pairs = [(line, f"first {i}") for i, line in enumerate(lines)]
    pairs += [(lines[1], "second 1"), (lines[7], "second 7")]  # duplicates of earlier batches
    assert g.tm.import_tmx(_tmx(tmp_path / "b.tmx", pairs), on_duplicate="update") == 22
    rep = g.tm.last_import
    assert rep is not None
    same_source = rep.duplicates + rep.alternatives
    assert (rep.read, rep.added, rep.updated, same_source) == (22, 19 + empty, 3 - empty, 3 - empty)
    assert len(g.tm) == 20
    assert sorted(indexes) == sorted(
        g.db.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'tm_units' AND type = 'index'").fetchall()
    )
    g.db.execute("INSERT INTO tm_fts(tm_fts, rank) VALUES ('integrity-check', 1)")
    for i, line in enumerate(lines):
        expected = {0: "first 0", 1: "second 1", 7: "second 7"}.get(i, f"first {i}")
        hit = g.tm.search(line, limit=1)[0]
        assert hit.score == 100 and hit.target == expected
    assert {h.source for h in g.tm.concordance("second")} == {"second 1", "second 7"}
    assert not g.db.execute("SELECT 1 FROM meta WHERE key = 'tm_fts_deferred'").fetchone()
    assert ended == ([6] if empty and bulk_units == 4 else [])  # the map left after two batches


def test_import_failing_late_imports_nothing(g: Glossary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches already stored are rolled back with the rest."""
    monkeypatch.setattr(tmx_import, "BATCH", 2)
    path = _tmx(tmp_path / "ok.tmx", [(line, "x") for line in seed_lines()[:12]])
    text = path.read_text(encoding="utf-8").replace("</body>", "<tu><tuv xml:lang='ar'><seg>broken</tu></body>")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="malformed XML"):
        g.tm.import_tmx(path)
    assert len(g.tm) == 0
    assert g.tm.search(seed_lines()[0]) == []
    assert not g.db.execute("SELECT 1 FROM meta WHERE key = 'tm_fts_deferred'").fetchone()


def _fts_hashsize(g: Glossary) -> int | None:
    row = g.db.execute("SELECT v FROM tm_fts_config WHERE k = 'hashsize'").fetchone()
    return None if row is None else int(row[0])


@pytest.mark.parametrize("fails", [False, True])
def test_import_leaves_gc_and_fts_settings_as_found(
    g: Glossary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: bool
) -> None:
    """The import's speed settings (cyclic GC paused, FTS5 hashsize) end with it, even on an error."""
    import gc

    monkeypatch.setattr(tmx_import, "BATCH", 2)
    monkeypatch.setattr(tmx_module, "CHUNK", 256)  # units reach the store before the parser ends
    path = _tmx(tmp_path / "s.tmx", [(line, "x") for line in seed_lines()[:5]])
    if fails:  # malformed after two batches are stored
        path.write_text(path.read_text(encoding="utf-8").replace("</body>", "<tu></body>"), encoding="utf-8")
    seen: list[tuple[bool, int | None]] = []
    store_batch = tmx_import.TMXImport._store_batch

    def spy(self: tmx_import.TMXImport, *args: Any) -> None:
        seen.append((gc.isenabled(), _fts_hashsize(g)))
        store_batch(self, *args)

    monkeypatch.setattr(tmx_import.TMXImport, "_store_batch", spy)
    before = _fts_hashsize(g)
    if fails:
        with pytest.raises(InputError, match="malformed XML"):
            g.tm.import_tmx(path)
        assert _fts_hashsize(g) == before and len(g.tm) == 0  # rolled back
    else:
        assert g.tm.import_tmx(path) == 5
        assert _fts_hashsize(g) == 1 << 20  # FTS5's default
    assert seen[:2] == [(False, tmx_import.IMPORT_FTS_HASHSIZE)] * 2
    assert gc.isenabled()
    g.db.execute("INSERT INTO tm_fts(tm_fts, rank) VALUES ('integrity-check', 1)")


def test_import_dates_default_to_the_import_time(g: Glossary, tmp_path: Path) -> None:
    """creationdate/changedate when the <tu> has them; else one timestamp for the whole import."""
    a, b, c = seed_lines()[:3]
    path = tmp_path / "dates.tmx"
    with TMXWriter(path, srclang="ar") as w:
        w.write_unit([("ar", a, None), ("en", "a", None)],
                     attrs={"creationdate": "20230101T101500Z", "changedate": "20240203T111111Z"})
        w.write_unit([("ar", b, None), ("en", "b", None)], attrs={"creationdate": "20230101T101500Z"})
        w.write_unit([("ar", c, None), ("en", "c", None)], attrs={"creationdate": "not a date"})
    g.tm.import_tmx(path)
    rows = g.db.execute("SELECT target, created, updated FROM tm_units ORDER BY id").fetchall()
    assert rows[0] == ("a", "2023-01-01T10:15:00.000Z", "2024-02-03T11:11:11.000Z")
    assert rows[1] == ("b", "2023-01-01T10:15:00.000Z", "2023-01-01T10:15:00.000Z")
    assert rows[2][1] == rows[2][2] and rows[2][1] > "2024"
    # an update without dates moves `updated` to the import time and keeps `created`
    with TMXWriter(path, srclang="ar") as w:
        w.write_unit([("ar", b, None), ("en", "b2", None)])
    g.tm.import_tmx(path, on_duplicate="update")
    target, created, updated = g.db.execute("SELECT target, created, updated FROM tm_units WHERE id = 2").fetchone()
    assert (target, created) == ("b2", "2023-01-01T10:15:00.000Z") and updated > rows[2][2]


def test_props_json_is_json_dumps() -> None:
    value = {"tmx": {"tu": {"tuid": "7", "creationtool": 'a "quoted"\\ tool\n'},
                     "props": [["x-domain", "أخبار"]], "source": {"lang": "ar-SA", "notes": ["\x01é"]}}}
    assert tmx_import._to_json(value) == json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------------- issue 14: one recognizer

PYONGYANG_UNIT = "وتخضع بيونغ يانغ لسلسلة عقوبات دولية بسبب برامجها للأسلحة"
PYONGYANG_EN = "Pyongyang is subject to a series of international sanctions over its weapons programs"


@pytest.mark.parametrize("defaults", [True, False])
def test_spelling_variant_scores_100_and_concordance_finds_either(tmp_path: Path, defaults: bool) -> None:
    """The issue's case: searched with بيونج يانج, the unit holding بيونغ يانغ scores 100, with the
    bundled glossary (the spelling is a stored variant) and with a store holding only بيونغ يانغ."""
    g = Glossary.open(tmp_path / "g.db", defaults=defaults)
    if not defaults:
        g.add("Pyongyang", "بيونغ يانغ", kind="place")
        (m,) = g.find_mentions("بيونج يانج")
        assert m.english == "Pyongyang" and not m.stored
    uid = g.tm.add(PYONGYANG_UNIT, PYONGYANG_EN)
    other = g.tm.add("وتخضع روسيا لسلسلة عقوبات دولية بسبب الحرب", "Russia is subject to sanctions")
    hit = g.tm.search(PYONGYANG_UNIT.replace("بيونغ يانغ", "بيونج يانج"))[0]
    assert (hit.unit_id, hit.score, hit.repaired) == (uid, 100, False)
    for spelling in ("بيونغ يانغ", "بيونج يانج"):
        assert [h.unit_id for h in g.tm.concordance(spelling)] == [uid]
    assert {h.unit_id for h in g.tm.concordance("لسلسلة عقوبات")} == {uid, other}
    g.close()


def test_cli_concordance_under_either_spelling(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    # an explicit new store is empty: بيونج يانج is stored nowhere
    r = run_cli(db, "--db", str(db), "add", "Pyongyang", "بيونغ يانغ", "--kind", "place")
    assert r.returncode == 0, r.stderr
    assert run_cli(db, "--db", str(db), "tm", "add", PYONGYANG_UNIT, PYONGYANG_EN).returncode == 0
    for spelling in ("بيونج يانج", "بيونغ يانغ"):
        r = run_cli(db, "--db", str(db), "tm", "concordance", spelling, "--json")
        assert r.returncode == 0, r.stderr
        assert [h["target"] for h in json.loads(r.stdout)] == [PYONGYANG_EN]
    r = run_cli(db, "--db", str(db), "tm", "search", PYONGYANG_UNIT.replace("بيونغ يانغ", "بيونج يانج"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["score"] == 100


def test_jsonl_restore_normalizes_units_as_add_does(tmp_path: Path) -> None:
    """A JSON Lines restore stores each side normalized by its language, as TranslationMemory.add does:
    an English target quoting an Arabic name (and an accented Latin word) is still English."""
    g = Glossary.open(tmp_path / "a.db")
    g.tm.add("قال بوتين إن المحادثات مثمرة", "Putin (بوتين) said the talks were fruitful, Señor")
    stored = g.db.execute("SELECT source_norm, target_norm FROM tm_units").fetchone()
    g.export_file(tmp_path / "dump.jsonl")
    copy = Glossary.open(tmp_path / "b.db")
    copy.import_file(tmp_path / "dump.jsonl")
    restored = copy.db.execute("SELECT source_norm, target_norm FROM tm_units").fetchone()
    assert restored == stored
    assert "senor" in stored[1]  # English normalization strips the accent; the Arabic one would not
    assert copy.tm.concordance("Señor")[0].source.startswith("Putin")
    g.close()
    copy.close()
