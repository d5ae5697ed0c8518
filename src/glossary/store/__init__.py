"""The store layer: the SQLite file, its schema migrations, where the default store lives,
and every SQL statement the library runs.

One store holds the glossary (entities and their names) and the translation
memory.  :class:`Store` runs the statements on entities, names and ``meta``;
:class:`glossary.store.tm_index.TMStore` (``Store.tm``) those of the translation
memory and its FTS5 index.  No other module of the package holds SQL
(``tests/test_layout.py`` checks it).

The schema is created and upgraded with :class:`sqlite_utils.Migrations`; a
store written by a newer version (a migration this version does not know) is
refused rather than half-understood.

Every write runs in ``BEGIN IMMEDIATE`` so two processes writing at once queue
on SQLite's busy timeout instead of failing or corrupting the file.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..normalize import normalize
from ._sqlite_utils import Migrations, sqlite_utils
from .tm_index import TMStore

#: Environment variable that moves the default store.
ENV_DB = "GLOSSARY_DB"
#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT = 30.0

migrations = Migrations("glossary")
#: The schema migrations this version knows, in the order they apply.
KNOWN_MIGRATIONS: list[str] = []


def _migration(fn: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    """Register a schema migration (``@migrations()``) and note its name in :data:`KNOWN_MIGRATIONS`."""
    KNOWN_MIGRATIONS.append(fn.__name__)
    return migrations()(fn)


@_migration
def m001_glossary(db: sqlite_utils.Database) -> None:
    """Entities and every spelling of them."""
    db.execute(
        """
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            english TEXT NOT NULL,
            arabic TEXT NOT NULL,
            english_norm TEXT NOT NULL,
            arabic_norm TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'other'
                CHECK (kind IN ('person', 'place', 'organization', 'other')),
            note TEXT,
            source TEXT,
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )"""
    )
    db.execute("CREATE INDEX entities_english_norm ON entities(english_norm)")
    db.execute("CREATE INDEX entities_arabic_norm ON entities(arabic_norm)")
    db.execute(
        """
        CREATE TABLE names (
            id INTEGER PRIMARY KEY,
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            lang TEXT NOT NULL CHECK (lang IN ('ar', 'en')),
            role TEXT NOT NULL DEFAULT 'variant'
                CHECK (role IN ('canonical', 'variant', 'alias')),
            status TEXT NOT NULL DEFAULT 'approved'
                CHECK (status IN ('approved', 'suggested')),
            source TEXT,
            norm TEXT NOT NULL,
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            UNIQUE (entity_id, text)
        )"""
    )
    db.execute("CREATE INDEX names_norm ON names(norm)")
    db.execute("CREATE INDEX names_entity ON names(entity_id)")
    db.execute("CREATE INDEX names_status ON names(status)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")


@_migration
def m002_translation_memory(db: sqlite_utils.Database) -> None:
    """Sentence pairs for the translation memory."""
    db.execute(
        """
        CREATE TABLE tm_units (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source_norm TEXT NOT NULL,
            target_norm TEXT NOT NULL,
            note TEXT,
            origin TEXT,
            props TEXT,
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )"""
    )
    db.execute("CREATE INDEX tm_units_langs ON tm_units(source_lang, target_lang)")
    db.execute("CREATE INDEX tm_units_source_norm ON tm_units(source_norm)")


@_migration
def m003_tm_index(db: sqlite_utils.Database) -> None:
    """Full-text index of the translation memory, kept in step by triggers.

    ``tm_fts`` is an external-content FTS5 index over ``tm_units.source_norm``
    and ``target_norm``; the triggers keep it right whoever writes ``tm_units``
    (the TM API, the JSONL restore, plain SQL).  ``tm_vocab`` gives each
    term's document frequency (the TM queries its rarest terms).  The
    ``glossary_version`` counter in ``meta`` moves on every change to
    ``names``/``entities``, so the TM knows when to rebuild its entity index.
    A bulk import sets ``meta.tm_fts_deferred`` inside its transaction and
    indexes its rows in one statement per batch (5x faster than the trigger).
    """
    db.execute(
        """CREATE VIRTUAL TABLE tm_fts USING fts5(
               source_norm, target_norm, content='tm_units', content_rowid='id',
               tokenize='unicode61 remove_diacritics 0')"""
    )
    db.execute("CREATE VIRTUAL TABLE tm_vocab USING fts5vocab(tm_fts, 'row')")
    db.execute(
        """CREATE TRIGGER tm_units_fts_ai AFTER INSERT ON tm_units
           WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'tm_fts_deferred') BEGIN
               INSERT INTO tm_fts(rowid, source_norm, target_norm)
               VALUES (new.id, new.source_norm, new.target_norm);
           END"""
    )
    db.execute(
        """CREATE TRIGGER tm_units_fts_ad AFTER DELETE ON tm_units BEGIN
               INSERT INTO tm_fts(tm_fts, rowid, source_norm, target_norm)
               VALUES ('delete', old.id, old.source_norm, old.target_norm);
           END"""
    )
    db.execute(
        """CREATE TRIGGER tm_units_fts_au AFTER UPDATE OF source_norm, target_norm ON tm_units
           BEGIN
               INSERT INTO tm_fts(tm_fts, rowid, source_norm, target_norm)
               VALUES ('delete', old.id, old.source_norm, old.target_norm);
               INSERT INTO tm_fts(rowid, source_norm, target_norm)
               VALUES (new.id, new.source_norm, new.target_norm);
           END"""
    )
    db.execute("INSERT INTO tm_fts(tm_fts) VALUES ('rebuild')")
    bump = (
        "INSERT INTO meta(key, value) VALUES ('glossary_version', 1) "
        "ON CONFLICT(key) DO UPDATE SET value = value + 1;"
    )
    for table in ("names", "entities"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_version_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {bump} END"
            )


@_migration
def m004_entity_frequency(db: sqlite_utils.Database) -> None:
    """How often an entity's name is attested (NULL: unknown): the matcher's prior between equal matches.

    A plain ``ADD COLUMN``: existing rows get NULL, and the ``entities_version_*``
    triggers of m003 (table-level, no column list) fire for it like any column.
    """
    db.execute("ALTER TABLE entities ADD COLUMN frequency INTEGER CHECK (frequency IS NULL OR frequency >= 0)")


@_migration
def m005_name_evidence(db: sqlite_utils.Database) -> None:
    """What the recognizer needs to know of a spelling besides its text.

    ``alone``: may the spelling be a mention on its own in running text?
    ``'always'``, ``'never'`` (only inside a longer name), or NULL: decided by
    the recognizer's precision guard (:mod:`glossary.recognition`).
    ``curated``: 1 when a person added or approved the spelling, 0 when it came
    from a bulk import; an ordinary word stored by a bulk import is not taken
    for a name on its own.  Existing spellings count as curated (nothing says
    otherwise).
    """
    db.execute("ALTER TABLE names ADD COLUMN alone TEXT CHECK (alone IS NULL OR alone IN ('always', 'never'))")
    db.execute("ALTER TABLE names ADD COLUMN curated INTEGER NOT NULL DEFAULT 1 CHECK (curated IN (0, 1))")


@_migration
def m006_index_log(db: sqlite_utils.Database) -> None:
    """What changed since an index was built: the persisted index catches up from this log.

    Triggers append one row per change that matters to the matcher and the
    recognizer: ``add`` (an approved spelling inserted), ``remove`` (a spelling
    deleted), ``entity`` (an entity's display fields or frequency changed) and
    ``reset`` (anything else: an index is rebuilt).  ``seq`` is the change
    counter an index file records (:mod:`glossary.indexing`).  ``store_id``
    in ``meta`` names the store, so an index file copied beside another store
    is not trusted.
    """
    db.execute(
        "CREATE TABLE index_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, id INTEGER NOT NULL)"
    )
    log = "INSERT INTO index_log(op, id) VALUES"
    db.execute(
        f"CREATE TRIGGER names_log_insert AFTER INSERT ON names WHEN new.status = 'approved' "
        f"BEGIN {log} ('add', new.id); END"
    )
    db.execute(f"CREATE TRIGGER names_log_delete AFTER DELETE ON names BEGIN {log} ('remove', old.id); END")
    db.execute(f"CREATE TRIGGER names_log_update AFTER UPDATE ON names BEGIN {log} ('reset', new.id); END")
    db.execute(
        f"CREATE TRIGGER entities_log_update AFTER UPDATE OF english, arabic, kind, frequency ON entities "
        f"BEGIN {log} ('entity', new.id); END"
    )
    db.execute(f"CREATE TRIGGER entities_log_delete AFTER DELETE ON entities BEGIN {log} ('reset', old.id); END")
    db.execute("INSERT INTO index_log(op, id) VALUES ('reset', 0)")  # an index older than this log is rebuilt
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('store_id', lower(hex(randomblob(16))))")


#: m005's check on ``names.alone``, and m007's.
_ALONE_CHECK_M005 = "CHECK (alone IS NULL OR alone IN ('always', 'never'))"
_ALONE_CHECK_M007 = "CHECK (alone IS NULL OR alone IN ('always', 'never', 'stored'))"


@_migration
def m007_alone_stored(db: sqlite_utils.Database) -> None:
    """``names.alone`` may be ``'stored'``: the spelling is found in running text only as stored.

    Up to orthography; a respelling nobody stored is not taken for it, though ``lookup``
    still answers it.  The bundled news lists (``scripts/build_news.py``) are stored so.
    SQLite cannot change a column's CHECK, so ``names`` is rebuilt (SQLite's
    documented twelve steps): a copy with the wider check, the rows, then its indexes
    and triggers as they were.  Ids, rows and the change counters are unchanged (the
    copy fires no trigger), so an index file stays current.
    """
    table_sql, = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'names'").fetchone()
    if _ALONE_CHECK_M005 not in table_sql:
        raise StoreError(f"unexpected names table, cannot migrate: {table_sql}")
    others = [sql for (sql,) in db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'names' AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()]
    new_sql = table_sql.replace(_ALONE_CHECK_M005, _ALONE_CHECK_M007)
    new_sql = new_sql.replace("CREATE TABLE names", "CREATE TABLE names_m007", 1).replace(
        'CREATE TABLE "names"', "CREATE TABLE names_m007", 1
    )
    db.execute(new_sql)
    db.execute("INSERT INTO names_m007 SELECT * FROM names")
    db.execute("DROP TABLE names")
    db.execute("ALTER TABLE names_m007 RENAME TO names")
    for sql in others:
        db.execute(sql)


def default_path() -> Path:
    """The per-user store: ``$GLOSSARY_DB`` if set, else the platform's user data folder.

    Linux: ``~/.local/share/glossary/glossary.db``; macOS:
    ``~/Library/Application Support/glossary/glossary.db``; Windows: ``%LOCALAPPDATA%``.
    """
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only here: a store named by --db or $GLOSSARY_DB never needs it

    return platformdirs.user_data_path("glossary", appauthor=False) / "glossary.db"


def bundled_data_dir() -> Path:
    """The bundled ``data/`` folder: inside the installed wheel, or the source checkout's."""
    packaged = resources.files("glossary") / "_data"
    if packaged.is_dir():
        return Path(str(packaged))
    source = Path(__file__).resolve().parents[3] / "data"
    if source.is_dir():
        return source
    raise StoreError("bundled data not found: the glossary package is incomplete")


