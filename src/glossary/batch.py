"""Normalize whole files and folders: what :meth:`glossary.Glossary.normalize_files` runs.

Everything of batch normalization that is not argument parsing or printing
lives here, so a program that imports the library normalizes a folder the way
``glossary normalize`` does:

* **collecting**: folders are searched recursively with a glob (``*.txt``);
  ``-`` is standard input.  A file given twice (directly and through its
  folder) is normalized once.
* **decoding**: files are read as bytes and decoded strictly as UTF-8; a BOM is
  remembered and written back and no newline translation happens, so
  everything outside the rewritten names is preserved byte for byte.  A file
  that cannot be read, is not UTF-8 (the line of the first bad byte is named),
  is UTF-16 (it would be written back in another encoding) or is binary (NUL
  bytes) becomes an ``error`` entry; the other files are still processed.
* **writing**: every output goes through a temp file beside it and a rename
  (:func:`glossary.formats.atomic_writer`).  With ``out_dir`` the inputs'
  layout is kept under it, relative to the deepest folder holding every input
  (a folder given alone: its files go directly under ``out_dir``), so two
  inputs never share an output.  In place, a changed file is rewritten and
  its original kept as ``PATH + backup`` if asked.  Before anything is
  written, an output that would land on an input or on another output of the
  same run is refused (:class:`glossary.errors.InputError`).  A dry run
  produces unified diffs and writes nothing.
* **workers**: with ``workers`` > 1 files are spread over processes.  Where
  processes fork, the recognizer is built once in the parent and inherited;
  elsewhere each worker opens the store and builds its own.

The result is a :class:`NormalizeReport`: one :class:`FileResult` per file and
a summary; :meth:`NormalizeReport.write` writes the JSON or CSV report.
"""

from __future__ import annotations

import codecs
import csv
import gc
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .formats import atomic_writer, decode_utf8
from .matching import DEFAULT_MIN_SCORE
from .recognition import DEFAULT_ANNOTATION, REWRITE_MIN_SCORE, Recognizer
from .recognition import check_annotation as check_format

if TYPE_CHECKING:
    from .glossary import Glossary

#: The columns of the CSV report (one row per mention).
REPORT_COLUMNS = (
    "path", "start", "end", "surface", "prefix", "entity_id", "english", "arabic", "score",
    "reason", "ambiguous", "replaced", "replacement",
)

#: ``progress(done, total)``: called once before the first file and after each file.
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------
# the public value types
# --------------------------------------------------------------------------


@dataclass
class FileResult:
    """What happened to one file.

    ``status`` is ``"changed"``, ``"unchanged"`` or ``"error"`` (then ``error``
    holds the reason, ``"line N: ..."`` where there is a line, and ``message``
    the one line to show: ``PATH:LINE: reason``).  ``mentions`` are the
    report's mention dicts (:meth:`glossary.recognition.Mention.as_dict`);
    ``mention_count`` counts them even when they were not kept, ``replaced``
    counts those rewritten.  ``output_path`` is the file written (none for a
    dry run, standard output or an unchanged file in place); ``output`` holds
    the normalized bytes when nothing is written to disk (neither ``out_dir``,
    ``in_place`` nor ``dry_run``), and ``diff`` the unified diff of a dry run.
    """

    path: str
    status: str = "unchanged"
    error: str | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    replaced: int = 0
    mention_count: int = 0
    message: str | None = None
    output_path: str | None = None
    output: bytes | None = None
    diff: str | None = None
    #: (entity id, spelling) of Arabic mentions found only through their keys
    unstored: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The file's entry in the JSON report."""
        return {"path": self.path, "status": self.status, "error": self.error, "mentions": self.mentions}


