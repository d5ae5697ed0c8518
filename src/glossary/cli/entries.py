"""The glossary's own commands: ``lookup``, ``init``, ``add``, ``add-variant``, ``import``,
``export``, ``stats``, ``show``, and the daily loop of fixing entries: ``list``, ``edit``,
``delete``, ``remove-name`` and ``merge``.
"""

from __future__ import annotations

import gc
import sys
import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .. import formats
from ..errors import InputError
from ..matching import DEFAULT_MIN_SCORE
from ._base import (
    QuietOpt,
    VerboseOpt,
    app,
    check_quiet_verbose,
    check_store_folder,
    empty_store_hint,
    err,
    fail,
    id_argument,
    open_glossary,
    out,
    print_json,
    report_messages,
    state,
)


def _stdin_queries() -> list[tuple[str, str | None, int | None]]:
    """One query per non-blank line of standard input, with where it was (bad UTF-8 names the line)."""
    text = formats.decode_utf8(sys.stdin.buffer.read(), "<stdin>")
    return [(line.strip(), "<stdin>", n) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


@app.command()
def lookup(
    queries: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY", help="Spellings in Arabic or English; - reads one per line from standard input."
        ),
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most entities to show.")] = 5,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score", min=0, max=100, help=f"Hide matches below this score (default {DEFAULT_MIN_SCORE:g})."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    prefix: Annotated[
        bool, typer.Option("--prefix", help="Spellings that start with the text (بيون, Pyong): search as you type.")
    ] = False,
) -> None:
    """Find the entities a spelling refers to, best first, with score and reason.

    Several spellings (or ``-``: a list on standard input) are looked up against
    one index, built once: a list of names costs little more than one of them.
    With ``--prefix``, the text is the start of a spelling (Glossary.prefix).
    """
    # The index is built, used, and the process ends: it is never garbage, and
    # collecting it (a second on a 65k-name glossary) would only delay the answer.
    gc.disable()
    single = len(queries) == 1 and queries[0] != "-"
    wanted = [w for arg in queries for w in (_stdin_queries() if arg == "-" else [(arg, None, None)])]
    with open_glossary() as g:
        found = []
        for q, where, line in wanted:
            try:
                found.append((q, g.prefix(q, limit) if prefix else g.lookup(q, limit=limit, min_score=min_score)))
            except InputError as exc:  # a query too long: say which one
                raise InputError(exc.reason, where, line) from None
        hint = empty_store_hint(g) if any(not m for _, m in found) else ""
    if as_json:
        if single:
            print_json([m.as_dict() for m in found[0][1]])
        else:
            print_json([{"query": q, "matches": [m.as_dict() for m in matches]} for q, matches in found])
    for q, matches in found:
        if not as_json and matches:
            table = Table("id", "english", "arabic", "kind", "matched", "score", "reason", title=None if single else q)
            for m in matches:
                table.add_row(str(m.entity_id), m.english, m.arabic, m.kind, m.matched, f"{m.score:.1f}", m.reason)
            out.print(table)
        if not matches:
            err.print(f"glossary: no match for {q!r}{hint}", markup=False)
    if not found or any(not matches for _, matches in found):
        raise typer.Exit(1)


@app.command()
def init(
    path: Annotated[
        Path | None, typer.Argument(help="Where to create the store (default: the per-user store).", dir_okay=False)
    ] = None,
    defaults: Annotated[bool, typer.Option("--defaults", help="Fill it with the bundled glossary.")] = False,
) -> None:
    """Create a store (and migrate an old one)."""
    from ..glossary import Glossary
    from ..store import default_path

    target = path or state.db
    check_store_folder(target)
    with Glossary.open(target, defaults=defaults or target is None) as g:
        if defaults:  # a store filled by an older version gets this version's bundled entries
            g.load_defaults(update=True)
        s = g.stats()
    where = target or default_path()
    out.print(f"{where}: {s['entities']} entities, {s['names']} names, {s['tm_units']} TM units", markup=False)


