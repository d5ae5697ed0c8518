"""Start-up cost of the package and its command line, each in a fresh process (issue 16, lazy start).

What is measured, for the code in the working tree (and, with ``--before REV``, for an older
commit in the same run):

1. ``python -c pass``: the interpreter alone, the floor under everything else;
2. ``python -c "import glossary"``;
3. ``python -c "from glossary import Glossary"``;
4. ``glossary --help`` (the console script beside this Python; ``python -m glossary.cli``
   where there is none);
5. ``glossary --db DB lookup QUERY``: one lookup, start to exit (opening the store, building
   the matcher, answering).  ``--db`` names the store; by default each revision gets a temporary
   store it fills itself from the bundled data (``Glossary.open(path, defaults=True)``), so a
   revision never reads a store another revision migrated.

Each command runs once unmeasured (the page cache), then ``--repeat`` times; the repetitions
of the commands and revisions are interleaved, so a load from other jobs on a shared machine
falls on all of them alike.  Wall time is the median (and the minimum) over the repetitions;
peak RSS is GNU time's ``%M`` of the process (``ru_maxrss`` from ``os.wait4`` where
``/usr/bin/time`` is missing), the median.  One more run of
each command lists which heavy modules are in ``sys.modules`` when it exits (NumPy,
RapidFuzz, sqlite-utils, multiprocessing, defusedxml and the package's TM, batch and
exchange modules).

``--before REV``: a ``git worktree`` of REV is made in a temporary folder (removed at the end)
and every command runs with ``PYTHONPATH=<worktree>/src``; the working tree's code runs with
``PYTHONPATH=<repo>/src``.  The compiled transliteration kernel (``glossary._fit``, untracked)
is copied into the worktree when its C source is the same at REV, so both revisions run it.

The table is printed and written, with the runs, to ``benchmarks/results/startup.json``.
Timings are of this machine at this moment: compare the revisions of one run.

Usage::

    python benchmarks/startup.py [--before REV] [--repeat 7] [--db STORE] [--query سيرغي]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
RESULTS = REPO / "benchmarks" / "results" / "startup.json"
QUERY = "سيرغي"
#: Modules whose loading a start-up should not pay for unless it uses them.
HEAVY = (
    "numpy", "rapidfuzz", "sqlite_utils", "multiprocessing", "concurrent.futures", "defusedxml",
    "importlib.metadata", "glossary.tm", "glossary.batch", "glossary.exchange", "glossary.matching",
    "glossary.recognition",
)
COMMANDS = ("pass", "import glossary", "from glossary import Glossary", "glossary --help", "glossary lookup")


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout.strip()


def cli() -> list[str]:
    """The console script installed beside this Python, else the module."""
    script = Path(sys.executable).with_name("glossary")
    return [str(script)] if script.exists() else [sys.executable, "-m", "glossary.cli"]


def argv_of(command: str, db: Path, query: str) -> list[str]:
    py = sys.executable
    return {
        "pass": [py, "-c", "pass"],
        "import glossary": [py, "-c", "import glossary"],
        "from glossary import Glossary": [py, "-c", "from glossary import Glossary"],
        "glossary --help": [*cli(), "--help"],
        "glossary lookup": [*cli(), "--db", str(db), "lookup", query],
    }[command]


#: GNU time, for the peak RSS of the measured process alone (``ru_maxrss`` of a child of this
#: script would count this script's own pages, which the child holds until it calls exec).
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def run_once(argv: Sequence[str], env: dict[str, str], scratch: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process; exit codes 0 and 1 (no match) are fine."""
    rss_file = scratch / "rss"
    timed = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *argv] if GNU_TIME else list(argv)
    start = time.perf_counter()
    proc = subprocess.Popen(timed, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
    if GNU_TIME:
        kb = float(rss_file.read_text().split()[-1])
    else:  # ru_maxrss: kilobytes on Linux, bytes on macOS
        kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return wall, kb / 1024


#: Runs a command's code or script, then writes the names in ``sys.modules`` at exit to a file.
_RECORD = (
    "import atexit, os, sys\n"
    "atexit.register(lambda: open(os.environ['STARTUP_MODULES'], 'w').write('\\n'.join(sys.modules)))\n"
)
_RUN_SCRIPT = "import runpy\nsys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')\n"


def heavy_modules(argv: Sequence[str], env: dict[str, str], scratch: Path) -> list[str]:
    """The modules of :data:`HEAVY` in ``sys.modules`` when one run of ``argv`` exits (whoever
    imported them, ``importlib.import_module`` too, which ``-X importtime`` does not show)."""
    record = scratch / "modules"
    if argv[0] == sys.executable and argv[1] == "-c":
        wrapped = [sys.executable, "-c", _RECORD + argv[2], *argv[3:]]
    elif argv[0] == sys.executable:  # python -m glossary.cli …
        wrapped = [sys.executable, "-c", _RECORD + "import runpy\nsys.argv = sys.argv[1:]\n"
                   "runpy.run_module(sys.argv.pop(1), run_name='__main__', alter_sys=True)\n", *argv[1:]]
    else:  # a console script: run its file under this Python
        wrapped = [sys.executable, "-c", _RECORD + _RUN_SCRIPT, *argv]
    subprocess.run(wrapped, env={**env, "STARTUP_MODULES": str(record)}, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    loaded = set(record.read_text().split("\n"))
    return [m for m in HEAVY if m in loaded]


def make_store(src: Path, folder: Path) -> Path:
    """A store filled from the bundled data by the code in ``src``."""
    db = folder / "bundled.db"
    code = "import sys; from glossary import Glossary; Glossary.open(sys.argv[1], defaults=True).close()"
    subprocess.run([sys.executable, "-c", code, str(db)], env=env_for(src), check=True)
    return db


def env_for(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def measure(
    revisions: dict[str, Path], stores: dict[str, Path], query: str, repeat: int, scratch: Path
) -> dict[str, Any]:
    envs = {rev: env_for(src) for rev, src in revisions.items()}
    samples: dict[str, dict[str, list[tuple[float, float]]]] = {r: {c: [] for c in COMMANDS} for r in revisions}
    for rev in revisions:  # warm-up: byte-code caches and the page cache, unmeasured
        for command in COMMANDS:
            run_once(argv_of(command, stores[rev], query), envs[rev], scratch)
    for i in range(repeat):
        print(f"repetition {i + 1}/{repeat}", file=sys.stderr, flush=True)
        for command in COMMANDS:
            for rev in revisions:
                samples[rev][command].append(
                    run_once(argv_of(command, stores[rev], query), envs[rev], scratch)
                )
    result: dict[str, Any] = {}
    for rev in revisions:
        result[rev] = {}
        for command in COMMANDS:
            walls = [w for w, _ in samples[rev][command]]
            rss = [m for _, m in samples[rev][command]]
            result[rev][command] = {
                "median_s": statistics.median(walls), "min_s": min(walls),
                "peak_rss_mb": statistics.median(rss), "walls": walls, "rss_mb": rss,
                "heavy_modules": heavy_modules(argv_of(command, stores[rev], query), envs[rev], scratch),
            }
    return result


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    cells = [[(f"{v:.3f}" if isinstance(v, float) else str(v), isinstance(v, str) and not _numeric(v)) for v in r]
             for r in rows]
    widths = [max(len(h), *(len(r[i][0]) for r in cells)) for i, h in enumerate(header)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) if left else c.rjust(w) for (c, left), w in zip(r, widths, strict=True))
            + " |" for r in cells]
    return "\n".join([line, sep, *body])


def report(result: dict[str, Any]) -> str:
    rows = []
    for command in COMMANDS:
        for rev, by_command in result.items():
            m = by_command[command]
            rows.append([command, rev, m["median_s"], m["min_s"], f"{m['peak_rss_mb']:.1f}",
                         ", ".join(m["heavy_modules"]) or "-"])
    return table(["command", "code", "median s", "min s", "peak RSS MB", "heavy modules loaded"], rows)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", metavar="REV", help="also measure this older commit (e.g. main)")
    ap.add_argument("--repeat", type=int, default=7, help="measured runs of each command (default 7)")
    ap.add_argument("--db", type=Path, help="store for the lookup (default: a temporary one from the bundled data)")
    ap.add_argument("--query", default=QUERY, help=f"the lookup's query (default {QUERY})")
    ap.add_argument("--json", type=Path, default=RESULTS, help=f"where to write JSON (default {RESULTS})")
    args = ap.parse_args(argv)

    started, load = time.perf_counter(), os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="startup-"))
    tree: Path | None = None
    kernel = None
    try:
        revisions: dict[str, Path] = {}
        if args.before:
            tree = tmp / "tree"
            git("worktree", "add", "--detach", str(tree), args.before)
            kernel = "numpy fallback"
            if not git("diff", args.before, "--", "src/glossary/_fit.c"):
                for so in (REPO / "src" / "glossary").glob("_fit*.so"):
                    shutil.copy2(so, tree / "src" / "glossary" / so.name)
                    kernel = "compiled (copied, same _fit.c)"
            revisions[f"before {args.before}"] = tree / "src"
        revisions["working tree"] = REPO / "src"
        stores: dict[str, Path] = {}
        for i, (rev, src) in enumerate(revisions.items()):
            if args.db is not None:
                stores[rev] = args.db.resolve()
            else:
                folder = tmp / f"store{i}"
                folder.mkdir()
                stores[rev] = make_store(src, folder)
        result = measure(revisions, stores, args.query, args.repeat, tmp)
    finally:
        if tree is not None:
            git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(tmp, ignore_errors=True)

    text = report(result)
    print(text)
    out = {
        "head": git("rev-parse", "--short", "HEAD"),
        "before": git("rev-parse", "--short", args.before) if args.before else None,
        "src_changed_since_head": git("status", "--porcelain", "--", "src"),
        "store": str(args.db) if args.db else "temporary, from the bundled data (one per revision)",
        "query": args.query,
        "repeat": args.repeat,
        "fit_kernel_before": kernel,
        "results": result,
        "table": text,
        "load_average_start": [round(x, 2) for x in load],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nload average {' '.join(f'{x:.2f}' for x in load)} at start, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at end; written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
