"""`glossary import` / `glossary export` through the installed console script (issue 6).

Every bad input checks the one-line message (file and line), exit code 2, no
traceback, and that the store is byte-for-byte the same dump as before.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

from glossary import Glossary, exchange

DATA = Path(__file__).resolve().parent / "data"
Run = Callable[..., CompletedProcess[str]]

SEED_CSV = (
    "english,arabic,kind,variants,aliases,note,source\n"
    "Vladimir Putin,فلاديمير بوتين,person,,بوتين|Putin,President of Russia,seeds\n"
    "Choe Son Hui,تشوي سون هوي,person,تشوي سون-هوي|Choe Son-hui,تشوي,North Korean foreign minister,seeds\n"
    "Pyongyang,بيونغ يانغ,place,بيونج يانج|بيونغيانغ,,capital of North Korea,seeds\n"
    "Moscow,موسكو,place,,,capital of Russia,seeds\n"
)


def dump(db: Path) -> list[dict[str, Any]]:
    with Glossary.open(db) as g:
        return list(exchange.dump_records(g))


@pytest.fixture
def store(cli: Run, tmp_path: Path) -> Path:
    """A store holding the seed names, imported through the CLI."""
    seed = tmp_path / "seed.csv"
    seed.write_text(SEED_CSV, encoding="utf-8")
    db = tmp_path / "store.db"
    r = cli("--db", str(db), "import", str(seed))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{seed}: 4 added, 0 updated, 0 skipped"
    return db


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tbx [\n <!ENTITY a "aaaaaaaaaa">\n'
    ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
    '<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>'
    '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&c;</term></termSec></langSec>'
    '<langSec xml:lang="ar"><termSec><term>موسكو</term></termSec></langSec></conceptEntry>'
    "</body></text></tbx>\n"
)

BAD_INPUTS = [
    pytest.param("nokey.csv", "english,note\nKyiv,capital of Ukraine\n", (),
                 ":1: missing required column arabic; found english, note", id="missing-column"),
    pytest.param("names.xlsx", "english,arabic\nKyiv,كييف\n", (),
                 "names.xlsx: unknown format '.xlsx'", id="unknown-suffix"),
    pytest.param("names.csv", "english,arabic\nKyiv,كييف\n", ("--format", "docx"),
                 "names.csv: unknown format 'docx'; use one of csv", id="unknown-format-option"),
    pytest.param("semicolons.csv", "english;arabic\nKyiv;كييف\n", (),
                 ":1: missing required columns english, arabic; found english;arabic "
                 "(the file looks semicolon-separated", id="wrong-delimiter-semicolon"),
    pytest.param("tabs.csv", "english\tarabic\nKyiv\tكييف\n", (),
                 ":1: missing required columns english, arabic; found 'english\\tarabic' "
                 "(the file looks tab-separated", id="wrong-delimiter-tab"),
    pytest.param("commas.tsv", "english\tarabic\nKyiv,كييف\n", (),
                 ":2: expected 2 fields, found 1 (the file looks comma-separated", id="wrong-delimiter-row"),
    pytest.param("swapped.csv", "english,arabic\nKyiv,كييف\nبيونغ يانغ,Pyongyang\n", (),
                 ":3: Arabic text in the english column: 'بيونغ يانغ'", id="arabic-in-english-column"),
    pytest.param("cp1256.csv", "english,arabic\nKyiv,كييف\n".encode() + "Erbil,أربيل\n".encode("cp1256"), (),
                 ":3: not UTF-8", id="not-utf8"),
    pytest.param("late.csv", "english,arabic,kind\nKyiv,كييف,place\nErbil,أربيل,city\n", (),
                 ":3: unknown kind 'city'", id="bad-value-after-good-rows"),
    pytest.param("lol.tbx", BILLION_LAUGHS, (),
                 ":3: refused: the file declares the XML entity 'a'", id="entity-expansion"),
    pytest.param("broken.tbx", '<?xml version="1.0"?>\n<martif>\n<text><body>\n</martif>\n', (),
                 ":4: not well-formed XML (mismatched tag)", id="malformed-xml"),
    pytest.param("moscow.csv", "english,arabic\nMOSCOW,موسكو\n", ("--on-conflict", "fail"),
                 ":2: entity 'MOSCOW' already exists", id="conflict-fail"),
    pytest.param("moscow.csv", "english,arabic\nMoscow,موسكو\n", ("--on-conflict", "merge"),
                 "unknown on_conflict 'merge'; use one of update, skip, fail", id="bad-on-conflict"),
    pytest.param("desk.csv", "EN,AR\nKyiv,كييف\n", ("--columns", "english=English,arabic=AR"),
                 ":1: --columns english=English: no column 'English' in the header", id="columns-missing"),
    pytest.param("desk.csv", "EN,AR\nKyiv,كييف\n", ("--columns", "englsh=EN"),
                 "--columns: unknown field 'englsh'", id="columns-unknown-field"),
    pytest.param("glossary.utf8", "# OmegaT\nكييف\tKyiv\nأربيل Erbil\n", (),
                 ":3: expected source TAB target [TAB comment], found 1 field", id="omegat-one-field"),
]


@pytest.mark.parametrize(("name", "content", "options", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_exit_2_and_the_store_is_unchanged(
    cli: Run, tmp_path: Path, store: Path, name: str, content: str | bytes,
    options: tuple[str, ...], message: str,
) -> None:
    f = write(tmp_path / name, content)
    before = dump(store)
    r = cli("--db", str(store), "import", str(f), *options)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("glossary: error:")]
    assert len(errors) == 1, r.stderr
    assert message in errors[0]
    if message.startswith(":"):
        assert errors[0].startswith(f"glossary: error: {f}{message.split(' ')[0]}")
    assert r.stdout == ""
    assert dump(store) == before


def test_skip_bad_rows_reports_each_skipped_row(cli: Run, tmp_path: Path, store: Path) -> None:
    f = write(tmp_path / "mixed.csv",
              "english,arabic\nKyiv,كييف\nبوتين,بوتين\nErbil,أربيل\nKremlin,Kremlin\nDubai,دبي\n")
    r = cli("--db", str(store), "import", str(f), "--skip-bad-rows")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{f}: 3 added, 0 updated, 0 skipped, 2 bad rows skipped"
    assert f"glossary: warning: skipped {f}:3: Arabic text in the english column: 'بوتين'" in r.stderr
    assert f"glossary: warning: skipped {f}:5: no Arabic letters in the arabic column: 'Kremlin'" in r.stderr
    with Glossary.open(store) as g:
        assert g.stats()["entities"] == 7


def test_bom_and_blank_lines_import_cleanly(cli: Run, tmp_path: Path, store: Path) -> None:
    f = write(tmp_path / "excel.csv",
              "\ufeffenglish,arabic,kind\r\n\r\nErbil,أربيل,place\r\n\r\n\r\nDubai,دبي,place\r\n".encode())
    r = cli("--db", str(store), "import", str(f))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{f}: 2 added, 0 updated, 0 skipped"
    assert r.stderr == ""  # the BOM did not turn "english" into an unknown column
    with Glossary.open(store) as g:
        assert g.entity(g.find_entity(english="Erbil") or 0).arabic == "أربيل"


def test_duplicate_rows_warn_with_both_lines(cli: Run, tmp_path: Path, store: Path) -> None:
    f = write(tmp_path / "dups.csv", "english,arabic\nKyiv,كييف\nErbil,أربيل\nKYIV,كييف\n")
    r = cli("--db", str(store), "import", str(f))
    assert r.returncode == 0, r.stderr
    assert f"glossary: warning: {f}:4: duplicate of line 2 (same English and Arabic); merged" in r.stderr
    assert r.stdout.strip() == f"{f}: 2 added, 0 updated, 0 skipped, 1 merged into earlier rows"


def test_on_conflict_summary_update_skip(cli: Run, tmp_path: Path, store: Path) -> None:
    f = write(tmp_path / "again.csv",
              "english,arabic,variants\nPyongyang,بيونغ يانغ,بيونغ-يانغ\nchoe son-hui,تشوي سون هوي,\nKyiv,كييف,\n")
    r = cli("--db", str(store), "import", str(f), "--on-conflict", "skip")
    assert r.stdout.strip() == f"{f}: 1 added, 0 updated, 2 skipped"
    r = cli("--db", str(store), "import", str(f))
    assert r.stdout.strip() == f"{f}: 0 added, 3 updated, 0 skipped"
    with Glossary.open(store) as g:
        assert "بيونغ-يانغ" in g.entity(g.find_entity(english="Pyongyang") or 0).spellings("ar")
        assert g.stats()["entities"] == 5


def test_jsonl_export_import_round_trip_is_identical(cli: Run, tmp_path: Path, store: Path) -> None:
    first = tmp_path / "store.jsonl"
    r = cli("--db", str(store), "export", str(first))
    assert r.returncode == 0 and r.stdout.strip() == f"{first}: 4 records"
    restored = tmp_path / "restored.db"
    r = cli("--db", str(restored), "import", str(first))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{first}: 4 added, 0 updated, 0 skipped"
    second = tmp_path / "again.jsonl"
    cli("--db", str(restored), "export", "--format", "jsonl", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert dump(restored) == dump(store)


def test_tbx2_export_is_read_by_translate_toolkit(cli: Run, tmp_path: Path, store: Path) -> None:
    ttbx = pytest.importorskip("translate.storage.tbx")
    out = tmp_path / "for-cat.tbx"
    r = cli("--db", str(store), "export", "--format", "tbx2", str(out))
    assert r.returncode == 0 and r.stdout.strip() == f"{out}: 4 records"
    units = ttbx.tbxfile.parsefile(str(out)).units
    terms = {t.text for u in units for t in (*u.get_source_terms(), *u.get_target_terms())}
    with Glossary.open(store) as g:
        assert terms == {n.text for e in g.entities() for n in e.names}


def test_tbx3_export_reimports_into_an_empty_store(cli: Run, tmp_path: Path, store: Path) -> None:
    out = tmp_path / "glossary.tbx"
    assert cli("--db", str(store), "export", str(out)).returncode == 0
    assert b'<tbx type="TBX-Basic" style="dca"' in out.read_bytes()
    copy = tmp_path / "copy.db"
    r = cli("--db", str(copy), "import", str(out))
    assert r.stdout.strip() == f"{out}: 4 added, 0 updated, 0 skipped"

    def strip(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in rec.items() if k not in ("created", "updated")} | {
            "names": [{k: v for k, v in n.items() if k != "created"} for n in rec["names"]]}
            for rec in records]

    assert strip(dump(copy)) == strip(dump(store))


def test_tico_files_through_the_cli(cli: Run, tmp_path: Path) -> None:
    db = tmp_path / "tico.db"
    facebook = tmp_path / "tico19-facebook-en-ar.csv"
    google = tmp_path / "tico19-google-ar-en.csv"
    shutil.copyfile(DATA / facebook.name, facebook)
    shutil.copyfile(DATA / google.name, google)
    r = cli("--db", str(db), "import", str(facebook))
    assert r.returncode == 2
    assert f"glossary: error: {facebook}:299: no Arabic letters in the arabic column: 'vivid-19'" in r.stderr
    r = cli("--db", str(db), "import", str(facebook), "--skip-bad-rows")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        f"{facebook}: 304 added, 0 updated, 0 skipped, 1 merged into earlier rows, 1 bad row skipped"
    )
    r = cli("--db", str(db), "import", str(google))
    assert r.stdout.strip() == f"{google}: 39 added, 10 updated, 0 skipped"
    r = cli("--db", str(db), "lookup", "جائحة", "--json")
    assert '"english": "pandemic"' in r.stdout


def test_columns_option_and_excel_and_omegat_exports(cli: Run, tmp_path: Path, store: Path) -> None:
    f = write(tmp_path / "desk.csv", "Arabic term,English term,Type\nأربيل,Erbil,place\n")
    r = cli("--db", str(store), "import", str(f), "--columns", "english=English term,arabic=Arabic term,kind=Type")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{f}: 1 added, 0 updated, 0 skipped"
    excel = tmp_path / "for-excel.csv"
    assert cli("--db", str(store), "export", "--format", "excel-csv", str(excel)).returncode == 0
    assert excel.read_bytes().startswith(b"\xef\xbb\xbfenglish,arabic")
    omegat = tmp_path / "glossary.utf8"
    r = cli("--db", str(store), "export", str(omegat))
    assert r.returncode == 0
    assert "تشوي سون-هوي\tChoe Son Hui\tNorth Korean foreign minister" in omegat.read_text(encoding="utf-8")
    r = cli("--db", str(store), "export", str(omegat), "--direction", "fr-ar")
    assert r.returncode == 2 and "unknown direction 'fr-ar'" in r.stderr


def test_a_control_character_in_a_spelling_is_refused_with_file_and_line(cli, tmp_path: Path) -> None:
    """Issue 18, fault 12: 'Mos\\x00cow' became a second Moscow; now the row is refused, naming its line."""
    from glossary import Glossary
    from glossary.errors import InputError

    src = tmp_path / "names.csv"
    src.write_bytes("english,arabic\nMoscow,موسكو\nMos\x00cow,موس\x00كو\n".encode())
    db = tmp_path / "nul.db"
    result = cli("--db", str(db), "import", str(src))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"glossary: error: {src}:3: control character U+0000 in the spelling 'Mos\\x00cow' "
        "(--skip-bad-rows imports the other rows)"
    )
    g = Glossary.open(db)
    assert g.stats()["entities"] == 0  # one transaction: nothing imported
    with pytest.raises(InputError, match="control character U\\+0007"):
        g.add("Moscow", "موسكو\x07")
    eid = g.add("Moscow", "موسكو")
    with pytest.raises(InputError, match="control character"):
        g.add_variant(eid, "Mos\x00cow")
    assert g.add_variant(eid, "مو\u200fسكو") > 0  # a bidi mark is a format character, not a control one
    g.close()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_and_a_folder_are_named_as_such(cli, tmp_path: Path, encoding: str) -> None:
    """Issue 18, fault 12: UTF-16 without a BOM was 'missing columns e\\x00n\\x00…'; a folder is a folder."""
    src = tmp_path / "names.csv"
    src.write_bytes("english,arabic\nMoscow,موسكو\n".encode(encoding))
    result = cli("--db", str(tmp_path / "g.db"), "import", str(src))
    assert result.returncode == 2
    assert result.stderr.startswith(f"glossary: error: {src}: looks like UTF-16 without a byte-order mark")
    assert "\\x00" not in result.stderr
    folder = tmp_path / "lists"
    folder.mkdir()
    result = cli("--db", str(tmp_path / "g.db"), "import", str(folder))
    assert result.returncode == 2
    assert result.stderr.strip() == f"glossary: error: {folder}: is a folder; import the files in it one by one"


def test_skip_bad_rows_skips_a_row_with_the_wrong_number_of_fields(cli, tmp_path: Path) -> None:
    """Issue 18, fault 3: such a row stopped the import even with --skip-bad-rows; and a refused file
    says that --skip-bad-rows exists."""
    src = tmp_path / "r.csv"
    src.write_text("english,arabic,kind\nMoscow,موسكو,place\nKiev,كييف\nOslo,أوسلو,place\n", encoding="utf-8")
    db = tmp_path / "t.db"
    result = cli("--db", str(db), "import", str(src), "--skip-bad-rows")
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout and "1 bad row skipped" in result.stdout
    assert f"skipped {src}:3: expected 3 fields, found 2" in result.stderr
    latin = tmp_path / "latin.csv"
    latin.write_text("english,arabic\nMoscow,موسكو\nKiev,Kiev city\n", encoding="utf-8")
    result = cli("--db", str(tmp_path / "u.db"), "import", str(latin))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("'Kiev city' (--skip-bad-rows imports the other rows)")
    assert result.stderr.startswith(f"glossary: error: {latin}:3:")
