"""Formats: reading and writing glossary files (CSV, TSV, OmegaT, JSON Lines).

Reading is strict and explains itself: a file that is not UTF-8 (or UTF-16
with a BOM), has no header, lacks a required column or has a malformed row
raises :class:`InputError` naming the file and line.  Writing is atomic: a temp
file beside the target, then a rename, so an interrupted export never leaves a
truncated file.

Table layouts understood on import (:func:`read_glossary_table`):

* the glossary's own header ``english, arabic[, kind, variants, aliases, note, source, frequency]``
  (``frequency``: how often the name is attested, a whole number or empty; also
  ``freq``, ``count``, ``usage count``);
* columns named by language (``en``/``ar``, ``en-US``/``ar-SA``, ``English``/``Arabic``);
* CAT-tool bilingual layouts: ``sourceString, targetString`` (or ``source term``,
  ``source text`` ...) with per-row ``sourceLang``/``targetLang`` columns, as in
  TICO-19 -- the direction (en->ar or ar->en) is read from each row's language
  codes, or from which column holds Arabic when there are no language columns;
* anything else through an explicit mapping, ``--columns english=EN,arabic=AR``.

TBX lives in :mod:`glossary.tbx`.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import InputError

#: File suffix -> format name.
SUFFIX_FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "omegat",  # OmegaT's own glossary suffix (a .tab with a header row is read as TSV)
    ".txt": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".tbx": "tbx",
    ".utf8": "omegat",
}
#: Suffixes of translation-memory files (``glossary tm import``/``export``), not glossary formats.
TM_SUFFIXES = (".tmx",)
#: Every format name, what it is, and whether it can be imported / exported.
FORMATS: dict[str, tuple[str, bool, bool]] = {
    "csv": ("CSV with a header row", True, True),
    "tsv": ("tab-separated with a header row", True, True),
    "excel-csv": ("CSV for Excel: UTF-8 with BOM, CRLF", True, True),
    "omegat": ("OmegaT glossary: source TAB target TAB comment, no header", True, True),
    "tbx": ("TBX v3 (ISO 30042:2019), TBX-Basic; import reads v2 too", True, True),
    "tbx2": ("TBX v2 / martif (TBX-Basic 2008), as translate-toolkit writes", True, True),
    "jsonl": ("JSON Lines: lossless dump of the whole store", True, True),
}
#: Other names accepted for ``--format``.
FORMAT_ALIASES: dict[str, str] = {
    "tab": "tsv",
    "excel": "excel-csv",
    "xlsx-csv": "excel-csv",
    "tbx3": "tbx",
    "tbx-basic": "tbx",
    "martif": "tbx2",
    "tbx-v2": "tbx2",
    "ndjson": "jsonl",
    "json": "jsonl",
}

#: Columns of the glossary's own CSV/TSV layout, in export order.
GLOSSARY_COLUMNS: tuple[str, ...] = (
    "english", "arabic", "kind", "variants", "aliases", "note", "source", "frequency",
)
#: Columns an import also reads (not exported: JSON Lines keeps them).
IMPORT_COLUMNS: tuple[str, ...] = (*GLOSSARY_COLUMNS, "alone")
REQUIRED_COLUMNS: tuple[str, ...] = ("english", "arabic")
#: Separator inside the variants and aliases cells.
LIST_SEPARATOR = "|"


def format_for(path: str | Path, explicit: str | None = None) -> str:
    """The format named explicitly, else the one the suffix implies.

    >>> format_for("names.TSV")
    'tsv'
    """
    if explicit:
        name = explicit.strip().lower()
        name = FORMAT_ALIASES.get(name, name)
        if name not in FORMATS:
            raise InputError(f"unknown format {explicit!r}; use one of {', '.join(FORMATS)}", path)
        return name
    suffix = Path(path).suffix.lower()
    if suffix in TM_SUFFIXES:
        raise InputError(
            f"{suffix} is a translation-memory file, not a glossary: use `glossary tm export` or "
            "`glossary tm import` (TranslationMemory.export_tmx, import_tmx)",
            path,
        )
    try:
        return SUFFIX_FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise InputError(
            f"unknown format {suffix or '(no suffix)'!r}; use a suffix {known} "
            f"or --format {'|'.join(FORMATS)}",
            path,
        ) from None


def read_text(path: str | Path) -> str:
    """The file's text, decoded as UTF-8 (a BOM is dropped); non-UTF-8 is reported with its line."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", p) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", p) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", p) from None
    return decode_utf8(data, p)


