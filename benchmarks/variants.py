"""Variant benchmark: resolve Arabic spellings nobody stored, against real data.

Imports ``data/names/wikidata-names-ar-en.tsv`` from the shared folder through
:meth:`Glossary.import_file` (one entity per English name, with the file's
``frequency`` column as the entity's frequency), looks up every
query of ``bench/variants-dev.tsv`` with :meth:`Glossary.lookup`, and reports
recall@1, recall@5, p50/p95 latency per lookup, index build time and index
memory, for the project and for the baseline of ``shared/README.md`` (strip
diacritics and tatweel, unify alef/yeh/teh-marbuta, then
``rapidfuzz.process.extract(q, every_spelling, scorer=fuzz.ratio, limit=5)``),
in the same process.  Entities are keyed by English name as the product keys
them (after normalization, so ``rodriguez`` and ``rodríguez`` are one entity
with two Arabic spellings); a hit compares normalized English names, for the
project and the baseline alike.

``--scale`` adds the same benchmark over 1,000,000 stored entities: the
Wikidata entries plus full names composed from two Wikidata parts (drawn with
a fixed seed, weighted by the parts' frequency, so the result is
reproducible).  It also measures multi-word queries at that scale: composed
names whose first part is spelled as a dev-set query.

Index memory is the Python heap held by the index, measured with
``tracemalloc`` on a second, untimed build (the timed build runs without
tracing); the run's peak RSS (``ru_maxrss``) is printed too.  Latency is
wall-clock per call on one core; compare ratios, not absolute numbers, across
machines.

Usage::

    python benchmarks/variants.py [--shared PATH] [--limit-queries N] [--scale]
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from glossary import Glossary
from glossary.matching import NameRecord
from glossary.normalize import normalize
from glossary.transliteration import clear_caches

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "variants.json"
NAMES = Path("data/names/wikidata-names-ar-en.tsv")
QUERIES = Path("bench/variants-dev.tsv")
SCALE_ENTITIES = 1_000_000
SEED = 20240116


# ----------------------------------------------------------------------------- helpers


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (ru_maxrss)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def traced_size(build: Callable[[], object]) -> float:
    """MiB of Python heap held by what ``build`` returns (tracemalloc, a separate build)."""
    gc.collect()
    tracemalloc.start()
    try:
        obj = build()
        gc.collect()
        size = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del obj
    return size / 2**20


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def pin_one_core() -> str:
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return "pinned to one core"
    except (AttributeError, OSError):
        return "not pinned"


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    idx = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[idx]


def evaluate(
    lookup: Callable[[str], list[str]], queries: Sequence[tuple[str, str]]
) -> dict[str, float]:
    """Recall@1/@5 and latency of ``lookup`` (query -> English names, best first).

    The transliteration model's caches are emptied first: every run starts cold,
    so a run does not profit from an earlier run over the same queries.
    """
    clear_caches()
    hit1 = hit5 = 0
    times: list[float] = []
    for query, expected_raw in queries:
        start = time.perf_counter()
        found = lookup(query)
        times.append(time.perf_counter() - start)
        expected = normalize(expected_raw, "en")
        got = [normalize(e, "en") for e in found]
        if got[:1] == [expected]:
            hit1 += 1
        if expected in got[:5]:
            hit5 += 1
    n = max(1, len(queries))
    return {
        "queries": len(queries),
        "recall@1": hit1 / n,
        "recall@5": hit5 / n,
        "p50_ms": statistics.median(times) * 1000 if times else float("nan"),
        "p95_ms": percentile(times, 0.95) * 1000,
    }


# ----------------------------------------------------------------------------- baseline

_BASELINE_TABLE = str.maketrans(
    {
        **{c: None for c in "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"},
        **dict.fromkeys("أإآٱ", "ا"),
        "ى": "ي",
        "ة": "ه",
    }
)


def baseline_normalize(text: str) -> str:
    """The README's plain approach: diacritics and tatweel out, alef/yeh/teh-marbuta unified."""
    return text.translate(_BASELINE_TABLE).strip()


