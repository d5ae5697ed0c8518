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

from .normalize import normalize_arabic

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

_FILE = "wordfreq-ar.tsv"


@cache
def table() -> dict[str, float]:
    """Word → Zipf frequency, read once from the bundled data file."""
    from .store import bundled_data_dir

    out: dict[str, float] = {}
    with open(bundled_data_dir() / _FILE, encoding="utf-8") as fh:
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


__all__ = ["COMMON_ZIPF", "FUNCTION_ZIPF", "NAMELIKE_ZIPF", "table", "zipf", "zipf_normalized"]
