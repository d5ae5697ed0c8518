"""Where a first pass over new text spends its time, against FlashText in the same process.

``benchmarks/recognition.py`` measures the first pass of ``find_mentions`` over
the ANERCorp test text (25k words of news) with the 65k Wikidata names: about
0.13 MB/s, against 8 MB/s for FlashText's exact whole-word matching.  This
script takes that pass apart, in one fresh process per repetition:

1. **first pass**: ``find_mentions`` over the text, the index file opened and
   nothing read from it yet but what ``find_mentions("x")`` read;
2. **index entries read**: the same pass once more after
   ``Recognizer.clear_caches()`` (every word analysis and lookup answer
   forgotten, the index entries the first pass read kept): the difference is
   the time spent reading the index file;
3. **word analysis**: the readings of every distinct word (proclitics,
   article, keys, frequencies), alone;
4. **lookups made**: the matcher's searches the first pass made, replayed with
   the index entries in memory;
5. **lookups the mentions need**: one ``lookup`` of each distinct mention that is
   not a stored spelling, index entries in memory.  Issue #14 asks that a span
   of text and a ``lookup`` of it agree on the entity and the score, so a
   recognizer that knew in advance which words are names would still make
   these: with this scorer, a floor under any first pass;
6. **FlashText** ``extract_keywords`` over the same text (its processor built
   before timing).

Prints a Markdown table (medians of ``--repeat`` fresh processes); writes
``benchmarks/results/first_pass.json``.  The Wikidata store is built once in
a temporary folder (about a minute).

Usage::

    python benchmarks/first_pass.py [--shared PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import recognition as rb  # the recognition benchmark's corpus, stores and FlashText

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "first_pass.json"


def once(db: Path, shared: Path) -> dict[str, float]:
    """One fresh process: the first pass and its parts (seconds)."""
    from glossary.matching import DEFAULT_MIN_SCORE
    from glossary.recognition import _WORD_RE, _analyze

    corpus = rb.read_anercorp(shared / rb.ANER)
    text = corpus.text
    g = rb.open_store(db)
    g.find_mentions("x")
    rec = g.recognizer
    gc.collect()
    t = time.perf_counter()
    mentions = g.find_mentions(text)
    first = time.perf_counter() - t
    searches = list(rec._resolved)

    rec.clear_caches()
    gc.collect()
    t = time.perf_counter()
    again = g.find_mentions(text)
    warm_index = time.perf_counter() - t
    if [(m.start, m.end, m.entity_id) for m in again] != [(m.start, m.end, m.entity_id) for m in mentions]:
        raise SystemExit("the pass after clear_caches found other mentions")

    words = list(dict.fromkeys(m.group(0) for m in _WORD_RE.finditer(text)))
    t = time.perf_counter()
    for w in words:
        _analyze(w)
    analysis = time.perf_counter() - t

    t = time.perf_counter()
    for query, f in searches:
        rec.matcher.search(query, limit=2, min_score=f)
    lookups = time.perf_counter() - t

    needed = list(dict.fromkeys(m.surface for m in mentions if not m.info.stored))
    t = time.perf_counter()
    for surface in needed:
        g.lookup(surface, limit=2, min_score=DEFAULT_MIN_SCORE)  # find_mentions' own threshold
    needed_s = time.perf_counter() - t

    kp = rb.flashtext_processor(g)
    gc.collect()
    t = time.perf_counter()
    kp.extract_keywords(text, span_info=True)
    flash = time.perf_counter() - t
    g.close()
    return {
        "mb": len(text.encode("utf-8")) / 1e6, "words": len(words), "mentions": len(mentions),
        "first_s": first, "warm_index_s": warm_index, "index_read_s": first - warm_index,
        "analysis_s": analysis, "lookups": len(searches), "lookups_s": lookups,
        "needed_lookups": len(needed), "needed_lookups_s": needed_s, "flashtext_s": flash,
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the shared data folder (default: ../shared beside the repo)")
    ap.add_argument("--repeat", type=int, default=3, help="fresh processes (default 3)")
    ap.add_argument("--json", type=Path, default=RESULTS, help=f"where to write JSON (default {RESULTS})")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    shared = args.shared.resolve()
    if args.worker:
        print(json.dumps(once(args.worker, shared)))
        return 0

    start = time.perf_counter()
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="first-pass-") as tmp:
        db = Path(tmp) / "wikidata.db"
        rb.log("building the Wikidata store (65k names) and its index")
        g = rb.open_store(db)
        rb.import_bulk(g, shared / rb.NAMES)
        g.find_mentions("x")  # the index file, written once
        g.close()
        for i in range(args.repeat):
            out = subprocess.run([sys.executable, __file__, "--worker", str(db), "--shared", str(shared)],
                                 check=True, capture_output=True, text=True, env=os.environ.copy())
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            rb.log(f"run {i + 1}: first pass {runs[-1]['first_s']:.2f}s, FlashText {runs[-1]['flashtext_s']:.3f}s")
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    flash = med["flashtext_s"]
    rows = [
        ["first pass (find_mentions, fresh process)", med["first_s"], med["mb"] / med["first_s"],
         med["first_s"] / flash],
        ["  of which reading index entries", med["index_read_s"], None, med["index_read_s"] / flash],
        ["same pass, index entries in memory", med["warm_index_s"], med["mb"] / med["warm_index_s"],
         med["warm_index_s"] / flash],
        [f"  word analysis ({int(med['words']):,} distinct words)", med["analysis_s"], None,
         med["analysis_s"] / flash],
        [f"  lookups made ({int(med['lookups'])})", med["lookups_s"], None, med["lookups_s"] / flash],
        [f"lookups the mentions need ({int(med['needed_lookups'])} not stored)", med["needed_lookups_s"],
         med["mb"] / med["needed_lookups_s"], med["needed_lookups_s"] / flash],
        ["FlashText extract_keywords", flash, med["mb"] / flash, 1.0],
    ]
    text = rb.table(["", "seconds", "MB/s", "× FlashText's time"],
                    [[r[0], r[1], "" if r[2] is None else r[2], r[3]] for r in rows], digits=3)
    print(text)
    print(f"\n{med['mb']:.3f} MB of text, {int(med['mentions']):,} mentions; medians of {len(runs)} fresh processes")
    rb.write_result(args.json, {"median": med, "runs": runs, "table": text}, start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
