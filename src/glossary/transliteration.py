"""How well an Arabic spelling "sounds like" an English name: a learned letter model.

:mod:`glossary.keys` says which Arabic letters *can* spell one foreign sound;
this module says how *likely* each rendering is, from data.  The table
``transliteration.json`` beside this file holds P(Arabic chunk | English gram):
English grams of one to three symbols (``^`` and ``$`` mark the word's start
and end, so ``^a`` → ا and ``a$`` → ة are their own grams) against Arabic chunks
of zero to two letters.  It was learned by ``scripts/learn_transliteration.py``
(many-to-many monotone alignment trained by EM) from the Wikidata English–Arabic
name labels (CC0) and the Google ar2en transliteration list (Apache-2.0) with
every variants-dev query and answer removed; the script documents the exact input.

:func:`fit` scores an Arabic token against an English token: the log
probability of the best alignment (Viterbi), per Arabic letter, so 0 is a
certain rendering and about -1 a typical one:

>>> fit("هارمن", "harman") > fit("هارمن", "hartman")
True
>>> fit("كارمن", "carmen") > fit("كارمن", "karim")
True

:func:`name_fit` does the same for whole names, token by token.  The table is
read once, on first use (about 10 ms); scores are cached per token pair.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from .normalize import has_arabic

MODEL_PATH = Path(__file__).with_name("transliteration.json")

#: Log probability of a correspondence the table does not hold (an unseen
#: letter pair costs about as much as the rarest kept one, a bit more).
UNSEEN = math.log(1e-4)

_NEG = -1e30

#: The alignment may stray this many Arabic letters from the diagonal.
BAND = 3

#: One gram of the lattice: (length, row of log probabilities, log P(ε), spells two letters).
_Step = tuple[int, dict[str, float], float, bool]


class Model:
    """The learned table, compiled for Viterbi scoring."""

    def __init__(self, table: dict[str, dict[str, float]], max_gram: int = 3, max_chunk: int = 2) -> None:
        self.max_gram = max_gram
        self.max_chunk = max_chunk
        self.logp: dict[str, dict[str, float]] = {
            g: {c: math.log(p) for c, p in row.items() if p > 0} for g, row in table.items()
        }
        #: the most likely thing each gram spells, for bounds (:meth:`_future`)
        #: (a letter the row does not hold costs ``UNSEEN``)
        self.top: dict[str, float] = {g: max(UNSEEN, *row.values()) for g, row in self.logp.items()}
        self._windows: dict[str, Any] = {}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["table"], int(data.get("max_gram", 3)), int(data.get("max_chunk", 2)))

    def _window(self, w: str) -> tuple[tuple[_Step, ...], tuple[tuple[int, float], ...]]:
        """The grams starting a window of ``max_gram`` symbols: as (length, row, log P(ε),
        whether the row spells two letters at once), and as (length, most likely log
        probability); cached per window."""
        got = self._windows.get(w)
        if got is None:
            steps: list[_Step] = []
            tops: list[tuple[int, float]] = []
            for k in range(1, len(w) + 1):
                row = self.logp.get(w[:k])
                if row is not None:
                    steps.append((k, row, row.get("", _NEG), any(len(c) > 1 for c in row)))
                    tops.append((k, self.top[w[:k]]))
                elif k == 1:  # a symbol the table never saw: spells anything, badly
                    steps.append((1, {}, UNSEEN, False))
                    tops.append((1, UNSEEN))
            got = self._windows[w] = (tuple(steps), tuple(tops))
        return got

    @lru_cache(maxsize=50_000)  # noqa: B019 -- one model per process, kept for its lifetime
    def _lattice(self, english: str) -> tuple[tuple[_Step, ...], ...]:
        """Per position of ``^english$``: the grams starting there (see :meth:`_window`)."""
        e = "^" + english + "$"
        g = self.max_gram
        window = self._window
        return tuple(window(e[i:i + g])[0] for i in range(len(e)))

    @lru_cache(maxsize=50_000)  # noqa: B019 -- one model per process, kept for its lifetime
    def _future(self, english: str) -> tuple[float, ...]:
        """Per position of ``^english$``: the best log probability any rest of an alignment
        can have, whatever the Arabic (each gram spelling its likeliest chunk); two
        trailing zeros pad it."""
        e = "^" + english + "$"
        n = len(e)
        g = self.max_gram
        window = self._window
        out = [0.0] * (n + 3)
        for i in range(n - 1, -1, -1):
            out[i] = max([t + out[i + k] for k, t in window(e[i:i + g])[1]])
        return tuple(out)

    def log_prob(self, arabic: str, english: str, floor: float = _NEG) -> float:
        """log P(arabic | english) of the best monotone alignment (``_NEG`` if none).

        With ``floor``, gives up as soon as the result is sure to be below it and
        returns an upper bound of the result that is below ``floor`` instead
        (every path passes through one of any three consecutive English
        positions, and the rest of it costs at least :meth:`_future`).
        """
        lattice = self._lattice(english)
        n, m = len(lattice), len(arabic)
        neg = _NEG
        unseen = UNSEEN
        singles = list(arabic)
        singles.append("")  # column m + 1 is never read back: the value does not matter
        doubles = [arabic[j:j + 2] for j in range(m - 1)]
        doubles.extend(("##", "##"))  # no such chunk
        best = [[neg] * (m + 3) for _ in range(n + 1)]
        best[0][0] = 0.0
        reach = self.max_chunk
        check = floor > neg
        future = self._future(english) if check else ()
        for i in range(n):
            row = best[i]
            if check:
                bound = max(
                    max(row) + future[i],
                    max(best[i + 1]) + future[i + 1],
                    max(best[i + 2]) + future[i + 2] if i + 2 <= n else neg,
                )
                if bound < floor:
                    return bound
            mid = i * m // n  # alignments stay near the diagonal: a band of BAND letters
            lo = max(0, m - reach * (n - i), mid - BAND)  # must still reach the end
            hi = min(m, reach * i, mid + BAND)
            js = [j for j in range(lo, hi + 1) if row[j] > neg]
            for k, probs, eps, two in lattice[i]:
                tgt = best[i + k]
                get = probs.get
                if eps > neg:  # the gram spells nothing
                    for j in js:
                        x = row[j] + eps
                        if x > tgt[j]:
                            tgt[j] = x
                if two:
                    for j in js:
                        v = row[j]
                        x = v + get(singles[j], unseen)
                        if x > tgt[j + 1]:
                            tgt[j + 1] = x
                        p2 = get(doubles[j])
                        if p2 is not None:
                            x = v + p2
                            if x > tgt[j + 2]:
                                tgt[j + 2] = x
                else:
                    for j in js:
                        x = row[j] + get(singles[j], unseen)
                        if x > tgt[j + 1]:
                            tgt[j + 1] = x
        return best[n][m]


_MODEL: Model | None = None


def model() -> Model:
    """The shipped model, loaded on first use."""
    global _MODEL
    if _MODEL is None:
        _MODEL = Model.load()
    return _MODEL


#: Exact token fits computed so far (cleared when it grows past ``_FIT_CACHE``).
_FITS: dict[tuple[str, str], float] = {}
_FIT_CACHE = 200_000


def fit(arabic: str, english: str, floor: float | None = None) -> float:
    """Per-letter log probability that normalized Arabic token ``arabic`` renders ``english``.

    Both arguments are normalized single tokens (:func:`glossary.normalize.normalize`).
    Returns a value ≤ 0; about -0.5 for a usual rendering, below -2 for an unlikely one.
    With ``floor``, a fit sure to be below it may be returned as an upper bound
    below ``floor`` instead (computed faster); a result ≥ ``floor`` is exact.
    """
    key = (arabic, english)
    got = _FITS.get(key)
    if got is not None:
        return got
    if not arabic or not english or not has_arabic(arabic) or has_arabic(english):
        return UNSEEN
    norm = len(arabic) + 1
    if floor is not None and floor > UNSEEN:
        lp = model().log_prob(arabic, english, floor * norm)
        if lp < floor * norm:
            return max(lp / norm, UNSEEN)
    else:
        lp = model().log_prob(arabic, english)
    value = max(lp / norm, UNSEEN)
    if len(_FITS) >= _FIT_CACHE:
        _FITS.clear()
    _FITS[key] = value
    return value


def clear_caches() -> None:
    """Forget every cached fit and lattice (for benchmarks that must start cold)."""
    _FITS.clear()
    if _MODEL is not None:
        _MODEL._lattice.cache_clear()
        _MODEL._future.cache_clear()
        _MODEL._windows.clear()


def name_fit(arabic: str, english: str, floor: float | None = None) -> float | None:
    """:func:`fit` of whole normalized names, token by token (None if token counts differ).

    ``floor`` as for :func:`fit`: a result ≥ ``floor`` is exact, one below may be a bound.
    """
    a, e = arabic.split(), english.split()
    if not a or len(a) != len(e):
        return None
    if floor is None:
        return sum(fit(x, y) for x, y in zip(a, e, strict=True)) / len(a)
    need = floor * len(a)  # the sum must reach this; every token's fit is ≤ 0
    total = 0.0
    for x, y in zip(a, e, strict=True):
        total += fit(x, y, need - total)
        if total < need:
            return total / len(a)
    return total / len(a)
