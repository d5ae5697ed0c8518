"""The SQLite store: schema migrations, version guard, WAL, concurrent writers, atomic imports."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlite_utils
from conftest import old_store

from glossary import Glossary, InputError, StoreError
from glossary.store import connect, migrations


def test_new_store_has_schema_wal_and_foreign_keys(tmp_path: Path) -> None:
    g = Glossary.open(tmp_path / "g.db")
    assert {"entities", "names", "tm_units", "meta"} <= set(g.db.table_names())
    assert g.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert g.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert g.stats()["schema"] == [m.name for m in migrations._migrations]
    assert g.stats()["entities"] == 0  # an explicit path starts empty


def test_store_from_older_version_is_upgraded_and_keeps_data(tmp_path: Path) -> None:
    path = old_store(tmp_path / "old.db", stop_before="m002_translation_memory")
    assert "tm_units" not in sqlite_utils.Database(path).table_names()

    g = Glossary.open(path)
    assert "tm_units" in g.db.table_names()
    assert g.stats()["tm_units"] == 0
    assert g.lookup("موسكو")[0].english == "Moscow"


def test_spellings_stored_before_a_normalization_change_are_renormalized_on_open(tmp_path: Path) -> None:
    """A store written when ``ø`` was not folded holds ``nesbø`` as the normalized form: opened by
    this version, its names and entities are recomputed once, and a lookup of "Jo Nesbo" is exact."""
    g = Glossary.open(tmp_path / "g.db")
    eid = g.add("Jo Nesbø", "يو نسبو", kind="person")
    g.close()
    db = sqlite3.connect(tmp_path / "g.db")
    with db:  # as an older version left it
        db.execute("UPDATE names SET norm = 'jo nesbø' WHERE lang = 'en'")
        db.execute("UPDATE entities SET english_norm = 'jo nesbø'")
        db.execute("DELETE FROM meta WHERE key = 'names_norm_fingerprint'")
    db.close()
    g = Glossary.open(tmp_path / "g.db")
    assert g.db.execute("SELECT norm FROM names WHERE lang = 'en'").fetchone()[0] == "jo nesbo"
    assert g.db.execute("SELECT english_norm FROM entities").fetchone()[0] == "jo nesbo"
    got = g.lookup("Jo Nesbo")
    assert got[0].entity_id == eid and got[0].score == 100.0
    assert g.find_entity(english="JO NESBO") == eid
    g.close()


def test_store_of_m006_gets_alone_stored_and_keeps_rows_indexes_and_triggers(tmp_path: Path) -> None:
    """m007 rebuilds ``names`` with the wider check: rows, ids, indexes, triggers and the change log kept."""
    path = old_store(tmp_path / "m006.db", stop_before="m007_alone_stored")
    db = sqlite_utils.Database(path)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE names SET alone = 'stored'")
    schema = sorted(db.execute("SELECT type, name FROM sqlite_master WHERE tbl_name = 'names'").fetchall())
    log = db.execute("SELECT count(*) FROM index_log").fetchone()[0]
    db.close()

    g = Glossary.open(path)
    assert g.stats()["schema"][-1] == "m007_alone_stored"
    assert sorted(g.db.execute("SELECT type, name FROM sqlite_master WHERE tbl_name = 'names'").fetchall()) == schema
    assert g.db.execute("SELECT count(*) FROM index_log").fetchone()[0] == log  # the copy fired no trigger
    (moscow,) = g.lookup("موسكو")
    (name,) = [n for n in g.entity(moscow.entity_id).names if n.text == "موسكو"]
    assert name.id == 1
    g.set_alone(name.id, "stored")
    assert [n.alone for n in g.entity(moscow.entity_id).names] == ["stored"]
    g.add_variant(moscow.entity_id, "مسكو")  # the triggers are back: the index follows the new spelling
    assert g.lookup("مسكو")[0].english == "Moscow"
    assert g.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    g.close()


def test_store_from_newer_version_is_refused_with_clear_message(tmp_path: Path, cli) -> None:
    path = tmp_path / "new.db"
    Glossary.open(path).close()
    db = sqlite_utils.Database(path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "glossary", "name": "m999_from_the_future", "applied_at": "2030-01-01"}
    )
    db.close()
    with pytest.raises(StoreError, match="newer version of glossary"):
        Glossary.open(path)
    result = cli("--db", str(path), "stats")
    assert result.returncode == 2
    assert "newer version of glossary" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("this is not sqlite\n" * 100)
    with pytest.raises(StoreError, match="not a glossary store"):
        connect(text)
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["stuff"].insert({"a": 1})
    with pytest.raises(StoreError, match="not a glossary store"):
        Glossary.open(other)


def test_failing_import_rolls_back_everything(tmp_path: Path, empty: Glossary) -> None:
    empty.add("Moscow", "موسكو", kind="place")
    before = empty.stats()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "english,arabic,kind\n"
        "Sergei Lavrov,سيرغي لافروف,person\n"
        "Dmitry Peskov,دميتري بيسكوف,person\n"
        "Kremlin,Kremlin,organization\n",  # Latin in the arabic column
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        empty.import_file(bad)
    assert str(info.value).startswith(f"{bad}:4: ")
    assert empty.stats() == before
    assert empty.find_entity(english="Sergei Lavrov") is None
    assert empty.lookup("سيرغي لافروف") == []


WRITER = textwrap.dedent(
    """
    import sys
    from glossary import Glossary
    g = Glossary.open(sys.argv[1])
    for i in range(int(sys.argv[3])):
        g.add(f"{sys.argv[2]} {i}", "اسم " + str(i), kind="person", variants=["متغير " + str(i)])
    g.close()
    """
)


def test_two_processes_writing_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    Glossary.open(path).close()
    n = 150
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(n)], stderr=subprocess.PIPE, text=True)
        for name in ("alpha", "beta")
    ]
    for p in procs:
        _, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr
    g = Glossary.open(path)
    assert g.stats()["entities"] == 2 * n
    assert g.stats()["names"] == 2 * n * 3
    assert g.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_lookup_sees_writes_from_another_process(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    g = Glossary.open(path)
    g.add("Moscow", "موسكو", kind="place")
    assert g.lookup("سيرغي لافروف") == []  # builds the in-memory index
    other = Glossary.open(path)
    other.add("Sergei Lavrov", "سيرغي لافروف", kind="person")
    other.close()
    assert g.lookup("سيرغي لافروف")[0].english == "Sergei Lavrov"


def test_lookup_shows_a_canonical_spelling_changed_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    g = Glossary.open(path)
    eid = g.add("Dmitri Peskov", "ديمتري بيسكوف", kind="person")
    assert g.lookup("دميتري بيسكوف")[0].arabic == "ديمتري بيسكوف"  # shown once: kept for later lookups
    other = Glossary.open(path)
    other.update(eid, english="Dmitry Peskov", arabic="دميتري بيسكوف")
    other.close()
    again = g.lookup("دميتري بيسكوف")[0]
    assert (again.english, again.arabic) == ("Dmitry Peskov", "دميتري بيسكوف")


def test_deleting_an_entity_cascades_to_its_names(empty: Glossary) -> None:
    eid = empty.add("Pyongyang", "بيونغ يانغ", kind="place", variants=["بيونج يانج"])
    empty.delete(eid)
    assert empty.stats()["names"] == 0
    assert empty.lookup("بيونج يانج") == []


def test_sqlite_constraints_guard_roles_and_kinds(empty: Glossary) -> None:
    eid = empty.add("Moscow", "موسكو", kind="place")
    with pytest.raises(sqlite3.IntegrityError):
        empty.db.execute(
            "INSERT INTO names (entity_id, text, lang, role, norm) VALUES (?, 'x', 'en', 'nickname', 'x')",
            [eid],
        )


def test_refusing_a_sqlite_file_leaves_it_as_it_was(tmp_path: Path) -> None:
    """Issue 18, fault 8: a SQLite file that is no glossary store is refused without being switched to WAL."""
    other = tmp_path / "inventory.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO items (name) VALUES ('lamp')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a glossary store"):
        Glossary.open(other)
    assert other.read_bytes() == before  # the journal mode is in the header: WAL would change bytes 18-19
    assert not (tmp_path / "inventory.sqlite-wal").exists()
    conn = sqlite3.connect(other)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
