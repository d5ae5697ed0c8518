"""Cold start: what one command costs in a fresh process, with a realistic glossary.

A translator types one lookup at a time; a batch job starts workers.  Each is a
new process, so what matters is the wall time and memory of one command from
nothing, not a lookup in a warm loop.  This measures, in the same run, the code
of this checkout ("after") and of an earlier revision ("before", ``--before
REV``, checked out in a temporary worktree and run with its own ``PYTHONPATH``):

* one CLI lookup (the console script: ``glossary --db STORE lookup سيرغي``): wall time and peak RSS
  (``/usr/bin/time``), median of ``--repeat`` fresh processes;
* one CLI normalize of a seed article (``seeds/000_*.txt``, to standard output);
* time to the first answer of ``Glossary.open`` + ``lookup`` in a fresh
  interpreter (imports included);
* the index: its build time (the first use after a bulk import), its size on
  disk, and the time to bring it up to date after adding 1, 100 and 10,000
  names (the add, then one lookup in a new process);
* that the index opened from its file answers exactly as one rebuilt from the
  store: the same top 5 for every query of ``bench/variants-dev.tsv`` and the
  same mentions in ``bench/anercorp-test.txt``.

The processes may write their bytecode, as an installed package has it (pip compiles it at install
time): a first untimed run of each code writes it.

Stores: the 65k names of ``data/names/wikidata-names-ar-en.tsv`` (imported as a
bulk list), and with ``--scale`` 1,000,000 names (those plus two-part names
composed from them, as ``benchmarks/variants.py --scale`` makes them).  Each
store is made by the *before* code (so that revision can open it) and copied
for the *after* code, which migrates its copy.

Usage::

    python benchmarks/coldstart.py [--before REV] [--scale] [--repeat 5] [--shared ../shared]

It prints Markdown tables and writes ``benchmarks/results/coldstart.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
SEED = next((REPO / "seeds").glob("000_*.txt"))
QUERY = "سيرغي"

# --------------------------------------------------------------------------- processes


def timed(cmd: Sequence[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MiB) of one fresh process, and its standard output."""
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *cmd], input=stdin, capture_output=True, text=True, env=env, check=False
    )
    if out.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr[-2000:]}")
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, out.stdout


def median_run(cmd: Sequence[str], env: dict[str, str], repeat: int) -> dict[str, float]:
    runs = [timed(cmd, env) for _ in range(repeat)]
    return {"wall_s": statistics.median(r[0] for r in runs), "rss_mib": max(r[1] for r in runs)}


