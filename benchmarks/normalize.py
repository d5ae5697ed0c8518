"""Article normalization benchmark: the first pass over new text, against FlashText.

Builds, reproducibly (fixed seed), a corpus of at least ``--mb`` MB (UTF-8) from
the sentences of the two seed articles with names from
``data/names/wikidata-names-ar-en.tsv`` mixed in: each sentence gets one to
three names at random word positions; some carry a proclitic (و ل ب وب ف ك
وال بال لل), some are respelled within a sound class (ج/غ/ق/ك, س/ص, ت/ط, د/ض,
ح/ه) so that they are stored nowhere.  The glossary is that file imported
through :meth:`Glossary.import_file` (one entity per English name, about 65k
names), in a temporary store.

The headline is the **first pass** over text the process has never seen, as a
user (a batch job over an archive) meets it: a fresh process opens the store,
builds the index (``g.recognizer``, timed apart, its caches then cleared), and
times one pass over the whole corpus.  Every span that sounds like a stored
name without being one is scored by ``Matcher.search`` in that pass; the number
of distinct spans scored (``Recognizer.matcher_calls`` after it) is reported.
A fresh process rather than ``clear_caches()`` alone, because module-level
caches (the transliteration model's) outlive the recognizer's.

Measured in one run, on the same corpus and glossary:

* the project, each in its own fresh process: :meth:`Glossary.find_mentions`
  and :meth:`Glossary.normalize_text` over the whole corpus, MB/s (wall clock
  and CPU time), the first pass (headline), then the second pass (best of two
  more passes over the same text, the scores cached: a secondary figure);
  the first and the second pass must give the same mentions / text;
* FlashText 2.7, in each of the same processes after the project's passes: a
  ``KeywordProcessor`` over every stored Arabic spelling, with the Arabic
  letters and marks added to its word characters; ``extract_keywords`` over the
  whole corpus (the reference of both ratios) and ``replace_keywords`` over its
  first 1 MB (it is too slow for the whole corpus);
* the CLI: ``glossary normalize DIR --out-dir OUT`` over the corpus split into
  files, with ``--jobs 1`` and ``--jobs 2``, wall clock (each a first pass); a
  run over one tiny file gives the fixed cost (start-up and index build), so the
  speed-up of the processing itself is reported too.

``--mb`` defaults to 5 (it was 20).  With the recognizer of issue 14 the first
pass runs at about 0.26 MB/s (find_mentions, 5 MB, 2 CPUs, 2026-12-06) and
every run makes four first passes (find_mentions, normalize_text, the two CLI
runs): 5 MB took 159 s in all; 20 MB would take some 7 minutes (estimated from
the 5 MB rates, not measured).  Rates of runs with different ``--mb`` are not
comparable: the share of spellings not yet seen falls as the corpus grows
(0.5 MB: 0.12 MB/s).

The tree may be edited while this runs: each process records a digest of the
``glossary`` sources it imported, and the run warns when they differ.  To
measure one state of a tree in flux, copy ``src/`` and ``data/`` elsewhere and
run with ``PYTHONPATH=<copy>/src`` (the CLI runs inherit it).

Figures are written to ``benchmarks/results/normalize.json``.  The machine may
be shared: compare the ratios of one run, not absolute numbers across runs.

Usage::

    python benchmarks/normalize.py [--shared PATH] [--mb 5] [--files 40] [--skip-cli]
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


def source_digest() -> dict[str, str]:
    """Where ``glossary`` is imported from and a digest of its sources (the tree may be edited meanwhile)."""
    import hashlib

    import glossary

    pkg = Path(glossary.__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(pkg.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return {"package": str(pkg), "sha256": h.hexdigest()[:16]}


def mention_key(mentions: list[Any]) -> list[tuple[int, int, int, bool]]:
    return [(m.start, m.end, m.entity_id, m.ambiguous) for m in mentions]


def pass_worker(what: str, db: Path, corpus_path: Path) -> dict[str, Any]:
    """One fresh process: index build, first pass, second pass, then FlashText on the same text."""
    corpus = corpus_path.read_text(encoding="utf-8")
    mb = len(corpus.encode("utf-8")) / 1e6
    sample = corpus.encode("utf-8")[:1_000_000].decode("utf-8", "ignore")
    sample_mb = len(sample.encode("utf-8")) / 1e6
    g = Glossary.open(db)
    gc.collect()
    t = time.perf_counter()
    rec = g.recognizer
    index_s = time.perf_counter() - t
    rec.clear_caches()

    def run() -> Any:
        return g.find_mentions(corpus) if what == "find" else g.normalize_text(corpus)

    fw, fc, _, first = timed(run, repeat=1)
    calls = rec.matcher_calls
    out: dict[str, Any] = {"index_s": index_s, "first_s": fw, "first_cpu_s": fc, "matcher_calls": calls}
    if what == "find":
        out["mentions"] = len(first)
        out["mentions_through_keys"] = sum(not m.stored for m in first)
        out["ambiguous"] = sum(m.ambiguous for m in first)
        key = mention_key(first)
    else:
        out["mentions"] = len(first.mentions)
        out["rewritten"] = sum(m.replaced for m in first.mentions)
        key = [first.text]  # type: ignore[list-item]
    del first
    sw, sc, _, second = timed(run, repeat=2)
    out.update(second_s=sw, second_cpu_s=sc, matcher_calls_after_second=rec.matcher_calls)
    out["second_same_as_first"] = (mention_key(second) if what == "find" else [second.text]) == key
    del second, key
    t = time.perf_counter()
    kp = flashtext_processor(g)
    out["flashtext_build_s"] = time.perf_counter() - t
    ew, ec, _, found = timed(lambda: kp.extract_keywords(corpus), repeat=1)
    out.update(extract_s=ew, extract_cpu_s=ec, flashtext_keywords=len(found))
    if what == "normalize":
        rw, rc, _, _ = timed(lambda: kp.replace_keywords(sample), repeat=1)
        out.update(replace_s_1mb=rw, replace_cpu_s_1mb=rc, replace_sample_mb=sample_mb)
    out["mb"] = mb
    out["source"] = source_digest()
    g.close()
    return out


def run_pass_worker(what: str, db: Path, corpus_path: Path) -> dict[str, Any]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--pass-worker", what, "--db", str(db), "--corpus", str(corpus_path)],
        stdout=subprocess.PIPE, text=True, check=True,
    )
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_s"] = time.perf_counter() - start
    return out


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
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--pass-worker", choices=["find", "normalize"], help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pass_worker:
        print(json.dumps(pass_worker(args.pass_worker, args.db, args.corpus)))
        return

    started = time.perf_counter()
    source = source_digest()
    load_start = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}; load average at start: {' '.join(f'{x:.2f}' for x in load_start)} "
          f"({os.cpu_count()} CPUs)")
    t = time.perf_counter()
    corpus = build_corpus(args.shared, args.mb)
    mb = len(corpus.encode("utf-8")) / 1e6
    print(f"corpus: {mb:.1f} MB, {len(corpus.split()):,} words, built in {time.perf_counter() - t:.1f}s")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "wikidata.db"
        corpus_path = Path(tmp) / "corpus.txt"
        corpus_path.write_text(corpus, encoding="utf-8")
        g, import_s = build_store(args.shared, db)
        stats = g.stats()
        g.close()
        print(f"glossary: {stats['entities']:,} entities, {stats['names']:,} names; import {import_s:.1f}s",
              flush=True)

        find = run_pass_worker("find", db, corpus_path)
        print(f"find_mentions process: index {find['index_s']:.1f}s, first pass {find['first_s']:.1f}s "
              f"({find['matcher_calls']:,} distinct spans scored by the matcher), "
              f"{find['mentions']:,} mentions ({find['mentions_through_keys']:,} through keys, "
              f"{find['ambiguous']:,} ambiguous); second pass same mentions: {find['second_same_as_first']}",
              flush=True)
        norm = run_pass_worker("normalize", db, corpus_path)
        print(f"normalize_text process: index {norm['index_s']:.1f}s, first pass {norm['first_s']:.1f}s "
              f"({norm['matcher_calls']:,} distinct spans scored), {norm['mentions']:,} mentions, "
              f"{norm['rewritten']:,} rewritten; second pass same text: {norm['second_same_as_first']}", flush=True)

        ex_f = mb / find["extract_s"]
        ex_n = mb / norm["extract_s"]
        rp = norm["replace_sample_mb"] / norm["replace_s_1mb"]
        rows = [
            ("find_mentions, first pass", mb / find["first_s"], mb / find["first_cpu_s"], ex_f, "extract_keywords"),
            ("normalize_text, first pass", mb / norm["first_s"], mb / norm["first_cpu_s"], ex_n, "extract_keywords"),
            ("find_mentions, second pass", mb / find["second_s"], mb / find["second_cpu_s"], ex_f,
             "extract_keywords"),
            ("normalize_text, second pass", mb / norm["second_s"], mb / norm["second_cpu_s"], ex_n,
             "extract_keywords"),
            ("flashtext extract_keywords (find proc)", ex_f, mb / find["extract_cpu_s"], None, ""),
            ("flashtext extract_keywords (norm proc)", ex_n, mb / norm["extract_cpu_s"], None, ""),
            ("flashtext replace_keywords (1 MB)", rp, norm["replace_sample_mb"] / norm["replace_cpu_s_1mb"], None,
             ""),
        ]
        print(f"\n{'':40} {'MB/s wall':>10} {'MB/s CPU':>10}  vs FlashText in the same process (wall)")
        for label, wall, cpu, ref, ref_name in rows:
            vs = f"  {wall / ref:6.3f}x {ref_name}" if ref else ""
            print(f"{label:40} {wall:10.3f} {cpu:10.3f}{vs}")
        print(f"{'normalize_text, first pass vs replace_keywords (1 MB)':56} {(mb / norm['first_s']) / rp:6.3f}x")
        print(f"{'normalize_text, second pass vs replace_keywords (1 MB)':56} {(mb / norm['second_s']) / rp:6.3f}x\n")

        cli: dict[str, Any] | None = None
        if not args.skip_cli:
            cli = cli_runs(db, corpus, args.files, Path(tmp))
            print(f"CLI (first pass) --jobs 1: {cli['jobs1_s']}s, --jobs 2: {cli['jobs2_s']}s "
                  f"(fixed cost {cli['fixed_cost_s']}s): {cli['jobs1_processing_mb_s']} / "
                  f"{cli['jobs2_processing_mb_s']} MB/s on the processing; speed-up {cli['speedup_total']}x total, "
                  f"{cli['speedup_processing']}x on the processing")

    sources = {source["sha256"], find["source"]["sha256"], norm["source"]["sha256"], source_digest()["sha256"]}
    if len(sources) > 1:
        print(f"WARNING: the glossary sources changed during the run ({len(sources)} versions): the figures mix code")
    print(f"glossary imported from {source['package']} (sources {source['sha256']})")
    load_end = os.getloadavg()
    total = time.perf_counter() - started
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in load_end)}; whole run {total:.0f}s")

    def r(x: float, d: int = 3) -> float:
        return round(x, d)

    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "corpus_mb": round(mb, 2),
        "glossary": {"entities": stats["entities"], "names": stats["names"], "import_s": round(import_s, 1)},
        "headline": {
            "find_mentions_first_pass_mb_s": r(mb / find["first_s"]),
            "find_mentions_first_pass_cpu_mb_s": r(mb / find["first_cpu_s"]),
            "normalize_text_first_pass_mb_s": r(mb / norm["first_s"]),
            "normalize_text_first_pass_cpu_mb_s": r(mb / norm["first_cpu_s"]),
            "flashtext_extract_keywords_mb_s": r(ex_f),
            "find_first_vs_extract": r((mb / find["first_s"]) / ex_f),
            "normalize_first_vs_extract": r((mb / norm["first_s"]) / ex_n),
            "first_pass_matcher_calls": find["matcher_calls"],
        },
        "second_pass": {
            "find_mentions_mb_s": r(mb / find["second_s"]),
            "find_mentions_cpu_mb_s": r(mb / find["second_cpu_s"]),
            "normalize_text_mb_s": r(mb / norm["second_s"]),
            "normalize_text_cpu_mb_s": r(mb / norm["second_cpu_s"]),
            "find_second_vs_extract": r((mb / find["second_s"]) / ex_f),
            "normalize_second_vs_extract": r((mb / norm["second_s"]) / ex_n),
        },
        "flashtext_replace_keywords_1mb": {
            "mb_s": r(rp), "cpu_mb_s": r(norm["replace_sample_mb"] / norm["replace_cpu_s_1mb"]),
            "normalize_first_vs_replace": r((mb / norm["first_s"]) / rp),
            "normalize_second_vs_replace": r((mb / norm["second_s"]) / rp),
        },
        "find_process": {k: r(v) if isinstance(v, float) else v for k, v in find.items()},
        "normalize_process": {k: r(v) if isinstance(v, float) else v for k, v in norm.items()},
        "cli": cli,
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in load_end],
        "run_s": round(total),
        "glossary_source": source,
        "sources_unchanged_during_run": len(sources) == 1,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "seed": SEED,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
