"""The public API: one :class:`Glossary` over one SQLite store.

>>> from glossary import Glossary
>>> g = Glossary.open(":memory:")
>>> eid = g.add("Pyongyang", "بيونغ يانغ", kind="place", variants=["بيونج يانج"])
>>> g.lookup("بيونج يانج")[0].english
'Pyongyang'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import GlossaryError, InputError, NotFoundError
from .models import (
    KINDS,
    ROLES,
    STATUSES,
    Entity,
    ImportReport,
    Match,
    Mention,
    Name,
    NormalizeReport,
    NormalizeResult,
    check_alone,
    check_canonical,
    check_frequency,
    check_kind,
    check_spelling,
)
from .normalize import normalize, script_of

if TYPE_CHECKING:
    import sqlite_utils
    from distributed import Client

    from . import store
    from .matching import Matcher
    from .recognition import Recognizer
    from .tm import TranslationMemory

#: Longest query :meth:`Glossary.lookup` accepts (characters): the longest names of the news
#: (جمهورية كوريا الديمقراطية الشعبية, a party's full name) are under 100.
MAX_QUERY_CHARS = 300
#: Most entities whose display fields a glossary keeps for lookups.
_SHOWN_CACHE = 100_000
_T = TypeVar("_T")


def _name(row: tuple[Any, ...]) -> Name:
    """A :class:`Name` from a store row (:meth:`glossary.store.Store.entity_names`)."""
    return Name(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], bool(row[8]))


class GlossaryWriter:
    """How the library's importers (:mod:`glossary.exchange`) and the TM write to a glossary.

    Not for users: the public methods of :class:`Glossary` are.  It gives what
    those modules need besides the store layer (:attr:`store`, which inserts
    entities): one write transaction (:meth:`transaction`) and inserting
    spellings checked and normalized (:meth:`insert_name`).  The indexes
    follow every write through the store's change log (:mod:`glossary.indexing`).
    Get one from :attr:`Glossary.writer`.
    """

    def __init__(self, glossary: Glossary) -> None:
        self._glossary = glossary
        self.store: store.Store = glossary.store

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction (nested: a savepoint); see :meth:`Glossary._write`."""
        return self._glossary._write()

    def insert_name(
        self, entity_id: int, text: str, role: str, status: str, source: str | None,
        *, curated: bool = True, alone: str | None = None,
    ) -> int:
        """Insert a spelling (checked and normalized); returns its id, the existing one if the
        entity has this spelling."""
        return self._glossary._insert_name(entity_id, text, role, status, source, curated=curated, alone=alone)


