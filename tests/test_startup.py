"""A lazy start (issue 16): ``import glossary``, ``glossary --help`` and a lookup load only
what they use.

Each case runs in a fresh interpreter and reads ``sys.modules`` when it exits, so a module
imported by anyone (``importlib.import_module`` too) counts.  These tests check which modules
are loaded, never how long it takes: the timings are in ``benchmarks/startup.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import console_script

import glossary

#: Heavy modules ``import glossary`` must not load.
HEAVY = (
    "numpy", "rapidfuzz", "sqlite_utils", "multiprocessing", "concurrent.futures", "defusedxml",
    "importlib.metadata", "glossary.tm", "glossary.tmx", "glossary.tbx", "glossary.exchange",
    "glossary.batch", "glossary.matching", "glossary.recognition", "glossary.transliteration",
    "glossary.store", "glossary.glossary",
)
#: Where a lookup's library work lives: import, export, the TM and batch normalizing.
NOT_FOR_A_LOOKUP = (
    "glossary.tm", "glossary.tmx", "glossary.tbx", "glossary.exchange", "glossary.batch",
    "multiprocessing", "concurrent.futures", "defusedxml",
)

#: The server's framework: only ``glossary serve`` loads it (issue 17).
SERVER = ("starlette", "uvicorn", "httpx", "anyio", "glossary.server")
#: Prepended to the code a case runs: write the names in sys.modules at exit to $MODULES_OUT.
_RECORD = (
    "import atexit, os, sys\n"
    "atexit.register(lambda: open(os.environ['MODULES_OUT'], 'w').write('\\n'.join(sys.modules)))\n"
)


def loaded_by(code: str, tmp_path: Path, *args: str) -> set[str]:
    """The modules loaded when ``code`` (given ``args`` as ``sys.argv[1:]``) has run."""
    out = tmp_path / "modules.txt"
    env = {**os.environ, "MODULES_OUT": str(out), "GLOSSARY_DB": str(tmp_path / "default.db"), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _RECORD + code, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return set(out.read_text(encoding="utf-8").split("\n"))


def run_console_script(tmp_path: Path, *args: str) -> set[str]:
    """The modules the installed ``glossary`` script loads to run ``glossary ARGS``."""
    code = "import runpy\nsys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')\n"
    return loaded_by(code, tmp_path, console_script(), *args)


def test_import_glossary_loads_no_heavy_module(tmp_path: Path) -> None:
    loaded = loaded_by("import glossary", tmp_path)
    assert "glossary" in loaded
    assert not {m for m in HEAVY if m in loaded}


def test_from_glossary_import_glossary_loads_no_heavy_module(tmp_path: Path) -> None:
    loaded = loaded_by("from glossary import Glossary", tmp_path)
    assert "glossary.glossary" in loaded
    assert not {m for m in HEAVY if m in loaded and m != "glossary.glossary"}


def test_help_loads_neither_numpy_nor_the_tm_nor_batch(tmp_path: Path) -> None:
    loaded = run_console_script(tmp_path, "--help")
    assert "glossary.cli" in loaded
    unwanted = ("numpy", "sqlite_utils", "glossary.store", "glossary.glossary", *NOT_FOR_A_LOOKUP)
    assert not {m for m in unwanted if m in loaded}
    assert not {m for m in SERVER if m in loaded}


def test_the_server_framework_loads_only_for_glossary_serve(tmp_path: Path) -> None:
    assert "glossary.cli.serve" in run_console_script(tmp_path, "serve", "--help")
    for args in (("--help",), ("serve", "--help"), ("stats",)):
        loaded = run_console_script(tmp_path, *args)
        assert not {m for m in SERVER if m in loaded}, args


def test_a_lookup_loads_no_import_export_tm_or_batch_module(tmp_path: Path, bundled_db: Path) -> None:
    loaded = run_console_script(tmp_path, "--db", str(bundled_db), "lookup", "بيونج يانج")
    assert {"glossary.matching", "glossary.glossary"} <= loaded
    assert not {m for m in NOT_FOR_A_LOOKUP if m in loaded}


def test_a_lookup_loads_no_numpy_with_the_compiled_kernel(tmp_path: Path, bundled_db: Path) -> None:
    """sqlite-utils would import NumPy for types the store never passes (store/_sqlite_utils.py)."""
    pytest.importorskip("glossary._fit")
    loaded = run_console_script(tmp_path, "--db", str(bundled_db), "lookup", "بيونج يانج")
    assert "sqlite_utils" in loaded
    assert "numpy" not in loaded


def test_the_fit_model_needs_no_numpy_with_the_compiled_kernel(tmp_path: Path) -> None:
    pytest.importorskip("glossary._fit")
    code = "from glossary.transliteration import fit\nassert fit('لافروف', 'lavrov') > -1\n"
    assert "numpy" not in loaded_by(code, tmp_path)


def test_every_public_name_is_importable_and_listed() -> None:
    for name in glossary.__all__:
        assert getattr(glossary, name) is not None, name
    assert set(glossary.__all__) <= set(dir(glossary))
    with pytest.raises(AttributeError):
        _ = glossary.no_such_name  # type: ignore[attr-defined]


def test_public_names_are_the_modules_objects_even_after_the_submodules_load(tmp_path: Path) -> None:
    """``glossary.normalize`` stays the function once the submodule of that name is imported."""
    code = (
        "import glossary\n"
        "import glossary.normalize, glossary.glossary, glossary.tm\n"
        "from glossary.normalize import normalize\n"
        "from glossary.glossary import Glossary\n"
        "assert glossary.normalize is normalize and glossary.Glossary is Glossary\n"
        "assert glossary.__version__ and isinstance(glossary.__version__, str)\n"
    )
    loaded_by(code, tmp_path)