def _utf16_without_bom(head: bytes) -> bool:
    """Text in UTF-16 with no byte-order mark: one half of the bytes mostly NUL, the other text-like
    (ASCII, or 0x06, the high byte of Arabic letters)."""
    if len(head) < 8:
        return False

    def textual(half: bytes) -> bool:
        return sum(1 for b in half if 9 <= b <= 126 or b == 6) >= 0.6 * len(half)

    for zeros, other in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if zeros.count(0) >= 0.6 * len(zeros) and textual(other):
            return True
    return False


def decode_utf8(data: bytes, path: str | Path, *, utf16: bool = True) -> str:
    """Decode UTF-8 strictly; report the line and byte offset of the first bad byte.

    A UTF-16 file with a byte-order mark (what Excel's "Unicode Text" writes) is
    decoded too, unless ``utf16`` is false (a file that is written back must stay
    in its encoding, and only UTF-8 is written); a UTF-8 BOM is dropped.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if not utf16:
            raise InputError(
                "UTF-16 text (byte-order mark); convert it to UTF-8 first (for example: iconv -f UTF-16 -t UTF-8)",
                path,
            )
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"bad UTF-16 (at byte offset {exc.start})", path) from None
    if _utf16_without_bom(data[:400]):
        # NUL in every other byte: UTF-16 that lost its byte-order mark (valid UTF-8, but gibberish)
        raise InputError(
            "looks like UTF-16 without a byte-order mark; convert it to UTF-8 first "
            "(for example: iconv -f UTF-16LE -t UTF-8, or -f UTF-16BE)",
            path,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8 first (for example: iconv -f CP1256 -t UTF-8)",
            path,
            line,
        ) from None


def read_table(
    path: str | Path, fmt: str, required: Iterable[str] = REQUIRED_COLUMNS
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and ``(line, row)`` pairs of a CSV/TSV file with a header row.

    Header names are matched case-insensitively and stripped.  Blank lines are
    skipped.  Raises :class:`InputError` for an empty file, missing columns, a
    wrong delimiter, or a row with the wrong number of cells.
    """
    header, rows = _open_table(path, fmt)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"found {_names(header)}{_delimiter_hint(header, fmt)}",
            path,
            1,
        )
    return header, rows


class BadRow(dict[str, str]):
    """A row that cannot be read (wrong number of fields), yielded in its place when the reader
    goes on past bad rows: the importer raises :attr:`error` for it and skips it."""

    def __init__(self, error: InputError) -> None:
        super().__init__()
        self.error = error


def _open_table(
    path: str | Path, fmt: str, *, lenient: bool = False
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    text = read_text(path)
    if not text.strip():
        raise InputError("empty file: expected a header row with columns english, arabic", path, 1)
    delimiter = "\t" if fmt == "tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_raw = next(reader)
        while not any(c.strip() for c in header_raw):  # blank lines before the header
            header_raw = next(reader)
    except csv.Error as exc:
        raise InputError(f"malformed {fmt.upper()} header ({exc})", path, reader.line_num) from None
    except StopIteration:
        raise InputError("empty file: expected a header row", path, 1) from None
    header = [h.strip().lower() for h in header_raw]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    error = InputError(
                        f"expected {len(header)} fields, found {len(cells)}" + _delimiter_hint(cells, fmt),
                        path,
                        line,
                    )
                    if not lenient:
                        raise error
                    yield line, BadRow(error)
                    continue
                yield line, dict(zip(header, cells, strict=True))
        except csv.Error as exc:
            raise InputError(f"malformed {fmt.upper()} ({exc})", path, reader.line_num) from None

    return header, rows()


def _names(header: list[str]) -> str:
    """Header names for a message; one with a tab or other control character is quoted."""
    return ", ".join(h if h.isprintable() else repr(h) for h in header) or "none"


def _delimiter_hint(cells: list[str], fmt: str) -> str:
    """A hint when a line of one cell holds another delimiter (a TSV read as CSV, Excel's ``;``)."""
    if len(cells) != 1:
        return ""
    names = {"\t": "tab", ",": "comma", ";": "semicolon"}
    for delim, name in names.items():
        if delim != ("\t" if fmt == "tsv" else ",") and delim in cells[0]:
            if delim == ";":
                return " (the file looks semicolon-separated: save it as comma-separated CSV)"
            return f" (the file looks {name}-separated; is the suffix right? or use --format)"
    return ""


# --------------------------------------------------------------------------- column mapping
#: Fields a table column can be mapped to (``--columns field=Header``).
TABLE_FIELDS: tuple[str, ...] = (
    *IMPORT_COLUMNS,
    "source_text",
    "target_text",
    "source_lang",
    "target_lang",
)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "english": ("english", "en", "eng", "englishterm", "termen", "الإنجليزية", "الانجليزية",
                "انجليزي", "إنجليزي"),
    "arabic": ("arabic", "ar", "ara", "arabicterm", "termar", "العربية", "عربي"),
    "kind": ("kind", "entitykind", "entitytype"),
    "variants": ("variants", "variant"),
    "aliases": ("aliases", "alias"),
    "note": ("note", "notes", "comment", "comments", "description", "definition", "remark"),
    "source": ("source", "provenance"),
    "frequency": ("frequency", "freq", "count", "usagecount"),
    "alone": ("alone", "matchalone"),
    "source_text": ("sourcestring", "sourceterm", "sourcetext", "sourcesegment"),
    "target_text": ("targetstring", "targetterm", "targettext", "targetsegment"),
    "source_lang": ("sourcelang", "sourcelanguage", "srclang", "sourcelocale"),
    "target_lang": ("targetlang", "targetlanguage", "tgtlang", "trglang", "targetlocale"),
}
_LANG_HEADER = re.compile(r"(en|ar)[-_][a-z]{2,8}")


