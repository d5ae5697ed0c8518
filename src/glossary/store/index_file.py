"""The persisted index: the matcher's and the recognizer's tables in a file beside the store.

Building the indexes from the store's rows takes seconds at tens of thousands
of names; a translator who types one lookup at a time, and every worker of a
batch job, would pay it again in each process.  So they are built once and
written to ``<store>.index``, and a new process opens that file and reads
only the entries its queries touch.

The file is itself a SQLite database: one table of ``(namespace, key) ->
value`` rows (``WITHOUT ROWID``, so a key is one B-tree descent), read through
the operating system's page cache, which every process opening the file shares
(and ``mmap`` where SQLite can).  SQLite is the store's own engine, so this
adds no dependency, and it gives what a hand-made format would have to
reimplement: page-level atomic commits for the incremental updates, readers
that never see a half-written update, and one writer at a time.

Trust, never assumed:

* the file is built under a temporary name and renamed into place;
* its ``meta`` table names the format (:data:`FORMAT`, and Python's marshal
  version), the store it was built from (the store's ``store_id``) and the
  store change (``version``) it reflects; a file that disagrees is rebuilt;
* a file shorter than its own page count says (less the pages still in its WAL) is truncated, and is rebuilt;
* every value carries a CRC-32 of its bytes, checked whenever it is read, so
  a corrupt value raises :class:`IndexCorrupt` rather than a wrong answer
  (:class:`glossary.Glossary` then warns, rebuilds and answers again).

Values are ``marshal``-encoded Python lists, tuples, strings and numbers, one
entry at a time: nothing is read or unpacked whole.

:class:`LazyDict`, :class:`LazySet` and :class:`LazyRecords` are the containers
the matcher and the recognizer use when opened from a file: they subclass the
built-in types (so the index code is the same whichever it holds), load an
entry the first time it is asked for, and keep it.  During an incremental
update they remember which entries were touched, and :meth:`IndexFile.flush`
writes those back in one transaction.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import tempfile
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

#: Bump when a container's layout, a key function or a value encoding changes:
#: a file of another format is rebuilt, never read.
FORMAT = "glossary-index-6"
#: Index files are named after their store: ``glossary.db`` -> ``glossary.db.index``.
SUFFIX = ".index"

_MISSING: Any = object()
_UNREAD: Any = object()  # (an entry not read yet: a lazy container's fast path, see LazyDict.get)
_CRC = 4  # bytes of the checksum in front of every value


class IndexCorrupt(Exception):
    """An index file that cannot be trusted: missing, truncated, corrupt, or of another format."""


def index_path(store_path: str | Path) -> Path:
    """Where the index of a store lives."""
    return Path(str(store_path) + SUFFIX)


def _encode(value: Any) -> bytes:
    data = marshal.dumps(value)
    return zlib.crc32(data).to_bytes(_CRC, "little") + data


def _same(value: Any) -> Any:
    return value


_ONE = _encode(1)
Codec = Callable[[Any], Any]
#: One container of an index: (namespace, the container, encode a value, encode a key).
Part = tuple[str, Any, "Codec | None", "Codec | None"]


class Columns:
    """Lists of one length written as one entry per position (see :class:`LazyRecords`)."""

    def __init__(self, columns: list[list[Any]], encoders: list[Codec | None]) -> None:
        self.columns = columns
        self.encoders = encoders

    def __len__(self) -> int:
        return len(self.columns[0])


#: SQLite's WAL file: a header, then one frame (a header and a page) per page written
_WAL_HEADER = 32
_WAL_FRAME_HEADER = 24


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _connect(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30.0)
    conn.execute("PRAGMA mmap_size = 1073741824")  # pages shared with every process reading the file
    return conn


#: every open index file, to reconnect in a forked child; connections inherited from a parent
_OPEN: weakref.WeakSet[IndexFile] = weakref.WeakSet()
_ABANDONED: list[sqlite3.Connection] = []


def _after_fork() -> None:
    for index in list(_OPEN):
        index._reconnect()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


class IndexFile:
    """One open index file (see the module doc)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, writable: bool, uri: str) -> None:
        self.path = path
        self.conn = conn
        self.writable = writable
        self._uri = uri
        self.containers: list[_Lazy] = []
        self.meta: dict[str, str] = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self._cursor = conn.cursor()
        _OPEN.add(self)

    def _reconnect(self) -> None:
        """In a forked child: a connection of its own (SQLite connections do not survive a fork;
        the parent's is left alone, never closed from here)."""
        _ABANDONED.append(self.conn)
        self.conn = _connect(self._uri)
        self._cursor = self.conn.cursor()

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path, *, store_id: str, read_only: bool = False) -> IndexFile:
        """Open an existing index file, checking its format, its store and its length.

        ``read_only``: never written, even where the folder allows it (a read-only
        store's index: the workers of a Dask run).  Raises :class:`IndexCorrupt` when
        the file is missing or must not be trusted.
        """
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise IndexCorrupt(f"{path}: missing ({exc.strerror})") from None
        writable = not read_only and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        uri = f"{path.resolve().as_uri()}?mode={'rw' if writable else 'ro'}"
        try:
            conn = _connect(uri)
        except sqlite3.Error as exc:
            raise IndexCorrupt(f"{path}: cannot open ({exc})") from None
        try:
            pages, page_size = conn.execute("PRAGMA page_count").fetchone()[0], conn.execute(
                "PRAGMA page_size"
            ).fetchone()[0]
            # pages another process wrote and has not checkpointed yet are in the WAL, not the file
            in_wal = max(0, _size(path.with_name(path.name + "-wal")) - _WAL_HEADER) // (page_size + _WAL_FRAME_HEADER)
            if size < (pages - in_wal) * page_size:
                raise IndexCorrupt(f"{path}: truncated ({size} of {pages * page_size} bytes)")
            index = cls(path, conn, writable, uri)
        except sqlite3.Error as exc:
            conn.close()
            raise IndexCorrupt(f"{path}: corrupt ({exc})") from None
        except IndexCorrupt:
            conn.close()
            raise
        want = {"format": FORMAT, "marshal": str(marshal.version), "store_id": store_id}
        for key, value in want.items():
            if index.meta.get(key) != value:
                index.close()
                raise IndexCorrupt(f"{path}: built for another {key} ({index.meta.get(key)!r}, not {value!r})")
        if "version" not in index.meta:
            index.close()
            raise IndexCorrupt(f"{path}: incomplete (no version)")
        return index

    @classmethod
    def write(
        cls, path: Path, *, store_id: str, version: int, parts: Iterable[Part], meta: dict[str, str] | None = None,
        like: Path | None = None,
    ) -> None:
        """Write a complete index file: to a temporary file beside ``path``, then renamed over it.

        ``parts`` are the containers of the in-memory index, as ``(namespace,
        container, encode value, encode key)``; their lengths go to ``meta``.  The
        file gets the permissions of ``like`` (the store: whoever may read it may read its index).
        """
        lengths: dict[str, str] = {}

        def rows() -> Iterator[tuple[str, Any, bytes]]:
            for ns, container, enc, kenc in parts:
                lengths[f"len:{ns}"] = str(len(container))
                enc = enc or _same
                kenc = kenc or _same
                if isinstance(container, Columns):
                    lengths[f"len:{ns}"] = str(len(container.columns[0]))
                    encs = container.encoders
                    for i, row in enumerate(zip(*container.columns, strict=True)):
                        yield ns, i, _encode(tuple(e(v) if e else v for e, v in zip(encs, row, strict=True)))
                elif isinstance(container, dict):
                    for k, v in container.items():
                        yield ns, kenc(k), _encode(enc(v))
                elif isinstance(container, list):
                    for i, v in enumerate(container):
                        yield ns, i, _encode(enc(v))
                else:
                    for k in container:
                        yield ns, kenc(k), _ONE

        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA synchronous = OFF")
                conn.execute("PRAGMA cache_size = -65536")  # 64 MB: the B-tree is filled out of key order
                conn.execute("BEGIN")
                conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE kv (ns TEXT NOT NULL, k NOT NULL, v BLOB NOT NULL, PRIMARY KEY (ns, k)) "
                             "WITHOUT ROWID")
                conn.executemany("INSERT INTO kv VALUES (?, ?, ?)", rows())
                info = {**(meta or {}), **lengths, "format": FORMAT, "marshal": str(marshal.version),
                        "store_id": store_id, "version": str(version)}
                conn.executemany("INSERT INTO meta VALUES (?, ?)", info.items())
                conn.execute("COMMIT")
                conn.execute("PRAGMA journal_mode = WAL")  # readers and the incremental writer, at once
            finally:
                conn.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            if like is not None:
                os.chmod(tmp, like.stat().st_mode & 0o777)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ reading
    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        """The rows of one read; SQLite finding the file damaged is :class:`IndexCorrupt`."""
        try:
            return self._cursor.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise IndexCorrupt(f"{self.path}: corrupt ({exc})") from None

    def get(self, ns: str, key: Any) -> Any:
        """The value of one entry, checked, or ``_MISSING``."""
        rows = self._rows("SELECT v FROM kv WHERE ns = ? AND k = ?", (ns, key))
        return self._check(ns, key, rows[0][0]) if rows else _MISSING

    def get_many(self, ns: str, keys: list[Any]) -> dict[Any, Any]:
        """The values of several entries in one query per 500 keys (absent keys are left out)."""
        out: dict[Any, Any] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            sql = f"SELECT k, v FROM kv WHERE ns = ? AND k IN ({','.join('?' * len(chunk))})"
            for k, data in self._rows(sql, (ns, *chunk)):
                out[k] = self._check(ns, k, data)
        return out

    def scan(self, ns: str) -> dict[Any, Any]:
        """Every entry of a namespace, checked, in one pass over its rows."""
        return {k: self._check(ns, k, data) for k, data in self._rows("SELECT k, v FROM kv WHERE ns = ?", (ns,))}

    def _check(self, ns: str, key: Any, data: bytes) -> Any:
        body = data[_CRC:]
        if len(data) < _CRC or zlib.crc32(body) != int.from_bytes(data[:_CRC], "little"):
            raise IndexCorrupt(f"{self.path}: corrupt entry {ns}[{key!r}] (checksum)")
        try:
            return marshal.loads(body)
        except (ValueError, EOFError, TypeError) as exc:
            raise IndexCorrupt(f"{self.path}: corrupt entry {ns}[{key!r}] ({exc})") from None

    @property
    def version(self) -> int:
        return int(self.meta["version"])

    # ------------------------------------------------------------------ incremental updates
    def track(self, on: bool) -> None:
        """Start (or stop) remembering which entries the containers' users touch."""
        for c in self.containers:
            c._dirty = set() if on else None

    def read_version(self) -> int:
        """The version the file holds now (another process may have moved it on)."""
        return int(self._rows("SELECT value FROM meta WHERE key = 'version'", ())[0][0])

    def begin(self) -> int:
        """Take the file's write lock; return the version it holds now (another process may have moved it)."""
        self.conn.execute("BEGIN IMMEDIATE")
        return self.read_version()

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.track(False)

    def commit(self, version: int) -> None:
        """Write every touched entry and the new version, in the transaction :meth:`begin` opened."""
        rows: list[tuple[str, Any, bytes]] = []
        gone: list[tuple[str, Any]] = []
        sizes: list[tuple[str, str]] = []
        for c in self.containers:
            if not c._dirty:
                continue
            for key in c._dirty:
                value = c._raw(key)
                if value is _MISSING:
                    gone.append((c.ns, c.kenc(key)))
                else:
                    rows.append((c.ns, c.kenc(key), _encode(c._encoded(value))))
            sizes.append((f"len:{c.ns}", str(c._len)))
        self.conn.executemany("INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", rows)
        self.conn.executemany("DELETE FROM kv WHERE ns = ? AND k = ?", gone)
        self.conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [*sizes, ("version", str(version))])
        self.conn.execute("COMMIT")
        self.meta["version"] = str(version)
        self.meta.update(sizes)
        self.track(False)


