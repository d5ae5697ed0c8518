"""The installed ``glossary`` console script, run from outside the repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary.cli._base import EMPTY_STORE_HINT


def test_lookup_on_the_default_store_from_another_directory(cli) -> None:
    result = cli("lookup", "بيونج يانج")
    assert result.returncode == 0, result.stderr
    assert "Pyongyang" in result.stdout
    assert "بيونغ يانغ" in result.stdout  # the house spelling


def test_lookup_english_variant_as_json(cli) -> None:
    result = cli("lookup", "Sergey Lavrov", "--json")
    assert result.returncode == 0, result.stderr
    matches = json.loads(result.stdout)
    assert matches[0]["english"] == "Sergei Lavrov"
    assert matches[0]["arabic"] == "سيرغي لافروف"
    assert set(matches[0]) >= {"entity_id", "english", "arabic", "kind", "matched", "score"}
    assert 0 <= matches[0]["score"] <= 100


def test_lookup_nothing_found_exits_1(cli) -> None:
    result = cli("lookup", "zzqxj", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == []
    assert "no match" in result.stderr


def test_lookup_prefix_finds_a_name_before_it_is_finished(cli) -> None:
    for typed in ("بيونغ", "Pyong"):
        result = cli("lookup", "--prefix", typed, "--json")
        assert result.returncode == 0, result.stderr
        matches = json.loads(result.stdout)
        assert matches[0]["english"] == "Pyongyang", typed
        assert matches[0]["reason"] == "prefix"
    # a prefix that is itself a whole name (بيون is Pune) answers that name first
    matches = json.loads(cli("lookup", "--prefix", "بيون", "--json").stdout)
    assert matches[0]["english"] == "Pune"
    assert "Pyongyang" in [m["english"] for m in matches]
    result = cli("lookup", "--prefix", "zzqxj")
    assert result.returncode == 1
    assert "no match" in result.stderr


def test_empty_explicit_store_hints_at_init(cli, tmp_path: Path) -> None:
    """A store made without --defaults finds nothing; every command that finds nothing says why."""
    db = str(tmp_path / "new.db")
    result = cli("--db", db, "lookup", "بوتين")
    assert result.returncode == 1
    assert "glossary init --defaults" in result.stderr
    article = tmp_path / "a.txt"
    article.write_text("وقال بوتين إن بيونج يانج حليف\n", encoding="utf-8")
    result = cli("--db", db, "mentions", str(article))
    assert result.returncode == 1
    assert result.stderr.strip() == f"glossary: no mention in {article}{EMPTY_STORE_HINT}"
    result = cli("--db", db, "normalize", str(article), "--out-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"glossary: no mention found{EMPTY_STORE_HINT}"
    assert (tmp_path / "out" / "a.txt").read_bytes() == article.read_bytes()
    # a store with names that finds nothing in a text has nothing to hint
    result = cli("mentions", "-", input="ذهب إلى السوق\n")
    assert result.returncode == 1 and "init --defaults" not in result.stderr
    result = cli("normalize", "-", input="ذهب إلى السوق\n")
    assert result.returncode == 0 and result.stderr == ""


def test_init_add_show_stats_with_db_option(cli, tmp_path: Path) -> None:
    db = str(tmp_path / "mine.db")
    assert cli("init", db).returncode == 0
    added = cli(
        "--db",
        db,
        "add",
        "Sergei Shoigu",
        "سيرغي شويغو",
        "--kind",
        "person",
        "--variant",
        "سيرجي شويجو",
        "--alias",
        "شويغو",
    )
    assert added.returncode == 0, added.stderr
    eid = int(added.stdout.split()[2].rstrip(":"))
    shown = cli("--db", db, "show", str(eid), "--json")
    data = json.loads(shown.stdout)
    assert data["english"] == "Sergei Shoigu"
    assert {n["text"]: n["role"] for n in data["names"]}["شويغو"] == "alias"
    stats = json.loads(cli("--db", db, "stats", "--json").stdout)
    assert stats["entities"] == 1 and stats["names"] == 4 and stats["tm_units"] == 0
    found = json.loads(cli("--db", db, "lookup", "سيرجي شويجو", "--json").stdout)
    assert found[0]["entity_id"] == eid


def test_glossary_db_environment_variable_moves_the_store(cli, tmp_path: Path) -> None:
    target = tmp_path / "env" / "store.db"
    result = cli("stats", "--json", env={"GLOSSARY_DB": str(target)})
    assert result.returncode == 0
    assert json.loads(result.stdout)["path"] == str(target)
    assert target.exists()


def test_first_use_says_once_why_it_takes_seconds(cli, tmp_path: Path) -> None:
    """A new install's first command builds the default store and its index (seconds): one line on
    stderr says so, the answer is unchanged on stdout, and the next command is silent."""
    target = tmp_path / "fresh" / "glossary.db"
    first = cli("lookup", "واشنطن", "--json", env={"GLOSSARY_DB": str(target)})
    assert first.returncode == 0
    assert first.stderr.count("\n") == 1 and "first use" in first.stderr and str(target) in first.stderr
    assert json.loads(first.stdout)[0]["english"] == "Washington D.C."
    again = cli("lookup", "واشنطن", "--json", env={"GLOSSARY_DB": str(target)})
    assert again.returncode == 0 and again.stderr == "" and again.stdout == first.stdout


def test_import_and_export_round_trip(cli, tmp_path: Path) -> None:
    src = tmp_path / "names.csv"
    src.write_text("english,arabic,kind,variants\nKim Jong Un,كيم جونغ أون,person,كيم جونج أون\n", encoding="utf-8")
    db = str(tmp_path / "x.db")
    imported = cli("--db", db, "import", str(src))
    assert imported.returncode == 0, imported.stderr
    assert "1 added" in imported.stdout
    out = tmp_path / "out.tsv"
    assert cli("--db", db, "export", str(out)).returncode == 0
    assert "كيم جونج أون" in out.read_text(encoding="utf-8")


def test_bad_input_is_one_line_exit_2_no_traceback(cli, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"english,arabic\nMoscow," + "موسكو".encode("cp1256") + b"\n")
    db = str(tmp_path / "y.db")
    result = cli("--db", db, "import", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0]
    assert f"{bad}:2: not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(cli("--db", db, "stats", "--json").stdout)["entities"] == 0
    missing = cli("--db", db, "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    usage = cli("lookup")
    assert usage.returncode == 2
    unknown = cli("--db", db, "show", "12345")
    assert unknown.returncode == 2 and "no entity with id 12345" in unknown.stderr


def test_lookup_several_spellings_in_one_run(cli) -> None:
    """A list of names is looked up against one index; each answer is labelled with its query."""
    result = cli("lookup", "بيونج يانج", "ديمتري بيسكوف", "--json")
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert [a["query"] for a in answers] == ["بيونج يانج", "ديمتري بيسكوف"]
    assert answers[0]["matches"][0]["english"] == "Pyongyang"
    assert answers[1]["matches"][0]["arabic"] == "دميتري بيسكوف"


def test_lookup_reads_a_list_from_standard_input(cli) -> None:
    """``-`` reads one spelling per line (blank lines skipped, a BOM allowed); a spelling that finds
    nothing is named on stderr and the exit code is 1, the others are still answered."""
    result = cli("lookup", "-", "--json", "--limit", "1", input="\ufeffسيرجي لافروف\n\nzzqxj\r\nكيم جونج أون\n")
    assert result.returncode == 1
    answers = {a["query"]: a["matches"] for a in json.loads(result.stdout)}
    assert list(answers) == ["سيرجي لافروف", "zzqxj", "كيم جونج أون"]
    assert answers["سيرجي لافروف"][0]["arabic"] == "سيرغي لافروف"
    assert answers["كيم جونج أون"][0]["arabic"] == "كيم جونغ أون"
    assert answers["zzqxj"] == []
    assert "no match for 'zzqxj'" in result.stderr


def test_lookup_names_the_line_of_bad_input(cli) -> None:
    result = cli("lookup", "-", input="بوتين\n".encode() + b"\xd9\x84\xff\n")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "glossary: error: <stdin>:2: not UTF-8 (byte 0xff at offset 13); "
        "convert it to UTF-8 first (for example: iconv -f CP1256 -t UTF-8)"
    )


def test_add_alone_setting(cli, tmp_path: Path) -> None:
    """``--alone never`` keeps a name that is also a common word (صور: Tyre, "pictures") from being
    found on its own; a setting other than always, never, stored or auto is a one-line usage error."""
    db = str(tmp_path / "alone.db")
    bad = cli("--db", db, "add", "Tyre", "صور", "--kind", "place", "--alone", "sometimes")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "glossary: error: unknown alone setting 'sometimes'; use always, never, stored or auto"
    assert bad.stdout == ""
    added = cli("--db", db, "add", "Tyre", "صور", "--kind", "place", "--alone", "never")
    assert added.returncode == 0, added.stderr
    shown = json.loads(cli("--db", db, "show", "1", "--json").stdout)
    assert {n["text"]: (n["alone"], n["curated"]) for n in shown["names"]} == {
        "صور": ("never", True), "Tyre": ("never", True),
    }
    variant = cli("--db", db, "add-variant", "1", "مدينة صور", "--alone", "auto")
    assert variant.returncode == 0, variant.stderr
    report = tmp_path / "r.json"
    text = "قصفت الطائرات صور ثم مدينة صور\n"
    r = cli("--db", db, "normalize", "-", "--report", str(report), input=text)
    assert (r.returncode, r.stdout) == (0, text), r.stderr
    mentions = [m for f in json.loads(report.read_text(encoding="utf-8"))["files"] for m in f["mentions"]]
    assert [(m["surface"], m["english"]) for m in mentions] == [("مدينة صور", "Tyre")]


def test_a_query_longer_than_any_name_is_refused_in_one_line(cli, tmp_path: Path) -> None:
    """Issue 18, fault 5: a megabyte query is refused at once, without echoing it, naming its stdin line."""
    from glossary import Glossary
    from glossary.errors import InputError
    from glossary.glossary import MAX_QUERY_CHARS

    g = Glossary.open(tmp_path / "g.db", defaults=True)
    with pytest.raises(InputError, match="query too long"):
        g.lookup("a" * 1_000_000)
    assert g.lookup("b" * MAX_QUERY_CHARS) == []  # at the limit: looked up (and not found)
    g.close()
    result = cli("lookup", "a" * 100_000)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and len(result.stderr) < 200
    result = cli("lookup", "-", input="بوتين\n" + "ب" * 500_000 + "\n")
    assert result.returncode == 2
    assert result.stderr.startswith("glossary: error: <stdin>:2: query too long")
