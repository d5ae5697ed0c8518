"""``glossary normalize``, ``glossary mentions`` and ``glossary review``: the command line of running text.

``normalize`` only parses its options, calls :meth:`glossary.Glossary.normalize_files`
(:mod:`glossary.batch`: collecting, decoding, atomic writes, the process pool,
the report) and prints: the normalized text or the diffs on standard output,
errors and the summary on standard error.  Exit code 2 if any file could not
be processed.  ``mentions`` prints what :meth:`glossary.Glossary.find_mentions` finds in
files or standard input, and changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from .. import formats
from ..matching import DEFAULT_MIN_SCORE
from ..recognition import DEFAULT_ANNOTATION, REWRITE_MIN_SCORE
from ._base import (
    QuietOpt,
    VerboseOpt,
    app,
    check_quiet_verbose,
    empty_store_hint,
    err,
    fail,
    open_glossary,
    out,
    parse_id,
    print_json,
    report_messages,
)

if TYPE_CHECKING:
    from distributed import Client

#: Files above this count get a progress bar (on a terminal).
PROGRESS_MIN_FILES = 4


@app.command("normalize")
def normalize_cmd(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Files, folders (searched recursively) or - for standard input."),
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
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask", metavar="SCHEDULER_ADDRESS",
            help="Run on a Dask cluster (tcp://host:8786); every worker must read the store at the same path.",
        ),
    ] = None,
    resume: Annotated[
        bool | None,
        typer.Option(
            "--resume/--no-resume",
            help="With --out-dir: skip outputs an earlier run wrote that are still complete "
            "(default: on with --dask).",
        ),
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Normalize Arabic article files: every mention to the canonical spelling.

    Without --out-dir, --in-place or --dry-run the normalized text goes to
    standard output.  Exit code 2 if any file could not be processed.  Errors and
    warnings are summarized by kind (the first few and a count); --verbose prints
    every one, --quiet only the counts (and no progress bar).
    """
    import warnings

    from rich.progress import Progress, TaskID

    from ..batch import check_annotation

    if out_dir is not None and in_place:
        fail("--out-dir and --in-place exclude each other")
    if backup and not in_place:
        fail("--backup needs --in-place")
    if "-" in paths and (len(paths) > 1 or in_place or out_dir is not None):
        fail("-: standard input is read alone and written to standard output")
    if report is not None and report.suffix.lower() not in (".json", ".csv"):
        fail(f"{report}: the report must be a .json or .csv file")
    if resume and (out_dir is None or dry_run):
        fail("--resume needs --out-dir (and no --dry-run): only outputs written there can be skipped")
    if dask is not None and jobs > 1:
        fail("--jobs and --dask exclude each other: the Dask cluster has the workers")
    if dask is not None and "-" in paths:
        fail("-: standard input cannot be sent to Dask workers; normalize it without --dask")
    try:
        fmt = check_annotation(annotate or False)
    except ValueError as exc:
        fail(f"--annotate: {exc}")
    check_quiet_verbose(quiet, verbose)
    client = connect_dask(dask) if dask is not None else None
    g = open_glossary()
    try:
        with (
            warnings.catch_warnings(record=True) as caught,
            Progress(transient=True, disable=quiet or not sys.stderr.isatty(), console=err) as bar,
        ):
            warnings.simplefilter("always")
            shown: list[TaskID] = []

            def tick(done: int, total: int) -> None:
                if total < PROGRESS_MIN_FILES:
                    return
                if not shown:
                    shown.append(bar.add_task("normalizing", total=total))
                bar.update(shown[0], completed=done)

            result = g.normalize_files(
                paths, out_dir=out_dir, in_place=in_place, backup=backup, dry_run=dry_run, glob=glob,
                workers=jobs, min_score=min_score, annotate=fmt or False, expand_aliases=expand_aliases,
                suggest=suggest, keep_mentions=report is not None, progress=tick, client=client, resume=resume,
            )
        hint = empty_store_hint(g) if not result.summary["mentions"] else ""
    except Exception as exc:
        from ..errors import GlossaryError

        if client is None or isinstance(exc, GlossaryError):
            raise
        fail(f"--dask {dask}: the run failed ({type(exc).__name__}: {' '.join(str(exc).split())})")
    finally:
        g.close()
        if client is not None:
            client.close()
    report_messages([str(w.message) for w in caught], quiet=quiet, verbose=verbose)
    for f in result.files:
        if f.output is not None:
            sys.stdout.buffer.write(f.output)
            sys.stdout.buffer.flush()
        if f.diff:
            sys.stdout.write(f.diff)
            sys.stdout.flush()
    if result.suggested:
        n = len(result.suggested)
        err.print(
            f"glossary: {n} suggested spelling{'s' if n > 1 else ''} recorded; review them with `glossary review`",
            markup=False,
        )
    if report is not None:
        result.write(report)
    errors = result.errors
    report_messages([str(f.message) for f in errors], quiet=quiet, verbose=verbose, label="error")
    summary = result.summary
    if ((out_dir is not None or in_place) and not dry_run) or report is not None:
        files = summary["files"]
        skipped = sum(f.skipped for f in result.files)
        err.print(
            f"glossary: {files} file{'s' if files != 1 else ''}, {summary['changed']} changed, "
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
            f"{summary['mentions']} mentions" + (f", {skipped} already complete (skipped)" if skipped else ""),
            markup=False,
        )
    if hint:
        err.print(f"glossary: no mention found{hint}", markup=False)
    if errors:
        raise typer.Exit(2)


