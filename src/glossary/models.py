"""The public value types: what lookups, scans, imports, batch normalizing and the translation
memory hand back, in one module; and the settings and input checks they share.

Every class here is importable from :mod:`glossary` (``from glossary import Mention``).  The
modules that build them (:mod:`glossary.glossary`, :mod:`glossary.recognition`,
:mod:`glossary.exchange`, :mod:`glossary.batch`, :mod:`glossary.tm`, :mod:`glossary.tmx_import`)
import them from here.  This module stays cheap to import (the standard library,
:mod:`glossary.errors` and :mod:`glossary.normalize`): the command line names its settings
without loading the store, the matcher or the TM, and :meth:`NormalizeReport.write` imports the
atomic writer when it runs.  The dataclasses pickle by reference to this module, as batch
normalizing's worker processes and a Dask cluster send :class:`FileResult` back.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from .errors import InputError
from .normalize import has_arabic, has_latin

Kind = Literal["person", "place", "organization", "other"]
Role = Literal["canonical", "variant", "alias"]
Status = Literal["approved", "suggested"]
Reason = Literal["exact", "orthographic", "phonetic", "fuzzy", "alias", "english", "prefix"]

KINDS: tuple[str, ...] = ("person", "place", "organization", "other")
ROLES: tuple[str, ...] = ("canonical", "variant", "alias")
STATUSES: tuple[str, ...] = ("approved", "suggested")
#: What a TM import does with a unit whose source it already holds (:mod:`glossary.tm`; kept
#: here, with the other settings, so that the command line can name them without loading the TM):
#: ``skip`` (and ``keep``, the same) store another translation beside it and skip an identical
#: pair, ``update`` replaces the stored target.
ON_DUPLICATE: tuple[str, ...] = ("skip", "update", "keep")
#: Below this sentence similarity a TM unit is not returned (a TM score, 0..100 over the whole
#: segment: not the name score of :data:`glossary.matching.DEFAULT_MIN_SCORE`).
DEFAULT_MIN_SIMILARITY = 70.0
#: Settings of a spelling's ``alone``: may it be a mention on its own in running text?
#: ``always``, ``never`` (only inside a longer name), ``stored`` (in running text only as
#: stored, up to orthography: a respelling nobody stored is not taken for it, though
#: ``lookup`` still finds it); None: the recognizer's precision guard decides.
ALONE: tuple[str, ...] = ("always", "never", "stored")


@dataclass(frozen=True, slots=True)
class Name:
    """One spelling of an entity, in one language."""

    id: int
    entity_id: int
    text: str
    lang: str
    role: str
    status: str
    source: str | None = None
    #: may it be a mention on its own in running text: "always", "never", or None (the recognizer decides)
    alone: str | None = None
    #: added or approved by a person (False: from a bulk import)
    curated: bool = True

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready fields."""
        return {"id": self.id, "text": self.text, "lang": self.lang, "role": self.role,
                "status": self.status, "source": self.source, "alone": self.alone, "curated": self.curated}


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, place or organization with its canonical spellings and all known names."""

    id: int
    english: str
    arabic: str
    kind: str
    note: str | None = None
    source: str | None = None
    created: str | None = None
    updated: str | None = None
    names: tuple[Name, ...] = field(default=())
    #: How often the name is attested (people carrying it, uses counted); None: unknown.
    frequency: int | None = None

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready fields, names included."""
        return {
            "id": self.id, "english": self.english, "arabic": self.arabic, "kind": self.kind,
            "note": self.note, "source": self.source, "frequency": self.frequency,
            "created": self.created, "updated": self.updated, "names": [n.as_dict() for n in self.names],
        }

    def spellings(self, lang: str | None = None, role: str | None = None) -> list[str]:
        """Texts of this entity's names, optionally only one language or role."""
        return [n.text for n in self.names if (lang is None or n.lang == lang) and (role is None or n.role == role)]