# --------------------------------------------------------------------------
# containers
# --------------------------------------------------------------------------

class _Lazy:
    """What the three lazy containers share: where their entries live and how they are (de)coded."""

    ns: str
    encode: Codec
    kenc: Codec
    _decode: Codec
    _file: IndexFile
    _dirty: set[Any] | None
    _len: int
    #: every entry of the namespace, still encoded (read whole once as many keys were asked as it holds)
    _all: dict[Any, Any] | None
    _asked: int

    def _setup(
        self, index: IndexFile, ns: str, decode: Codec | None, encode: Codec | None, kenc: Codec | None = None
    ) -> None:
        self._file = index
        self.ns = ns
        self._decode = decode or _same
        self.encode = encode or _same
        self.kenc = kenc or _same
        self._dirty = None
        self._len = int(index.meta.get(f"len:{ns}", "0"))
        self._all = None
        self._asked = 0
        index.containers.append(self)

    def _whole(self, asking: int) -> dict[Any, Any] | None:
        """Every entry of the namespace (encoded), once ``asking`` more keys would make more than it
        holds; None until then.  Reading the rows in one pass costs less than looking each up
        (a table asked about again and again, or a small one: a key looked up is a B-tree descent).
        Only keys stored as they are (no key encoding) can be told from the rows."""
        if self._all is None and self.kenc is _same:
            self._asked += asking
            if self._asked > self._len:
                self._all = self._file.scan(self.ns)
        return self._all

    def _fetch(self, key: Any) -> Any:
        whole = self._whole(1)
        value = self._file.get(self.ns, self.kenc(key)) if whole is None else whole.get(key, _MISSING)
        return value if value is _MISSING else self._decode(value)

    def _raw(self, key: Any) -> Any:
        raise NotImplementedError

    def _encoded(self, value: Any) -> Any:
        return self.encode(value)

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __iter__(self) -> Iterator[Any]:
        raise TypeError(f"{self.ns}: an index opened from a file is not iterated")