def connect_dask(address: str) -> Client:
    """A client of the scheduler at ``address``, or one line and exit code 2.

    Dask is imported only here, so a run without ``--dask`` never loads it.  How long a
    connection is tried is Dask's ``distributed.comm.timeouts.connect`` (30 s; the
    environment variable ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT`` sets it).
    """
    from ..batch import DASK_MISSING

    try:
        from distributed import Client
    except ImportError:
        fail(f"--dask: {DASK_MISSING}")
    try:
        return Client(address, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:  # TimeoutError is an OSError
        reason = " ".join(str(exc).split()) or type(exc).__name__
        fail(f"--dask {address}: cannot reach the Dask scheduler ({reason})")


# --------------------------------------------------------------------------
# mentions
# --------------------------------------------------------------------------


@app.command("mentions")
def mentions_cmd(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Text files, or - for standard input.")],
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score", min=0, max=100, help=f"Report mentions scoring at least N (default {DEFAULT_MIN_SCORE:g})."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: the mentions (with several files, per file).")
    ] = False,
) -> None:
    """Every name in a text: its entity, score and reason, as `lookup` gives the span.

    Offsets count characters of the text as read (UTF-8, or UTF-16 with a byte-order mark; the
    byte-order mark is not counted).
    Nothing is written.  Exit code 1 if no file holds a mention.
    """
    # every file is read first: a bad one is reported before any output
    texts = [(p, formats.decode_utf8(sys.stdin.buffer.read(), "<stdin>") if p == "-" else formats.read_text(p))
             for p in dict.fromkeys(paths)]
    with open_glossary() as g:
        found = [(p, g.find_mentions(text, min_score=min_score)) for p, text in texts]
        hint = empty_store_hint(g) if not all(ms for _, ms in found) else ""
    single = len(found) == 1
    if as_json:
        if single:
            print_json([m.as_dict() for m in found[0][1]])
        else:
            print_json([{"path": p, "mentions": [m.as_dict() for m in ms]} for p, ms in found])
    else:
        for p, ms in found:
            if not ms:
                err.print(f"glossary: no mention in {'standard input' if p == '-' else p}{hint}", markup=False)
                continue
            table = Table("at", "surface", "english", "arabic", "score", "reason", title=None if single else p)
            for m in ms:
                reason = m.reason + (", ambiguous" if m.ambiguous else "")
                table.add_row(f"{m.start}-{m.end}", m.surface, m.english, m.arabic, f"{m.score:.1f}", reason)
            out.print(table)
    if not any(ms for _, ms in found):
        raise typer.Exit(1)


# --------------------------------------------------------------------------
# review
# --------------------------------------------------------------------------


@app.command("review")
def review_cmd(
    approve: Annotated[
        list[int] | None,
        typer.Option(
            "--approve", "-a", metavar="NAME_ID", parser=parse_id("--approve"),
            help="Approve a suggested spelling by name id (repeatable).",
        ),
    ] = None,
    reject: Annotated[
        list[int] | None,
        typer.Option(
            "--reject", "-r", metavar="NAME_ID", parser=parse_id("--reject"),
            help="Reject (delete) a suggested spelling by name id (repeatable).",
        ),
    ] = None,
    approve_all: Annotated[bool, typer.Option("--approve-all", help="Approve every suggested spelling.")] = False,
    reject_all: Annotated[bool, typer.Option("--reject-all", help="Reject every suggested spelling.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="List as JSON.")] = False,
) -> None:
    """List spellings suggested by `normalize --suggest`, or approve / reject them."""
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


__all__ = ["connect_dask", "fix_optional_annotate", "normalize_cmd", "review_cmd"]
