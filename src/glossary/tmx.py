"""TMX: streaming reader and writer for Translation Memory eXchange files.

Reading
    :func:`read_tmx` yields one :class:`TMXUnit` per ``<tu>`` while the file is
    parsed in 1 MiB chunks, so memory stays constant however large the file is.
    It accepts TMX 1.4b and the 1.1–1.3 files found in the wild: ``xml:lang`` or
    the legacy ``lang`` attribute, language codes in any case and with regions
    (``ar``, ``ar-SA``, ``AR-EG``, ``en-US``), ``srclang="*all*"``, UTF-8 or
    UTF-16.  Inline markup (``bpt ept ph it hi ut sub``) is kept verbatim in
    :attr:`Segment.markup` for export; :attr:`Segment.text` is the plain text
    used for matching (the content of ``hi`` is text, the content of the code
    elements is not).  ``prop`` and ``note`` of the unit and of each variant are
    kept.

    The parser is :class:`defusedxml.ElementTree.DefusedXMLParser`: a DOCTYPE is
    allowed (many tools write one) but entity declarations (the "billion laughs"
    attack) and external entities are refused.  Malformed XML raises
    :class:`~glossary.errors.InputError` naming the file and line.

Writing
    :class:`TMXWriter` writes TMX 1.4 that validates against the TMX 1.4 DTD
    (``tests/data/tmx14.dtd``), atomically (a temp file renamed into place).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NoReturn
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ._version import __version__
from .errors import InputError
from .formats import atomic_writer

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Inline elements whose content is native code, not text (ignored for matching).
CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut"})
#: Inline elements allowed inside ``<seg>``.
INLINE_ELEMENTS = CODE_ELEMENTS | {"hi", "sub"}
CHUNK = 1 << 20
_EXPAT_XML_LANG = "http://www.w3.org/XML/1998/namespace}lang"

#: Characters XML 1.0 forbids; dropped on export so the file stays well-formed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=256)
def primary_lang(code: str | None) -> str:
    """The primary language subtag, lower case. ``"AR-EG" -> "ar"``, ``"en_US" -> "en"``."""
    if not code:
        return ""
    return code.strip().replace("_", "-").split("-")[0].lower()


def tmx_date(when: datetime | str | None = None) -> str:
    """A TMX date (``YYYYMMDDThhmmssZ``) from a datetime or an ISO 8601 string."""
    if when is None:
        dt = datetime.now(UTC)
    elif isinstance(when, str):
        try:
            dt = datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            return tmx_date(None)
    else:
        dt = when
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.strftime("%Y%m%dT%H%M%SZ")


_TMX_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z", re.ASCII)


def iso_date(tmx: str | None) -> str | None:
    """An ISO 8601 timestamp (the store's format) from a TMX date, or None if unreadable.

    >>> iso_date("20240116T101500Z"), iso_date("20241316T101500Z")
    ('2024-01-16T10:15:00.000Z', None)
    """
    if not tmx:
        return None
    found = _TMX_DATE.fullmatch(tmx)
    if found:  # the TMX format itself, on every <tu> of most files: no strptime
        y, mo, d, h, mi, sec = found.groups()
        try:  # only checks the fields (month 13, February 30 ...)
            datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec), tzinfo=UTC)
        except ValueError:
            return None
        return f"{y}-{mo}-{d}T{h}:{mi}:{sec}.000Z"
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S"):
        try:
            dt = datetime.strptime(tmx.strip(), fmt)
        except ValueError:
            continue
        return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return None


@dataclass(slots=True)
class Segment:
    """One ``<tuv>``: its language code as written, plain text, and inline markup."""

    lang: str
    text: str
    markup: str | None = None  # inner XML of <seg> when it holds inline elements
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class TMXUnit:
    """One ``<tu>``: its variants in file order, with the line it starts on."""

    line: int
    variants: list[Segment] = field(default_factory=list)
    srclang: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def variant(self, lang: str) -> Segment | None:
        """The first variant whose primary language is ``lang`` (``"ar"`` finds ``ar-SA``)."""
        for seg in self.variants:
            if primary_lang(seg.lang) == lang:
                return seg
        return None


@dataclass
class TMXHeader:
    """The ``<header>``: attributes (``srclang``, ``creationtool`` …), props and notes."""

    attrs: dict[str, str] = field(default_factory=dict)
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    version: str | None = None

    @property
    def srclang(self) -> str | None:
        return self.attrs.get("srclang")


def _lang_of(attrib: dict[str, str]) -> str | None:
    return attrib.get(XML_LANG) or attrib.get("lang") or attrib.get("xml:lang")


def _start_tag(tag: str, attrib: dict[str, str]) -> str:
    parts = [tag]
    for k, v in attrib.items():
        name = "xml:lang" if k == XML_LANG else k
        parts.append(f"{name}={quoteattr(v)}")
    return "<" + " ".join(parts) + ">"


class _Target:
    """Parser target: turns expat's start/end/data events into units, keeping no tree.

    The handlers are called straight from expat for every element of the
    file, so the common path (``tu``/``tuv``/``seg`` with plain text) does as
    little as possible: attributes become a dict only where they are kept,
    and a segment's inline markup is only rebuilt once an inline element
    shows up in it.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.header = TMXHeader()
        self.ready: list[TMXUnit] = []
        self.unit: TMXUnit | None = None
        self.tuv: Segment | None = None
        self.in_seg = False
        self.code_depth = 0
        self.text_parts: list[str] = []
        # escaped text and inline tags of the current <seg>; None until it has an inline element
        self.markup_parts: list[str] | None = None
        self.field_parts: list[str] | None = None  # text of the current prop/note
        self.field_attrs: dict[str, str] = {}
        self.saw_root = False
        self.line: Callable[[], int] = lambda: 0
        self.expat: Any = None

    # -- events (expat runs with namespace processing, "}" separator, and ordered attributes)
    def expat_start(self, tag: str, attrs: list[str]) -> None:
        if self.in_seg:
            self._inline_start(tag, attrs)
        elif tag == "seg":
            if self.tuv is None:
                self._misplaced(tag, attrs, "<seg> outside <tuv>")
            self.in_seg = True
            self.code_depth = 0
            self.text_parts = []
            self.markup_parts = None
        elif tag == "tuv":
            if self.unit is None:
                self._misplaced(tag, attrs, "<tuv> outside <tu>")
            if len(attrs) == 2 and attrs[0] == _EXPAT_XML_LANG:
                # fields given as literals: cheaper than the dataclass's default factories
                self.tuv = Segment(attrs[1], "", props=[], notes=[], attrs={})
                return
            attrib = _attrib(attrs)
            lang = _lang_of(attrib)
            if not lang:
                raise InputError("<tuv> without xml:lang", self.path, self.line())
            extra = {k: v for k, v in attrib.items() if k not in (XML_LANG, "lang")}
            self.tuv = Segment(lang, "", props=[], notes=[], attrs=extra)
        elif tag == "tu" and self.saw_root:
            attrib = _attrib(attrs) if attrs else {}
            line = self.expat.CurrentLineNumber if self.expat else 0
            self.unit = TMXUnit(line, variants=[], srclang=attrib.get("srclang"), attrs=attrib, props=[], notes=[])
        else:
            self._other_start(tag, _attrib(attrs))

    def _misplaced(self, tag: str, attrs: list[str], message: str) -> NoReturn:
        self._other_start(tag, _attrib(attrs))  # the root check comes first
        raise InputError(message, self.path, self.line())

    def _other_start(self, tag: str, attrib: dict[str, str]) -> None:
        if not self.saw_root:
            if tag != "tmx":
                raise InputError(f"not a TMX file (root element <{tag}>, expected <tmx>)", self.path, self.line())
            self.saw_root = True
            self.header.version = attrib.get("version")
        elif tag in ("prop", "note"):
            self.field_parts = []
            self.field_attrs = attrib
        elif tag == "header":
            self.header.attrs = attrib

    def _inline_start(self, tag: str, attrs: list[str]) -> None:
        if self.markup_parts is None:
            # all text so far was outside code elements: it is all in text_parts
            self.markup_parts = [escape(t) for t in self.text_parts]
        self.markup_parts.append(_start_tag(tag, _attrib(attrs)))
        if tag in CODE_ELEMENTS:
            self.code_depth += 1

    def expat_end(self, tag: str) -> None:
        if self.in_seg:
            if tag == "seg":
                tuv = self.tuv
                assert tuv is not None
                self.in_seg = False
                parts = self.text_parts
                tuv.text = parts[0] if len(parts) == 1 else "".join(parts)
                if self.markup_parts is not None:
                    tuv.markup = "".join(self.markup_parts)
                return
            assert self.markup_parts is not None
            self.markup_parts.append(f"</{tag}>")
            if tag in CODE_ELEMENTS:
                self.code_depth -= 1
        elif tag == "tuv":
            if self.unit is not None and self.tuv is not None:
                self.unit.variants.append(self.tuv)
            self.tuv = None
        elif tag == "tu":
            if self.unit is not None:
                self.ready.append(self.unit)
            self.unit = None
        elif self.field_parts is not None and tag in ("prop", "note"):
            value = "".join(self.field_parts)
            self.field_parts = None
            owner: Any = self.tuv or self.unit or self.header
            if tag == "prop":
                owner.props.append((self.field_attrs.get("type", ""), value))
            else:
                owner.notes.append(value)

    def data(self, text: str) -> None:
        if self.in_seg:
            if self.code_depth == 0:
                self.text_parts.append(text)
            if self.markup_parts is not None:
                self.markup_parts.append(escape(text))
        elif self.field_parts is not None:
            self.field_parts.append(text)

    def close(self) -> None:
        return None


def _attrib(attrs: list[str]) -> dict[str, str]:
    """expat's ordered attribute list as a dict, ``xml:lang`` under its ElementTree name."""
    if len(attrs) == 2 and attrs[0] != _EXPAT_XML_LANG:
        return {attrs[0]: attrs[1]}  # <tu tuid="…">, the common case
    if _EXPAT_XML_LANG not in attrs:
        return dict(zip(attrs[::2], attrs[1::2], strict=True))
    return {
        (XML_LANG if k == _EXPAT_XML_LANG else k): v
        for k, v in zip(attrs[::2], attrs[1::2], strict=True)
    }


class TMXReader:
    """Iterate over the units of a TMX file; :attr:`header` is filled once parsing starts.

    ``progress(bytes_read, total_bytes)`` is called after every chunk.
    """

    def __init__(
        self, path: str | Path, progress: Callable[[int, int], None] | None = None
    ) -> None:
        self.path = Path(path)
        self.progress = progress
        self.header = TMXHeader()
        self.units_read = 0

    def __iter__(self) -> Iterator[TMXUnit]:
        path = str(self.path)
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            raise InputError("no such file", path) from None
        except IsADirectoryError:
            raise InputError("is a directory, not a file", path) from None
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror})", path) from None
        with handle:
            total = self.path.stat().st_size
            target = _Target(path)
            self.header = target.header
            parser = DefusedXMLParser(target=target, forbid_dtd=False)
            expat = parser.parser
            # Call the target straight from expat (the entity/DTD guards that
            # defusedxml installed stay in place); ElementTree's own Python
            # layer in between halves the speed and adds nothing here.
            expat.StartElementHandler = target.expat_start
            expat.EndElementHandler = target.expat_end
            expat.CharacterDataHandler = target.data
            target.line = lambda: int(expat.CurrentLineNumber)
            target.expat = expat
            done = 0
            while True:
                chunk = handle.read(CHUNK)
                try:
                    if chunk:
                        parser.feed(chunk)
                    else:
                        parser.close()
                except ParseError as exc:
                    line = exc.position[0] if getattr(exc, "position", None) else None
                    message = str(exc).split(": line ")[0]
                    raise InputError(f"malformed XML ({message})", path, line) from None
                except DefusedXmlException as exc:
                    raise InputError(
                        f"refused: {exc} (entity declarations are not allowed in TMX; "
                        "possible entity-expansion attack)",
                        path,
                        int(expat.CurrentLineNumber),
                    ) from None
                done += len(chunk)
                if target.ready:
                    units, target.ready = target.ready, []
                    self.units_read += len(units)
                    yield from units
                if self.progress is not None:
                    self.progress(done, total)
                if not chunk:
                    break
            if not target.saw_root:
                raise InputError("empty file: no <tmx> element", path, 1)


