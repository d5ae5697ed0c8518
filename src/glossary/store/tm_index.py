"""The translation memory's statements: ``tm_units``, its FTS5 index ``tm_fts`` and ``tm_vocab``.

The schema is :mod:`glossary.store`'s (migrations m002 and m003); this module
runs every statement the TM (:mod:`glossary.tm`), the TMX import
(:mod:`glossary.tmx_import`) and a JSON Lines restore (:mod:`glossary.exchange`)
need, and builds the FTS5 queries.  Like :class:`glossary.store.Store`, it opens
no transaction: writes run inside the caller's.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from typing import Any

from ._sqlite_utils import sqlite_utils

#: The columns of a unit row as the TMX import writes it (:meth:`TMStore.insert_rows`) and a
#: JSON Lines dump restores it, in this order.
UNIT_COLUMNS = (
    "source", "target", "source_lang", "target_lang", "source_norm", "target_norm",
    "note", "origin", "props", "created", "updated",
)
_INSERT_ROW = f"INSERT INTO tm_units ({', '.join(UNIT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#: A stored unit as :meth:`TMStore.unit_row` gives it.
_UNIT_COLS = "id, source, target, source_lang, target_lang, note, origin, props, created, updated"
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
#: The unit's side in the query's language (bound to the language once).
_SIDE = "CASE WHEN source_lang = ? THEN source_norm ELSE target_norm END"


def _phrase(text: str) -> str:
    """An FTS5 phrase: the words of ``text`` in a row; a trailing ``*`` makes the last a prefix."""
    if text.endswith("*"):
        return f'"{text[:-1]}"*'
    return f'"{text}"'


class TMStore:
    """Every statement on the translation memory's tables (see the module doc)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._has_json: bool | None = None

    # ------------------------------------------------------------------ meta
    def norm_fingerprint(self) -> str | None:
        """The fingerprint of the normalization the units' ``*_norm`` columns were made with."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'tm_norm_fingerprint'").fetchone()
        return None if row is None else row[0]

    def set_norm_fingerprint(self, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES ('tm_norm_fingerprint', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [value],
        )

    # ------------------------------------------------------------------ units
    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM tm_units").fetchone()[0])

    def max_id(self) -> int:
        """The highest unit id (0: none stored)."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM tm_units").fetchone()[0])

    def unit_exists(self, unit_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM tm_units WHERE id = ?", [unit_id]).fetchone() is not None

    def unit_row(self, unit_id: int) -> tuple[Any, ...] | None:
        """``(id, source, target, source_lang, target_lang, note, origin, props, created, updated)``."""
        row: tuple[Any, ...] | None = self.db.execute(
            f"SELECT {_UNIT_COLS} FROM tm_units WHERE id = ?", [unit_id]
        ).fetchone()
        return row

    def unit_rows_after(self, last: int, limit: int) -> list[tuple[Any, ...]]:
        """The next ``limit`` units (as :meth:`unit_row`) with an id above ``last``, in id order."""
        rows: list[tuple[Any, ...]] = self.db.execute(
            f"SELECT {_UNIT_COLS} FROM tm_units WHERE id > ? ORDER BY id LIMIT {int(limit)}", [last]
        ).fetchall()
        return rows

    def norm_rows(self) -> list[tuple[int, str, str, str, str, str, str]]:
        """``(id, source, target, source_lang, target_lang, source_norm, target_norm)`` of every unit."""
        rows: list[tuple[int, str, str, str, str, str, str]] = self.db.execute(
            "SELECT id, source, target, source_lang, target_lang, source_norm, target_norm FROM tm_units"
        ).fetchall()
        return rows

    def set_norms(self, unit_id: int, source_norm: str, target_norm: str) -> None:
        """Replace a unit's normalized sides (the triggers re-index it)."""
        self.db.execute(
            "UPDATE tm_units SET source_norm = ?, target_norm = ? WHERE id = ?",
            [source_norm, target_norm, unit_id],
        )

    def find_pair(self, source_norm: str, target_norm: str, source_lang: str, target_lang: str) -> int | None:
        """The newest unit with these normalized sides and languages."""
        row = self.db.execute(
            "SELECT id FROM tm_units WHERE source_norm = ? AND target_norm = ? "
            "AND source_lang = ? AND target_lang = ? ORDER BY id DESC LIMIT 1",
            [source_norm, target_norm, source_lang, target_lang],
        ).fetchone()
        return None if row is None else int(row[0])

    def touch_pair(self, unit_id: int, source: str, target: str, note: str | None, origin: str | None) -> None:
        """Store a pair again over its identical unit: new texts, note and origin where given, ``updated`` now."""
        self.db.execute(
            f"UPDATE tm_units SET source = ?, target = ?, note = coalesce(?, note), "
            f"origin = coalesce(?, origin), updated = {_NOW} WHERE id = ?",
            [source, target, note, origin, unit_id],
        )

    def insert_unit(
        self,
        source: str,
        target: str,
        source_lang: str,
        target_lang: str,
        source_norm: str,
        target_norm: str,
        note: str | None,
        origin: str | None,
    ) -> int:
        """Insert one unit; returns its id."""
        cur = self.db.execute(
            """INSERT INTO tm_units (source, target, source_lang, target_lang,
               source_norm, target_norm, note, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [source, target, source_lang, target_lang, source_norm, target_norm, note, origin],
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def insert_record(self, record: dict[str, Any]) -> None:
        """Insert a unit from a dump: the columns it has (``UNIT_COLUMNS`` and ``id``)."""
        keys = list(record)
        self.db.execute(
            f"INSERT INTO tm_units ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
            [record[k] for k in keys],
        )

    def delete_unit(self, unit_id: int) -> bool:
        """Delete a unit; False if there is none."""
        return bool(self.db.execute("DELETE FROM tm_units WHERE id = ?", [unit_id]).rowcount != 0)

    def stats(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]], str | None, str | None]:
        """Units by language pair (``ar→en``) and by origin (the top 20), the first ``created``
        and the last ``updated``."""
        pairs = self.db.execute(
            "SELECT source_lang || '→' || target_lang, count(*) FROM tm_units GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
        origins = self.db.execute(
            "SELECT coalesce(origin, ''), count(*) FROM tm_units GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
        ).fetchall()
        first, last = self.db.execute("SELECT min(created), max(updated) FROM tm_units").fetchone()
        return pairs, origins, first, last

    def source_langs(self) -> list[str]:
        """The distinct source languages of the units."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT source_lang FROM tm_units").fetchall()]

    def unit_records(self) -> list[dict[str, Any]]:
        """Every unit as a dict (``id``, the texts and languages, ``note``, ``origin``, ``props``,
        ``created``, ``updated``), in id order: what a JSON Lines dump holds."""
        self.db.conn.row_factory = sqlite3.Row
        try:
            rows = self.db.execute(
                "SELECT id, source, target, source_lang, target_lang, note, origin, props, created, "
                "updated FROM tm_units ORDER BY id"
            ).fetchall()
        finally:
            self.db.conn.row_factory = None
        return [{k: r[k] for k in r.keys()} for r in rows]  # noqa: SIM118 (Row iterates values)

    # ------------------------------------------------------------------ search
    def doc_freqs(self) -> dict[str, int]:
        """term -> how many units hold it (``tm_vocab``)."""
        return dict(self.db.execute("SELECT term, doc FROM tm_vocab").fetchall())

    def same_source(self, source_norm: str, limit: int) -> list[int]:
        """Ids of the newest units whose normalized source is this."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM tm_units WHERE source_norm = ? ORDER BY id DESC LIMIT ?", [source_norm, limit]
            )
        ]

    def holding_all(self, terms: Iterable[str], limit: int) -> list[int]:
        """Ids of the newest units holding every one of ``terms`` (one FTS5 ``AND`` query)."""
        match = " AND ".join(_phrase(t) for t in terms)
        return [
            r[0]
            for r in self.db.execute(
                "SELECT rowid FROM tm_fts WHERE tm_fts MATCH ? ORDER BY rowid DESC LIMIT ?", [match, limit]
            )
        ]

    def holding(self, term: str) -> list[int]:
        """Ids of every unit holding ``term`` (its postings)."""
        rows = self.db.execute("SELECT rowid FROM tm_fts WHERE tm_fts MATCH ?", [_phrase(term)]).fetchall()
        return [r[0] for r in rows]

    def sides(self, ids: Sequence[int], lang: str) -> list[tuple[int, str]]:
        """``(id, normalized side in lang)`` of these units that have a side in ``lang``."""
        marks = ",".join("?" * len(ids))
        rows: list[tuple[int, str]] = self.db.execute(
            f"SELECT id, {_SIDE} FROM tm_units WHERE id IN ({marks}) AND (source_lang = ? OR target_lang = ?)",
            [lang, *ids, lang, lang],
        ).fetchall()
        return rows

    def candidate_rows(self, ids: Sequence[int], lang: str) -> list[tuple[Any, ...]]:
        """``(id, source, target, source_lang, target_lang, side_norm, note, origin, updated)`` of
        these units that have a side in ``lang`` (``side_norm``: that side, normalized)."""
        marks = ",".join("?" * len(ids))
        rows: list[tuple[Any, ...]] = self.db.execute(
            f"""SELECT id, source, target, source_lang, target_lang, {_SIDE}, note, origin, updated
                FROM tm_units WHERE id IN ({marks}) AND (source_lang = ? OR target_lang = ?)""",
            [lang, *ids, lang, lang],
        ).fetchall()
        return rows

    def holding_phrases(self, parts: Sequence[str | Sequence[str]], limit: int) -> list[tuple[Any, ...]]:
        """Units holding every part, newest first: a part is a phrase, or phrases any one of which will do
        (a phrase ending in ``*``: its last word is a prefix).

        Rows: ``(id, source, target, source_lang, target_lang, source_norm, target_norm, note,
        origin, updated)``.
        """
        match = " AND ".join(
            _phrase(p) if isinstance(p, str) else "(" + " OR ".join(_phrase(o) for o in p) + ")" for p in parts
        )
        rows: list[tuple[Any, ...]] = self.db.execute(
            """SELECT u.id, u.source, u.target, u.source_lang, u.target_lang, u.source_norm,
                       u.target_norm, u.note, u.origin, u.updated
                FROM tm_fts JOIN tm_units u ON u.id = tm_fts.rowid
                WHERE tm_fts MATCH ? ORDER BY u.updated DESC, u.id DESC LIMIT ?""",
            [match, limit],
        ).fetchall()
        return rows

    # ------------------------------------------------------------------ bulk import
    def cache_size(self) -> int:
        """SQLite's page cache setting (``PRAGMA cache_size``)."""
        return int(self.db.execute("PRAGMA cache_size").fetchone()[0])

    def set_cache_size(self, size: int) -> None:
        self.db.execute(f"PRAGMA cache_size = {int(size)}")

    def defer_fts(self) -> None:
        """Stop the insert trigger indexing new units in ``tm_fts`` (see m003): :meth:`index_after` will."""
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('tm_fts_deferred', '1')")

    def end_defer_fts(self) -> None:
        self.db.execute("DELETE FROM meta WHERE key = 'tm_fts_deferred'")

    def set_fts_hashsize(self, size: int) -> None:
        """Set FTS5's ``hashsize`` of ``tm_fts`` (a setting stored in the index; speed only)."""
        with suppress(sqlite3.OperationalError):  # an SQLite whose FTS5 lacks the setting
            self.db.execute("INSERT INTO tm_fts(tm_fts, rank) VALUES ('hashsize', ?)", [size])

    def drop_unit_indexes(self) -> list[str]:
        """Drop ``tm_units``' indexes; returns the statements that build them again (:meth:`run_schema`)."""
        dropped: list[str] = []
        for name, sql in self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tm_units' "
            "AND sql IS NOT NULL"
        ).fetchall():
            self.db.execute(f'DROP INDEX "{name}"')
            dropped.append(sql)
        return dropped

    def run_schema(self, sql: str) -> None:
        """Run a schema statement :meth:`drop_unit_indexes` returned."""
        self.db.execute(sql)

    def index_after(self, unit_id: int) -> None:
        """Add the units above ``unit_id`` to ``tm_fts`` (a deferred import's rows)."""
        self.db.execute(
            "INSERT INTO tm_fts(rowid, source_norm, target_norm) "
            "SELECT id, source_norm, target_norm FROM tm_units WHERE id > ?",
            [unit_id],
        )

    def units_by_source_norm(self, norms: list[str]) -> Iterator[tuple[int, str, str, str, str]]:
        """``(id, source_lang, target_lang, source_norm, target_norm)`` of the units whose normalized
        source is one of ``norms`` (sorted), in id order within each chunk of 500 norms (one query
        through ``json_each`` where SQLite has it)."""
        chunks: list[list[str]]
        where = "source_norm IN ({})"
        if self._json_rows():
            chunks = [[json.dumps(norms, ensure_ascii=False)]]
            where = "source_norm IN (SELECT value FROM json_each(?))"
        else:
            chunks = [norms[i : i + 500] for i in range(0, len(norms), 500)]
        for chunk in chunks:
            yield from self.db.execute(
                "SELECT id, source_lang, target_lang, source_norm, target_norm FROM tm_units "
                f"WHERE {where.format(','.join('?' * len(chunk)))} ORDER BY id",
                chunk,
            )

    def update_imported(self, unit_id: int, row: Sequence[Any]) -> None:
        """Give a unit an imported row's texts, target norm, note, props and ``updated`` (row in
        ``UNIT_COLUMNS`` order)."""
        self.db.execute(
            """UPDATE tm_units SET source = ?, target = ?, target_norm = ?, note = ?,
                props = ?, updated = ? WHERE id = ?""",
            [row[0], row[1], row[5], row[6], row[8], row[10], unit_id],
        )

    def insert_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert unit rows in ``UNIT_COLUMNS`` order (one statement)."""
        self.db.conn.executemany(_INSERT_ROW, rows)

    def _json_rows(self) -> bool:
        """Whether this SQLite has ``json_each`` (JSON1: built in since 3.38, common before)."""
        if self._has_json is None:
            try:
                self.db.execute("SELECT count(*) FROM json_each('[1]')").fetchone()
                self._has_json = True
            except sqlite3.OperationalError:
                self._has_json = False
        return self._has_json
