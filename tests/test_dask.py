"""Batch normalization on Dask: ``Glossary.normalize_files(client=...)`` and ``glossary normalize --dask``.

Every test runs on one real ``LocalCluster`` of two worker processes (module-scoped: starting
it costs seconds), over the seed articles and copies of them, against a real store file.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS, old_store
from distributed import Client, LocalCluster

from glossary import Glossary, InputError, NormalizeReport, StoreError
from glossary.batch import MANIFEST
from glossary.indexing import IndexWarning
from glossary.store.index_file import index_path

HOUSE = [("بيونغ يانغ", "بيونج يانج"), ("سيرغي لافروف", "سيرجي لافروف"), ("كيم جونغ أون", "كيم جونج أون")]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster, set_as_default=False) as c:
        yield c


@pytest.fixture
def g(tmp_path: Path, bundled_db: Path) -> Iterator[Glossary]:
    target = tmp_path / "store" / "g.db"
    target.parent.mkdir()
    shutil.copyfile(bundled_db, target)
    glossary = Glossary.open(target)
    yield glossary
    glossary.close()


def make_corpus(root: Path) -> Path:
    """The two seed articles, a folder of copies (one with a BOM and CRLF) and one file that is not UTF-8."""
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    copies = corpus / "copies"
    for i in range(3):
        for seed in sorted(SEEDS.glob("*.txt")):
            (copies / f"c{i}").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(seed, copies / f"c{i}" / seed.name)
    crlf = copies / "c0" / "000_3fdc54752f1556f2.txt"
    crlf.write_bytes(codecs.BOM_UTF8 + crlf.read_bytes().replace(b"\n", b"\r\n"))
    (copies / "zz_cp1256.txt").write_bytes("سطر\n".encode() + "بيونج يانج".encode("cp1256"))
    return corpus


def files_under(root: Path) -> dict[str, bytes]:
    """Every file written under ``root``, but the resume manifest."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def comparable(report: NormalizeReport, out: Path) -> list[dict[str, object]]:
    """Each file's result with what only says where or how it ran left out."""
    rows = []
    for f in report.files:
        row = dataclasses.asdict(f)
        row.pop("skipped")
        row.pop("fingerprint")
        row["output_path"] = os.path.relpath(f.output_path, out) if f.output_path else None
        rows.append(row)
    return rows


def test_dask_run_gives_the_local_run_files_and_report(
    g: Glossary, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path)
    # relative paths: the workers run in another folder, they resolve them against the client's
    monkeypatch.chdir(tmp_path)
    local = g.normalize_files(["corpus"], out_dir="local")
    calls: list[tuple[int, int]] = []
    remote = g.normalize_files(
        ["corpus"], out_dir="dask", client=client, progress=lambda done, total: calls.append((done, total))
    )
    out_local, out_dask = files_under(tmp_path / "local"), files_under(tmp_path / "dask")
    assert len(out_local) == 8 and out_dask == out_local
    assert set(out_dask) == {p.relative_to(tmp_path / "corpus").as_posix() for p in (tmp_path / "corpus").rglob("*.txt")
                             if p.name != "zz_cp1256.txt"}
    for name, data in out_dask.items():
        text = data.decode("utf-8-sig")
        for house, other in HOUSE:
            assert house in text and other not in text, (name, house)
    assert out_dask["copies/c0/000_3fdc54752f1556f2.txt"].startswith(codecs.BOM_UTF8)
    assert b"\r\n" in out_dask["copies/c0/000_3fdc54752f1556f2.txt"]
    # the same report, file for file, in input order, the bad file's error included
    assert remote.as_dict() == local.as_dict()
    assert comparable(remote, tmp_path / "dask") == comparable(local, tmp_path / "local")
    assert [f.path for f in remote.files][:2] == ["corpus/000_3fdc54752f1556f2.txt", "corpus/001_79e6c7b0760524b1.txt"]
    (bad,) = remote.errors
    assert bad.message is not None and bad.message.startswith("corpus/copies/zz_cp1256.txt:2: not UTF-8")
    assert remote.summary == local.summary and remote.summary["mentions"] > 100
    remote.write(tmp_path / "dask.json")
    local.write(tmp_path / "local.json")
    assert (tmp_path / "dask.json").read_bytes() == (tmp_path / "local.json").read_bytes()
    assert calls[0] == (0, 9) and calls[-1] == (9, 9) and len(calls) == 10
    # the originals are untouched
    seed = "000_3fdc54752f1556f2.txt"
    assert files_under(tmp_path / "corpus")[seed] == (SEEDS / seed).read_bytes()


