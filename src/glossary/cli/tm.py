"""``glossary tm …``: the translation-memory commands (a thin layer over :mod:`glossary.tm`).

Exit codes as for the rest of the CLI: 0 success, 1 a search found nothing,
2 bad input (one line on stderr).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..models import DEFAULT_MIN_SIMILARITY, ON_DUPLICATE
from ._base import (
    App,
    QuietOpt,
    VerboseOpt,
    app,
    check_quiet_verbose,
    err,
    fail,
    id_argument,
    open_glossary,
    out,
    print_json,
    report_messages,
)

tm_app = App(
    help="Translation memory: add, import/export TMX, search, concordance, show, remove.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@tm_app.command("add")
def add(
    source: Annotated[str, typer.Argument(help="Source segment.")],
    target: Annotated[str, typer.Argument(help="Its translation.")],
    source_lang: Annotated[str, typer.Option("--source-lang", "-s", help="Source language.")] = "ar",
    target_lang: Annotated[str, typer.Option("--target-lang", "-t", help="Target language.")] = "en",
    note: Annotated[str | None, typer.Option("--note", help="A note for translators.")] = None,
    origin: Annotated[str | None, typer.Option("--origin", help="Where the pair comes from.")] = None,
) -> None:
    """Store a sentence pair."""
    with open_glossary() as g:
        uid = g.tm.add(source, target, source_lang=source_lang, target_lang=target_lang,
                       note=note, origin=origin)
    out.print(f"unit {uid}", markup=False)


@tm_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A TMX file (1.1–1.4b).", dir_okay=False)],
    on_duplicate: Annotated[
        str,
        typer.Option(
            "--on-duplicate",
            help="A unit whose source is already stored: skip (default; keep is the same) stores it "
            "beside the other unless its target is the same too (a pair is never stored twice); "
            "update replaces the stored target (the newest translation wins).",
        ),
    ] = "skip",
    source_lang: Annotated[
        str | None, typer.Option("--source-lang", help="Force the source language (default: the file's srclang).")
    ] = None,
    origin: Annotated[str | None, typer.Option("--origin", help="Record this origin on every unit.")] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a TMX file in one transaction (nothing is imported from a file that fails)."""
    import warnings

    check_quiet_verbose(quiet, verbose)
    if on_duplicate not in ON_DUPLICATE:
        fail(f"--on-duplicate must be one of {', '.join(ON_DUPLICATE)}")
    with open_glossary() as g, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        show = not quiet and not as_json and err.is_terminal
        if show:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            with Progress(
                TextColumn("importing"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                console=err, transient=True,
            ) as bar:
                task = bar.add_task("import", total=None)
                g.tm.import_tmx(
                    file, on_duplicate=on_duplicate, source_lang=source_lang, origin=origin,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        else:
            g.tm.import_tmx(file, on_duplicate=on_duplicate, source_lang=source_lang, origin=origin)
        report = g.tm.last_import
    report_messages([str(w.message) for w in caught], quiet=quiet, verbose=verbose)
    assert report is not None
    if as_json:
        print_json(report.as_dict())
        return
    out.print(
        f"{file}: {report.read} units read, {report.added} added, {report.updated} updated, "
        f"{report.duplicates} duplicates, {report.alternatives} other translations of a stored source, "
        f"{report.skipped} skipped "
        f"({report.incomplete} without both languages) in {report.seconds:.1f}s",
        markup=False,
    )


@tm_app.command("export")
def export(file: Annotated[Path, typer.Argument(help="TMX file to write.", dir_okay=False)]) -> None:
    """Write the whole TM as TMX 1.4 (atomically)."""
    with open_glossary() as g:
        n = g.tm.export_tmx(file)
    out.print(f"{file}: {n} units", markup=False)


@tm_app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="The segment to translate (Arabic or English).")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most hits to show.")] = 5,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0, max=100, help="Hide hits below this score.")
    ] = DEFAULT_MIN_SIMILARITY,
    as_json: JsonOpt = False,
) -> None:
    """Fuzzy matches, best first; an entity swapped for another gets a repaired target."""
    with open_glossary() as g:
        hits = g.tm.search(text, limit=limit, min_score=min_score)
    if as_json:
        print_json([h.as_dict() for h in hits])
    elif hits:
        table = Table("id", "score", "source", "target")
        for h in hits:
            target = h.target
            if h.repaired_target is not None:
                target = f"{h.repaired_target}\n(repaired from: {h.target})"
            table.add_row(str(h.unit_id), f"{h.score:.1f}", h.source, target)
        out.print(table)
    if not hits:
        err.print(f"glossary: no TM match for {text!r}", markup=False)
        raise typer.Exit(1)


@tm_app.command("concordance")
def concordance(
    phrase: Annotated[str, typer.Argument(help="Words to find (any spelling of a name counts).")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most units to show.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Units containing a phrase, newest first."""
    with open_glossary() as g:
        hits = g.tm.concordance(phrase, limit=limit)
    if as_json:
        print_json([h.as_dict() for h in hits])
    elif hits:
        table = Table("id", "source", "target")
        for h in hits:
            table.add_row(str(h.unit_id), h.source, h.target)
        out.print(table)
    if not hits:
        err.print(f"glossary: {phrase!r} is in no TM unit", markup=False)
        raise typer.Exit(1)


@tm_app.command("stats")
def stats(as_json: JsonOpt = False) -> None:
    """Units by language pair and origin."""
    with open_glossary() as g:
        s = g.tm.stats()
    if as_json:
        print_json(s)
        return
    out.print(f"store    {s['path']}", markup=False)
    out.print(f"units    {s['units']}", markup=False)
    for pair, n in s["by_pair"].items():
        out.print(f"  {pair}  {n}", markup=False)
    if s["units"]:
        out.print(f"created  {s['first_created']} … updated {s['last_updated']}", markup=False)


#: The unit id argument of ``tm show`` and ``tm remove``.
UnitId = Annotated[int, id_argument("UNIT_ID", "Unit id (see `glossary tm search` or `tm concordance`).")]


@tm_app.command("show")
def show(unit_id: UnitId, as_json: JsonOpt = False) -> None:
    """One unit: source, target, languages, note, origin, dates."""
    with open_glossary() as g:
        unit = g.tm.get(unit_id)
    if as_json:
        print_json(unit.as_dict())
        return
    out.print(f"unit     {unit.id}  ({unit.source_lang} → {unit.target_lang})", markup=False)
    out.print(f"source   {unit.source}", markup=False)
    out.print(f"target   {unit.target}", markup=False)
    for label, value in (("note", unit.note), ("origin", unit.origin)):
        if value:
            out.print(f"{label:<8} {value}", markup=False)
    out.print(f"created  {unit.created}, updated {unit.updated}", markup=False)


@tm_app.command("remove")
def remove(unit_id: UnitId) -> None:
    """Delete one unit."""
    with open_glossary() as g:
        g.tm.remove(unit_id)
    out.print(f"removed unit {unit_id}", markup=False)


app.add_typer(tm_app, name="tm", help="Translation memory: add, import/export TMX, search, concordance, show, remove.")
