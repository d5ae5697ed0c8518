"""The examples in the README and in module docstrings are run, so the docs cannot drift."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import glossary

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_library_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GLOSSARY_DB", str(tmp_path / "default.db"))
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10
    assert result.failed == 0


MODULES = sorted(m.name for m in pkgutil.iter_modules(glossary.__path__, "glossary."))


@pytest.mark.parametrize("name", MODULES)
def test_module_docstring_examples(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GLOSSARY_DB", str(tmp_path / "default.db"))
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