class LazyDict(_Lazy, dict):
    """A dict whose entries are read from an index file when first asked for."""

    def __init__(
        self, index: IndexFile, ns: str, decode: Codec | None = None, encode: Codec | None = None,
        kenc: Codec | None = None,
    ) -> None:
        super().__init__()
        self._setup(index, ns, decode, encode, kenc)
        #: called with the stored values :meth:`prefetch` read, before any is decoded (a decoder that
        #: reads other containers has them read together)
        self.before_decode: Callable[[list[Any]], None] | None = None

    def _load(self, key: Any) -> Any:
        try:
            value = dict.__getitem__(self, key)
        except KeyError:
            value = self._fetch(key)
            dict.__setitem__(self, key, value)
        if self._dirty is not None:
            self._dirty.add(key)
        return value

    def _raw(self, key: Any) -> Any:
        return dict.get(self, key, _MISSING)

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, _UNREAD)  # an entry read already, nothing to track: no call further
        if value is _UNREAD or self._dirty is not None:
            value = self._load(key)
        return default if value is _MISSING else value

    def prefetch(self, keys: Iterable[Any]) -> None:
        """Read the entries of ``keys`` not read yet, together (a query reads hundreds at once)."""
        want = [k for k in dict.fromkeys(keys) if not dict.__contains__(self, k)]
        if not want:
            return
        kenc = self.kenc
        whole = self._whole(len(want))
        got = self._file.get_many(self.ns, [kenc(k) for k in want]) if whole is None else whole
        if self.before_decode is not None:
            self.before_decode([got[kenc(k)] for k in want if kenc(k) in got])
        decode = self._decode
        for k in want:
            v = got.get(kenc(k), _MISSING)
            dict.__setitem__(self, k, v if v is _MISSING else decode(v))

    def __getitem__(self, key: Any) -> Any:
        value = dict.get(self, key, _UNREAD)
        if value is _UNREAD or self._dirty is not None:
            value = self._load(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        value = dict.get(self, key, _UNREAD)
        if value is _UNREAD or self._dirty is not None:
            value = self._load(key)
        return value is not _MISSING

    def __setitem__(self, key: Any, value: Any) -> None:
        if self._load(key) is _MISSING:
            self._len += 1
        dict.__setitem__(self, key, value)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        value = self._load(key)
        if value is _MISSING:
            self[key] = value = default
        return value

    def pop(self, key: Any, default: Any = _MISSING) -> Any:
        value = self._load(key)
        if value is _MISSING:
            if default is _MISSING:
                raise KeyError(key)
            return default
        dict.__setitem__(self, key, _MISSING)
        self._len -= 1
        return value

    def items(self) -> Any:
        raise TypeError(f"{self.ns}: an index opened from a file is not iterated")

    def values(self) -> Any:
        raise TypeError(f"{self.ns}: an index opened from a file is not iterated")


class LazySet(_Lazy, set):
    """A set whose membership is read from an index file when first asked for."""

    def __init__(self, index: IndexFile, ns: str, kenc: Codec | None = None) -> None:
        super().__init__()
        self._known: dict[Any, bool] = {}
        self._setup(index, ns, None, None, kenc)

    def __contains__(self, key: object) -> bool:
        got = self._known.get(key)
        if got is None:
            whole = self._whole(1)
            found = self._file.get(self.ns, self.kenc(key)) if whole is None else whole.get(key, _MISSING)
            got = self._known[key] = found is not _MISSING
        return got

    def prefetch(self, keys: Iterable[Any]) -> None:
        """Read the membership of ``keys`` not asked yet, together."""
        known = self._known
        want = [k for k in dict.fromkeys(keys) if k not in known]
        if not want:
            return
        kenc = self.kenc
        whole = self._whole(len(want))
        got = self._file.get_many(self.ns, [kenc(k) for k in want]) if whole is None else whole
        for k in want:
            known[k] = kenc(k) in got

    def _raw(self, key: Any) -> Any:
        return 1 if self._known.get(key) else _MISSING

    def add(self, key: Any) -> None:
        if key not in self:
            self._len += 1
            self._known[key] = True
            if self._dirty is not None:
                self._dirty.add(key)

class LazyRecords(_Lazy):
    """Lists of one length whose items at one position are one entry of an index file.

    The matcher reads several facts of one stored name (its entity, text, role,
    words) or of one vocabulary entry (keys, owner, cross key) together: one
    read brings them all.  :meth:`column` gives each list as a :class:`LazyColumn`.
    """

    def __init__(self, index: IndexFile, ns: str, decoders: list[Codec | None], encoders: list[Codec | None]) -> None:
        self._rows: dict[int, list[Any]] = {}
        self._decoders = decoders
        self._plain = not any(decoders)
        self._encoders = encoders
        self._setup(index, ns, None, None)

    def column(self, j: int) -> LazyColumn:
        return LazyColumn(self, j)

    def prefetch(self, positions: Iterable[int]) -> None:
        """Read the rows of ``positions`` not read yet, together."""
        rows = self._rows
        want = [i for i in dict.fromkeys(positions) if i not in rows and 0 <= i < self._len]
        if not want:
            return
        for i, value in self._file.get_many(self.ns, want).items():
            rows[i] = self._decoded(value)

    def row(self, i: int) -> list[Any]:
        got = self._rows.get(i)
        if got is None:
            if not 0 <= i < self._len:
                raise IndexError(i)
            value = self._file.get(self.ns, i)
            if value is _MISSING:
                raise IndexCorrupt(f"{self._file.path}: entry {self.ns}[{i}] missing")
            got = self._rows[i] = self._decoded(value)
        return got

    def _decoded(self, value: Any) -> list[Any]:
        """A stored row as its columns (most have no decoder: copied as they are)."""
        decoders = self._decoders
        if self._plain and len(value) == len(decoders):
            return list(value)
        return [d(v) if d else v for d, v in zip(decoders, value, strict=True)]

    def set(self, i: int, j: int, value: Any) -> None:
        self.row(i)[j] = value
        if self._dirty is not None:
            self._dirty.add(i)

    def append(self, j: int, value: Any) -> None:
        """Columns are appended in turn; position ``_len`` is a new row until its last column is in."""
        if j == 0:
            self._rows[self._len] = [None] * len(self._decoders)
            self._len += 1
        self._rows[self._len - 1][j] = value
        if self._dirty is not None:
            self._dirty.add(self._len - 1)

    def _raw(self, key: Any) -> Any:
        return self._rows.get(key, _MISSING)

    def _encoded(self, value: Any) -> Any:
        return tuple(e(v) if e else v for e, v in zip(self._encoders, value, strict=True))


class LazyColumn(list):
    """One list of a :class:`LazyRecords` (indexed by position only)."""

    def __init__(self, records: LazyRecords, j: int) -> None:
        super().__init__()
        self._rec = records
        self._rows = records._rows  # (read directly: a lookup reads hundreds of rows read already)
        self._j = j

    def __getitem__(self, i: Any) -> Any:
        row = self._rows.get(i)
        return (row if row is not None else self._rec.row(i))[self._j]

    def prefetch(self, positions: Iterable[int]) -> None:
        self._rec.prefetch(positions)

    def __setitem__(self, i: Any, value: Any) -> None:
        self._rec.set(i, self._j, value)

    def append(self, value: Any) -> None:
        self._rec.append(self._j, value)

    def __len__(self) -> int:
        return self._rec._len

    def __bool__(self) -> bool:
        return self._rec._len > 0

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))


__all__ = [
    "FORMAT", "Columns", "IndexCorrupt", "IndexFile", "LazyColumn", "LazyDict", "LazyRecords", "LazySet", "index_path",
]