@dataclass(frozen=True, slots=True)
class Match:
    """One entity returned by :meth:`Glossary.lookup`, best first.

    ``score`` is 0..100: 100 means identical after orthographic normalization;
    ``reason`` says which rule matched so a translator can trust or reject it.
    """

    entity_id: int
    english: str
    arabic: str
    kind: str
    matched: str
    score: float
    reason: str
    role: str = "canonical"

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready fields, the score rounded to one decimal."""
        return {
            "entity_id": self.entity_id,
            "english": self.english,
            "arabic": self.arabic,
            "kind": self.kind,
            "matched": self.matched,
            "score": round(self.score, 1),
            "reason": self.reason,
            "role": self.role,
        }


# ---------------------------------------------------------------- glossary imports (glossary.exchange)


@dataclass
class ImportReport:
    """What a glossary import did (:attr:`glossary.Glossary.last_import`): rows added, updated,
    merged or skipped, and the rows, columns and languages it passed over."""

    path: str
    added: int = 0
    updated: int = 0
    skipped: int = 0
    bad_rows: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    #: rows folded into an entity added earlier from the same file
    merged: int = 0
    ignored_languages: list[str] = field(default_factory=list)
    #: TBX concepts skipped for want of an English or an Arabic term (file:line: why)
    incomplete: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.added + self.updated + self.merged

    def summary(self) -> str:
        """One line: ``N added, N updated, N skipped`` and what else happened."""
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.skipped} skipped"]
        if self.merged:
            parts.append(f"{self.merged} merged into earlier rows")
        if self.incomplete:
            n = len(self.incomplete)
            parts.append(f"{n} concept{'s' if n > 1 else ''} without both English and Arabic skipped")
        if self.bad_rows:
            parts.append(f"{len(self.bad_rows)} bad row{'s' if len(self.bad_rows) > 1 else ''} skipped")
        return ", ".join(parts)


# ---------------------------------------------------------------- running text (glossary.recognition)


@dataclass(frozen=True, slots=True)
class MentionInfo:
    """What a mention resolves to (:attr:`Mention.info`); shared by every mention of the same spelling."""

    entity_id: int
    english: str
    arabic: str
    score: float
    reason: str
    stored: bool = True  #: the spelling is in the glossary (False: found through its keys)
    lang: str = "ar"
    short: str | None = None  #: how a short form (alias) is rewritten without expanding it
    ambiguous: bool = False  #: another entity matches the span as well
    kind: str = "other"


class Mention(NamedTuple):
    """One entity mention in a text.

    ``start``/``end`` are character offsets of the name in the original text;
    ``prefix`` is the proclitic written just before ``start`` and kept outside
    the name (``"ل"`` in لبوتين).  ``english``/``arabic`` are the entity's
    canonical spellings; ``score`` and ``reason`` are those
    :meth:`glossary.Glossary.lookup` gives the span.  ``ambiguous`` mentions
    (another entity matches as well) are never rewritten.  After
    :meth:`glossary.Glossary.normalize_text`, ``replaced`` says whether the
    span was rewritten and ``replacement`` is the text written in its place.
    """

    start: int
    end: int
    surface: str
    prefix: str
    info: MentionInfo
    replaced: bool = False
    replacement: str | None = None

    @property
    def entity_id(self) -> int:
        return self.info.entity_id

    @property
    def english(self) -> str:
        return self.info.english

    @property
    def arabic(self) -> str:
        return self.info.arabic

    @property
    def kind(self) -> str:
        return self.info.kind

    @property
    def score(self) -> float:
        return self.info.score

    @property
    def reason(self) -> str:
        return self.info.reason

    @property
    def stored(self) -> bool:
        """True if the spelling is stored; False if it was found through its keys only."""
        return self.info.stored

    @property
    def ambiguous(self) -> bool:
        """True if another entity matches the span as well: reported, never rewritten."""
        return self.info.ambiguous

    @property
    def lang(self) -> str:
        return self.info.lang

    def as_dict(self) -> dict[str, Any]:
        """The fields of the JSON report."""
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "prefix": self.prefix,
            "entity_id": self.entity_id,
            "english": self.english,
            "arabic": self.arabic,
            "score": round(self.score, 1),
            "reason": self.reason,
            "ambiguous": self.ambiguous,
            "replaced": self.replaced,
            "replacement": self.replacement,
        }


@dataclass
class NormalizeResult:
    """What :meth:`glossary.Glossary.normalize_text` returns: the rewritten text and its mentions."""

    text: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(m.replaced for m in self.mentions)


# ---------------------------------------------------------------- files and folders (glossary.batch)


#: The columns of the CSV report (one row per mention).
REPORT_COLUMNS = (
    "path", "start", "end", "surface", "prefix", "entity_id", "english", "arabic", "score",
    "reason", "ambiguous", "replaced", "replacement",
)


@dataclass
class FileResult:
    """What happened to one file: an entry of :attr:`NormalizeReport.files`.

    ``status`` is ``"changed"``, ``"unchanged"`` or ``"error"`` (then ``error``
    holds the reason, ``"line N: ..."`` where there is a line, and ``message``
    the one line to show: ``PATH:LINE: reason``).  ``mentions`` are the
    report's mention dicts (:meth:`Mention.as_dict`);
    ``mention_count`` counts them even when they were not kept, ``replaced``
    counts those rewritten.  ``output_path`` is the file written (none for a
    dry run, standard output or an unchanged file in place); ``output`` holds
    the normalized bytes when nothing is written to disk (neither ``out_dir``,
    ``in_place`` nor ``dry_run``), and ``diff`` the unified diff of a dry run.
    """

    path: str
    status: str = "unchanged"
    error: str | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    replaced: int = 0
    mention_count: int = 0
    message: str | None = None
    output_path: str | None = None
    output: bytes | None = None
    diff: str | None = None
    #: (entity id, spelling) of Arabic mentions found only through their keys
    unstored: list[tuple[int, str]] = field(default_factory=list)
    #: True when a resumed run found this output complete and did not redo it
    skipped: bool = False
    #: with ``resume``: the input's size, mtime and sha256 and the output's sha256 (what a rerun checks)
    fingerprint: dict[str, Any] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The file's entry in the JSON report."""
        return {"path": self.path, "status": self.status, "error": self.error, "mentions": self.mentions}


