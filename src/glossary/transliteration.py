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


class Model:
    """The learned table, compiled for Viterbi scoring."""

    def __init__(self, table: dict[str, dict[str, float]], max_gram: int = 3, max_chunk: int = 2) -> None:
        self.max_gram = max_gram
        self.max_chunk = max_chunk
        self.logp: dict[str, dict[str, float]] = {
            g: {c: math.log(p) for c, p in row.items() if p > 0} for g, row in table.items()
        }

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["table"], int(data.get("max_gram", 3)), int(data.get("max_chunk", 2)))

    @lru_cache(maxsize=50_000)  # noqa: B019 -- one model per process, kept for its lifetime
    def _lattice(self, english: str) -> tuple[tuple[tuple[int, dict[str, float], float], ...], ...]:
        """Per position of ``^english$``: the grams starting there as (length, row, log P(ε))."""
        e = "^" + english + "$"
        out = []
        for i in range(len(e)):
            steps = []
            for k in range(1, min(self.max_gram, len(e) - i) + 1):
                row = self.logp.get(e[i:i + k])
                if row is not None:
                    steps.append((k, row, row.get("", _NEG)))
                elif k == 1:  # a symbol the table never saw: spells anything, badly
                    steps.append((1, {}, UNSEEN))
            out.append(tuple(steps))
        return tuple(out)

    def log_prob(self, arabic: str, english: str) -> float:
        """log P(arabic | english) of the best monotone alignment (``_NEG`` if none)."""
        lattice = self._lattice(english)
        n, m = len(lattice), len(arabic)
        singles = list(arabic)
        doubles = [arabic[j:j + 2] for j in range(m - 1)]
        best = [[_NEG] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        lo = hi = 0  # reachable Arabic positions of the current English position
        span = [(0, -1)] * (n + 1)
        span[0] = (0, 0)
        for i in range(n):
            lo, hi = span[i]
            if hi < lo:
                continue
            lo = max(lo, m - self.max_chunk * (n - i))  # must still reach the end
            mid = i * m // n  # alignments stay near the diagonal: a band of BAND letters
            lo, hi = max(lo, mid - BAND), min(hi, mid + BAND)
            row = best[i]
            for k, probs, eps in lattice[i]:
                tgt = best[i + k]
                get = probs.get
                top = -1
                for j in range(lo, hi + 1):
                    v = row[j]
                    if v <= _NEG:
                        continue
                    x = v + eps
                    if x > tgt[j]:
                        tgt[j] = x
                    if j < m:
                        x = v + get(singles[j], UNSEEN)
                        if x > tgt[j + 1]:
                            tgt[j + 1] = x
                        top = j + 1
                        if j < m - 1:
                            p2 = get(doubles[j])
                            if p2 is not None:
                                x = v + p2
                                if x > tgt[j + 2]:
                                    tgt[j + 2] = x
                                top = j + 2
                    elif top < j:
                        top = j
                a, b = span[i + k]
                span[i + k] = (min(a, lo) if a <= b else lo, max(b, top))
        return best[n][m]


_MODEL: Model | None = None


def model() -> Model:
    """The shipped model, loaded on first use."""
    global _MODEL
    if _MODEL is None:
        _MODEL = Model.load()
    return _MODEL


@lru_cache(maxsize=200_000)
def fit(arabic: str, english: str) -> float:
    """Per-letter log probability that normalized Arabic token ``arabic`` renders ``english``.

    Both arguments are normalized single tokens (:func:`glossary.normalize.normalize`).
    Returns a value ≤ 0; about -0.5 for a usual rendering, below -2 for an unlikely one.
    """
    if not arabic or not english or not has_arabic(arabic) or has_arabic(english):
        return UNSEEN
    lp = model().log_prob(arabic, english)
    return max(lp / (len(arabic) + 1), UNSEEN)


def name_fit(arabic: str, english: str) -> float | None:
    """:func:`fit` of whole normalized names, token by token (None if token counts differ)."""
    a, e = arabic.split(), english.split()
    if not a or len(a) != len(e):
        return None
    return sum(fit(x, y) for x, y in zip(a, e, strict=True)) / len(a)
