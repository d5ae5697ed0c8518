"""Keeping the indexes in step with the store: built once, persisted, opened, caught up.

A :class:`~glossary.Glossary` answers lookups from a :class:`~glossary.matching.Matcher`
and reads text with a :class:`~glossary.recognition.Recognizer`.  Both are
built from the store's rows, which takes seconds at tens of thousands of
names, so :class:`Indexes` keeps them in an index file beside the store
(:mod:`glossary.store.index_file`) and, in a new process, opens that file instead
of rebuilding.

Every index is valid for one value of the store's change counter (the last
entry of ``index_log``, kept by triggers: migration m006).  Before every use
the counter is read (one indexed query); when it has moved -- a write by this
process or any other -- the index catches up:

* **incrementally** when the changes are spellings added or removed and
  entities' display fields or frequency (``MAX_REPLAY`` changes at most): the
  new rows are read and added to the open index, and written to the index
  file in one transaction, so the next process opens an index that is
  already current;
* **by a rebuild** otherwise (a spelling edited, an entity deleted, a bulk
  import): from the store's rows, written to a temporary file and renamed
  over the old one.

An index file that is missing, truncated, corrupt, of another format or built
for another store is rebuilt with a warning, never trusted.  A store whose
folder cannot be written (a read-only share) still works: its index is built
in memory (or, if a current index file is there, read from it).
"""

from __future__ import annotations

import contextlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import store
from .matching import Matcher, NameRecord, answer_bar, gc_paused
from .store.index_file import IndexCorrupt, IndexFile, index_path

if TYPE_CHECKING:
    import sqlite_utils

    from .recognition import NameRow, Recognizer

#: Most logged changes an open index catches up with one by one; beyond, it is rebuilt.
MAX_REPLAY = 5_000


class IndexWarning(UserWarning):
    """An index file could not be used or written; the glossary rebuilt it (or works in memory)."""


@dataclass
class _State:
    version: int
    matcher: Matcher
    recognizer: Recognizer | None
    file: IndexFile | None


class Indexes:
    """The matcher and the recognizer of one store (see the module doc)."""

    def __init__(self, db: sqlite_utils.Database, path: str, *, read_only: bool = False) -> None:
        self.store = store.Store(db)
        #: a read-only store's indexes read a current index file but never write or remove one
        self.read_only = read_only
        self.persist = path != ":memory:" and not path.startswith("file:")
        self.store_path = path
        self.path = index_path(path) if self.persist else None
        self._state: _State | None = None

    # ------------------------------------------------------------------ the two indexes
    @property
    def version(self) -> int:
        """The change counter of the indexes last used (-1: none yet); it does not read the store,
        so a caller that just asked for :meth:`matcher` keys its own caches on it for free."""
        return self._state.version if self._state is not None else -1

    def matcher(self) -> Matcher:
        return self._current().matcher

    def recognizer(self) -> Recognizer:
        st = self._current()
        if st.recognizer is None:
            st.recognizer = _recognizer(self.store.approved_names(), self.store.entity_rows(), st.matcher)
        return st.recognizer

    def close(self) -> None:
        if self._state is not None and self._state.file is not None:
            self._state.file.close()
        self._state = None

    def retry(self, exc: IndexCorrupt) -> None:
        """A value read from the index file failed its check: forget the file; the next use rebuilds."""
        warnings.warn(f"{exc}; rebuilding the index", IndexWarning, stacklevel=3)
        self.close()
        if self.path is not None and not self.read_only:
            _unlink(self.path)

    # ------------------------------------------------------------------ catching up
    def _current(self) -> _State:
        version = self.store.index_version()
        st = self._state
        if st is not None:
            if st.version == version:
                return st
            if st.version < version and self._catch_up(st, version):
                return st
            self.close()
        st = self._open(version)
        if st is None:
            st = self._build(version)
        self._state = st
        return st

    def _open(self, version: int) -> _State | None:
        """The index file, if it can be trusted and caught up with ``version``."""
        if self.path is None or not self.path.exists():
            return None
        try:
            index = IndexFile.open(self.path, store_id=self.store.store_id(), read_only=self.read_only)
        except IndexCorrupt as exc:
            warnings.warn(f"{exc}; rebuilding the index", IndexWarning, stacklevel=4)
            return None
        from .recognition import Recognizer

        matcher = Matcher.from_index(index)
        st = _State(index.version, matcher, Recognizer.from_index(index, matcher), index)
        if st.version == version or (st.version < version and self._catch_up(st, version)):
            return st
        index.close()
        return None

    def _catch_up(self, st: _State, version: int) -> bool:
        """Apply the logged changes since ``st.version``; False when a rebuild is due instead."""
        changes = self.store.index_changes(st.version, version, MAX_REPLAY)
        if changes is None or any(op == "reset" for op, _ in changes):
            return False
        index = st.file
        if index is not None:
            try:
                if index.writable:
                    if index.begin() != st.version:  # another process moved the file on: reopen it
                        index.rollback()
                        return False
                    index.track(True)
                elif index.read_version() != st.version:
                    return False
            except IndexCorrupt:
                return False
        try:
            _apply(self.store, st, changes)
            if index is not None and index.writable:
                index.commit(version)
        except BaseException:
            if index is not None:
                index.rollback()
            raise
        st.version = version
        return True

    def _build(self, version: int) -> _State:
        """Build both indexes from the store's rows, and write them to the index file if the folder allows."""
        with self.store.snapshot():  # the rows and the counter agree
            version = self.store.index_version()
            names = self.store.approved_names()
            entities = self.store.entity_rows()
        matcher = Matcher(map(_record, names))
        st = _State(version, matcher, None, None)
        if self.path is None or self.read_only or not os.access(self.path.parent, os.W_OK):
            return st
        st.recognizer = recognizer = _recognizer(names, entities, matcher)
        try:
            with gc_paused():
                IndexFile.write(
                    self.path, store_id=self.store.store_id(), version=version,
                    parts=[*matcher.index_parts(), *recognizer.index_parts()],
                    meta={"names": str(len(names))}, like=Path(self.store_path),
                )
        except OSError as exc:
            warnings.warn(f"{self.path}: cannot write the index ({exc.strerror or exc}); "
                          "it is kept in memory", IndexWarning, stacklevel=4)
        return st


