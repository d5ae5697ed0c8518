"""How common an Arabic word is: the evidence that a stored spelling in running text is *not* a name.

Many names are also ordinary words: على is a preposition and, folded, the name
علي (Ali); رئيس is "president" and a Wikidata surname (Rais); صور is "pictures"
and Tyre.  The recognizer (:mod:`glossary.recognition`) asks how common a word
is before it takes it for a name on its own.

The table is data, ``data/wordfreq-ar.tsv``: Zipf frequencies (log10 of uses per
billion words: في 7.5, قال 6.0, بوتين 4.2) of the Arabic words seen at least once
per million words, from the ``wordfreq`` project's 'best' Arabic list (CC BY-SA
4.0), written by ``scripts/build_wordfreq.py`` in the library's orthographic
normalization (:func:`glossary.normalize.normalize_arabic`), so that a word is
found however its hamza, alef or final yeh is written (اشاد / أشاد; على and علي,
both علي, keep the higher figure).

>>> zipf("في") > 7 > zipf("بوتين") > 0 == zipf("بيونجيانج")
True
>>> zipf("اشاد") == zipf("أشاد") > 3
True
"""

from __future__ import annotations

from functools import cache

from .normalize import normalize_arabic, normalize_latin

#: A word at least this common (once per million words) is an ordinary word before
#: it is a name: a spelling from a bulk import is not a mention on its own when it is one.
COMMON_ZIPF = 3.0
#: A word just above COMMON_ZIPF but below this (once to three times per million words) may be a name
#: often written in news (أدامز Adams, أجاثا Agatha) rather than a word: the recognizer then lets the
#: word's letters decide (:mod:`glossary.name_likeness`).
NAMELIKE_ZIPF = 3.5
#: A word at least this common (function words and the commonest nouns and verbs: في من
#: على أن قال كان) is not a mention on its own whoever stored it.
FUNCTION_ZIPF = 6.0
#: A common Arabic word (below FUNCTION_ZIPF) stored as a name is that name when the name's English is
#: nearly as common in English, at most this much less (a factor of ten): the word's frequency is the
#: name's (اسكتلندا 3.4 / Scotland 4.7, ادوارد 4.4 / Edward 4.5), not an Arabic word's that some
#: obscure name shares (رئيس 5.7 / Rais 1.7, الان "now" 6.0 / Alan 4.5).
NAME_ZIPF_GAP = 1.0
#: English names shorter than this say nothing by their frequency (de, del, initials).
NAME_MIN_LETTERS = 4

_FILE = "wordfreq-ar.tsv"
_FILE_EN = "wordfreq-en.tsv"


@cache
def table(file: str = _FILE) -> dict[str, float]:
    """Word → Zipf frequency, read once from a bundled data file (Arabic unless told)."""
    from .store import bundled_data_dir

    out: dict[str, float] = {}
    with open(bundled_data_dir() / file, encoding="utf-8") as fh:
        for line in fh:
            word, sep, value = line.rstrip("\n").partition("\t")
            if not sep or word.startswith("#") or word == "word":
                continue
            out[word] = float(value)
    return out


def zipf(word: str) -> float:
    """Zipf frequency of a word, any spelling (0.0: rarer than once per million words, or unknown)."""
    return table().get(normalize_arabic(word), 0.0)


def zipf_normalized(word: str) -> float:
    """:func:`zipf` of a word already normalized (:func:`glossary.normalize.normalize_arabic`)."""
    return table().get(word, 0.0)


def english_zipf(name: str) -> float:
    """Zipf frequency in English of a one-word name, folded (0.0: rarer than the table, shorter than
    NAME_MIN_LETTERS, or several words).

    >>> english_zipf("Scotland") > 4 > english_zipf("Rais") > 0.0 == english_zipf("New York")
    True
    """
    return table(_FILE_EN).get(normalize_latin(name), 0.0)


__all__ = [
    "COMMON_ZIPF", "FUNCTION_ZIPF", "NAMELIKE_ZIPF", "NAME_MIN_LETTERS", "NAME_ZIPF_GAP",
    "english_zipf", "table", "zipf", "zipf_normalized",
]