@dataclass
class NormalizeReport:
    """What :meth:`glossary.Glossary.normalize_files` returns: one result per file, in input order.

    ``suggested`` holds the ids of the spellings recorded as suggested variants
    (``suggest=True``).
    """

    files: list[FileResult]
    suggested: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[FileResult]:
        """The files that could not be processed."""
        return [f for f in self.files if f.status == "error"]

    @property
    def summary(self) -> dict[str, Any]:
        """Files, changed, errors, mentions, and mentions by entity (most first)."""
        by_entity: Counter[str] = Counter()
        for f in self.files:
            for m in f.mentions:
                by_entity[m["english"]] += 1
        return {
            "files": len(self.files),
            "changed": sum(f.status == "changed" for f in self.files),
            "errors": sum(f.status == "error" for f in self.files),
            "mentions": sum(f.mention_count for f in self.files),
            "by_entity": dict(sorted(by_entity.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    def as_dict(self) -> dict[str, Any]:
        """The JSON report: ``{"files": [...], "summary": {...}}``."""
        return {"files": [f.as_dict() for f in self.files], "summary": self.summary}

    def write(self, path: str | Path) -> None:
        """Write the report atomically: ``.json`` (:meth:`as_dict`) or ``.csv`` (one row per mention)."""
        import csv
        import json

        from .formats import atomic_writer

        target = Path(path)
        suffix = target.suffix.lower()
        if suffix == ".csv":
            with atomic_writer(target) as handle:
                writer = csv.DictWriter(handle, fieldnames=REPORT_COLUMNS, lineterminator="\n")
                writer.writeheader()
                for f in self.files:
                    for m in f.mentions:
                        writer.writerow({"path": f.path, **m})
            return
        if suffix != ".json":
            raise InputError("the report must be a .json or .csv file", target)
        with atomic_writer(target) as handle:
            json.dump(self.as_dict(), handle, ensure_ascii=False, indent=1)
            handle.write("\n")


# ---------------------------------------------------------------- the translation memory (glossary.tm)


@dataclass
class TMHit:
    """One translation-memory match (:meth:`glossary.TranslationMemory.search`, best first); how
    ``score`` is computed is in :mod:`glossary.tm`."""

    unit_id: int
    source: str
    target: str
    score: float
    source_lang: str
    target_lang: str
    repaired_target: str | None = None
    repairs: list[tuple[str, str]] = field(default_factory=list)
    note: str | None = None
    origin: str | None = None
    updated: str | None = None
    reversed: bool = False  # matched on the unit's target side (an en→ar query of an ar→en unit)

    @property
    def repaired(self) -> bool:
        return self.repaired_target is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "score": self.score,
            "source": self.source,
            "target": self.target,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "repaired_target": self.repaired_target,
            "repairs": [list(r) for r in self.repairs],
            "note": self.note,
            "origin": self.origin,
            "updated": self.updated,
            "reversed": self.reversed,
        }


@dataclass
class TMUnit:
    """One stored translation unit: what :meth:`glossary.TranslationMemory.get` and ``units`` return."""

    id: int
    source: str
    target: str
    source_lang: str
    target_lang: str
    note: str | None
    origin: str | None
    props: dict[str, Any]
    created: str
    updated: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "note": self.note,
            "origin": self.origin,
            "props": self.props,
            "created": self.created,
            "updated": self.updated,
        }


@dataclass
class TMImportReport:
    """What :meth:`glossary.TranslationMemory.import_tmx` did (kept as its ``last_import``): units
    read, added, updated and skipped, and the duplicates it met."""

    path: str
    read: int = 0
    added: int = 0
    updated: int = 0
    duplicates: int = 0  # units whose source and target were both stored already (skipped, or updated)
    #: units whose source was stored with another target (stored beside it, or replacing it: "update")
    alternatives: int = 0
    skipped: int = 0  # units not stored: duplicates (unless "update"), units missing a language
    incomplete: int = 0  # units without both languages
    duplicate_lines: list[int] = field(default_factory=list)  # first 100 duplicate <tu> lines
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        return self.added + self.updated

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "read": self.read,
            "added": self.added,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "alternatives": self.alternatives,
            "skipped": self.skipped,
            "incomplete": self.incomplete,
            "duplicate_lines": self.duplicate_lines,
            "seconds": round(self.seconds, 3),
        }