class Baseline:
    """``rapidfuzz.process.extract`` with ``fuzz.ratio`` over every stored Arabic spelling."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.choices = [baseline_normalize(ar) for _, ar in pairs]
        self.english = [en for en, _ in pairs]

    def lookup(self, query: str) -> list[str]:
        found = process.extract(baseline_normalize(query), self.choices, scorer=fuzz.ratio, limit=5)
        return [self.english[i] for _, _, i in found]


# ----------------------------------------------------------------------------- project


def build_glossary(tsv: Path, store: Path) -> tuple[Glossary, dict[str, float]]:
    """Import ``tsv`` into a fresh store and build the lookup index; time both."""
    g = Glossary.open(store)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rows the importer merges or skips are warned about
        start = time.perf_counter()
        # English names equal after normalization merge into one entity; rows the
        # importer rejects (e.g. Arabic letters in the english column) are skipped
        g.import_file(tsv, skip_bad_rows=True)
        import_s = time.perf_counter() - start
    bad_rows = len(g.last_import.bad_rows) if g.last_import is not None else 0
    gc.collect()
    start = time.perf_counter()
    matcher = g.matcher  # builds the in-memory index
    build_s = time.perf_counter() - start
    gc.collect()
    index_mb = traced_size(lambda: type(matcher)(
        NameRecord(*r) for r in g.db.execute(
            "SELECT n.id, n.entity_id, n.text, n.lang, n.role, coalesce(e.frequency, 0) "
            "FROM names n JOIN entities e ON e.id = n.entity_id WHERE n.status = 'approved'"
        )
    ))
    return g, {
        "import_s": import_s,
        "build_s": build_s,
        "index_mb": index_mb,
        "names_indexed": len(matcher),
        "rows_skipped": bad_rows,
    }


def project_lookup(g: Glossary) -> Callable[[str], list[str]]:
    def lookup(query: str) -> list[str]:
        return [m.english for m in g.lookup(query, limit=5)]

    return lookup


def measure_baseline(pairs: Sequence[tuple[str, str]], queries: Sequence[tuple[str, str]]) -> dict[str, float]:
    gc.collect()
    start = time.perf_counter()
    base = Baseline(pairs)
    build_s = time.perf_counter() - start
    mem = traced_size(lambda: Baseline(pairs))
    result = evaluate(base.lookup, queries)
    result.update(build_s=build_s, index_mb=mem)
    del base
    gc.collect()
    return result


# ----------------------------------------------------------------------------- scale data


def compose_names(
    parts: Sequence[dict[str, str]], total: int, seed: int = SEED
) -> list[tuple[str, str]]:
    """``total - len(parts)`` two-part full names (English, Arabic) drawn from the parts.

    Parts are drawn independently, weighted by their Wikidata frequency, with a
    fixed seed; English full names are unique and differ from every part.
    """
    rng = random.Random(seed)
    english = [p["english"] for p in parts]
    arabic = [p["arabic"] for p in parts]
    weights = [max(1, int(p.get("frequency") or 1)) for p in parts]
    seen = {e.casefold() for e in english}
    out: list[tuple[str, str]] = []
    need = total - len(parts)
    idx = range(len(parts))
    while len(out) < need:
        firsts = rng.choices(idx, weights=weights, k=need)
        lasts = rng.choices(idx, weights=weights, k=need)
        for i, j in zip(firsts, lasts, strict=True):
            if i == j:
                continue
            en = f"{english[i]} {english[j]}"
            key = en.casefold()
            if key in seen:
                continue
            seen.add(key)
            out.append((en, f"{arabic[i]} {arabic[j]}"))
            if len(out) == need:
                break
    return out


def write_tsv(path: Path, parts: Sequence[dict[str, str]], composed: Sequence[tuple[str, str]]) -> None:
    """The Wikidata rows as they are (frequency included), then the composed names (frequency unknown)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        w.writerow(["english", "arabic", "frequency"])
        w.writerows((p["english"], p["arabic"], p.get("frequency") or "") for p in parts)
        w.writerows((en, ar, "") for en, ar in composed)


def multiword_queries(
    composed: Sequence[tuple[str, str]], dev: Sequence[tuple[str, str]], n: int, seed: int = SEED
) -> list[tuple[str, str]]:
    """Queries for composed names whose first part is a dev-set entity, spelled as the dev query."""
    variant_of: dict[str, str] = {}
    for query, expected in dev:
        variant_of.setdefault(expected, query)
    pool = [(en, ar) for en, ar in composed if en.split(" ", 1)[0] in variant_of]
    rng = random.Random(seed)
    rng.shuffle(pool)
    out = []
    for en, ar in pool[:n]:
        first, rest_ar = en.split(" ", 1)[0], ar.split(" ", 1)[1]
        out.append((f"{variant_of[first]} {rest_ar}", en))
    return out


# ----------------------------------------------------------------------------- report


