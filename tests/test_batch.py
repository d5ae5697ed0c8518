"""Batch normalization through the library alone: :meth:`Glossary.normalize_files` (:mod:`glossary.batch`)."""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import pytest
from conftest import SEED_ENTITIES, SEEDS

from glossary import FileResult, Glossary, InputError, NormalizeReport

HOUSE = [
    ("بيونغ يانغ", "بيونج يانج"),
    ("سيرغي لافروف", "سيرجي لافروف"),
    ("دميتري بيسكوف", "ديمتري بيسكوف"),
    ("كيم جونغ أون", "كيم جونج أون"),
]
LINES = "\r\n".join(["قال سيرجي لافروف (Sergei Lavrov) في 2024:", "زيارة بيونج يانج، 12٫5%", ""])
EXPECTED = LINES.replace("سيرجي لافروف", "سيرغي لافروف").replace("بيونج يانج", "بيونغ يانغ")


@pytest.fixture
def g(default_copy: Glossary) -> Glossary:
    """A default store (a copy of the one first use makes: the bundled glossary and its index)."""
    return default_copy


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_seed_articles_through_the_library(g: Glossary, seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = g.normalize_files([seeds], out_dir=out)
    assert isinstance(report, NormalizeReport) and all(isinstance(f, FileResult) for f in report.files)
    assert sorted(Path(f.path).name for f in report.files) == sorted(SEED_ENTITIES)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert set(texts) == set(SEED_ENTITIES)  # a folder given alone: its files directly under out_dir
    for house, other in HOUSE:
        for name, text in texts.items():
            assert house in text and other not in text, (name, house)
    for f in report.files:
        assert f.status == "changed" and f.error is None
        assert f.output_path == str(out / Path(f.path).name)
        assert {m["english"] for m in f.mentions} == SEED_ENTITIES[Path(f.path).name]
        assert f.mention_count == len(f.mentions) and 0 < f.replaced <= f.mention_count
        assert f.replaced == sum(m["replaced"] for m in f.mentions)
    summary = report.summary
    assert (summary["files"], summary["changed"], summary["errors"]) == (2, 2, 0)
    assert summary["mentions"] == sum(len(f.mentions) for f in report.files)
    assert summary["by_entity"]["Pyongyang"] == 4
    assert sum(summary["by_entity"].values()) == summary["mentions"]
    # the JSON report is the CLI's
    path = tmp_path / "r.json"
    report.write(path)
    assert json.loads(path.read_text(encoding="utf-8")) == report.as_dict()
    assert list(report.as_dict()["files"][0]) == ["path", "status", "error", "mentions"]
    # originals untouched; normalizing the output again changes nothing
    assert files_under(seeds) == files_under(SEEDS)
    again = g.normalize_files([out], out_dir=tmp_path / "again")
    assert [f.status for f in again.files] == ["unchanged", "unchanged"]
    assert files_under(tmp_path / "again") == files_under(out)


def test_in_place_with_backup_keeps_the_original_bytes(g: Glossary, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(LINES.encode())
    same = tmp_path / "b.txt"
    same.write_bytes("لا أسماء هنا".encode())
    report = g.normalize_files([src, same], in_place=True, backup=".orig")
    assert [(Path(f.path).name, f.status) for f in report.files] == [("a.txt", "changed"), ("b.txt", "unchanged")]
    assert src.read_bytes() == EXPECTED.encode()
    assert (tmp_path / "a.txt.orig").read_bytes() == LINES.encode()
    assert not (tmp_path / "b.txt.orig").exists()
    assert report.files[0].output_path == str(src) and report.files[1].output_path is None


def test_bad_file_is_an_error_entry_naming_the_line(g: Glossary, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_good.txt").write_bytes("زيارة بيونج يانج".encode())
    (d / "b_cp1256.txt").write_bytes("سطر\nسطر\n".encode() + "بيونج".encode("cp1256"))
    (d / "c_good.txt").write_bytes("سيرجي لافروف".encode())
    (d / "d_utf16.txt").write_bytes("بيونج يانج".encode("utf-16"))
    bad = (d / "b_cp1256.txt").read_bytes()
    report = g.normalize_files([d], in_place=True)
    status = {Path(f.path).name: f for f in report.files}
    assert [f.status for f in report.files] == ["changed", "error", "changed", "error"]
    entry = status["b_cp1256.txt"]
    assert entry.error is not None and entry.error.startswith("line 3: not UTF-8")
    assert entry.message is not None and entry.message.startswith(f"{d / 'b_cp1256.txt'}:3: not UTF-8")
    assert status["d_utf16.txt"].error is not None and status["d_utf16.txt"].error.startswith("UTF-16 text")
    assert (d / "b_cp1256.txt").read_bytes() == bad
    assert (d / "a_good.txt").read_text(encoding="utf-8") == "زيارة بيونغ يانغ"
    assert (d / "c_good.txt").read_text(encoding="utf-8") == "سيرغي لافروف"
    assert report.summary["errors"] == 2 and [f.path for f in report.errors] == [entry.path, str(d / "d_utf16.txt")]


def test_bom_and_crlf_preserved_byte_for_byte(g: Glossary, tmp_path: Path) -> None:
    src = tmp_path / "in" / "a.txt"
    src.parent.mkdir()
    src.write_bytes(codecs.BOM_UTF8 + LINES.encode("utf-8"))
    g.normalize_files([src.parent], out_dir=tmp_path / "out")
    assert (tmp_path / "out" / "a.txt").read_bytes() == codecs.BOM_UTF8 + EXPECTED.encode("utf-8")
    # without out_dir or in_place, the bytes come back in the result
    (result,) = g.normalize_files([src]).files
    assert result.output == codecs.BOM_UTF8 + EXPECTED.encode("utf-8") and result.output_path is None


def test_dry_run_writes_nothing(g: Glossary, tmp_path: Path) -> None:
    src = tmp_path / "in" / "a.txt"
    src.parent.mkdir()
    src.write_bytes("سطر أول\nزيارة بيونج يانج\n".encode())
    before = files_under(src.parent)
    for kwargs in ({"in_place": True, "backup": ".orig"}, {"out_dir": tmp_path / "out"}, {}):
        report = g.normalize_files([src.parent], dry_run=True, suggest=True, **kwargs)  # type: ignore[arg-type]
        (entry,) = report.files
        assert entry.status == "changed" and entry.output_path is None and entry.output is None
        assert entry.diff is not None and "-زيارة بيونج يانج" in entry.diff and "+زيارة بيونغ يانغ" in entry.diff
        assert report.suggested == []
        assert files_under(src.parent) == before
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("g.db")) == ["in"]
    assert g.suggestions() == []


def test_two_workers_give_the_same_report(g: Glossary, tmp_path: Path) -> None:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    for i in range(8):
        (d / ("sub" if i % 2 else ".") / f"{i}.txt").write_text(f"{i} زيارة بيونج يانج وسيرجي لافروف", encoding="utf-8")
    (d / "bad.txt").write_bytes(b"\xff")
    one = g.normalize_files([d], out_dir=tmp_path / "one", workers=1)
    calls: list[tuple[int, int]] = []
    two = g.normalize_files(
        [d], out_dir=tmp_path / "two", workers=2, progress=lambda done, total: calls.append((done, total))
    )
    assert one.as_dict() == two.as_dict()
    assert one.summary == two.summary and one.summary["files"] == 9 and one.summary["errors"] == 1
    assert files_under(tmp_path / "one") == files_under(tmp_path / "two")
    assert "sub/1.txt" in files_under(tmp_path / "two")
    assert calls[0] == (0, 9) and calls[-1] == (9, 9)


def test_options_that_exclude_each_other(g: Glossary, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exclude each other"):
        g.normalize_files([tmp_path], out_dir=tmp_path / "o", in_place=True)
    with pytest.raises(ValueError, match="backup needs in_place"):
        g.normalize_files([tmp_path], backup=".bak")
    with pytest.raises(ValueError, match="bad format"):
        g.normalize_files([tmp_path], annotate="{nope}")


# ---------------------------------------------------------------- issue 18, fault 1


def same_name_inputs(tmp_path: Path) -> tuple[Path, Path]:
    """``mkdir d1 d2; cp seeds/000_*.txt d1/a.txt; cp seeds/001_*.txt d2/a.txt``."""
    a1, a2 = tmp_path / "d1" / "a.txt", tmp_path / "d2" / "a.txt"
    for target, seed in ((a1, "000_3fdc54752f1556f2.txt"), (a2, "001_79e6c7b0760524b1.txt")):
        target.parent.mkdir()
        shutil.copyfile(SEEDS / seed, target)
    return a1, a2


def check_two_outputs(out: Path, a1: Path, a2: Path, g: Glossary) -> None:
    assert sorted(files_under(out)) == ["d1/a.txt", "d2/a.txt"]
    for name, src in (("d1/a.txt", a1), ("d2/a.txt", a2)):
        expected = g.normalize_text(src.read_text(encoding="utf-8")).text
        assert (out / name).read_text(encoding="utf-8") == expected


def test_same_file_name_from_two_folders_keeps_both_library(g: Glossary, tmp_path: Path) -> None:
    a1, a2 = same_name_inputs(tmp_path)
    out = tmp_path / "oc"
    report = g.normalize_files([a1, a2], out_dir=out)
    assert [f.output_path for f in report.files] == [str(out / "d1" / "a.txt"), str(out / "d2" / "a.txt")]
    check_two_outputs(out, a1, a2, g)
    # two folders keep their names too; a file given twice is normalized once
    both = g.normalize_files([tmp_path / "d1", tmp_path / "d2", a1], out_dir=tmp_path / "both")
    assert len(both.files) == 2
    check_two_outputs(tmp_path / "both", a1, a2, g)


def test_same_file_name_from_two_folders_keeps_both_cli(cli, g: Glossary, tmp_path: Path) -> None:
    a1, a2 = same_name_inputs(tmp_path)
    result = cli("normalize", "d1/a.txt", "d2/a.txt", "--out-dir", "oc", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 files, 2 changed, 0 errors" in result.stderr
    check_two_outputs(tmp_path / "oc", a1, a2, g)


def test_an_output_on_an_input_is_refused_before_writing(g: Glossary, tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text("بيونج يانج", encoding="utf-8")
    (d / "a.txt.orig").write_text("سيرجي لافروف", encoding="utf-8")
    before = files_under(d)
    with pytest.raises(InputError, match="would overwrite the input"):
        g.normalize_files([d / "a.txt", d / "a.txt.orig"], in_place=True, backup=".orig")
    assert files_under(d) == before
