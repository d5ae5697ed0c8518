"""The public Python API: add, variants, lookup, import/export, default store."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from glossary import Glossary, GlossaryWarning, InputError, NotFoundError, StoreError


def test_add_lookup_and_entity(empty: Glossary) -> None:
    eid = empty.add("Pyongyang", "بيونغ يانغ", kind="place", variants=["بيونج يانج"], aliases=[])
    nid = empty.add_variant(eid, "بيونغيانغ")
    assert empty.add_variant(eid, "بيونغيانغ") == nid  # the same spelling is stored once
    e = empty.entity(eid)
    assert (e.english, e.arabic, e.kind) == ("Pyongyang", "بيونغ يانغ", "place")
    assert set(e.spellings("ar")) == {"بيونغ يانغ", "بيونج يانج", "بيونغيانغ"}
    m = empty.lookup("بيونج يانج", limit=5)[0]
    assert (m.entity_id, m.english, m.arabic, m.kind, m.matched) == (
        eid,
        "Pyongyang",
        "بيونغ يانغ",
        "place",
        "بيونج يانج",
    )
    assert m.score == 100
    assert empty.stats()["entities"] == 1
    assert empty.stats()["names"] == 4
    assert empty.stats()["tm_units"] == 0


def test_orthographic_variants_score_100(empty: Glossary) -> None:
    empty.add("Sergei Lavrov", "سيرغي لافروف", kind="person")
    # diacritics, tatweel, bidi marks and presentation forms are orthography, not spelling
    for query in ("سِيرْغِي لافروف", "سيرغـــي لافروف", "\u200fسيرغي\u200e لافروف", "ﺳﻴﺮﻏﻲ ﻻﻓﺮﻭﻑ"):
        m = empty.lookup(query)[0]
        assert m.english == "Sergei Lavrov" and m.score == 100, query


def test_add_refuses_bad_input(empty: Glossary) -> None:
    with pytest.raises(InputError, match="Arabic text in the english column"):
        empty.add("بوتين", "بوتين")
    with pytest.raises(InputError, match="no Arabic letters"):
        empty.add("Putin", "Putin")
    with pytest.raises(InputError, match="unknown kind"):
        empty.add("Putin", "بوتين", kind="politician")
    empty.add("Putin", "بوتين", kind="person")
    with pytest.raises(InputError, match="already exists"):
        empty.add("putin", "بوتين")
    with pytest.raises(NotFoundError):
        empty.entity(999)
    with pytest.raises(NotFoundError):
        empty.add_variant(999, "بوتن")


def test_update_keeps_old_canonical_as_variant(empty: Glossary) -> None:
    eid = empty.add("Dmitri Peskov", "ديمتري بيسكوف", kind="person")
    empty.update(eid, english="Dmitry Peskov", arabic="دميتري بيسكوف")
    e = empty.entity(eid)
    assert (e.english, e.arabic) == ("Dmitry Peskov", "دميتري بيسكوف")
    roles = {n.text: n.role for n in e.names}
    assert roles["ديمتري بيسكوف"] == "variant" and roles["دميتري بيسكوف"] == "canonical"
    assert empty.lookup("Dmitri Peskov")[0].english == "Dmitry Peskov"


def test_import_csv_with_variants_aliases_and_extra_column(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "people.csv"
    f.write_text(
        "english,arabic,kind,variants,aliases,note,desk\n"
        "Sergei Lavrov,سيرغي لافروف,person,سيرجي لافروف|Sergey Lavrov,لافروف|Lavrov,Russian foreign minister,world\n"
        "Dmitry Peskov,دميتري بيسكوف,person,ديمتري بيسكوف|Dmitri Peskov,بيسكوف,,world\n",
        encoding="utf-8",
    )
    with pytest.warns(GlossaryWarning, match="ignoring column desk"):
        assert empty.import_file(f) == 2
    lavrov = empty.entity(empty.find_entity(english="Sergei Lavrov"))
    assert lavrov.note == "Russian foreign minister"
    assert set(lavrov.spellings("ar", "variant")) == {"سيرجي لافروف"}
    assert set(lavrov.spellings("en", "variant")) == {"Sergey Lavrov"}
    assert set(lavrov.spellings(role="alias")) == {"لافروف", "Lavrov"}
    # importing again merges instead of duplicating
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GlossaryWarning)
        assert empty.import_file(f) == 2
    assert empty.last_import is not None and empty.last_import.updated == 2
    assert empty.stats()["entities"] == 2


def test_import_tsv(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "places.tsv"
    f.write_text("english\tarabic\tkind\nPyongyang\tبيونغ يانغ\tplace\nMoscow\tموسكو\tplace\n", encoding="utf-8")
    assert empty.import_file(f) == 2
    assert empty.lookup("موسكو")[0].english == "Moscow"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ":1: empty file"),
        (b"english,note\nPutin,x\n", ":1: missing required column arabic"),
        ("english,arabic\nPutin,بوتين\nMoscow,".encode() + "موسكو".encode("cp1256") + b"\n", ":3: not UTF-8"),
        (b"english;arabic\nPutin;x\n", "missing required columns english, arabic"),
        ("english,arabic\nPutin,بوتين,extra\n".encode(), ":2: expected 2 fields, found 3"),
    ],
)
def test_bad_files_name_file_and_line_and_import_nothing(
    tmp_path: Path, empty: Glossary, content: bytes, message: str
) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    with pytest.raises(InputError, match=message):
        empty.import_file(f)
    assert empty.stats()["entities"] == 0


def test_bom_and_blank_lines_are_accepted(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "excel.csv"
    f.write_bytes("\ufeffenglish,arabic\r\n\r\nMoscow,موسكو\r\n".encode())
    assert empty.import_file(f) == 1


def test_skip_bad_rows_reports_each(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text("english,arabic\nMoscow,موسكو\nبوتين,بوتين\nKyiv,كييف\n", encoding="utf-8")
    with pytest.warns(GlossaryWarning, match=r"mixed.csv:3: Arabic text in the english column"):
        assert empty.import_file(f, skip_bad_rows=True) == 2
    assert empty.last_import is not None and len(empty.last_import.bad_rows) == 1


def test_csv_export_imports_back_to_the_same_glossary(tmp_path: Path, filled: Glossary) -> None:
    out = tmp_path / "export.csv"
    n = filled.export_file(out)
    assert n == filled.stats()["entities"]
    copy = Glossary.open(tmp_path / "copy.db")
    copy.import_file(out)
    assert copy.stats()["entities"] == filled.stats()["entities"]
    assert copy.stats()["names"] == filled.stats()["names"]


def test_jsonl_export_is_lossless(tmp_path: Path, filled: Glossary) -> None:
    eid = filled.find_entity(english="Pyongyang")
    assert eid is not None
    filled.add_variant(eid, "بيونجيانج", status="suggested", source="review")
    first = tmp_path / "a.jsonl"
    filled.export_file(first)
    restored = Glossary.open(tmp_path / "restored.db")
    restored.import_file(first)
    second = tmp_path / "b.jsonl"
    restored.export_file(second)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert restored.suggestions()[0].text == "بيونجيانج"


def test_export_is_atomic_and_never_truncates(tmp_path: Path, filled: Glossary) -> None:
    out = tmp_path / "export.csv"
    out.write_text("previous export\n", encoding="utf-8")
    with pytest.raises(InputError):
        filled.export_file(out, format="docx")
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert not list(tmp_path.glob(".export.csv.*"))


def test_default_store_is_created_and_filled_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "home" / "glossary.db"
    monkeypatch.setenv("GLOSSARY_DB", str(path))
    g = Glossary.open()
    n = g.stats()["entities"]
    assert n > 500 and path.exists()
    g.close()
    g = Glossary.open()
    assert g.stats()["entities"] == n
    assert g.lookup("بيونج يانج")[0].english == "Pyongyang"


def test_explicit_path_starts_empty_unless_defaults(tmp_path: Path) -> None:
    assert Glossary.open(tmp_path / "a.db").stats()["entities"] == 0
    assert Glossary.open(":memory:").stats()["entities"] == 0
    assert Glossary.open(tmp_path / "b.db", defaults=True).stats()["entities"] > 500


def test_directory_as_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Glossary.open(tmp_path)


def test_match_as_dict_is_json_ready(filled: Glossary) -> None:
    m = filled.lookup("سيرغي لافروف")[0]
    data = json.loads(json.dumps(m.as_dict(), ensure_ascii=False))
    assert data["english"] == "Sergei Lavrov"
    assert set(data) >= {"entity_id", "english", "arabic", "kind", "matched", "score", "reason"}


def test_add_and_import_accept_the_same_mixed_script_terms(tmp_path: Path, empty: Glossary) -> None:
    # TICO-19 style terms: Arabic with a Latin acronym is a real Arabic term
    eid = empty.add("H1N1 influenza", "إنفلونزا H1N1")
    assert empty.entity(eid).arabic == "إنفلونزا H1N1"
    with pytest.raises(InputError, match="Latin letters in the arabic column"):
        empty.add("RNA", "RNA حمض")  # mostly Latin is not an Arabic spelling
    f = tmp_path / "terms.csv"
    f.write_text("english,arabic\nribonucleic acid,حمض الريبونوكلييك (RNA)\n", encoding="utf-8")
    assert empty.import_file(f) == 1


def test_tm_writes_keep_the_glossary_indexes_and_glossary_writes_refresh_them(filled: Glossary) -> None:
    recognizer, matcher = filled.recognizer, filled.matcher
    filled.tm.add("التقى بوتين مع لافروف في موسكو", "Putin met Lavrov in Moscow")
    assert filled.recognizer is recognizer  # a TM unit changes no spelling: no rebuild
    assert filled.matcher is matcher
    eid = filled.find_entity(english="Pyongyang")
    assert eid is not None
    filled.add_variant(eid, "پيونگ يانگ")
    assert filled.matcher is matcher  # one new spelling is added in place
    assert filled.lookup("پيونگ يانگ")[0].reason == "exact"
    assert filled.recognizer is recognizer  # ... and to the text index too: no rebuild
    assert [m.english for m in filled.find_mentions("زار پيونگ يانگ")] == ["Pyongyang"]