def _compact(name: str) -> str:
    return re.sub(r"[\s_\-.()]", "", name.strip().lower())


def parse_columns(spec: str | None) -> dict[str, str]:
    """Parse ``english=EN,arabic=AR`` into ``{"english": "EN", "arabic": "AR"}``.

    >>> parse_columns("english=Term (EN), arabic = AR")
    {'english': 'Term (EN)', 'arabic': 'AR'}
    """
    result: dict[str, str] = {}
    if not spec or not spec.strip():
        return result
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not sep or not value.strip():
            raise InputError(f"--columns: expected field=Header pairs, got {part.strip()!r}")
        if key not in TABLE_FIELDS:
            raise InputError(f"--columns: unknown field {key!r}; use one of {', '.join(TABLE_FIELDS)}")
        result[key] = value.strip()
    return result


def lang_of_code(code: str) -> str | None:
    """``"en"``/``"ar"`` for a language code or name (``ar-AR``, ``en_US``, ``Arabic``), else None."""
    value = code.strip().lower().replace("_", "-")
    primary = value.split("-")[0]
    if primary in ("en", "eng", "english"):
        return "en"
    if primary in ("ar", "ara", "arb", "arabic"):
        return "ar"
    return None


@dataclass
class TableLayout:
    """How a table's columns map to glossary fields, and how to turn a row into one.

    ``mapping`` is field -> (lower-cased) header name.  ``convert`` raises
    :class:`InputError` (without file and line: the caller adds them) for a row
    it cannot place, such as a French-Arabic row in a multilingual file.
    """

    header: list[str]
    mapping: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    bilingual: bool = False
    direction: str | None = None  # "en-ar" or "ar-en" once known, for source/target layouts

    def convert(self, row: dict[str, str]) -> dict[str, str]:
        out = {f: row.get(col, "") for f, col in self.mapping.items() if f in IMPORT_COLUMNS}
        if not self.bilingual:
            return out
        src = row.get(self.mapping["source_text"], "")
        tgt = row.get(self.mapping["target_text"], "")
        if "source_lang" in self.mapping:
            raw = (row.get(self.mapping["source_lang"], ""), row.get(self.mapping["target_lang"], ""))
            pair = (lang_of_code(raw[0]), lang_of_code(raw[1]))
            if pair == ("en", "ar"):
                out["english"], out["arabic"] = src, tgt
            elif pair == ("ar", "en"):
                out["english"], out["arabic"] = tgt, src
            else:
                raise InputError(
                    f"language pair {raw[0] or '(empty)'!r} -> {raw[1] or '(empty)'!r}: "
                    "only English-Arabic rows can be imported"
                )
            return out
        if self.direction is None:
            self.direction = guess_direction(src, tgt)
        if self.direction == "en-ar":
            out["english"], out["arabic"] = src, tgt
        else:
            out["english"], out["arabic"] = tgt, src
        return out


