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
* **Dask**: with a ``dask.distributed`` client the files are spread over its
  cluster (:func:`_run_dask`).  Each worker process opens the store read-only
  and builds its recognizer once (:func:`_worker_recognizer`), and checks that
  its copy of the store holds what the client's holds (:func:`store_fingerprint`),
  so the outputs are the bytes a local run writes.
* **resuming**: with ``resume`` (the default with a client and ``out_dir``) a
  manifest in ``out_dir`` (:data:`MANIFEST`) records each output written;
  a rerun skips an output that is still complete (:class:`_Manifest`).

The result is a :class:`~glossary.models.NormalizeReport`: one
:class:`~glossary.models.FileResult` per file and a summary;
:meth:`~glossary.models.NormalizeReport.write` writes the JSON or CSV report.
"""

from __future__ import annotations

import codecs
import gc
import hashlib
import json
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import InputError, StoreError
from .formats import atomic_writer, decode_utf8
from .matching import DEFAULT_MIN_SCORE
from .models import FileResult, NormalizeReport
from .recognition import DEFAULT_ANNOTATION, REWRITE_MIN_SCORE, Recognizer
from .recognition import check_annotation as check_format

if TYPE_CHECKING:
    from distributed import Client

    from .glossary import Glossary

#: ``progress(done, total)``: called once before the first file and after each file.
Progress = Callable[[int, int], None]
#: The resume manifest, one JSON object a line, in ``out_dir`` (never collected as an input).
MANIFEST = ".glossary-normalize.jsonl"
#: What ``--dask`` says when Dask is not installed.
DASK_MISSING = "Dask is not installed: pip install 'glossary[dask]'"


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
    record: bool = False  # resume: fingerprint each output written


@dataclass(frozen=True)
class _Task:
    path: str  # as given / found ("-" for standard input)
    dest: str | None  # output file with out_dir
    cwd: str | None = None  # Dask: the client's folder, which relative paths are relative to

    def at(self, path: str) -> str:
        """Where ``path`` (the task's input or output, as shown) is on this machine."""
        return path if self.cwd is None or path == "-" else os.path.join(self.cwd, path)


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
            for f in sorted(q for q in p.rglob(glob) if q.is_file() and q.name != MANIFEST):
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


def _read_bytes(path: str, shown: str | None = None) -> bytes:
    """The file's bytes; errors name it as ``shown`` (the path as given) when it was resolved elsewhere."""
    if path == "-":
        return sys.stdin.buffer.read()
    name = shown or path
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", name) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", name) from None


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
    src = task.at(task.path)
    try:
        data = _read_bytes(src, task.path)
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
            _write_bytes(task.at(task.dest), out, like=src)
            res.output_path = task.dest
            if options.record:
                st = os.stat(src)  # after the read: a later change shows in the input's sha256 anyway
                res.fingerprint = {
                    "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": hashlib.sha256(data).hexdigest(),
                    "output_sha256": hashlib.sha256(out).hexdigest(),
                }
        elif options.mode == "in-place" and changed:
            if options.backup:
                _write_bytes(task.at(task.path + options.backup), data, like=src)
            # through a symbolic link to the file it names: the link stays a link
            _write_bytes(os.path.realpath(src), out)
            res.output_path = task.path
    except OSError as exc:
        res.status = "error"
        res.error = f"cannot write ({exc.strerror or exc})"
    if res.status == "error":
        res.message = f"{res.path}: {res.error}"
    return res


def _sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _still_complete(task: _Task, fingerprint: dict[str, Any]) -> bool:
    """Is the output an earlier run recorded still there, and its input unchanged? (see :class:`_Manifest`)"""
    if task.dest is None:
        return False
    src = task.at(task.path)
    try:
        st = os.stat(src)
        if st.st_size != fingerprint["size"] or st.st_mtime_ns != fingerprint["mtime_ns"]:
            return False
        return (
            _sha256_file(src) == fingerprint["sha256"]
            and _sha256_file(task.at(task.dest)) == fingerprint["output_sha256"]
        )
    except (OSError, KeyError, TypeError):
        return False


def _process(
    task: _Task, options: _Options, prior: dict[str, Any] | None, recognizer: Callable[[], Recognizer]
) -> FileResult:
    """One file, unless ``prior`` (an earlier run's fingerprint) shows its output complete: then a
    ``skipped`` stub, which the client fills from its manifest.  The recognizer is only asked for
    when a file is normalized, so a rerun that skips everything builds none."""
    if prior is not None and _still_complete(task, prior):
        return FileResult(task.path, skipped=True, fingerprint=prior)
    return _normalize_one(task, options, recognizer())


def _run_task(args: tuple[_Task, _Options, dict[str, Any] | None]) -> FileResult:
    return _process(*args, lambda: _WORKER["recognizer"])