def fmt_table(rows: list[dict[str, object]]) -> str:
    cols = [
        ("run", "run"), ("system", "system"), ("queries", "queries"),
        ("recall@1", "recall@1"), ("recall@5", "recall@5"),
        ("p50 ms", "p50_ms"), ("p95 ms", "p95_ms"),
        ("build s", "build_s"), ("index MiB", "index_mb"),
    ]
    lines = ["| " + " | ".join(c for c, _ in cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        cells = []
        for _, key in cols:
            v = r.get(key, "")
            if isinstance(v, float):
                v = f"{v:.3f}" if key.startswith("recall") else f"{v:.2f}"
            cells.append(str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the shared data folder (default: ../shared beside the repo)")
    ap.add_argument("--limit-queries", type=int, default=None, help="only the first N dev queries")
    ap.add_argument("--scale", action="store_true", help="also run with 1,000,000 stored entities")
    ap.add_argument("--scale-baseline-queries", type=int, default=200,
                    help="queries the (slow) baseline runs at 1M (default 200)")
    ap.add_argument("--json", type=Path, default=RESULTS, help=f"where to write JSON (default {RESULTS})")
    args = ap.parse_args(argv)

    names_tsv = args.shared / NAMES
    parts = read_tsv(names_tsv)
    dev = [(r["query"], r["expected_english"]) for r in read_tsv(args.shared / QUERIES)]
    if args.limit_queries:
        dev = dev[: args.limit_queries]
    pinned = pin_one_core()
    pairs = [(p["english"], p["arabic"]) for p in parts]
    rows: list[dict[str, object]] = []
    report: dict[str, object] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu": pinned,
        "memory": "index MiB = heap held by the index (tracemalloc, separate untimed build)",
        "names_file": str(NAMES),
        "queries_file": str(QUERIES),
    }

    with tempfile.TemporaryDirectory() as tmp:
        g, build = build_glossary(names_tsv, Path(tmp) / "g.db")
        proj = evaluate(project_lookup(g), dev)
        proj.update(build)
        rows.append({"run": "65k", "system": "glossary", **proj})
        g.close()
        del g
        gc.collect()
        base = measure_baseline(pairs, dev)
        rows.append({"run": "65k", "system": "baseline", **base})
        report["65k"] = {"glossary": proj, "baseline": base}

        if args.scale:
            composed = compose_names(parts, SCALE_ENTITIES)
            big = Path(tmp) / "scale.tsv"
            write_tsv(big, parts, composed)
            g, build = build_glossary(big, Path(tmp) / "scale.db")
            proj_s = evaluate(project_lookup(g), dev)
            proj_s.update(build)
            rows.append({"run": "1M", "system": "glossary", **proj_s})
            multi = multiword_queries(composed, dev, 500)
            proj_m = evaluate(project_lookup(g), multi)
            rows.append({"run": "1M multi-word", "system": "glossary", **proj_m})
            g.close()
            del g
            gc.collect()
            all_pairs = pairs + composed
            base_s = measure_baseline(all_pairs, dev[: args.scale_baseline_queries])
            rows.append({"run": "1M", "system": "baseline", **base_s})
            report["1M"] = {
                "entities": len(all_pairs),
                "composed_seed": SEED,
                "glossary": proj_s,
                "glossary_multiword": proj_m,
                "baseline": base_s,
                "growth_65k_to_1M": {
                    "p50": proj_s["p50_ms"] / proj["p50_ms"],
                    "build": proj_s["build_s"] / proj["build_s"],
                    "memory": proj_s["index_mb"] / max(proj["index_mb"], 1e-9),
                },
            }
    ratios = {
        "recall@1": proj["recall@1"] / max(base["recall@1"], 1e-9),
        "recall@5": proj["recall@5"] / max(base["recall@5"], 1e-9),
        "p50_speedup": base["p50_ms"] / proj["p50_ms"],
    }
    report["ratios_65k"] = ratios
    report["peak_rss_mb"] = peak_rss_mb()
    table = fmt_table(rows)
    print(table)
    print(
        f"\nratios at 65k (glossary / baseline): recall@1 x{ratios['recall@1']:.2f}, "
        f"recall@5 x{ratios['recall@5']:.2f}, p50 {ratios['p50_speedup']:.1f}x faster"
    )
    if "1M" in report:
        growth = report["1M"]["growth_65k_to_1M"]  # type: ignore[index]
        print(
            f"growth 65k -> 1M: p50 x{growth['p50']:.2f}, build x{growth['build']:.1f}, "
            f"index memory x{growth['memory']:.1f}"
        )
    print(f"peak RSS of the run: {report['peak_rss_mb']:.0f} MiB (ru_maxrss)")
    report["table"] = table
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