@dataclass
class NormalizeReport:
    """What :meth:`glossary.Glossary.normalize_files` returns: one result per file, in input order.

    ``suggested`` holds the ids of the spellings recorded as suggested variants
    (``suggest=True``).
    """

    files: list[FileResult]
    suggested: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[FileResult]:
        """The files that could not be processed."""
        return [f for f in self.files if f.status == "error"]

    @property
    def summary(self) -> dict[str, Any]:
        """Files, changed, errors, mentions, and mentions by entity (most first)."""
        by_entity: Counter[str] = Counter()
        for f in self.files:
            for m in f.mentions:
                by_entity[m["english"]] += 1
        return {
            "files": len(self.files),
            "changed": sum(f.status == "changed" for f in self.files),
            "errors": sum(f.status == "error" for f in self.files),
            "mentions": sum(f.mention_count for f in self.files),
            "by_entity": dict(sorted(by_entity.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    def as_dict(self) -> dict[str, Any]:
        """The JSON report: ``{"files": [...], "summary": {...}}``."""
        return {"files": [f.as_dict() for f in self.files], "summary": self.summary}

    def write(self, path: str | Path) -> None:
        """Write the report atomically: ``.json`` (:meth:`as_dict`) or ``.csv`` (one row per mention)."""
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix == ".csv":
            with atomic_writer(target) as handle:
                writer = csv.DictWriter(handle, fieldnames=REPORT_COLUMNS, lineterminator="\n")
                writer.writeheader()
                for f in self.files:
                    for m in f.mentions:
                        writer.writerow({"path": f.path, **m})
            return
        if suffix != ".json":
            raise InputError("the report must be a .json or .csv file", target)
        with atomic_writer(target) as handle:
            json.dump(self.as_dict(), handle, ensure_ascii=False, indent=1)
            handle.write("\n")


# --------------------------------------------------------------------------
# options and tasks (sent to the workers)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    min_score: float
    annotate: str | None
    expand_aliases: bool
    mode: str  # "out-dir" | "in-place" | "dry-run" | "memory"
    backup: str | None
    keep_mentions: bool


@dataclass(frozen=True)
class _Task:
    path: str  # as given / found ("-" for standard input)
    dest: str | None  # output file with out_dir


def check_annotation(annotate: bool | str) -> str | None:
    """The annotation format for ``annotate`` (True: the default); ValueError for a bad one."""
    if annotate is False or annotate == "":
        return None
    fmt = DEFAULT_ANNOTATION if annotate is True else str(annotate)
    return check_format(fmt)


# --------------------------------------------------------------------------
# collecting
# --------------------------------------------------------------------------


def collect(paths: Iterable[str | Path], glob: str = "*.txt") -> list[str]:
    """The files to normalize, in order: folders searched recursively, ``-`` kept, repeats dropped."""
    found: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = path if path == "-" else os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for raw in paths:
        if str(raw) == "-":
            add("-")
            continue
        p = Path(raw)
        if p.is_dir():
            for f in sorted(q for q in p.rglob(glob) if q.is_file()):
                add(str(f))
        else:
            add(str(p))
    return found


def _layout_root(paths: Iterable[str | Path]) -> str:
    """The deepest folder holding every input (a folder input holds itself)."""
    roots = []
    for raw in paths:
        if str(raw) == "-":
            continue
        p = Path(raw)
        roots.append(os.path.abspath(p if p.is_dir() else p.parent))
    if not roots:
        return os.path.abspath(".")
    try:
        return os.path.commonpath(roots)
    except ValueError:  # pragma: no cover - Windows: inputs on different drives
        raise InputError("the inputs are on different drives; normalize them separately") from None


def _plan(files: list[str], root: str, out_dir: Path | None, mode: str, backup: str | None) -> list[_Task]:
    """One task per file; refuses (before anything is written) an output that lands on an input or another output."""
    tasks = [
        _Task(f, str(out_dir / os.path.relpath(os.path.abspath(f), root)) if out_dir is not None else None)
        for f in files
    ]
    if mode not in ("out-dir", "in-place"):
        return tasks
    inputs = {os.path.abspath(t.path): t.path for t in tasks}
    written: dict[str, str] = {}
    for t in tasks:
        own = os.path.abspath(t.path)
        outs = [t.dest] if t.dest is not None else [t.path + backup] if backup else []
        for out in outs:
            key = os.path.abspath(out)
            if key != own and key in inputs:
                raise InputError(f"would overwrite the input {inputs[key]}; nothing written", out)
            if key in written:
                raise InputError(f"written for both {written[key]} and {t.path}; nothing written", out)
            written[key] = t.path
    return tasks


# --------------------------------------------------------------------------
# one file
# --------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def read_document(data: bytes, path: str) -> tuple[str, bool]:
    """Decode a file's bytes: ``(text, had_bom)``; raises InputError for binary, UTF-16 or non-UTF-8."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # refused below, by name
    if b"\x00" in data and not utf16:
        raise InputError("binary file (contains NUL bytes); skipped", path)
    bom = data.startswith(codecs.BOM_UTF8)
    return decode_utf8(data, path, utf16=False), bom


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path) from None


def _write_bytes(path: str, data: bytes, like: str | None = None) -> None:
    """Atomic: a temp file beside ``path`` renamed into place (never a truncated file), with the mode
    of the file it replaces or of ``like`` (its original)."""
    with atomic_writer(path, encoding="latin-1", like=like) as handle:
        handle.write(data.decode("latin-1"))  # latin-1 round-trips every byte unchanged


def _diff(path: str, old: str, new: str) -> str:
    import difflib  # only for --diff

    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _normalize_one(task: _Task, options: _Options, recognizer: Recognizer | None = None) -> FileResult:
    """Read, decode, normalize and write one file; never raises for a bad file."""
    sc = recognizer or _WORKER["recognizer"]
    res = FileResult(task.path)
    try:
        data = _read_bytes(task.path)
        text, bom = read_document(data, task.path)
    except InputError as exc:
        res.status = "error"
        res.error = exc.reason if exc.line is None else f"line {exc.line}: {exc.reason}"
        res.message = str(exc)
        return res
    result = sc.normalize(text, options.min_score, options.annotate, options.expand_aliases, DEFAULT_MIN_SCORE)
    changed = result.text != text
    res.status = "changed" if changed else "unchanged"
    res.mentions = [m.as_dict() for m in result.mentions] if options.keep_mentions else []
    res.mention_count = len(result.mentions)
    res.replaced = sum(m.replaced for m in result.mentions)
    res.unstored = sorted({(m.entity_id, m.surface) for m in result.mentions if not m.stored and m.lang == "ar"})
    out = (codecs.BOM_UTF8 if bom else b"") + result.text.encode("utf-8")
    try:
        if options.mode == "memory":
            res.output = out
        elif options.mode == "dry-run":
            res.diff = _diff(task.path, text, result.text) if changed else ""
        elif options.mode == "out-dir":
            assert task.dest is not None
            _write_bytes(task.dest, out, like=task.path)
            res.output_path = task.dest
        elif options.mode == "in-place" and changed:
            if options.backup:
                _write_bytes(task.path + options.backup, data, like=task.path)
            # through a symbolic link to the file it names: the link stays a link
            _write_bytes(os.path.realpath(task.path), out)
            res.output_path = task.path
    except OSError as exc:
        res.status = "error"
        res.error = f"cannot write ({exc.strerror or exc})"
    if res.status == "error":
        res.message = f"{res.path}: {res.error}"
    return res


def _run_task(args: tuple[_Task, _Options]) -> FileResult:
    return _normalize_one(*args)


def _worker_init(opener: Callable[[str], Glossary], db_path: str) -> None:
    """Spawned workers (no fork): open the store and build the recognizer once per process."""
    _WORKER["recognizer"] = opener(db_path).recognizer


# --------------------------------------------------------------------------
# the whole run
# --------------------------------------------------------------------------


def normalize_files(
    g: Glossary,
    paths: Iterable[str | Path],
    *,
    out_dir: str | Path | None = None,
    in_place: bool = False,
    backup: str | None = None,
    dry_run: bool = False,
    glob: str = "*.txt",
    workers: int | None = None,
    min_score: float | None = None,
    annotate: bool | str = False,
    expand_aliases: bool = False,
    suggest: bool = False,
    keep_mentions: bool = True,
    progress: Progress | None = None,
) -> NormalizeReport:
    """See :meth:`glossary.Glossary.normalize_files` (the documented entry point)."""
    paths = list(paths)
    if out_dir is not None and in_place:
        raise ValueError("out_dir and in_place exclude each other")
    if backup and not in_place:
        raise ValueError("backup needs in_place")
    if any(str(p) == "-" for p in paths) and (len(paths) > 1 or in_place or out_dir is not None):
        raise ValueError("-: standard input is read alone and its output returned, never written to a file")
    fmt = check_annotation(annotate)
    mode = "dry-run" if dry_run else "in-place" if in_place else "out-dir" if out_dir is not None else "memory"
    options = _Options(
        REWRITE_MIN_SCORE if min_score is None else float(min_score), fmt, expand_aliases, mode,
        backup or None, keep_mentions,
    )
    out = Path(out_dir) if out_dir is not None else None
    tasks = _plan(collect(paths, glob), _layout_root(paths), out, mode, options.backup)
    results = _run(g, tasks, options, workers or 1, progress)
    report = NormalizeReport(results)
    if suggest and not dry_run:
        pairs = [pair for r in results for pair in r.unstored]
        report.suggested = g.suggest_variants(pairs, source="normalize")
    return report


def _run(
    g: Glossary, tasks: list[_Task], options: _Options, workers: int, progress: Progress | None
) -> list[FileResult]:
    # the process pool's modules, only when files are normalized (not on ``import glossary``)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    total = len(tasks)
    tick: Progress = progress or (lambda done, total: None)
    tick(0, total)
    recognizer = g.recognizer
    results: list[FileResult] = []
    methods = multiprocessing.get_all_start_methods()
    fork = "fork" in methods
    if workers <= 1 or total <= 1 or any(t.path == "-" for t in tasks) or (not fork and g.path == ":memory:"):
        for t in tasks:
            results.append(_normalize_one(t, options, recognizer))
            tick(len(results), total)
        return results
    frozen = False
    if fork:
        _WORKER["recognizer"] = recognizer  # inherited by the forked workers: built once
        # keep the collector off the inherited index: walking it would copy every page
        gc.freeze()
        frozen = True
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    else:  # pragma: no cover - Windows, macOS without fork
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init, initargs=(type(g).open, g.path),
        )
    try:
        with pool:
            chunk = max(1, min(16, total // (workers * 4)))
            for r in pool.map(_run_task, [(t, options) for t in tasks], chunksize=chunk):
                results.append(r)
                tick(len(results), total)
    finally:
        _WORKER.pop("recognizer", None)
        if frozen:
            gc.unfreeze()
    return results


__all__ = ["REPORT_COLUMNS", "FileResult", "NormalizeReport", "check_annotation", "collect", "read_document"]
