"""``glossary normalize``, ``glossary mentions`` and ``glossary review`` through the installed console script."""

from __future__ import annotations

import codecs
import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import SEED_ENTITIES, SEEDS

LINES = "\r\n".join(
    [
        "قال سيرجي لافروف (Sergei Lavrov) في 2024:",
        "زيارة بيونج يانج، ولبيونج يانج… “تشوي سون-هوي” — 12٫5%",
        "Latin text, digits ١٢٣ and punctuation !?",
        "",
    ]
)
EXPECTED = LINES.replace("سيرجي لافروف", "سيرغي لافروف").replace("بيونج يانج", "بيونغ يانغ")


def test_seed_articles_entity_by_entity(cli, tmp_path: Path) -> None:
    out = tmp_path / "OUT"
    report = tmp_path / "r.json"
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    result = cli("normalize", str(seeds), "--out-dir", str(out), "--report", str(report))
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    by_file = {Path(f["path"]).name: f for f in data["files"]}
    assert set(by_file) == set(SEED_ENTITIES)
    for name, expected in SEED_ENTITIES.items():
        entry = by_file[name]
        assert entry["status"] == "changed" and entry["error"] is None
        found = {m["english"] for m in entry["mentions"]}
        for entity in sorted(expected):
            assert entity in found, f"{name}: {entity} not recognized"
        assert found == expected
        for m in entry["mentions"]:
            assert set(m) >= {"start", "end", "surface", "prefix", "entity_id", "english", "arabic",
                              "score", "reason", "replaced"}
    assert data["summary"]["files"] == 2 and data["summary"]["errors"] == 0
    assert data["summary"]["mentions"] == sum(len(f["mentions"]) for f in data["files"])
    assert data["summary"]["by_entity"]["Pyongyang"] == 4
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    for house, other in [
        ("بيونغ يانغ", "بيونج يانج"),
        ("سيرغي لافروف", "سيرجي لافروف"),
        ("دميتري بيسكوف", "ديمتري بيسكوف"),
        ("كيم جونغ أون", "كيم جونج أون"),
    ]:
        for name, text in texts.items():
            assert house in text, f"{name}: {house}"
            assert other not in text, f"{name}: {other}"
    # the originals are untouched, and normalizing the output again changes nothing
    assert (seeds / "000_3fdc54752f1556f2.txt").read_bytes() == (SEEDS / "000_3fdc54752f1556f2.txt").read_bytes()
    again = cli("normalize", str(out), "--out-dir", str(tmp_path / "OUT2"))
    assert again.returncode == 0, again.stderr
    for p in out.iterdir():
        assert (tmp_path / "OUT2" / p.name).read_bytes() == p.read_bytes()


