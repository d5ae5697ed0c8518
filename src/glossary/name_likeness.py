"""How much an Arabic word looks like a name rather than an ordinary word.

A word of running text that no glossary spelling matches exactly, but that
*sounds like* a stored name, is a respelled name (زيلنسكي for زيلينسكي) or an
ordinary word that happens to share its consonants (الزعيمان "the two leaders"
and Zeeman).  The letters tell them apart more often than not: Arabic words
are built from roots with prefixes and suffixes (ال، ت، ي، ـها، ـان، ـات),
transliterated names have their own shapes (long vowels, غ for g, تش, ـسكي).

:class:`NameLikeness` compares two character 4-gram models (add-½ smoothing,
word boundaries marked): one of names — the glossary's own Arabic spellings and
the 50,000 words of Wikidata's Arabic name labels shipped in ``data/names-ar.txt``
(CC0, written by ``scripts/build_name_words.py``), so that a small glossary has a
model too — and one of the common Arabic words of :mod:`glossary.common_words`.  It returns the
log-likelihood ratio per character: above 0 the word is likelier under the
names, below 0 under the words.

>>> looks = NameLikeness(["بوتين", "لافروف", "شويغو", "زيلينسكي", "بيسكوف", "ماكرون"])
>>> looks("زيلنسكي") > 0 > looks("الزعيمان")
True
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import cache

_ORDER = 4


def _grams(word: str) -> list[str]:
    padded = "^" + word + "$"
    return [padded[max(0, i - _ORDER + 1) : i + 1] for i in range(1, len(padded))]


class _Model:
    """Character 4-gram counts of a set of words."""

    __slots__ = ("contexts", "grams")

    def __init__(self, words: Iterable[str]) -> None:
        self.grams: Counter[str] = Counter(g for w in set(words) for g in _grams(w))
        self.contexts: Counter[str] = Counter()
        for g, n in self.grams.items():
            self.contexts[g[:-1]] += n


@cache
def _words_model() -> _Model:
    from .common_words import table

    return _Model(table())


@cache
def _bundled_names() -> frozenset[str]:
    from .store import bundled_data_dir

    with open(bundled_data_dir() / "names-ar.txt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


class NameLikeness:
    """Log-likelihood ratio per character of "a name like these" against "a common word"."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = _Model(_bundled_names().union(names))
        self._words = _words_model()
        letters = {g[-1] for g in self._names.grams} | {g[-1] for g in self._words.grams}
        self._alphabet = len(letters) + 1

    def __call__(self, word: str) -> float:
        """Above 0: the word looks more like one of the names than like an ordinary word."""
        v = 0.5 * self._alphabet
        n, w = self._names, self._words
        total = 0.0
        grams = _grams(word)
        for g in grams:
            ctx = g[:-1]
            total += math.log((n.grams[g] + 0.5) / (n.contexts[ctx] + v))
            total -= math.log((w.grams[g] + 0.5) / (w.contexts[ctx] + v))
        return total / len(grams)


__all__ = ["NameLikeness"]
