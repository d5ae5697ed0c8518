"""Where a first pass over new text spends its time, against FlashText in the same process.

``benchmarks/recognition.py`` measures the first pass of ``find_mentions`` over
the ANERCorp test text (25k words of news) with the 65k Wikidata names: about
0.13 MB/s, against 8 MB/s for FlashText's exact whole-word matching.  This
script takes that pass apart, in one fresh process per repetition:

1. **first pass**: ``find_mentions`` over the text, the index file opened and
   nothing read from it yet but what ``find_mentions("x")`` read;
2. **first reads**: the same pass once more after
   ``Recognizer.clear_caches()`` (every word analysis and lookup answer
   forgotten, the index entries the first pass read kept): the difference is
   what only a first pass in a process pays, reading the index file above all,
   and also the word-frequency tables and the transliteration model's lattices
   of the English names met (kept in memory, not cleared);
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
   before timing);
7. **index entries read beforehand in bulk**: in another fresh process, every
   index entry the first pass reads (recorded once, per table) is read first,
   a query per table and 500 keys, and then the pass runs: the most that
   batching the index reads could save, and what else a fresh process pays
   for the first time (the word tables, the transliteration model's lattices).

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
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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


def _containers(g: Any) -> list[Any]:
    """The lazily read containers of the store's open index file."""
    state = g._indexes._state
    return [] if state is None or state.file is None else state.file.containers


def record(db: Path, shared: Path, out: Path) -> None:
    """One fresh process: the first pass, recording every index entry it reads, per table."""
    from glossary.store import index_file as ix

    text = rb.read_anercorp(shared / rb.ANER).text
    g = rb.open_store(db)
    g.find_mentions("x")
    asked: dict[str, list[Any]] = {}

    def note(c: Any, keys: Any) -> None:
        asked.setdefault(c.ns, []).extend(keys)

    def wrap(cls: Any, name: str, many: bool) -> None:
        orig = getattr(cls, name)

        def wrapped(self: Any, arg: Any, *rest: Any) -> Any:
            arg = list(arg) if many else arg
            note(self, arg if many else [arg])
            return orig(self, arg, *rest)

        setattr(cls, name, wrapped)

    for cls, name, many in ((ix.LazyDict, "prefetch", True), (ix.LazyDict, "_fetch", False),
                            (ix.LazySet, "prefetch", True), (ix.LazySet, "__contains__", False),
                            (ix.LazyRecords, "prefetch", True), (ix.LazyRecords, "row", False)):
        wrap(cls, name, many)
    g.find_mentions(text)
    with out.open("wb") as fh:
        pickle.dump({ns: list(dict.fromkeys(keys)) for ns, keys in asked.items()}, fh)


def bulk(db: Path, shared: Path, keys_file: Path) -> dict[str, float]:
    """One fresh process: the recorded index entries read in bulk, then the first pass."""
    text = rb.read_anercorp(shared / rb.ANER).text
    with keys_file.open("rb") as fh:
        asked: dict[str, list[Any]] = pickle.load(fh)
    g = rb.open_store(db)
    g.find_mentions("x")
    gc.collect()
    t = time.perf_counter()
    for c in _containers(g):
        keys = asked.get(c.ns)
        for i in range(0, len(keys or ()), 500):
            c.prefetch(keys[i : i + 500])  # type: ignore[index]
    read = time.perf_counter() - t
    gc.collect()
    t = time.perf_counter()
    g.find_mentions(text)
    return {"bulk_read_s": read, "bulk_pass_s": time.perf_counter() - t,
            "bulk_keys": float(sum(len(v) for v in asked.values()))}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the shared data folder (default: ../shared beside the repo)")
    ap.add_argument("--repeat", type=int, default=3, help="fresh processes (default 3)")
    ap.add_argument("--json", type=Path, default=RESULTS, help=f"where to write JSON (default {RESULTS})")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--bulk", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    shared = args.shared.resolve()
    if args.worker and args.record:
        record(args.worker, shared, args.record)
        return 0
    if args.worker and args.bulk:
        print(json.dumps(bulk(args.worker, shared, args.bulk)))
        return 0
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
        keys = Path(tmp) / "keys.pickle"
        worker = [sys.executable, __file__, "--worker", str(db), "--shared", str(shared)]
        subprocess.run([*worker, "--record", str(keys)], check=True, capture_output=True, env=os.environ.copy())
        for i in range(args.repeat):
            out = subprocess.run(worker, check=True, capture_output=True, text=True, env=os.environ.copy())
            run = json.loads(out.stdout.strip().splitlines()[-1])
            out = subprocess.run([*worker, "--bulk", str(keys)], check=True, capture_output=True, text=True,
                                 env=os.environ.copy())
            runs.append({**run, **json.loads(out.stdout.strip().splitlines()[-1])})
            rb.log(f"run {i + 1}: first pass {runs[-1]['first_s']:.2f}s, with its index entries read in bulk "
                   f"{runs[-1]['bulk_read_s']:.2f}s + {runs[-1]['bulk_pass_s']:.2f}s, "
                   f"FlashText {runs[-1]['flashtext_s']:.3f}s")
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    flash = med["flashtext_s"]
    rows = [
        ["first pass (find_mentions, fresh process)", med["first_s"], med["mb"] / med["first_s"],
         med["first_s"] / flash],
        ["  of which first reads (index entries, word tables, model lattices)", med["index_read_s"], None,
         med["index_read_s"] / flash],
        ["same pass, its index entries read beforehand in bulk (fresh process)", med["bulk_pass_s"],
         med["mb"] / med["bulk_pass_s"], med["bulk_pass_s"] / flash],
        [f"  those entries ({int(med['bulk_keys']):,}), a query per table and 500 keys", med["bulk_read_s"],
         None, med["bulk_read_s"] / flash],
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
