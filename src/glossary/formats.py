"""Formats: reading and writing glossary files (CSV, TSV, JSON Lines).

Reading is strict and explains itself: a file that is not UTF-8, has no header,
lacks a required column or has a malformed row raises :class:`InputError` naming
the file and line.  Writing is atomic: a temp file beside the target, then a
rename, so an interrupted export never leaves a truncated file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import InputError

#: File suffix -> format name.
SUFFIX_FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

#: Columns of the glossary's own CSV/TSV layout, in export order.
GLOSSARY_COLUMNS: tuple[str, ...] = ("english", "arabic", "kind", "variants", "aliases", "note", "source")
REQUIRED_COLUMNS: tuple[str, ...] = ("english", "arabic")
#: Separator inside the variants and aliases cells.
LIST_SEPARATOR = "|"


def format_for(path: str | Path, explicit: str | None = None) -> str:
    """The format named explicitly, else the one the suffix implies.

    >>> format_for("names.TSV")
    'tsv'
    """
    if explicit:
        return explicit.lower()
    suffix = Path(path).suffix.lower()
    try:
        return SUFFIX_FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise InputError(f"unknown format {suffix or '(no suffix)'!r}; use one of {known}", path) from None


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


def decode_utf8(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 strictly; report the line and byte offset of the first bad byte."""
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
    text = read_text(path)
    if not text.strip():
        raise InputError("empty file: expected a header row with columns english, arabic", path, 1)
    delimiter = "\t" if fmt == "tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_raw = next(reader)
    header = [h.strip().lower() for h in header_raw]
    missing = [c for c in required if c not in header]
    if missing:
        other = "," if delimiter == "\t" else "\t"
        hint = ""
        if len(header) == 1 and other in header_raw[0]:
            hint = f" (the file looks {'comma' if other == ',' else 'tab'}-separated; is the suffix right?)"
        raise InputError(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"found {', '.join(header) or 'none'}{hint}",
            path,
            1,
        )

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    raise InputError(
                        f"expected {len(header)} fields, found {len(cells)}", path, line
                    )
                yield line, dict(zip(header, cells, strict=True))
        except csv.Error as exc:
            raise InputError(f"malformed {fmt.upper()} ({exc})", path, reader.line_num) from None

    return header, rows()


def split_list(cell: str | None) -> list[str]:
    """Split a ``|``-separated cell into stripped, non-empty items.

    >>> split_list(" بيونج يانج | بيونغيانغ ||")
    ['بيونج يانج', 'بيونغيانغ']
    """
    if not cell:
        return []
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


@contextmanager
def atomic_writer(path: str | Path, *, encoding: str = "utf-8", newline: str = "") -> Iterator[IO[str]]:
    """Write to a temp file beside ``path`` and rename it into place only on success."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(path: str | Path, fmt: str, rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> int:
    """Write rows as CSV or TSV with a header; returns the number of rows."""
    cols = list(columns)
    count = 0
    with atomic_writer(path) as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=cols,
            delimiter="\t" if fmt == "tsv" else ",",
            lineterminator="\n",
            extrasaction="ignore",
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in cols})
            count += 1
    return count


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
