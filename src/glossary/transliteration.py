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

A lookup checks a query against the English names of some twenty candidate
entities, so :func:`fits` scores many pairs at once, in one call: the compiled
kernel ``glossary._fit`` (C, built when the package is installed) when it is
there, else one Viterbi pass over the batch in NumPy array operations.
:meth:`Model.log_prob` is the plain one-pair version, kept as the reference
both are tested against; all three give the same floats, bit for bit.
:data:`KERNEL` says which one runs.  NumPy is imported only by the fallback, on its
first batch: with the kernel, neither this module nor the model loads it.

>>> lavrov, laurent = fits([("لافروف", "lavrov"), ("لافروف", "laurent")])
>>> lavrov > -1.0 > laurent
True

:func:`name_fit` does the same for whole names, token by token.  The table is
read once, on first use (about 20 ms); scores are cached per token pair.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .normalize import has_arabic

if TYPE_CHECKING:
    import numpy as np

try:
    from . import _fit  # type: ignore[attr-defined]
except ImportError:  # not compiled (no C compiler at install time): NumPy does the same work
    _fit = None

#: Which batched Viterbi pass :meth:`Model.log_probs` runs: ``"c"`` (the compiled
#: ``glossary._fit``) or ``"numpy"`` (the fallback when the package was installed
#: without a C compiler; same results, about a quarter of a lookup slower).
KERNEL = "c" if _fit is not None else "numpy"

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
    """The learned table, compiled for Viterbi scoring (one pair, or a batch in arrays)."""

    def __init__(self, table: dict[str, dict[str, float]], max_gram: int = 3, max_chunk: int = 2) -> None:
        self.max_gram = max_gram
        self.max_chunk = max_chunk
        self.logp: dict[str, dict[str, float]] = {
            g: {c: math.log(p) for c, p in row.items() if p > 0} for g, row in table.items()
        }
        self._windows: dict[str, tuple[_Step, ...]] = {}
        self._window_id: dict[str, bytes] = {}
        #: gram ids of the English tokens an index holds (:meth:`prepare`): index data, kept
        #: by :func:`clear_caches`, unlike the per-query caches
        self._prepared: dict[str, bytes] = {}
        # The same table as arrays, for the batched pass: a row per gram (and two
        # more: a symbol the table never saw, and "no gram here"), a column per
        # Arabic letter (and one for any other letter) or two-letter chunk.
        grams = sorted(self.logp)
        self._gram_id = {g: i for i, g in enumerate(grams)}
        self._unknown, self._none = len(grams), len(grams) + 1
        singles = sorted({c for row in self.logp.values() for c in row if len(c) == 1})
        doubles = sorted({c for row in self.logp.values() for c in row if len(c) == 2})
        self._single_id = {c: i for i, c in enumerate(singles)}
        self._double_id = {c: i for i, c in enumerate(doubles)}
        # a letter the table never saw; no chunk at all (before the word's start)
        self._other_single, self._no_single = len(singles), len(singles) + 1
        self._other_double, self._no_double = len(doubles), len(doubles) + 1
        # The tables are built as flat float64 arrays of the standard library, row by row
        # (``one[i * _one_cols + j]``), not in NumPy: the compiled kernel reads their bytes,
        # so a lookup need not import NumPy (:meth:`_numpy_tables` views them for the fallback).
        rows = len(grams) + 2
        self._one_cols, self._two_cols = len(singles) + 2, len(doubles) + 2
        w1, w2 = self._one_cols, self._two_cols
        eps = array("d", [_NEG]) * rows
        one_row = array("d", [UNSEEN]) * w1
        one_row[self._no_single] = _NEG
        one = one_row * rows
        two = array("d", [_NEG]) * (rows * w2)
        for g, i in self._gram_id.items():
            for c, lp in self.logp[g].items():
                if not c:
                    eps[i] = lp
                elif len(c) == 1:
                    one[i * w1 + self._single_id[c]] = lp
                else:
                    two[i * w2 + self._double_id[c]] = lp
        eps[self._unknown] = UNSEEN  # an unseen symbol spells anything (or nothing), badly
        one[self._none * w1 : (self._none + 1) * w1] = array("d", [_NEG]) * w1
        # the tables as bytes, for the compiled kernel (read in place, never copied per call)
        self._tables = (eps.tobytes(), one.tobytes(), two.tobytes())
        self._letters: dict[str, tuple[bytes, bytes]] = {}  # Arabic token -> its column ids

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["table"], int(data.get("max_gram", 3)), int(data.get("max_chunk", 2)))

    # ------------------------------------------------------------------ one pair (reference)

    def _window(self, w: str) -> tuple[_Step, ...]:
        """The grams starting a window of ``max_gram`` symbols, as (length, row, log P(ε),
        whether the row spells two letters at once); cached per window."""
        got = self._windows.get(w)
        if got is None:
            steps: list[_Step] = []
            for k in range(1, len(w) + 1):
                row = self.logp.get(w[:k])
                if row is not None:
                    steps.append((k, row, row.get("", _NEG), any(len(c) > 1 for c in row)))
                elif k == 1:  # a symbol the table never saw: spells anything, badly
                    steps.append((1, {}, UNSEEN, False))
            got = self._windows[w] = tuple(steps)
        return got

    def log_prob(self, arabic: str, english: str) -> float:
        """log P(arabic | english) of the best monotone alignment (``_NEG`` if none).

        The alignment stays within ``BAND`` Arabic letters of the diagonal.
        """
        e = "^" + english + "$"
        lattice = [self._window(e[i:i + self.max_gram]) for i in range(len(e))]
        n, m = len(lattice), len(arabic)
        reach = self.max_chunk
        best = [[_NEG] * (m + 3) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(n):
            row = best[i]
            mid = i * m // n
            lo = max(0, m - reach * (n - i), mid - BAND)  # must still reach the end
            hi = min(m, reach * i, mid + BAND)
            for j in range(lo, hi + 1):
                v = row[j]
                if v <= _NEG:
                    continue
                for k, probs, eps, two in lattice[i]:
                    tgt = best[i + k]
                    tgt[j] = max(tgt[j], v + eps)
                    if j < m:
                        tgt[j + 1] = max(tgt[j + 1], v + probs.get(arabic[j], UNSEEN))
                    if two and j + 1 < m and arabic[j:j + 2] in probs:
                        tgt[j + 2] = max(tgt[j + 2], v + probs[arabic[j:j + 2]])
        return best[n][m]

    # ------------------------------------------------------------------ a batch, in arrays

    def _window_ids(self, w: str) -> bytes:
        """Row ids (uint16) of the grams of 1..max_gram symbols starting a window; cached."""
        got = self._window_id.get(w)
        if got is None:
            ids = array("H")
            for k in range(1, self.max_gram + 1):
                gid = self._gram_id.get(w[:k]) if k <= len(w) else None
                ids.append(gid if gid is not None else self._unknown if k == 1 else self._none)
            got = self._window_id[w] = ids.tobytes()
        return got

    def prepare(self, english: str) -> None:
        """Compute the lattice of a stored English token once, when it is indexed, so that
        a lookup's batch need not (``glossary.matching`` calls this for its English tokens)."""
        if english not in self._prepared:
            self._prepared[english] = self._lattice_ids(english)

    def _grams(self, english: str) -> bytes:
        got = self._prepared.get(english)
        return got if got is not None else self._lattice_ids(english)

    @lru_cache(maxsize=50_000)  # noqa: B019 -- one model per process, kept for its lifetime
    def _lattice_ids(self, english: str) -> bytes:
        """:meth:`_window_ids` of each position of ``^english$``, one after the other."""
        e = "^" + english + "$"
        g = self.max_gram
        known, window = self._window_id, self._window_ids
        return b"".join([known.get(w) or window(w) for w in [e[i:i + g] for i in range(len(e))]])

    def log_probs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """:meth:`log_prob` of every (arabic, english) pair, in one call (see :data:`KERNEL`)."""
        if _fit is None:
            return self._log_probs_numpy(pairs)
        eps, one, two = self._tables
        columns, grams = self._columns, self._grams
        items = [(grams(e), *columns(a)) for a, e in pairs]
        return _fit.log_probs(
            eps, one, two, self._one_cols, self._two_cols, self.max_gram, self._none,
            self.max_chunk, BAND, items,
        )

    @cached_property
    def _numpy_tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The three tables as read-only NumPy arrays over :attr:`_tables` (the fallback's, made
        on its first batch): ε by gram, then one- and two-letter chunks flat, row by row."""
        import numpy as np

        eps, one, two = (np.frombuffer(t, dtype=np.float64) for t in self._tables)
        return eps, one, two

    def _columns(self, arabic: str) -> tuple[bytes, bytes]:
        """Column ids (int32) of an Arabic token's letters and of its two-letter chunks; cached
        (a batch is mostly one query against many names)."""
        got = self._letters.get(arabic)
        if got is None:
            if len(self._letters) > _FIT_CACHE:
                self._letters.clear()
            one, two = self._single_id, self._double_id
            got = self._letters[arabic] = (
                array("i", [one.get(c, self._other_single) for c in arabic]).tobytes(),
                array("i", [two.get(arabic[j:j + 2], self._other_double) for j in range(len(arabic) - 1)]).tobytes(),
            )
        return got

    def _log_probs_numpy(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """:meth:`log_prob` of every (arabic, english) pair, in one pass over the batch in NumPy.

        ``best[i, r + j, b]`` is the best log probability of spelling the first
        ``j`` Arabic letters of pair ``b`` with its first ``i`` English symbols
        (``r`` leading columns stand for "before the word", so a chunk of up to
        ``r`` letters always has a source column).  Step ``i`` moves every pair
        forward at once: ``steps[i, c, k, j, b]`` is the log probability of the
        gram of ``k + 1`` symbols at ``i`` spelling the ``c`` letters that end at
        ``j``; source cells outside a pair's band are closed.  The batch is the
        last axis, so every step works on contiguous memory.  Pairs are padded to
        the longest; padding never reaches a pair's own end cell, so each result
        is exactly that of :meth:`log_prob`.
        """
        if not pairs:
            return []
        import numpy as np

        eps, one_flat, two_flat = self._numpy_tables
        size, g, reach = len(pairs), self.max_gram, self.max_chunk
        ns = np.array([len(e) + 2 for _, e in pairs])
        ms = np.array([len(a) for a, _ in pairs])
        n, m = int(ns.max()), int(ms.max())
        flat: list[bytes] = []
        pad = array("H", [self._none] * g).tobytes()
        # the chunk of c letters ending at j, as a column of the one- / two-letter tables
        ends1 = np.full((m + 1, size), self._no_single, dtype=np.intp)
        ends2 = np.full((m + 1, size), self._no_double, dtype=np.intp)
        columns: dict[str, list[int]] = {}  # a batch is mostly one query against many names
        for b, (a, e) in enumerate(pairs):
            flat.append(self._grams(e))
            flat.append(pad * (n - len(e) - 2))
            columns.setdefault(a, []).append(b)
        for a, bs in columns.items():
            singles, doubles = self._columns(a)
            ends1[1 : len(a) + 1, bs] = np.frombuffer(singles, dtype=np.int32)[:, None]
            ends2[2 : len(a) + 1, bs] = np.frombuffer(doubles, dtype=np.int32)[:, None]
        grams = np.frombuffer(b"".join(flat), dtype=np.uint16).reshape(size, n, g).transpose(1, 2, 0)
        col = grams[:, :, None, :].astype(np.intp)
        steps = np.empty((n, reach + 1, g, m + 1, size))  # by chunk length c = 0 (ε), 1, 2
        steps[:, 0] = eps.take(col)
        steps[:, 1] = one_flat.take(col * self._one_cols + ends1)
        steps[:, 2] = two_flat.take(col * self._two_cols + ends2)
        # the band (as in log_prob): a source cell outside it is closed
        i = np.arange(n)[:, None, None]
        j = np.arange(-reach, m + 1)[None, :, None]
        mid = i * ms // ns
        lo = np.maximum(np.maximum(0, ms - reach * (ns - i)), mid - BAND)
        hi = np.minimum(np.minimum(ms, reach * i), mid + BAND)
        closed = np.where((j >= lo) & (j <= hi) & (i < ns), 0.0, _NEG)  # (n, reach + m + 1, size)
        best = np.full((n + g, reach + m + 1, size), _NEG)
        best[0, reach] = 0.0
        src = np.empty((reach + m + 1, size))
        # the source cells of a chunk of c letters ending at j are src[reach + j - c]:
        # one view with c as its first axis (a negative stride), so a step is four calls
        rows, cols = src.strides
        shifted = np.ndarray(  # (a view of src; cheaper to make than with as_strided)
            (reach + 1, 1, m + 1, size), src.dtype, src, reach * rows, (-rows, 0, rows, cols)
        )
        moved = np.empty((reach + 1, g, m + 1, size))
        reached = np.empty((g, m + 1, size))
        for k in range(n):
            np.add(best[k], closed[k], out=src)
            np.add(shifted, steps[k], out=moved)
            moved.max(axis=0, out=reached)
            tgt = best[k + 1 : k + 1 + g, reach:]  # rows reached by grams of 1..g symbols
            np.maximum(tgt, reached, out=tgt)
        return best[ns, ms + reach, np.arange(size)].tolist()


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


def fits(pairs: Iterable[tuple[str, str]]) -> list[float]:
    """:func:`fit` of many (arabic, english) token pairs, computed as one batch."""
    pairs = list(pairs)
    cache = _FITS
    out: list[float | None] = [cache.get(p) for p in pairs]
    if None not in out:
        return out  # type: ignore[return-value]
    todo: dict[tuple[str, str], None] = {}
    # a pair is scored when its Arabic side has Arabic letters and its English side none;
    # the Arabic side is checked once per string (a batch is mostly one query, many names),
    # the English side not at all when it is a token an index prepared (Latin by construction)
    arabic_ok: dict[str, bool] = {}
    m = model()
    latin = m._prepared
    for p, got in zip(pairs, out, strict=True):
        if got is None:
            a, e = p
            ok = arabic_ok.get(a)
            if ok is None:
                ok = arabic_ok[a] = bool(a) and has_arabic(a)
            if ok and e and (e in latin or not has_arabic(e)):
                todo[p] = None
    if todo:
        batch = list(todo)
        if len(cache) + len(batch) > _FIT_CACHE:
            cache.clear()
        for (a, e), lp in zip(batch, m.log_probs(batch), strict=True):
            cache[a, e] = max(lp / (len(a) + 1), UNSEEN)
    return [got if got is not None else cache.get(p, UNSEEN) for p, got in zip(pairs, out, strict=True)]


def fit(arabic: str, english: str) -> float:
    """Per-letter log probability that normalized Arabic token ``arabic`` renders ``english``.

    Both arguments are normalized single tokens (:func:`glossary.normalize.normalize`).
    Returns a value ≤ 0; about -0.5 for a usual rendering, below -2 for an unlikely one.
    """
    return fits([(arabic, english)])[0]


def clear_caches() -> None:
    """Forget every cached fit and lattice (for benchmarks that must start cold)."""
    _FITS.clear()
    if _MODEL is not None:
        _MODEL._lattice_ids.cache_clear()
        _MODEL._windows.clear()
        _MODEL._window_id.clear()
        _MODEL._letters.clear()


def name_fit(arabic: str, english: str) -> float | None:
    """:func:`fit` of whole normalized names, token by token (None if token counts differ)."""
    return name_fits(arabic, [english])[0]


def name_fits(arabic: str, names: Sequence[str]) -> list[float | None]:
    """:func:`name_fit` of one Arabic name against several English names, as one batch."""
    a = arabic.split()
    toks = [e.split() for e in names]
    if len(a) == 1:  # most lookups: one word against one-word names
        q = a[0]
        one = [len(e) == 1 for e in toks]
        got = iter(fits([(q, e[0]) for e, ok in zip(toks, one, strict=True) if ok]))
        return [next(got) if ok else None for ok in one]
    pairs = [(x, y) for e in toks if a and len(e) == len(a) for x, y in zip(a, e, strict=True)]
    scores = iter(fits(pairs))
    return [
        sum(next(scores) for _ in a) / len(a) if a and len(e) == len(a) else None
        for e in toks
    ]
