"""The persisted index: built once beside the store, opened by the next process, kept current.

Real stores (the bundled glossary), the real index file, and other processes
through the installed console script.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS

from glossary import Glossary
from glossary.indexing import IndexWarning
from glossary.store.index_file import IndexFile, LazyDict, LazySet, index_path

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def store(tmp_path: Path, bundled_db: Path) -> Path:
    """A copy of the bundled store whose index file has been built by a lookup."""
    path = tmp_path / "g.db"
    shutil.copyfile(bundled_db, path)
    with Glossary.open(path) as g:
        assert g.lookup("بيونج يانج")[0].english == "Pyongyang"
    assert index_path(path).exists()
    return path


def _top(g: Glossary, query: str) -> tuple[str, float] | None:
    hits = g.lookup(query)
    return (hits[0].english, hits[0].score) if hits else None


def test_the_index_file_answers_as_a_rebuilt_index(store: Path, bundled_db: Path, tmp_path: Path) -> None:
    queries = ["بيونج يانج", "سيرغي لافروف", "ديمتري بيسكوف", "لبوتين", "Lavrov", "كيم جونج اون", "موسكو"]
    text = (SEEDS / "000_3fdc54752f1556f2.txt").read_text(encoding="utf-8")
    fresh_path = tmp_path / "fresh.db"
    shutil.copyfile(bundled_db, fresh_path)
    with Glossary.open(store) as from_file, Glossary.open(fresh_path) as rebuilt:
        for q in queries:
            assert [(m.entity_id, m.score, m.reason) for m in from_file.lookup(q)] == [
                (m.entity_id, m.score, m.reason) for m in rebuilt.lookup(q)
            ], q
        assert from_file.normalize_text(text).text == rebuilt.normalize_text(text).text
        assert [(m.start, m.end, m.entity_id) for m in from_file.find_mentions(text)] == [
            (m.start, m.end, m.entity_id) for m in rebuilt.find_mentions(text)
        ]


def test_processes_share_one_index_file_and_do_not_rebuild_it(store: Path, cli: Run) -> None:
    idx = index_path(store)
    before = idx.stat()
    for _ in range(2):
        r = cli("--db", str(store), "lookup", "سيرجي لافروف")
        assert r.returncode == 0, r.stderr
        assert "Lavrov" in r.stdout
        assert r.stderr == ""
    after = idx.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert after.st_mode & 0o777 == store.stat().st_mode & 0o777


def test_a_write_by_another_process_is_seen_by_the_next_lookup(store: Path, cli: Run) -> None:
    idx = index_path(store)
    inode = idx.stat().st_ino
    with Glossary.open(store) as g:
        # (a name the bundled glossary does not hold)
        assert _top(g, "يرماك") != ("Andriy Yermak", 100.0)
        r = cli("--db", str(store), "add", "Andriy Yermak", "أندريه يرماك", "--kind", "person",
                "--variant", "يرماك")
        assert r.returncode == 0, r.stderr
        # this process sees the other's write at its next lookup, and in running text
        assert _top(g, "يرماك") == ("Andriy Yermak", 100.0)
        mentions = g.find_mentions("والتقى المسؤول يرماك بالوفد")
        assert [m.english for m in mentions] == ["Andriy Yermak"]
    # a third process finds it too; the file was brought up to date in place, not rebuilt
    r = cli("--db", str(store), "lookup", "أندري يرماك")
    assert r.returncode == 0, r.stderr
    assert "Andriy Yermak" in r.stdout
    assert idx.stat().st_ino == inode


def test_removing_and_editing_in_another_process_are_seen(store: Path, cli: Run) -> None:
    with Glossary.open(store) as g:
        eid = g.find_entity(english="Pyongyang")
        assert eid is not None
        variant = next(n for n in g.entity(eid).names if n.text == "بيونج يانج")
        assert cli("--db", str(store), "remove-name", str(variant.id)).returncode == 0
        assert _top(g, "بيونج يانج") != ("Pyongyang", 100.0)
        r = cli("--db", str(store), "edit", str(eid), "--english", "P'yŏngyang")
        assert r.returncode == 0, r.stderr
        assert g.lookup("بيونغ يانغ")[0].english == "P'yŏngyang"


def test_a_truncated_index_file_is_rebuilt_with_a_warning(store: Path) -> None:
    idx = index_path(store)
    with open(idx, "r+b") as fh:
        fh.truncate(idx.stat().st_size // 2)
    with Glossary.open(store) as g, pytest.warns(IndexWarning, match="truncated"):
        assert _top(g, "بيونج يانج") == ("Pyongyang", 100.0)
    with Glossary.open(store) as g:  # rebuilt: trusted again, no warning
        assert _top(g, "بيونج يانج") == ("Pyongyang", 100.0)


def test_an_index_grown_in_its_wal_by_an_open_process_is_not_truncated(store: Path, cli: Run) -> None:
    """A process that caught its index up after writes (a server adding names) keeps the new pages
    in the index file's WAL until it closes: another process opening the file then must read it,
    not take it for truncated and rebuild it (it did: every CLI lookup beside a busy server)."""
    idx = index_path(store)
    inode = idx.stat().st_ino
    with Glossary.open(store) as g:
        g.lookup("بيونج يانج")
        for i in range(300):
            g.add(f"Wal Test {i}", f"اختبار الملف {i}", kind="person")
        assert g.lookup("اختبار الملف 1")[0].english == "Wal Test 1"
        wal = idx.with_name(idx.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        r = cli("--db", str(store), "lookup", "اختبار الملف 7")
        assert r.returncode == 0, r.stderr
        assert "Wal Test 7" in r.stdout
        assert "truncated" not in r.stderr and "IndexWarning" not in r.stderr
    assert idx.stat().st_ino == inode


def test_a_corrupt_entry_is_detected_by_its_checksum_and_rebuilt(store: Path) -> None:
    idx = index_path(store)
    conn = sqlite3.connect(idx)
    # flip one byte of every stored name's record: whatever a lookup reads of them is corrupt
    rows = conn.execute("SELECT ns, k, v FROM kv WHERE ns = 'm.slots'").fetchall()
    conn.executemany(
        "UPDATE kv SET v = ? WHERE ns = ? AND k = ?",
        [(v[:-1] + bytes([v[-1] ^ 0x5A]), ns, k) for ns, k, v in rows],
    )
    conn.commit()
    conn.close()
    with Glossary.open(store) as g:
        with pytest.warns(IndexWarning, match="checksum"):
            assert _top(g, "بيونج يانج") == ("Pyongyang", 100.0)
        assert _top(g, "سيرغي لافروف") == ("Sergei Lavrov", 100.0)


def test_an_index_built_for_another_store_is_not_trusted(store: Path, tmp_path: Path, bundled_db: Path) -> None:
    other = tmp_path / "other.db"
    shutil.copyfile(bundled_db, other)
    with Glossary.open(other) as g:
        g.db.execute("UPDATE meta SET value = 'another' WHERE key = 'store_id'")
    shutil.copyfile(index_path(store), index_path(other))
    with Glossary.open(other) as g, pytest.warns(IndexWarning, match="store_id"):
        assert _top(g, "بيونج يانج") == ("Pyongyang", 100.0)


def test_a_store_whose_folder_cannot_be_written_works_in_memory(
    tmp_path: Path, bundled_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    path = folder / "g.db"
    shutil.copyfile(bundled_db, path)
    real_access = os.access
    # the folder refuses writes (as a read-only share does; the tests may run as root, who is never refused)
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == folder else real_access(p, mode, **kw))
    with Glossary.open(path) as g:
        assert _top(g, "بيونج يانج") == ("Pyongyang", 100.0)
        assert [m.english for m in g.find_mentions("وصل إلى بيونغيانغ")] == ["Pyongyang"]
    assert not index_path(path).exists()


def test_forked_workers_read_the_index_file_with_connections_of_their_own(
    store: Path, tmp_path: Path
) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    out1, out2 = tmp_path / "one", tmp_path / "two"
    with Glossary.open(store) as g:  # opened from the file: the recognizer reads it lazily
        g.normalize_files(files, out_dir=out1, workers=1)
    with Glossary.open(store) as g:
        report = g.normalize_files(files, out_dir=out2, workers=2)
    assert not report.errors
    for f in files:
        assert (out2 / f.name).read_bytes() == (out1 / f.name).read_bytes()


def test_a_table_asked_about_more_keys_than_it_holds_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "small.index"
    parts = [("d", {1: "a", 2: "b"}, None, None), ("s", {"x"}, None, None)]
    IndexFile.write(path, store_id="s", version=1, parts=parts)
    index = IndexFile.open(path, store_id="s")
    queries: list[str] = []
    index.conn.set_trace_callback(queries.append)
    d, s = LazyDict(index, "d"), LazySet(index, "s")
    assert d.get(1) == "a" and 3 not in d and d[2] == "b"  # the third key asked reads the two rows
    assert 4 not in d and d.get(5) is None and "x" in s and "y" not in s and "z" not in s
    assert len(queries) == 5  # as many keys looked up as each table holds, then the table read whole
    d.prefetch([6, 7, 1])
    d[3] = "c"
    d.pop(1)
    assert d.get(3) == "c" and 1 not in d and d[2] == "b" and len(queries) == 5
    index.close()
