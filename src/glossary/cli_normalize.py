"""``glossary normalize`` and ``glossary review``: batch normalization of article files.

The commands are thin: every file goes through :meth:`glossary.Glossary.normalize_text`
(via the glossary's cached scanner).  Files are read as bytes and decoded
strictly as UTF-8; a BOM is remembered and written back, and no newline
translation happens, so everything outside the rewritten names is preserved
byte for byte.  A file that cannot be read, is not UTF-8 or is binary is
reported (path and reason) and skipped; the others are still processed and
the exit code is 2.

``--jobs N`` spreads files over N processes.  On platforms that fork, the
index is built once in the parent and shared with the workers.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import gc
import json
import multiprocessing
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .errors import InputError
from .formats import atomic_writer, decode_utf8
from .glossary import Glossary
from .matching import DEFAULT_MIN_SCORE
from .recognition import DEFAULT_ANNOTATION, REWRITE_MIN_SCORE, Recognizer

#: Files above this count get a progress bar (on a terminal).
PROGRESS_MIN_FILES = 4


@dataclass(frozen=True)
class Options:
    min_score: float
    annotate: str | None
    expand_aliases: bool
    mode: str  # "out-dir" | "in-place" | "dry-run" | "stdout"
    backup: str | None
    want_mentions: bool = True  # False: count mentions only (no report asked for)


@dataclass(frozen=True)
class Task:
    index: int
    path: str  # as given / found ("-" for standard input)
    dest: str | None  # output file for --out-dir


# --------------------------------------------------------------------------
# one file
# --------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _worker_init(db_path: str | None) -> None:
    """Spawned workers (no fork): open the store and build the index once per process."""
    g = Glossary.open(db_path)
    _WORKER["recognizer"] = g.recognizer


def read_document(data: bytes, path: str) -> tuple[str, bool]:
    """Decode a file's bytes: ``(text, had_bom)``; raises InputError for binary or non-UTF-8."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # refused below, by name
    if b"\x00" in data and not utf16:
        raise InputError("binary file (contains NUL bytes); skipped", path)
    bom = data.startswith(codecs.BOM_UTF8)
    return decode_utf8(data, path, utf16=False), bom


def process(task: Task, options: Options, recognizer: Recognizer | None = None) -> dict[str, Any]:
    """Normalize one file (or standard input); returns its report entry.

    Extra keys for the parent: ``output`` (bytes for standard output),
    ``diff`` (for ``--dry-run``) and ``suggest`` (spellings found through their keys).
    """
    sc = recognizer or _WORKER["recognizer"]
    entry: dict[str, Any] = {"path": task.path, "status": "unchanged", "error": None, "mentions": []}
    try:
        data = sys.stdin.buffer.read() if task.path == "-" else _read_bytes(task.path)
        text, bom = read_document(data, task.path)
    except InputError as exc:
        entry.update(status="error", error=exc.reason if exc.line is None else f"line {exc.line}: {exc.reason}")
        entry["where"] = str(exc)
        return entry
    result = sc.normalize(text, options.min_score, options.annotate, options.expand_aliases, DEFAULT_MIN_SCORE)
    changed = result.text != text
    entry["status"] = "changed" if changed else "unchanged"
    entry["mentions"] = [m.as_dict() for m in result.mentions] if options.want_mentions else []
    entry["count"] = len(result.mentions)
    entry["suggest"] = sorted(
        {(m.entity_id, m.surface) for m in result.mentions if not m.stored and m.lang == "ar"}
    )
    out = (codecs.BOM_UTF8 if bom else b"") + result.text.encode("utf-8")
    try:
        if options.mode == "stdout":
            entry["output"] = out
        elif options.mode == "dry-run":
            entry["diff"] = _diff(task.path, text, result.text) if changed else ""
        elif options.mode == "out-dir":
            assert task.dest is not None
            _write_bytes(task.dest, out)
        elif options.mode == "in-place" and changed:
            if options.backup:
                _write_bytes(task.path + options.backup, data)
            _write_bytes(task.path, out)
    except OSError as exc:
        entry.update(status="error", error=f"cannot write ({exc.strerror or exc})")
    return entry


def _read_bytes(path: str) -> bytes:
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path) from None


def _write_bytes(path: str, data: bytes) -> None:
    """Atomic: a temp file beside ``path`` renamed into place (never a truncated file)."""
    with atomic_writer(path, encoding="latin-1") as handle:
        handle.write(data.decode("latin-1"))  # latin-1 round-trips every byte unchanged