#: Bundled files named ``news-*.csv`` are large generated lists (scripts/build_news.py):
#: they are imported as a bulk import (``curated`` false), so that an ordinary word among
#: their names (صور Tyre, العين Al Ain) is not taken for a name on its own in running text.
BULK_BUNDLED_PREFIX = "news-"
#: The bundled files of the versions before the news lists: a store marked ``defaults_loaded``
#: without a ``defaults_files`` record loaded these.
LEGACY_BUNDLED_FILES = ("entities.csv", "places.csv")


def bundled_files() -> list[Path]:
    """The bundled glossary files, in load order (curated entities before generated places)."""
    return sorted(bundled_data_dir().glob("*.csv"))


def bundled_is_curated(path: Path) -> bool:
    """Whether a bundled file's spellings were checked by a person (see :data:`BULK_BUNDLED_PREFIX`)."""
    return not path.name.startswith(BULK_BUNDLED_PREFIX)


class StoreConnection(sqlite3.Connection):
    """A store's SQLite connection; ``read_only`` says why it cannot write (None: it can)."""

    read_only: str | None = None


def read_only_reason(path: Path) -> str | None:
    """Why an existing store can only be read (None: it can be written).

    A write needs the file, and -- for SQLite's journal, the WAL and its shared
    memory -- the folder that holds it: a store on a team share the user may
    read but not change is opened read-only.  Decided from :func:`os.access`,
    which knows the user's rights (root's included).
    """
    if not os.access(path.parent, os.W_OK):
        return "its folder is not writable"
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    return None


