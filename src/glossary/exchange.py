"""Exchange: importing and exporting glossary files for :class:`~glossary.Glossary`.

Formats (CSV/TSV/Excel CSV, OmegaT, TBX v2 and v3, JSON Lines) are parsed and
written by :mod:`glossary.formats` and :mod:`glossary.tbx`; this module decides
what a row *means* for the store: which entity it is (the conflict rule), what is
added, merged or skipped, and it runs each import as one transaction.

An imported entity is the same as a stored one when its canonical English is the
same after normalization ("Kim Jong-un" = "Kim Jong Un"). The same Arabic with a
different English is not a conflict: Arabic spellings of different foreign names
collide all the time (هارمن is both Harman and Harmen).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import formats, tbx
from .errors import GlossaryWarning, InputError
from .models import (
    ROLES,
    STATUSES,
    ImportReport,
    check_alone,
    check_canonical,
    check_frequency,
    check_kind,
    parse_frequency,
)
from .normalize import normalize
from .segments import segment_norm
from .store.tm_index import UNIT_COLUMNS

if TYPE_CHECKING:
    from .glossary import Glossary

ON_CONFLICT = ("update", "skip", "fail")


@dataclass
class _ImportRun:
    """State of one import: the report, the conflict policy, and what this file added."""

    report: ImportReport
    path: str
    on_conflict: str
    source: str | None
    #: the spellings were checked by a person (False: a bulk import, see Glossary.import_file)
    curated: bool = False
    line: int = 0
    #: entity id -> line that added it
    new_entities: dict[int, int] = field(default_factory=dict)
    #: (english norm, arabic norm) -> first line
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    #: (english, arabic) exactly as written, of rows whose frequency was counted
    counted: set[tuple[str, str]] = field(default_factory=set)
    #: entity stored before this import -> the frequency this file gives it, stored at the end
    totals: dict[int, int] = field(default_factory=dict)
    #: undoes what the current row added to the maps above, if the row is skipped
    pending: list[Callable[[], object]] = field(default_factory=list)
    #: normalized English spellings whose stored entities this import leaves alone
    protected: frozenset[str] = frozenset()
    #: False: rows of entities not stored are skipped (only spellings are added)
    add_entities: bool = True


def import_file(
    g: Glossary,
    path: str | Path,
    *,
    format: str | None = None,
    on_conflict: str = "update",
    skip_bad_rows: bool = False,
    source: str | None = None,
    columns: dict[str, str] | None = None,
    curated: bool = False,
    protected: frozenset[str] = frozenset(),
    add_entities: bool = True,
) -> int:
    """Import a glossary file; returns the entities imported (added + updated + merged).

    Formats (from the suffix, or ``format``): ``csv``/``tsv``/``excel-csv``
    with a header -- ``english`` and ``arabic``, optional ``kind``,
    ``variants`` and ``aliases`` (``|``-separated, either script), ``note``,
    ``source``, ``frequency``; columns named by language (``en``, ``ar-SA``); or a CAT
    layout ``sourceString, targetString`` with ``sourceLang``/``targetLang``
    columns whose codes give each row's direction (TICO-19) -- other
    layouts through ``columns`` (``{"english": "EN", "arabic": "AR"}``);
    ``omegat`` (source TAB target TAB comment; the column holding Arabic
    is the Arabic one); ``tbx`` (v3 or v2, detected); ``jsonl`` (a
    lossless export, restored with its ids and timestamps).

    Conflicts: an imported entity *is* an existing one when its canonical
    English is the same after normalization (case, accents, punctuation:
    "Kim Jong-un" = "Kim Jong Un").  A shared Arabic spelling is not a
    conflict -- هارمن is both Harman and Harmen.  ``on_conflict`` decides:
    ``update`` (default) merges the new spellings into the existing entity
    (so re-importing a file changes nothing), ``skip`` leaves it alone,
    ``fail`` stops the import.  Rows of the same file that share an English
    name are always merged into one entity (an exact repeat is warned about).

    Frequency (a ``frequency`` column -- also ``freq``, ``count``, ``usage
    count`` -- or ``frequency`` in JSON Lines; empty: unknown; anything but a
    whole number >= 0 is a bad row): a row that adds an entity sets it; later
    rows of the file for that entity add theirs (``rodriguez`` 34 +
    ``rodríguez`` 302: distinct attestations of one name), except a repeat of
    a row with the very same English and Arabic text.  For an entity stored
    before the import, ``update`` replaces the stored value with what this
    file gives it (its first value, plus later rows as above), so
    re-importing a file changes nothing; ``skip`` and empty cells leave it
    alone.

    The whole file is one transaction: a bad row imports nothing unless
    ``skip_bad_rows`` is set, which skips and reports each bad row
    (:class:`GlossaryWarning` and ``last_import.bad_rows``).  A file that
    cannot be read (not UTF-8, malformed XML, an XML entity declaration)
    always imports nothing.

    For updating the bundled glossary (:meth:`Glossary.load_defaults`), CSV rows whose
    English is one of ``protected`` (normalized English spellings of entities a person
    edited) are skipped, and so are rows of entities not stored when ``add_entities`` is
    False.
    """
    if on_conflict not in ON_CONFLICT:
        raise InputError(f"unknown on_conflict {on_conflict!r}; use one of {', '.join(ON_CONFLICT)}")
    if Path(path).is_dir():
        raise InputError("is a folder; import the files in it one by one", path)
    fmt = formats.format_for(path, format)
    if format is None and Path(path).suffix.lower() in (".txt", ".tab"):
        fmt = formats.sniff_txt(path)
    if columns and fmt not in ("csv", "tsv", "excel-csv"):
        raise InputError(f"--columns only applies to CSV/TSV files, not {fmt}", path)
    if not formats.FORMATS[fmt][1]:
        raise InputError(f"cannot import format {fmt!r}", path)
    run = _ImportRun(ImportReport(str(path)), str(path), on_conflict, source, curated)
    run.protected, run.add_entities = protected, add_entities
    if fmt == "jsonl":
        records = formats.read_jsonl(path)
        _import_items(g, records, run, skip_bad_rows, lambda obj: _import_record(g, obj, run))
    elif fmt in ("tbx", "tbx2"):
        reader = tbx.read_tbx(path)
        ignored: set[str] = set()
        complete = [0]

        def concept(node: tbx.Node) -> None:
            try:
                record = tbx.concept_record(node, ignored)
            except tbx.MissingTerm as exc:  # a concept of a multilingual termbase without Arabic
                run.report.incomplete.append(str(InputError(exc.reason, run.path, run.line)))
                return
            complete[0] += 1
            _import_record(g, record, run)

        _import_items(g, iter(reader), run, skip_bad_rows, concept)
        run.report.ignored_languages = sorted(ignored)
        incomplete = run.report.incomplete
        if not complete[0]:  # (nothing was written)
            n = len(incomplete)
            raise InputError(
                "no concept has both an English and an Arabic term"
                + (f" ({n:,} concept{'s' if n != 1 else ''} read); nothing imported" if n else " (no concepts)"),
                path,
            )
        if incomplete:
            warnings.warn(
                f"{path}: skipped {len(incomplete):,} concept{'s' if len(incomplete) != 1 else ''} "
                f"without both an English and an Arabic term (first: {incomplete[0]})",
                GlossaryWarning,
                stacklevel=2,
            )
        if ignored:
            warnings.warn(
                f"{path}: ignored terms in language{'s' if len(ignored) > 1 else ''} "
                f"{', '.join(sorted(ignored))} (only English and Arabic are kept)",
                GlossaryWarning,
                stacklevel=2,
            )
    elif fmt == "omegat":
        _import_items(g, formats.read_omegat(path), run, skip_bad_rows, lambda row: _import_row(g, row, run))
    else:
        layout, rows = formats.read_glossary_table(
            path, "tsv" if fmt == "tsv" else "csv", columns, lenient=skip_bad_rows
        )
        run.report.ignored_columns = layout.ignored
        if layout.ignored:
            warnings.warn(
                f"{path}: ignoring column{'s' if len(layout.ignored) > 1 else ''} {', '.join(layout.ignored)}",
                GlossaryWarning,
                stacklevel=2,
            )
        _import_items(g, rows, run, skip_bad_rows, lambda row: _import_row(g, layout.convert(row), run))
    g.last_import = run.report
    return run.report.imported


def _import_items(
    g: Glossary,
    items: Iterator[tuple[int, Any]],
    run: _ImportRun,
    skip_bad_rows: bool,
    handle: Callable[[Any], None],
) -> None:
    """Feed ``(line, item)`` pairs to ``handle`` in one transaction; see :meth:`import_file`.

    An error raised by ``items`` itself (unreadable file, malformed XML)
    aborts the import even with ``skip_bad_rows``: there is no next row to
    go on with.
    """
    w = g.writer
    with w.transaction():
        report = run.report
        for line, item in items:
            run.line = line
            counts = (report.added, report.updated, report.skipped, report.merged)
            run.pending.clear()
            try:
                if isinstance(item, formats.BadRow):
                    raise item.error
                if skip_bad_rows:
                    with w.store.savepoint():  # a bad row leaves no trace
                        handle(item)
                else:
                    handle(item)
                continue
            except InputError as exc:
                err = InputError(exc.reason, run.path, line)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                err = InputError(f"malformed record ({type(exc).__name__}: {exc})", run.path, line)
            if not skip_bad_rows:
                raise err from None
            # the savepoint undid the row: undo its counts and what it added to this run
            report.added, report.updated, report.skipped, report.merged = counts
            for undo in run.pending:
                undo()
            report.bad_rows.append(str(err))
            warnings.warn(f"skipped {err}", GlossaryWarning, stacklevel=3)
        _store_totals(g, run)


def _conflict(g: Glossary, english: str, arabic: str, run: _ImportRun) -> tuple[int | None, bool]:
    """``(entity id, merge)`` for an imported entity: ``(None, _)`` if it is new.

    ``merge`` is True when the entity was added earlier by this same file.
    Raises for ``fail``; the caller skips for ``skip``.
    """
    existing = g.find_entity(english=english)
    if existing is None:
        return None, False
    if existing in run.new_entities:
        key = (normalize(english, "en"), normalize(arabic, "ar"))
        first = run.seen.get(key)
        if first is not None:
            warnings.warn(
                f"{run.path}:{run.line}: duplicate of line {first} (same English and Arabic); merged",
                GlossaryWarning,
                stacklevel=4,
            )
        run.report.merged += 1
        return existing, True
    if run.on_conflict == "fail":
        raise InputError(
            f"entity {english!r} already exists (id {existing}); on-conflict is fail "
            "(use update to merge or skip to keep the stored one)"
        )
    return existing, False


def _note_new(g: Glossary, eid: int, english: str, arabic: str, run: _ImportRun) -> None:
    key = (normalize(english, "en"), normalize(arabic, "ar"))
    if eid not in run.new_entities:
        run.new_entities[eid] = run.line
        run.pending.append(lambda: run.new_entities.pop(eid, None))
    if key not in run.seen:
        run.seen[key] = run.line
        run.pending.append(lambda: run.seen.pop(key, None))


def _count_frequency(
    g: Glossary, eid: int, english: str, arabic: str, frequency: int | None, run: _ImportRun, *, added: bool
) -> None:
    """Fold a row's frequency into its entity by the rule in :func:`import_file`.

    ``added``: this row inserted the entity, frequency included.  An entity
    stored before the import only gets its total at the end
    (:func:`_store_totals`), so a re-import that gives the same total writes
    nothing: its ``updated`` time and the glossary version stay put.
    """
    spelling = (english, arabic)
    if frequency is None or spelling in run.counted:
        return
    run.counted.add(spelling)
    run.pending.append(lambda: run.counted.discard(spelling))
    if added:
        return
    if eid in run.new_entities:
        g.store.add_frequency(eid, frequency)
        return
    before = run.totals.get(eid)
    run.totals[eid] = (before or 0) + frequency
    if before is None:
        run.pending.append(lambda: run.totals.pop(eid, None))
    else:
        run.pending.append(lambda: run.totals.__setitem__(eid, before))


def _store_totals(g: Glossary, run: _ImportRun) -> None:
    """Replace the frequency of stored entities this file gave one, where it changed."""
    for eid, total in run.totals.items():
        g.store.set_frequency(eid, total)


def _import_row(g: Glossary, row: dict[str, str], run: _ImportRun) -> None:
    english, arabic = check_canonical(row.get("english") or "", row.get("arabic") or "", mixed=True)
    kind = (row.get("kind") or "").strip().lower() or None
    if kind is not None:
        check_kind(kind)
    note = (row.get("note") or "").strip() or None
    frequency = parse_frequency(row.get("frequency"))
    row_source = (row.get("source") or "").strip() or run.source
    alone = check_alone(row.get("alone"))
    variants = formats.split_list(row.get("variants"))
    aliases = formats.split_list(row.get("aliases"))
    report = run.report
    w = g.writer
    if run.protected and normalize(english, "en") in run.protected:
        report.skipped += 1
        return
    existing, merge = _conflict(g, english, arabic, run)
    if existing is None and not run.add_entities:
        report.skipped += 1
        return
    if existing is None:
        eid = g.store.insert_entity(english, arabic, kind or "other", note, row_source, frequency)
        w.insert_name(eid, english, "canonical", "approved", row_source, curated=run.curated, alone=alone)
        w.insert_name(eid, arabic, "canonical", "approved", row_source, curated=run.curated, alone=alone)
        report.added += 1
    elif run.on_conflict == "skip" and not merge:
        report.skipped += 1
        return
    else:
        eid = existing
        w.insert_name(eid, english, "variant", "approved", row_source, curated=run.curated, alone=alone)
        w.insert_name(eid, arabic, "variant", "approved", row_source, curated=run.curated, alone=alone)
        _update_entity_info(g, eid, kind, note)
        if not merge:
            report.updated += 1
    if existing is None or merge:
        _note_new(g, eid, english, arabic, run)
    _count_frequency(g, eid, english, arabic, frequency, run, added=existing is None)
    for text in variants:
        w.insert_name(eid, text, "variant", "approved", row_source, curated=run.curated, alone=alone)
    for text in aliases:
        w.insert_name(eid, text, "alias", "approved", row_source, curated=run.curated, alone=alone)


def _update_entity_info(g: Glossary, eid: int, kind: str | None, note: str | None) -> None:
    if kind is not None or note is not None:
        g.store.update_entity_info(eid, kind, note)


def _import_jsonl(g: Glossary, path: str | Path, report: ImportReport, on_conflict: str) -> None:
    """Restore a JSON Lines dump into the open transaction (kept for callers of the old API)."""
    run = _ImportRun(report, str(path), on_conflict, None)
    for line, obj in formats.read_jsonl(path):
        run.line = line
        try:
            _import_record(g, obj, run)
        except InputError as exc:
            raise InputError(exc.reason, path, line) from None
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"malformed record ({exc})", path, line) from None
    _store_totals(g, run)


def _import_record(g: Glossary, obj: dict[str, Any], run: _ImportRun) -> None:
    kind = obj.get("type")
    if kind == "entity":
        _restore_entity(g, obj, run)
    elif kind == "tm_unit":
        _restore_tm_unit(g, obj)
    else:
        raise InputError(f"unknown record type {kind!r} (expected entity or tm_unit)")


def _restore_entity(g: Glossary, obj: dict[str, Any], run: _ImportRun) -> None:
    """Add (or merge) one entity record: the JSON Lines shape, also what TBX concepts become."""
    english, arabic = check_canonical(obj["english"], obj["arabic"], mixed=True)
    kind = obj.get("kind") or "other"
    check_kind(kind)
    frequency = check_frequency(obj.get("frequency"))
    names = obj.get("names") or []
    if not isinstance(names, list):
        raise InputError("names must be a list")
    for name in names:
        role = name.get("role", "variant")
        status = name.get("status", "approved")
        if role not in ROLES or status not in STATUSES:
            raise InputError(f"bad role/status {role!r}/{status!r}")
    w = g.writer
    existing, merge = _conflict(g, english, arabic, run)
    if existing is not None:
        if run.on_conflict == "skip" and not merge:
            run.report.skipped += 1
            return
        eid = existing
        w.insert_name(eid, english, "variant", "approved", obj.get("source"), curated=run.curated)
        w.insert_name(eid, arabic, "variant", "approved", obj.get("source"), curated=run.curated)
        _update_entity_info(g, eid, kind if kind != "other" else None, obj.get("note") or None)
        if not merge:
            run.report.updated += 1
    else:
        wanted = obj.get("id")
        free = (
            isinstance(wanted, int)
            and not isinstance(wanted, bool)
            and wanted > 0
            and not g.store.entity_exists(wanted)
        )
        eid = g.store.insert_entity(
            english, arabic, kind, obj.get("note"), obj.get("source"), frequency,
            created=obj.get("created") or None, updated=obj.get("updated") or None,
            entity_id=wanted if free else None,
        )
        run.report.added += 1
        _note_new(g, eid, english, arabic, run)
        if not any(n.get("role") == "canonical" for n in names):
            w.insert_name(eid, english, "canonical", "approved", obj.get("source"), curated=run.curated)
            w.insert_name(eid, arabic, "canonical", "approved", obj.get("source"), curated=run.curated)
    _count_frequency(g, eid, english, arabic, frequency, run, added=existing is None)
    for name in names:
        role = name.get("role", "variant")
        if existing is not None and role == "canonical":
            role = "variant"
        nid = w.insert_name(
            eid, name["text"], role, name.get("status", "approved"), name.get("source"),
            curated=bool(name.get("curated", run.curated)), alone=check_alone(name.get("alone")),
        )
        if name.get("created"):
            g.store.set_name_created(nid, name["created"])


def _restore_tm_unit(g: Glossary, obj: dict[str, Any]) -> None:
    record = {c: obj.get(c) for c in UNIT_COLUMNS if obj.get(c) is not None}
    record["source_norm"] = segment_norm(obj["source"], obj.get("source_lang") or "ar")
    record["target_norm"] = segment_norm(obj["target"], obj.get("target_lang") or "en")
    wanted = obj.get("id")
    units = g.store.tm
    if isinstance(wanted, int) and not units.unit_exists(wanted):
        record["id"] = wanted
    units.insert_record(record)


def export_file(g: Glossary, path: str | Path, *, format: str | None = None, direction: str = "ar-en") -> int:
    """Write the glossary to a file (format from the suffix or ``format``); returns records written.

    * ``jsonl``: lossless -- every entity and name with role, status,
      source and timestamps, and the translation memory; imports back
      identically into an empty store.
    * ``csv``/``tsv``: approved spellings in the import layout, so an export
      imports back to the same entities; ``excel-csv``: the same as CSV
      with a BOM and CRLF for spreadsheet programs.
    * ``tbx`` (v3, TBX-Basic) / ``tbx2`` (v2 martif): one concept per entity,
      one term per spelling, roles kept (see :mod:`glossary.tbx`).
    * ``omegat``: a glossary for OmegaT; ``direction="ar-en"`` (default)
      writes one line per approved Arabic spelling with its canonical English,
      so every spelling in an Arabic source text is recognised;
      ``"en-ar"`` writes canonical English -> canonical Arabic, one line
      per entity.  The comment column holds the entity note.
    """
    fmt = formats.format_for(path, format)
    if not formats.FORMATS[fmt][2]:
        raise InputError(f"cannot export format {fmt!r}", path)
    if fmt == "jsonl":
        return formats.write_jsonl(
            path,
            dump_records(
                g,
            ),
        )
    if fmt in ("csv", "tsv", "excel-csv"):
        return formats.write_table(
            path,
            fmt,
            _table_rows(
                g,
            ),
            formats.GLOSSARY_COLUMNS,
        )
    if fmt in ("tbx", "tbx2"):
        return tbx.write_tbx(path, g.entities(), version=3 if fmt == "tbx" else 2)
    if direction not in ("ar-en", "en-ar"):
        raise InputError(f"unknown direction {direction!r}; use ar-en or en-ar")
    return formats.write_omegat(path, _omegat_rows(g, direction))


def _omegat_rows(g: Glossary, direction: str) -> Iterator[tuple[str, str, str]]:
    for e in g.entities():
        note = e.note or ""
        if direction == "en-ar":
            yield e.english, e.arabic, note
            continue
        for n in e.names:
            if n.lang == "ar" and n.status == "approved":
                yield n.text, e.english, note


def _table_rows(g: Glossary) -> Iterator[dict[str, Any]]:
    for e in g.entities():
        approved = [n for n in e.names if n.status == "approved"]
        yield {
            "english": e.english,
            "arabic": e.arabic,
            "kind": e.kind,
            "variants": formats.LIST_SEPARATOR.join(n.text for n in approved if n.role == "variant"),
            "aliases": formats.LIST_SEPARATOR.join(n.text for n in approved if n.role == "alias"),
            "note": e.note,
            "source": e.source,
            "frequency": e.frequency,
        }


def dump_records(g: Glossary) -> Iterator[dict[str, Any]]:
    """Every entity (with all its names) and every TM unit as plain records: the JSONL export.

    Two stores hold the same data exactly when their dumps are equal.
    """
    for e in g.entities():
        created = g.store.names_created(e.id)
        yield {
            "type": "entity",
            "id": e.id,
            "english": e.english,
            "arabic": e.arabic,
            "kind": e.kind,
            "note": e.note,
            "source": e.source,
            "frequency": e.frequency,
            "created": e.created,
            "updated": e.updated,
            "names": [
                {
                    "text": n.text,
                    "lang": n.lang,
                    "role": n.role,
                    "status": n.status,
                    "source": n.source,
                    "alone": n.alone,
                    "curated": n.curated,
                    "created": created.get(n.id),
                }
                for n in e.names
            ],
        }
    for unit in g.store.tm.unit_records():
        yield {"type": "tm_unit", **unit}