def test_byte_exact_outside_names_crlf_and_bom(cli, tmp_path: Path) -> None:
    src = tmp_path / "in" / "a.txt"
    src.parent.mkdir()
    src.write_bytes(codecs.BOM_UTF8 + LINES.encode("utf-8"))
    result = cli("normalize", str(src.parent), "--out-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "a.txt").read_bytes() == codecs.BOM_UTF8 + EXPECTED.encode("utf-8")


def test_stdin_to_stdout(cli) -> None:
    result = cli("normalize", "-", input="زيارة بيونج يانج\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "زيارة بيونغ يانغ\n"


def test_mentions_of_a_seed_article_are_the_names_normalize_reports(cli, tmp_path: Path) -> None:
    """`glossary mentions FILE --json`: offsets into the file's text, the same mentions as the
    normalize report of the file, and the file left as it was."""
    seed = tmp_path / "seed.txt"
    shutil.copyfile(sorted(SEEDS.glob("*.txt"))[1], seed)
    before = seed.read_bytes()
    text = before.decode("utf-8")
    result = cli("mentions", str(seed), "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert {m["english"] for m in found} >= {"Vladimir Putin", "Kim Jong Un", "Pyongyang", "Sergei Lavrov"}
    assert all(text[m["start"] : m["end"]] == m["surface"] for m in found)
    report = tmp_path / "r.json"
    assert cli("normalize", str(seed), "--dry-run", "--report", str(report)).returncode == 0
    reported = json.loads(report.read_text(encoding="utf-8"))["files"][0]["mentions"]
    key = ("start", "end", "entity_id", "score", "reason")
    assert [[m[k] for k in key] for m in found] == [[m[k] for k in key] for m in reported]
    assert seed.read_bytes() == before
    table = cli("mentions", str(seed))
    assert table.returncode == 0 and "بيونغ يانغ" in table.stdout and "Pyongyang" in table.stdout


def test_mentions_of_standard_input_and_of_text_with_no_name(cli) -> None:
    result = cli("mentions", "-", "--json", input="والتقى الوزير لبيونغيانغ صباحا\n")
    assert result.returncode == 0, result.stderr
    (m,) = json.loads(result.stdout)
    assert (m["prefix"], m["surface"], m["english"]) == ("ل", "بيونغيانغ", "Pyongyang")
    none = cli("mentions", "-", input="ذهب إلى السوق وقال إن الأمر انتهى أو كاد\n")
    assert none.returncode == 1
    assert none.stdout == ""
    assert "no mention in standard input" in none.stderr


def test_mentions_reports_a_file_that_is_not_utf8_before_printing_anything(cli, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("زيارة بيونج يانج\n", encoding="utf-8")
    bad = tmp_path / "cp1256.txt"
    bad.write_bytes("سطر\n".encode() + "بيونج".encode("cp1256"))
    result = cli("mentions", str(good), str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert f"{bad}:2: not UTF-8" in line


def test_bad_files_are_reported_and_skipped(cli, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_bytes("زيارة بيونج يانج".encode())
    (d / "cp1256.txt").write_bytes("سطر\n".encode() + "بيونج".encode("cp1256"))
    # Arabic in UTF-16 has no NUL byte: only its byte-order mark tells; rewriting it as UTF-8 would
    # change every byte of the file
    (d / "utf16.txt").write_bytes("زيارة بيونج يانج".encode("utf-16"))
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    originals = {p.name: p.read_bytes() for p in d.iterdir()}
    report = tmp_path / "r.json"
    result = cli("normalize", str(d), str(tmp_path / "missing.txt"), "--in-place", "--report", str(report))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{d / 'cp1256.txt'}:2: not UTF-8" in result.stderr
    assert f"{d / 'binary.txt'}: binary file" in result.stderr
    assert f"{d / 'utf16.txt'}: UTF-16 text" in result.stderr
    assert f"{tmp_path / 'missing.txt'}: no such file" in result.stderr
    status = {Path(f["path"]).name: (f["status"], f["error"]) for f in json.loads(report.read_text())["files"]}
    assert status["good.txt"] == ("changed", None)
    assert status["empty.txt"] == ("unchanged", None)
    assert status["cp1256.txt"][0] == status["binary.txt"][0] == status["missing.txt"][0] == "error"
    assert status["utf16.txt"][0] == "error"
    assert (d / "good.txt").read_text(encoding="utf-8") == "زيارة بيونغ يانغ"
    for name in ("cp1256.txt", "utf16.txt", "empty.txt", "binary.txt"):
        assert (d / name).read_bytes() == originals[name]  # nothing overwritten
    assert sorted(p.name for p in d.iterdir()) == sorted(originals)  # no temp files left


def test_huge_single_line_file(cli, tmp_path: Path) -> None:
    chunk = "كلام عادي بلا أسماء كثيرة وزيارة بيونج يانج ثم عودة. "
    text = chunk * (50_000_000 // len(chunk.encode()) + 1)
    assert "\n" not in text and len(text.encode()) >= 50_000_000
    src = tmp_path / "huge.txt"
    src.write_text(text, encoding="utf-8")
    result = cli("normalize", str(src), "--in-place")
    assert result.returncode == 0, result.stderr
    assert src.read_text(encoding="utf-8") == text.replace("بيونج يانج", "بيونغ يانغ")


def test_in_place_with_backup(cli, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(LINES.encode())
    same = tmp_path / "b.txt"
    same.write_bytes("لا أسماء هنا".encode())
    result = cli("normalize", str(src), str(same), "--in-place", "--backup", ".orig")
    assert result.returncode == 0, result.stderr
    assert src.read_bytes() == EXPECTED.encode()
    assert (tmp_path / "a.txt.orig").read_bytes() == LINES.encode()
    assert not (tmp_path / "b.txt.orig").exists()  # unchanged files are not rewritten
    assert sorted(p.name for p in tmp_path.glob("*.txt*")) == ["a.txt", "a.txt.orig", "b.txt"]


def test_dry_run_prints_a_diff_and_writes_nothing(cli, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes("سطر أول\nزيارة بيونج يانج\n".encode())
    result = cli("--db", str(tmp_path / "g.db"), "init", "--defaults")
    assert result.returncode == 0
    result = cli("--db", str(tmp_path / "g.db"), "normalize", str(src), "--dry-run", "--suggest")
    assert result.returncode == 0, result.stderr
    assert f"--- a/{src}" in result.stdout and f"+++ b/{src}" in result.stdout
    assert "-زيارة بيونج يانج" in result.stdout and "+زيارة بيونغ يانغ" in result.stdout
    assert src.read_bytes() == "سطر أول\nزيارة بيونج يانج\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".txt") == ["a.txt"]


def test_jobs_2_gives_the_same_output(cli, tmp_path: Path) -> None:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    for i in range(8):
        (d / ("sub" if i % 2 else ".") / f"{i}.txt").write_text(f"{i} زيارة بيونج يانج وسيرجي لافروف", encoding="utf-8")
    (d / "skip.md").write_text("بيونج يانج", encoding="utf-8")
    one = cli("normalize", str(d), "--out-dir", str(tmp_path / "one"), "--report", str(tmp_path / "one.json"))
    two = cli("normalize", str(d), "--out-dir", str(tmp_path / "two"), "--jobs", "2",
              "--report", str(tmp_path / "two.json"))
    assert one.returncode == two.returncode == 0, two.stderr
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert len(files) == 8 and Path("sub/1.txt") in files
    for f in files:
        assert (tmp_path / "two" / f).read_bytes() == (tmp_path / "one" / f).read_bytes()
        assert "بيونغ يانغ" in (tmp_path / "two" / f).read_text(encoding="utf-8")
    assert json.loads((tmp_path / "one.json").read_text()) == json.loads((tmp_path / "two.json").read_text())


def test_annotate_and_csv_report(cli, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("زار بيونج يانج ثم بيونغ يانغ", encoding="utf-8")
    result = cli("normalize", "--annotate", str(src), "--report", str(tmp_path / "r.csv"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "زار بيونج يانج (Pyongyang) ثم بيونغ يانغ"
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert [(r["surface"], r["english"]) for r in rows] == [("بيونج يانج", "Pyongyang"), ("بيونغ يانغ", "Pyongyang")]
    assert rows[0]["path"] == str(src)
    result = cli("normalize", str(src), "--annotate", "{arabic} [{english}]")
    assert result.stdout == "زار بيونغ يانغ [Pyongyang] ثم بيونغ يانغ"


def test_suggest_then_review(cli, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("وصل إلى بيونجيانج وإلى موسكوو", encoding="utf-8")
    result = cli("normalize", str(src), "--suggest", "--min-score", "100")
    assert result.returncode == 0, result.stderr
    assert result.stdout == src.read_text(encoding="utf-8")  # below --min-score: not rewritten
    assert "2 suggested spellings recorded" in result.stderr
    listed = json.loads(cli("review", "--json").stdout)
    found = {(r["english"], r["spelling"]): str(r["id"]) for r in listed}
    assert set(found) == {("Pyongyang", "بيونجيانج"), ("Moscow", "موسكوو")}
    nid = found[("Pyongyang", "بيونجيانج")]
    assert cli("review", "--approve", nid, "--reject", found[("Moscow", "موسكوو")]).returncode == 0
    assert json.loads(cli("review", "--json").stdout) == []
    shown = json.loads(cli("lookup", "بيونجيانج", "--json").stdout)
    assert shown[0]["english"] == "Pyongyang" and shown[0]["score"] == 100
    cli("normalize", str(tmp_path / "a.txt"), "--suggest")
    bad = cli("review", "--reject", "999999")
    assert bad.returncode == 2 and bad.stderr.startswith("glossary: error: 999999:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out-dir", "x", "--in-place"], "exclude each other"),
        (["--backup", ".bak"], "--backup needs --in-place"),
        (["--report", "r.txt"], "must be a .json or .csv"),
    ],
)
def test_usage_errors(cli, tmp_path: Path, args: list[str], message: str) -> None:
    src = tmp_path / "a.txt"
    src.write_text("بيونج يانج", encoding="utf-8")
    result = cli("normalize", str(src), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert src.read_text(encoding="utf-8") == "بيونج يانج"


@pytest.mark.parametrize("fmt", ["{english.__class__.__mro__}", "{english:>99999999999}", "{english!r}",
                                 "{surface[0]}", "{__init__}", "{english"])
def test_annotation_formats_are_only_the_documented_fields(cli, tmp_path: Path, fmt: str) -> None:
    """Issue 18, fault 7: a format reaching attributes or asking for a huge width is refused in one line."""
    from glossary import Glossary

    src = tmp_path / "a.txt"
    src.write_text("وصل لافروف إلى بيونج يانج", encoding="utf-8")
    result = cli("normalize", str(src), "--annotate", fmt)
    assert result.returncode == 2
    assert result.stderr.startswith("glossary: error: --annotate: bad format") and result.stderr.count("\n") == 1
    assert "<class" not in result.stdout + result.stderr
    g = Glossary.open(tmp_path / "lib.db", defaults=True)
    with pytest.raises(ValueError, match="bad format"):
        g.normalize_text("وصل لافروف", annotate=fmt)
    assert g.normalize_text("وصل لافروف", annotate="{surface} [{english}]").text == "وصل لافروف [Sergei Lavrov]"
    g.close()


def test_outputs_backups_reports_and_exports_get_sensible_modes(cli, tmp_path: Path) -> None:
    """Issue 18, fault 10: files were created 0600 (mkstemp); an output or backup now has its
    original's mode, a new report or export a new file's (0666 less the umask)."""
    import os
    import stat

    mask = os.umask(0o022)
    os.umask(mask)
    new_file = 0o666 & ~mask
    src = tmp_path / "a.txt"
    shutil.copy(SEEDS / sorted(SEED_ENTITIES)[0], src)
    os.chmod(src, 0o640)
    out = tmp_path / "out"
    assert cli("normalize", str(src), "--out-dir", str(out), "--report", str(tmp_path / "r.json")).returncode == 0
    assert stat.S_IMODE((out / "a.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == new_file
    assert cli("normalize", str(src), "--in-place", "--backup", ".orig").returncode == 0
    assert stat.S_IMODE(src.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "a.txt.orig").stat().st_mode) == 0o640
    assert cli("export", str(tmp_path / "g.csv")).returncode == 0
    assert stat.S_IMODE((tmp_path / "g.csv").stat().st_mode) == new_file


def test_in_place_through_a_symbolic_link_writes_the_file_it_names(cli, tmp_path: Path) -> None:
    """Issue 18, fault 9: --in-place on a symlink replaced the link with a regular file."""
    real = tmp_path / "archive" / "a.txt"
    real.parent.mkdir()
    real.write_text("وصل لبيونج يانج\n", encoding="utf-8")
    link = tmp_path / "a.txt"
    link.symlink_to(real)
    result = cli("normalize", str(link), "--in-place")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8") == "وصل لبيونغ يانغ\n"


def test_a_killed_runs_temp_files_are_removed_by_the_next(cli, tmp_path: Path) -> None:
    """Issue 18, fault 11: kill -9 during --in-place left hidden .tmp files; the next run removes its own
    stale ones (and leaves a fresh one, which a running writer may still own, and other files)."""
    import os
    import time

    src = tmp_path / "a.txt"
    src.write_text("وصل لبيونج يانج\n", encoding="utf-8")
    stale = tmp_path / ".a.txt.k1ll3d9x.tmp"  # what atomic_writer's mkstemp names look like
    stale.write_text("half a file", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".a.txt.wr1t1ng0.tmp"
    fresh.write_text("being written", encoding="utf-8")
    other = tmp_path / ".a.txt.notes.tmp"
    other.write_text("someone else's", encoding="utf-8")
    os.utime(other, (old, old))
    assert cli("normalize", str(src), "--in-place").returncode == 0
    assert src.read_text(encoding="utf-8") == "وصل لبيونغ يانغ\n"
    assert not stale.exists() and fresh.exists() and other.exists()