def guess_direction(first: str, second: str) -> str:
    """``"en-ar"`` if only the second text holds Arabic, ``"ar-en"`` if only the first does."""
    from .normalize import has_arabic

    a, b = has_arabic(first), has_arabic(second)
    if b and not a:
        return "en-ar"
    if a and not b:
        return "ar-en"
    raise InputError(
        f"cannot tell which column is Arabic from {first!r} / {second!r}; "
        "name the columns with --columns english=...,arabic=..."
    )


def read_glossary_table(
    path: str | Path, fmt: str, columns: dict[str, str] | None = None, *, lenient: bool = False
) -> tuple[TableLayout, Iterator[tuple[int, dict[str, str]]]]:
    """The layout of a CSV/TSV glossary and its ``(line, raw row)`` pairs.

    Rows are returned raw; :meth:`TableLayout.convert` maps one to glossary
    fields (``english``, ``arabic``, ``kind`` ...).  ``columns`` maps glossary
    fields to header names and wins over the automatic recognition.
    """
    header, rows = _open_table(path, fmt, lenient=lenient)
    mapping: dict[str, str] = {}
    for key, col in (columns or {}).items():
        wanted = col.strip().lower()
        if wanted not in header:
            raise InputError(
                f"--columns {key}={col}: no column {col!r} in the header; found {', '.join(header)}",
                path,
                1,
            )
        mapping[key] = wanted
    used = set(mapping.values())
    # exact field names first, then synonyms, then language-code headers (en-US, ar-SA)
    for exact in (True, False):
        for fld, names in _SYNONYMS.items():
            if fld in mapping:
                continue
            for h in header:
                if h in used or not h:
                    continue
                if (h == fld) if exact else (_compact(h) in names or _lang_header(h) == fld):
                    mapping[fld] = h
                    used.add(h)
                    break
    has_pair = "english" in mapping and "arabic" in mapping
    bilingual = not has_pair and "source_text" in mapping and "target_text" in mapping
    if not has_pair and not bilingual and "target" in header and "source" in header:
        # a plain "source,target" table: the source column is the source text, not provenance
        mapping.pop("source", None)
        mapping["source_text"], mapping["target_text"] = "source", "target"
        bilingual = True
    if not has_pair and not bilingual:
        missing = [c for c in REQUIRED_COLUMNS if c not in mapping]
        raise InputError(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"found {_names(header)}{_delimiter_hint(header, fmt)}"
            + ("" if _delimiter_hint(header, fmt) else
               "; name them with --columns english=...,arabic=..."),
            path,
            1,
        )
    if bilingual:
        langs = [k for k in ("source_lang", "target_lang") if k in mapping]
        if len(langs) == 1:
            raise InputError(
                f"found a {langs[0].replace('_', ' ')} column but no "
                f"{'target' if langs[0] == 'source_lang' else 'source'} language column",
                path,
                1,
            )
        for fld in ("english", "arabic"):
            mapping.pop(fld, None)
    else:
        for fld in ("source_text", "target_text", "source_lang", "target_lang"):
            mapping.pop(fld, None)
    used = set(mapping.values())
    layout = TableLayout(header, mapping, [h for h in header if h and h not in used], bilingual)
    return layout, rows


def _lang_header(name: str) -> str | None:
    if _LANG_HEADER.fullmatch(name.strip().lower()):
        return "english" if name.strip().lower().startswith("en") else "arabic"
    return None


# --------------------------------------------------------------------------- OmegaT
OMEGAT_HEADER = "# Glossary in tab-separated format -*- coding: utf-8 -*-"


