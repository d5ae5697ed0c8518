"""The TMX bulk import: ``<tu>`` units from :mod:`glossary.tmx` into the translation memory.

:meth:`glossary.tm.TranslationMemory.import_tmx` calls :func:`import_tmx`, which
decides each unit's direction, turns it into a ``tm_units`` row (what the
columns do not hold goes to ``props["tmx"]`` for export), finds duplicates, and
stores the rows ``BATCH`` at a time through the store layer
(:class:`glossary.store.tm_index.TMStore`), in one transaction.  See
:meth:`~glossary.tm.TranslationMemory.import_tmx` for the rules and the speed-ups.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from json import dumps
from json.encoder import encode_basestring as _json_string
from pathlib import Path
from typing import Any

from .errors import InputError, StoreError
from .matching import gc_paused
from .models import ON_DUPLICATE, TMImportReport
from .segments import clean, segment_norm
from .store.tm_index import TMStore
from .tmx import Segment, TMXReader, TMXUnit, iso_date, primary_lang

#: Units per batch of a TMX import (one statement stores a batch).
BATCH = 2000
#: Units a bulk load (into an empty TM) keeps in memory to find duplicates (about
#: 0.8 KB each); past that it builds ``tm_units``' indexes and looks duplicates up in
#: the store, as an import into a non-empty TM does, so memory stays bounded
#: whatever the size of the file.
BULK_UNITS = 200_000
#: Bytes of new terms FTS5 holds in memory during an import before writing them out as an
#: index segment (FTS5's own default, restored afterwards, is 1 MiB).
IMPORT_FTS_HASHSIZE = 16 << 20
_FTS_DEFAULT_HASHSIZE = 1 << 20

#: A unit's way: (source language, target language), or None when it cannot be read.
Direction = Callable[[TMXUnit], tuple[str, str] | None]


def import_tmx(
    units: TMStore,
    transaction: Callable[[], AbstractContextManager[None]],
    path: str | Path,
    *,
    on_duplicate: str = "skip",
    source_lang: str | None = None,
    target_lang: str | None = None,
    origin: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TMImportReport:
    """Import a TMX file into the TM's tables in one ``transaction()``; returns the report.

    The arguments after ``path`` are :meth:`glossary.tm.TranslationMemory.import_tmx`'s.
    """
    if on_duplicate not in ON_DUPLICATE:
        raise InputError(
            f"unknown on_duplicate {on_duplicate!r}; use one of {', '.join(ON_DUPLICATE)}"
        )
    forced_src = primary_lang(source_lang) if source_lang else None
    forced_tgt = primary_lang(target_lang) if target_lang else None
    default_src = forced_src or "ar"
    pair = {default_src, forced_tgt or ("en" if default_src == "ar" else "ar")}
    started = time.perf_counter()
    report = TMImportReport(str(path))
    header_src: list[str | None] = [None]

    ways: dict[str, tuple[str, str] | None] = {}

    def direction(unit: TMXUnit) -> tuple[str, str] | None:
        declared = unit.srclang or header_src[0] or ""
        if declared not in ways:
            src = forced_src or primary_lang(declared)
            if src not in pair:
                src = default_src
            tgt = next(iter(pair - {src}), None)
            ways[declared] = (src, tgt) if tgt else None
        return ways[declared]

    reader = TMXReader(path, progress)
    cache = units.cache_size()
    units.set_cache_size(-65536)  # 64 MiB while the indexes grow
    try:
        with gc_paused():  # a dozen small containers per unit, none in a cycle
            TMXImport(units, transaction).run(reader, direction, origin, on_duplicate, report, header_src)
    finally:
        units.set_cache_size(cache)
    report.seconds = time.perf_counter() - started
    return report


class TMXImport:
    """One import's state: how far ``tm_fts`` is, and during a bulk load the in-memory duplicate map."""

    def __init__(self, units: TMStore, transaction: Callable[[], AbstractContextManager[None]]) -> None:
        self.units = units
        self.transaction = transaction
        self._fts_upto = 0  # the last unit id already in tm_fts
        self._last_id = 0  # during a bulk load: the last unit id stored
        # during a bulk load: (source_lang, target_lang, source_norm) -> [(id, target_norm)]
        self._bulk: dict[tuple[str, str, str], list[tuple[int, str]]] | None = None
        self._dropped: list[str] = []  # tm_units' indexes a bulk load dropped (their SQL)
        self._languages: set[str] = set()  # the languages of units without both of the pair

    def run(
        self,
        reader: Any,
        direction: Direction,
        origin: str | None,
        on_duplicate: str,
        report: TMImportReport,
        reader_header_src: list[str | None],
    ) -> None:
        now = _now()
        units = self.units
        with self.transaction():
            # index the new rows once per batch (once at the end of a bulk load) instead of
            # row by row (see m003_tm_index); rows above _fts_upto are not in tm_fts yet
            units.defer_fts()
            # every segment FTS5 writes is merged into bigger ones later: writing 16 MiB segments
            # instead of 1 MiB ones saves most of that merging (a sixth of the indexing time)
            units.set_fts_hashsize(IMPORT_FTS_HASHSIZE)
            self._fts_upto = units.max_id()
            self._dropped = []
            if self._fts_upto == 0:
                # a bulk load into an empty TM: build tm_units' indexes once at the end (sorting
                # beats 100,000s of inserts at random places); duplicates are found in memory
                self._bulk = {}
                self._dropped = units.drop_unit_indexes()
            self._last_id = self._fts_upto
            try:
                self._read_units(reader, direction, origin, on_duplicate, report, reader_header_src, now)
            finally:
                self._bulk = None
            if report.incomplete == report.read:  # nothing to import: say so (as TBX does), exit non-zero
                raise InputError(_nothing_to_import(report, self._languages), report.path)
            self._index_new()
            self._restore_indexes()  # on an error the rollback brings them back
            units.set_fts_hashsize(_FTS_DEFAULT_HASHSIZE)
            units.end_defer_fts()

    def _read_units(
        self,
        reader: Any,
        direction: Direction,
        origin: str | None,
        on_duplicate: str,
        report: TMImportReport,
        reader_header_src: list[str | None],
        now: str,
    ) -> None:
        batch: list[tuple[Any, ...]] = []  # rows in UNIT_COLUMNS order
        lines: list[int] = []  # the <tu> line of each row (for the report's duplicate_lines)
        for unit in reader:
            if reader_header_src[0] is None:
                reader_header_src[0] = reader.header.srclang or ""
            report.read += 1
            way = direction(unit)
            src_seg = unit.variant(way[0]) if way else None
            tgt_seg = unit.variant(way[1]) if way else None
            if way is None or src_seg is None or tgt_seg is None:
                report.incomplete += 1
                report.skipped += 1
                if len(self._languages) < 20:
                    self._languages.update(seg.lang for seg in unit.variants)
                continue
            src_text = clean(src_seg.text)
            tgt_text = clean(tgt_seg.text)
            if not src_text or not tgt_text:
                report.incomplete += 1
                report.skipped += 1
                continue
            batch.append(_row_from_tmx(unit, src_seg, tgt_seg, src_text, tgt_text, way, origin, now))
            lines.append(unit.line)
            if len(batch) >= BATCH:
                self._store_batch(batch, lines, on_duplicate, report)
                batch, lines = [], []
        if batch:
            self._store_batch(batch, lines, on_duplicate, report)

    def _index_new(self) -> None:
        """Add the units stored since the last call to ``tm_fts`` (a deferred import's rows)."""
        self.units.index_after(self._fts_upto)
        self._fts_upto = self.units.max_id()

    def _store_batch(
        self, batch: list[tuple[Any, ...]], lines: list[int], on_duplicate: str, report: TMImportReport
    ) -> None:
        # row: (source, target, sl, tl, sn, tn, note, origin, props, created, updated), see _row_from_tmx
        existing: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
        if self._bulk is not None:
            existing = self._bulk
        else:
            for uid, sl, tl, sn, tn in self.units.units_by_source_norm(sorted({r[4] for r in batch})):
                existing.setdefault((sl, tl, sn), []).append((uid, tn))
        inserts: list[tuple[Any, ...]] = []
        pending: dict[tuple[str, str, str], list[tuple[Any, ...]]] = {}
        for line, row in zip(lines, batch, strict=True):
            key, tn = (row[2], row[3], row[4]), row[5]
            stored = existing.get(key)
            queued = pending.get(key)
            if stored is None and queued is None:
                pending[key] = [row]
                inserts.append(row)
                continue
            # a duplicate has the same source and the same target (after normalization); a unit
            # whose source is stored with another target is another translation of it
            same = any(t == tn for _u, t in stored or ()) or any(r[5] == tn for r in queued or ())
            if same:
                report.duplicates += 1
                if len(report.duplicate_lines) < 100:
                    report.duplicate_lines.append(line)
            else:
                report.alternatives += 1
            if on_duplicate != "update":
                if same:  # an identical pair is never stored twice
                    report.skipped += 1
                else:  # stored beside the other translation
                    pending.setdefault(key, []).append(row)
                    inserts.append(row)
            else:  # update: the newest unit with this source takes the new target
                if queued:
                    # an earlier row of this batch: replace it before it is written
                    idx = next(k for k, r in enumerate(inserts) if r is queued[-1])
                    inserts[idx] = row
                    queued[-1] = row
                    report.updated += 1
                else:
                    assert stored is not None
                    uid = stored[-1][0]
                    if uid > self._fts_upto:
                        # stored earlier in this import, not indexed yet: index it first,
                        # so the update trigger removes from tm_fts what is in tm_fts
                        self._index_new()
                    self.units.update_imported(uid, row)
                    stored[-1] = (uid, tn)
                    report.updated += 1
        if inserts:
            self.units.insert_rows(inserts)
            if self._bulk is None:
                self._index_new()
            else:
                # rowids of an INTEGER PRIMARY KEY go up by one from max(id) (we hold the write
                # lock); tm_fts is filled in one statement at the end of a bulk load
                first = self._last_id + 1
                self._last_id = self.units.max_id()
                if self._last_id - first + 1 != len(inserts):
                    raise StoreError("tm_units ids are not consecutive during an import")
                for uid, row in enumerate(inserts, first):
                    self._bulk.setdefault((row[2], row[3], row[4]), []).append((uid, row[5]))
                if len(self._bulk) > BULK_UNITS:
                    self._end_bulk()
            report.added += len(inserts)

    def _end_bulk(self) -> None:
        """Leave a bulk load's in-memory duplicate map: build the indexes it dropped
        (one sort over the rows so far) and look duplicates up in the store from now on."""
        self._restore_indexes()
        self._bulk = None

    def _restore_indexes(self) -> None:
        """Build the ``tm_units`` indexes a bulk load dropped (if it has not yet)."""
        for sql in self._dropped:
            self.units.run_schema(sql)
        self._dropped.clear()


