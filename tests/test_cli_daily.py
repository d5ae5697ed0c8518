"""The translator's daily loop through the installed console script (issue 18): list, edit,
delete, remove-name, tm show / tm remove, and ids a user mistypes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary import Glossary

TYPO = "إيمانويل ماكرن"
RIGHT = "إيمانويل ماكرون"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "daily.db")


def added_id(result) -> int:  # "added entity 3: ..."
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[2].rstrip(":"))


def show(cli, db: str, eid: int) -> dict:
    result = cli("--db", db, "show", str(eid), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_error_line(result, text: str) -> None:
    assert result.returncode == 2
    assert result.stderr == f"glossary: error: {text}\n"
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- edit: the Macron case
def test_a_typo_in_the_canonical_arabic_is_fixed_with_edit(cli, db: str) -> None:
    eid = added_id(cli("--db", db, "add", "Emmanuel Macron", TYPO, "--kind", "person"))
    # adding the right spelling again is refused: edit is the way
    again = cli("--db", db, "add", "Emmanuel Macron", RIGHT)
    assert again.returncode == 2 and "already exists" in again.stderr

    edited = cli("--db", db, "edit", str(eid), "--arabic", RIGHT)
    assert edited.returncode == 0, edited.stderr
    assert RIGHT in edited.stdout and "kept as a variant" in edited.stdout

    data = show(cli, db, eid)
    assert data["arabic"] == RIGHT
    roles = {n["text"]: n["role"] for n in data["names"]}
    assert roles[RIGHT] == "canonical" and roles[TYPO] == "variant"
    for spelling in (TYPO, RIGHT):
        found = cli("--db", db, "lookup", spelling, "--json")
        assert found.returncode == 0, found.stderr
        best = json.loads(found.stdout)[0]
        assert (best["entity_id"], best["arabic"], best["english"]) == (eid, RIGHT, "Emmanuel Macron")
        assert best["matched"] == spelling and best["score"] == 100


def test_edit_drop_old_removes_the_typo(cli, db: str) -> None:
    eid = added_id(cli("--db", db, "add", "Emmanuel Macron", TYPO, "--kind", "person"))
    edited = cli("--db", db, "edit", str(eid), "--arabic", RIGHT, "--drop-old")
    assert edited.returncode == 0, edited.stderr
    assert f"{TYPO}: removed" in edited.stdout
    data = show(cli, db, eid)
    assert data["arabic"] == RIGHT
    assert TYPO not in {n["text"] for n in data["names"]}
    # the typo is no stored spelling any more: at most a phonetic neighbour of the right one
    found = json.loads(cli("--db", db, "lookup", TYPO, "--json").stdout)
    assert all(m["matched"] != TYPO and m["score"] < 100 for m in found)
    assert json.loads(cli("--db", db, "list", "--text", "ماكرن", "--json").stdout) == []


def test_edit_english_kind_and_note(cli, db: str) -> None:
    eid = added_id(cli("--db", db, "add", "Emanuel Macron", RIGHT))
    edited = cli("--db", db, "edit", str(eid), "--english", "Emmanuel Macron", "--kind", "person",
                 "--note", "President of France")
    assert edited.returncode == 0, edited.stderr
    data = show(cli, db, eid)
    assert (data["english"], data["kind"], data["note"]) == ("Emmanuel Macron", "person", "President of France")
    assert {n["text"]: n["role"] for n in data["names"]}["Emanuel Macron"] == "variant"


def test_edit_with_nothing_to_change_or_a_bad_kind(cli, db: str) -> None:
    eid = added_id(cli("--db", db, "add", "Paris", "باريس", "--kind", "place"))
    one_error_line(cli("--db", db, "edit", str(eid)), "nothing to change: give --english, --arabic, --kind or --note")
    bad = cli("--db", db, "edit", str(eid), "--kind", "city")
    assert bad.returncode == 2 and "unknown kind 'city'" in bad.stderr
    assert show(cli, db, eid)["kind"] == "place"


# ---------------------------------------------------------------- list
@pytest.fixture
def listed(cli, db: str) -> dict[str, int]:
    """Five entities; Putin holds a suggested spelling."""
    rows = [
        ("Moscow", "موسكو", "place", "موسكوفا"),
        ("Vladimir Putin", "فلاديمير بوتين", "person", "بوتن"),
        ("Kremlin", "الكرملين", "organization", ""),
        ("Pyongyang", "بيونغ يانغ", "place", "بيونج يانج"),
        ("Sergei Lavrov", "سيرغي لافروف", "person", "Sergey Lavrov"),
    ]
    ids = {}
    for english, arabic, kind, variant in rows:
        args = ["--db", db, "add", english, arabic, "--kind", kind] + (["--variant", variant] if variant else [])
        ids[english] = added_id(cli(*args))
    with Glossary.open(db) as g:
        g.add_variant(ids["Vladimir Putin"], "بوطين", status="suggested")
    return ids


def listed_ids(cli, db: str, *args: str) -> list[int]:
    result = cli("--db", db, "list", *args, "--json")
    assert result.returncode in (0, 1), result.stderr
    return [e["id"] for e in json.loads(result.stdout)]


def test_list_filters_by_kind_status_and_text(cli, db: str, listed: dict[str, int]) -> None:
    assert listed_ids(cli, db) == sorted(listed.values())
    assert listed_ids(cli, db, "--kind", "place") == [listed["Moscow"], listed["Pyongyang"]]
    assert listed_ids(cli, db, "--status", "suggested") == [listed["Vladimir Putin"]]
    assert listed["Vladimir Putin"] not in listed_ids(cli, db, "--status", "approved")
    assert len(listed_ids(cli, db, "--status", "approved")) == 4
    # text: contained in any spelling, normalized, either script
    assert listed_ids(cli, db, "--text", "PUTIN") == [listed["Vladimir Putin"]]
    assert listed_ids(cli, db, "--text", "sergey") == [listed["Sergei Lavrov"]]  # a variant
    assert listed_ids(cli, db, "--text", "كرملين") == [listed["Kremlin"]]
    assert listed_ids(cli, db, "--text", "بيونج") == [listed["Pyongyang"]]  # a variant
    assert listed_ids(cli, db, "--text", "بيونغ") == [listed["Pyongyang"]]
    assert listed_ids(cli, db, "--text", "إمانويل") == []
    assert listed_ids(cli, db, "--kind", "person", "--text", "موسكو") == []
    assert listed_ids(cli, db, "--kind", "place", "--text", "موسكو") == [listed["Moscow"]]


def test_list_json_and_table(cli, db: str, listed: dict[str, int]) -> None:
    data = json.loads(cli("--db", db, "list", "--text", "putin", "--json").stdout)
    assert len(data) == 1
    assert data[0]["english"] == "Vladimir Putin" and data[0]["arabic"] == "فلاديمير بوتين"
    assert {n["text"]: n["status"] for n in data[0]["names"]}["بوطين"] == "suggested"
    table = cli("--db", db, "list", "--kind", "place")
    assert table.returncode == 0, table.stderr
    assert "Moscow" in table.stdout and "بيونغ يانغ" in table.stdout and "Putin" not in table.stdout


def test_list_pages(cli, db: str, listed: dict[str, int]) -> None:
    every = sorted(listed.values())
    pages = [listed_ids(cli, db, "--limit", "2", "--offset", str(o)) for o in (0, 2, 4)]
    assert pages == [every[:2], every[2:4], every[4:]]
    full = cli("--db", db, "list", "--limit", "2")
    assert "--offset 2" in full.stderr  # says how to get the next page
    past = cli("--db", db, "list", "--offset", "5", "--json")
    assert past.returncode == 1 and json.loads(past.stdout) == []
    assert cli("--db", db, "list", "--offset", "5").stderr == "glossary: no entities after the first 5\n"
    assert cli("--db", db, "list", "--limit", "0").returncode == 2


def test_list_refuses_bad_filters(cli, db: str, listed: dict[str, int]) -> None:
    one_error_line(cli("--db", db, "list", "--status", "pending"),
                   "unknown status 'pending'; use one of approved, suggested")
    one_error_line(cli("--db", db, "list", "--kind", "city"),
                   "unknown kind 'city'; use one of person, place, organization, other")
    one_error_line(cli("--db", db, "list", "--text", "..."), "text '...' has no letters")


def test_list_entities_in_the_library(tmp_path: Path) -> None:
    with Glossary.open(tmp_path / "lib.db") as g:
        ids = [g.add(f"Place {i}", f"مكان {i}", kind="place") for i in range(1, 8)]
        assert [e.id for e in g.list_entities(limit=3, offset=3)] == ids[3:6]
        assert [e.english for e in g.list_entities(text="place 7")] == ["Place 7"]
        assert g.list_entities(kind="person") == []
        assert g.list_entities(text="مكان 2")[0].names  # names come with each entity


# ---------------------------------------------------------------- delete, remove-name
def test_delete_with_yes(cli, db: str) -> None:
    eid = added_id(cli("--db", db, "add", "Paris", "باريس", "--kind", "place"))
    deleted = cli("--db", db, "delete", str(eid), "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert "deleted entity" in deleted.stdout and "Paris" in deleted.stdout
    one_error_line(cli("--db", db, "show", str(eid)), f"no entity with id {eid}")
    assert cli("--db", db, "lookup", "باريس").returncode == 1


def test_delete_without_yes_off_a_terminal_is_refused(cli, db: str) -> None:
    eid = added_id(cli("--db", db, "add", "Paris", "باريس", "--kind", "place"))
    refused = cli("--db", db, "delete", str(eid), input="y\n")  # a pipe, not a terminal
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "--yes" in refused.stderr and "Paris" in refused.stderr
    assert show(cli, db, eid)["english"] == "Paris"
    one_error_line(cli("--db", db, "delete", "99999", "--yes"), "no entity with id 99999")


def test_remove_name(cli, db: str) -> None:
    eid = added_id(cli("--db", db, "add", "Pyongyang", "بيونغ يانغ", "--variant", "بيونج يانج"))
    names = {n["text"]: n["id"] for n in show(cli, db, eid)["names"]}
    removed = cli("--db", db, "remove-name", str(names["بيونج يانج"]))
    assert removed.returncode == 0, removed.stderr
    assert "بيونج يانج" not in {n["text"] for n in show(cli, db, eid)["names"]}
    canonical = cli("--db", db, "remove-name", str(names["بيونغ يانغ"]))
    assert canonical.returncode == 2 and "canonical" in canonical.stderr
    one_error_line(cli("--db", db, "remove-name", "99999"), "no name with id 99999")


# ---------------------------------------------------------------- tm show, tm remove
def test_tm_show_and_remove(cli, db: str) -> None:
    added = cli("--db", db, "tm", "add", "وصل بوتين إلى بيونغ يانغ", "Putin arrived in Pyongyang",
                "--note", "seed", "--origin", "test")
    assert added.returncode == 0, added.stderr
    uid = int(added.stdout.split()[1])
    shown = cli("--db", db, "tm", "show", str(uid), "--json")
    assert shown.returncode == 0, shown.stderr
    unit = json.loads(shown.stdout)
    assert (unit["id"], unit["target"]) == (uid, "Putin arrived in Pyongyang")
    assert unit["source"] == "وصل بوتين إلى بيونغ يانغ"
    assert (unit["source_lang"], unit["target_lang"], unit["note"], unit["origin"]) == ("ar", "en", "seed", "test")
    text = cli("--db", db, "tm", "show", str(uid))
    assert "Putin arrived in Pyongyang" in text.stdout and "seed" in text.stdout
    removed = cli("--db", db, "tm", "remove", str(uid))
    assert removed.returncode == 0 and f"removed unit {uid}" in removed.stdout
    one_error_line(cli("--db", db, "tm", "show", str(uid)), f"no translation unit with id {uid}")
    one_error_line(cli("--db", db, "tm", "remove", str(uid)), f"no translation unit with id {uid}")
    assert json.loads(cli("--db", db, "tm", "stats", "--json").stdout)["units"] == 0


# ---------------------------------------------------------------- ids a user mistypes
@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["show", "abc"], "ID"),
        (["edit", "abc", "--arabic", "باريس"], "ID"),
        (["delete", "abc", "--yes"], "ID"),
        (["add-variant", "abc", "Paree"], "ID"),
        (["remove-name", "abc"], "NAME_ID"),
        (["tm", "show", "abc"], "UNIT_ID"),
        (["tm", "remove", "abc"], "UNIT_ID"),
        (["review", "--approve", "abc"], "--approve"),
        (["review", "--reject", "abc"], "--reject"),
    ],
)
def test_a_mistyped_id_is_one_line_naming_the_argument(cli, db: str, args: list[str], label: str) -> None:
    result = cli("--db", db, *args)
    one_error_line(result, f"{label} must be a whole number, not 'abc'")
    assert "Input should be" not in result.stderr


def test_an_id_that_is_no_number_in_another_way(cli, db: str) -> None:
    one_error_line(cli("--db", db, "show", "1.5"), "ID must be a whole number, not '1.5'")
    one_error_line(cli("--db", db, "edit", "3x", "--note", "n"), "ID must be a whole number, not '3x'")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "99999"], "no entity with id 99999"),
        (["edit", "99999", "--arabic", "باريس"], "no entity with id 99999"),
        (["add-variant", "99999", "Paree"], "no entity with id 99999"),
        (["tm", "show", "99999"], "no translation unit with id 99999"),
    ],
)
def test_an_unknown_id_is_one_line(cli, db: str, args: list[str], message: str) -> None:
    one_error_line(cli("--db", db, *args), message)


def test_help_names_the_id_argument(cli) -> None:
    for args in (["show"], ["edit"], ["delete"], ["remove-name"], ["tm", "show"]):
        result = cli(*args, "--help")
        assert result.returncode == 0, result.stderr
        assert "ID" in result.stdout and "entity_id" not in result.stdout and "unit_id" not in result.stdout


# ---------------------------------------------------------------- merge: two entities found to be one
def test_merge_moves_every_spelling_and_deletes_the_other(cli, db: str) -> None:
    keep = added_id(cli("--db", db, "add", "Pyongyang", "بيونغ يانغ", "--kind", "place", "--note", "capital",
                        "--frequency", "30"))
    other = added_id(cli("--db", db, "add", "Pyong Yang", "بيونج يانج", "--variant", "بيونغ يانغ",
                         "--alias", "PY", "--note", "seen in AFP copy", "--frequency", "12"))
    assert cli("--db", db, "tm", "add", "وصل بوتين إلى بيونج يانج", "Putin arrived in Pyongyang").returncode == 0
    refused = cli("--db", db, "merge", str(keep), str(other), input="y\n")  # a pipe, not a terminal
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--yes" in refused.stderr
    assert show(cli, db, other)["english"] == "Pyong Yang"

    merged = cli("--db", db, "merge", str(keep), str(other), "--yes")
    assert merged.returncode == 0, merged.stderr
    assert "3 spellings moved, 1 already there" in merged.stdout and f"entity {other} deleted" in merged.stdout
    data = show(cli, db, keep)
    assert (data["english"], data["arabic"], data["kind"]) == ("Pyongyang", "بيونغ يانغ", "place")
    roles = {n["text"]: n["role"] for n in data["names"]}
    assert roles == {"Pyongyang": "canonical", "بيونغ يانغ": "canonical", "Pyong Yang": "variant",
                     "بيونج يانج": "variant", "PY": "alias"}
    assert data["frequency"] == 42 and data["note"] == "capital; seen in AFP copy"
    one_error_line(cli("--db", db, "show", str(other)), f"no entity with id {other}")
    for spelling in ("بيونج يانج", "Pyong Yang"):
        best = json.loads(cli("--db", db, "lookup", spelling, "--json").stdout)[0]
        assert (best["entity_id"], best["score"]) == (keep, 100)
    units = json.loads(cli("--db", db, "tm", "stats", "--json").stdout)["units"]
    assert units == 1  # the TM is not touched


def test_merge_refuses_bad_ids(cli, db: str) -> None:
    eid = added_id(cli("--db", db, "add", "Paris", "باريس"))
    one_error_line(cli("--db", db, "merge", str(eid), str(eid), "--yes"), f"cannot merge entity {eid} with itself")
    one_error_line(cli("--db", db, "merge", str(eid), "99999", "--yes"), "no entity with id 99999")
    one_error_line(cli("--db", db, "merge", "abc", str(eid)), "KEEP_ID must be a whole number, not 'abc'")
    assert show(cli, db, eid)["english"] == "Paris"


def test_merge_in_the_library(tmp_path: Path) -> None:
    with Glossary.open(tmp_path / "m.db") as g:
        a = g.add("Kim Jong Un", "كيم جونغ أون", kind="person")
        b = g.add("Kim Jong-eun", "كيم جونج أون", kind="person", note="same man")
        merged = g.merge(a, b)
        assert merged.id == a and merged.frequency is None and merged.note == "same man"
        assert sorted(merged.spellings("ar")) == ["كيم جونج أون", "كيم جونغ أون"]
        assert merged.spellings(role="canonical") == ["كيم جونغ أون", "Kim Jong Un"]
        assert g.lookup("كيم جونج أون")[0].entity_id == a
        assert [e.id for e in g.entities()] == [a]


# ---------------------------------------------------------------- --quiet / --verbose on long commands
def noisy_csv(tmp_path: Path) -> Path:
    """Seven repeats of one row (merged, each a warning) and six rows with Latin in the Arabic column."""
    rows = ["english,arabic,kind"] + ["Moscow,موسكو,place"] * 8 + [f"Kremlin{i},Kremlin,place" for i in range(6)]
    f = tmp_path / "noisy.csv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return f


def test_import_warnings_are_summarized_by_kind(cli, tmp_path: Path) -> None:
    f = noisy_csv(tmp_path)
    default = cli("--db", str(tmp_path / "a.db"), "import", str(f), "--skip-bad-rows")
    assert default.returncode == 0, default.stderr
    lines = default.stderr.splitlines()
    assert len(lines) == 8  # the first three of each kind and a count
    assert lines[0] == f"glossary: warning: {f}:3: duplicate of line 2 (same English and Arabic); merged"
    assert lines[3] == ("glossary: warning: … and 4 more like these (7 in all): duplicate of line N "
                        "(same English and Arabic); merged (--verbose shows each)")
    assert lines[4] == f"glossary: warning: skipped {f}:10: no Arabic letters in the arabic column: 'Kremlin'"
    assert lines[7].startswith("glossary: warning: … and 3 more like these (6 in all): skipped: no Arabic letters")

    quiet = cli("--db", str(tmp_path / "b.db"), "import", str(f), "--skip-bad-rows", "--quiet")
    assert quiet.stderr.splitlines() == [
        "glossary: 7 warnings: duplicate of line N (same English and Arabic); merged (--verbose shows each)",
        "glossary: 6 warnings: skipped: no Arabic letters in the arabic column: '…' (--verbose shows each)",
    ]
    verbose = cli("--db", str(tmp_path / "c.db"), "import", str(f), "--skip-bad-rows", "--verbose")
    assert len(verbose.stderr.splitlines()) == 13
    for result in (default, quiet, verbose):  # the same import whatever is shown
        assert "1 added, 0 updated, 0 skipped, 7 merged into earlier rows, 6 bad rows skipped" in result.stdout
    both = cli("--db", str(tmp_path / "d.db"), "import", str(f), "-q", "-v")
    one_error_line(both, "--quiet and --verbose exclude each other")


def test_normalize_errors_are_summarized_and_tm_import_takes_verbose(cli, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(6):
        (folder / f"bad{i}.txt").write_bytes("موسكو".encode() + b"\xff\n")
    (folder / "good.txt").write_text("وصل بوتين إلى موسكو\n", encoding="utf-8")
    db = str(tmp_path / "n.db")
    assert cli("--db", db, "add", "Moscow", "موسكو").returncode == 0
    result = cli("--db", db, "normalize", str(folder), "--out-dir", str(tmp_path / "out"))
    assert result.returncode == 2
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("glossary: error")]
    assert len(errors) == 4 and "… and 3 more like these (6 in all)" in errors[3]
    quiet = cli("--db", db, "normalize", str(folder), "--out-dir", str(tmp_path / "out2"), "--quiet")
    assert quiet.returncode == 2
    assert [ln for ln in quiet.stderr.splitlines() if "6 errors" in ln]
    verbose = cli("--db", db, "normalize", str(folder), "--out-dir", str(tmp_path / "out3"), "--verbose")
    assert len([ln for ln in verbose.stderr.splitlines() if ln.startswith("glossary: error")]) == 6
    assert "--verbose" in cli("tm", "import", "--help").stdout


# ---------------------------------------------------------------- help and errors in the user's words
HELP_PAGES = [[], ["lookup"], ["init"], ["add"], ["add-variant"], ["import"], ["export"], ["stats"], ["show"],
              ["list"], ["edit"], ["delete"], ["remove-name"], ["merge"], ["normalize"], ["review"], ["tm"],
              ["tm", "add"], ["tm", "import"], ["tm", "export"], ["tm", "search"], ["tm", "concordance"],
              ["tm", "stats"], ["tm", "show"], ["tm", "remove"]]


def test_help_names_arguments_and_values_not_python_types(cli) -> None:
    pages = {" ".join(args): cli(*args, "--help") for args in HELP_PAGES}
    for name, page in pages.items():
        assert page.returncode == 0, (name, page.stderr)
        for python in ("{", "<list[", "<int", "<float", "<str>", "<file>", "<path>", "<dir>"):
            assert python not in page.stdout.replace("{surface}", "").replace("{english}", "").replace(
                "{arabic}", ""), (name, python)
    assert "Usage: glossary lookup [OPTIONS] QUERY..." in pages["lookup"].stdout
    assert "-n, --limit N" in pages["lookup"].stdout and "--min-score SCORE" in pages["lookup"].stdout
    assert "Usage: glossary merge [OPTIONS] KEEP_ID OTHER_ID" in pages["merge"].stdout
    assert "Usage: glossary init [OPTIONS] [PATH]" in pages["init"].stdout
    assert "--db FILE" in pages[""].stdout
    assert "--on-duplicate skip|update|keep" in pages["tm import"].stdout
    assert "Usage: glossary normalize [OPTIONS] PATH..." in pages["normalize"].stdout


def test_a_tmx_given_to_export_or_import_points_at_tm(cli, db: str, tmp_path: Path) -> None:
    added_id(cli("--db", db, "add", "Paris", "باريس"))
    tmx = tmp_path / "g.tmx"
    for command in ("export", "import"):
        one_error_line(
            cli("--db", db, command, str(tmx)),
            f"{tmx}: .tmx is a translation-memory file, not a glossary: use `glossary tm export` or "
            "`glossary tm import` (TranslationMemory.export_tmx, import_tmx)",
        )
    assert not tmx.exists()


def test_a_db_in_a_folder_that_does_not_exist_is_an_error(cli, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "g.db"
    message = f"{missing}: no such folder {str(missing.parent)!r}; a new store is only created in a folder that exists"
    one_error_line(cli("--db", str(missing), "lookup", "Paris"), message)
    one_error_line(cli("--db", str(missing), "add", "Paris", "باريس"), message)
    one_error_line(cli("init", str(missing)), message)
    assert not (tmp_path / "no").exists()
    # the default store's folder is still made on first use
    default = tmp_path / "fresh" / "data" / "glossary.db"
    found = cli("lookup", "موسكو", env={"GLOSSARY_DB": str(default)})
    assert found.returncode == 0, found.stderr
    assert default.exists()


# ---------------------------------------------------------------- concordance: inflected and cliticized forms
def test_concordance_finds_cliticized_forms(cli, db: str) -> None:
    units = {
        "استؤنفت المحادثات في جنيف": "The talks resumed in Geneva",
        "رحب الوزير بالمحادثات مع الوفد": "The minister welcomed the talks with the delegation",
        "ستبدأ محادثات جديدة غدا": "New talks will start tomorrow",
        "انتهت محادثاتهم دون اتفاق": "Their talks ended without agreement",
        "وللمحادثات جولة ثانية": "And the talks have a second round",
        "نشرت المحادثة كاملة": "The conversation was published in full",  # another word: not a form of محادثات
        "محادثاتية": "not a word: a longer word is no form of it",
    }
    for source, target in units.items():
        assert cli("--db", db, "tm", "add", source, target).returncode == 0
    found = cli("--db", db, "tm", "concordance", "محادثات", "--json")
    assert found.returncode == 0, found.stderr
    sources = {h["source"] for h in json.loads(found.stdout)}
    assert sources == set(list(units)[:5])
    # the definite form asked for finds the others with its article, and the bare word
    definite = {h["source"] for h in json.loads(cli("--db", db, "tm", "concordance", "المحادثات", "--json").stdout)}
    assert definite == set(list(units)[:5])
    # a phrase: each word in any of its forms, the words in a row
    phrase = {h["source"] for h in json.loads(cli("--db", db, "tm", "concordance", "محادثات جديدة", "--json").stdout)}
    assert phrase == {"ستبدأ محادثات جديدة غدا"}
    assert cli("--db", db, "tm", "concordance", "محادثاتنا").returncode == 1
