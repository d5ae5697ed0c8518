"""TBX (TermBase eXchange): TBX v3 / TBX-Basic and the older TBX v2 ``martif`` form.

Writing
-------
:func:`write_tbx` writes one concept per entity and one term per spelling:

* **v3** (ISO 30042:2019, default): ``<tbx type="TBX-Basic" style="dca">`` in the
  ``urn:iso:std:iso:30042:ed-2`` namespace, ``conceptEntry`` / ``langSec`` / ``termSec``;
* **v2** (``martif``, TBX-Basic 2008): ``termEntry`` / ``langSet`` / ``tig``, the form
  translate-toolkit, OmegaT, Trados and memoQ read.

Both carry the same data categories::

    entity kind          <descrip type="subjectField">person</descrip>   (concept)
    entity note          <note>...</note>                                (concept)
    entity source        <admin type="source">...</admin>                (concept)
    spelling             <term>...</term>                                (one termSec each)
    canonical spelling   <termNote type="administrativeStatus">preferredTerm-admn-sts
                         <termNote type="termType">fullForm
    variant              admittedTerm-admn-sts + termType variant
    alias (short form)   admittedTerm-admn-sts + termType shortForm
    part of speech       properNoun for person/place/organization, noun for other terms
    spelling source      <admin type="source">...</admin>                (term)
    suggested spelling   <note>suggested spelling, not yet reviewed</note> (term)
    entity frequency     not exported (no TBX-Basic data category for a count;
                         kept in CSV/TSV and JSON Lines)

so a TBX export re-imports to the same entities, spellings, roles, statuses,
kinds, notes and sources (timestamps only survive in JSON Lines, frequencies
in CSV/TSV and JSON Lines).  Concepts
are numbered ``e<entity id>``; importing into an empty store keeps those ids.

Note: the TBX-Basic v3 schematron lists partOfSpeech values noun, verb,
adjective, adverb and other; ``properNoun`` (in the TBX-Basic v2 picklist) is
kept for names because it tells a CAT tool not to inflect or translate them.
Set :data:`PROPER_NOUN` to ``"noun"`` for strict v3 schematron validation.

Reading
-------
:func:`read_tbx` reads either version (and DCA-style files from other tools),
streaming: one concept at a time, with the line it starts on.  XML is parsed
with defusedxml, so a file that declares entities (the "billion laughs"
expansion attack) or references external ones is refused.  A foreign file maps
as: the first ``preferred`` term (else the first term) of each language is
canonical; ``shortForm``/``abbreviation``/``acronym`` terms become aliases,
every other term a variant; a ``subjectField`` that is not an entity kind, and
definitions, are kept in the entity note; languages other than English and
Arabic are ignored (and reported).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from ._version import __version__
from .errors import InputError
from .formats import atomic_writer
from .models import ALONE, KINDS, Entity

TBX3_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
#: Term note marking a spelling that waits for review (status ``suggested``).
SUGGESTED_NOTE = "suggested spelling, not yet reviewed"
#: Term note (a project-defined data category) holding a spelling's ``alone`` setting.
ALONE_NOTE = "x-matchAlone"
#: Admin data category marking a spelling that came from a bulk import (not curated).
BULK_ADMIN = "x-origin"
#: partOfSpeech written for names (person, place, organization).
PROPER_NOUN = "properNoun"
NAME_KINDS = frozenset({"person", "place", "organization"})
SHORT_TERM_TYPES = frozenset({"shortform", "abbreviation", "acronym"})
ENTRY_TAGS = frozenset({"conceptEntry", "termEntry"})
LANG_TAGS = frozenset({"langSec", "langSet"})
TERM_TAGS = frozenset({"termSec", "tig", "ntig"})
CHUNK = 1 << 20

_ROLE_ORDER = {"canonical": 0, "variant": 1, "alias": 2}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ENTITY_ID = re.compile(r"e(\d{1,18})")


# --------------------------------------------------------------------------- writing
def write_tbx(path: str | Path, entities: Iterable[Entity], *, version: int = 3) -> int:
    """Write entities as TBX v3 (TBX-Basic) or v2 (martif); returns the concepts written."""
    if version not in (2, 3):
        raise ValueError(f"TBX version must be 2 or 3, not {version!r}")
    v3 = version == 3
    count = 0
    with atomic_writer(path) as out:
        out.write(_header(v3))
        for entity in entities:
            out.write(_concept_xml(entity, v3))
            count += 1
        out.write(f"    </body>\n  </text>\n</{'tbx' if v3 else 'martif'}>\n")
    return count


_BASIC = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
_RNG_NS = "http://relaxng.org/ns/structure/1.0"
_SCH_NS = "http://purl.oclc.org/dsdl/schematron"


def _header(v3: bool) -> str:
    desc = f"<p>Exported by glossary {__version__}: one concept per entity, one term per spelling</p>"
    if v3:
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="{_BASIC}TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" \
schematypens="{_RNG_NS}"?>
<?xml-model href="{_BASIC}TBX-Basic_DCA.sch" type="application/xml" schematypens="{_SCH_NS}"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="{TBX3_NAMESPACE}">
  <tbxHeader>
    <fileDesc>
      <sourceDesc>{desc}</sourceDesc>
    </fileDesc>
  </tbxHeader>
  <text>
    <body>
"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic-V1" xml:lang="en">
  <martifHeader>
    <fileDesc>
      <sourceDesc>{desc}</sourceDesc>
    </fileDesc>
    <encodingDesc>
      <p type="XCSURI">TBXBasicXCSV02.xcs</p>
    </encodingDesc>
  </martifHeader>
  <text>
    <body>
"""


