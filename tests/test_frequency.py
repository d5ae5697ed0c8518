"""Entity frequency: how often a name is attested, imported, stored, exported and fed to the matcher.

Rows are copied from the Wikidata name list (``shared/data/names/wikidata-names-ar-en.tsv``:
English name part, its Arabic label, how many Wikidata people carry it); the
sample in tests/data is a real excerpt of the same file.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
import sqlite_utils
from conftest import old_store

from glossary import Glossary, GlossaryWarning, InputError, exchange

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "wikidata-names-sample.tsv"
Run = Callable[..., CompletedProcess[str]]

HEADER = "english\tarabic\tfrequency\n"
#: one name, two Wikidata spellings (equal after normalization): one entity, 34 + 302 people
RODRIGUEZ = "rodriguez\tرودريغيز\t34\nrodríguez\tرودريغيز\t302\n"
#: three names sharing one Arabic label, rarest first (so file order is not frequency order)
HESS = "heis\tهيس\t1\nhesse\tهيس\t4\nhess\tهيس\t7\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def quiet_import(g: Glossary, path: Path, **kwargs: object) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GlossaryWarning)
        return g.import_file(path, **kwargs)  # type: ignore[arg-type]


def frequency(g: Glossary, english: str) -> int | None:
    eid = g.find_entity(english=english)
    assert eid is not None, english
    return g.entity(eid).frequency


def frequencies(g: Glossary) -> dict[str, int | None]:
    return {e.english: e.frequency for e in g.entities()}


@pytest.fixture
def g(tmp_path: Path) -> Glossary:
    glossary = Glossary.open(tmp_path / "g.db")
    yield glossary
    glossary.close()


# --------------------------------------------------------------------------- import
def test_wikidata_sample_imports_frequency_instead_of_ignoring_it(g: Glossary) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g.import_file(SAMPLE)
    assert not [w for w in caught if "ignoring column" in str(w.message)]
    assert g.last_import is not None and g.last_import.ignored_columns == []
    assert frequency(g, "rodriguez") == 34
    assert frequency(g, "rodrigues") == 12
    assert frequency(g, "choi") == 8
    assert frequency(g, "sergey") == 28
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    # no row repeats another, so merges keep every attestation
    assert sum(e.frequency or 0 for e in g.entities()) == sum(int(r["frequency"]) for r in rows)


def test_rows_merged_into_one_entity_add_their_frequencies(tmp_path: Path, g: Glossary) -> None:
    f = write(tmp_path / "names.tsv", HEADER + RODRIGUEZ)
    assert quiet_import(g, f) == 2
    assert g.stats()["entities"] == 1
    e = g.entity(g.find_entity(english="rodriguez") or 0)
    assert e.frequency == 336
    assert set(e.spellings("en")) == {"rodriguez", "rodríguez"}


def test_exact_repeat_of_a_row_adds_nothing(tmp_path: Path, g: Glossary) -> None:
    f = write(tmp_path / "names.tsv", HEADER + RODRIGUEZ + "rodriguez\tرودريغيز\t34\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g.import_file(f)
    assert any("names.tsv:4: duplicate of line 2" in str(w.message) for w in caught)
    assert frequency(g, "rodriguez") == 336


def test_empty_cell_is_unknown_and_a_later_row_supplies_it(tmp_path: Path, g: Glossary) -> None:
    f = write(tmp_path / "names.tsv", HEADER + "hess\tهيس\t\nhesse\tهيس\t\nhesse\tهيس\t4\n")
    quiet_import(g, f)
    assert frequencies(g) == {"hess": None, "hesse": 4}


def test_update_replaces_stored_frequency_then_adds_and_reimport_changes_nothing(
    tmp_path: Path, g: Glossary
) -> None:
    eid = g.add("rodriguez", "رودريغيز", kind="person", frequency=5)
    f = write(tmp_path / "names.tsv", HEADER + RODRIGUEZ)
    quiet_import(g, f, on_conflict="update")
    assert g.entity(eid).frequency == 336  # 5 replaced by 34, then + 302
    before, version = g.entity(eid), g._glossary_version()
    time.sleep(0.01)  # a write would move `updated` (millisecond resolution)
    quiet_import(g, f, on_conflict="update")
    assert g.entity(eid) == before  # same frequency, same `updated` time
    assert g._glossary_version() == version  # nothing written at all


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("hess\tهيس\t\nhess\tهس\t\n", 7),  # no value in the file: the stored one stays
        ("hess\tهيس\t\nhess\tهس\t3\n", 3),  # the first value the file gives replaces it
    ],
)
def test_update_with_empty_cells_leaves_stored_frequency_alone(
    tmp_path: Path, g: Glossary, rows: str, expected: int
) -> None:
    eid = g.add("hess", "هيس", frequency=7)
    quiet_import(g, write(tmp_path / "names.tsv", HEADER + rows))
    assert g.entity(eid).frequency == expected
    assert "هس" in g.entity(eid).spellings("ar")


def test_skip_leaves_stored_frequency_alone(tmp_path: Path, g: Glossary) -> None:
    eid = g.add("rodriguez", "رودريغيز", frequency=5)
    quiet_import(g, write(tmp_path / "names.tsv", HEADER + RODRIGUEZ + HESS), on_conflict="skip")
    assert g.entity(eid).frequency == 5
    assert frequencies(g) == {"rodriguez": 5, "heis": 1, "hesse": 4, "hess": 7}


@pytest.mark.parametrize("header", ["frequency", "Freq", "COUNT", "Usage Count", "usage_count", "usagecount"])
def test_frequency_header_synonyms(tmp_path: Path, g: Glossary, header: str) -> None:
    f = write(tmp_path / "names.csv", f"English,Arabic,{header}\nhess,هيس,7\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", GlossaryWarning)  # no column is ignored
        g.import_file(f)
    assert frequency(g, "hess") == 7


def test_frequency_column_can_be_named_with_columns(tmp_path: Path, g: Glossary) -> None:
    f = write(tmp_path / "names.csv", "EN,AR,people\nhess,هيس,7\n")
    g.import_file(f, columns={"english": "EN", "arabic": "AR", "frequency": "people"})
    assert frequency(g, "hess") == 7


def test_arabic_indic_digits_are_a_number(tmp_path: Path, g: Glossary) -> None:
    g.import_file(write(tmp_path / "names.tsv", HEADER + "hess\tهيس\t٧\n"))
    assert frequency(g, "hess") == 7


@pytest.mark.parametrize("bad", ["abc", "-3", "1.5", "1e3"])
def test_bad_frequency_names_file_and_line_and_imports_nothing(tmp_path: Path, g: Glossary, bad: str) -> None:
    f = write(tmp_path / "names.tsv", HEADER + f"hess\tهيس\t7\nhesse\tهيس\t{bad}\nheis\tهيس\t1\n")
    with pytest.raises(InputError, match=rf"names.tsv:3: bad frequency '{bad}'"):
        g.import_file(f)
    assert g.stats()["entities"] == 0  # the whole file rolled back


def test_bad_frequency_row_is_skipped_with_skip_bad_rows(tmp_path: Path, g: Glossary) -> None:
    f = write(tmp_path / "names.tsv", HEADER + "hess\tهيس\t7\nhesse\tهيس\t-3\nheis\tهيس\t1\n")
    with pytest.warns(GlossaryWarning, match=r"skipped .*names.tsv:3: bad frequency '-3'"):
        assert g.import_file(f, skip_bad_rows=True) == 2
    assert g.last_import is not None and len(g.last_import.bad_rows) == 1
    assert frequencies(g) == {"hess": 7, "heis": 1}


def test_skipped_row_does_not_count_as_seen(tmp_path: Path, g: Glossary) -> None:
    """A row undone by skip_bad_rows (its variant has no letters) must not hide a later repeat of it."""
    f = write(
        tmp_path / "names.tsv",
        "english\tarabic\tfrequency\tvariants\n"
        "rodriguez\tرودريغيز\t34\t\n"
        "rodríguez\tرودريغيز\t302\t---\n"
        "rodríguez\tرودريغيز\t302\t\n",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GlossaryWarning)
        g.import_file(f, skip_bad_rows=True)
    assert g.last_import is not None and len(g.last_import.bad_rows) == 1
    assert "names.tsv:3:" in g.last_import.bad_rows[0]
    assert frequency(g, "rodriguez") == 336


def test_bad_frequency_through_the_cli_is_one_line(cli: Run, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    f = write(tmp_path / "names.tsv", HEADER + "hess\tهيس\t7\nhesse\tهيس\tabc\n")
    r = cli("--db", str(db), "import", str(f))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"glossary: error: {f}:3: bad frequency 'abc': expected a whole number, 0 or more (or an empty cell)"
        " (--skip-bad-rows imports the other rows)"
    ]
    r = cli("--db", str(db), "import", str(f), "--skip-bad-rows")
    assert r.returncode == 0, r.stderr
    assert f"{f}:3: bad frequency 'abc'" in r.stderr
    with Glossary.open(db) as g:
        assert frequencies(g) == {"hess": 7}


# --------------------------------------------------------------------------- export, round trips
def test_tsv_export_carries_frequency_and_imports_back(tmp_path: Path, g: Glossary) -> None:
    quiet_import(g, SAMPLE)
    g.add("Pyongyang", "بيونغ يانغ", kind="place")  # unknown frequency: an empty cell
    out = tmp_path / "out.tsv"
    g.export_file(out)
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        assert reader.fieldnames is not None and "frequency" in reader.fieldnames
        cells = {row["english"]: row["frequency"] for row in reader}
    assert cells["rodriguez"] == "34" and cells["Pyongyang"] == ""
    with Glossary.open(tmp_path / "copy.db") as copy:
        with warnings.catch_warnings():
            warnings.simplefilter("error", GlossaryWarning)
            copy.import_file(out)
        assert frequencies(copy) == frequencies(g)
        assert frequency(copy, "Pyongyang") is None


def test_jsonl_round_trip_keeps_frequency(tmp_path: Path, g: Glossary) -> None:
    quiet_import(g, write(tmp_path / "names.tsv", HEADER + RODRIGUEZ + HESS))
    g.add("Pyongyang", "بيونغ يانغ", kind="place")
    out = tmp_path / "dump.jsonl"
    g.export_file(out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["english"]: r["frequency"] for r in records} == {
        "rodriguez": 336, "heis": 1, "hesse": 4, "hess": 7, "Pyongyang": None
    }
    with Glossary.open(tmp_path / "copy.db") as copy:
        copy.import_file(out)
        assert list(exchange.dump_records(copy)) == list(exchange.dump_records(g))
    before = frequencies(g)
    quiet_import(g, out, on_conflict="update")  # restoring a dump over itself: replaced by the same values
    assert frequencies(g) == before


@pytest.mark.parametrize("bad", [-1, "12", 1.5, True])
def test_jsonl_bad_frequency_names_file_and_line(tmp_path: Path, g: Glossary, bad: object) -> None:
    good = {"type": "entity", "english": "hess", "arabic": "هيس", "frequency": 7}
    wrong = {"type": "entity", "english": "hesse", "arabic": "هيس", "frequency": bad}
    f = write(tmp_path / "dump.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in (good, wrong)) + "\n")
    with pytest.raises(InputError, match=r"dump.jsonl:2: frequency must be a whole number"):
        g.import_file(f)
    assert g.stats()["entities"] == 0


def test_tbx_export_has_no_frequency(tmp_path: Path, g: Glossary) -> None:
    g.add("hess", "هيس", frequency=7)
    out = tmp_path / "g.tbx"
    g.export_file(out)
    assert "frequency" not in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- API, schema, CLI
def test_add_and_update_validate_frequency(g: Glossary) -> None:
    eid = g.add("hess", "هيس", frequency=7)
    assert g.entity(eid).frequency == 7
    assert g.entity(eid).as_dict()["frequency"] == 7
    assert g.entity(g.add("hesse", "هيس")).frequency is None
    for bad in (-1, True, "7", 1.5):
        with pytest.raises(InputError, match="frequency must be a whole number"):
            g.add("heis", "هيس", frequency=bad)  # type: ignore[arg-type]
        with pytest.raises(InputError, match="frequency must be a whole number"):
            g.update(eid, frequency=bad)  # type: ignore[arg-type]
    g.update(eid, note="German surname")
    assert g.entity(eid).frequency == 7  # left alone when not given
    g.update(eid, frequency=0)
    assert g.entity(eid).frequency == 0
    assert g.find_entity(english="heis") is None


def test_store_from_before_the_column_is_upgraded(tmp_path: Path) -> None:
    path = old_store(tmp_path / "old.db", stop_before="m004_entity_frequency")
    assert "frequency" not in sqlite_utils.Database(path)["entities"].columns_dict

    with Glossary.open(path) as g:
        assert "frequency" in g.db["entities"].columns_dict
        assert "m004_entity_frequency" in g.stats()["schema"]
        assert g.entity(1).frequency is None
        assert g.lookup("موسكو")[0].english == "Moscow"
        version = g._glossary_version()
        g.update(1, frequency=9)
        assert g._glossary_version() > version  # the m003 version triggers still fire
        assert g.entity(1).frequency == 9
        with pytest.raises(sqlite3.IntegrityError):
            g.db.execute("UPDATE entities SET frequency = -1 WHERE id = 1")


def test_matcher_sees_frequencies_of_a_shared_arabic_label(tmp_path: Path, g: Glossary) -> None:
    quiet_import(g, write(tmp_path / "names.tsv", HEADER + HESS))
    assert frequencies(g) == {"heis": 1, "hesse": 4, "hess": 7}
    # the store feeds the matcher its frequencies (how it orders ties is test_matching's)
    assert [m.english for m in g.lookup("هيس")] == ["hess", "hesse", "heis"]
    heis = g.find_entity(english="heis") or 0
    g.update(heis, frequency=100)
    assert g.lookup("هيس")[0].english == "heis"
    # a spelling added to a live index carries its entity's frequency
    g.add_variant(heis, "هايس")
    assert g.lookup("هيس")[0].english == "heis"


def test_cli_add_and_show_frequency(cli: Run, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    r = cli("--db", db, "add", "rodríguez", "رودريغيز", "--kind", "person", "--frequency", "302")
    assert r.returncode == 0, r.stderr
    r = cli("--db", db, "show", "1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "1  rodríguez = رودريغيز  [person, frequency 302]"
    r = cli("--db", db, "show", "1", "--json")
    assert json.loads(r.stdout)["frequency"] == 302
    r = cli("--db", db, "add", "hess", "هيس", "--frequency", "-1")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