# ---------------------------------------------------------------- rules shared by add() and imports
def check_canonical(english: str, arabic: str, *, mixed: bool = True) -> tuple[str, str]:
    """Strip and check a canonical pair.

    The Arabic may hold some Latin letters, as terms do (إنفلونزا H1N1,
    حمض الريبونوكلييك (RNA)), as long as Arabic letters are the majority
    (``mixed=False`` forbids any); text with no Arabic letter is always refused.
    The same rule holds for :meth:`Glossary.add` and for imports.
    """
    english = check_spelling((english or "").strip())
    arabic = check_spelling((arabic or "").strip())
    if not english:
        raise InputError("empty english")
    if not arabic:
        raise InputError("empty arabic")
    if has_arabic(english):
        raise InputError(f"Arabic text in the english column: {english!r}")
    if not has_arabic(arabic):
        raise InputError(f"no Arabic letters in the arabic column: {arabic!r}")
    if has_latin(arabic) and not (mixed and mostly_arabic(arabic)):
        raise InputError(f"Latin letters in the arabic column: {arabic!r}")
    return english, arabic


def check_spelling(text: str) -> str:
    """``text``, or InputError if it holds a control character (a NUL byte made a second "Moscow").

    Format characters (bidi marks, zero-width joiners) are allowed: normalization removes them.
    """
    for ch in text:
        if unicodedata.category(ch) == "Cc":
            raise InputError(f"control character U+{ord(ch):04X} in the spelling {text!r}")
    return text


def mostly_arabic(text: str) -> bool:
    """More Arabic letters than Latin ones."""
    arabic = sum(1 for c in text if has_arabic(c))
    latin = sum(1 for c in text if has_latin(c))
    return arabic > latin


def check_kind(kind: str) -> None:
    """Refuse a kind the store does not know."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


def check_alone(alone: str | None) -> str | None:
    """Refuse an ``alone`` setting other than "always", "never", "stored" or None ("" and "auto" mean None)."""
    if alone is None:
        return None
    value = alone.strip().lower()
    if value in ("", "auto"):
        return None
    if value not in ALONE:
        raise InputError(f"unknown alone setting {alone!r}; use always, never, stored or auto")
    return value


#: Largest frequency a store can hold (SQLite INTEGER).
MAX_FREQUENCY = 2**63 - 1


def check_frequency(value: object) -> int | None:
    """A frequency given as a number (API, JSON Lines): a whole number >= 0, or None for unknown."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_FREQUENCY:
        raise InputError(f"frequency must be a whole number, 0 or more, not {value!r}")
    return value


def parse_frequency(cell: str | None) -> int | None:
    """A frequency cell of a table: digits, or empty for unknown (a spreadsheet's 1.5 or -3 is refused)."""
    text = (cell or "").strip()
    if not text:
        return None
    if not text.isdecimal():
        raise InputError(f"bad frequency {text!r}: expected a whole number, 0 or more (or an empty cell)")
    return check_frequency(int(text))
