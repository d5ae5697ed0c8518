"""A store the user may read but not write (issue 18, fault 6): a team share.

Tests often run as root, for whom file permissions are not enforced; the store
decides "read-only" from :func:`os.access`, so most tests fake it for the folder
and the file, and one real-permission test runs when not root.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from glossary import Glossary
from glossary.errors import StoreError


def fake_access(monkeypatch: pytest.MonkeyPatch, *read_only: Path) -> None:
    """``os.access(p, W_OK)`` is False for these paths, as for a user without write rights."""
    real: Callable[..., bool] = os.access
    denied = {str(p) for p in read_only}

    def access(path: str | os.PathLike[str], mode: int, **kw: object) -> bool:
        if mode & os.W_OK and str(path) in denied:
            return False
        return real(path, mode, **kw)

    monkeypatch.setattr(os, "access", access)


@pytest.fixture
def shared(tmp_path: Path, bundled_db: Path) -> Path:
    """A filled store alone in its folder (the team share)."""
    folder = tmp_path / "share"
    folder.mkdir()
    target = folder / "glossary.db"
    shutil.copyfile(bundled_db, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("folder_writable", [False, True])
def test_a_store_that_cannot_be_written_is_read(
    shared: Path, monkeypatch: pytest.MonkeyPatch, folder_writable: bool
) -> None:
    before = snapshot(shared.parent)
    fake_access(monkeypatch, shared, *([] if folder_writable else [shared.parent]))
    with Glossary.open(shared) as g:
        assert g.lookup("موسكو")[0].english == "Moscow"
        assert g.stats()["entities"] > 500
        reason = "its folder is not writable" if not folder_writable else "the file is not writable"
        message = f"{shared}: the store is read-only ({reason}); nothing was changed"
        for write in (lambda: g.add("Atlantis", "أتلانتس"), lambda: g.tm.add("مرحبا", "Hello"), lambda: g.delete(1)):
            with pytest.raises(StoreError) as caught:
                write()
            assert str(caught.value) == message
    if not folder_writable:  # immutable: nothing is created beside it (no -wal, -shm or index file)
        assert snapshot(shared.parent) == before
    else:
        assert (shared.parent / "glossary.db").read_bytes() == before["glossary.db"]


def test_the_default_store_on_a_share_is_read(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-user store named by $GLOSSARY_DB, filled before: opening it writes nothing."""
    monkeypatch.setenv("GLOSSARY_DB", str(shared))
    fake_access(monkeypatch, shared, shared.parent)
    with Glossary.open() as g:
        assert g.lookup("Pyongyang")[0].arabic == "بيونغ يانغ"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes whatever the permissions")
def test_real_permissions_through_the_console_script(cli, shared: Path) -> None:
    folder = shared.parent
    shared.chmod(0o444)
    folder.chmod(0o555)
    try:
        found = cli("--db", str(shared), "lookup", "موسكو")
        assert found.returncode == 0, found.stderr
        assert "Moscow" in found.stdout
        refused = cli("--db", str(shared), "add", "Atlantis", "أتلانتس")
        assert refused.returncode == 2
        assert refused.stderr == (
            f"glossary: error: {shared}: the store is read-only (its folder is not writable); nothing was changed\n"
        )
    finally:
        folder.chmod(0o755)
        shared.chmod(0o644)
