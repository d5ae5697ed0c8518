"""The public API: one :class:`Glossary` over one SQLite store.

>>> from glossary import Glossary
>>> g = Glossary.open(":memory:")
>>> eid = g.add("Pyongyang", "بيونغ يانغ", kind="place", variants=["بيونج يانج"])
>>> g.lookup("بيونج يانج")[0].english
'Pyongyang'
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from . import formats, store
from .errors import GlossaryError, InputError, NotFoundError
from .matching import DEFAULT_MIN_SCORE, Matcher, NameRecord
from .models import KINDS, ROLES, STATUSES, Entity, Match, Name
from .normalize import has_arabic, has_latin, normalize, script_of

if TYPE_CHECKING:
    from .tm import TranslationMemory

ON_CONFLICT = ("update", "skip", "fail")


class GlossaryWarning(UserWarning):
    """Something in an input file was ignored (an unknown column, a skipped row)."""


@dataclass
class ImportReport:
    """What the last import did, row by row outcome counts."""

    path: str
    added: int = 0
    updated: int = 0
    skipped: int = 0
    bad_rows: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.added + self.updated


class Glossary:
    """A bilingual glossary and translation memory in one SQLite file.

    Open it with :meth:`open`; use it as a context manager to close it.
    """

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path
        self._matcher: Matcher | None = None
        self._matcher_version: int | None = None
        self._after_commit: list[Callable[[], None]] = []
        self._tm: TranslationMemory | None = None
        self.last_import: ImportReport | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path | None = None, *, defaults: bool = False) -> Glossary:
        """Open a store, creating and migrating it as needed.

        ``path=None`` is the per-user default store (``$GLOSSARY_DB`` or the
        platform data folder), filled from the bundled data on first use.  An
        explicit path starts empty unless ``defaults=True``.
        """
        fill = defaults
        if path is None:
            path = store.default_path()
            fill = True
        g = cls(store.connect(path), str(path))
        if fill:
            g.load_defaults()
        return g

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Glossary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Glossary {self.path}>"

    def load_defaults(self) -> int:
        """Import the bundled glossary once per store; returns entities added (0 if done before)."""
        with self._write():
            row = self.db.execute("SELECT value FROM meta WHERE key = 'defaults_loaded'").fetchone()
            if row is not None:
                return 0
            added = 0
            for path in store.bundled_files():
                self.import_file(path, on_conflict="update", source=f"bundled:{path.name}")
                assert self.last_import is not None
                added += self.last_import.added
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES ('defaults_loaded', strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
            )
        return added

    # ------------------------------------------------------------------ writes
    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction; in-memory index updates run only once it commits."""
        outer = not self.db.conn.in_transaction
        try:
            with store.write_transaction(self.db):
                yield
        except BaseException:
            if outer:
                self._after_commit.clear()
            raise
        if outer:
            callbacks, self._after_commit = self._after_commit, []
            for callback in callbacks:
                callback()

    def add(
        self,
        english: str,
        arabic: str,
        *,
        kind: str = "other",
        variants: Iterable[str] = (),
        aliases: Iterable[str] = (),
        note: str | None = None,
        source: str | None = None,
    ) -> int:
        """Add an entity with its canonical spellings, variants and aliases; returns its id.

        Variants and aliases may be in either script; the language is detected.
        """
        english, arabic = _check_canonical(english, arabic)
        _check_kind(kind)
        with self._write():
            existing = self.find_entity(english=english)
            if existing is not None:
                raise InputError(
                    f"entity {english!r} already exists (id {existing}); add spellings with add_variant"
                )
            eid = self._insert_entity(english, arabic, kind, note, source)
            self._insert_name(eid, english, "canonical", "approved", source)
            self._insert_name(eid, arabic, "canonical", "approved", source)
            for text in variants:
                self._insert_name(eid, text, "variant", "approved", source)
            for text in aliases:
                self._insert_name(eid, text, "alias", "approved", source)
        return eid

    def add_variant(
        self,
        entity_id: int,
        text: str,
        *,
        role: str = "variant",
        status: str = "approved",
        source: str | None = None,
    ) -> int:
        """Record another spelling of an entity; returns the name id (existing one if known)."""
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        self._require_entity(entity_id)
        with self._write():
            return self._insert_name(entity_id, text, role, status, source)

    def add_alias(self, entity_id: int, text: str, *, source: str | None = None) -> int:
        """Record a short form (بوتين for Vladimir Putin); it matches below the full name."""
        return self.add_variant(entity_id, text, role="alias", source=source)

    def set_status(self, name_id: int, status: str) -> None:
        """Approve a suggested spelling (``"approved"``) or send it back to review."""
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        with self._write():
            cur = self.db.execute("UPDATE names SET status = ? WHERE id = ?", [status, name_id])
            if cur.rowcount == 0:
                raise NotFoundError(f"no name with id {name_id}")
            self._invalidate_matcher()

    def remove_name(self, name_id: int) -> None:
        """Delete one spelling; a canonical spelling cannot be removed (change the entity instead)."""
        row = self.db.execute("SELECT role FROM names WHERE id = ?", [name_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no name with id {name_id}")
        if row[0] == "canonical":
            raise InputError(f"name {name_id} is a canonical spelling; use update() to change it")
        with self._write():
            self.db.execute("DELETE FROM names WHERE id = ?", [name_id])
            self._after_commit.append(lambda: self._matcher_remove(name_id))

    def delete(self, entity_id: int) -> None:
        """Delete an entity and all its names."""
        self._require_entity(entity_id)
        with self._write():
            self.db.execute("DELETE FROM entities WHERE id = ?", [entity_id])
            self._invalidate_matcher()

    def update(
        self,
        entity_id: int,
        *,
        english: str | None = None,
        arabic: str | None = None,
        kind: str | None = None,
        note: str | None = None,
    ) -> None:
        """Change canonical spellings, kind or note; an old canonical spelling stays as a variant."""
        current = self.entity(entity_id)
        new_en, new_ar = _check_canonical(english or current.english, arabic or current.arabic)
        if kind is not None:
            _check_kind(kind)
        with self._write():
            self.db.execute(
                """UPDATE entities SET english = ?, arabic = ?, english_norm = ?, arabic_norm = ?,
                   kind = ?, note = ?, updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?""",
                [
                    new_en,
                    new_ar,
                    normalize(new_en, "en"),
                    normalize(new_ar, "ar"),
                    kind or current.kind,
                    note if note is not None else current.note,
                    entity_id,
                ],
            )
            for old, new in ((current.english, new_en), (current.arabic, new_ar)):
                if old != new:
                    self.db.execute(
                        "UPDATE names SET role = 'variant' WHERE entity_id = ? AND text = ?",
                        [entity_id, old],
                    )
                    self._insert_name(entity_id, new, "canonical", "approved", None)
                    self.db.execute(
                        "UPDATE names SET role = 'canonical', status = 'approved' "
                        "WHERE entity_id = ? AND text = ?",
                        [entity_id, new],
                    )
            self._invalidate_matcher()

    def _insert_entity(
        self, english: str, arabic: str, kind: str, note: str | None, source: str | None
    ) -> int:
        cur = self.db.execute(
            """INSERT INTO entities (english, arabic, english_norm, arabic_norm, kind, note, source)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [english, arabic, normalize(english, "en"), normalize(arabic, "ar"), kind, note, source],
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _insert_name(
        self, entity_id: int, text: str, role: str, status: str, source: str | None
    ) -> int:
        text = text.strip()
        if not text:
            raise InputError("empty spelling")
        lang = script_of(text)
        norm = normalize(text, lang)
        if not norm:
            raise InputError(f"spelling {text!r} has no letters")
        cur = self.db.execute(
            """INSERT OR IGNORE INTO names (entity_id, text, lang, role, status, source, norm)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [entity_id, text, lang, role, status, source, norm],
        )
        if cur.rowcount == 0:  # this entity already has this spelling
            row = self.db.execute(
                "SELECT id FROM names WHERE entity_id = ? AND text = ?", [entity_id, text]
            ).fetchone()
            return int(row[0])
        name_id = cur.lastrowid
        assert name_id is not None
        if status == "approved":
            record = NameRecord(name_id, entity_id, text, lang, role)
            self._after_commit.append(lambda: self._matcher_add(record))
        return name_id

    # ------------------------------------------------------------------ reads
    def entity(self, entity_id: int) -> Entity:
        """An entity with all its names; raises :class:`NotFoundError` if there is none."""
        row = self.db.execute(
            "SELECT id, english, arabic, kind, note, source, created, updated FROM entities WHERE id = ?",
            [entity_id],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        names = tuple(
            Name(*r)
            for r in self.db.execute(
                """SELECT id, entity_id, text, lang, role, status, source FROM names
                   WHERE entity_id = ? ORDER BY role = 'alias', role != 'canonical', lang, id""",
                [entity_id],
            )
        )
        eid, english, arabic, kind, note, source, created, updated = row
        return Entity(eid, english, arabic, kind, note, source, created, updated, names=names)

    def entities(self) -> Iterator[Entity]:
        """Every entity, in id order, with its names."""
        ids = [r[0] for r in self.db.execute("SELECT id FROM entities ORDER BY id")]
        for eid in ids:
            yield self.entity(eid)

    def find_entity(self, english: str | None = None, arabic: str | None = None) -> int | None:
        """The id of the entity whose canonical English (or Arabic) matches after normalization."""
        if english:
            row = self.db.execute(
                "SELECT id FROM entities WHERE english_norm = ? ORDER BY id LIMIT 1",
                [normalize(english, "en")],
            ).fetchone()
            if row:
                return int(row[0])
        if arabic:
            row = self.db.execute(
                "SELECT id FROM entities WHERE arabic_norm = ? ORDER BY id LIMIT 1",
                [normalize(arabic, "ar")],
            ).fetchone()
            if row:
                return int(row[0])
        return None

    def suggestions(self) -> list[Name]:
        """Spellings waiting for review (status ``suggested``), oldest first."""
        return [
            Name(*r)
            for r in self.db.execute(
                "SELECT id, entity_id, text, lang, role, status, source FROM names "
                "WHERE status = 'suggested' ORDER BY id"
            )
        ]

    def stats(self) -> dict[str, Any]:
        """Counts a user asks about: entities, names, tm_units, and breakdowns."""

        def count(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        by_kind = dict(self.db.execute("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall())
        by_lang = dict(self.db.execute("SELECT lang, count(*) FROM names GROUP BY lang").fetchall())
        return {
            "path": self.path,
            "entities": count("SELECT count(*) FROM entities"),
            "names": count("SELECT count(*) FROM names"),
            "suggested": count("SELECT count(*) FROM names WHERE status = 'suggested'"),
            "tm_units": count("SELECT count(*) FROM tm_units"),
            "by_kind": {k: by_kind.get(k, 0) for k in KINDS},
            "names_by_lang": {k: by_lang.get(k, 0) for k in ("ar", "en")},
            "schema": [m.name for m in store.migrations.applied(self.db)],
        }

    # ------------------------------------------------------------------ matching
    @property
    def matcher(self) -> Matcher:
        """The in-memory index, built on first use and rebuilt if another process wrote."""
        version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
        if self._matcher is None or version != self._matcher_version:
            rows = self.db.execute(
                "SELECT id, entity_id, text, lang, role FROM names WHERE status = 'approved'"
            )
            self._matcher = Matcher(NameRecord(*r) for r in rows)
            self._matcher_version = version
        return self._matcher

    def _matcher_add(self, record: NameRecord) -> None:
        if self._matcher is not None:
            self._matcher.add(record)

    def _matcher_remove(self, name_id: int) -> None:
        if self._matcher is not None:
            self._matcher.remove(name_id)

    def _invalidate_matcher(self) -> None:
        self._after_commit.append(lambda: setattr(self, "_matcher", None))

    def lookup(self, query: str, limit: int = 5, min_score: float | None = None) -> list[Match]:
        """Entities whose spellings match ``query`` (Arabic or English), best first.

        ``score`` is 0..100 (100: identical after orthographic normalization);
        nothing below ``min_score`` (default :data:`DEFAULT_MIN_SCORE`) is returned.
        """
        if limit <= 0:
            return []
        threshold = DEFAULT_MIN_SCORE if min_score is None else float(min_score)
        hits = self.matcher.search(query, limit=limit, min_score=threshold)
        if not hits:
            return []
        ids = sorted({h.entity_id for h in hits})
        marks = ",".join("?" * len(ids))
        info = {
            r[0]: r[1:]
            for r in self.db.execute(
                f"SELECT id, english, arabic, kind FROM entities WHERE id IN ({marks})", ids
            )
        }
        return [
            Match(h.entity_id, info[h.entity_id][0], info[h.entity_id][1], info[h.entity_id][2],
                  h.matched, h.score, h.reason, h.role)
            for h in hits
            if h.entity_id in info
        ]

    # ------------------------------------------------------------------ files
    def import_file(
        self,
        path: str | Path,
        *,
        format: str | None = None,
        on_conflict: str = "update",
        skip_bad_rows: bool = False,
        source: str | None = None,
    ) -> int:
        """Import a glossary file; returns the rows imported (added + updated).

        CSV/TSV need a header with ``english`` and ``arabic``; ``variants`` and
        ``aliases`` (``|``-separated, either script), ``kind``, ``note`` and
        ``source`` are optional; other columns are ignored with a warning.
        ``.jsonl`` restores a lossless export.  An entity that already exists
        (same canonical English after normalization) is merged
        (``update``, the default), left alone (``skip``) or an error (``fail``).
        The whole file is one transaction: a bad row imports nothing unless
        ``skip_bad_rows`` is set, which skips and reports each bad row.
        """
        if on_conflict not in ON_CONFLICT:
            raise InputError(f"unknown on_conflict {on_conflict!r}; use one of {', '.join(ON_CONFLICT)}")
        fmt = formats.format_for(path, format)
        report = ImportReport(str(path))
        if fmt == "jsonl":
            with self._write():
                self._import_jsonl(path, report, on_conflict)
                self._invalidate_matcher()
        elif fmt in ("csv", "tsv"):
            header, rows = formats.read_table(path, fmt)
            report.ignored_columns = [
                c for c in header if c not in formats.GLOSSARY_COLUMNS and c
            ]
            if report.ignored_columns:
                warnings.warn(
                    f"{path}: ignoring column{'s' if len(report.ignored_columns) > 1 else ''} "
                    f"{', '.join(report.ignored_columns)}",
                    GlossaryWarning,
                    stacklevel=2,
                )
            with self._write():
                for line, row in rows:
                    try:
                        if skip_bad_rows:
                            with self.db.atomic():  # savepoint: a bad row leaves no trace
                                self._import_row(row, report, on_conflict, source)
                        else:
                            self._import_row(row, report, on_conflict, source)
                    except InputError as exc:
                        err = InputError(exc.reason, path, line)
                        if not skip_bad_rows:
                            raise err from None
                        report.bad_rows.append(str(err))
                        warnings.warn(f"skipped {err}", GlossaryWarning, stacklevel=2)
                self._invalidate_matcher()
        else:
            raise InputError(f"cannot import format {fmt!r} here", path)
        self.last_import = report
        return report.imported

    def _import_row(
        self, row: dict[str, str], report: ImportReport, on_conflict: str, source: str | None
    ) -> None:
        english = (row.get("english") or "").strip()
        arabic = (row.get("arabic") or "").strip()
        english, arabic = _check_canonical(english, arabic)
        kind = (row.get("kind") or "").strip().lower() or None
        if kind is not None:
            _check_kind(kind)
        note = (row.get("note") or "").strip() or None
        row_source = (row.get("source") or "").strip() or source
        variants = formats.split_list(row.get("variants"))
        aliases = formats.split_list(row.get("aliases"))
        existing = self.find_entity(english=english)
        if existing is None:
            eid = self._insert_entity(english, arabic, kind or "other", note, row_source)
            self._insert_name(eid, english, "canonical", "approved", row_source)
            self._insert_name(eid, arabic, "canonical", "approved", row_source)
            report.added += 1
        elif on_conflict == "skip":
            report.skipped += 1
            return
        elif on_conflict == "fail":
            raise InputError(f"entity {english!r} already exists (id {existing})")
        else:
            eid = existing
            self._insert_name(eid, english, "variant", "approved", row_source)
            self._insert_name(eid, arabic, "variant", "approved", row_source)
            if kind is not None or note is not None:
                self.db.execute(
                    "UPDATE entities SET kind = coalesce(?, kind), note = coalesce(?, note), "
                    "updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                    [kind, note, eid],
                )
            report.updated += 1
        for text in variants:
            self._insert_name(eid, text, "variant", "approved", row_source)
        for text in aliases:
            self._insert_name(eid, text, "alias", "approved", row_source)

    def _import_jsonl(self, path: str | Path, report: ImportReport, on_conflict: str) -> None:
        for line, obj in formats.read_jsonl(path):
            kind = obj.get("type")
            try:
                if kind == "entity":
                    self._restore_entity(obj, report, on_conflict)
                elif kind == "tm_unit":
                    self._restore_tm_unit(obj)
                else:
                    raise InputError(f"unknown record type {kind!r} (expected entity or tm_unit)")
            except InputError as exc:
                raise InputError(exc.reason, path, line) from None
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"malformed record ({exc})", path, line) from None

    def _restore_entity(self, obj: dict[str, Any], report: ImportReport, on_conflict: str) -> None:
        english, arabic = _check_canonical(obj["english"], obj["arabic"])
        _check_kind(obj.get("kind", "other"))
        existing = self.find_entity(english=english)
        if existing is not None:
            if on_conflict == "skip":
                report.skipped += 1
                return
            if on_conflict == "fail":
                raise InputError(f"entity {english!r} already exists (id {existing})")
            eid = existing
            report.updated += 1
        else:
            wanted = obj.get("id")
            free = (
                isinstance(wanted, int)
                and self.db.execute("SELECT 1 FROM entities WHERE id = ?", [wanted]).fetchone() is None
            )
            cols = ["english", "arabic", "english_norm", "arabic_norm", "kind", "note", "source"]
            vals = [english, arabic, normalize(english, "en"), normalize(arabic, "ar"),
                    obj.get("kind", "other"), obj.get("note"), obj.get("source")]
            for ts in ("created", "updated"):
                if obj.get(ts):
                    cols.append(ts)
                    vals.append(obj[ts])
            if free:
                cols.insert(0, "id")
                vals.insert(0, wanted)
            cur = self.db.execute(
                f"INSERT INTO entities ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", vals
            )
            assert cur.lastrowid is not None
            eid = cur.lastrowid
            report.added += 1
        for name in obj.get("names", []):
            role = name.get("role", "variant")
            status = name.get("status", "approved")
            if role not in ROLES or status not in STATUSES:
                raise InputError(f"bad role/status {role!r}/{status!r}")
            if existing is not None and role == "canonical":
                role = "variant"
            nid = self._insert_name(eid, name["text"], role, status, name.get("source"))
            if name.get("created"):
                self.db.execute("UPDATE names SET created = ? WHERE id = ?", [name["created"], nid])

    def _restore_tm_unit(self, obj: dict[str, Any]) -> None:
        cols = ["source", "target", "source_lang", "target_lang", "source_norm", "target_norm",
                "note", "origin", "props", "created", "updated"]
        record = {c: obj.get(c) for c in cols if obj.get(c) is not None}
        record["source_norm"] = normalize(obj["source"])
        record["target_norm"] = normalize(obj["target"])
        wanted = obj.get("id")
        if isinstance(wanted, int) and self.db.execute(
            "SELECT 1 FROM tm_units WHERE id = ?", [wanted]
        ).fetchone() is None:
            record["id"] = wanted
        keys = list(record)
        self.db.execute(
            f"INSERT INTO tm_units ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
            [record[k] for k in keys],
        )

    def export_file(self, path: str | Path, *, format: str | None = None) -> int:
        """Write the glossary to a file (format from the suffix); returns records written.

        ``.jsonl`` is lossless (every name with role, status and source, and the
        translation memory); ``.csv``/``.tsv`` hold approved spellings in the
        import layout, so an export imports back to the same entities.
        """
        fmt = formats.format_for(path, format)
        if fmt == "jsonl":
            return formats.write_jsonl(path, self._dump_records())
        if fmt in ("csv", "tsv"):
            return formats.write_table(path, fmt, self._table_rows(), formats.GLOSSARY_COLUMNS)
        raise InputError(f"cannot export format {fmt!r} here", path)

    def _table_rows(self) -> Iterator[dict[str, Any]]:
        for e in self.entities():
            approved = [n for n in e.names if n.status == "approved"]
            yield {
                "english": e.english,
                "arabic": e.arabic,
                "kind": e.kind,
                "variants": formats.LIST_SEPARATOR.join(
                    n.text for n in approved if n.role == "variant"
                ),
                "aliases": formats.LIST_SEPARATOR.join(n.text for n in approved if n.role == "alias"),
                "note": e.note,
                "source": e.source,
            }

    def _dump_records(self) -> Iterator[dict[str, Any]]:
        for e in self.entities():
            created = dict(
                self.db.execute("SELECT id, created FROM names WHERE entity_id = ?", [e.id]).fetchall()
            )
            yield {
                "type": "entity",
                "id": e.id,
                "english": e.english,
                "arabic": e.arabic,
                "kind": e.kind,
                "note": e.note,
                "source": e.source,
                "created": e.created,
                "updated": e.updated,
                "names": [
                    {"text": n.text, "lang": n.lang, "role": n.role, "status": n.status,
                     "source": n.source, "created": created.get(n.id)}
                    for n in e.names
                ],
            }
        self.db.conn.row_factory = sqlite3.Row
        try:
            rows = self.db.execute(
                "SELECT id, source, target, source_lang, target_lang, note, origin, props, created, "
                "updated FROM tm_units ORDER BY id"
            ).fetchall()
        finally:
            self.db.conn.row_factory = None
        for r in rows:
            yield {"type": "tm_unit", **{k: r[k] for k in r.keys()}}

    # ------------------------------------------------------------------ translation memory
    @property
    def tm(self) -> TranslationMemory:
        """The translation memory kept in the same store."""
        if self._tm is None:
            from .tm import TranslationMemory

            self._tm = TranslationMemory(self)
        return self._tm

    def _require_entity(self, entity_id: int) -> None:
        if self.db.execute("SELECT 1 FROM entities WHERE id = ?", [entity_id]).fetchone() is None:
            raise NotFoundError(f"no entity with id {entity_id}")


def _check_canonical(english: str, arabic: str) -> tuple[str, str]:
    english = (english or "").strip()
    arabic = (arabic or "").strip()
    if not english:
        raise InputError("empty english")
    if not arabic:
        raise InputError("empty arabic")
    if has_arabic(english):
        raise InputError(f"Arabic text in the english column: {english!r}")
    if not has_arabic(arabic):
        raise InputError(f"no Arabic letters in the arabic column: {arabic!r}")
    if has_latin(arabic):
        raise InputError(f"Latin letters in the arabic column: {arabic!r}")
    return english, arabic


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


__all__ = ["Glossary", "GlossaryError", "GlossaryWarning", "ImportReport"]