# rows of Store.approved_names: id, entity, text, lang, role, norm, alone, curated, frequency;
# rows of Store.entity_rows: id, english, arabic, kind, frequency


def _record(r: tuple[Any, ...]) -> NameRecord:
    return NameRecord(r[0], r[1], r[2], r[3], r[4], r[8], answer_bar(r[4], r[6], bool(r[7])))


def _name_row(r: tuple[Any, ...]) -> NameRow:
    from .recognition import NameRow

    return NameRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]))


def _recognizer(names: list[tuple[Any, ...]], entities: list[tuple[Any, ...]], matcher: Matcher) -> Recognizer:
    from .recognition import Recognizer

    return Recognizer(map(_name_row, names), {e[0]: (e[1], e[2], e[3]) for e in entities}, matcher)


def _apply(db: store.Store, st: _State, changes: list[tuple[str, int]]) -> None:
    """Apply ``add``/``remove``/``entity`` changes, in order, to both indexes."""
    added = [i for op, i in changes if op == "add"]
    rows = {r[0]: r for r in db.approved_names(added)}
    touched = sorted({r[1] for r in rows.values()} | {i for op, i in changes if op == "entity"})
    entities = {r[0]: r for r in db.entity_rows(touched)}
    rec = st.recognizer
    for op, i in changes:
        if op == "remove":
            st.matcher.remove(i)
            if rec is not None:
                rec.remove(i)
        elif op == "add":
            r = rows.get(i)
            if r is None:  # removed again (or unapproved) later in the log
                continue
            st.matcher.add(_record(r))
            if rec is not None:
                e = entities[r[1]]
                rec.add([_name_row(r)], {e[0]: (e[1], e[2], e[3])})
        elif op == "entity" and i in entities:
            e = entities[i]
            st.matcher.set_frequency(i, int(e[4]))
            if rec is not None:
                rec.set_entity(i, (e[1], e[2], e[3]))


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


__all__: list[Any] = ["MAX_REPLAY", "IndexWarning", "Indexes"]