def _worker_init(opener: Callable[[str], Glossary], db_path: str) -> None:
    """Spawned workers (no fork): open the store and build the recognizer once per process."""
    _WORKER["recognizer"] = opener(db_path).recognizer


# --------------------------------------------------------------------------
# resuming: the manifest
# --------------------------------------------------------------------------


def store_fingerprint(g: Glossary) -> str:
    """A digest of what the recognizer is built from: the approved names, the entities, this version.

    Two stores with the same digest normalize every text alike, whatever their paths or change
    counters; a Dask worker compares its copy's with the client's, and a resumed run its
    manifest's with the store's.  One pass over the rows: 0.37 s for the 129k names of the
    65k Wikidata store (2026-12-06), paid once per run by the client and once per store version by a worker.
    """
    h = hashlib.sha256(f"glossary {__version__}\n".encode())
    # the rows the indexes are built from (glossary.indexing), in id order (the first field)
    for row in sorted(g.store.approved_names()):
        h.update(repr(tuple(row)).encode("utf-8"))
    h.update(b"\nentities\n")
    for row in sorted(g.store.entity_rows()):
        h.update(repr(tuple(row)).encode("utf-8"))
    return h.hexdigest()


class _Manifest:
    """``out_dir/.glossary-normalize.jsonl``: what a resumed run needs to skip an output.

    An output is **complete**, and a rerun skips it, when the manifest holds an entry for it
    from a run with the same *run key* (the store's :func:`store_fingerprint`, the glossary
    version and the options that change the text: ``min_score``, ``annotate``,
    ``expand_aliases``) and the same input path, and
    * the input's size and mtime are the recorded ones and its sha256 too (an edit is never missed),
    * the output file exists and its sha256 is the recorded one (an edited or replaced output is redone).
    Outputs are renamed into place only once fully written, so a file under its final name is
    never partial; an entry is appended only after its rename.  The entry keeps the file's
    result (status, mentions, counts), so a resumed run's report is a full run's.  A run that
    needs mentions (a report) does not take an entry recorded without them.

    Lines are appended as results arrive (an interrupted run keeps what it finished; a torn
    last line is ignored) and the file is rewritten atomically, this run's entries in input
    order, at the end.  Errors are not recorded: a rerun tries them again.
    """

    def __init__(self, out_dir: Path, run: str, keep_mentions: bool) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST
        self.run = run
        self.keep_mentions = keep_mentions
        self.entries: dict[str, dict[str, Any]] = {}
        self._handle: Any = None
        try:
            with self.path.open(encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                        if entry.get("run") == run and (entry.get("mentions_kept") or not keep_mentions):
                            self.entries[entry["dest"]] = entry
                    except (ValueError, AttributeError, KeyError, TypeError):
                        continue  # a torn last line, or not ours
        except FileNotFoundError:
            pass
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the resume manifest ({exc}); delete it to start over", self.path) from None

    def _key(self, task: _Task) -> str:
        assert task.dest is not None
        return Path(os.path.relpath(os.path.abspath(task.dest), os.path.abspath(self.out_dir))).as_posix()

    def prior(self, task: _Task) -> dict[str, Any] | None:
        """The fingerprint a worker checks, if an earlier run recorded this output from this input."""
        entry = self.entries.get(self._key(task))
        if entry is None or entry.get("input") != os.path.abspath(task.path):
            return None
        fingerprint = entry.get("fingerprint")
        return fingerprint if isinstance(fingerprint, dict) else None

    def fill(self, task: _Task, stub: FileResult) -> FileResult:
        """The full result of a skipped file, from its entry: what a run that redid it would return."""
        r = self.entries[self._key(task)]["result"]
        return FileResult(
            task.path, status=r["status"], mentions=r["mentions"] if self.keep_mentions else [],
            replaced=r["replaced"], mention_count=r["mention_count"], output_path=task.dest,
            unstored=[(int(e), str(t)) for e, t in r["unstored"]], skipped=True, fingerprint=stub.fingerprint,
        )

    def _entry(self, task: _Task, res: FileResult) -> dict[str, Any]:
        return {
            "dest": self._key(task), "input": os.path.abspath(task.path), "run": self.run,
            "mentions_kept": self.keep_mentions, "fingerprint": res.fingerprint,
            "result": {
                "status": res.status, "mentions": res.mentions, "mention_count": res.mention_count,
                "replaced": res.replaced, "unstored": res.unstored,
            },
        }

    def add(self, task: _Task, res: FileResult) -> None:
        """Append a freshly written output's entry (skipped and failed files have nothing new)."""
        if res.fingerprint is None or res.skipped:
            return
        entry = self._entry(task, res)
        self.entries[entry["dest"]] = entry
        if self._handle is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def finish(self, tasks: list[_Task], results: list[FileResult]) -> None:
        """Rewrite the manifest atomically: this run's complete outputs, in input order."""
        self.close()
        keep = [self.entries[self._key(t)] for t, r in zip(tasks, results, strict=True) if r.fingerprint is not None]
        if not keep and not self.path.exists():
            return
        with atomic_writer(self.path) as handle:
            for entry in keep:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _run_key(fingerprint: str, options: _Options) -> str:
    """What an output depends on besides its input (see :class:`_Manifest`)."""
    key = [fingerprint, options.min_score, options.annotate, options.expand_aliases]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------
# Dask
# --------------------------------------------------------------------------

#: Per worker process: the store opened read-only, by path, and the fingerprint of each of its versions.
_DASK_STORES: dict[str, Glossary] = {}
_DASK_FINGERPRINTS: dict[tuple[str, int], str] = {}
#: One batch at a time per process: the recognizer's caches are not made for threads
#: (and the work holds the GIL: run workers with one thread each).
_DASK_LOCK = threading.RLock()


def _worker_recognizer(kind: type[Glossary], store: str, expected: str) -> Recognizer:
    """This worker process's recognizer for ``store``: opened read-only and built once per process.

    The store is opened here, not scattered: every worker reads the file at the same path
    (a shared filesystem, or a copy at that path), and a later run reuses what is open; the
    recognizer is rebuilt only when the store changed (:attr:`Glossary.recognizer`).  If this
    copy's :func:`store_fingerprint` is not the client's, it is reopened once (the file may
    have been replaced) and then refused: its outputs would not be the client's.  ``kind`` is the
    client's :class:`~glossary.Glossary` class (passed, not imported: ``glossary`` imports this module).
    """
    for attempt in (1, 2):
        g = _DASK_STORES.get(store)
        if g is None:
            g = _DASK_STORES[store] = kind.open(store, read_only=True)
        key = (store, g.store.glossary_version())
        if key not in _DASK_FINGERPRINTS:
            _DASK_FINGERPRINTS[key] = store_fingerprint(g)
        if _DASK_FINGERPRINTS[key] == expected:
            return g.recognizer
        del _DASK_STORES[store]
        g.close()
        if attempt == 2:
            raise StoreError(
                f"{store}: the store this Dask worker reads holds other names than the client's "
                "(another copy, or it changed during the run); give every worker the same store file"
            )
    raise AssertionError("unreachable")  # pragma: no cover


def _dask_batch(
    items: list[tuple[_Task, dict[str, Any] | None]], kind: type[Glossary], store: str, expected: str,
    options: _Options,
) -> list[FileResult]:
    """A Dask task: a few files, normalized with this worker process's recognizer."""
    with _DASK_LOCK:
        return [_process(t, options, prior, lambda: _worker_recognizer(kind, store, expected)) for t, prior in items]


def _run_dask(
    client: Client, kind: type[Glossary], store: str, fingerprint: str, tasks: list[_Task],
    priors: list[dict[str, Any] | None], options: _Options, done: Callable[[int, FileResult], None],
) -> None:
    """Spread the tasks over a Dask cluster; ``done(index, result)`` as each file's result arrives.

    ``client.map`` over batches of tasks rather than a ``dask.bag``: ``as_completed`` hands
    each batch back as it finishes, so progress moves and the resume manifest grows while the
    run goes on (a bag's ``compute()`` returns at the end, and an interrupted run would have
    recorded nothing); the client then puts the results in input order, as a local run has
    them.  Batches of up to 16 files keep the scheduler's per-task cost small, and
    ``pure=False`` makes a rerun run again instead of reusing a finished task of the same
    arguments.  The store goes as a path (each worker opens it, :func:`_worker_recognizer`),
    relative paths with the client's folder.
    """
    from distributed import as_completed

    total = len(tasks)

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = max(1, min(16, total // (workers * 4)))
    cwd = os.getcwd()
    batches = [list(range(i, min(i + size, total))) for i in range(0, total, size)]
    payloads = [[(replace(tasks[i], cwd=cwd), priors[i]) for i in batch] for batch in batches]
    futures = client.map(
        _dask_batch, payloads, kind=kind, store=os.path.abspath(store), expected=fingerprint, options=options,
        pure=False, key=[f"glossary-normalize-{k}-{os.urandom(4).hex()}" for k in range(len(batches))],
    )
    where = {f.key: batch for f, batch in zip(futures, batches, strict=True)}
    try:
        for future in as_completed(futures, loop=client.loop):
            for i, res in zip(where[future.key], future.result(), strict=True):
                done(i, res)
    except BaseException:
        client.cancel(futures)
        raise


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
    client: Client | None = None,
    resume: bool | None = None,
) -> NormalizeReport:
    """See :meth:`glossary.Glossary.normalize_files` (the documented entry point)."""
    paths = list(paths)
    if out_dir is not None and in_place:
        raise ValueError("out_dir and in_place exclude each other")
    if backup and not in_place:
        raise ValueError("backup needs in_place")
    if any(str(p) == "-" for p in paths) and (len(paths) > 1 or in_place or out_dir is not None):
        raise ValueError("-: standard input is read alone and its output returned, never written to a file")
    if client is not None:
        if workers is not None and workers > 1:
            raise ValueError("workers and client exclude each other: the Dask cluster has the workers")
        if any(str(p) == "-" for p in paths):
            raise ValueError("-: standard input cannot be sent to Dask workers; normalize it locally")
        if g.path == ":memory:":
            raise ValueError("an in-memory store cannot be opened by Dask workers; use a store file")
    fmt = check_annotation(annotate)
    mode = "dry-run" if dry_run else "in-place" if in_place else "out-dir" if out_dir is not None else "memory"
    if resume and mode != "out-dir":
        raise ValueError("resume needs out_dir (and no dry_run): only outputs written there can be skipped")
    if resume is None:
        resume = client is not None and mode == "out-dir"
    options = _Options(
        REWRITE_MIN_SCORE if min_score is None else float(min_score), fmt, expand_aliases, mode,
        backup or None, keep_mentions, record=resume,
    )
    out = Path(out_dir) if out_dir is not None else None
    tasks = _plan(collect(paths, glob), _layout_root(paths), out, mode, options.backup)
    # the store's digest: what the workers check their copy against and the manifest's runs are keyed to
    fingerprint = store_fingerprint(g) if client is not None or resume else ""
    manifest = _Manifest(out, _run_key(fingerprint, options), keep_mentions) if resume and out is not None else None
    if manifest is not None:
        for t in tasks:
            if t.dest is not None and os.path.abspath(t.dest) == os.path.abspath(manifest.path):
                raise InputError("would overwrite the resume manifest; nothing written", t.dest)
    priors: list[dict[str, Any] | None] = [manifest.prior(t) if manifest is not None else None for t in tasks]
    try:
        results = _run(g, tasks, priors, options, workers or 1, progress, client, fingerprint, manifest)
        if manifest is not None:
            manifest.finish(tasks, results)
    finally:
        if manifest is not None:
            manifest.close()
    report = NormalizeReport(results)
    if suggest and not dry_run:
        pairs = [pair for r in results for pair in r.unstored]
        report.suggested = g.suggest_variants(pairs, source="normalize")
    return report


def _run(
    g: Glossary, tasks: list[_Task], priors: list[dict[str, Any] | None], options: _Options, workers: int,
    progress: Progress | None, client: Client | None, fingerprint: str, manifest: _Manifest | None,
) -> list[FileResult]:
    total = len(tasks)
    tick: Progress = progress or (lambda done, total: None)
    tick(0, total)
    slots: list[FileResult | None] = [None] * total
    count = [0]

    def done(i: int, res: FileResult) -> None:
        if manifest is not None:
            if res.skipped:
                res = manifest.fill(tasks[i], res)
            manifest.add(tasks[i], res)
        slots[i] = res
        count[0] += 1
        tick(count[0], total)

    _dispatch(g, tasks, priors, options, workers, client, fingerprint, done)
    assert all(r is not None for r in slots)
    return [r for r in slots if r is not None]


def _dispatch(
    g: Glossary, tasks: list[_Task], priors: list[dict[str, Any] | None], options: _Options, workers: int,
    client: Client | None, fingerprint: str, done: Callable[[int, FileResult], None],
) -> None:
    """Run every task, in this process, a local pool or on Dask, calling ``done(index, result)``."""
    # the process pool's modules, only when files are normalized (not on ``import glossary``)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if client is not None:
        if any(p is None for p in priors):
            # the store's index file brought up to date here, so that each worker opens it instead of
            # building its own (workers open the store read-only and never write it); cheap when current
            g.recognizer  # noqa: B018
        _run_dask(client, type(g), g.path, fingerprint, tasks, priors, options, done)
        return
    total = len(tasks)
    methods = multiprocessing.get_all_start_methods()
    fork = "fork" in methods
    if workers <= 1 or total <= 1 or any(t.path == "-" for t in tasks) or (not fork and g.path == ":memory:"):
        for i, t in enumerate(tasks):
            done(i, _process(t, options, priors[i], lambda: g.recognizer))
        return
    frozen = False
    if fork:
        _WORKER["recognizer"] = g.recognizer  # inherited by the forked workers: built once
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
            args = [(t, options, priors[i]) for i, t in enumerate(tasks)]
            for i, r in enumerate(pool.map(_run_task, args, chunksize=chunk)):
                done(i, r)
    finally:
        _WORKER.pop("recognizer", None)
        if frozen:
            gc.unfreeze()


__all__ = [
    "DASK_MISSING", "MANIFEST", "check_annotation", "collect",
    "read_document", "store_fingerprint",
]
