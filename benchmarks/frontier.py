"""Precision against recall in running text, along the recognizer's name-likeness bar.

A word of running text that no glossary spelling matches is reported as a name
only with evidence; for a rare word, the main evidence is that its letters look
more like a name's than like an ordinary word's
(:data:`glossary.name_likeness.NAMELIKE_BAR`, 0: the likelihood ratio's even
point).  Lowering the bar finds more respelled names and reports more ordinary
words.  Issue #14 asks for both: precision ≥ 0.90 on the gold news with the 65k
Wikidata names, and ≥ 0.95 of the respellings ``lookup`` resolves found in a
sentence.  This script measures where the bar puts the two, from one set of
stores, so the trade is read off one table rather than argued.

For each bar (set on :mod:`glossary.name_likeness` in this process, nothing else
changed), the same measures as ``benchmarks/recognition.py`` parts 1 and 2:

* precision and recall of ``find_mentions`` on ``bench/anercorp-test.txt`` with
  the gold strings curated + the 65k names, and with the gold strings in bulk +
  the 65k names (a mention is right when it overlaps a gold span);
* of the respellings in ``bench/variants-dev.tsv`` that ``lookup`` resolves, the
  share found in a seed sentence, bare and behind a proclitic; the held-out rows
  of ``data/names/google-ar2en.tsv`` the same way.

The stores are built once in a temporary folder (the 65k import takes about a
minute).  Prints a Markdown table; writes ``benchmarks/results/frontier.json``.

Usage::

    python benchmarks/frontier.py [--shared PATH] [--bars 0.2,0,-0.1,-0.2,-0.3,-0.5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import recognition as rb  # the recognition benchmark's corpus, stores and measures

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "frontier.json"
BARS = (0.2, 0.0, -0.1, -0.2, -0.3, -0.5)


def measure(stores: dict[str, Any], corpus: rb.Corpus, cases: dict[str, Any]) -> dict[str, Any]:
    """Precision / recall on the gold news and respellings found in sentences, at the bar now set."""
    out: dict[str, Any] = {}
    for label in ("b", "c"):
        g = stores[label]
        g.recognizer.clear_caches()
        out[label] = rb.recognize(g, corpus)["find_mentions"]
    g = stores["base"]
    g.recognizer.clear_caches()
    for part, rows in cases.items():
        out[part] = rb.running_text(g, rows, g, whole=False)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the shared data folder (default: ../shared beside the repo)")
    ap.add_argument("--bars", default=",".join(str(b) for b in BARS), help="name-likeness bars, comma-separated")
    ap.add_argument("--json", type=Path, default=RESULTS, help=f"where to write JSON (default {RESULTS})")
    args = ap.parse_args(argv)
    shared = args.shared.resolve()
    bars = [float(b) for b in args.bars.split(",")]

    from glossary import name_likeness

    shipped = name_likeness.NAMELIKE_BAR

    start = time.perf_counter()
    corpus = rb.read_anercorp(shared / rb.ANER)
    gold = rb.gold_strings(corpus)
    wikidata = rb.read_tsv(shared / rb.NAMES)
    dev = rb.dev_rows(shared)
    held = rb.held_out_rows(shared, wikidata, dev)
    sents = rb.seed_sentences()
    cases = {"dev": rb.single_cases(dev, sents, rb.SEED), "held_out": rb.single_cases(held, sents, rb.SEED + 1)}

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="frontier-") as tmp_name:
        tmp = Path(tmp_name)
        rb.log("building the stores (the 65k Wikidata names, the gold strings curated and in bulk)")
        base = tmp / "wikidata.db"
        g = rb.open_store(base)
        rb.import_bulk(g, shared / rb.NAMES)
        g.close()
        gold_tsv = tmp / "gold.tsv"
        rb.write_gold_tsv(gold, gold_tsv)
        stores: dict[str, Any] = {"base": rb.open_store(base)}
        for label, curated in (("b", True), ("c", False)):
            db = tmp / f"gold-{label}.db"
            shutil.copyfile(base, db)
            stores[label] = rb.open_store(db)
            rb.add_gold(stores[label], gold, gold_tsv, curated)
        try:
            for bar in bars:
                name_likeness.NAMELIKE_BAR = bar
                got = measure(stores, corpus, cases)
                rows.append({"bar": bar, **got})
                rb.log(f"bar {bar:+.2f}: gold+65k P {got['b']['precision']:.3f} R {got['b']['recall']:.3f}, "
                       f"dev {got['dev']['bare']:.3f}/{got['dev']['proclitic']:.3f}")
        finally:
            name_likeness.NAMELIKE_BAR = shipped
            for g in stores.values():
                g.close()

    header = ["bar", "gold+65k P", "gold+65k R", "gold bulk+65k P", "gold bulk+65k R",
              "dev bare", "dev proclitic", "held-out bare", "held-out proclitic"]
    text = rb.table(header, [
        [f"{r['bar']:+.2f}" + (" (shipped)" if r["bar"] == shipped else ""),
         r["b"]["precision"], r["b"]["recall"], r["c"]["precision"], r["c"]["recall"],
         r["dev"]["bare"], r["dev"]["proclitic"], r["held_out"]["bare"], r["held_out"]["proclitic"]]
        for r in rows
    ])
    n = {k: rows[0][k]["lookup_resolves"] for k in ("dev", "held_out")} if rows else {}
    print(text)
    print(f"\nrespellings lookup resolves: dev {n.get('dev')}, held-out {n.get('held_out')}; "
          f"issue #14's lines: precision ≥ 0.90 (gold+65k), respellings found ≥ 0.95")
    rb.write_result(args.json, {"shipped_bar": shipped, "rows": rows, "table": text, "seed": rb.SEED}, start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