def _diff(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _run_task(args: tuple[Task, Options]) -> dict[str, Any]:
    return process(*args)


# --------------------------------------------------------------------------
# the commands
# --------------------------------------------------------------------------


def _collect(paths: list[str], glob: str, out_dir: Path | None) -> Iterator[Task]:
    index = 0
    for raw in paths:
        if raw == "-":
            yield Task(index, "-", None)
            index += 1
            continue
        p = Path(raw)
        if p.is_dir():
            for f in sorted(q for q in p.rglob(glob) if q.is_file()):
                dest = str(out_dir / f.relative_to(p)) if out_dir else None
                yield Task(index, str(f), dest)
                index += 1
        else:
            yield Task(index, str(p), str(out_dir / p.name) if out_dir else None)
            index += 1


def normalize_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (searched recursively) or - for standard input.")
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", "-o", help="Write normalized copies here (folders mirrored).", file_okay=False),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", "-i", help="Rewrite the files themselves (atomically).")
    ] = False,
    backup: Annotated[
        str | None, typer.Option("--backup", help="With --in-place: keep the original as PATH+SUFFIX.")
    ] = None,
    annotate: Annotated[
        str | None,
        typer.Option(
            "--annotate",
            help=(
                "Keep the text and add the English name after each entity's first mention. "
                f"Optional FORMAT with {{surface}} {{english}} {{arabic}}; default {DEFAULT_ANNOTATION!r}."
            ),
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write a report: FILE.json or FILE.csv (one row per mention).", dir_okay=False),
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score", min=0, max=100,
            help=f"Rewrite mentions scoring at least N (default {REWRITE_MIN_SCORE:g}).",
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Files processed in parallel.")] = 1,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print a unified diff; write no text, backup or suggestion.")
    ] = False,
    suggest: Annotated[
        bool,
        typer.Option("--suggest", help="Record spellings found only through their keys as suggested variants."),
    ] = False,
    glob: Annotated[str, typer.Option("--glob", help="Files to take from folders.")] = "*.txt",
    expand_aliases: Annotated[
        bool, typer.Option("--expand-aliases", help="Rewrite short forms (بوتين) to the full canonical name.")
    ] = False,
) -> None:
    """Normalize Arabic article files: every mention to the canonical spelling.

    Without --out-dir, --in-place or --dry-run the normalized text goes to
    standard output.  Exit code 2 if any file could not be processed.
    """
    from .cli import err, fail, state

    if out_dir is not None and in_place:
        fail("--out-dir and --in-place exclude each other")
    if backup and not in_place:
        fail("--backup needs --in-place")
    if "-" in paths and (len(paths) > 1 or in_place or out_dir is not None):
        fail("-: standard input is read alone and written to standard output")
    if report is not None and report.suffix.lower() not in (".json", ".csv"):
        fail(f"{report}: the report must be a .json or .csv file")
    mode = "dry-run" if dry_run else "in-place" if in_place else "out-dir" if out_dir else "stdout"
    fmt = annotate or None
    if fmt is not None:
        try:
            fmt.format(surface="", english="", arabic="", entity_id=0, prefix="")
        except (KeyError, IndexError, ValueError) as exc:
            fail(f"--annotate: bad format {fmt!r} ({exc}); use {{surface}}, {{english}}, {{arabic}}")
    options = Options(
        REWRITE_MIN_SCORE if min_score is None else float(min_score), fmt, expand_aliases, mode,
        backup, report is not None,
    )
    tasks = list(_collect(paths, glob, out_dir))
    g = Glossary.open(state.db)
    try:
        recognizer = g.recognizer
        entries = _run(tasks, options, recognizer, jobs, g.path if state.db else None)
        for e in entries:
            if e.get("output") is not None:
                sys.stdout.buffer.write(e["output"])
                sys.stdout.buffer.flush()
            if e.get("diff"):
                sys.stdout.write(e["diff"])
                sys.stdout.flush()
        if suggest and not dry_run:
            pairs = [(int(p[0]), str(p[1])) for e in entries for p in e.get("suggest", [])]
            added = g.suggest_variants(pairs, source="normalize")
            if added:
                err.print(
                    f"glossary: {len(added)} suggested spelling{'s' if len(added) > 1 else ''} "
                    "recorded; review them with `glossary review`",
                    markup=False,
                )
    finally:
        g.close()
    for e in entries:
        e.pop("output", None)
        e.pop("diff", None)
        e.pop("suggest", None)
        e["where"] = e.pop("where", None) or f"{e['path']}: {e['error']}"
    where = [e.pop("where") for e in entries]
    counts = [e.pop("count", 0) for e in entries]
    if report is not None:
        _write_report(report, entries)
    errors = [e for e in entries if e["status"] == "error"]
    for e, w in zip(entries, where, strict=True):
        if e["status"] == "error":
            err.print(f"glossary: error: {w}", markup=False)
    changed = sum(e["status"] == "changed" for e in entries)
    if mode in ("out-dir", "in-place") or report is not None:
        err.print(
            f"glossary: {len(entries)} file{'s' if len(entries) != 1 else ''}, {changed} changed, "
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
            f"{sum(counts)} mentions",
            markup=False,
        )
    if errors:
        raise typer.Exit(2)