@app.command("update-defaults")
def update_defaults(
    path: Annotated[
        Path | None, typer.Argument(help="The store to update (default: the per-user store).", dir_okay=False)
    ] = None,
) -> None:
    """Add this version's bundled entries to a store filled by an older one; your own edits stay as they are."""
    from ..glossary import Glossary
    from ..store import default_path

    target = path or state.db
    with Glossary.open(target) as g:
        before = g.stats()
        added = g.load_defaults(update=True)
        s = g.stats()
    where = target or default_path()
    out.print(
        f"{where}: {added} entities and {s['names'] - before['names']} names added from the bundled glossary; "
        f"{s['entities']} entities, {s['names']} names",
        markup=False,
    )


#: ``--alone`` of ``add`` and ``add-variant``.
_Alone = Annotated[
    str | None,
    typer.Option(
        "--alone",
        help="May a one-word spelling be a name on its own in running text: always, never, stored "
        "(only as stored: running text does not take a respelling for it), or auto "
        "(default: the recognizer decides; a common word needs a title before it).",
    ),
]


@app.command()
def add(
    english: Annotated[str, typer.Argument(help="Canonical English spelling.")],
    arabic: Annotated[str, typer.Argument(help="Canonical Arabic spelling.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help="person, place, organization or other.")] = "other",
    variant: Annotated[list[str] | None, typer.Option("--variant", "-v", help="Another spelling (repeatable).")] = None,
    alias: Annotated[list[str] | None, typer.Option("--alias", "-a", help="A short form (repeatable).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for translators.")] = None,
    frequency: Annotated[
        int | None,
        typer.Option(
            "--frequency", min=0, help="How often the name is attested; ranks it above rarer equal matches."
        ),
    ] = None,
    alone: _Alone = None,
) -> None:
    """Add an entity with its spellings."""
    with open_glossary() as g:
        eid = g.add(
            english, arabic, kind=kind, variants=variant or [], aliases=alias or [], note=note, frequency=frequency,
            alone=alone,
        )
    out.print(f"added entity {eid}: {english} = {arabic}", markup=False)


@app.command("add-variant")
def add_variant(
    entity_id: Annotated[int, id_argument("ID", "Entity id (see `glossary lookup` or `glossary list`).")],
    text: Annotated[str, typer.Argument(help="The spelling to add.")],
    alias: Annotated[bool, typer.Option("--alias", help="Record it as a short form.")] = False,
    alone: _Alone = None,
) -> None:
    """Record another spelling of an entity."""
    with open_glossary() as g:
        nid = g.add_variant(entity_id, text, role="alias" if alias else "variant", alone=alone)
    out.print(f"name {nid} on entity {entity_id}: {text}", markup=False)


_FORMAT_HELP = "; ".join(f"{name}: {desc}" for name, (desc, _i, _e) in formats.FORMATS.items())


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(help="File to import; the suffix picks the format (.csv .tsv .txt .utf8 .tbx .jsonl)."),
    ],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=f"Override the suffix. {_FORMAT_HELP}.")] = None,
    on_conflict: Annotated[
        str,
        typer.Option(
            "--on-conflict",
            help="When an entity with the same canonical English (after normalization) exists: "
            "update (default: merge the new spellings in; re-imports change nothing), skip, or fail. "
            "The same Arabic with a different English is not a conflict.",
        ),
    ] = "update",
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Skip and report bad rows instead of importing nothing.")
    ] = False,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Map glossary fields to CSV/TSV header names, e.g. english=EN,arabic=AR "
            f"(fields: {', '.join(formats.TABLE_FIELDS)}).",
        ),
    ] = None,
    curated: Annotated[
        bool,
        typer.Option(
            "--curated",
            help="The file is a list a person checked: its one-word spellings may be names on their own "
            "even when they are common words (a bulk import's are not).",
        ),
    ] = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Import a glossary file in one transaction: nothing is imported from a file that fails.

    Warnings (rows skipped or merged) are summarized by kind: the first few and
    a count; --verbose prints every one, --quiet only the counts.
    """
    check_quiet_verbose(quiet, verbose)
    mapping = formats.parse_columns(columns)
    with open_glossary() as g, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            g.import_file(file, format=fmt, on_conflict=on_conflict, skip_bad_rows=skip_bad_rows,
                          columns=mapping or None, curated=curated)
        except InputError as exc:
            if exc.line is None or skip_bad_rows or exc.line == 1:
                raise
            # one bad row refuses the whole file: say how to import the others
            raise InputError(f"{exc.reason} (--skip-bad-rows imports the other rows)", exc.path, exc.line) from None
        finally:
            report_messages([str(w.message) for w in caught], quiet=quiet, verbose=verbose)
        report = g.last_import
    assert report is not None
    out.print(f"{file}: {report.summary()}", markup=False)


@app.command()
def export(
    file: Annotated[
        Path, typer.Argument(help="Output file; the suffix picks the format (.csv .tsv .utf8 .tbx .jsonl).")
    ],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=f"Override the suffix. {_FORMAT_HELP}.")] = None,
    direction: Annotated[
        str,
        typer.Option(
            "--direction",
            help="OmegaT only: ar-en (default; one line per Arabic spelling -> canonical English) "
            "or en-ar (canonical English -> canonical Arabic).",
        ),
    ] = "ar-en",
) -> None:
    """Export the glossary (atomically: a failed export leaves no partial file)."""
    with open_glossary() as g:
        n = g.export_file(file, format=fmt, direction=direction)
    out.print(f"{file}: {n} records", markup=False)


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts of entities, names and translation-memory units."""
    with open_glossary() as g:
        s = g.stats()
    if as_json:
        print_json(s)
        return
    out.print(f"store     {s['path']}", markup=False)
    out.print(f"entities  {s['entities']}  ({', '.join(f'{k} {v}' for k, v in s['by_kind'].items())})", markup=False)
    langs = s["names_by_lang"]
    out.print(
        f"names     {s['names']}  (ar {langs['ar']}, en {langs['en']}; {s['suggested']} suggested)",
        markup=False,
    )
    out.print(f"tm_units  {s['tm_units']}", markup=False)