class Glossary:
    """A bilingual glossary and translation memory in one SQLite file.

    Open it with :meth:`open`; use it as a context manager to close it.
    """

    def __init__(self, db: sqlite_utils.Database, path: str, *, read_only: bool = False) -> None:
        from . import store  # here, not at the top: ``import glossary`` stays light (tests/test_startup.py)
        from .indexing import Indexes
        from .store.index_file import IndexCorrupt

        self.db = db
        self.path = path
        #: the store layer: every statement run on the file (not for users)
        self.store = store.Store(db)
        # a store that cannot be written (opened read-only, or on a read-only share) leaves its index file alone
        self._indexes = Indexes(db, path, read_only=read_only or store.is_read_only(db))
        self._corrupt = IndexCorrupt
        #: english, arabic and kind of entities lookups returned, valid for one glossary version
        self._shown: dict[int, tuple[str, str, str]] = {}
        self._shown_version: int | None = None
        self._tm: TranslationMemory | None = None
        self.last_import: ImportReport | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path | None = None, *, defaults: bool = False, read_only: bool = False) -> Glossary:
        """Open a store, creating and migrating it as needed.

        ``path=None`` is the per-user default store (``$GLOSSARY_DB`` or the
        platform data folder), filled from the bundled data on first use.  An
        explicit path starts empty unless ``defaults=True``.  ``read_only=True``
        opens an existing store without writing to it (:func:`glossary.store.connect_read_only`:
        no creation, migration or bundled data; every write fails) nor to its index
        file (a current one is read; otherwise the index is built in memory): what
        the workers of a Dask run use.
        """
        from . import store

        if read_only:
            if defaults:
                raise ValueError("defaults needs a writable store")
            target = store.default_path() if path is None else path
            return cls(store.connect_read_only(target), str(target), read_only=True)
        fill = defaults
        if path is None:
            path = store.default_path()
            fill = True
        g = cls(store.connect(path), str(path))
        if fill:
            g.load_defaults()
        return g

    def close(self) -> None:
        self._indexes.close()
        self.db.conn.close()

    def __enter__(self) -> Glossary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Glossary {self.path}>"

    def load_defaults(self, *, update: bool = False) -> int:
        """Import the bundled glossary once per store; returns entities added (0 if done before).

        ``update``: bring a store filled by an older version up to the bundled files of
        this one (``glossary update-defaults``, ``glossary init --defaults``).  A bundled
        file the store has not loaded adds its entities; a file it loaded in another
        version adds only spellings.  Entities a person created or changed since the
        bundled glossary was loaded (fields, names added or removed) are left as they are,
        and so is every entity one of whose English spellings they hold.  Files loaded in
        the same version are not read again.  The generated lists (``news-*.csv``) are
        imported as a bulk import (:func:`glossary.store.bundled_is_curated`).
        """
        if not update and self.store.defaults_loaded():  # (a read-only store is opened without a write)
            return 0
        import hashlib

        from . import exchange, store
        with self._write():
            loaded_at = self.store.defaults_loaded_at()
            if loaded_at is not None and not update:
                return 0
            recorded = self.store.defaults_files()
            if recorded is None:
                recorded = {} if loaded_at is None else dict.fromkeys(store.LEGACY_BUNDLED_FILES, "")
            protected: frozenset[str] = frozenset()
            if loaded_at is not None:
                protected = frozenset(self.store.english_norms_of(self.store.entities_changed_since(loaded_at)))
            added = 0
            digests: dict[str, str] = {}
            for path in store.bundled_files():
                digest = digests[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
                if recorded.get(path.name) == digest:
                    continue
                exchange.import_file(
                    self, path, on_conflict="update", source=f"bundled:{path.name}",
                    curated=store.bundled_is_curated(path), protected=protected,
                    add_entities=path.name not in recorded,
                )
                assert self.last_import is not None
                added += self.last_import.added
            self.store.set_defaults_files(digests)
            self.store.mark_defaults_loaded()
        return added

    # ------------------------------------------------------------------ writes
    @property
    def writer(self) -> GlossaryWriter:
        """Writing hooks for the library's importers and TM (:class:`GlossaryWriter`); not for users."""
        return GlossaryWriter(self)

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction.  The indexes catch up from the store's change log when next used
        (:mod:`glossary.indexing`), whichever process wrote."""
        from .store import write_transaction

        with write_transaction(self.db):
            yield

    def _glossary_version(self) -> int:
        """A counter that moves on every change to entities or names, by any process.

        Triggers keep it (migration m003), so writes to the translation memory
        leave it alone. Every in-memory index of the glossary -- the matcher, the
        scanner, the TM's entity tags -- is valid for one value of it.
        """
        return self.store.glossary_version()

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
        frequency: int | None = None,
        alone: str | None = None,
    ) -> int:
        """Add an entity with its canonical spellings, variants and aliases; returns its id.

        Variants and aliases may be in either script; the language is detected.
        ``frequency`` (how often the name is attested; None: unknown) ranks it
        above rarer entities that match a spelling equally well.  ``alone``
        (``"always"``, ``"never"``, ``"stored"``; None: the recognizer decides) says whether
        its one-word spellings may be a mention on their own in running text, and
        ``"stored"`` that running text finds its spellings only as stored, and a lookup
        only as stored or respelled within one sound class (score 90 or more)
        (:mod:`glossary.recognition`, "The precision guard").
        """
        english, arabic = check_canonical(english, arabic)
        check_kind(kind)
        frequency = check_frequency(frequency)
        alone = check_alone(alone)
        with self._write():
            existing = self.find_entity(english=english)
            if existing is not None:
                raise InputError(
                    f"entity {english!r} already exists (id {existing}); add spellings with add_variant"
                )
            eid = self.store.insert_entity(english, arabic, kind, note, source, frequency)
            self._insert_name(eid, english, "canonical", "approved", source, alone=alone)
            self._insert_name(eid, arabic, "canonical", "approved", source, alone=alone)
            for text in variants:
                self._insert_name(eid, text, "variant", "approved", source, alone=alone)
            for text in aliases:
                self._insert_name(eid, text, "alias", "approved", source, alone=alone)
        return eid

    def add_variant(
        self,
        entity_id: int,
        text: str,
        *,
        role: str = "variant",
        status: str = "approved",
        source: str | None = None,
        alone: str | None = None,
    ) -> int:
        """Record another spelling of an entity; returns the name id (existing one if known).

        ``alone``: may the spelling be a mention on its own in running text
        (``"always"``, ``"never"``, ``"stored"``: only as stored; None: the recognizer decides).
        """
        alone = check_alone(alone)
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        self._require_entity(entity_id)
        with self._write():
            return self._insert_name(entity_id, text, role, status, source, alone=alone)

    def set_alone(self, name_id: int, alone: str | None) -> None:
        """Say whether a spelling may be a mention on its own: ``"always"``, ``"never"``,
        ``"stored"``, or None (decide).

        For a name that is also an ordinary word (صور: Tyre and "pictures"), ``"never"``
        keeps it from being found except inside a longer name; ``"always"`` makes a
        name the guard would doubt a mention wherever it stands; ``"stored"`` lets running
        text find it only as stored (up to orthography), not respelled, and ``lookup``
        answer it only as stored or respelled within one sound class (score 90 or more:
        :data:`glossary.matching.SAME_SOUNDS_SCORE`).  The bundled news lists mark their
        small places so: ten thousand names whose respellings collide with ordinary words
        in text, and with the names a translator looks up that the glossary lacks.
        """
        alone = check_alone(alone)
        with self._write():
            if not self.store.set_name_alone(name_id, alone):
                raise NotFoundError(f"no name with id {name_id}")

    def add_alias(self, entity_id: int, text: str, *, source: str | None = None) -> int:
        """Record a short form (بوتين for Vladimir Putin); it matches below the full name."""
        return self.add_variant(entity_id, text, role="alias", source=source)

    def set_status(self, name_id: int, status: str) -> None:
        """Approve a suggested spelling (``"approved"``) or send it back to review."""
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        with self._write():
            # a person approving a spelling vouches for it
            if not self.store.set_name_status(name_id, status):
                raise NotFoundError(f"no name with id {name_id}")

    def remove_name(self, name_id: int) -> None:
        """Delete one spelling; a canonical spelling cannot be removed (change the entity instead)."""
        role = self.store.name_role(name_id)
        if role is None:
            raise NotFoundError(f"no name with id {name_id}")
        if role == "canonical":
            raise InputError(
                f"name {name_id} is a canonical spelling; change the canonical spelling instead "
                "(glossary edit, Glossary.update)"
            )
        with self._write():
            self.store.delete_name(name_id)

    def delete(self, entity_id: int) -> None:
        """Delete an entity and all its names."""
        self._require_entity(entity_id)
        with self._write():
            self.store.delete_entity(entity_id)

    def merge(self, keep_id: int, other_id: int) -> Entity:
        """Make two entities found to be one a single entity: ``keep_id`` takes every spelling of
        ``other_id``, which is then deleted; returns the kept entity.

        The kept entity's canonical spellings, kind and source stay; the other's canonical
        spellings become variants of it (its variants and aliases keep their roles, status,
        ``alone`` and ``curated``); a spelling both have is kept once, as the kept entity has it.
        The frequencies add up, as when an import merges two rows into one entity (an unknown
        frequency counts as none; both unknown stay unknown).  The notes are joined, the kept
        entity's first (one of them empty, or both the same: that one).  The translation memory
        is not touched.  Raises :class:`NotFoundError` for an unknown id and :class:`InputError`
        when both ids are the same.
        """
        if keep_id == other_id:
            raise InputError(f"cannot merge entity {keep_id} with itself")
        keep, other = self.entity(keep_id), self.entity(other_id)
        notes = [n.strip() for n in (keep.note, other.note) if n and n.strip()]
        note = "; ".join(dict.fromkeys(notes)) or None
        with self._write():
            self.store.move_names(other_id, keep_id)
            self.store.set_entity_note(keep_id, note)  # and its ``updated`` time
            if other.frequency is not None:
                self.store.set_frequency(keep_id, (keep.frequency or 0) + other.frequency)
            self.store.delete_entity(other_id)
        return self.entity(keep_id)

    def update(
        self,
        entity_id: int,
        *,
        english: str | None = None,
        arabic: str | None = None,
        kind: str | None = None,
        note: str | None = None,
        frequency: int | None = None,
    ) -> None:
        """Change canonical spellings, kind, note or frequency; an old canonical spelling stays as a variant."""
        current = self.entity(entity_id)
        new_en, new_ar = check_canonical(english or current.english, arabic or current.arabic)
        if kind is not None:
            check_kind(kind)
        frequency = check_frequency(frequency)
        with self._write():
            self.store.update_entity(
                entity_id, new_en, new_ar, kind or current.kind, note if note is not None else current.note, frequency
            )
            for old, new in ((current.english, new_en), (current.arabic, new_ar)):
                if old != new:
                    self.store.demote_name(entity_id, old)
                    self._insert_name(entity_id, new, "canonical", "approved", None)
                    self.store.promote_name(entity_id, new)

    def _insert_name(
        self, entity_id: int, text: str, role: str, status: str, source: str | None,
        *, curated: bool = True, alone: str | None = None,
    ) -> int:
        text = check_spelling(text.strip())
        if not text:
            raise InputError("empty spelling")
        lang = script_of(text)
        norm = normalize(text, lang)
        if not norm:
            raise InputError(f"spelling {text!r} has no letters")
        inserted = self.store.insert_name(entity_id, text, lang, role, status, source, norm, curated, alone)
        if inserted is None:  # this entity already has this spelling
            existing = self.store.name_id(entity_id, text)
            assert existing is not None
            return existing
        name_id = inserted
        return name_id

    # ------------------------------------------------------------------ reads
    def entity(self, entity_id: int) -> Entity:
        """An entity with all its names; raises :class:`NotFoundError` if there is none."""
        row = self.store.entity_row(entity_id)
        if row is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        names = tuple(_name(r) for r in self.store.entity_names(entity_id))
        eid, english, arabic, kind, note, source, created, updated, frequency = row
        return Entity(eid, english, arabic, kind, note, source, created, updated, names=names, frequency=frequency)

    def entities(self) -> Iterator[Entity]:
        """Every entity, in id order, with its names."""
        for eid in self.store.entity_ids():
            yield self.entity(eid)

    def list_entities(
        self,
        *,
        kind: str | None = None,
        text: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Entity]:
        """One page of entities, in id order, with their names.

        ``kind``: only entities of this kind.  ``text``: only entities one of whose
        spellings (canonical, variant or alias, in either script) contains it after
        normalization (``ماكرن`` finds إيمانويل ماكرن, ``macr`` finds Emmanuel Macron).
        ``status``: ``"suggested"``, only entities holding a spelling waiting for
        review; ``"approved"``, only entities holding none.  ``limit`` and ``offset``
        page through the result (the store selects the page: one query, however
        large the glossary).
        """
        if kind is not None:
            check_kind(kind)
        if status is not None and status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        norm = None
        if text is not None:
            norm = normalize(text.strip(), script_of(text.strip()))
            if not norm:
                raise InputError(f"text {text!r} has no letters")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InputError(f"limit must be a whole number of at least 1, not {limit!r}")
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise InputError(f"offset must be a whole number of at least 0, not {offset!r}")
        rows = self.store.entity_page(kind=kind, status=status, text_norm=norm, limit=limit, offset=offset)
        if not rows:
            return []
        names: dict[int, list[Name]] = {r[0]: [] for r in rows}
        for r in self.store.names_of_entities(list(names)):
            names[r[1]].append(_name(r))
        return [
            Entity(eid, english, arabic, kind_, note, source, created, updated,
                   names=tuple(names[eid]), frequency=frequency)
            for eid, english, arabic, kind_, note, source, created, updated, frequency in rows
        ]

    def find_entity(self, english: str | None = None, arabic: str | None = None) -> int | None:
        """The id of the entity whose canonical English (or Arabic) matches after normalization."""
        if english:
            found = self.store.entity_id_by_english(normalize(english, "en"))
            if found is not None:
                return found
        if arabic:
            found = self.store.entity_id_by_arabic(normalize(arabic, "ar"))
            if found is not None:
                return found
        return None

    def suggestions(self) -> list[Name]:
        """Spellings waiting for review (status ``suggested``), oldest first."""
        return [_name(r) for r in self.store.suggested_names()]

    def stats(self) -> dict[str, Any]:
        """Counts a user asks about: entities, names, tm_units, and breakdowns."""
        counts = self.store.counts()
        by_kind, by_lang = counts["by_kind"], counts["by_lang"]
        return {
            "path": self.path,
            "entities": counts["entities"],
            "names": counts["names"],
            "suggested": counts["suggested"],
            "tm_units": counts["tm_units"],
            "by_kind": {k: by_kind.get(k, 0) for k in KINDS},
            "names_by_lang": {k: by_lang.get(k, 0) for k in ("ar", "en")},
            "schema": self.store.schema(),
        }

    # ------------------------------------------------------------------ matching
    @property
    def matcher(self) -> Matcher:
        """The lookup index (:mod:`glossary.matching`), current with the store (:mod:`glossary.indexing`)."""
        return self._indexes.matcher()

    def _guarded(self, read: Callable[[], _T]) -> _T:
        """Run a read over the indexes; a corrupt index file is reported, rebuilt and read again."""
        try:
            return read()
        except self._corrupt as exc:
            self._indexes.retry(exc)
            self._shown.clear()
            return read()

    def lookup(self, query: str, limit: int = 5, min_score: float | None = None) -> list[Match]:
        """Entities whose spellings match ``query`` (Arabic or English), best first.

        ``score`` is 0..100 (100: identical after orthographic normalization);
        nothing below ``min_score`` (default :data:`DEFAULT_MIN_SCORE`) is returned.
        A query of more than :data:`MAX_QUERY_CHARS` characters is refused
        (:class:`InputError`): no name is that long, and the time of a lookup
        grows with its length.
        """
        if len(query) > MAX_QUERY_CHARS:
            raise InputError(f"query too long ({len(query):,} characters; a name has at most {MAX_QUERY_CHARS:,})")
        if limit <= 0:
            return []
        from .matching import DEFAULT_MIN_SCORE

        threshold = DEFAULT_MIN_SCORE if min_score is None else float(min_score)
        hits = self._guarded(lambda: self.matcher.search(query, limit=limit, min_score=threshold))
        if not hits:
            return []
        info = self._entity_info({h.entity_id for h in hits})
        return [
            Match(h.entity_id, info[h.entity_id][0], info[h.entity_id][1], info[h.entity_id][2],
                  h.matched, h.score, h.reason, h.role)
            for h in hits
            if h.entity_id in info
        ]

    def prefix(self, text: str, limit: int = 10) -> list[Match]:
        """Entities with a spelling that starts with ``text`` (Arabic or Latin), for search as you type.

        «بيون» and "Pyong" find Pyongyang before the word is finished, which :meth:`lookup`
        (whole spellings, fuzzily) does not.  The prefix is normalized like stored spellings
        (case, hamza and alef forms, diacritics), and read from the store's index of normalized
        spellings, so it costs the same on a large glossary.  Each entity comes once, with its
        shortest matching spelling as ``matched``; ``reason`` is ``"prefix"`` and ``score``
        the share of that spelling already typed (100: all of it), which is the order, the
        more frequent entity first among equals.
        """
        if len(text) > MAX_QUERY_CHARS:
            raise InputError(f"query too long ({len(text):,} characters; a name has at most {MAX_QUERY_CHARS:,})")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InputError(f"limit must be a whole number of at least 1, not {limit!r}")
        text = text.strip()
        norm = normalize(text, script_of(text)) if text else ""
        if not norm:
            return []
        return [
            Match(eid, english, arabic, kind, matched, round(100.0 * len(norm) / max(length, len(norm)), 1),
                  "prefix", role)
            for eid, english, arabic, kind, matched, role, length in self.store.names_with_prefix(norm, limit)
        ]

    def _entity_info(self, ids: set[int]) -> dict[int, tuple[str, str, str]]:
        """English, Arabic and kind of these entities, kept until the glossary changes.

        A lookup is a fraction of a millisecond; reading its entities back from
        SQLite every time cost a tenth of that.
        """
        version = self._indexes.version
        if self._shown_version != version or len(self._shown) > _SHOWN_CACHE:
            self._shown.clear()
            self._shown_version = version
        shown = self._shown
        missing = sorted(i for i in ids if i not in shown)
        if missing:
            for r in self.store.entity_display(missing):
                shown[r[0]] = (r[1], r[2], r[3])
        return shown

    # ------------------------------------------------------------------ running text
    @property
    def recognizer(self) -> Recognizer:
        """The running-text recognizer (:mod:`glossary.recognition`), current with the store."""
        return self._indexes.recognizer()

    def find_mentions(self, text: str, min_score: float | None = None) -> list[Mention]:
        """Every entity mention in ``text``, in order, non-overlapping, longest match first.

        Offsets are character offsets into ``text``; ``prefix`` is the proclitic
        kept outside the name (ل in لبوتين).  A mention's score is the one
        :meth:`lookup` gives its span; mentions below ``min_score`` (default
        :data:`glossary.matching.DEFAULT_MIN_SCORE`, lookup's threshold) are left
        out.  See :mod:`glossary.recognition` for what is recognized and the
        precision guard that keeps ordinary words out.
        """
        from . import matching

        threshold = matching.DEFAULT_MIN_SCORE if min_score is None else float(min_score)
        return self._guarded(lambda: self.recognizer.find(text, threshold))

    def normalize_text(
        self,
        text: str,
        annotate: bool | str = False,
        min_score: float | None = None,
        *,
        expand_aliases: bool = False,
    ) -> NormalizeResult:
        """Rewrite every mention scoring at least ``min_score`` to the canonical Arabic spelling.

        ``min_score`` defaults to :data:`glossary.recognition.REWRITE_MIN_SCORE`;
        mentions below it (down to lookup's threshold) are still reported
        (``replaced`` False), and so are ``ambiguous`` ones, never rewritten.  With
        ``annotate`` (True, or a format such as ``"{surface} ({english})"``) the
        text is kept and the English name is added after each entity's first
        mention.  Short forms stay short unless ``expand_aliases``.
        """
        from . import matching
        from .recognition import DEFAULT_ANNOTATION, REWRITE_MIN_SCORE

        fmt = None if annotate is False else DEFAULT_ANNOTATION if annotate is True else str(annotate)
        threshold = REWRITE_MIN_SCORE if min_score is None else float(min_score)
        return self._guarded(
            lambda: self.recognizer.normalize(text, threshold, fmt, expand_aliases, matching.DEFAULT_MIN_SCORE)
        )

    def normalize_files(
        self,
        paths: Iterable[str | Path],
        *,
        out_dir: str | Path | None = None,
        in_place: bool = False,
        backup: str | None = None,
        dry_run: bool = False,
        glob: str = "*.txt",
        workers: int | None = None,
        min_score: float | None = None,
        annotate: bool | str = False,
        expand_aliases: bool = False,
        suggest: bool = False,
        keep_mentions: bool = True,
        progress: Callable[[int, int], None] | None = None,
        client: Client | None = None,
        resume: bool | None = None,
    ) -> NormalizeReport:
        """Normalize article files and folders as :meth:`normalize_text` does one text; see :mod:`glossary.batch`.

        This is ``glossary normalize`` without the command line, so a program
        can normalize a folder and get the same bytes and report.  ``paths`` are
        files, folders (searched recursively for ``glob``) or ``-`` (standard
        input, alone).  Where the text goes:

        * ``out_dir``: a copy of each file, the inputs' layout kept under it
          relative to the deepest folder that holds every input: a folder given
          alone has its files written directly under ``out_dir``, and
          ``d1/a.txt d2/a.txt`` become ``out_dir/d1/a.txt`` and
          ``out_dir/d2/a.txt`` (never one output for two inputs);
        * ``in_place``: changed files are rewritten, the original kept as
          ``PATH + backup`` when ``backup`` is given;
        * ``dry_run``: nothing is written (no text, backup or suggestion); each
          result's ``diff`` is a unified diff;
        * none of these: each result's ``output`` holds the normalized bytes.

        Every write is atomic (a temp file renamed into place), and an output
        that would land on an input or on another output of the run is refused
        with :class:`InputError` before anything is written.  Files are decoded
        strictly as UTF-8 (a BOM and CRLF are kept byte for byte); a file that
        is unreadable, not UTF-8 (its line named), UTF-16 or binary becomes an
        ``error`` entry and the others are still processed.  ``workers`` > 1
        spreads the files over processes (forked where possible, sharing the
        recognizer built here).  ``min_score``, ``annotate`` and
        ``expand_aliases`` are :meth:`normalize_text`'s.  With ``suggest`` the
        Arabic spellings found only through their keys are recorded as
        suggested variants (:meth:`suggest_variants`; their ids in
        ``report.suggested``).  ``keep_mentions=False`` only counts the mentions
        (less memory on a large folder; the report then lists none).
        ``progress(done, total)`` is called before the first file and after
        each one.  Raises ValueError for options that exclude each other.

        ``client`` (a ``dask.distributed.Client``) runs the files on its Dask
        cluster instead (not with ``workers``): each worker process opens this
        store's file read-only at the same path and builds its recognizer once,
        so the file must be readable there (a shared filesystem or a copy at the
        same path); a worker whose copy holds other names is refused
        (:class:`StoreError`).  The files, report and suggestions are a local
        run's.  ``resume`` (default: on with ``client`` and ``out_dir``, else
        off; needs ``out_dir``) keeps a manifest in ``out_dir`` and skips the
        outputs an earlier run wrote that are still complete: same input bytes,
        same output bytes, same store and options (:class:`glossary.batch._Manifest`);
        their results come from the manifest, marked ``skipped``.
        """
        from . import batch

        return batch.normalize_files(
            self, paths, out_dir=out_dir, in_place=in_place, backup=backup, dry_run=dry_run, glob=glob,
            workers=workers, min_score=min_score, annotate=annotate, expand_aliases=expand_aliases,
            suggest=suggest, keep_mentions=keep_mentions, progress=progress, client=client, resume=resume,
        )

    def suggest_variants(
        self, mentions: Iterable[Mention | tuple[int, str]], source: str | None = None
    ) -> list[int]:
        """Record spellings found only through their keys as ``suggested`` variants for review.

        Takes mentions (those with ``stored`` False are recorded) or
        ``(entity_id, spelling)`` pairs; returns the ids of the names added
        (spellings the entity already has are left as they are).
        See :meth:`suggestions`, :meth:`set_status` and :meth:`remove_name` for review.
        """
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
                if self.store.name_id(eid, text) is None:
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
        curated: bool = False,
    ) -> int:
        """Import a glossary file in one transaction; returns the entities imported.

        See :func:`glossary.exchange.import_file` for the formats, the conflict
        rule and bad-row handling; :attr:`last_import` holds the counts.  The
        spellings of a bulk import are not ``curated``: in running text, one that
        is also a common word (a surname that means "president") is not taken for
        a name on its own.  Pass ``curated=True`` for a list a person has checked.
        """
        from . import exchange

        return exchange.import_file(
            self, path, format=format, on_conflict=on_conflict, skip_bad_rows=skip_bad_rows,
            source=source, columns=columns, curated=curated,
        )

    def export_file(self, path: str | Path, *, format: str | None = None, direction: str = "ar-en") -> int:
        """Write the glossary to a file, atomically; returns records written.

        See :func:`glossary.exchange.export_file` for the formats (``jsonl`` is lossless).
        """
        from . import exchange

        return exchange.export_file(self, path, format=format, direction=direction)

    # ------------------------------------------------------------------ translation memory
    @property
    def tm(self) -> TranslationMemory:
        """The translation memory kept in the same store."""
        if self._tm is None:
            from .tm import TranslationMemory

            self._tm = TranslationMemory(self)
        return self._tm

    def _require_entity(self, entity_id: int) -> None:
        if not self.store.entity_exists(entity_id):
            raise NotFoundError(f"no entity with id {entity_id}")


__all__ = ["Glossary", "GlossaryError"]
