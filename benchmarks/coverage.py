"""Coverage benchmark: how many everyday news names a fresh default store knows.

The names come from a real source the bundled glossary was not built from: the gold
entity spans of ANERcorp's test split (``shared/bench/anercorp-test.txt``, Arabic
newswire, one ``token TAG`` a line, BIO tags PERS/LOC/ORG/MISC).  Every distinct PERS,
LOC and ORG span is looked up (``Glossary.lookup(span, limit=1)``) on a fresh store
filled with the bundled glossary.  ANERcorp has no English, so a lookup counts as a
hit@1 when its first entity holds the span as a stored spelling (score 100: the same
spelling up to orthography) and has the kind of the tag (PERS person, LOC place, ORG
organization); ``any`` counts a first entity of any kind and score above the default
threshold.  Missing (no hit@1) is given by kind.  English lookups are not measured:
ANERcorp names have no English form, and no other real source of news names with
English at hand was left out of the glossary's build.

The same run measures the store on the running text (the gold sentences joined by
spaces): ``find_mentions`` precision (mentions overlapping a gold span / mentions)
and recall (gold spans overlapped / gold spans), so that a larger glossary that finds
more names in ordinary words shows; and the first-use cost: loading the bundled
files into a new store, and the first lookup (which builds the indexes).

Glossaries: ``before``, the bundled files of c6ce4ab (entities.csv and places.csv, read
from git), and ``after``, this checkout's ``data/*.csv``.  Run::

    python benchmarks/coverage.py [--shared ../shared]   # prints a table, writes results/coverage.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from glossary import Glossary, store  # noqa: E402
from glossary.normalize import normalize  # noqa: E402

KIND = {"PERS": "person", "LOC": "place", "ORG": "organization"}
BEFORE_COMMIT = "c6ce4ab"
OUT = ROOT / "benchmarks" / "results" / "coverage.json"


def read_gold(path: Path) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Running text and its gold spans ``(start, end, tag, text)``."""
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if sentences[-1]:
                sentences.append([])
            continue
        token, _, tag = line.rpartition(" ")
        sentences[-1].append((token, tag))
    text_parts: list[str] = []
    spans: list[tuple[int, int, str, str]] = []
    pos = 0
    for sent in sentences:
        if not sent:
            continue
        cur: list[int] | None = None
        for i, (token, tag) in enumerate(sent):
            start = pos
            text_parts.append(token)
            pos += len(token)
            if i < len(sent) - 1:
                text_parts.append(" ")
                pos += 1
            kind = tag[2:] if tag != "O" else ""
            if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[2] != kind)):
                cur = [start, start + len(token), kind]  # type: ignore[list-item]
                spans.append(cur)  # type: ignore[arg-type]
            elif tag.startswith("I-") and cur is not None:
                cur[1] = start + len(token)
            else:
                cur = None
        text_parts.append("\n")
        pos += 1
    text = "".join(text_parts)
    return text, [(s, e, str(k), text[s:e]) for s, e, k in spans]  # type: ignore[misc]


def measure(files: list[Path], text: str, spans: list[tuple[int, int, str, str]]) -> dict[str, object]:
    real = store.bundled_files
    store.bundled_files = lambda: files  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            g = Glossary.open(Path(tmp) / "g.db", defaults=True)
            t1 = time.perf_counter()
            g.lookup("واشنطن")
            t2 = time.perf_counter()
            stats = g.stats()
            names = {(k, s) for _, _, k, s in spans if k in KIND}
            hit: Counter[str] = Counter()
            anyhit: Counter[str] = Counter()
            total: Counter[str] = Counter()
            missing: dict[str, list[str]] = {k: [] for k in KIND}
            for kind, s in sorted(names):
                total[kind] += 1
                found = g.lookup(s, limit=1)
                if found:
                    anyhit[kind] += 1
                top = found[0] if found else None
                if (top is not None and top.score >= 100 and top.kind == KIND[kind]
                        and normalize(top.matched, "ar") == normalize(s, "ar")):
                    hit[kind] += 1
                else:
                    missing[kind].append(s)
            t3 = time.perf_counter()
            mentions = g.find_mentions(text)
            t4 = time.perf_counter()
            g.close()
    finally:
        store.bundled_files = real  # type: ignore[assignment]
    right = sum(any(m.start < e and s < m.end for s, e, _, _ in spans) for m in mentions)
    covered = sum(any(m.start < e and s < m.end for m in mentions) for s, e, _, _ in spans)
    return {
        "entities": stats["entities"],
        "names": stats["names"],
        "load_s": round(t1 - t0, 2),
        "first_lookup_s": round(t2 - t1, 2),
        "lookups_s": round(t3 - t2, 2),
        "find_mentions_s": round(t4 - t3, 2),
        "distinct_names": dict(total),
        "hit_at_1": {k: round(hit[k] / total[k], 3) for k in total},
        "hit_at_1_all": round(sum(hit.values()) / sum(total.values()), 3),
        "any_match": {k: round(anyhit[k] / total[k], 3) for k in total},
        "missing": {k: len(v) for k, v in missing.items()},
        "missing_examples": {k: v[:15] for k, v in missing.items()},
        "mentions": len(mentions),
        "precision": round(right / len(mentions), 3) if mentions else None,
        "recall": round(covered / len(spans), 3),
    }


def before_files(folder: Path) -> list[Path]:
    out = []
    for name in ("entities.csv", "places.csv"):
        data = subprocess.run(["git", "show", f"{BEFORE_COMMIT}:data/{name}"], cwd=ROOT, check=True,
                              capture_output=True).stdout
        (folder / name).write_bytes(data)
        out.append(folder / name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    text, spans = read_gold(args.shared / "bench" / "anercorp-test.txt")
    results: dict[str, object] = {"gold_spans": len(spans), "source": "shared/bench/anercorp-test.txt"}
    with tempfile.TemporaryDirectory() as tmp:
        results["before"] = measure(before_files(Path(tmp)), text, spans)
    results["after"] = measure(store.bundled_files(), text, spans)
    cols = ["entities", "names", "load_s", "first_lookup_s", "hit_at_1_all", "precision", "recall", "mentions"]
    print(f"{'':8}" + "".join(f"{c:>16}" for c in cols))
    for label in ("before", "after"):
        r = results[label]
        assert isinstance(r, dict)
        print(f"{label:8}" + "".join(f"{r[c]!s:>16}" for c in cols))
        print(f"{'':8}hit@1 by kind {r['hit_at_1']}  any match {r['any_match']}  missing {r['missing']}")
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