def _run(
    tasks: list[Task], options: Options, recognizer: Recognizer, jobs: int, db_path: str | None
) -> list[dict[str, Any]]:
    from rich.progress import Progress

    from .cli import err

    show = sys.stderr.isatty() and len(tasks) >= PROGRESS_MIN_FILES
    results: list[dict[str, Any]] = []
    with Progress(transient=True, disable=not show, console=err) as progress:
        bar = progress.add_task("normalizing", total=len(tasks))
        if jobs <= 1 or len(tasks) <= 1 or any(t.path == "-" for t in tasks):
            for t in tasks:
                results.append(process(t, options, recognizer))
                progress.advance(bar)
            return results
        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods:
            _WORKER["recognizer"] = recognizer  # inherited by the forked workers: built once
            # keep the collector off the inherited index: walking it would copy every page
            gc.freeze()
            ctx = multiprocessing.get_context("fork")
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
        else:  # pragma: no cover - Windows, macOS without fork
            pool = ProcessPoolExecutor(
                max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init, initargs=(db_path,),
            )
        with pool:
            chunk = max(1, min(16, len(tasks) // (jobs * 4)))
            for r in pool.map(_run_task, [(t, options) for t in tasks], chunksize=chunk):
                results.append(r)
                progress.advance(bar)
    return results


def summarize(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's summary block."""
    by_entity: Counter[str] = Counter()
    for e in entries:
        for m in e["mentions"]:
            by_entity[m["english"]] += 1
    return {
        "files": len(entries),
        "changed": sum(e["status"] == "changed" for e in entries),
        "errors": sum(e["status"] == "error" for e in entries),
        "mentions": sum(len(e["mentions"]) for e in entries),
        "by_entity": dict(sorted(by_entity.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


REPORT_COLUMNS = (
    "path", "start", "end", "surface", "prefix", "entity_id", "english", "arabic", "score",
    "reason", "ambiguous", "replaced", "replacement",
)


def _write_report(path: Path, entries: list[dict[str, Any]]) -> None:
    if path.suffix.lower() == ".csv":
        with atomic_writer(path) as handle:
            writer = csv.DictWriter(handle, fieldnames=REPORT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for e in entries:
                for m in e["mentions"]:
                    writer.writerow({"path": e["path"], **m})
        return
    with atomic_writer(path) as handle:
        json.dump({"files": entries, "summary": summarize(entries)}, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


# --------------------------------------------------------------------------
# review
# --------------------------------------------------------------------------


def review_cmd(
    approve: Annotated[
        list[int] | None,
        typer.Option("--approve", "-a", help="Approve a suggested spelling by name id (repeatable)."),
    ] = None,
    reject: Annotated[
        list[int] | None,
        typer.Option("--reject", "-r", help="Reject (delete) a suggested spelling by name id (repeatable)."),
    ] = None,
    approve_all: Annotated[bool, typer.Option("--approve-all", help="Approve every suggested spelling.")] = False,
    reject_all: Annotated[bool, typer.Option("--reject-all", help="Reject every suggested spelling.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="List as JSON.")] = False,
) -> None:
    """List spellings suggested by `normalize --suggest`, or approve / reject them."""
    from .cli import fail, open_glossary, out, print_json

    if approve_all and reject_all:
        fail("--approve-all and --reject-all exclude each other")
    with open_glossary() as g:
        pending = {n.id: n for n in g.suggestions()}
        to_approve = list(pending) if approve_all else list(approve or [])
        to_reject = list(pending) if reject_all else list(reject or [])
        for nid in [*to_approve, *to_reject]:
            if nid not in pending:
                fail(f"{nid}: no suggested spelling with this id (see `glossary review`)")
        for nid in to_approve:
            g.set_status(nid, "approved")
        for nid in to_reject:
            g.remove_name(nid)
        if to_approve or to_reject:
            out.print(f"{len(to_approve)} approved, {len(to_reject)} rejected", markup=False)
            return
        rows: list[dict[str, Any]] = []
        for n in pending.values():
            e = g.entity(n.entity_id)
            rows.append({"id": n.id, "entity_id": e.id, "english": e.english, "arabic": e.arabic,
                         "spelling": n.text, "source": n.source})
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("no suggested spellings", markup=False)
        return
    table = Table("id", "entity", "english", "canonical", "suggested", "source")
    for r in rows:
        table.add_row(
            str(r["id"]), str(r["entity_id"]), str(r["english"]), str(r["arabic"]), str(r["spelling"]),
            str(r["source"] or ""),
        )
    out.print(table)


# --------------------------------------------------------------------------
# ``--annotate [FORMAT]``: an option whose value is optional
# --------------------------------------------------------------------------

_ANNOTATE_DEFAULT = DEFAULT_ANNOTATION


def fix_optional_annotate(argv: list[str]) -> list[str]:
    """Give a bare ``--annotate`` its default value, so the next word stays a PATH.

    The word after ``--annotate`` is its FORMAT only when it holds a ``{field}``.
    """
    if "normalize" not in argv:
        return argv
    out: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--annotate":
            nxt = argv[i + 1] if i + 1 < len(argv) else None
            if nxt is not None and "{" in nxt:
                out += [a, nxt]
                i += 2
                continue
            out.append(f"--annotate={_ANNOTATE_DEFAULT}")
        else:
            out.append(a)
        i += 1
    return out


__all__ = ["fix_optional_annotate", "normalize_cmd", "process", "read_document", "review_cmd", "summarize"]