def _text(value: str) -> str:
    return escape(_XML_ILLEGAL.sub("", value))


def _concept_xml(e: Entity, v3: bool) -> str:
    entry, lang_tag, term_tag = ("conceptEntry", "langSec", "termSec") if v3 else ("termEntry", "langSet", "tig")
    pos = PROPER_NOUN if e.kind in NAME_KINDS else "noun"
    ind = " " * 6
    out = [f'{ind}<{entry} id="e{e.id}">\n', f'{ind}  <descrip type="subjectField">{_text(e.kind)}</descrip>\n']
    if e.source:
        out.append(f'{ind}  <admin type="source">{_text(e.source)}</admin>\n')
    if e.note:
        out.append(f"{ind}  <note>{_text(e.note)}</note>\n")
    for lang in ("en", "ar"):
        names = sorted((n for n in e.names if n.lang == lang), key=lambda n: _ROLE_ORDER.get(n.role, 1))
        if not names:
            continue
        out.append(f"{ind}  <{lang_tag} xml:lang={quoteattr(lang)}>\n")
        for n in names:
            status, term_type = {
                "canonical": (PREFERRED, "fullForm"),
                "alias": (ADMITTED, "shortForm"),
            }.get(n.role, (ADMITTED, "variant"))
            out.append(f"{ind}    <{term_tag}>\n")
            out.append(f"{ind}      <term>{_text(n.text)}</term>\n")
            out.append(f'{ind}      <termNote type="partOfSpeech">{pos}</termNote>\n')
            out.append(f'{ind}      <termNote type="administrativeStatus">{status}</termNote>\n')
            out.append(f'{ind}      <termNote type="termType">{term_type}</termNote>\n')
            if n.alone:
                out.append(f'{ind}      <termNote type="{ALONE_NOTE}">{n.alone}</termNote>\n')
            if n.source:
                out.append(f'{ind}      <admin type="source">{_text(n.source)}</admin>\n')
            if not n.curated:
                out.append(f'{ind}      <admin type="{BULK_ADMIN}">bulk import</admin>\n')
            if n.status == "suggested":
                out.append(f"{ind}      <note>{SUGGESTED_NOTE}</note>\n")
            out.append(f"{ind}    </{term_tag}>\n")
        out.append(f"{ind}  </{lang_tag}>\n")
    out.append(f"{ind}</{entry}>\n")
    return "".join(out)


# --------------------------------------------------------------------------- reading
@dataclass
class Node:
    """A small element tree for one concept: tag (no namespace), attributes, content."""

    tag: str
    attrs: dict[str, str]
    line: int
    parts: list[str | Node] = field(default_factory=list)

    @property
    def children(self) -> list[Node]:
        return [p for p in self.parts if isinstance(p, Node)]

    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)

    def iter(self, tag: str) -> Iterator[Node]:
        for child in self.children:
            if child.tag == tag:
                yield child
            yield from child.iter(tag)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].split(":")[-1]


