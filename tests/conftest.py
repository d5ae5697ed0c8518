"""Shared fixtures: real stores in tmp_path and the installed ``glossary`` console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils

from glossary import Glossary
from glossary.store import migrations

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
DATA = Path(__file__).resolve().parent / "data"

#: Every named entity of each seed article (people, places, organizations, agencies).
#: AFP is not listed: the dateline glues its last letter to the next word
#: ("أ ف بالشرق"), which reads as ب + الشرق (Asharq, listed).
SEED_ENTITIES = {
    "000_3fdc54752f1556f2.txt": {
        "Vladimir Putin", "Choe Son Hui", "Dmitry Peskov", "Sergei Lavrov", "Kim Jong Un",
        "North Korea", "Russia", "Moscow", "Dubai", "Pyongyang", "Vladivostok", "Ukraine",
        "China", "United States", "Northeast Asia", "Korean Peninsula", "Vostochny Cosmodrome",
        "Kremlin", "Sputnik", "Reuters", "Asharq", "United Nations", "UN Security Council", "West",
    },
    "001_79e6c7b0760524b1.txt": {
        "Vladimir Putin", "Kim Jong Un", "Dmitry Peskov", "Sergei Lavrov", "Sergei Shoigu",
        "North Korea", "Russia", "Moscow", "Erbil", "Pyongyang", "Ukraine", "Japan", "East Asia",
        "Vostochny Cosmodrome", "North Press Agency", "Presidential Administration of Russia",
        "Central Committee of the Workers' Party of Korea",
        "Central Military Commission of the Workers' Party of Korea", "West",
    },
}


def console_script() -> str:
    """The ``glossary`` executable installed beside this interpreter (not a source checkout)."""
    candidate = Path(sys.executable).parent / ("glossary.exe" if os.name == "nt" else "glossary")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("glossary")
    if found is None:
        pytest.fail("the glossary console script is not installed: run pip install '.[test]'")
    return found


@pytest.fixture(scope="session")
def default_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A default store as first use leaves it (bundled glossary loaded, index file written), made once.

    Copied by :func:`cli` to each test's default store: first use costs seconds (about
    fourteen thousand bundled entities and their index), and most tests only need a
    default store.  Tests of first use itself name another store with ``GLOSSARY_DB``
    (or ``--db``), which is still created for real.
    """
    path = tmp_path_factory.mktemp("default-template") / "default.db"
    g = Glossary.open(path, defaults=True)
    g.lookup("موسكو")  # writes the index file beside it
    g.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    g.close()
    return path


def copy_store(source: Path, target: Path) -> None:
    """Copy a closed store and its index file (``NAME.index``) as first use would have left them."""
    shutil.copyfile(source, target)
    index = source.with_name(source.name + ".index")
    if index.exists():
        shutil.copyfile(index, target.with_name(target.name + ".index"))


@pytest.fixture
def cli(tmp_path: Path, default_template: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed console script from a directory outside the repo.

    The default store is redirected into tmp_path with GLOSSARY_DB, so tests never
    touch the user's real store; it starts as a copy of :func:`default_template`.
    """
    exe = console_script()
    workdir = tmp_path / "elsewhere"
    workdir.mkdir(exist_ok=True)
    if not (tmp_path / "default.db").exists():
        copy_store(default_template, tmp_path / "default.db")

    def run(
        *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "GLOSSARY_DB": str(tmp_path / "default.db"), "NO_COLOR": "1", "COLUMNS": "200"}
        if env:
            full_env.update(env)
        if isinstance(input, bytes):  # raw bytes in (bad input); the output is still UTF-8 text
            raw = subprocess.run(
                [exe, *args], input=input, capture_output=True, env=full_env, cwd=cwd or workdir, timeout=300
            )
            return subprocess.CompletedProcess(
                raw.args, raw.returncode, raw.stdout.decode("utf-8"), raw.stderr.decode("utf-8")
            )
        return subprocess.run(
            [exe, *args],
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=full_env,
            cwd=cwd or workdir,
            timeout=300,
        )

    return run


@pytest.fixture
def default_copy(tmp_path: Path, default_template: Path) -> Iterator[Glossary]:
    """A default store as first use leaves it, private to the test (a copy of :func:`default_template`)."""
    copy_store(default_template, tmp_path / "g.db")
    g = Glossary.open(tmp_path / "g.db", defaults=True)
    yield g
    g.close()


@pytest.fixture
def empty(tmp_path: Path) -> Glossary:
    """A new, empty store file."""
    g = Glossary.open(tmp_path / "empty.db")
    yield g
    g.close()


@pytest.fixture(scope="session")
def bundled_db(default_template: Path) -> Path:
    """A store filled once from the bundled data, with its index file; copy it (:func:`copy_store`),
    don't write to it."""
    return default_template


@pytest.fixture
def filled(tmp_path: Path, bundled_db: Path) -> Glossary:
    """A private copy of a store filled from the bundled data."""
    target = tmp_path / "filled.db"
    copy_store(bundled_db, target)
    g = Glossary.open(target)
    yield g
    g.close()


def old_store(path: Path, stop_before: str) -> Path:
    """A store as an older glossary left it (migrations up to ``stop_before``), holding Moscow."""
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before=stop_before)
    db.execute(
        "INSERT INTO entities (english, arabic, english_norm, arabic_norm, kind) "
        "VALUES ('Moscow', 'موسكو', 'moscow', 'موسكو', 'place')"
    )
    db.execute("INSERT INTO names (entity_id, text, lang, role, norm) VALUES (1, 'موسكو', 'ar', 'canonical', 'موسكو')")
    db.conn.commit()
    db.close()
    return path