def test_a_rerun_skips_complete_outputs_and_redoes_the_others(g: Glossary, client: Client, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    out = tmp_path / "out"
    first = g.normalize_files([corpus], out_dir=out, client=client)
    assert not any(f.skipped for f in first.files)
    manifest = out / MANIFEST
    assert len(manifest.read_text(encoding="utf-8").splitlines()) == 8  # the bad file is not recorded
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.txt")}

    again = g.normalize_files([corpus], out_dir=out, client=client)
    assert [f.skipped for f in again.files] == [f.status != "error" for f in first.files]
    assert again.as_dict() == first.as_dict()
    assert comparable(again, out) == comparable(first, out)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.txt")} == stamps  # nothing rewritten

    # an edited input, a tampered output, a deleted output, a touched input, a torn manifest line
    edited = corpus / "copies" / "c1" / "001_79e6c7b0760524b1.txt"
    edited.write_bytes(edited.read_bytes() + "\nوزار سيرجي لافروف بيونج يانج.\n".encode())
    (out / "copies" / "c2" / "000_3fdc54752f1556f2.txt").write_bytes(b"half a file")
    (out / "000_3fdc54752f1556f2.txt").unlink()
    touched = corpus / "copies" / "c2" / "001_79e6c7b0760524b1.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    with manifest.open("a", encoding="utf-8") as f:
        f.write('{"dest": "torn')
    third = g.normalize_files([corpus], out_dir=out, client=client)
    redone = sorted(os.path.relpath(f.path, corpus) for f in third.files if not f.skipped)
    assert redone == [
        "000_3fdc54752f1556f2.txt", "copies/c1/001_79e6c7b0760524b1.txt", "copies/c2/000_3fdc54752f1556f2.txt",
        "copies/c2/001_79e6c7b0760524b1.txt", "copies/zz_cp1256.txt",
    ]
    fresh = g.normalize_files([corpus], out_dir=tmp_path / "fresh")
    assert files_under(out) == files_under(tmp_path / "fresh")
    assert "سيرغي لافروف بيونغ يانغ" in (out / "copies" / "c1" / "001_79e6c7b0760524b1.txt").read_text(encoding="utf-8")
    assert third.as_dict() == fresh.as_dict()
    assert len(manifest.read_text(encoding="utf-8").splitlines()) == 8  # rewritten whole at the end

    # other options change the text: nothing an earlier run wrote counts as complete
    annotated = g.normalize_files([corpus], out_dir=out, client=client, annotate=True)
    assert not any(f.skipped for f in annotated.files)
    assert files_under(out) == files_under(g_run(g, corpus, tmp_path / "annotated", annotate=True))
    # a run that wants mentions does not take entries recorded without them
    g.normalize_files([corpus], out_dir=out, client=client, keep_mentions=False)
    assert not any(f.skipped for f in g.normalize_files([corpus], out_dir=out, client=client).files)


def g_run(g: Glossary, corpus: Path, out: Path, extra: list[Path] | None = None, **kwargs: object) -> Path:
    """A local run's output folder."""
    g.normalize_files([corpus, *(extra or [])], out_dir=out, **kwargs)  # type: ignore[arg-type]
    return out


def worker_stores(store: str) -> dict[str, object]:
    """Run on each worker: is ``store`` open, is its recognizer the one seen last time, what does a write do."""
    import sqlite3

    from glossary import batch

    g = batch._DASK_STORES.get(store)
    if g is None:
        return {"open": False}
    recognizer = g.recognizer  # built by the run: asking again builds nothing (the store has not changed)
    seen = getattr(recognizer, "_seen_by_test", False)
    recognizer._seen_by_test = True  # type: ignore[attr-defined]
    try:
        g.db.execute("INSERT INTO meta(key, value) VALUES ('probe', 1)")
        write = "written"
    except sqlite3.OperationalError as exc:
        write = str(exc)
    return {"open": True, "seen before": seen, "write": write}


def test_each_worker_opens_the_store_read_only_once(g: Glossary, client: Client, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    store = os.path.abspath(g.path)
    g.normalize_files([corpus], out_dir=tmp_path / "one", client=client)
    first = client.run(worker_stores, store)
    assert len(first) == 2 and all(w["open"] for w in first.values()), first  # both workers took files
    assert not any(w["seen before"] for w in first.values())
    assert {w["write"] for w in first.values()} == {"attempt to write a readonly database"}
    g.normalize_files([corpus], out_dir=tmp_path / "two", client=client, resume=False)
    # the same recognizer object in each process: nothing rebuilt, nothing sent over the network
    assert all(w["seen before"] for w in client.run(worker_stores, store).values())
    # a write to the store (from the client) is seen by the workers' open stores
    g.add("Grigory Yavlinsky", "غريغوري يافلينسكي", kind="person")
    spb = tmp_path / "spb.txt"
    spb.write_text("زار جريجوري يافلينسكي", encoding="utf-8")
    g.normalize_files([corpus, spb], out_dir=tmp_path / "three", client=client)
    assert (tmp_path / "three" / "spb.txt").read_text(encoding="utf-8") == "زار غريغوري يافلينسكي"
    assert files_under(tmp_path / "three") == files_under(g_run(g, corpus, tmp_path / "local", extra=[spb]))


def test_workers_leave_the_index_file_alone(g: Glossary, client: Client, tmp_path: Path) -> None:
    """The client brings the index file up to date; the workers open it and never write it."""
    corpus = make_corpus(tmp_path)
    index = index_path(g.path)
    index.unlink(missing_ok=True)
    g.add("Grigory Yavlinsky", "غريغوري يافلينسكي", kind="person")  # a change the index must follow
    (corpus / "spb.txt").write_text("زار جريجوري يافلينسكي", encoding="utf-8")
    first = g.normalize_files([corpus], out_dir=tmp_path / "one", client=client)
    assert index.exists()  # written by the client, before the workers started
    before = (index.stat().st_mtime_ns, index.read_bytes())
    again = g.normalize_files([corpus], out_dir=tmp_path / "two", client=client)
    assert (index.stat().st_mtime_ns, index.read_bytes()) == before
    assert again.as_dict() == first.as_dict()
    assert (tmp_path / "two" / "spb.txt").read_text(encoding="utf-8") == "زار غريغوري يافلينسكي"


def test_resume_in_a_local_run(g: Glossary, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    out = tmp_path / "out"
    plain = g.normalize_files([corpus], out_dir=tmp_path / "plain")
    assert not (tmp_path / "plain" / MANIFEST).exists()  # off by default without a client
    first = g.normalize_files([corpus], out_dir=out, resume=True, workers=2)
    second = g.normalize_files([corpus], out_dir=out, resume=True)
    assert sum(f.skipped for f in second.files) == 8
    assert first.as_dict() == second.as_dict() == plain.as_dict()
    assert files_under(out) == files_under(tmp_path / "plain")
    # a changed store: the outputs may differ, so nothing is skipped
    g.add("Grigory Yavlinsky", "غريغوري يافلينسكي", kind="person")
    assert not any(f.skipped for f in g.normalize_files([corpus], out_dir=out, resume=True).files)
    with pytest.raises(ValueError, match="resume needs out_dir"):
        g.normalize_files([corpus], resume=True)
    with pytest.raises(ValueError, match="resume needs out_dir"):
        g.normalize_files([corpus], out_dir=out, dry_run=True, resume=True)
    # a file of the manifest's name is never collected from a folder, and never written over it
    named = tmp_path / "odd" / MANIFEST
    named.parent.mkdir()
    named.write_text("بيونج يانج", encoding="utf-8")
    assert g.normalize_files([named.parent], out_dir=tmp_path / "o2", glob="*").files == []
    with pytest.raises(InputError, match="would overwrite the resume manifest"):
        g.normalize_files([named], out_dir=tmp_path / "o2", resume=True)
    assert not (tmp_path / "o2").exists()


def test_a_worker_reading_another_store_is_refused(g: Glossary, client: Client, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    other = Glossary.open(tmp_path / "other.db")  # empty: no names
    other.close()
    # the client holds g's names, but tells the workers to read other.db
    pretender = Glossary(g.db, str(tmp_path / "other.db"))
    with pytest.raises(StoreError, match="other names than the client's"):
        pretender.normalize_files([corpus], out_dir=tmp_path / "out", client=client)
    assert not (tmp_path / "out").exists() or files_under(tmp_path / "out") == {}


def test_options_refused_with_a_client(g: Glossary, client: Client, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workers and client exclude each other"):
        g.normalize_files([tmp_path], out_dir=tmp_path / "o", client=client, workers=2)
    with pytest.raises(ValueError, match="standard input cannot be sent"):
        g.normalize_files(["-"], client=client)
    with Glossary.open(":memory:") as mem, pytest.raises(ValueError, match="in-memory store"):
        mem.normalize_files([tmp_path], out_dir=tmp_path / "o", client=client)


def test_read_only_store(g: Glossary, tmp_path: Path) -> None:
    path = Path(g.path)
    before = path.read_bytes()
    with Glossary.open(path, read_only=True) as ro:
        assert ro.lookup("بيونج يانج")[0].english == "Pyongyang"
        assert ro.normalize_text("زيارة بيونج يانج").text == "زيارة بيونغ يانغ"
        with pytest.raises(StoreError, match="opened read-only; nothing was changed"):
            ro.add("Grigory Yavlinsky", "غريغوري يافلينسكي")
    assert path.read_bytes() == before
    with pytest.raises(StoreError, match="no such glossary store"):
        Glossary.open(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()
    # its index file is read when current, never written or removed
    index = index_path(path)
    index.unlink(missing_ok=True)
    with Glossary.open(path, read_only=True) as ro:
        assert ro.normalize_text("زيارة بيونج يانج").text == "زيارة بيونغ يانغ"
    assert not index.exists()
    index.write_bytes(b"not an index")
    with Glossary.open(path, read_only=True) as ro, pytest.warns(IndexWarning):
        assert ro.normalize_text("زيارة بيونج يانج").text == "زيارة بيونغ يانغ"
    assert index.read_bytes() == b"not an index"
    # migrating is a write: an older store is refused, and left as it was
    old = old_store(tmp_path / "old.db", stop_before="m005_name_evidence")
    data = old.read_bytes()
    with pytest.raises(StoreError, match="needs an upgrade; open it once with write access"):
        Glossary.open(old, read_only=True)
    assert old.read_bytes() == data


# ---------------------------------------------------------------- the command line


def test_cli_dask_against_a_scheduler_address(cli, g: Glossary, cluster: LocalCluster, tmp_path: Path) -> None:
    make_corpus(tmp_path)
    db = g.path
    local = cli("--db", db, "normalize", "corpus", "--out-dir", "local", "--report", "local.json", cwd=tmp_path)
    assert local.returncode == 2, local.stderr  # the cp1256 file
    address = cluster.scheduler_address
    remote = cli(
        "--db", db, "normalize", "corpus", "--out-dir", "dask", "--report", "dask.json", "--dask", address,
        cwd=tmp_path,
    )
    assert remote.returncode == 2, remote.stderr
    assert "glossary: error: corpus/copies/zz_cp1256.txt:2: not UTF-8" in remote.stderr
    assert "9 files, 8 changed, 1 error," in remote.stderr and "skipped" not in remote.stderr
    written = files_under(tmp_path / "dask")
    assert written == files_under(tmp_path / "local") and len(written) == 8
    assert (tmp_path / "dask.json").read_bytes() == (tmp_path / "local.json").read_bytes()
    assert json.loads((tmp_path / "dask.json").read_text(encoding="utf-8"))["summary"]["files"] == 9
    # a rerun skips what is complete, and says so
    again = cli("--db", db, "normalize", "corpus", "--out-dir", "dask", "--report", "again.json", "--dask", address,
                cwd=tmp_path)
    assert again.returncode == 2 and "8 already complete (skipped)" in again.stderr, again.stderr
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "local.json").read_bytes()
    # --no-resume redoes everything
    redo = cli("--db", db, "normalize", "corpus", "--out-dir", "dask", "--dask", address, "--no-resume", cwd=tmp_path)
    assert redo.returncode == 2 and "skipped" not in redo.stderr, redo.stderr


def test_cli_bad_scheduler_address_is_one_line(cli, g: Glossary, tmp_path: Path) -> None:
    make_corpus(tmp_path)
    result = cli(
        "--db", g.path, "normalize", "corpus", "--out-dir", "out", "--dask", "tcp://127.0.0.1:1",
        cwd=tmp_path, env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("glossary: error: --dask tcp://127.0.0.1:1: cannot reach the Dask scheduler (")
    assert not (tmp_path / "out").exists()


def test_cli_dask_not_installed(cli, g: Glossary, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    for name in ("dask", "distributed"):
        (blocked / name).mkdir(parents=True)
        (blocked / name / "__init__.py").write_text(f"raise ImportError('no module named {name}')\n")
    make_corpus(tmp_path)
    env = {"PYTHONPATH": os.pathsep.join(p for p in (str(blocked), os.environ.get("PYTHONPATH")) if p)}
    result = cli(
        "--db", g.path, "normalize", "corpus", "--out-dir", "out", "--dask", "tcp://127.0.0.1:8786",
        cwd=tmp_path, env=env,
    )
    assert result.returncode == 2
    assert result.stderr == "glossary: error: --dask: Dask is not installed: pip install 'glossary[dask]'\n"
    # without --dask, Dask is never imported
    plain = cli("--db", g.path, "normalize", "corpus/000_3fdc54752f1556f2.txt", cwd=tmp_path, env=env)
    assert plain.returncode == 0, plain.stderr
    assert "بيونغ يانغ" in plain.stdout


def test_cli_options_refused_with_dask(cli, g: Glossary, tmp_path: Path) -> None:
    make_corpus(tmp_path)
    jobs = cli("--db", g.path, "normalize", "corpus", "-o", "out", "--dask", "tcp://127.0.0.1:1", "-j", "2",
               cwd=tmp_path)
    assert jobs.returncode == 2 and "--jobs and --dask exclude each other" in jobs.stderr
    stdin = cli("--db", g.path, "normalize", "-", "--dask", "tcp://127.0.0.1:1", input="بيونج يانج", cwd=tmp_path)
    assert stdin.returncode == 2 and "standard input cannot be sent to Dask workers" in stdin.stderr
    resume = cli("--db", g.path, "normalize", "corpus", "--resume", cwd=tmp_path)
    assert resume.returncode == 2 and "--resume needs --out-dir" in resume.stderr