def python(src: Path, code: str, env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    if out.returncode:
        raise RuntimeError(f"python -c failed ({out.returncode}): {out.stderr[-3000:]}")
    return out.stdout.strip().splitlines()[-1]


def env_for(src: Path) -> dict[str, str]:
    """A user's environment: an installed package has its bytecode compiled (pip does it), so the
    processes may write ``__pycache__`` (a sandbox's PYTHONDONTWRITEBYTECODE would make every run
    recompile the package, some 60 ms a process that no user pays)."""
    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1", "PYTHONWARNINGS": "ignore"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def console() -> list[str]:
    """The console script a user types (``PYTHONPATH`` picks the code measured), else ``-m``."""
    script = Path(sys.executable).with_name("glossary")
    return [str(script)] if script.exists() else [sys.executable, "-m", "glossary.cli"]


def cli(db: Path, *args: str) -> list[str]:
    return [*console(), "--db", str(db), *args]


# --------------------------------------------------------------------------- stores


def make_store(src: Path, tsv: Path, db: Path) -> float:
    """Import ``tsv`` as a bulk list with the code at ``src``; seconds taken."""
    code = (
        "import time, warnings; t = time.perf_counter(); from glossary import Glossary; "
        "warnings.simplefilter('ignore'); "
        f"g = Glossary.open({str(db)!r}); g.import_file({str(tsv)!r}, skip_bad_rows=True); "
        "g.db.execute('PRAGMA wal_checkpoint(TRUNCATE)'); g.close(); print(time.perf_counter() - t)"
    )
    return float(python(src, code, env_for(src)))


def scale_tsv(shared: Path, tmp: Path, total: int) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import variants

    with (shared / "data" / "names" / "wikidata-names-ar-en.tsv").open(encoding="utf-8") as fh:
        parts = list(csv.DictReader(fh, delimiter="\t"))
    out = tmp / "scale.tsv"
    variants.write_tsv(out, parts, variants.compose_names(parts, total))
    return out


# --------------------------------------------------------------------------- measurements

FIRST_ANSWER = """
import time
t = time.perf_counter()
from glossary import Glossary
g = Glossary.open({db!r})
hits = g.lookup({q!r})
print(time.perf_counter() - t)
"""

ADD_NAMES = """
import time, warnings
warnings.simplefilter("ignore")
from glossary import Glossary
letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
def word(i):
    out = ""
    for _ in range(4):
        i, r = divmod(i, len(letters))
        out += letters[r]
    return out
g = Glossary.open({db!r})
t = time.perf_counter()
if {n} == 1:
    g.add("Coldstart Zzq", "كولدستارت " + word(0), kind="person")
else:
    path = {db!r} + ".names.tsv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("english\\tarabic\\n")
        for i in range({n}):
            fh.write(f"Coldstart {{i}} Zzq\\tكولدستارت {{word(i + {offset})}}\\n")
    g.import_file(path)
print(time.perf_counter() - t)
"""

SAME_ANSWERS = """
import csv, json, statistics, time, warnings
warnings.simplefilter("ignore")
from glossary import Glossary
from glossary.indexing import Indexes
lazy = Glossary.open({db!r})
mem = Glossary.open({db!r})
mem._indexes.path = None  # rebuilt from the store's rows, in memory
with open({variants!r}, encoding="utf-8") as fh:
    queries = [r["query"] for r in csv.DictReader(fh, delimiter="\\t")]
def top(g, q):
    return [(m.entity_id, m.score, m.reason) for m in g.lookup(q)]
def timed(g):
    out, times = [], []
    for q in queries:
        t = time.perf_counter()
        out.append(top(g, q))
        times.append(time.perf_counter() - t)
    return out, 1000 * statistics.median(times), 1000 * sorted(times)[int(0.95 * len(times))]
a, lazy_p50, lazy_p95 = timed(lazy)  # opened from the index file: every entry read when first needed
mem.lookup("x")  # built from the store's rows, in memory (the build is not timed)
b, mem_p50, mem_p95 = timed(mem)
diff = sum(x != y for x, y in zip(a, b))
words = []
with open({anercorp!r}, encoding="utf-8") as fh:
    for line in fh:
        if line.strip():
            words.append(line.split(" ")[0])
text = " ".join(words)
def spans(g):
    return [(m.start, m.end, m.entity_id, m.score) for m in g.find_mentions(text)]
a, b = spans(lazy), spans(mem)
print(json.dumps({{"queries": len(queries), "top5_differ": diff, "mentions": len(a), "mentions_same": a == b,
                  "lookup_p50_ms_file": lazy_p50, "lookup_p95_ms_file": lazy_p95,
                  "lookup_p50_ms_memory": mem_p50, "lookup_p95_ms_memory": mem_p95}}))
"""


def measure(label: str, src: Path, db: Path, repeat: int, persisted: bool, shared: Path) -> dict[str, Any]:
    env = env_for(src)
    out: dict[str, Any] = {"code": label}
    index = Path(str(db) + ".index")
    if not persisted:  # the first run writes the bytecode (a pip install does it at install time)
        subprocess.run(cli(db, "lookup", QUERY), env=env, capture_output=True, check=False)
    if persisted:
        t = time.perf_counter()
        subprocess.run(cli(db, "lookup", QUERY), env=env, capture_output=True, check=False)
        out["index_build_s"] = time.perf_counter() - t
        out["index_mib"] = index.stat().st_size / 2**20 if index.exists() else None
    print(f"  [{label}] CLI lookup x{repeat}", file=sys.stderr, flush=True)
    out["lookup"] = median_run(cli(db, "lookup", QUERY), env, repeat)
    print(f"  [{label}] CLI normalize x{repeat}", file=sys.stderr, flush=True)
    out["normalize"] = median_run(cli(db, "normalize", str(SEED)), env, repeat)
    out["first_answer_s"] = statistics.median(
        float(python(src, FIRST_ANSWER.format(db=str(db), q=QUERY), env)) for _ in range(repeat)
    )
    out["help"] = median_run([*console(), "--help"], env, repeat)
    if persisted:
        out["same_answers"] = json.loads(python(src, SAME_ANSWERS.format(
            db=str(db), variants=str(shared / "bench" / "variants-dev.tsv"),
            anercorp=str(shared / "bench" / "anercorp-test.txt")), env))
    updates = {}
    offset = 1
    for n in (1, 100, 10_000):
        print(f"  [{label}] add {n} names, then one lookup", file=sys.stderr, flush=True)
        add_s = float(python(src, ADD_NAMES.format(db=str(db), n=n, offset=offset), env))
        offset += n
        wall, rss, _ = timed(cli(db, "lookup", "كولدستارت"), env)
        updates[str(n)] = {"add_s": add_s, "next_lookup_s": wall, "next_lookup_rss_mib": rss}
    out["updates"] = updates
    return out


# --------------------------------------------------------------------------- report


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    cells = [[f"{v:.2f}" if isinstance(v, float) else str(v) for v in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    return "\n".join(lines)


def report(runs: list[dict[str, Any]]) -> str:
    rows = []
    for r in runs:
        m = r["result"]
        rows.append([r["store"], m["code"], m["lookup"]["wall_s"], m["lookup"]["rss_mib"], m["normalize"]["wall_s"],
                     m["normalize"]["rss_mib"], m["first_answer_s"], m["help"]["wall_s"],
                     m.get("index_build_s", "-"), m.get("index_mib", "-")])
    out = [table(["store", "code", "lookup s", "lookup MiB", "normalize s", "normalize MiB", "open+lookup s",
                  "--help s", "index build s", "index MiB"], rows)]
    rows = []
    for r in runs:
        m = r["result"]
        for n, u in m["updates"].items():
            rows.append([r["store"], m["code"], n, u["add_s"], u["next_lookup_s"], u["next_lookup_rss_mib"]])
    out.append(table(["store", "code", "names added", "add s", "next CLI lookup s", "its MiB"], rows))
    same = [[r["store"], r["result"]["code"], s["queries"], s["top5_differ"], s["mentions"], s["mentions_same"],
             s.get("lookup_p50_ms_file", "-"), s.get("lookup_p50_ms_memory", "-")]
            for r in runs if (s := r["result"].get("same_answers"))]
    if same:
        out.append(table(["store", "code", "variant queries", "top 5 differ", "mentions", "mentions same",
                          "lookup p50 ms, from the file", "in memory"], same))
    return "\n\n".join(out)


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", help="an earlier revision to measure in the same run")
    ap.add_argument("--scale", action="store_true", help="also at 1,000,000 names")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="coldstart-"))
    tree = tmp / "before"
    codes: list[tuple[str, Path, bool]] = [("after", REPO / "src", True)]
    if args.before:
        git("worktree", "add", "--detach", str(tree), args.before)
        for so in (REPO / "src" / "glossary").glob("_fit*.so"):  # the compiled fit kernel, if _fit.c is the same
            if not git("diff", args.before, "--", "src/glossary/_fit.c"):
                shutil.copy2(so, tree / "src" / "glossary" / so.name)
        codes.insert(0, (f"before ({args.before})", tree / "src", False))
    runs: list[dict[str, Any]] = []
    try:
        stores = [("65k", args.shared / "data" / "names" / "wikidata-names-ar-en.tsv")]
        if args.scale:
            stores.append(("1M", scale_tsv(args.shared, tmp, 1_000_000)))
        for name, tsv in stores:
            base = tmp / f"{name}.db"
            print(f"{name}: importing {tsv.name} with {codes[0][0]}", file=sys.stderr, flush=True)
            import_s = make_store(codes[0][1], tsv, base)
            for label, src, persisted in codes:
                db = tmp / f"{name}-{label.split()[0]}.db"
                shutil.copyfile(base, db)
                print(f"{name}: measuring {label}", file=sys.stderr, flush=True)
                runs.append({"store": name, "import_s": import_s, "result": measure(
                    label, src, db, args.repeat, persisted, args.shared)})
    finally:
        if args.before:
            git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(tmp, ignore_errors=True)
    text = report(runs)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "coldstart.json").write_text(json.dumps({
        "date": time.strftime("%Y-%m-%d %H:%M"), "commit": git("rev-parse", "--short", "HEAD"),
        "cpus": os.cpu_count(), "repeat": args.repeat, "runs": runs,
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
