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
from typing import TYPE_CHECKING

from .matching import prefetch

if TYPE_CHECKING:
    from .store.index_file import IndexFile, Part

_ORDER = 4
#: A word whose likelihood ratio per character is at least this looks like a name (the recognizer's
#: guard asks it of rare words stored nowhere, of a word after a title, and of a name just above the
#: common-word line).  0: likelier under the names than under the words, the two counted as equally
#: likely beforehand.  Lower bars find more respelled names in running text and report more ordinary
#: words (``benchmarks/frontier.py`` measures both).  Read when a word is first judged (the
#: recognizer keeps its judgements until the glossary changes): set it before recognizing text.
NAMELIKE_BAR = 0.0


def _grams(word: str) -> list[str]:
    padded = "^" + word + "$"
    return [padded[max(0, i - _ORDER + 1) : i + 1] for i in range(1, len(padded))]


class _Model:
    """Character 4-gram counts of a set of words."""

    __slots__ = ("contexts", "grams")

    def __init__(self, words: Iterable[str]) -> None:
        self.grams: dict[str, int] = Counter(g for w in set(words) for g in _grams(w))
        self.contexts: dict[str, int] = Counter()
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
        ng, nc = self._names.grams.get, self._names.contexts.get
        wg, wc = self._words.grams.get, self._words.contexts.get
        total = 0.0
        grams = _grams(word)
        self.prefetch([word])
        for g in grams:
            ctx = g[:-1]
            total += math.log((ng(g, 0) + 0.5) / (nc(ctx, 0) + v))
            total -= math.log((wg(g, 0) + 0.5) / (wc(ctx, 0) + v))
        return total / len(grams)

    def prefetch(self, words: Iterable[str]) -> None:
        """Read the counts these words are scored by from an index file, a query per table
        (nothing to do in memory)."""
        grams = list(dict.fromkeys(g for w in words for g in _grams(w)))
        contexts = list(dict.fromkeys(g[:-1] for g in grams))
        for table, keys in ((self._names.grams, grams), (self._names.contexts, contexts),
                            (self._words.grams, grams), (self._words.contexts, contexts)):
            prefetch(table, keys)

    def add(self, word: str) -> None:
        """Count a new name's letters (a word the names already held is not counted twice: the
        caller knows, :class:`~glossary.recognition.Recognizer` asks its vocabulary)."""
        if word in _bundled_names():
            return
        grams, contexts = self._names.grams, self._names.contexts
        for g in _grams(word):
            grams[g] = grams.get(g, 0) + 1
            contexts[g[:-1]] = contexts.get(g[:-1], 0) + 1

    # ------------------------------------------------------------------ the index file
    def parts(self, ns: str) -> list[Part]:
        """The models' counts, for :meth:`glossary.store.index_file.IndexFile.write`."""
        return [
            (f"{ns}.ng", self._names.grams, None, None), (f"{ns}.nc", self._names.contexts, None, None),
            (f"{ns}.wg", self._words.grams, None, None), (f"{ns}.wc", self._words.contexts, None, None),
            (f"{ns}.alphabet", {0: self._alphabet}, None, None),
        ]

    @classmethod
    def from_index(cls, index: IndexFile, ns: str) -> NameLikeness:
        """The models an index file holds, read a count at a time."""
        from .store.index_file import LazyDict

        looks = cls.__new__(cls)
        looks._names = _Model.__new__(_Model)
        looks._words = _Model.__new__(_Model)
        looks._names.grams, looks._names.contexts = LazyDict(index, f"{ns}.ng"), LazyDict(index, f"{ns}.nc")
        looks._words.grams, looks._words.contexts = LazyDict(index, f"{ns}.wg"), LazyDict(index, f"{ns}.wc")
        looks._alphabet = LazyDict(index, f"{ns}.alphabet")[0]
        return looks


__all__ = ["NAMELIKE_BAR", "NameLikeness"]
