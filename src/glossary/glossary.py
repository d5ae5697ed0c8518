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

from . import formats, store, tbx
from .errors import GlossaryError, InputError, NotFoundError
from .matching import DEFAULT_MIN_SCORE, Matcher, NameRecord
from .models import KINDS, ROLES, STATUSES, Entity, Match, Name
from .normalize import has_arabic, has_latin, normalize, script_of

if TYPE_CHECKING:
    from .scanning import Mention, NormalizeResult, Scanner
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
    #: rows folded into an entity added earlier from the same file
    merged: int = 0
    ignored_languages: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.added + self.updated + self.merged

    def summary(self) -> str:
        """One line: ``N added, N updated, N skipped`` and what else happened."""
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.skipped} skipped"]
        if self.merged:
            parts.append(f"{self.merged} merged into earlier rows")
        if self.bad_rows:
            parts.append(f"{len(self.bad_rows)} bad row{'s' if len(self.bad_rows) > 1 else ''} skipped")
        return ", ".join(parts)


@dataclass
class _ImportRun:
    """State of one import: the report, the conflict policy, and what this file added."""

    report: ImportReport
    path: str
    on_conflict: str
    source: str | None
    line: int = 0
    #: entity id -> line that added it
    new_entities: dict[int, int] = field(default_factory=dict)
    #: (english norm, arabic norm) -> first line
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    #: what the current row added to the two maps above, undone if the row is skipped
    pending: list[tuple[int, tuple[str, str]]] = field(default_factory=list)


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
        self._writes = 0  # committed write transactions on this connection (scanner cache key)
        self._scanner: Scanner | None = None
        self._scanner_key: tuple[int, int] | None = None

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
            self._writes += 1
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

    # ------------------------------------------------------------------ running text
    @property
    def scanner(self) -> Scanner:
        """The running-text index (:mod:`glossary.scanning`), rebuilt after any write."""
        from .scanning import REPORT_MIN_SCORE, ScanName, Scanner

        matcher = self.matcher
        key = (int(self.db.execute("PRAGMA data_version").fetchone()[0]), self._writes)
        if self._scanner is None or key != self._scanner_key:
            entities = {
                r[0]: (r[1], r[2]) for r in self.db.execute("SELECT id, english, arabic FROM entities")
            }
            rows = self.db.execute(
                "SELECT id, entity_id, text, lang, role, norm FROM names WHERE status = 'approved'"
            )

            def search(query: str) -> Any:
                hits = matcher.search(query, limit=1, min_score=min(REPORT_MIN_SCORE, 60.0))
                return hits[0] if hits else None

            self._scanner = Scanner((ScanName(*r) for r in rows), entities, search)
            self._scanner_key = key
        return self._scanner

    def find_mentions(self, text: str, min_score: float | None = None) -> list[Mention]:
        """Every entity mention in ``text``, in order, non-overlapping, longest match first.

        Offsets are character offsets into ``text``; ``prefix`` is the proclitic
        kept outside the name (ل in لبوتين).  Mentions scoring below
        ``min_score`` (default :data:`glossary.scanning.REPORT_MIN_SCORE`) are
        left out.  See :mod:`glossary.scanning` for what is recognized.
        """
        from .scanning import REPORT_MIN_SCORE

        return self.scanner.find(text, REPORT_MIN_SCORE if min_score is None else float(min_score))

    def normalize_text(
        self,
        text: str,
        annotate: bool | str = False,
        min_score: float | None = None,
        *,
        expand_aliases: bool = False,
    ) -> NormalizeResult:
        """Rewrite every mention scoring at least ``min_score`` to the canonical Arabic spelling.

        ``min_score`` defaults to :data:`glossary.scanning.REWRITE_MIN_SCORE`;
        mentions below it are still reported (``replaced`` False).  With
        ``annotate`` (True, or a format such as ``"{surface} ({english})"``) the
        text is kept and the English name is added after each entity's first
        mention.  Short forms stay short unless ``expand_aliases``.
        """
        from .scanning import DEFAULT_ANNOTATION, REWRITE_MIN_SCORE

        fmt = None if annotate is False else DEFAULT_ANNOTATION if annotate is True else str(annotate)
        threshold = REWRITE_MIN_SCORE if min_score is None else float(min_score)
        return self.scanner.normalize(text, threshold, fmt, expand_aliases)

    def suggest_variants(
        self, mentions: Iterable[Mention | tuple[int, str]], source: str | None = None
    ) -> list[int]:
        """Record spellings found only through their keys as ``suggested`` variants for review.

        Takes mentions (those with ``stored`` False are recorded) or
        ``(entity_id, spelling)`` pairs; returns the ids of the names added
        (spellings the entity already has are left as they are).
        See :meth:`suggestions`, :meth:`set_status` and :meth:`remove_name` for review.
        """
        from .scanning import Mention

        ids: list[int] = []
        with self._write():
            for item in mentions:
                if isinstance(item, Mention):
                    if item.stored or item.lang != "ar":
                        continue
                    eid, text = item.entity_id, item.surface
                else:
                    eid, text = item
                text = " ".join(text.split())
                if not text:
                    continue
                exists = self.db.execute(
                    "SELECT id FROM names WHERE entity_id = ? AND text = ?", [eid, text]
                ).fetchone()
                if exists is None:
                    ids.append(self._insert_name(eid, text, "variant", "suggested", source))
        return ids

    # ------------------------------------------------------------------ files
    def import_file(
        self,
        path: str | Path,
        *,
        format: str | None = None,
        on_conflict: str = "update",
        skip_bad_rows: bool = False,
        source: str | None = None,
        columns: dict[str, str] | None = None,
    ) -> int:
        """Import a glossary file; returns the entities imported (added + updated + merged).

        Formats (from the suffix, or ``format``): ``csv``/``tsv``/``excel-csv``
        with a header -- ``english`` and ``arabic``, optional ``kind``,
        ``variants`` and ``aliases`` (``|``-separated, either script), ``note``,
        ``source``; columns named by language (``en``, ``ar-SA``); or a CAT
        layout ``sourceString, targetString`` with ``sourceLang``/``targetLang``
        columns whose codes give each row's direction (TICO-19) -- other
        layouts through ``columns`` (``{"english": "EN", "arabic": "AR"}``);
        ``omegat`` (source TAB target TAB comment; the column holding Arabic
        is the Arabic one); ``tbx`` (v3 or v2, detected); ``jsonl`` (a
        lossless export, restored with its ids and timestamps).

        Conflicts: an imported entity *is* an existing one when its canonical
        English is the same after normalization (case, accents, punctuation:
        "Kim Jong-un" = "Kim Jong Un").  A shared Arabic spelling is not a
        conflict -- هارمن is both Harman and Harmen.  ``on_conflict`` decides:
        ``update`` (default) merges the new spellings into the existing entity
        (so re-importing a file changes nothing), ``skip`` leaves it alone,
        ``fail`` stops the import.  Rows of the same file that share an English
        name are always merged into one entity (an exact repeat is warned about).

        The whole file is one transaction: a bad row imports nothing unless
        ``skip_bad_rows`` is set, which skips and reports each bad row
        (:class:`GlossaryWarning` and ``last_import.bad_rows``).  A file that
        cannot be read (not UTF-8, malformed XML, an XML entity declaration)
        always imports nothing.
        """
        if on_conflict not in ON_CONFLICT:
            raise InputError(f"unknown on_conflict {on_conflict!r}; use one of {', '.join(ON_CONFLICT)}")
        fmt = formats.format_for(path, format)
        if format is None and Path(path).suffix.lower() == ".txt":
            fmt = formats.sniff_txt(path)
        if columns and fmt not in ("csv", "tsv", "excel-csv"):
            raise InputError(f"--columns only applies to CSV/TSV files, not {fmt}", path)
        if not formats.FORMATS[fmt][1]:
            raise InputError(f"cannot import format {fmt!r}", path)
        run = _ImportRun(ImportReport(str(path)), str(path), on_conflict, source)
        if fmt == "jsonl":
            records = formats.read_jsonl(path)
            self._import_items(records, run, skip_bad_rows, lambda obj: self._import_record(obj, run))
        elif fmt in ("tbx", "tbx2"):
            reader = tbx.read_tbx(path)
            ignored: set[str] = set()

            def concept(node: tbx.Node) -> None:
                self._import_record(tbx.concept_record(node, ignored), run)

            self._import_items(iter(reader), run, skip_bad_rows, concept)
            run.report.ignored_languages = sorted(ignored)
            if ignored:
                warnings.warn(
                    f"{path}: ignored terms in language{'s' if len(ignored) > 1 else ''} "
                    f"{', '.join(sorted(ignored))} (only English and Arabic are kept)",
                    GlossaryWarning,
                    stacklevel=2,
                )
        elif fmt == "omegat":
            self._import_items(
                formats.read_omegat(path), run, skip_bad_rows, lambda row: self._import_row(row, run)
            )
        else:
            layout, rows = formats.read_glossary_table(path, "tsv" if fmt == "tsv" else "csv", columns)
            run.report.ignored_columns = layout.ignored
            if layout.ignored:
                warnings.warn(
                    f"{path}: ignoring column{'s' if len(layout.ignored) > 1 else ''} "
                    f"{', '.join(layout.ignored)}",
                    GlossaryWarning,
                    stacklevel=2,
                )
            self._import_items(
                rows, run, skip_bad_rows, lambda row: self._import_row(layout.convert(row), run)
            )
        self.last_import = run.report
        return run.report.imported

    def _import_items(
        self,
        items: Iterator[tuple[int, Any]],
        run: _ImportRun,
        skip_bad_rows: bool,
        handle: Callable[[Any], None],
    ) -> None:
        """Feed ``(line, item)`` pairs to ``handle`` in one transaction; see :meth:`import_file`.

        An error raised by ``items`` itself (unreadable file, malformed XML)
        aborts the import even with ``skip_bad_rows``: there is no next row to
        go on with.
        """
        with self._write():
            report = run.report
            for line, item in items:
                run.line = line
                counts = (report.added, report.updated, report.skipped, report.merged)
                run.pending.clear()
                try:
                    if skip_bad_rows:
                        with self.db.atomic():  # savepoint: a bad row leaves no trace
                            handle(item)
                    else:
                        handle(item)
                    continue
                except InputError as exc:
                    err = InputError(exc.reason, run.path, line)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    err = InputError(f"malformed record ({type(exc).__name__}: {exc})", run.path, line)
                if not skip_bad_rows:
                    raise err from None
                # the savepoint undid the row: undo its counts and what it added to this run
                report.added, report.updated, report.skipped, report.merged = counts
                for eid, key in run.pending:
                    run.new_entities.pop(eid, None)
                    run.seen.pop(key, None)
                report.bad_rows.append(str(err))
                warnings.warn(f"skipped {err}", GlossaryWarning, stacklevel=3)
            self._invalidate_matcher()

    def _conflict(self, english: str, arabic: str, run: _ImportRun) -> tuple[int | None, bool]:
        """``(entity id, merge)`` for an imported entity: ``(None, _)`` if it is new.

        ``merge`` is True when the entity was added earlier by this same file.
        Raises for ``fail``; the caller skips for ``skip``.
        """
        existing = self.find_entity(english=english)
        if existing is None:
            return None, False
        if existing in run.new_entities:
            key = (normalize(english, "en"), normalize(arabic, "ar"))
            first = run.seen.get(key)
            if first is not None:
                warnings.warn(
                    f"{run.path}:{run.line}: duplicate of line {first} (same English and Arabic); merged",
                    GlossaryWarning,
                    stacklevel=4,
                )
            run.report.merged += 1
            return existing, True
        if run.on_conflict == "fail":
            raise InputError(
                f"entity {english!r} already exists (id {existing}); on-conflict is fail "
                "(use update to merge or skip to keep the stored one)"
            )
        return existing, False

    def _note_new(self, eid: int, english: str, arabic: str, run: _ImportRun) -> None:
        key = (normalize(english, "en"), normalize(arabic, "ar"))
        if eid not in run.new_entities:
            run.new_entities[eid] = run.line
            run.pending.append((eid, key))
        if key not in run.seen:
            run.seen[key] = run.line
            run.pending.append((-1, key))

    def _import_row(self, row: dict[str, str], run: _ImportRun) -> None:
        english, arabic = _check_canonical(row.get("english") or "", row.get("arabic") or "", mixed=True)
        kind = (row.get("kind") or "").strip().lower() or None
        if kind is not None:
            _check_kind(kind)
        note = (row.get("note") or "").strip() or None
        row_source = (row.get("source") or "").strip() or run.source
        variants = formats.split_list(row.get("variants"))
        aliases = formats.split_list(row.get("aliases"))
        report = run.report
        existing, merge = self._conflict(english, arabic, run)
        if existing is None:
            eid = self._insert_entity(english, arabic, kind or "other", note, row_source)
            self._insert_name(eid, english, "canonical", "approved", row_source)
            self._insert_name(eid, arabic, "canonical", "approved", row_source)
            report.added += 1
        elif run.on_conflict == "skip" and not merge:
            report.skipped += 1
            return
        else:
            eid = existing
            self._insert_name(eid, english, "variant", "approved", row_source)
            self._insert_name(eid, arabic, "variant", "approved", row_source)
            self._update_entity_info(eid, kind, note)
            if not merge:
                report.updated += 1
        if existing is None or merge:
            self._note_new(eid, english, arabic, run)
        for text in variants:
            self._insert_name(eid, text, "variant", "approved", row_source)
        for text in aliases:
            self._insert_name(eid, text, "alias", "approved", row_source)

    def _update_entity_info(self, eid: int, kind: str | None, note: str | None) -> None:
        if kind is not None or note is not None:
            self.db.execute(
                "UPDATE entities SET kind = coalesce(?, kind), note = coalesce(?, note), "
                "updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                [kind, note, eid],
            )

    def _import_jsonl(self, path: str | Path, report: ImportReport, on_conflict: str) -> None:
        """Restore a JSON Lines dump into the open transaction (kept for callers of the old API)."""
        run = _ImportRun(report, str(path), on_conflict, None)
        for line, obj in formats.read_jsonl(path):
            run.line = line
            try:
                self._import_record(obj, run)
            except InputError as exc:
                raise InputError(exc.reason, path, line) from None
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"malformed record ({exc})", path, line) from None

    def _import_record(self, obj: dict[str, Any], run: _ImportRun) -> None:
        kind = obj.get("type")
        if kind == "entity":
            self._restore_entity(obj, run)
        elif kind == "tm_unit":
            self._restore_tm_unit(obj)
        else:
            raise InputError(f"unknown record type {kind!r} (expected entity or tm_unit)")

    def _restore_entity(self, obj: dict[str, Any], run: _ImportRun) -> None:
        """Add (or merge) one entity record: the JSON Lines shape, also what TBX concepts become."""
        english, arabic = _check_canonical(obj["english"], obj["arabic"], mixed=True)
        kind = obj.get("kind") or "other"
        _check_kind(kind)
        names = obj.get("names") or []
        if not isinstance(names, list):
            raise InputError("names must be a list")
        for name in names:
            role = name.get("role", "variant")
            status = name.get("status", "approved")
            if role not in ROLES or status not in STATUSES:
                raise InputError(f"bad role/status {role!r}/{status!r}")
        existing, merge = self._conflict(english, arabic, run)
        if existing is not None:
            if run.on_conflict == "skip" and not merge:
                run.report.skipped += 1
                return
            eid = existing
            self._insert_name(eid, english, "variant", "approved", obj.get("source"))
            self._insert_name(eid, arabic, "variant", "approved", obj.get("source"))
            self._update_entity_info(eid, kind if kind != "other" else None, obj.get("note") or None)
            if not merge:
                run.report.updated += 1
        else:
            wanted = obj.get("id")
            free = (
                isinstance(wanted, int)
                and not isinstance(wanted, bool)
                and wanted > 0
                and self.db.execute("SELECT 1 FROM entities WHERE id = ?", [wanted]).fetchone() is None
            )
            cols = ["english", "arabic", "english_norm", "arabic_norm", "kind", "note", "source"]
            vals = [english, arabic, normalize(english, "en"), normalize(arabic, "ar"),
                    kind, obj.get("note"), obj.get("source")]
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
            run.report.added += 1
            self._note_new(eid, english, arabic, run)
            if not any(n.get("role") == "canonical" for n in names):
                self._insert_name(eid, english, "canonical", "approved", obj.get("source"))
                self._insert_name(eid, arabic, "canonical", "approved", obj.get("source"))
        for name in names:
            role = name.get("role", "variant")
            if existing is not None and role == "canonical":
                role = "variant"
            nid = self._insert_name(eid, name["text"], role, name.get("status", "approved"), name.get("source"))
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

    def export_file(
        self, path: str | Path, *, format: str | None = None, direction: str = "ar-en"
    ) -> int:
        """Write the glossary to a file (format from the suffix or ``format``); returns records written.

        * ``jsonl``: lossless -- every entity and name with role, status,
          source and timestamps, and the translation memory; imports back
          identically into an empty store.
        * ``csv``/``tsv``: approved spellings in the import layout, so an export
          imports back to the same entities; ``excel-csv``: the same as CSV
          with a BOM and CRLF for spreadsheet programs.
        * ``tbx`` (v3, TBX-Basic) / ``tbx2`` (v2 martif): one concept per entity,
          one term per spelling, roles kept (see :mod:`glossary.tbx`).
        * ``omegat``: a glossary for OmegaT; ``direction="ar-en"`` (default)
          writes one line per approved Arabic spelling with its canonical English,
          so every spelling in an Arabic source text is recognised;
          ``"en-ar"`` writes canonical English -> canonical Arabic, one line
          per entity.  The comment column holds the entity note.
        """
        fmt = formats.format_for(path, format)
        if not formats.FORMATS[fmt][2]:
            raise InputError(f"cannot export format {fmt!r}", path)
        if fmt == "jsonl":
            return formats.write_jsonl(path, self._dump_records())
        if fmt in ("csv", "tsv", "excel-csv"):
            return formats.write_table(path, fmt, self._table_rows(), formats.GLOSSARY_COLUMNS)
        if fmt in ("tbx", "tbx2"):
            return tbx.write_tbx(path, self.entities(), version=3 if fmt == "tbx" else 2)
        if direction not in ("ar-en", "en-ar"):
            raise InputError(f"unknown direction {direction!r}; use ar-en or en-ar")
        return formats.write_omegat(path, self._omegat_rows(direction))

    def _omegat_rows(self, direction: str) -> Iterator[tuple[str, str, str]]:
        for e in self.entities():
            note = e.note or ""
            if direction == "en-ar":
                yield e.english, e.arabic, note
                continue
            for n in e.names:
                if n.lang == "ar" and n.status == "approved":
                    yield n.text, e.english, note

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
            yield {"type": "tm_unit", **{k: r[k] for k in r.keys()}}  # noqa: SIM118 (Row iterates values)

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


def _check_canonical(english: str, arabic: str, *, mixed: bool = True) -> tuple[str, str]:
    """Strip and check a canonical pair.

    The Arabic may hold some Latin letters, as terms do (إنفلونزا H1N1,
    حمض الريبونوكلييك (RNA)), as long as Arabic letters are the majority
    (``mixed=False`` forbids any); text with no Arabic letter is always refused.
    The same rule holds for :meth:`Glossary.add` and for imports.
    """
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
    if has_latin(arabic) and not (mixed and _mostly_arabic(arabic)):
        raise InputError(f"Latin letters in the arabic column: {arabic!r}")
    return english, arabic


def _mostly_arabic(text: str) -> bool:
    arabic = sum(1 for c in text if has_arabic(c))
    latin = sum(1 for c in text if has_latin(c))
    return arabic > latin


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


__all__ = ["Glossary", "GlossaryError", "GlossaryWarning", "ImportReport"]
