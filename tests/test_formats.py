"""Import and export of table formats through the library: TICO-19, CAT layouts, OmegaT,
Excel CSV, JSON Lines, conflicts and bad input (issue 6)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from glossary import Glossary, GlossaryWarning, InputError, exchange, formats
from glossary.normalize import normalize

DATA = Path(__file__).resolve().parent / "data"
FACEBOOK = DATA / "tico19-facebook-en-ar.csv"
GOOGLE = DATA / "tico19-google-ar-en.csv"

SEED_CSV = (
    "english,arabic,kind,variants,aliases,note,source\n"
    "Vladimir Putin,فلاديمير بوتين,person,,بوتين|Putin,President of Russia,seeds\n"
    "Dmitry Peskov,دميتري بيسكوف,person,ديمتري بيسكوف|Dmitri Peskov,بيسكوف|Peskov,Kremlin spokesman,seeds\n"
    "Kim Jong Un,كيم جونغ أون,person,كيم جونج أون|Kim Jong-un,كيم,North Korean leader,seeds\n"
    "Pyongyang,بيونغ يانغ,place,بيونج يانج|بيونغيانغ,,capital of North Korea,seeds\n"
)


def quiet_import(g: Glossary, path: Path, **kwargs: object) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GlossaryWarning)
        return g.import_file(path, **kwargs)  # type: ignore[arg-type]


def dump(g: Glossary) -> list[dict[str, object]]:
    """The store's lossless dump, as compared before and after a failed import."""
    return list(exchange.dump_records(g))


@pytest.fixture
def seeded(tmp_path: Path, empty: Glossary) -> Glossary:
    f = tmp_path / "seed.csv"
    f.write_text(SEED_CSV, encoding="utf-8")
    assert empty.import_file(f) == 4
    return empty


# --------------------------------------------------------------------------- TICO-19
def test_tico_facebook_en_ar_has_one_bad_row_and_imports_nothing_by_default(empty: Glossary) -> None:
    with pytest.raises(InputError) as info:
        quiet_import(empty, FACEBOOK)
    assert str(info.value) == (
        f"{FACEBOOK}:299: no Arabic letters in the arabic column: 'vivid-19'"
    )
    assert empty.stats()["entities"] == 0


def test_tico_facebook_en_ar_counts_and_rows(empty: Glossary) -> None:
    with pytest.warns(GlossaryWarning) as caught:
        n = empty.import_file(FACEBOOK, skip_bad_rows=True)
    messages = [str(w.message) for w in caught]
    assert f"{FACEBOOK}: ignoring column id" in messages
    assert f"skipped {FACEBOOK}:299: no Arabic letters in the arabic column: 'vivid-19'" in messages
    report = empty.last_import
    assert report is not None
    # 306 rows: 1 bad (vivid-19), "COVID 19" merges into "covid-19" (same English after
    # normalization), 304 entities
    assert (report.added, report.updated, report.skipped, report.merged) == (304, 0, 0, 1)
    assert n == 305
    assert len(report.bad_rows) == 1
    assert empty.stats()["entities"] == 304
    assert empty.stats()["by_kind"]["other"] == 304
    # direction en -> ar: the English source is the English side
    bronchitis = empty.entity(empty.find_entity(english="acute bronchitis") or 0)
    assert bronchitis.arabic == "التهاب الشعب الهوائية الحاد"
    aids = empty.entity(empty.find_entity(english="AIDS") or 0)
    assert aids.arabic == "الإيدز"
    wuhan = empty.entity(empty.find_entity(english="Wuhan") or 0)
    assert wuhan.arabic == "ووهان"
    # terms keep their Latin acronyms in the Arabic
    h1n1 = empty.entity(empty.find_entity(english="H1N1") or 0)
    assert h1n1.arabic == "إنفلونزا H1N1"
    covid = empty.entity(empty.find_entity(english="COVID 19") or 0)
    assert (covid.english, covid.arabic) == ("covid-19", "مرض كوفيد 19")
    assert set(covid.spellings("ar")) == {"مرض كوفيد 19", "كوفيد 19"}
    assert empty.lookup("كوفيد 19")[0].english == "covid-19"


def test_tico_google_ar_en_direction_is_read_from_the_language_columns(empty: Glossary) -> None:
    with pytest.warns(GlossaryWarning, match="ignoring columns stringid, pos"):
        assert empty.import_file(GOOGLE) == 49
    report = empty.last_import
    assert report is not None and (report.added, report.updated, report.skipped) == (49, 0, 0)
    pandemic = empty.entity(empty.find_entity(english="pandemic") or 0)
    assert pandemic.arabic == "جائحة"
    mers = empty.entity(empty.find_entity(english="Middle East respiratory syndrome") or 0)
    assert mers.arabic == "متلازمة الشرق الأوسط التنفسية"
    assert empty.find_entity(english="serological analysis") is not None
    # no Arabic was taken for English
    assert all(e.english.isascii() for e in empty.entities())


