"""The public value types: what lookups, scans and the store hand back."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

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
