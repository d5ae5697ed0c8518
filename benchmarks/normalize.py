"""Article normalization benchmark: find_mentions / normalize_text against FlashText.

Builds, reproducibly (fixed seed), a corpus of at least ``--mb`` MB (UTF-8) from
the sentences of the two seed articles with names from
``data/names/wikidata-names-ar-en.tsv`` mixed in: each sentence gets one to
three names at random word positions; some carry a proclitic (و ل ب وب ف ك
وال بال لل), some are respelled within a sound class (ج/غ/ق/ك, س/ص, ت/ط, د/ض,
ح/ه) so that they are stored nowhere.  The glossary is that file imported
through :meth:`Glossary.import_file` (one entity per English name, about 65k
names), in a temporary store.

Measured in one run, on the same corpus and glossary:

* the project: :meth:`Glossary.find_mentions` and :meth:`Glossary.normalize_text`
  over the whole corpus, MB/s (wall clock and CPU time), each *cold* (the first
  pass after the index is built or its caches cleared: every spelling stored
  nowhere is scored once by ``Matcher.search``) and *warm* (best of two more
  passes over the same text, those scores cached);
* FlashText 2.7: a ``KeywordProcessor`` over every stored Arabic spelling, with
  the Arabic letters and marks added to its word characters;
  ``extract_keywords`` over the whole corpus and ``replace_keywords`` over its
  first 1 MB (it is too slow for the whole corpus);
* the CLI: ``glossary normalize DIR --out-dir OUT`` over the corpus split into
  files, with ``--jobs 1`` and ``--jobs 2``, wall clock; a run over one tiny
  file gives the fixed cost (start-up and index build), so the speed-up of the
  processing itself is reported too.

Figures are written to ``benchmarks/results/normalize.json``.  The machine may
be shared: compare the ratios of one run, not absolute numbers across runs.

Usage::

    python benchmarks/normalize.py [--shared PATH] [--mb 20] [--files 40] [--skip-cli]
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glossary import Glossary

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "normalize.json"
NAMES = Path("data/names/wikidata-names-ar-en.tsv")
SEED = 20240116
PROCLITICS = ["و", "ل", "ب", "وب", "ف", "ك", "وال", "بال", "لل"]
#: Letters swapped for a respelling nobody stored (same sound class in glossary.keys).
SOUND_CLASSES = ["جغقك", "سص", "تط", "دض", "حه"]
ARABIC_WORD_CHARS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0640, 0x0653)] + list(
    "پچژڤگیکۀە"
)


def sentences() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt")))
    parts = re.split(r"(?<=[.!؟?:])\s+|\n+", text)
    return [p.strip() for p in parts if len(p.split()) >= 4]


def load_names(shared: Path) -> list[str]:
    with (shared / NAMES).open(encoding="utf-8", newline="") as f:
        return [row["arabic"].strip() for row in csv.DictReader(f, delimiter="\t") if row["arabic"].strip()]


def respell(name: str, rng: random.Random) -> str:
    spots = [(i, cls) for i, ch in enumerate(name) for cls in SOUND_CLASSES if ch in cls]
    if not spots:
        return name
    i, cls = rng.choice(spots)
    return name[:i] + rng.choice([c for c in cls if c != name[i]]) + name[i + 1 :]


def build_corpus(shared: Path, megabytes: float) -> str:
    rng = random.Random(SEED)
    sents = sentences()
    names = load_names(shared)
    target = int(megabytes * 1_000_000)
    out: list[str] = []
    size = 0
    while size < target:
        para = []
        for _ in range(rng.randint(3, 6)):
            words = rng.choice(sents).split()
            for _ in range(rng.randint(1, 3)):
                name = rng.choice(names)
                if rng.random() < 0.3:  # a full name: two parts
                    name = f"{name} {rng.choice(names)}"
                if rng.random() < 0.15:
                    name = respell(name, rng)
                if rng.random() < 0.3:
                    name = rng.choice(PROCLITICS) + name
                words.insert(rng.randint(0, len(words)), name)
            para.append(" ".join(words))
        chunk = " ".join(para) + "\n\n"
        out.append(chunk)
        size += len(chunk.encode("utf-8"))
    return "".join(out)


def timed(fn: Callable[[], Any], repeat: int = 2) -> tuple[float, float, float, Any]:
    """(best wall seconds, CPU seconds of that run, first-run wall seconds, result)."""
    best = (float("inf"), 0.0)
    first = 0.0
    result = None
    for k in range(repeat):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        w, c = time.perf_counter() - w, time.process_time() - c
        if k == 0:
            first = w
        if w < best[0]:
            best = (w, c)
        if k < repeat - 1:
            result = None
    return best[0], best[1], first, result


def build_store(shared: Path, path: Path) -> tuple[Glossary, float]:
    start = time.perf_counter()
    g = Glossary.open(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g.import_file(shared / NAMES, skip_bad_rows=True)
    return g, time.perf_counter() - start


def flashtext_processor(g: Glossary) -> Any:
    from flashtext import KeywordProcessor

    kp = KeywordProcessor()
    for ch in ARABIC_WORD_CHARS:
        kp.add_non_word_boundary(ch)
    rows = g.db.execute(
        "SELECT n.text, e.english FROM names n JOIN entities e ON e.id = n.entity_id "
        "WHERE n.lang = 'ar' AND n.status = 'approved'"
    )
    for text, english in rows:
        kp.add_keyword(text, english)
    return kp


def cli_runs(db: Path, corpus: str, files: int, workdir: Path) -> dict[str, Any]:
    exe = shutil.which("glossary") or str(Path(sys.executable).parent / "glossary")
    src = workdir / "corpus"
    src.mkdir()
    paras = corpus.split("\n\n")
    per = len(paras) // files + 1
    for i in range(files):
        (src / f"{i:03d}.txt").write_text("\n\n".join(paras[i * per : (i + 1) * per]), encoding="utf-8")
    tiny = workdir / "tiny"
    tiny.mkdir()
    (tiny / "a.txt").write_text("زيارة بيونج يانج", encoding="utf-8")
    env = {**os.environ, "GLOSSARY_DB": str(db)}

    def run(args: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run([exe, *args], check=True, env=env, capture_output=True)
        return time.perf_counter() - start

    fixed = run(["normalize", str(tiny), "--out-dir", str(workdir / "t")])
    one = run(["normalize", str(src), "--out-dir", str(workdir / "o1")])
    two = run(["normalize", str(src), "--out-dir", str(workdir / "o2"), "--jobs", "2"])
    for a, b in zip(sorted((workdir / "o1").iterdir()), sorted((workdir / "o2").iterdir()), strict=True):
        assert a.read_bytes() == b.read_bytes(), a
    mb = len(corpus.encode("utf-8")) / 1e6
    return {
        "files": files,
        "fixed_cost_s": round(fixed, 2),
        "jobs1_s": round(one, 2),
        "jobs2_s": round(two, 2),
        "speedup_total": round(one / two, 2),
        "speedup_processing": round((one - fixed) / max(two - fixed, 1e-9), 2),
        "jobs1_processing_mb_s": round(mb / max(one - fixed, 1e-9), 2),
        "jobs2_processing_mb_s": round(mb / max(two - fixed, 1e-9), 2),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--skip-cli", action="store_true")
    args = ap.parse_args()

    t = time.perf_counter()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    corpus = build_corpus(args.shared, args.mb)
    mb = len(corpus.encode("utf-8")) / 1e6
    print(f"corpus: {mb:.1f} MB, {len(corpus.split()):,} words, built in {time.perf_counter() - t:.1f}s")
    sample = corpus.encode("utf-8")[:1_000_000].decode("utf-8", "ignore")
    sample_mb = len(sample.encode("utf-8")) / 1e6

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "wikidata.db"
        g, import_s = build_store(args.shared, db)
        stats = g.stats()
        t = time.perf_counter()
        scanner = g.scanner
        index_s = time.perf_counter() - t
        print(f"glossary: {stats['entities']:,} entities, {stats['names']:,} names; import {import_s:.1f}s, "
              f"matcher + scanner index {index_s:.1f}s ({scanner.size:,} automaton keys)")

        # cold: the first pass of a process, where every spelling stored nowhere is
        # scored once by the matcher; warm: the same text again (those scores cached)
        cw, cc, _, mentions = timed(lambda: g.find_mentions(corpus), repeat=1)
        cold_calls = scanner.matcher_calls
        n_mentions = len(mentions)
        unstored = sum(not m.stored for m in mentions)
        del mentions
        fw, fc, _, _ = timed(lambda: g.find_mentions(corpus))
        scanner.clear_caches()
        ncw, ncc, _, _ = timed(lambda: g.normalize_text(corpus), repeat=1)
        nw, nc, _, res = timed(lambda: g.normalize_text(corpus))
        replaced = sum(m.replaced for m in res.mentions)
        del res
        print(f"{n_mentions:,} mentions ({unstored:,} through keys), {replaced:,} rewritten; "
              f"cold pass: {cold_calls:,} spellings scored by the matcher")

        t = time.perf_counter()
        kp = flashtext_processor(g)
        ft_build = time.perf_counter() - t
        ew, ec, _, found = timed(lambda: kp.extract_keywords(corpus), repeat=1)
        rw, rc, _, _ = timed(lambda: kp.replace_keywords(sample), repeat=1)
        ex, rp = mb / ew, sample_mb / rw
        print(f"flashtext: {len(found):,} keywords")
        rows = [
            ("find_mentions, warm", mb / fw, mb / fc, ex, "extract_keywords"),
            ("find_mentions, cold", mb / cw, mb / cc, ex, "extract_keywords"),
            ("normalize_text, warm", mb / nw, mb / nc, rp, "replace_keywords"),
            ("normalize_text, cold", mb / ncw, mb / ncc, rp, "replace_keywords"),
            ("flashtext extract_keywords", ex, mb / ec, None, ""),
            ("flashtext replace_keywords (1 MB)", rp, sample_mb / rc, None, ""),
        ]
        print(f"{'':34} {'MB/s wall':>10} {'MB/s CPU':>10}  vs FlashText (wall)")
        for label, wall, cpu, ref, ref_name in rows:
            vs = f"  {wall / ref:5.2f}x {ref_name}" if ref else ""
            print(f"{label:34} {wall:10.2f} {cpu:10.2f}{vs}")
        ratio_find = (mb / fw) / ex
        ratio_find_cold = (mb / cw) / ex
        ratio_norm = (mb / nw) / rp
        ratio_norm_cold = (mb / ncw) / rp

        cli: dict[str, Any] | None = None
        if not args.skip_cli:
            g.close()
            cli = cli_runs(db, corpus, args.files, Path(tmp))
            print(f"CLI --jobs 1: {cli['jobs1_s']}s, --jobs 2: {cli['jobs2_s']}s "
                  f"(fixed cost {cli['fixed_cost_s']}s): speed-up {cli['speedup_total']}x total, "
                  f"{cli['speedup_processing']}x on the processing")

    result = {
        "corpus_mb": round(mb, 2),
        "glossary": {"entities": stats["entities"], "names": stats["names"], "automaton_keys": scanner.size,
                     "import_s": round(import_s, 1), "index_s": round(index_s, 1)},
        "mentions": n_mentions,
        "mentions_through_keys": unstored,
        "rewritten": replaced,
        "cold_pass_matcher_calls": cold_calls,
        "project": {
            "find_mentions_warm_mb_s": round(mb / fw, 2),
            "find_mentions_warm_cpu_mb_s": round(mb / fc, 2),
            "find_mentions_cold_mb_s": round(mb / cw, 2),
            "find_mentions_cold_cpu_mb_s": round(mb / cc, 2),
            "normalize_text_warm_mb_s": round(mb / nw, 2),
            "normalize_text_warm_cpu_mb_s": round(mb / nc, 2),
            "normalize_text_cold_mb_s": round(mb / ncw, 2),
            "normalize_text_cold_cpu_mb_s": round(mb / ncc, 2),
        },
        "flashtext": {
            "build_s": round(ft_build, 1),
            "extract_keywords_mb_s": round(mb / ew, 2),
            "extract_keywords_cpu_mb_s": round(mb / ec, 2),
            "replace_keywords_mb_s_1mb": round(sample_mb / rw, 3),
            "replace_keywords_cpu_mb_s_1mb": round(sample_mb / rc, 3),
        },
        "ratios": {
            "find_warm_vs_extract": round(ratio_find, 2),
            "find_cold_vs_extract": round(ratio_find_cold, 2),
            "normalize_warm_vs_replace": round(ratio_norm, 1),
            "normalize_cold_vs_replace": round(ratio_norm_cold, 1),
        },
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cli": cli,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "seed": SEED,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