def _nothing_to_import(report: TMImportReport, languages: set[str]) -> str:
    """Why a TMX file gave no unit: no ``<tu>`` at all, or none with both languages of the pair."""
    if report.read == 0:
        return "no translation units (<tu>) in the file"
    found = ", ".join(sorted(languages, key=str.lower)) or "none"
    n = report.read
    return (
        f"no unit has both an Arabic and an English segment ({n:,} unit{'s' if n != 1 else ''} read; "
        f"languages found: {found}); nothing imported"
    )


# ---------------------------------------------------------------------- rows


def _now() -> str:
    """The store's timestamp format (as ``strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`` in SQL)."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _row_from_tmx(
    unit: TMXUnit,
    src_seg: Segment,
    tgt_seg: Segment,
    src_text: str,
    tgt_text: str,
    way: tuple[str, str],
    origin: str | None,
    now: str,
) -> tuple[Any, ...]:
    """A unit's row for ``tm_units``, in ``UNIT_COLUMNS`` order (dates missing: ``now``).

    What the columns do not hold (``<tu>`` attributes, props, notes of a variant,
    inline markup, a language code with a region) goes to ``props["tmx"]`` for export.
    """
    sl, tl = way
    meta: dict[str, Any] = {}
    attrs = unit.attrs
    if attrs:
        tu_attrs = {k: v for k, v in attrs.items() if k not in _TU_DATES}
        if tu_attrs:
            meta["tu"] = tu_attrs
    unit_origin = origin
    if unit.props:
        props = []
        for ptype, value in unit.props:
            if ptype == "x-origin" and origin is None:
                unit_origin = value
            else:
                props.append([ptype, value])
        if props:
            meta["props"] = props
    src_meta = _segment_meta(src_seg, src_text, sl)
    if src_meta:
        meta["source"] = src_meta
    tgt_meta = _segment_meta(tgt_seg, tgt_text, tl)
    if tgt_meta:
        meta["target"] = tgt_meta
    note = ("\n".join(n.strip() for n in unit.notes if n.strip()) or None) if unit.notes else None
    created = iso_date(attrs.get("creationdate")) or now
    updated = iso_date(attrs.get("changedate")) or created
    return (
        src_text,
        tgt_text,
        sl,
        tl,
        segment_norm(src_text, sl),
        segment_norm(tgt_text, tl),
        note,
        unit_origin,
        _to_json({"tmx": meta}) if meta else None,
        created,
        updated,
    )


_TU_DATES = ("creationdate", "changedate")


def _segment_meta(seg: Segment, text: str, primary: str) -> dict[str, Any] | None:
    """What a variant holds beyond its plain text in the unit's language (None: nothing)."""
    if seg.lang == primary and seg.markup is None and not seg.props and not seg.notes:
        return None  # the common case
    side: dict[str, Any] = {}
    if seg.lang != primary:
        side["lang"] = seg.lang
    if seg.markup is not None:
        side["markup"] = seg.markup
        side["text"] = text
    if seg.props:
        side["props"] = [list(p) for p in seg.props]
    if seg.notes:
        side["notes"] = seg.notes
    return side


def _to_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for the props of a unit (dicts, lists, strings).

    The stock encoder builds a new C encoder per call, which costs more than
    the whole rest of a unit's import; strings go through its C escaper here.
    """
    if type(value) is str:
        return _json_string(value)
    if type(value) is dict:
        return "{" + ", ".join([
            f"{_json_string(str(k))}: {_json_string(v) if type(v) is str else _to_json(v)}"
            for k, v in value.items()
        ]) + "}"
    if type(value) is list or type(value) is tuple:
        return "[" + ", ".join([_json_string(v) if type(v) is str else _to_json(v) for v in value]) + "]"
    return dumps(value, ensure_ascii=False)


__all__ = ["BATCH", "BULK_UNITS", "IMPORT_FTS_HASHSIZE", "ON_DUPLICATE", "TMXImport", "import_tmx"]