def read_tmx(
    path: str | Path, progress: Callable[[int, int], None] | None = None
) -> Iterator[TMXUnit]:
    """The units of a TMX file, streamed (see :class:`TMXReader`)."""
    return iter(TMXReader(path, progress))


# ---------------------------------------------------------------------- writing


def _text(value: str) -> str:
    return escape(_XML_INVALID.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_XML_INVALID.sub("", value))


class TMXWriter:
    """Write a TMX 1.4 file unit by unit; use as a context manager.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.tmx")
    >>> with TMXWriter(p, srclang="ar") as w:
    ...     w.write_unit([("ar", "مرحبا", None), ("en", "Hello", None)])
    >>> "<seg>Hello</seg>" in open(p, encoding="utf-8").read()
    True
    """

    def __init__(
        self,
        path: str | Path,
        *,
        srclang: str = "ar",
        adminlang: str = "en",
        props: list[tuple[str, str]] | None = None,
    ) -> None:
        self.path = Path(path)
        self.srclang = srclang
        self.adminlang = adminlang
        self.props = props or []
        self.count = 0
        self._cm: Any = None
        self._out: IO[str] | None = None

    def __enter__(self) -> TMXWriter:
        self._cm = atomic_writer(self.path, newline="\n")
        self._out = self._cm.__enter__()
        out = self._out
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        out.write(
            f"  <header creationtool=\"glossary\" creationtoolversion={_attr(__version__)} "
            f"segtype=\"sentence\" o-tmf=\"glossary\" adminlang={_attr(self.adminlang)} "
            f"srclang={_attr(self.srclang)} datatype=\"plaintext\" "
            f"creationdate=\"{tmx_date()}\""
        )
        if self.props:
            out.write(">\n")
            for ptype, value in self.props:
                out.write(f"    <prop type={_attr(ptype)}>{_text(value)}</prop>\n")
            out.write("  </header>\n")
        else:
            out.write("/>\n")
        out.write("  <body>\n")
        return self

    def write_unit(
        self,
        variants: list[tuple[str, str, str | None]],
        *,
        attrs: dict[str, str] | None = None,
        props: list[tuple[str, str]] | None = None,
        notes: list[str] | None = None,
    ) -> None:
        """One ``<tu>``; ``variants`` are ``(lang, text, markup)`` (markup: inner XML or None)."""
        assert self._out is not None, "use TMXWriter as a context manager"
        out = self._out
        attr_text = "".join(f" {k}={_attr(v)}" for k, v in (attrs or {}).items() if v is not None)
        out.write(f"    <tu{attr_text}>\n")
        for note in notes or ():
            out.write(f"      <note>{_text(note)}</note>\n")
        for ptype, value in props or ():
            out.write(f"      <prop type={_attr(ptype)}>{_text(value)}</prop>\n")
        for lang, text, markup in variants:
            seg = markup if markup is not None else _text(text)
            out.write(f"      <tuv xml:lang={_attr(lang)}><seg>{seg}</seg></tuv>\n")
        out.write("    </tu>\n")
        self.count += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._out is not None
        if exc_type is None:
            self._out.write("  </body>\n</tmx>\n")
        self._cm.__exit__(exc_type, exc, tb)


__all__ = [
    "Segment",
    "TMXHeader",
    "TMXReader",
    "TMXUnit",
    "TMXWriter",
    "iso_date",
    "primary_lang",
    "read_tmx",
    "tmx_date",
]