def is_read_only(db: sqlite_utils.Database) -> bool:
    """Whether this store was opened read-only (:func:`connect`)."""
    return getattr(db.conn, "read_only", None) is not None


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate a store; refuse a store from a newer version.

    A store the user may read but not write (:func:`read_only_reason`) is opened
    read-only: ``mode=ro`` when its folder is writable (SQLite can still make the
    WAL's shared-memory file beside it), else ``immutable=1`` (nothing can be made
    there; the file is read as it is).  Reads work; a write raises
    :class:`StoreError` saying the store is read-only.
    """
    target = where = str(path)
    uri = False
    reason: str | None = None
    if target != ":memory:":
        p = Path(target)
        if p.exists() and p.is_dir():
            raise StoreError(f"{p}: is a directory, not a glossary store")
        if p.exists():
            reason = read_only_reason(p)
        else:
            p.parent.mkdir(parents=True, exist_ok=True)
        if reason is not None:
            mode = "mode=ro" if os.access(p.parent, os.W_OK) else "mode=ro&immutable=1"
            target, uri = f"{p.resolve().as_uri()}?{mode}", True
    try:
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False, uri=uri,
            factory=StoreConnection,
        )
        if reason is not None:
            conn.read_only = f"{where}: the store is read-only ({reason}); nothing was changed"
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{where}: not a glossary store ({exc})") from exc
    db = sqlite_utils.Database(conn)
    with _closed_on_refusal(conn, where):
        check_version(db, where)
        # only a store we accept is switched to WAL: a file we refuse is left as it was
        if target != ":memory:" and reason is None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        if migrations.pending(db) and reason is not None:
            raise StoreError(f"{where}: this store needs upgrading, but it is read-only ({reason})")
        if migrations.pending(db):
            with write_transaction(db):
                # re-check inside the lock: another process may have migrated meanwhile
                if migrations.pending(db):
                    migrations.apply(db)
        if reason is None:
            renormalize_names(db)
    return db


def renormalize_names(db: sqlite_utils.Database) -> int:
    """Recompute the stored normalized spellings if :func:`~glossary.normalize.normalize` changed.

    ``names.norm`` and ``entities.english_norm``/``arabic_norm`` are made when a row is written;
    a version whose normalization folds more (``Holmstrøm`` = ``Holmstrom``) would otherwise
    compare new spellings with old forms.  The fingerprint of the normalization the rows were
    made with is kept in ``meta``; when it differs, every row is recomputed once, in one
    transaction (changed names log ``reset``: the index is rebuilt).  Returns the rows changed.
    """
    from ..normalize import fingerprint

    current = fingerprint()
    key = "names_norm_fingerprint"

    def stored() -> str | None:
        row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    if stored() == current:
        return 0
    changed = 0
    with write_transaction(db):
        if stored() == current:  # another process did it meanwhile
            return 0
        names = [
            (new, i) for i, text, lang, norm in db.execute("SELECT id, text, lang, norm FROM names").fetchall()
            if (new := normalize(text, lang)) != norm
        ]
        db.conn.executemany("UPDATE names SET norm = ? WHERE id = ?", names)
        entities = []
        for i, english, arabic, en_norm, ar_norm in db.execute(
            "SELECT id, english, arabic, english_norm, arabic_norm FROM entities"
        ).fetchall():
            en, ar = normalize(english, "en"), normalize(arabic, "ar")
            if (en, ar) != (en_norm, ar_norm):
                entities.append((en, ar, i))
        db.conn.executemany("UPDATE entities SET english_norm = ?, arabic_norm = ? WHERE id = ?", entities)
        db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, current],
        )
        changed = len(names) + len(entities)
    return changed


@contextmanager
def _closed_on_refusal(conn: sqlite3.Connection, where: str) -> Iterator[None]:
    """Close ``conn`` if the store is refused; a SQLite error becomes "not a glossary store"."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{where}: not a glossary store ({exc})") from exc
    except StoreError:
        conn.close()
        raise


