"""Learn the English→Arabic letter-correspondence model of :mod:`glossary.transliteration`.

Input (exactly this, nothing else):

* ``data/names/wikidata-names-ar-en.tsv`` of the shared folder: 64,962 English
  name parts with their Wikidata Arabic label (CC0).  This is the same list the
  variant benchmark imports as the glossary.
* ``data/names/google-ar2en.tsv`` of the shared folder (Apache-2.0), **minus**
  every row whose Arabic spelling is a query of ``bench/variants-dev.tsv`` or
  whose English name is an expected answer of it (compared after
  :func:`glossary.normalize.normalize`), and minus a fixed held-out slice
  (``HOLDOUT``, chosen by hash of the English name) plus every row whose Arabic
  differs from the Wikidata label of the same English name (the kind of row the
  dev set is made of), all kept for checking the model (``--holdout`` writes them).
  The dev set itself is never read except to build these exclusions.

Both files are split into tokens; a pair is used when both sides have the same
number of tokens, every English token is plain a–z after normalization and every
Arabic token is Arabic letters only.  English tokens are wrapped in ``^`` … ``$``
so that the model learns word-initial and word-final renderings (``^a`` → ا,
``a$`` → ة/ا, ``e$`` → nothing).

Model: a many-to-many monotone alignment (Jiampojamarn et al. 2007, "m2m"),
English grams of 1–3 symbols (2- and 3-grams only when they occur at least
``MIN_GRAM`` times) to Arabic chunks of 0–2 letters, trained by
expectation-maximization (forward–backward over all alignments, ``ITERATIONS``
rounds) of the joint probability P(gram, chunk).  What ships is the conditional
P(chunk | gram), entries below ``MIN_PROB`` dropped, as JSON.

The settings were checked on held-out rows only (never the benchmark set): a
grid of 6 or 12 iterations, ``MIN_GRAM`` 10, 30 or 100 and ``MIN_PROB`` 0.002
or 0.0005, each model scored by its held-out per-letter fit and by the
matcher's recall on the held-out lookups.  12 iterations were nowhere better;
``MIN_GRAM`` 100 ranked held-out lookups a little better (13 gained, 4 lost of
1,437: borderline) but fitted held-out pairs worse and lost units real names
need (``kk``: عقاد for Akkad fell from -0.53 to -0.98 per letter), so the
defaults stayed.

Usage::

    python scripts/learn_transliteration.py [--shared ../shared] [--out src/glossary/transliteration.json]
        [--iterations 6] [--min-gram 30] [--min-prob 0.002] [--workers 2] [--holdout FILE]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from glossary.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "glossary" / "transliteration.json"
MAX_GRAM = 3  #: longest English gram
MAX_CHUNK = 2  #: longest Arabic chunk
MIN_GRAM = 30  #: a 2- or 3-gram is a unit only if it occurs this often in the training tokens
ITERATIONS = 6
MIN_PROB = 0.002  #: conditional entries below this are dropped from the shipped table
HOLDOUT = 10  #: 1 in HOLDOUT google rows (by hash of the English name) is held out
_LATIN = re.compile(r"^[a-z]+$")
_ARABIC = re.compile(r"^[\u0621-\u064a]+$")

Pair = tuple[str, str]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def token_pairs(english: str, arabic: str) -> list[Pair]:
    en = normalize(english, "en").split()
    ar = normalize(arabic, "ar").split()
    if not en or len(en) != len(ar):
        return []
    if not all(_LATIN.match(t) for t in en) or not all(_ARABIC.match(t) for t in ar):
        return []
    return [("^" + e + "$", a) for e, a in zip(en, ar, strict=True)]


def held_out(english: str) -> bool:
    digest = hashlib.sha1(normalize(english, "en").encode()).digest()
    return digest[0] % HOLDOUT == 0


def training_pairs(shared: Path) -> tuple[list[Pair], dict[str, int], list[Pair]]:
    wiki = read_tsv(shared / "data/names/wikidata-names-ar-en.tsv")
    google = read_tsv(shared / "data/names/google-ar2en.tsv")
    bench = read_tsv(shared / "bench/variants-dev.tsv")
    bench_q = {normalize(r["query"], "ar") for r in bench}
    bench_en = {normalize(r["expected_english"], "en") for r in bench}
    labels: dict[str, set[str]] = defaultdict(set)
    for r in wiki:
        labels[normalize(r["english"], "en")].add(normalize(r["arabic"], "ar"))
    holdout: list[Pair] = []
    pairs: list[Pair] = []
    for r in wiki:
        pairs.extend(token_pairs(r["english"], r["arabic"]))
    used = excluded = 0
    for r in google:
        if normalize(r["arabic"], "ar") in bench_q or normalize(r["english"], "en") in bench_en:
            excluded += 1
            continue
        en_norm = normalize(r["english"], "en")
        if held_out(r["english"]) or (
            en_norm in labels and normalize(r["arabic"], "ar") not in labels[en_norm]
        ):
            holdout.append((r["arabic"], r["english"]))
            continue
        got = token_pairs(r["english"], r["arabic"])
        used += bool(got)
        pairs.extend(got)
    stats = {"wikidata_rows": len(wiki), "google_rows": len(google), "google_used": used,
             "google_excluded_bench": excluded, "google_held_out": len(holdout), "token_pairs": len(pairs)}
    return pairs, stats, holdout


def gram_set(pairs: Iterable[Pair], min_gram: int = MIN_GRAM) -> set[str]:
    counts: Counter[str] = Counter()
    for e, _ in pairs:
        for k in range(1, MAX_GRAM + 1):
            for i in range(len(e) - k + 1):
                counts[e[i:i + k]] += 1
    return {g for g, c in counts.items() if len(g) == 1 or c >= min_gram}


def write_holdout(path: Path, rows: Sequence[Pair]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        w.writerow(["query", "expected_english"])
        w.writerows(rows)


# ----------------------------------------------------------------------------- EM

_GRAMS: set[str] = set()
_PROB: dict[tuple[str, str], float] = {}


def _init_worker(grams: set[str], prob: dict[tuple[str, str], float]) -> None:
    global _GRAMS, _PROB
    _GRAMS, _PROB = grams, prob


def _units(e: str, a: str) -> list[list[tuple[int, int, tuple[str, str]]]]:
    """Per start cell (i, j) flattened as i * (m + 1) + j: the allowed steps (k, l, unit)."""
    n, m = len(e), len(a)
    steps: list[list[tuple[int, int, tuple[str, str]]]] = [[] for _ in range((n + 1) * (m + 1))]
    for i in range(n):
        for k in range(1, MAX_GRAM + 1):
            if i + k > n:
                break
            g = e[i:i + k]
            if g not in _GRAMS:
                continue
            for j in range(m + 1):
                for c in range(MAX_CHUNK + 1):
                    if j + c > m:
                        break
                    steps[i * (m + 1) + j].append((k, c, (g, a[j:j + c])))
    return steps


def _expect(batch: Sequence[Pair]) -> tuple[dict[tuple[str, str], float], float]:
    counts: dict[tuple[str, str], float] = defaultdict(float)
    loglik = 0.0
    floor = 1e-9 if _PROB else 1.0  # first round: every unit equally likely
    import math

    for e, a in batch:
        n, m = len(e), len(a)
        w = m + 1
        steps = _units(e, a)
        alpha = [0.0] * ((n + 1) * w)
        alpha[0] = 1.0
        for s in range(len(alpha)):
            av = alpha[s]
            if not av:
                continue
            for k, c, u in steps[s]:
                alpha[s + k * w + c] += av * _PROB.get(u, floor)
        z = alpha[-1]
        if z <= 0.0:
            continue
        loglik += math.log(z)
        beta = [0.0] * len(alpha)
        beta[-1] = 1.0
        for s in range(len(alpha) - 1, -1, -1):
            acc = 0.0
            for k, c, u in steps[s]:
                acc += _PROB.get(u, floor) * beta[s + k * w + c]
            if s != len(alpha) - 1:
                beta[s] = acc
        for s in range(len(alpha)):
            av = alpha[s]
            if not av:
                continue
            for k, c, u in steps[s]:
                b = beta[s + k * w + c]
                if b:
                    counts[u] += av * _PROB.get(u, floor) * b / z
    return dict(counts), loglik


def em(pairs: Sequence[Pair], grams: set[str], iterations: int, workers: int = 2) -> dict[tuple[str, str], float]:
    prob: dict[tuple[str, str], float] = {}
    size = max(1, len(pairs) // (workers * 8))
    batches = [pairs[i:i + size] for i in range(0, len(pairs), size)]
    for it in range(iterations):
        total: dict[tuple[str, str], float] = defaultdict(float)
        loglik = 0.0
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(grams, prob)) as ex:
            for counts, ll in ex.map(_expect, batches):
                loglik += ll
                for u, c in counts.items():
                    total[u] += c
        z = sum(total.values())
        prob = {u: c / z for u, c in total.items() if c / z > 1e-7}
        print(f"iteration {it + 1}: log-likelihood {loglik:.0f}, units {len(prob)}", flush=True)
    return prob


def conditional(joint: dict[tuple[str, str], float], min_prob: float = MIN_PROB) -> dict[str, dict[str, float]]:
    by_gram: dict[str, dict[str, float]] = defaultdict(dict)
    for (g, c), p in joint.items():
        by_gram[g][c] = p
    out: dict[str, dict[str, float]] = {}
    for g, row in sorted(by_gram.items()):
        z = sum(row.values())
        kept = {c: round(p / z, 5) for c, p in sorted(row.items(), key=lambda kv: -kv[1]) if p / z >= min_prob}
        if kept:
            out[g] = kept
    return out


def fit_quantiles(table: dict[str, dict[str, float]], pairs: Sequence[Pair], sample: int = 5000) -> dict[str, float]:
    """Fit (per-letter log probability, as :func:`glossary.transliteration.fit`) of training pairs.

    The median is a *typical* real rendering, the 5th percentile a *poor* one;
    the matcher's ``FIT_GOOD`` / ``FIT_POOR`` are these numbers, rounded.
    """
    from glossary.transliteration import UNSEEN, Model

    model = Model(table, MAX_GRAM, MAX_CHUNK)
    step = max(1, len(pairs) // sample)
    fits = sorted(
        max(model.log_prob(a, e[1:-1]) / (len(a) + 1), UNSEEN) for e, a in pairs[::step]
    )
    return {q: round(fits[int(f * (len(fits) - 1))], 3) for q, f in
            (("p05", 0.05), ("p25", 0.25), ("median", 0.5), ("p75", 0.75))}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--iterations", type=int, default=ITERATIONS)
    ap.add_argument("--min-gram", type=int, default=MIN_GRAM,
                    help="a 2- or 3-gram is a unit only if it occurs this often (default %(default)s)")
    ap.add_argument("--min-prob", type=float, default=MIN_PROB,
                    help="conditional entries below this are dropped (default %(default)s)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--holdout", type=Path, default=None, help="write the held-out (arabic, english) rows here")
    args = ap.parse_args(argv)
    pairs, stats, holdout = training_pairs(args.shared)
    print(stats, flush=True)
    if args.holdout:
        write_holdout(args.holdout, holdout)
    grams = gram_set(pairs, args.min_gram)
    joint = em(pairs, grams, args.iterations, args.workers)
    table = conditional(joint, args.min_prob)
    quantiles = fit_quantiles(table, pairs)
    print("fit quantiles on training pairs:", quantiles)
    model = {
        "about": "P(Arabic chunk | English gram), learned by scripts/learn_transliteration.py",
        "source": "Wikidata English-Arabic name labels (CC0) and Google ar2en transliterations "
                  "(Apache-2.0) minus every variants-dev query and answer and a held-out slice",
        "stats": stats,
        "max_gram": MAX_GRAM,
        "max_chunk": MAX_CHUNK,
        "min_prob": args.min_prob,
        "fit_quantiles": quantiles,
        "table": table,
    }
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(table)} grams, {sum(map(len, table.values()))} entries, "
          f"{args.out.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