def read_omegat(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` pairs of an OmegaT glossary: source TAB target [TAB comment], no header.

    Lines starting with ``#`` and blank lines are skipped.  Which column is
    English is decided by the first entry (the column holding Arabic is the
    Arabic one); rows are then mapped the same way, so a later row with Arabic
    in the English column is reported, not silently swapped.
    """
    text = read_text(path)
    if not text.strip():
        raise InputError("empty file: expected lines of source TAB target [TAB comment]", path, 1)
    direction: str | None = None
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            hint = _delimiter_hint(cells, "tsv")
            raise InputError(
                f"expected source TAB target [TAB comment], found 1 field{hint}", path, line_no
            )
        if len(cells) > 3:
            raise InputError(
                f"expected source TAB target [TAB comment], found {len(cells)} fields", path, line_no
            )
        src, tgt = cells[0].strip(), cells[1].strip()
        if direction is None:
            try:
                direction = guess_direction(src, tgt)
            except InputError as exc:
                raise InputError(exc.reason, path, line_no) from None
        english, arabic = (src, tgt) if direction == "en-ar" else (tgt, src)
        yield line_no, {"english": english, "arabic": arabic,
                        "note": cells[2].strip() if len(cells) > 2 else ""}


def write_omegat(path: str | Path, rows: Iterable[tuple[str, str, str]]) -> int:
    """Write ``(source, target, comment)`` lines as an OmegaT glossary; returns the count."""
    count = 0
    with atomic_writer(path) as handle:
        handle.write(OMEGAT_HEADER + "\n")
        for src, tgt, comment in rows:
            cells = [_one_line(src), _one_line(tgt)]
            if comment:
                cells.append(_one_line(comment))
            handle.write("\t".join(cells) + "\n")
            count += 1
    return count


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def sniff_txt(path: str | Path) -> str:
    """``"tsv"`` if a ``.txt`` or ``.tab`` file starts with a recognisable header row, else ``"omegat"``."""
    try:
        text = read_text(path)
    except InputError:
        return "tsv"  # let the table reader report it
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            return "omegat"
        names = {_compact(c) for c in line.split("\t")}
        known = {n for names_ in _SYNONYMS.values() for n in names_}
        return "tsv" if names & known or any(_lang_header(c) for c in line.split("\t")) else "omegat"
    return "tsv"


def split_list(cell: str | None) -> list[str]:
    """Split a ``|``-separated cell into stripped, non-empty items.

    >>> split_list(" بيونج يانج | بيونغيانغ ||")
    ['بيونج يانج', 'بيونغيانغ']
    """
    if not cell:
        return []
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


#: A temp file of ours older than this (seconds) was left by a run that was killed.
STALE_TEMP_SECONDS = 600


def _remove_stale_temps(target: Path) -> None:
    """Remove the temp files a killed run left beside ``target`` (``.NAME.xxxxxxxx.tmp``, old enough
    that no running writer still owns them)."""
    now = time.time()
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS and len(tmp.name) - len(target.name) == 14:
                tmp.unlink()


def _umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_writer(
    path: str | Path, *, encoding: str = "utf-8", newline: str = "", like: str | Path | None = None
) -> Iterator[IO[str]]:
    """Write to a temp file beside ``path`` and rename it into place only on success.

    The file gets the mode of the file it replaces; a new file gets the mode of ``like``
    (the original an output or a backup is made from), else a new file's (0666 less the umask).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600
        model = target if target.exists() else Path(like) if like is not None and Path(like).exists() else None
        os.chmod(tmp, model.stat().st_mode & 0o7777 if model is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(path: str | Path, fmt: str, rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> int:
    """Write rows as CSV or TSV with a header; returns the number of rows.

    ``excel-csv`` is CSV for spreadsheet programs: UTF-8 with a BOM (so Excel
    reads the Arabic right), CRLF line ends, and a cell that would start a
    formula (``=``, ``+``, ``-``, ``@``) prefixed with ``'`` so opening an
    export never runs one.
    """
    cols = list(columns)
    excel = fmt == "excel-csv"
    count = 0
    with atomic_writer(path, encoding="utf-8-sig" if excel else "utf-8") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=cols,
            delimiter="\t" if fmt == "tsv" else ",",
            lineterminator="\r\n" if excel else "\n",
            extrasaction="ignore",
        )
        writer.writeheader()
        for row in rows:
            cells = {k: ("" if row.get(k) is None else str(row.get(k))) for k in cols}
            if excel:
                cells = {k: _defuse_formula(v) for k, v in cells.items()}
            writer.writerow(cells)
            count += 1
    return count


def _defuse_formula(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> int:
    """Write one JSON object per line (UTF-8, Arabic unescaped); returns the count."""
    count = 0
    with atomic_writer(path) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True))
            handle.write("\n")
            count += 1
    return count


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, object)`` pairs of a JSON Lines file; blank lines skipped."""
    text = read_text(path)
    if not text.strip():
        raise InputError("empty file", path, 1)
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON ({exc.msg})", path, line_no) from None
        if not isinstance(obj, dict):
            raise InputError("expected a JSON object", path, line_no)
        yield line_no, obj