def connect_read_only(path: str | Path) -> sqlite_utils.Database:
    """Open an existing store for reading only (``mode=ro``): what a batch worker uses.

    Nothing is created, migrated or switched to WAL, so many processes (the
    workers of a Dask cluster) can open one store file without writing to it; a
    store that needs a migration is refused, since migrating is a write.
    """
    target = str(path)
    if target == ":memory:":
        raise StoreError(":memory: has no file to open read-only")
    p = Path(target)
    if not p.is_file():
        raise StoreError(f"{p}: no such glossary store" if not p.exists() else f"{p}: not a file")
    try:
        conn = sqlite3.connect(
            p.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT, isolation_level=None,
            check_same_thread=False, factory=StoreConnection,
        )
        conn.read_only = f"{target}: the store was opened read-only; nothing was changed"
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        db = sqlite_utils.Database(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{target}: cannot open the store read-only ({exc})") from exc
    with _closed_on_refusal(conn, target):
        check_version(db, target)
        if migrations.pending(db):
            raise StoreError(f"{target}: this store needs an upgrade; open it once with write access first")
    return db


def check_version(db: sqlite_utils.Database, where: str) -> None:
    """Raise :class:`StoreError` if the store has migrations this version does not know."""
    known = set(KNOWN_MIGRATIONS)
    applied = {m.name for m in migrations.applied(db)}
    unknown = sorted(applied - known)
    if unknown:
        raise StoreError(
            f"{where}: this store was written by a newer version of glossary "
            f"(unknown schema migration {', '.join(unknown)}); upgrade glossary to open it"
        )
    other_tables = set(db.table_names()) - {"_sqlite_migrations"}
    if not applied and other_tables:
        raise StoreError(f"{where}: not a glossary store (it has tables but no glossary schema)")


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One atomic write: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception.

    Nested use becomes a savepoint, so library methods compose into one transaction.
    """
    conn = db.conn
    read_only = getattr(conn, "read_only", None)
    if read_only is not None:
        raise StoreError(read_only)
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    """The names of the schema migrations applied to a store, in the order they ran."""
    return [m.name for m in migrations.applied(db)]


_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
#: A name row as :class:`glossary.models.Name` takes it (``curated`` as 0/1).
_NAME_COLS = "id, entity_id, text, lang, role, status, source, alone, curated = 1"
#: An entity row as :class:`glossary.models.Entity` takes it (names aside).
_ENTITY_COLS = "id, english, arabic, kind, note, source, created, updated, frequency"
#: How an entity's names are listed: canonical spellings first, aliases last.
_NAME_ORDER = "ORDER BY role = 'alias', role != 'canonical', lang, id"


_NAME_ROWS = """SELECT n.id, n.entity_id, n.text, n.lang, n.role, n.norm, n.alone, n.curated,
                       coalesce(e.frequency, 0)
                FROM names n JOIN entities e ON e.id = n.entity_id WHERE n.status = 'approved'"""


class Store:
    """The glossary's rows (``entities``, ``names``, ``meta``): every statement the library runs on them.

    Each method is one statement (or one read); none opens a transaction, so
    writes run inside the caller's (:meth:`glossary.Glossary._write`).  Rows
    come back as tuples in the documented column order.  :attr:`tm` holds the
    translation memory's statements (:class:`glossary.store.tm_index.TMStore`).
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.tm = TMStore(db)

    # ------------------------------------------------------------------ meta
    def glossary_version(self) -> int:
        """The change counter of entities and names (kept by the m003 triggers); 0 before any change."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'glossary_version'").fetchone()
        return int(row[0]) if row else 0

    def defaults_loaded(self) -> bool:
        """Whether the bundled glossary was imported into this store."""
        return self.defaults_loaded_at() is not None

    def mark_defaults_loaded(self) -> None:
        """Note the bundled glossary as loaded now (again, after an update)."""
        self.db.execute(f"INSERT OR REPLACE INTO meta(key, value) VALUES ('defaults_loaded', {_NOW})")

    def defaults_loaded_at(self) -> str | None:
        """When the bundled glossary was last loaded or updated (an ISO time), or None."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'defaults_loaded'").fetchone()
        return str(row[0]) if row else None

    def defaults_files(self) -> dict[str, str] | None:
        """The bundled files loaded into this store and their SHA-256, or None if not recorded."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'defaults_files'").fetchone()
        return dict(json.loads(row[0])) if row else None

    def set_defaults_files(self, files: dict[str, str]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('defaults_files', ?)", [json.dumps(files, sort_keys=True)]
        )

    def entities_changed_since(self, when: str) -> set[int]:
        """Entities created or changed after ``when``, or given a spelling after it: a person's edits
        since the bundled glossary was loaded."""
        rows = self.db.execute(
            """SELECT id FROM entities WHERE created > :t OR updated > :t
               UNION SELECT entity_id FROM names WHERE created > :t""",
            {"t": when},
        )
        return {int(r[0]) for r in rows}

    def english_norms_of(self, entity_ids: set[int]) -> set[str]:
        """The normalized English spellings (any role) of these entities."""
        out: set[str] = set()
        ids = sorted(entity_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                str(r[0])
                for r in self.db.execute(
                    f"SELECT norm FROM names WHERE lang = 'en' AND entity_id IN ({marks})", chunk
                )
            )
        return out

    def savepoint(self) -> AbstractContextManager[sqlite_utils.Database]:
        """A savepoint inside the open transaction: what runs in it is undone alone if it raises."""
        return self.db.atomic()

    def schema(self) -> list[str]:
        """The schema migrations applied to this store."""
        return applied_migrations(self.db)

    # ------------------------------------------------------------------ entities
    def insert_entity(
        self,
        english: str,
        arabic: str,
        kind: str,
        note: str | None,
        source: str | None,
        frequency: int | None,
        *,
        created: str | None = None,
        updated: str | None = None,
        entity_id: int | None = None,
    ) -> int:
        """Insert an entity (its normalized English and Arabic computed here); returns its id.

        A dump restores its timestamps and id (which must be free) as well.
        """
        cols = ["english", "arabic", "english_norm", "arabic_norm", "kind", "note", "source", "frequency"]
        vals: list[Any] = [
            english,
            arabic,
            normalize(english, "en"),
            normalize(arabic, "ar"),
            kind,
            note,
            source,
            frequency,
        ]
        for ts, value in (("created", created), ("updated", updated)):
            if value:
                cols.append(ts)
                vals.append(value)
        if entity_id is not None:
            cols.insert(0, "id")
            vals.insert(0, entity_id)
        cur = self.db.execute(f"INSERT INTO entities ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", vals)
        assert cur.lastrowid is not None
        return cur.lastrowid

    def update_entity(
        self,
        entity_id: int,
        english: str,
        arabic: str,
        kind: str,
        note: str | None,
        frequency: int | None,
    ) -> None:
        """Rewrite an entity's fields; a ``frequency`` of None keeps the stored one."""
        self.db.execute(
            """UPDATE entities SET english = ?, arabic = ?, english_norm = ?, arabic_norm = ?,
               kind = ?, note = ?, frequency = coalesce(?, frequency),
               updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?""",
            [
                english,
                arabic,
                normalize(english, "en"),
                normalize(arabic, "ar"),
                kind,
                note,
                frequency,
                entity_id,
            ],
        )

    def update_entity_info(self, entity_id: int, kind: str | None, note: str | None) -> None:
        """Set an entity's kind and note where given (None keeps the stored value)."""
        self.db.execute(
            "UPDATE entities SET kind = coalesce(?, kind), note = coalesce(?, note), "
            "updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
            [kind, note, entity_id],
        )

    def add_frequency(self, entity_id: int, frequency: int) -> None:
        """Add to an entity's frequency (an unknown one counts as 0); adding 0 only makes an unknown one 0."""
        self.db.execute(
            "UPDATE entities SET frequency = coalesce(frequency, 0) + ? WHERE id = ? AND (? > 0 OR frequency IS NULL)",
            [frequency, entity_id, frequency],
        )

    def set_frequency(self, entity_id: int, frequency: int) -> None:
        """Replace an entity's frequency, and its ``updated`` time, only if it differs."""
        self.db.execute(
            "UPDATE entities SET frequency = ?, updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
            "WHERE id = ? AND frequency IS NOT ?",
            [frequency, entity_id, frequency],
        )

    def move_names(self, from_id: int, to_id: int) -> int:
        """Give ``to_id`` every spelling of ``from_id`` it lacks (canonical ones become variants);
        returns how many moved.  Spellings ``to_id`` already has stay with ``from_id``."""
        cur = self.db.execute(
            """UPDATE names SET entity_id = :to,
                   role = CASE role WHEN 'canonical' THEN 'variant' ELSE role END
               WHERE entity_id = :from
                 AND text NOT IN (SELECT text FROM names WHERE entity_id = :to)""",
            {"to": to_id, "from": from_id},
        )
        return cur.rowcount

    def set_entity_note(self, entity_id: int, note: str | None) -> None:
        """Replace an entity's note (None clears it)."""
        self.db.execute(
            "UPDATE entities SET note = ?, updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
            [note, entity_id],
        )

    def delete_entity(self, entity_id: int) -> None:
        """Delete an entity; its names go with it (``ON DELETE CASCADE``)."""
        self.db.execute("DELETE FROM entities WHERE id = ?", [entity_id])

    def entity_exists(self, entity_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM entities WHERE id = ?", [entity_id]).fetchone() is not None

    def entity_row(self, entity_id: int) -> tuple[Any, ...] | None:
        """``(id, english, arabic, kind, note, source, created, updated, frequency)``, or None."""
        row: tuple[Any, ...] | None = self.db.execute(
            f"SELECT {_ENTITY_COLS} FROM entities WHERE id = ?",
            [entity_id],
        ).fetchone()
        return row

    def entity_ids(self) -> list[int]:
        """Every entity id, in order."""
        return [r[0] for r in self.db.execute("SELECT id FROM entities ORDER BY id")]

    def entity_page(
        self,
        *,
        kind: str | None,
        status: str | None,
        text_norm: str | None,
        limit: int,
        offset: int,
    ) -> list[tuple[Any, ...]]:
        """One page of entity rows (as :meth:`entity_row`) in id order, filtered as
        :meth:`glossary.Glossary.list_entities` describes (its arguments checked there)."""
        where: list[str] = []
        params: list[Any] = []
        if kind is not None:
            where.append("e.kind = ?")
            params.append(kind)
        if status is not None:
            exists = "EXISTS (SELECT 1 FROM names s WHERE s.entity_id = e.id AND s.status = 'suggested')"
            where.append(exists if status == "suggested" else f"NOT {exists}")
        if text_norm is not None:
            where.append("EXISTS (SELECT 1 FROM names t WHERE t.entity_id = e.id AND instr(t.norm, ?) > 0)")
            params.append(text_norm)
        rows: list[tuple[Any, ...]] = self.db.execute(
            "SELECT e.id, e.english, e.arabic, e.kind, e.note, e.source, e.created, e.updated, e.frequency "
            "FROM entities e" + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY e.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return rows

    def entity_id_by_english(self, english_norm: str) -> int | None:
        """The first entity whose normalized canonical English is this."""
        row = self.db.execute(
            "SELECT id FROM entities WHERE english_norm = ? ORDER BY id LIMIT 1", [english_norm]
        ).fetchone()
        return int(row[0]) if row else None

    def entity_id_by_arabic(self, arabic_norm: str) -> int | None:
        """The first entity whose normalized canonical Arabic is this."""
        row = self.db.execute(
            "SELECT id FROM entities WHERE arabic_norm = ? ORDER BY id LIMIT 1", [arabic_norm]
        ).fetchone()
        return int(row[0]) if row else None

    def entity_display(self, ids: list[int]) -> Iterator[tuple[int, str, str, str]]:
        """``(id, english, arabic, kind)`` of these entities."""
        marks = ",".join("?" * len(ids))
        yield from self.db.execute(f"SELECT id, english, arabic, kind FROM entities WHERE id IN ({marks})", ids)

    def insert_name(
        self,
        entity_id: int,
        text: str,
        lang: str,
        role: str,
        status: str,
        source: str | None,
        norm: str,
        curated: bool,
        alone: str | None,
    ) -> int | None:
        """Insert a spelling; returns its id, or None if the entity already has this spelling."""
        cur = self.db.execute(
            """INSERT OR IGNORE INTO names (entity_id, text, lang, role, status, source, norm, curated, alone)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [entity_id, text, lang, role, status, source, norm, int(curated), alone],
        )
        if cur.rowcount == 0:
            return None
        assert cur.lastrowid is not None
        return cur.lastrowid

    def name_id(self, entity_id: int, text: str) -> int | None:
        """The id of an entity's spelling, or None."""
        row = self.db.execute("SELECT id FROM names WHERE entity_id = ? AND text = ?", [entity_id, text]).fetchone()
        return None if row is None else int(row[0])

    def name_role(self, name_id: int) -> str | None:
        """A name's role, or None if there is no such name."""
        row = self.db.execute("SELECT role FROM names WHERE id = ?", [name_id]).fetchone()
        return None if row is None else str(row[0])

    def set_name_alone(self, name_id: int, alone: str | None) -> bool:
        """Set a name's ``alone`` (a person's word: curated); False if there is no such name."""
        cur = self.db.execute("UPDATE names SET alone = ?, curated = 1 WHERE id = ?", [alone, name_id])
        return cur.rowcount != 0

    def set_name_status(self, name_id: int, status: str) -> bool:
        """Set a name's status (a person's word: curated); False if there is no such name."""
        cur = self.db.execute("UPDATE names SET status = ?, curated = 1 WHERE id = ?", [status, name_id])
        return cur.rowcount != 0

    def set_name_created(self, name_id: int, created: str) -> None:
        self.db.execute("UPDATE names SET created = ? WHERE id = ?", [created, name_id])

    def demote_name(self, entity_id: int, text: str) -> None:
        """Make an entity's spelling a variant."""
        self.db.execute(
            "UPDATE names SET role = 'variant' WHERE entity_id = ? AND text = ?",
            [entity_id, text],
        )

    def promote_name(self, entity_id: int, text: str) -> None:
        """Make an entity's spelling canonical and approved."""
        self.db.execute(
            "UPDATE names SET role = 'canonical', status = 'approved' "
            "WHERE entity_id = ? AND text = ?",
            [entity_id, text],
        )

    def delete_name(self, name_id: int) -> None:
        """Delete a spelling; its entity counts as changed (``updated``), so that an update of the
        bundled glossary does not put it back."""
        self.db.execute(
            f"UPDATE entities SET updated = {_NOW} WHERE id = (SELECT entity_id FROM names WHERE id = ?)", [name_id]
        )
        self.db.execute("DELETE FROM names WHERE id = ?", [name_id])

    def entity_names(self, entity_id: int) -> Iterator[tuple[Any, ...]]:
        """An entity's names as ``(id, entity_id, text, lang, role, status, source, alone, curated)``,
        canonical spellings first and aliases last."""
        yield from self.db.execute(
            f"""SELECT {_NAME_COLS} FROM names
                   WHERE entity_id = ? {_NAME_ORDER}""",
            [entity_id],
        )

    def names_of_entities(self, entity_ids: list[int]) -> Iterator[tuple[Any, ...]]:
        """The names of these entities, as :meth:`entity_names` gives one's."""
        marks = ", ".join("?" * len(entity_ids))
        yield from self.db.execute(
            f"""SELECT {_NAME_COLS} FROM names
                WHERE entity_id IN ({marks}) {_NAME_ORDER}""",
            entity_ids,
        )

    def names_created(self, entity_id: int) -> dict[int, str]:
        """name id -> creation time, of an entity's names."""
        return dict(self.db.execute("SELECT id, created FROM names WHERE entity_id = ?", [entity_id]).fetchall())

    def suggested_names(self) -> Iterator[tuple[Any, ...]]:
        """Names waiting for review, oldest first (as :meth:`entity_names`)."""
        yield from self.db.execute(
            f"SELECT {_NAME_COLS} FROM names "
            "WHERE status = 'suggested' ORDER BY id"
        )

    def names_with_prefix(self, norm_prefix: str, limit: int) -> list[tuple[int, str, str, str, str, str, int]]:
        """Entities with an approved spelling whose normalized form starts with ``norm_prefix``:
        ``(entity_id, english, arabic, kind, text, role, length of its norm)``, one row an entity
        (its shortest such spelling), shortest first, then the most frequent, then by id.

        A range over the ``names_norm`` index (``norm >= p AND norm < p || U+10FFFF``: every
        string that starts with ``p`` sorts between the two), so the cost follows the names
        that share the prefix, not the size of the glossary.
        """
        rows: list[tuple[int, str, str, str, str, str, int]] = self.db.execute(
            """SELECT n.entity_id, e.english, e.arabic, e.kind, n.text, n.role, min(length(n.norm)) AS len
               FROM names n JOIN entities e ON e.id = n.entity_id
               WHERE n.norm >= ? AND n.norm < ? AND +n.status = 'approved'
               GROUP BY n.entity_id
               ORDER BY len, coalesce(e.frequency, 0) DESC, n.entity_id
               LIMIT ?""",
            [norm_prefix, norm_prefix + "\U0010ffff", limit],
        ).fetchall()
        return rows

    # ------------------------------------------------------------------ what the indexes read
    def index_version(self) -> int:
        """The store's change counter for indexes: the last ``index_log`` entry (see m006)."""
        row = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'index_log'").fetchone()
        return int(row[0]) if row else 0

    def store_id(self) -> str:
        """The store's name (m006): an index file built for another store is not trusted."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
        return str(row[0]) if row else ""

    def index_changes(self, since: int, until: int, limit: int) -> list[tuple[str, int]] | None:
        """The changes after ``since`` up to ``until`` as ``(op, id)``; None if more than ``limit``."""
        rows = self.db.execute(
            "SELECT op, id FROM index_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?", [since, until, limit + 1]
        ).fetchall()
        if len(rows) > limit:
            return None
        return [(str(op), int(i)) for op, i in rows]

    def approved_names(self, ids: list[int] | None = None) -> list[tuple[Any, ...]]:
        """Approved spellings as the indexes take them: id, entity, text, lang, role, norm, alone,
        curated, the entity's frequency (all of them, or those of ``ids``)."""
        return self._rows_of(_NAME_ROWS, "AND n.id", ids)

    def entity_rows(self, ids: list[int] | None = None) -> list[tuple[Any, ...]]:
        """Entities as the indexes take them: id, english, arabic, kind, frequency."""
        return self._rows_of("SELECT id, english, arabic, kind, coalesce(frequency, 0) FROM entities", "WHERE id", ids)

    def _rows_of(self, sql: str, where: str, ids: list[int] | None) -> list[tuple[Any, ...]]:
        """All rows of ``sql``, or those whose id (``where``) is in ``ids``, 500 ids a query."""
        if ids is None:
            return self.db.execute(sql).fetchall()
        out: list[tuple[Any, ...]] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out += self.db.execute(f"{sql} {where} IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        return out

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction (if none is open): what is read inside agrees with itself."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.execute("COMMIT")

    # ------------------------------------------------------------------ counts
    def counts(self) -> dict[str, Any]:
        """``entities``, ``names``, ``suggested`` and ``tm_units`` counts, and ``by_kind``/``by_lang`` dicts."""

        def count(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        by_kind = dict(self.db.execute("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall())
        by_lang = dict(self.db.execute("SELECT lang, count(*) FROM names GROUP BY lang").fetchall())
        return {
            "entities": count("SELECT count(*) FROM entities"),
            "names": count("SELECT count(*) FROM names"),
            "suggested": count("SELECT count(*) FROM names WHERE status = 'suggested'"),
            "tm_units": count("SELECT count(*) FROM tm_units"),
            "by_kind": by_kind,
            "by_lang": by_lang,
        }
