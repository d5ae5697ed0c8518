"""Orthographic normalization: the spellings a reader would call "the same word".

Two spellings that differ only in the ways listed here are identical for
matching (score 100). Everything a *listener* would call the same but a reader
would not (ج/غ for "g", سيرجي/سيرغي) is the business of :mod:`glossary.keys`.

The character classes are data (``ARABIC_FOLD``, ``INVISIBLE`` …), built from
pyarabic's named character sets where pyarabic has them, and applied with one
``str.translate`` call, so the functions stay small and fast.

>>> normalize_arabic("إِبْرَاهِيمُ")
'ابراهيم'
>>> normalize_arabic("بيونغ-يانغ")
'بيونغ يانغ'
>>> normalize_latin("Choe Son-hui")
'choe son hui'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

from pyarabic import araby

Lang = Literal["ar", "en"]

#: Marks that carry no letter: harakat, shadda, sukun, tanwin, superscript alef,
#: Quranic annotation marks and tatweel.  ``"مُحَمَّد" -> "محمد"``
DIACRITICS: frozenset[str] = frozenset(
    set(araby.TASHKEEL)
    | {araby.TATWEEL, araby.MINI_ALEF, araby.HAMZA_ABOVE, araby.HAMZA_BELOW, araby.MADDA_ABOVE}
    | {chr(c) for c in range(0x0610, 0x061B)}  # Quranic signs above/below
    | {chr(c) for c in range(0x0653, 0x0660)}  # madda, hamza marks, other small vowels
    | {chr(c) for c in range(0x06D6, 0x06EE)}  # Quranic annotation signs
)

#: Invisible format characters that creep in from web pages and PDFs:
#: bidi marks and embeddings, zero-width (non-)joiners, BOM.
INVISIBLE: frozenset[str] = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\ufeff\u00ad"
)

#: Letter folds: each maps a letter to the one most writers would accept as
#: the same letter.  ``"أحمد" -> "احمد"``, ``"مكة" -> "مكه"``, ``"ی" -> "ي"``.
ARABIC_FOLD: dict[str, str] = {
    # hamza and alef forms
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ئ": "ي", "ء": "",
    # alef maqsura, teh marbuta
    "ى": "ي", "ة": "ه", "ۃ": "ه", "ۀ": "ه",
    # Persian and Urdu shapes of Arabic letters (same letter, other glyph)
    "ک": "ك", "ڪ": "ك", "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي", "ە": "ه", "ہ": "ه",
    "ھ": "ه", "ٸ": "ي",
}

#: Digits of every Arabic-script tradition fold to ASCII. ``"٢٠٢٤" -> "2024"``
DIGITS: dict[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
}

#: Punctuation inside names becomes a space: hyphens, quotes, dots, slashes,
#: Arabic comma.  ``"سون-هوي" -> "سون هوي"``
NAME_PUNCTUATION: frozenset[str] = frozenset(
    "-‐‑‒–—―_.·•/\\'\"`´‘’‚‛“”„‟«»‹›()[]{}<>،؛,;:!?؟*&+#|~"
)

ARABIC_TABLE: dict[int, str | None] = {
    **{ord(c): None for c in DIACRITICS | INVISIBLE},
    **{ord(k): (v or None) for k, v in ARABIC_FOLD.items()},
    **{ord(k): v for k, v in DIGITS.items()},
    **{ord(c): " " for c in NAME_PUNCTUATION},
}

#: Latin letters that carry no accent to strip but that readers of English take for plain letters
#: (applied after case folding).  ``"Holmstrøm" -> "holmstrom"``, ``"Łódź" -> "lodz"``,
#: ``"Læstadius" -> "laestadius"``, ``"Đoković" -> "dokovic"``.
LATIN_FOLD: dict[str, str] = {
    "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "ŀ": "l", "đ": "d", "ð": "d", "þ": "th",
    "ı": "i", "ħ": "h", "ŧ": "t",
}

LATIN_TABLE: dict[int, str | None] = {**ARABIC_TABLE, **{ord(k): v for k, v in LATIN_FOLD.items()}}

_SPACES = re.compile(r"\s+")
#: Arabic-script characters (presentation forms end at U+FEFC: U+FEFF is the byte-order mark)
_ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def script_of(text: str) -> Lang:
    """Which side of the glossary a spelling belongs to: any Arabic letter makes it Arabic.

    >>> script_of("Sergei Lavrov"), script_of("سيرغي لافروف")
    ('en', 'ar')
    """
    return "ar" if _ARABIC_LETTER.search(text) else "en"


def has_arabic(text: str) -> bool:
    """True if the text holds at least one Arabic-script letter."""
    return bool(_ARABIC_LETTER.search(text))


def has_latin(text: str) -> bool:
    """True if the text holds at least one Latin letter."""
    return bool(_LATIN_LETTER.search(text))


def collapse_spaces(text: str) -> str:
    """One space between tokens, none at the ends. ``" a  b " -> "a b"``"""
    return _SPACES.sub(" ", text).strip()


def normalize_arabic(text: str) -> str:
    """Fold an Arabic spelling to its orthographic form (see module doc).

    NFKC first, so presentation forms pasted from PDFs (``"ﻻ"``) become letters.

    >>> normalize_arabic("ﺑﻮﺗﻴﻦ")
    'بوتين'
    """
    return _fixed_point(_arabic_pass, text)


def _fixed_point(one_pass: Callable[[str], str], text: str) -> str:
    """Repeat a pass until nothing changes (at most four times).

    One pass is almost always a fixed point; a second one catches the rare
    string where removing a mark lets NFKC compose (or lower() decompose)
    letters anew, so that normalization is idempotent on *every* string.
    """
    for _ in range(4):
        folded = one_pass(text)
        if folded == text:
            break
        text = folded
    return text


def _arabic_pass(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(ARABIC_TABLE)
    return collapse_spaces(text.lower())


def strip_accents(text: str) -> str:
    """Drop Latin combining accents. ``"Šojgu" -> "Sojgu"``"""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_latin(text: str) -> str:
    """Fold an English spelling: case, accents, punctuation and spacing.

    >>> normalize_latin("  Pyong-Yang ")
    'pyong yang'
    >>> normalize_latin("Łódź"), normalize_latin("HOLMSTRØM")
    ('lodz', 'holmstrom')
    """
    return _fixed_point(_latin_pass, text)


def _latin_pass(text: str) -> str:
    text = strip_accents(unicodedata.normalize("NFKC", text)).casefold()
    text = text.translate(LATIN_TABLE)
    return collapse_spaces(text)


@lru_cache(maxsize=1 << 16)
def normalize(text: str, lang: Lang | None = None) -> str:
    """Normalize a spelling in either script (detected when ``lang`` is None).

    Cached (the last 65,536 spellings): an import normalizes each spelling for the
    store, its duplicate checks and the index, and running text repeats its words.

    >>> normalize("Kim Jong-un"), normalize("كيم جونغ-أون")
    ('kim jong un', 'كيم جونغ اون')
    """
    if lang is not None:
        return normalize_arabic(text) if lang == "ar" else normalize_latin(text)
    if not has_arabic(text):
        return normalize_latin(text)
    out = normalize_arabic(text)
    # the Arabic fold can remove the only Arabic characters (ء، ؟, marks): what is left is Latin text,
    # folded as Latin, so that normalizing again changes nothing ("Âء" -> "a", not "â")
    return out if has_arabic(out) else normalize_latin(out)


# Probe text for :func:`fingerprint`: every Arabic-block character and the Latin letters the folds
# touch, so that any change to what :func:`normalize` does changes the fingerprint.
_PROBE = (
    "".join(chr(c) for c in range(0x0600, 0x0700)) + " Ab-Cd É ß ٢٠٢٤ ۱۲ ﻻ ﺑﻮﺗﻴﻦ "
    + "".join(LATIN_FOLD) + "".join(LATIN_FOLD).upper()
)


def fingerprint() -> str:
    """Changes whenever :func:`normalize` changes what it does: stored normalized forms made
    before such a change are recomputed (the store's names, the TM's segments)."""
    import hashlib

    both = normalize(_PROBE, "ar") + "|" + normalize(_PROBE, "en")
    return hashlib.sha1(both.encode()).hexdigest()