class _Builder:
    """Parser target: builds a :class:`Node` per concept; everything else is dropped."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.parser: Any = None
        self.root: str | None = None
        self.namespace = ""
        self.stack: list[Node] = []
        self.done: list[Node] = []

    def line(self) -> int:
        return int(self.parser.parser.CurrentLineNumber) if self.parser is not None else 1

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if self.root is None:
            if name not in ("tbx", "martif"):
                raise InputError(
                    f"not a TBX file: the root element is <{name}>, expected <tbx> (TBX v3) "
                    "or <martif> (TBX v2)",
                    self.path,
                    self.line(),
                )
            self.root = name
            self.namespace = tag[1:].split("}")[0] if tag.startswith("{") else ""
            return
        if not self.stack and name not in ENTRY_TAGS:
            return
        node = Node(name, {_local(k): v for k, v in attrs.items()}, self.line())
        if self.stack:
            self.stack[-1].parts.append(node)
        self.stack.append(node)

    def end(self, tag: str) -> None:
        if self.stack:
            node = self.stack.pop()
            if not self.stack:
                self.done.append(node)

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(text)

    def close(self) -> None:
        return None


class TbxReader:
    """Iterate ``(line, concept)`` over a TBX file; see :func:`concept_record`.

    After iteration ``version`` is 2 or 3 and ``ignored_languages`` holds the
    language codes that were skipped.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.version: int | None = None
        self.ignored_languages: set[str] = set()

    def __iter__(self) -> Iterator[tuple[int, Node]]:
        builder = _Builder(self.path)
        parser = DefusedXMLParser(target=builder)
        builder.parser = parser
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed below, read in chunks
        except FileNotFoundError:
            raise InputError("no such file", self.path) from None
        except IsADirectoryError:
            raise InputError("is a directory, not a file", self.path) from None
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror})", self.path) from None
        with handle:
            started = False
            while True:
                chunk = handle.read(CHUNK)
                if not started and not chunk.strip():
                    raise InputError("empty file: expected a TBX document", self.path, 1)
                started = True
                self._feed(parser, builder, chunk, final=not chunk)
                if builder.root is not None and self.version is None:
                    self.version = 3 if builder.root == "tbx" else 2
                ready, builder.done = builder.done, []
                for node in ready:
                    yield node.line, node
                if not chunk:
                    break

    def _feed(self, parser: Any, builder: _Builder, chunk: bytes, *, final: bool) -> None:
        try:
            if final:
                parser.close()
            else:
                parser.feed(chunk)
        except EntitiesForbidden as exc:
            raise InputError(
                f"refused: the file declares the XML entity {exc.name!r}; entity expansion is a "
                "known attack (billion laughs) and TBX needs no entities",
                self.path,
                builder.line(),
            ) from None
        except ExternalReferenceForbidden as exc:
            raise InputError(
                f"refused: the file references the external entity {exc.sysid!r}",
                self.path,
                builder.line(),
            ) from None
        except DefusedXmlException as exc:
            raise InputError(f"refused: {exc}", self.path, builder.line()) from None
        except ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else builder.line()
            reason = str(exc).split(": line")[0]
            raise InputError(f"not well-formed XML ({reason})", self.path, line) from None


def read_tbx(path: str | Path) -> TbxReader:
    """A streaming reader of TBX v2 or v3 concepts (``for line, node in read_tbx(p)``)."""
    return TbxReader(path)


def _attr_type(node: Node) -> str:
    return node.attrs.get("type", "")


def _lang(node: Node) -> str:
    return (node.attrs.get("lang") or "").strip()


class MissingTerm(InputError):
    """A concept without an English or an Arabic term (a multilingual termbase has many):
    the importer skips and reports it rather than refusing the file."""