@app.command()
def show(
    entity_id: Annotated[int, id_argument("ID", "Entity id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """An entity with every spelling, its role and status."""
    with open_glossary() as g:
        e = g.entity(entity_id)
    if as_json:
        print_json(e.as_dict())
        return
    known = f", frequency {e.frequency}" if e.frequency is not None else ""
    out.print(f"{e.id}  {e.english} = {e.arabic}  [{e.kind}{known}]" + (f"  {e.note}" if e.note else ""), markup=False)
    table = Table("name id", "spelling", "lang", "role", "status")
    for n in e.names:
        table.add_row(str(n.id), n.text, n.lang, n.role, n.status)
    out.print(table)


# --------------------------------------------------------------------------
# the daily loop: list, edit, delete, remove-name, merge
# --------------------------------------------------------------------------


@app.command("list")
def list_(
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="Only this kind: person, place, organization or other.")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="suggested: only entities with a spelling waiting for review (`glossary review`); "
            "approved: only entities with none.",
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", "-t", help="Only entities with a spelling containing this (either script, normalized)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most entities to show.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many entities first (paging).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of entities with their names.")] = False,
) -> None:
    """Entities in id order, a page at a time, filtered by kind, status or text.

    Exit code 1 if the page is empty.
    """
    with open_glossary() as g:
        found = g.list_entities(kind=kind, text=text, status=status, limit=limit, offset=offset)
    if as_json:
        print_json([e.as_dict() for e in found])
    elif found:
        table = Table("id", "english", "arabic", "kind", "spellings", "suggested")
        for e in found:
            waiting = sum(n.status == "suggested" for n in e.names)
            table.add_row(str(e.id), e.english, e.arabic, e.kind, str(len(e.names)), str(waiting or ""))
        out.print(table)
    if not found:
        err.print("glossary: no entities" + (f" after the first {offset}" if offset else ""), markup=False)
        raise typer.Exit(1)
    if len(found) == limit and not as_json:
        err.print(f"glossary: {limit} shown; the next page: --offset {offset + limit}", markup=False)


@app.command()
def edit(
    entity_id: Annotated[int, id_argument("ID", "Entity id (see `glossary list` or `glossary lookup`).")],
    english: Annotated[str | None, typer.Option("--english", "-e", help="New canonical English spelling.")] = None,
    arabic: Annotated[str | None, typer.Option("--arabic", "-a", help="New canonical Arabic spelling.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="person, place, organization or other.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A new note for translators.")] = None,
    drop_old: Annotated[
        bool,
        typer.Option(
            "--drop-old",
            help="Remove the old canonical spelling (default: keep it as a variant, so it still finds the entity).",
        ),
    ] = False,
) -> None:
    """Change an entity's canonical spellings, kind or note.

    A replaced canonical spelling stays as a variant (a typo keeps finding the
    entity) unless --drop-old removes it.
    """
    if english is None and arabic is None and kind is None and note is None:
        fail("nothing to change: give --english, --arabic, --kind or --note")
    with open_glossary() as g:
        before = g.entity(entity_id)
        g.update(entity_id, english=english, arabic=arabic, kind=kind, note=note)
        after = g.entity(entity_id)
        replaced = [old for old in (before.english, before.arabic) if old not in (after.english, after.arabic)]
        if drop_old:
            for n in after.names:
                if n.text in replaced and n.role != "canonical":
                    g.remove_name(n.id)
    out.print(f"entity {after.id}: {after.english} = {after.arabic}  [{after.kind}]", markup=False)
    for old in replaced:
        out.print(f"  {old}: " + ("removed" if drop_old else "kept as a variant"), markup=False)


@app.command()
def delete(
    entity_id: Annotated[int, id_argument("ID", "Entity id (see `glossary list` or `glossary lookup`).")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (needed when standard input is not a terminal).")
    ] = False,
) -> None:
    """Delete an entity with all its spellings (asks first unless --yes)."""
    with open_glossary() as g:
        e = g.entity(entity_id)
        what = f"entity {e.id} ({e.english} = {e.arabic}, {len(e.names)} spellings)"
        if not yes:
            if not sys.stdin.isatty():
                fail(f"not deleting {what}: standard input is not a terminal; confirm with --yes")
            if not typer.confirm(f"Delete {what}?", default=False):
                err.print("glossary: nothing deleted", markup=False)
                raise typer.Exit(1)
        g.delete(entity_id)
    out.print(f"deleted {what}", markup=False)


@app.command("remove-name")
def remove_name(
    name_id: Annotated[int, id_argument("NAME_ID", "Name id (see `glossary show ID`).")],
) -> None:
    """Delete one spelling (a variant or alias; change a canonical one with `glossary edit`)."""
    with open_glossary() as g:
        g.remove_name(name_id)
    out.print(f"removed name {name_id}", markup=False)


@app.command()
def merge(
    keep_id: Annotated[int, id_argument("KEEP_ID", "The entity to keep (its canonical spellings stay).")],
    other_id: Annotated[
        int, id_argument("OTHER_ID", "The entity merged into it and then deleted (its spellings become variants).")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (needed when standard input is not a terminal).")
    ] = False,
) -> None:
    """Make two entities found to be one a single entity (asks first unless --yes).

    KEEP_ID takes every spelling of OTHER_ID (its canonical spellings become
    variants), the frequencies add up and the notes are joined; OTHER_ID is
    deleted.  The translation memory is not changed.
    """
    with open_glossary() as g:
        keep, other = g.entity(keep_id), g.entity(other_id)
        what = (
            f"entity {other.id} ({other.english} = {other.arabic}, {len(other.names)} spellings) "
            f"into entity {keep.id} ({keep.english} = {keep.arabic})"
        )
        if keep_id != other_id and not yes:
            if not sys.stdin.isatty():
                fail(f"not merging {what}: standard input is not a terminal; confirm with --yes")
            if not typer.confirm(f"Merge {what}, deleting entity {other.id}?", default=False):
                err.print("glossary: nothing merged", markup=False)
                raise typer.Exit(1)
        merged = g.merge(keep_id, other_id)
    moved = len(merged.names) - len(keep.names)
    out.print(
        f"merged {what}: {moved} spelling{'s' if moved != 1 else ''} moved, "
        f"{len(other.names) - moved} already there; entity {other.id} deleted",
        markup=False,
    )