def test_both_tico_files_merge_on_the_shared_terms(empty: Glossary) -> None:
    quiet_import(empty, FACEBOOK, skip_bad_rows=True)
    quiet_import(empty, GOOGLE)
    report = empty.last_import
    assert report is not None
    assert (report.added, report.updated) == (39, 10)
    assert empty.stats()["entities"] == 304 + 39
    # importing again changes nothing (update is idempotent)
    before = dump(empty)
    quiet_import(empty, GOOGLE)
    assert empty.last_import is not None and empty.last_import.updated == 49
    assert [
        {k: v for k, v in r.items() if k != "updated"} for r in dump(empty)
    ] == [{k: v for k, v in r.items() if k != "updated"} for r in before]


# --------------------------------------------------------------------------- CAT layouts
def test_columns_named_by_language_code(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "phrase.csv"
    f.write_text("en-US,ar-SA,Comment\nDmitry Peskov,دميتري بيسكوف,Kremlin spokesman\n", encoding="utf-8")
    assert empty.import_file(f) == 1
    e = empty.entity(empty.find_entity(english="Dmitry Peskov") or 0)
    assert (e.arabic, e.note) == ("دميتري بيسكوف", "Kremlin spokesman")


def test_column_mapping_option(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "desk.csv"
    f.write_text("AR,EN,Type\nبيونغ يانغ,Pyongyang,place\nموسكو,Moscow,place\n", encoding="utf-8")
    n = empty.import_file(f, columns=formats.parse_columns("english=EN,arabic=AR,kind=Type"))
    assert n == 2
    assert empty.entity(empty.find_entity(english="Moscow") or 0).kind == "place"


def test_column_mapping_to_a_missing_header_names_it(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "desk.csv"
    f.write_text("AR,EN\nموسكو,Moscow\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"desk.csv:1: --columns english=English: no column 'English'"):
        empty.import_file(f, columns={"english": "English", "arabic": "AR"})
    with pytest.raises(InputError, match=r"unknown field 'englsh'"):
        formats.parse_columns("englsh=EN")
    with pytest.raises(InputError, match=r"expected field=Header pairs"):
        formats.parse_columns("english")


def test_source_target_without_language_columns_reads_the_script(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "smartcat.csv"
    f.write_text("source,target\nسيرغي لافروف,Sergei Lavrov\nموسكو,Moscow\n", encoding="utf-8")
    assert empty.import_file(f) == 2
    assert empty.entity(empty.find_entity(english="Sergei Lavrov") or 0).arabic == "سيرغي لافروف"


def test_multilingual_rows_outside_english_arabic_are_bad_rows(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "multi.csv"
    f.write_text(
        "sourceLang,targetLang,sourceString,targetString\n"
        "en,ar,Moscow,موسكو\n"
        "en,fr,Moscow,Moscou\n"
        "ar_EG,en_US,بيونغ يانغ,Pyongyang\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"multi.csv:3: language pair 'en' -> 'fr'"):
        empty.import_file(f)
    assert empty.stats()["entities"] == 0
    with pytest.warns(GlossaryWarning, match=r"skipped .*multi.csv:3: language pair"):
        assert empty.import_file(f, skip_bad_rows=True) == 2


# --------------------------------------------------------------------------- encodings
def test_utf16_with_bom_from_excel_unicode_text(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "excel-unicode.tsv"
    f.write_bytes("english\tarabic\r\nPyongyang\tبيونغ يانغ\r\n".encode("utf-16"))
    assert empty.import_file(f) == 1
    assert empty.lookup("بيونج يانج")[0].english == "Pyongyang"


def test_blank_lines_keep_the_physical_line_numbers(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "gaps.csv"
    f.write_text("english,arabic\n\nMoscow,موسكو\n\n\nبوتين,بوتين\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"gaps.csv:6: Arabic text in the english column: 'بوتين'"):
        empty.import_file(f)
    assert empty.stats()["entities"] == 0


def test_semicolon_delimiter_gets_a_hint(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "excel-fr.csv"
    f.write_text("english;arabic\nMoscow;موسكو\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"excel-fr.csv:1: missing required columns english, arabic;"
                       r".*semicolon-separated"):
        empty.import_file(f)


def test_tsv_read_as_csv_gets_a_hint(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "names.csv"
    f.write_text("english\tarabic\nMoscow\tموسكو\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"names.csv:1: missing required columns.*tab-separated"):
        empty.import_file(f)


# --------------------------------------------------------------------------- conflicts
def test_conflict_is_the_same_canonical_english_after_normalization(
    tmp_path: Path, seeded: Glossary
) -> None:
    f = tmp_path / "more.csv"
    f.write_text(
        "english,arabic,variants\n"
        "Kim Jong-un,كيم جونغ اون,كيم جونغ-أون\n"  # same English after normalization
        "vladimir putin,بوتين فلاديمير,\n",
        encoding="utf-8",
    )
    before = dump(seeded)
    assert seeded.import_file(f, on_conflict="skip") == 0
    assert seeded.last_import is not None and seeded.last_import.skipped == 2
    assert dump(seeded) == before
    with pytest.raises(InputError, match=r"more.csv:2: entity 'Kim Jong-un' already exists .*on-conflict is fail"):
        seeded.import_file(f, on_conflict="fail")
    assert dump(seeded) == before
    assert seeded.import_file(f) == 2  # update is the default
    assert seeded.last_import is not None and seeded.last_import.updated == 2
    kim = seeded.entity(seeded.find_entity(english="Kim Jong Un") or 0)
    assert kim.arabic == "كيم جونغ أون"  # canonical kept, new spellings become variants
    assert {"كيم جونغ اون", "كيم جونغ-أون"} <= set(kim.spellings("ar", "variant"))
    assert seeded.stats()["entities"] == 4


def test_same_arabic_different_english_is_not_a_conflict(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "harman.csv"
    f.write_text("english,arabic,kind\nHarman,هارمن,person\nHarmen,هارمن,person\n", encoding="utf-8")
    assert empty.import_file(f, on_conflict="fail") == 2
    assert empty.stats()["entities"] == 2
    assert {m.english for m in empty.lookup("هارمن")} == {"Harman", "Harmen"}


def test_duplicate_rows_are_merged_with_a_warning_naming_both_lines(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "dups.csv"
    f.write_text(
        "english,arabic\nMoscow,موسكو\nPyongyang,بيونغ يانغ\nmoscow,موسكو\nPyongyang,بيونج يانج\n",
        encoding="utf-8",
    )
    with pytest.warns(GlossaryWarning, match=r"dups.csv:4: duplicate of line 2 \(same English and Arabic\)"):
        assert empty.import_file(f, on_conflict="fail") == 4
    report = empty.last_import
    assert report is not None and (report.added, report.merged) == (2, 2)
    assert empty.stats()["entities"] == 2
    assert set(empty.entity(empty.find_entity(english="Pyongyang") or 0).spellings("ar")) == {
        "بيونغ يانغ", "بيونج يانج"
    }


def test_latin_only_arabic_column_is_still_refused(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "latin.csv"
    f.write_text("english,arabic\nMoscow,موسكو\nKremlin,Kremlin Palace\nPutin,بوتين Putin\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"latin.csv:3: no Arabic letters in the arabic column"):
        empty.import_file(f)
    with pytest.warns(GlossaryWarning):
        empty.import_file(f, skip_bad_rows=True)
    assert empty.last_import is not None
    assert [b.split(": ", 1)[1] for b in empty.last_import.bad_rows] == [
        "no Arabic letters in the arabic column: 'Kremlin Palace'",
        "Latin letters in the arabic column: 'بوتين Putin'",
    ]


# --------------------------------------------------------------------------- OmegaT
def test_omegat_export_ar_en_lists_every_arabic_spelling_and_imports_back(
    tmp_path: Path, seeded: Glossary
) -> None:
    out = tmp_path / "glossary.utf8"
    n = seeded.export_file(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    assert "بيونج يانج\tPyongyang\tcapital of North Korea" in lines
    assert "بوتين\tVladimir Putin\tPresident of Russia" in lines
    assert n == len(lines) - 1 == sum(len(e.spellings("ar")) for e in seeded.entities())
    copy = Glossary.open(tmp_path / "copy.db")
    assert copy.import_file(out, format="omegat") == n
    assert copy.stats()["entities"] == 4
    for e in seeded.entities():
        c = copy.entity(copy.find_entity(english=e.english) or 0)
        assert (c.arabic, c.note) == (e.arabic, e.note)
        assert set(c.spellings("ar")) == set(e.spellings("ar"))
    copy.close()


def test_omegat_en_ar_and_a_txt_file_without_header(tmp_path: Path, seeded: Glossary) -> None:
    out = tmp_path / "glossary.txt"
    assert seeded.export_file(out, format="omegat", direction="en-ar") == 4
    assert "Pyongyang\tبيونغ يانغ\tcapital of North Korea" in out.read_text(encoding="utf-8")
    copy = Glossary.open(tmp_path / "copy.db")
    assert copy.import_file(out) == 4  # .txt without a header row is read as OmegaT
    assert copy.entity(copy.find_entity(english="Pyongyang") or 0).arabic == "بيونغ يانغ"
    copy.close()


def test_omegat_bad_line_is_named(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "project.utf8"
    f.write_text("# OmegaT glossary\nموسكو\tMoscow\n\nبيونغ يانغ Pyongyang\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"project.utf8:4: expected source TAB target \[TAB comment\], found 1 field"):
        empty.import_file(f)
    assert empty.stats()["entities"] == 0
    g = tmp_path / "swapped.utf8"
    g.write_text("موسكو\tMoscow\nPyongyang\tبيونغ يانغ\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"swapped.utf8:2: Arabic text in the english column"):
        empty.import_file(g)


# --------------------------------------------------------------------------- Excel CSV
def test_excel_csv_has_bom_crlf_and_defused_formulas(tmp_path: Path, seeded: Glossary) -> None:
    eid = seeded.find_entity(english="Pyongyang") or 0
    seeded.update(eid, note="=HYPERLINK(\"http://example.com\")")
    out = tmp_path / "for-excel.csv"
    assert seeded.export_file(out, format="excel-csv") == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfenglish,arabic,kind,")
    assert raw.count(b"\r\n") == 5
    assert "'=HYPERLINK" in raw.decode("utf-8-sig")
    copy = Glossary.open(tmp_path / "copy.db")
    assert copy.import_file(out) == 4
    assert copy.stats()["names"] == seeded.stats()["names"]
    copy.close()


# --------------------------------------------------------------------------- JSON Lines
def test_jsonl_restores_entities_names_and_tm_units_identically(tmp_path: Path, seeded: Glossary) -> None:
    eid = seeded.find_entity(english="Pyongyang") or 0
    seeded.add_variant(eid, "بيونجيانج", status="suggested", source="review")
    with seeded._write():
        for src, tgt in (("وصل بوتين إلى بيونغ يانغ", "Putin arrived in Pyongyang"),
                         ("قال دميتري بيسكوف", "Dmitry Peskov said")):
            seeded.db.execute(
                "INSERT INTO tm_units (source, target, source_lang, target_lang, source_norm, "
                "target_norm, origin) VALUES (?, ?, 'ar', 'en', ?, ?, 'seed')",
                [src, tgt, normalize(src), normalize(tgt)],
            )
    first = tmp_path / "store.jsonl"
    records = seeded.export_file(first)
    assert records == 4 + 2
    restored = Glossary.open(tmp_path / "restored.db")
    assert restored.import_file(first) == 4
    second = tmp_path / "again.jsonl"
    restored.export_file(second)
    assert first.read_bytes() == second.read_bytes()
    assert restored.stats() | {"path": ""} == seeded.stats() | {"path": ""}
    restored.close()


def test_jsonl_bad_record_is_named_and_nothing_restored(tmp_path: Path, seeded: Glossary) -> None:
    out = tmp_path / "store.jsonl"
    seeded.export_file(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '{"type": "entity", "english": "Moscow"}')
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    empty = Glossary.open(tmp_path / "new.db")
    with pytest.raises(InputError, match=r"store.jsonl:3: malformed record \(KeyError: 'arabic'\)"):
        empty.import_file(out)
    assert empty.stats()["entities"] == 0
    empty.close()


# --------------------------------------------------------------------------- format names
def test_format_names_and_suffixes() -> None:
    assert formats.format_for("a.tbx") == "tbx"
    assert formats.format_for("a.utf8") == "omegat"
    assert formats.format_for("a.csv", "Excel") == "excel-csv"
    assert formats.format_for("a.tbx", "martif") == "tbx2"
    with pytest.raises(InputError, match=r"a.csv: unknown format 'xlsx'; use one of csv, tsv"):
        formats.format_for("a.csv", "xlsx")
    with pytest.raises(InputError, match=r"a.docx: unknown format '.docx'"):
        formats.format_for("a.docx")


def test_a_skipped_row_leaves_no_counts_and_no_trace(tmp_path: Path, empty: Glossary) -> None:
    # line 2 fails on its variant after the entity was inserted: the savepoint undoes it all
    f = tmp_path / "late-failure.csv"
    f.write_text(
        "english,arabic,variants\nErbil,أربيل,إربيل|---\nErbil,أربيل,إربيل\nDubai,دبي,\n",
        encoding="utf-8",
    )
    with pytest.warns(GlossaryWarning, match=r"late-failure.csv:2: spelling '---' has no letters"):
        assert empty.import_file(f, skip_bad_rows=True) == 2
    report = empty.last_import
    assert report is not None
    assert (report.added, report.updated, report.merged, len(report.bad_rows)) == (2, 0, 0, 1)
    erbil = empty.entity(empty.find_entity(english="Erbil") or 0)
    assert set(erbil.spellings("ar")) == {"أربيل", "إربيل"}
    assert empty.stats()["entities"] == 2