def concept_record(node: Node, ignored_languages: set[str] | None = None) -> dict[str, Any]:
    """One concept as an entity record (the JSON Lines shape), or :class:`InputError`
    (:class:`MissingTerm` for a concept without an English or an Arabic term).

    The error carries no file or line; the caller adds them.
    """
    from .formats import lang_of_code

    kind = "other"
    notes: list[str] = []
    source: str | None = None
    terms: dict[str, list[dict[str, Any]]] = {"en": [], "ar": []}
    for child in node.children:
        kind, source = _concept_info(child, kind, source, notes)
        if child.tag not in LANG_TAGS:
            continue
        code = _lang(child)
        lang = lang_of_code(code) if code else None
        if lang is None:
            if ignored_languages is not None:
                ignored_languages.add(code or "(none)")
            continue
        for sub in child.children:
            if sub.tag in TERM_TAGS:
                term = _term(sub)
                if term is not None:
                    terms[lang].append(term)
            elif sub.tag == "note" or (sub.tag == "descrip" and _attr_type(sub) == "definition"):
                _add_note(notes, sub.text())
            elif sub.tag == "descripGrp":
                for d in sub.iter("descrip"):
                    if _attr_type(d) == "definition":
                        _add_note(notes, d.text())
    label = node.attrs.get("id") or "without id"
    names: list[dict[str, Any]] = []
    canonical: dict[str, str] = {}
    for lang, what in (("en", "English"), ("ar", "Arabic")):
        found = terms[lang]
        if not found:
            raise MissingTerm(f"concept {label!r} has no {what} term")
        first = next((t for t in found if t["status"] == "preferred"), None)
        if first is None:
            first = next((t for t in found if t["short"] is False), found[0])
        canonical[lang] = first["text"]
        for t in found:
            role = "canonical" if t is first else ("alias" if t["short"] else "variant")
            names.append({"text": t["text"], "role": role, "status": t["review"], "source": t["source"],
                          "alone": t["alone"], "curated": t["curated"]})
    names.sort(key=lambda n: _ROLE_ORDER[n["role"]])
    match = _ENTITY_ID.fullmatch(node.attrs.get("id", ""))
    return {
        "type": "entity",
        "id": int(match.group(1)) if match else None,
        "english": canonical["en"],
        "arabic": canonical["ar"],
        "kind": kind,
        "note": "\n".join(notes) or None,
        "source": source,
        "names": names,
    }


def _concept_info(child: Node, kind: str, source: str | None, notes: list[str]) -> tuple[str, str | None]:
    kind_type = _attr_type(child)
    if child.tag == "descripGrp":
        for d in child.children:
            kind, source = _concept_info(d, kind, source, notes)
    elif child.tag == "descrip" and kind_type == "subjectField":
        value = " ".join(child.text().split())
        if value.lower() in KINDS:
            kind = value.lower()
        elif value:
            _add_note(notes, f"subject field: {value}")
    elif (child.tag == "descrip" and kind_type == "definition") or child.tag == "note":
        _add_note(notes, child.text())
    elif child.tag == "admin" and kind_type == "source":
        source = child.text().strip() or source
    return kind, source


def _add_note(notes: list[str], text: str) -> None:
    text = text.strip()
    if text and text not in notes:
        notes.append(text)


def _term(sec: Node) -> dict[str, Any] | None:
    """A termSec / tig / ntig as text, administrative status, short-form flag, review state, source."""
    term = next(sec.iter("term"), None)
    if term is None:
        return None
    text = term.text().strip()
    if not text:
        return None
    status = ""
    term_type = ""
    alone: str | None = None
    curated = True
    for note in sec.iter("termNote"):
        if _attr_type(note) == "administrativeStatus":
            status = note.text().strip()
        elif _attr_type(note) == "termType":
            term_type = note.text().strip()
        elif _attr_type(note) == ALONE_NOTE:
            alone = note.text().strip().lower() or None
    holders = [sec, *(g for g in sec.children if g.tag == "termGrp")]
    source = None
    review = "approved"
    for holder in holders:
        for child in holder.children:
            if child.tag == "admin" and _attr_type(child) == "source":
                source = child.text().strip() or None
            elif child.tag == "admin" and _attr_type(child) == BULK_ADMIN:
                curated = False
            elif child.tag == "note" and child.text().strip().lower().startswith("suggested spelling"):
                review = "suggested"
    plain = status.lower().replace("-admn-sts", "").replace("term", "")
    return {
        "text": text,
        "status": plain,
        "short": term_type.lower() in SHORT_TERM_TYPES,
        "review": review,
        "source": source,
        "alone": alone if alone in ALONE else None,
        "curated": curated,
    }


__all__ = ["MissingTerm", "Node", "TbxReader", "concept_record", "read_tbx", "write_tbx"]
