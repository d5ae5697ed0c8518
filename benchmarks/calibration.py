"""Calibration: what a lookup score means, and how often a name the glossary does not hold is answered.

Measures, for the scoring on main ("after", the default threshold
:data:`glossary.matching.DEFAULT_MIN_SCORE`) and for the scoring before the
calibration ("before": ``FIT_MAX_BAD`` 1, ``FIT_PARTS`` off, ``LATIN_WEIGHT`` 0,
``WEAK_DROP`` 0, threshold 60), in the same run:

* **Out-of-glossary answer rate.** Every name of ``google-ar2en.tsv`` (person
  names), its Arabic column and, separately, its English column, looked up
  against the bundled glossary (``Glossary.open(path, defaults=True)``):
  the share that gets any answer at the default threshold.  Left out, by a
  mechanical rule: rows of the dev set (Arabic a ``variants-dev.tsv`` query
  or English one of its answers) and rows whose name *is* in the bundled
  glossary (normalized Arabic equal to a stored Arabic spelling, or normalized
  English equal to a stored English spelling, any role: Jordan, Chad, Kim).
  The rest is split by the hash the transliteration model already uses
  (``scripts/learn_transliteration.held_out``, 1 in 10 by English name): the
  *held-out part* was never looked at while calibrating; the *calibration part*
  is what the threshold and weights were chosen on.
* **Calibration positives** (what the threshold must not lose): Wikidata
  English names with two or more Arabic labels (no dev query or answer); the
  last such row of each is left out of the imported list and looked up
  (recall@1/@5 against the other 64k names).  Latin: Google romanizations not in
  the Wikidata list whose Arabic is a Wikidata label (the right entities: every
  English name with that label), calibration part and held-out part.
* **Score bands**: the first answer of each lookup, by its score, and the share
  of those that are right, on the dev set (``variants-dev.tsv`` against the 65k
  Wikidata names, as ``benchmarks/variants.py``) and on the 1,536 held-out
  Google rows of ``scripts/learn_transliteration.training_pairs`` (never trained
  on nor benchmarked) whose English is in the glossary; the held-out rows whose
  English is not in it are out-of-glossary lookups at 65k scale, and their
  answer rate is reported too.  Recall@1/@5 of both sets.

Usage::

    python benchmarks/calibration.py [--shared ../shared] [--out benchmarks/results/calibration.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import glossary.matching as matching
from glossary import Glossary
from glossary.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from learn_transliteration import held_out, training_pairs  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "calibration.json"
#: The scoring before calibration: these constants and this threshold.
BEFORE = {"FIT_MAX_BAD": 1.0, "FIT_PARTS": False, "LATIN_WEIGHT": 0.0, "WEAK_DROP": 0.0}
BEFORE_MIN_SCORE = 60.0
#: Score bands of the tables (lower bounds; a band runs up to the next one).
BANDS = [100.0, 99.0, 90.0, 80.0, 75.0, 70.0, 65.0, 60.0]

Answers = list[list[tuple[str, float, str]]]  # per query: (normalized English, score, reason), best first


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@contextmanager
def scoring(name: str) -> Iterator[float | None]:
    """Patch the matcher to the scoring ``name`` ("before" or "after"); yields the min_score to pass."""
    if name == "after":
        yield None  # the default threshold
        return
    saved = {k: getattr(matching, k) for k in BEFORE}
    for k, v in BEFORE.items():
        setattr(matching, k, v)
    try:
        yield BEFORE_MIN_SCORE
    finally:
        for k, v in saved.items():
            setattr(matching, k, v)


def answers(g: Glossary, queries: Sequence[str], min_score: float | None) -> Answers:
    return [
        [(normalize(m.english, "en"), m.score, m.reason) for m in g.lookup(q, limit=5, min_score=min_score)]
        for q in queries
    ]


def import_names(store: Path, tsv: Path) -> Glossary:
    g = Glossary.open(store)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rows the importer merges or skips
        g.import_file(tsv, skip_bad_rows=True)
    return g


def answered(rows: Answers) -> dict[str, Any]:
    n = sum(1 for r in rows if r)
    return {"queries": len(rows), "answered": n, "rate": n / max(1, len(rows))}


def recall(rows: Answers, right: Sequence[Callable[[str], bool]]) -> dict[str, Any]:
    h1 = sum(1 for r, ok in zip(rows, right, strict=True) if r and ok(r[0][0]))
    h5 = sum(1 for r, ok in zip(rows, right, strict=True) if any(ok(e) for e, _, _ in r[:5]))
    n = max(1, len(rows))
    return {"queries": len(rows), "recall@1": h1 / n, "recall@5": h5 / n}


def band_label(i: int) -> str:
    lo = BANDS[i]
    if lo >= 99.0:
        return f"{lo:g}"
    hi = BANDS[i - 1]
    return f"{lo:g}–{hi - 1:g}" if hi != 99.0 else f"{lo:g}–98"


def bands(rows: Answers, right: Sequence[Callable[[str], bool]]) -> list[dict[str, Any]]:
    """First answers by score band: how many, how many right (and with the right entity among
    the five answers), and the same at or above the band."""
    count = [0] * len(BANDS)
    good = [0] * len(BANDS)
    in5 = [0] * len(BANDS)
    for r, ok in zip(rows, right, strict=True):
        if not r:
            continue
        english, score, _ = r[0]
        for i, lo in enumerate(BANDS):
            if score >= lo:
                count[i] += 1
                good[i] += ok(english)
                in5[i] += any(ok(e) for e, _, _ in r[:5])
                break
    out = []
    for i in range(len(BANDS)):
        at_least_n, at_least_ok = sum(count[: i + 1]), sum(good[: i + 1])
        out.append({
            "band": band_label(i), "answers": count[i], "right": good[i],
            "precision": good[i] / count[i] if count[i] else None,
            "right_in_5": in5[i] / count[i] if count[i] else None,
            "at_or_above": at_least_n, "precision_at_or_above": at_least_ok / at_least_n if at_least_n else None,
        })
    return out


def fmt(x: object) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


def table(rows: list[dict[str, Any]], cols: list[str]) -> str:
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data folder")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON results")
    args = ap.parse_args(argv)
    shared: Path = args.shared
    start = time.perf_counter()
    google = read_tsv(shared / "data/names/google-ar2en.tsv")
    dev = read_tsv(shared / "bench/variants-dev.tsv")
    wiki_tsv = shared / "data/names/wikidata-names-ar-en.tsv"
    wiki = read_tsv(wiki_tsv)
    dev_q = {normalize(r["query"], "ar") for r in dev}
    dev_e = {normalize(r["expected_english"], "en") for r in dev}
    runs = ("before", "after")
    result: dict[str, dict[str, Any]] = {k: {} for k in runs}
    sets: dict[str, Any] = {}

    with tempfile.TemporaryDirectory() as tmp:
        # ---------------------------------------------------------- names the glossary does not hold
        g = Glossary.open(Path(tmp) / "bundled.db", defaults=True)
        stored = {
            lang: {normalize(t, lang) for (t,) in g.db.execute("SELECT text FROM names WHERE lang = ?", (lang,))}
            for lang in ("ar", "en")
        }
        oog = [
            r for r in google
            if not (normalize(r["arabic"], "ar") in dev_q or normalize(r["english"], "en") in dev_e
                    or normalize(r["arabic"], "ar") in stored["ar"] or normalize(r["english"], "en") in stored["en"])
        ]
        parts = {
            "calibration": [r for r in oog if not held_out(r["english"])],
            "held_out": [r for r in oog if held_out(r["english"])],
        }
        sets["out_of_glossary"] = {
            "google_rows": len(google), "left_out_dev": sum(
                1 for r in google if normalize(r["arabic"], "ar") in dev_q or normalize(r["english"], "en") in dev_e),
            "left_out_in_bundled": len(google) - len(oog), **{k: len(v) for k, v in parts.items()},
        }
        sets["out_of_glossary"]["left_out_in_bundled"] -= sets["out_of_glossary"]["left_out_dev"]
        for run in runs:
            with scoring(run) as floor:
                result[run]["out_of_glossary"] = {
                    f"{script}_{part}": answered(answers(g, [r[col] for r in rows], floor))
                    for part, rows in parts.items()
                    for script, col in (("arabic", "arabic"), ("latin", "english"))
                }
        g.close()

        # ---------------------------------------------------------- calibration positives (leave one out)
        rows_of: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(wiki):
            e, a = normalize(r["english"], "en"), normalize(r["arabic"], "ar")
            if e not in dev_e and a not in dev_q:
                rows_of[e].append(i)
        omit: dict[int, str] = {}
        for e, idx in rows_of.items():
            spelled = [normalize(wiki[i]["arabic"], "ar") for i in idx]
            if len(set(spelled)) > 1 and spelled.count(spelled[-1]) == 1:
                omit[idx[-1]] = e
        loo_tsv = Path(tmp) / "leave-one-out.tsv"
        with loo_tsv.open("w", encoding="utf-8") as fh:
            fh.write("english\tarabic\tfrequency\n")
            for i, r in enumerate(wiki):
                if i not in omit:
                    fh.write(f"{r['english']}\t{r['arabic']}\t{r['frequency']}\n")
        g = import_names(Path(tmp) / "loo.db", loo_tsv)
        g.matcher  # noqa: B018 (build the index before the runs)
        sets["leave_one_out"] = len(omit)
        loo_q = [wiki[i]["arabic"] for i in omit]
        loo_ok = [e.__eq__ for e in omit.values()]
        for run in runs:
            with scoring(run) as floor:
                result[run]["leave_one_out_arabic"] = recall(answers(g, loo_q, floor), loo_ok)
        g.close()

        # ---------------------------------------------------------- the 65k glossary: dev, held-out, Latin
        g = import_names(Path(tmp) / "wikidata.db", wiki_tsv)
        g.matcher  # noqa: B018
        labels: dict[str, set[str]] = defaultdict(set)
        for r in wiki:
            labels[normalize(r["arabic"], "ar")].add(normalize(r["english"], "en"))
        in_glossary = {e for es in labels.values() for e in es}
        latin = [
            (r["english"], labels[normalize(r["arabic"], "ar")], held_out(r["english"])) for r in google
            if normalize(r["arabic"], "ar") not in dev_q and normalize(r["english"], "en") not in dev_e
            and normalize(r["english"], "en") not in in_glossary and normalize(r["arabic"], "ar") in labels
        ]
        _, _, hold = training_pairs(shared)
        hold_in = [(a, normalize(e, "en")) for a, e in hold if normalize(e, "en") in in_glossary]
        hold_out = [a for a, e in hold if normalize(e, "en") not in in_glossary]
        sets.update(dev=len(dev), held_out_in_glossary=len(hold_in), held_out_not_in_glossary=len(hold_out),
                    latin_calibration=sum(1 for x in latin if not x[2]), latin_held_out=sum(1 for x in latin if x[2]))
        dev_ok = [normalize(r["expected_english"], "en").__eq__ for r in dev]
        hold_ok = [e.__eq__ for _, e in hold_in]
        for run in runs:
            with scoring(run) as floor:
                got = answers(g, [r["query"] for r in dev], floor)
                result[run]["dev"] = recall(got, dev_ok)
                result[run]["dev_bands"] = bands(got, dev_ok)
                got = answers(g, [a for a, _ in hold_in], floor)
                result[run]["held_out"] = recall(got, hold_ok)
                result[run]["held_out_bands"] = bands(got, hold_ok)
                result[run]["held_out_not_in_glossary"] = answered(answers(g, hold_out, floor))
                for part, flag in (("calibration", False), ("held_out", True)):
                    chosen = [x for x in latin if x[2] == flag]
                    result[run][f"latin_variants_{part}"] = recall(
                        answers(g, [q for q, _, _ in chosen], floor), [es.__contains__ for _, es, _ in chosen])
        g.close()

    settings = {
        "before": {**BEFORE, "min_score": BEFORE_MIN_SCORE},
        "after": {**{k: getattr(matching, k) for k in BEFORE}, "min_score": matching.DEFAULT_MIN_SCORE},
    }
    out = {"settings": settings, "sets": sets, **result, "seconds": round(time.perf_counter() - start, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"sets: {json.dumps(sets)}")
    for run in runs:
        print(f"\n## {run}: {json.dumps(settings[run])}\n")
        res: dict[str, Any] = result[run]
        oog_rows = [{"set": k, **v} for k, v in res["out_of_glossary"].items()]
        oog_rows.append({"set": "held-out rows not in the 65k glossary", **res["held_out_not_in_glossary"]})
        print("out-of-glossary answer rate\n" + table(oog_rows, ["set", "queries", "answered", "rate"]))
        rec = [{"set": k, **res[k]} for k in ("dev", "held_out", "leave_one_out_arabic",
                                             "latin_variants_calibration", "latin_variants_held_out")]
        print("\nrecall\n" + table(rec, ["set", "queries", "recall@1", "recall@5"]))
        for k in ("dev_bands", "held_out_bands"):
            print(f"\n{k}: first answers by score\n" + table(res[k], [
                "band", "answers", "right", "precision", "right_in_5", "at_or_above", "precision_at_or_above"]))
    print(f"\n{out['seconds']} s; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
