"""The translation memory: sentence pairs in the glossary's store, matched like a CAT tool.

>>> from glossary import Glossary
>>> g = Glossary.open(":memory:")
>>> _ = g.add("Sergei Lavrov", "سيرغي لافروف", kind="person", aliases=["لافروف"])
>>> _ = g.add("Sergei Shoigu", "سيرغي شويغو", kind="person", aliases=["شويغو"])
>>> uid = g.tm.add("التقى الرئيس مع لافروف اليوم", "The president met Lavrov today")
>>> hit = g.tm.search("التقى الرئيس مع شويغو اليوم")[0]
>>> hit.repaired_target
'The president met Shoigu today'

Scoring (0..100)
----------------
Both segments are normalized (:func:`glossary.normalize.normalize`: diacritics,
tatweel, hamza/alef/yeh/teh-marbuta folds, Arabic-Indic digits, punctuation to
spaces, case) and split into word tokens.  Glossary entities the recognizer
(:mod:`glossary.recognition`) finds in a segment (a stored spelling or one found
through its keys, with its proclitic) become one placeholder token each, keyed by
the entity, so every spelling of one entity is the same token; a run of digits is
a number token.  The two token sequences are
aligned (Levenshtein alignment over tokens) and the weighted edit distance is

    D = Σ cost(op):   insert or delete a token               1
                      replace a word by a word               min(1, 2·(1 − r)),
                                                             r = character similarity
                                                             (rapidfuzz ``fuzz.ratio``/100)
                      replace an entity by another entity    0.3 (same kind) or 0.5
                      replace a number by another number     0.2
                      anything else                          1

    score = 100 · (1 − D / max(|Q|, |S|))

rounded to one decimal and never below 0.  100 means the two segments are the
same after normalization (where an entity counts as itself, whatever its
spelling); any difference caps the score at 99.9.  So a unit that differs from
the query only in entities scores above one that differs in a word, and two
such units rank by how many of their entities match the query's.  Ties rank
the most recently updated unit first.

Candidates
----------
Only a few units are scored, never every unit.  They come from the exact
``source_norm`` index and the ``tm_fts`` FTS5 index:

1. units whose normalized source is the query's;
2. *the same sentence with other names* (when the query holds an entity or a
   number): units holding every one of the query's words, entities and numbers
   left out (its ``SKELETON_TERMS`` rarest words, one FTS5 ``AND`` query; at
   most ``SKELETON_CANDIDATES``).  The rarest terms of such a query are
   usually its names, which are what is cheapest to change;
3. the ``CANDIDATES`` units with the best idf-weighted overlap with the query's
   rarest terms (an entity's terms: every spelling of it), reading at most
   ``POSTINGS_BUDGET`` postings past the three rarest terms.

When there are more than ``SCORED`` of them, they are pre-ranked by token edit
distance (rapidfuzz ``Levenshtein`` over token lists) with the formula's
weights in small: a word costs 1, a token of a glossary spelling or a number
``ENTITY_SWAP`` (0.3); the best ``SCORED`` are tagged and scored as above.
Tagged units are remembered between searches until the glossary changes.

Entity repair
-------------
When the aligned query and unit differ by one entity for another (or one number
for another), ``repaired_target`` is the unit's target with the stored entity's
spelling replaced by the query entity's canonical spelling in the target
language; ``repairs`` lists each ``(old, new)`` substitution.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring as _json_string
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .errors import InputError, NotFoundError, StoreError
from .matching import gc_paused
from .normalize import Lang, has_arabic, normalize, script_of
from .tmx import Segment, TMXUnit, TMXWriter, iso_date, primary_lang, tmx_date

if TYPE_CHECKING:
    from .glossary import Glossary
    from .recognition import Recognizer

ON_DUPLICATE = ("skip", "update", "keep")
DEFAULT_LIMIT = 5
#: Below this sentence similarity a unit is not returned (a TM score, 0..100 over the whole segment:
#: not the name score of :data:`glossary.matching.DEFAULT_MIN_SCORE`).
DEFAULT_MIN_SIMILARITY = 70.0
#: How many FTS candidates are scored per query.
CANDIDATES = 40
#: Tagged units remembered between searches (per glossary version).
TAG_CACHE = 50_000
#: At most this many candidates are scored in full (the rest are pre-ranked out).
SCORED = 20
#: At most this many units come from the "same sentence, other names" query.
SKELETON_CANDIDATES = 200
#: At most this many of the query's words make up the "same sentence, other names" query.
SKELETON_TERMS = 6
#: What replacing an entity by another of its kind costs in the score (and weighs in pre-ranking).
ENTITY_SWAP = 0.3
#: At most this many of the query's rarest terms are looked up in the index …
QUERY_TERMS = 8
#: … and, past the first three, only while the postings read stay under this.
POSTINGS_BUDGET = 5000
#: Units per batch of a TMX import (one statement stores a batch).
BATCH = 2000
#: Units a bulk load (into an empty TM) keeps in memory to find duplicates (about
#: 0.8 KB each); past that it builds ``tm_units``' indexes and looks duplicates up in
#: the store, as an import into a non-empty TM does, so memory stays bounded
#: whatever the size of the file.
BULK_UNITS = 200_000
#: Bytes of new terms FTS5 holds in memory during an import before writing them out as an
#: index segment (FTS5's own default, restored afterwards, is 1 MiB).
IMPORT_FTS_HASHSIZE = 16 << 20
_FTS_DEFAULT_HASHSIZE = 1 << 20
#: Proclitics that may stick to a name: وبوتين, لموسكو, بموسكو.
PROCLITICS = "وبلفك"

_TOKEN = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_ENTITY = "\x01"
_NUMBER = "\x02"
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

# Probe text for the normalization fingerprint: every Arabic-block character and
# some Latin, so a change to normalize() is noticed and the index rebuilt.
_PROBE = "".join(chr(c) for c in range(0x0600, 0x0700)) + " Ab-Cd É ß ٢٠٢٤ ۱۲ ﻻ ﺑﻮﺗﻴﻦ"


def tokens(norm: str) -> list[str]:
    """Word tokens of normalized text (what the index and the scorer see)."""
    return _TOKEN.findall(norm)


def norm_fingerprint() -> str:
    """Changes whenever :func:`normalize` changes what it does."""
    return hashlib.sha1(normalize(_PROBE, "ar").encode() + b"|" + normalize(_PROBE, "en").encode()).hexdigest()


@dataclass
class TMHit:
    """One translation-memory match, best first (see the module doc for ``score``)."""

    unit_id: int
    source: str
    target: str
    score: float
    source_lang: str
    target_lang: str
    repaired_target: str | None = None
    repairs: list[tuple[str, str]] = field(default_factory=list)
    note: str | None = None
    origin: str | None = None
    updated: str | None = None
    reversed: bool = False  # matched on the unit's target side (an en→ar query of an ar→en unit)

    @property
    def repaired(self) -> bool:
        return self.repaired_target is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "score": self.score,
            "source": self.source,
            "target": self.target,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "repaired_target": self.repaired_target,
            "repairs": [list(r) for r in self.repairs],
            "note": self.note,
            "origin": self.origin,
            "updated": self.updated,
            "reversed": self.reversed,
        }


@dataclass
class TMUnit:
    """A stored unit."""

    id: int
    source: str
    target: str
    source_lang: str
    target_lang: str
    note: str | None
    origin: str | None
    props: dict[str, Any]
    created: str
    updated: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "note": self.note,
            "origin": self.origin,
            "props": self.props,
            "created": self.created,
            "updated": self.updated,
        }


@dataclass
class TMImportReport:
    """What :meth:`TranslationMemory.import_tmx` did."""

    path: str
    read: int = 0
    added: int = 0
    updated: int = 0
    duplicates: int = 0  # units whose source was already stored (skipped, updated or kept)
    skipped: int = 0  # units not stored: duplicates under "skip", identical pairs, missing a language
    incomplete: int = 0  # units without both languages
    duplicate_lines: list[int] = field(default_factory=list)  # first 100 duplicate <tu> lines
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        return self.added + self.updated

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "read": self.read,
            "added": self.added,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "incomplete": self.incomplete,
            "duplicate_lines": self.duplicate_lines,
            "seconds": round(self.seconds, 3),
        }


# ---------------------------------------------------------------------- entities


@dataclass
class _Tagged:
    """A segment as the scorer sees it: one key per token, entities collapsed."""

    keys: list[str]
    entities: list[int | None]  # entity id per key (None for words and numbers)
    words: list[str]  # the normalized text behind each key


class _Kinds:
    """Entity id -> kind, read from the recognizer's entities when asked (they may be read lazily)."""

    def __init__(self, entities: dict[int, tuple[str, str, str]]) -> None:
        self._entities = entities

    def get(self, eid: int | None) -> str | None:
        info = self._entities.get(eid) if eid is not None else None
        return info[2] if info is not None else None


class _Entities:
    """The glossary's entities as the TM uses them: segments tagged by the recognizer.

    Every entity found in a segment by :class:`glossary.recognition.Recognizer`
    (any spelling, stored or found through its keys, proclitics included)
    becomes one token; this class only turns its segments into keys, remembers
    them, and repairs targets.
    """

    def __init__(self, recognizer: Recognizer) -> None:
        self.recognizer = recognizer
        self.generation = recognizer.generation
        self.kind = _Kinds(recognizer.entities)
        #: every word of every spelling (what the candidate pre-ranking treats as cheap to change)
        self.vocab: set[str] = recognizer.vocabulary
        self._tagged: dict[str, _Tagged] = {}

    def tag(self, text: str) -> _Tagged:
        """A segment as the scorer sees it (remembered: a TM's units come back as candidates)."""
        found = self._tagged.get(text)
        if found is None:
            if len(self._tagged) >= TAG_CACHE:
                self._tagged.clear()
            from . import matching

            keys: list[str] = []
            ents: list[int | None] = []
            words: list[str] = []
            for word, eid in self.recognizer.segment(text, matching.DEFAULT_MIN_SCORE):
                if eid is not None:
                    keys.append(f"{_ENTITY}{eid}")
                else:
                    keys.append(f"{_NUMBER}{word}" if word.isdigit() else word)
                ents.append(eid)
                words.append(word)
            found = self._tagged[text] = _Tagged(keys, ents, words)
        return found

    def canonical(self, eid: int, lang: str) -> str | None:
        info = self.recognizer.entities.get(eid)
        if info is None:
            return None
        return info[1] if lang == "ar" else info[0]

    def substitute(self, text: str, old_eid: int, new_eid: int, lang: str) -> tuple[str, str, str] | None:
        """Replace the mention of one entity in ``text`` by the other's: ``(text, old, new)``.

        The old entity's mention is found by the recognizer.  A short form (an
        alias such as "Lavrov") is replaced by the new entity's short form when
        it has one ("Shoigu"), anything else by its canonical spelling.  Failing
        a mention, the last word of the old canonical spelling (a surname) is
        replaced by the new one's.
        """
        from . import matching

        new_canonical = self.canonical(new_eid, lang)
        old_canonical = self.canonical(old_eid, lang)
        if not new_canonical:
            return None
        new_alias = _surname_alias(new_canonical, self.recognizer.aliases.get((new_eid, lang), []))
        for m in self.recognizer.find(text, matching.DEFAULT_MIN_SCORE):
            if m.entity_id == old_eid:
                new = new_alias if (m.reason == "alias" and new_alias) else new_canonical
                return text[: m.start] + new + text[m.end :], m.surface, new
        if old_canonical and " " in old_canonical:
            last = old_canonical.split()[-1]
            found = _word_pattern(last, lang).search(text)
            if found:
                new = new_alias or new_canonical
                return text[: found.start()] + new + text[found.end() :], found.group(0), new
        return None

    def spellings(self, eid: int, lang: str) -> set[str]:
        """Every stored spelling of an entity in one language."""
        return self.recognizer.spellings.get((eid, lang), set())

    def spelling_terms(self, eid: int, lang: str) -> set[str]:
        """Normalized tokens of every spelling of an entity in one language (query expansion)."""
        out: set[str] = set()
        for text in self.spellings(eid, lang):
            out.update(tokens(normalize(text, "ar" if lang == "ar" else "en")))
        return out


# ---------------------------------------------------------------------- scoring


def _replace_cost(q: str, s: str, qe: int | None, se: int | None, kinds: _Kinds) -> float:
    if qe is not None and se is not None:
        return ENTITY_SWAP if kinds.get(qe) == kinds.get(se) else 0.5
    if qe is not None or se is not None:
        return 1.0
    if q[0] == _NUMBER and s[0] == _NUMBER:
        return 0.2
    if q[0] == _NUMBER or s[0] == _NUMBER:
        return 1.0
    r = fuzz.ratio(q, s) / 100.0
    return min(1.0, 2.0 * (1.0 - r))


def score_tagged(q: _Tagged, s: _Tagged, kinds: _Kinds) -> tuple[float, list[tuple[int, int]]]:
    """The score of a candidate and the aligned replacements ``(query index, unit index)``."""
    if q.keys == s.keys:
        return 100.0, []
    length = max(len(q.keys), len(s.keys))
    if length == 0:
        return 0.0, []
    ops = Levenshtein.editops(q.keys, s.keys)
    cost = 0.0
    replaced: list[tuple[int, int]] = []
    for op in ops:
        if op.tag == "replace":
            i, j = op.src_pos, op.dest_pos
            cost += _replace_cost(q.keys[i], s.keys[j], q.entities[i], s.entities[j], kinds)
            replaced.append((i, j))
        else:
            cost += 1.0
    score = 100.0 * (1.0 - cost / length)
    return max(0.0, min(99.9, round(score, 1))), replaced


# ---------------------------------------------------------------------- the TM


class TranslationMemory:
    """Sentence pairs in the glossary's store (table ``tm_units``), searchable both ways."""

    def __init__(self, glossary: Glossary) -> None:
        self.g = glossary
        self.db = glossary.db
        self._entities: _Entities | None = None
        self.last_import: TMImportReport | None = None
        self._df: dict[str, int] | None = None
        self._df_top = 0
        self._fts_upto = 0  # during an import: the last unit id already in tm_fts
        self._last_id = 0  # during a bulk import: the last unit id stored
        self._has_json: bool | None = None
        # during a bulk import: (source_lang, target_lang, source_norm) -> [(id, target_norm)]
        self._bulk: dict[tuple[str, str, str], list[tuple[int, str]]] | None = None
        self._dropped: list[str] = []  # tm_units' indexes a bulk load dropped (their SQL)
        self._check_normalization()

    # ------------------------------------------------------------------ upkeep
    def _check_normalization(self) -> None:
        """Re-normalize every unit if :func:`normalize` changed since they were stored."""
        current = norm_fingerprint()
        row = self.db.execute("SELECT value FROM meta WHERE key = 'tm_norm_fingerprint'").fetchone()
        if row is not None and row[0] == current:
            return
        with self.g._write():
            if row is not None:
                self.renormalize()
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES ('tm_norm_fingerprint', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [current],
            )

    def renormalize(self) -> int:
        """Recompute ``source_norm``/``target_norm`` of every unit (the triggers re-index them)."""
        changed = 0
        with self.g._write():
            rows = self.db.execute(
                "SELECT id, source, target, source_lang, target_lang, source_norm, target_norm FROM tm_units"
            ).fetchall()
            for uid, src, tgt, sl, tl, sn, tn in rows:
                new_s, new_t = segment_norm(src, sl), segment_norm(tgt, tl)
                if (new_s, new_t) != (sn, tn):
                    self.db.execute(
                        "UPDATE tm_units SET source_norm = ?, target_norm = ? WHERE id = ?",
                        [new_s, new_t, uid],
                    )
                    changed += 1
        return changed

    def entity_index(self) -> _Entities:
        """The glossary's entities for tagging, following the glossary's recognizer."""
        recognizer = self.g.recognizer
        if (
            self._entities is None or self._entities.recognizer is not recognizer
            or self._entities.generation != recognizer.generation
        ):
            self._entities = _Entities(recognizer)
        return self._entities

    # ------------------------------------------------------------------ writing
    def add(
        self,
        source: str,
        target: str,
        *,
        source_lang: str = "ar",
        target_lang: str = "en",
        note: str | None = None,
        origin: str | None = None,
    ) -> int:
        """Store a sentence pair; returns its id.

        An identical pair (same normalized source and target, same languages)
        is not stored twice: its id is returned and its ``updated`` time moves.
        """
        src, tgt, sl, tl = _check_unit(source, target, source_lang, target_lang)
        sn, tn = segment_norm(src, sl), segment_norm(tgt, tl)
        with self.g._write():
            row = self.db.execute(
                "SELECT id FROM tm_units WHERE source_norm = ? AND target_norm = ? "
                "AND source_lang = ? AND target_lang = ? ORDER BY id DESC LIMIT 1",
                [sn, tn, sl, tl],
            ).fetchone()
            if row is not None:
                self.db.execute(
                    f"UPDATE tm_units SET source = ?, target = ?, note = coalesce(?, note), "
                    f"origin = coalesce(?, origin), updated = {_NOW} WHERE id = ?",
                    [src, tgt, note, origin, row[0]],
                )
                return int(row[0])
            cur = self.db.execute(
                """INSERT INTO tm_units (source, target, source_lang, target_lang,
                   source_norm, target_norm, note, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [src, tgt, sl, tl, sn, tn, note, origin],
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def remove(self, unit_id: int) -> None:
        """Delete one unit."""
        with self.g._write():
            if self.db.execute("DELETE FROM tm_units WHERE id = ?", [unit_id]).rowcount == 0:
                raise NotFoundError(f"no translation unit with id {unit_id}")

    def get(self, unit_id: int) -> TMUnit:
        """One stored unit; raises :class:`NotFoundError` if there is none."""
        row = self.db.execute(f"SELECT {_UNIT_COLS} FROM tm_units WHERE id = ?", [unit_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no translation unit with id {unit_id}")
        return _unit(row)

    def units(self) -> Iterator[TMUnit]:
        """Every unit in id order (streamed)."""
        last = 0
        while True:
            rows = self.db.execute(
                f"SELECT {_UNIT_COLS} FROM tm_units WHERE id > ? ORDER BY id LIMIT 1000", [last]
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _unit(row)
            last = rows[-1][0]

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM tm_units").fetchone()[0])

    def stats(self) -> dict[str, Any]:
        """Unit counts by language pair and origin, and the date range."""
        pairs = self.db.execute(
            "SELECT source_lang || '→' || target_lang, count(*) FROM tm_units GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
        origins = self.db.execute(
            "SELECT coalesce(origin, ''), count(*) FROM tm_units GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
        ).fetchall()
        first, last = self.db.execute("SELECT min(created), max(updated) FROM tm_units").fetchone()
        return {
            "path": self.g.path,
            "units": len(self),
            "by_pair": dict(pairs),
            "by_origin": dict(origins),
            "first_created": first,
            "last_updated": last,
        }

    # ------------------------------------------------------------------ matching
    def _prepare(self, text: str) -> tuple[str, str, list[str], _Entities, _Tagged] | None:
        """A query's language, normalized form, tokens and entity tags; None if it has no words."""
        if not text or not text.strip():
            return None
        lang = script_of(text)
        norm = normalize(text, lang)
        toks = tokens(norm)
        if not toks:
            return None
        ents = self.entity_index()
        return lang, norm, toks, ents, ents.tag(text)

    def search(
        self, text: str, limit: int = DEFAULT_LIMIT, min_score: float = DEFAULT_MIN_SIMILARITY
    ) -> list[TMHit]:
        """Units whose source (in the query's language) resembles ``text``, best first.

        An Arabic query searches Arabic sides, an English one English sides: the
        source of en→ar units, and the target of ar→en units (returned reversed,
        ``hit.reversed``).  See the module doc for the score.
        """
        prepared = self._prepare(text) if limit > 0 else None
        if prepared is None:
            return []
        lang, norm, toks, ents, q = prepared
        rows = self._candidates(q, toks, norm, lang, ents)
        scored: list[tuple[float, str, int, TMHit, _Tagged, list[tuple[int, int]]]] = []
        for uid, src, tgt, sl, tl, _side, note, origin, updated in rows:
            if sl == lang:
                other, side_lang, other_lang, rev, shown_src = tgt, sl, tl, False, src
            else:
                other, side_lang, other_lang, rev, shown_src = src, tl, sl, True, tgt
            s = ents.tag(shown_src)
            score, replaced = score_tagged(q, s, ents.kind)
            if score < min_score:
                continue
            hit = TMHit(uid, shown_src, other, score, side_lang, other_lang,
                        note=note, origin=origin, updated=updated, reversed=rev)
            scored.append((score, updated or "", uid, hit, s, replaced))
        scored.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
        hits = []
        for _score, _u, _id, hit, s, replaced in scored[:limit]:
            if replaced:
                self._repair(hit, q, s, replaced, ents)
            hits.append(hit)
        return hits

    def candidates(self, text: str) -> list[int]:
        """The ids of the units :meth:`search` would score for ``text`` (for diagnostics)."""
        prepared = self._prepare(text)
        if prepared is None:
            return []
        lang, norm, toks, ents, q = prepared
        return [row[0] for row in self._candidates(q, toks, norm, lang, ents)]

    def _doc_freq(self) -> tuple[dict[str, int], int]:
        """Document frequency of every indexed term (cached; rebuilt when the TM grew by 10%).

        Only used to pick a query's rarest terms, so a slightly stale figure is
        harmless; a term missing from the cache counts as rare.
        """
        top = int(self.db.execute("SELECT coalesce(max(id), 0) FROM tm_units").fetchone()[0])
        if self._df is None or top > self._df_top * 1.1 + 100 or top < self._df_top:
            self._df = dict(self.db.execute("SELECT term, doc FROM tm_vocab").fetchall())
            self._df_top = top
        return self._df, max(top, 1)

    def _candidates(
        self, q: _Tagged, toks: list[str], norm: str, lang: str, ents: _Entities
    ) -> list[tuple[Any, ...]]:
        """The units worth scoring, as ``(id, source, target, source_lang, target_lang,
        side_norm, note, origin, updated)`` rows (see "Candidates" in the module doc)."""
        ids: dict[int, None] = {}
        for (uid,) in self.db.execute(
            "SELECT id FROM tm_units WHERE source_norm = ? ORDER BY id DESC LIMIT ?", [norm, CANDIDATES]
        ):
            ids[uid] = None
        df, total = self._doc_freq()
        # 1. the same sentence with other names: every word of the query (entities and
        #    numbers aside), in one FTS5 AND query
        plain = {k for k, e in zip(q.keys, q.entities, strict=True) if e is None and k[0] != _NUMBER}
        words = sorted(plain, key=lambda t: (df.get(t, 0), t))[:SKELETON_TERMS]
        if words and any(e is not None or k[0] == _NUMBER for k, e in zip(q.keys, q.entities, strict=True)):
            match = " AND ".join(f'"{w}"' for w in words)
            for (rid,) in self.db.execute(
                "SELECT rowid FROM tm_fts WHERE tm_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                [match, SKELETON_CANDIDATES],
            ):
                ids[rid] = None
        # 2. the best idf-weighted overlap with the query's rarest terms (an entity's:
        #    every spelling of it)
        entity_terms: set[str] = set()
        for eid in {e for e in q.entities if e is not None}:
            entity_terms |= ents.spelling_terms(eid, lang)
        terms = set(toks) | entity_terms
        ranked = sorted(terms, key=lambda t: (df.get(t, 0), t))
        weights: dict[int, float] = {}
        read = used = 0
        for term in ranked:
            d = df.get(term, 0)
            if used >= QUERY_TERMS or (used >= 3 and read + d > POSTINGS_BUDGET):
                break
            w = math.log((total + 1) / (d + 1)) + 0.1
            rows = self.db.execute(
                "SELECT rowid FROM tm_fts WHERE tm_fts MATCH ?", [f'"{term}"']
            ).fetchall()
            for (rid,) in rows:
                weights[rid] = weights.get(rid, 0.0) + w
            read += len(rows)
            used += 1  # noqa: SIM113 (counts looked-up terms, not loop turns)
        for rid, _w in heapq.nlargest(CANDIDATES, weights.items(), key=itemgetter(1)):
            ids[rid] = None
        if not ids:
            return []
        side = "CASE WHEN source_lang = ? THEN source_norm ELSE target_norm END"
        if len(ids) > SCORED:
            # 3. pre-rank: token edit distance over the words (a word costs 1 in the
            #    score), plus over entity and number tokens weighted as a swap
            marks = ",".join("?" * len(ids))
            sides = self.db.execute(
                f"SELECT id, {side} FROM tm_units WHERE id IN ({marks}) AND (source_lang = ? OR target_lang = ?)",
                [lang, *ids, lang, lang],
            ).fetchall()
            cheap = ents.vocab
            q_words = [t for t in toks if t not in cheap and not t.isdigit()]
            q_cheap = [t for t in toks if t in cheap or t.isdigit()]
            distance = Levenshtein.distance

            def pre(row: tuple[int, str]) -> tuple[float, int]:
                c = tokens(row[1])
                c_words = [t for t in c if t not in cheap and not t.isdigit()]
                c_cheap = [t for t in c if t in cheap or t.isdigit()]
                return distance(q_words, c_words) + ENTITY_SWAP * distance(q_cheap, c_cheap), -row[0]

            ids = dict.fromkeys(r[0] for r in heapq.nsmallest(SCORED, sides, key=pre))
        marks = ",".join("?" * len(ids))
        return self.db.execute(
            f"""SELECT id, source, target, source_lang, target_lang, {side}, note, origin, updated
                FROM tm_units WHERE id IN ({marks}) AND (source_lang = ? OR target_lang = ?)""",
            [lang, *ids, lang, lang],
        ).fetchall()

    def _repair(
        self,
        hit: TMHit,
        q: _Tagged,
        s: _Tagged,
        replaced: list[tuple[int, int]],
        ents: _Entities,
    ) -> None:
        target = hit.target
        tlang = "ar" if primary_lang(hit.target_lang) == "ar" else "en"
        repairs: list[tuple[str, str]] = []
        for i, j in replaced:
            qe, se = q.entities[i], s.entities[j]
            if qe is not None and se is not None and qe != se:
                done = ents.substitute(target, se, qe, tlang)
                if done is not None:
                    target, old, new = done
                    repairs.append((old, new))
            elif qe is None and se is None and q.keys[i][0] == _NUMBER and s.keys[j][0] == _NUMBER:
                old_n, new_n = s.words[j], q.words[i]
                found_all = [m for m in _DIGITS.finditer(target) if m.group(0) == old_n]
                if len(found_all) == 1:
                    m = found_all[0]
                    target = target[: m.start()] + new_n + target[m.end() :]
                    repairs.append((old_n, new_n))
        if repairs:
            hit.repaired_target = target
            hit.repairs = repairs

    def concordance(self, phrase: str, limit: int = 20) -> list[TMHit]:
        """Units containing ``phrase`` (normalized; an entity in any of its spellings), newest first.

        The phrase is looked for on the side in its own language; ``score`` is 100.
        """
        prepared = self._prepare(phrase) if limit > 0 else None
        if prepared is None:
            return []
        lang, _norm_q, _toks, ents, q = prepared
        parts: list[str] = []
        for key, eid, words in zip(q.keys, q.entities, q.words, strict=True):
            if eid is None:
                parts.append(f'"{key[1:] if key[0] == _NUMBER else key}"')
                continue
            options = {words}
            for text in ents.spellings(eid, lang):
                n = " ".join(tokens(segment_norm(text, lang)))
                if n:
                    options.add(n)
            parts.append("(" + " OR ".join(f'"{o}"' for o in sorted(options)) + ")")
        match = " AND ".join(parts)
        rows = self.db.execute(
            """SELECT u.id, u.source, u.target, u.source_lang, u.target_lang, u.source_norm,
                       u.target_norm, u.note, u.origin, u.updated
                FROM tm_fts JOIN tm_units u ON u.id = tm_fts.rowid
                WHERE tm_fts MATCH ? ORDER BY u.updated DESC, u.id DESC LIMIT ?""",
            [match, limit * 4 + 20],
        ).fetchall()
        hits: list[TMHit] = []
        for uid, src, tgt, sl, tl, _sn, _tn, note, origin, updated in rows:
            if sl == lang:
                side, hit = src, TMHit(uid, src, tgt, 100.0, sl, tl, note=note, origin=origin,
                                       updated=updated)
            elif tl == lang:
                side, hit = tgt, TMHit(uid, tgt, src, 100.0, tl, sl, note=note, origin=origin,
                                       updated=updated, reversed=True)
            else:
                continue
            if _contains(ents.tag(side).keys, q.keys):
                hits.append(hit)
                if len(hits) >= limit:
                    break
        return hits

    # ------------------------------------------------------------------ TMX
    def import_tmx(
        self,
        path: str | Path,
        *,
        on_duplicate: str = "skip",
        source_lang: str | None = None,
        target_lang: str | None = None,
        origin: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Import a TMX file (1.1–1.4b); returns the units added or updated.

        Each ``<tu>`` gives one unit from its Arabic and English variants
        (``ar-SA``, ``EN-us`` … count); a unit lacking one is counted in
        ``last_import.incomplete``.  The direction is the unit's ``srclang``,
        else the header's, else ``source_lang`` (default ``ar``); ``source_lang``
        and ``target_lang`` force it.  A duplicate (same normalized source, same
        languages, already stored or earlier in the file) is skipped
        (``skip``), replaces the stored target (``update``) or is stored beside
        it (``keep``; an identical pair is still never stored twice).
        The whole file is one transaction: an error imports nothing.
        ``last_import`` holds the :class:`TMImportReport`.

        Speed: units are normalized token by token through a memo
        (:func:`tokenwise_normalize`), stored ``BATCH`` at a time, and indexed
        in ``tm_fts`` once per batch; into an empty TM (a bulk load) ``tm_fts``
        and ``tm_units``' indexes are built once at the end and duplicates are
        found in memory, for the first ``BULK_UNITS`` units (then in the store).
        While it runs, Python's cyclic garbage collector is paused (nothing the
        import makes is in a reference cycle) and FTS5 buffers up to
        ``IMPORT_FTS_HASHSIZE`` bytes of new terms per index segment.
        """
        import time

        if on_duplicate not in ON_DUPLICATE:
            raise InputError(
                f"unknown on_duplicate {on_duplicate!r}; use one of {', '.join(ON_DUPLICATE)}"
            )
        forced_src = primary_lang(source_lang) if source_lang else None
        forced_tgt = primary_lang(target_lang) if target_lang else None
        default_src = forced_src or "ar"
        pair = {default_src, forced_tgt or ("en" if default_src == "ar" else "ar")}
        started = time.perf_counter()
        report = TMImportReport(str(path))
        header_src: list[str | None] = [None]

        ways: dict[str, tuple[str, str] | None] = {}

        def direction(unit: TMXUnit) -> tuple[str, str] | None:
            declared = unit.srclang or header_src[0] or ""
            if declared not in ways:
                src = forced_src or primary_lang(declared)
                if src not in pair:
                    src = default_src
                tgt = next(iter(pair - {src}), None)
                ways[declared] = (src, tgt) if tgt else None
            return ways[declared]

        from .tmx import TMXReader

        reader = TMXReader(path, progress)
        cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute("PRAGMA cache_size = -65536")  # 64 MiB while the indexes grow
        try:
            with gc_paused():  # a dozen small containers per unit, none in a cycle
                self._import_units(reader, direction, origin, on_duplicate, report, header_src)
        finally:
            self.db.execute(f"PRAGMA cache_size = {int(cache)}")
        report.seconds = time.perf_counter() - started
        self.last_import = report
        return report.imported

    def _import_units(
        self,
        reader: Any,
        direction: Callable[[TMXUnit], tuple[str, str] | None],
        origin: str | None,
        on_duplicate: str,
        report: TMImportReport,
        reader_header_src: list[str | None],
    ) -> None:
        now = _now()
        with self.g._write():
            # index the new rows once per batch (once at the end of a bulk load) instead of
            # row by row (see m003_tm_index); rows above _fts_upto are not in tm_fts yet
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('tm_fts_deferred', '1')")
            # every segment FTS5 writes is merged into bigger ones later: writing 16 MiB segments
            # instead of 1 MiB ones saves most of that merging (a sixth of the indexing time)
            self._fts_hashsize(IMPORT_FTS_HASHSIZE)
            self._fts_upto = int(self.db.execute("SELECT coalesce(max(id), 0) FROM tm_units").fetchone()[0])
            self._dropped = []
            if self._fts_upto == 0:
                # a bulk load into an empty TM: build tm_units' indexes once at the end (sorting
                # beats 100,000s of inserts at random places); duplicates are found in memory
                self._bulk = {}
                for name, sql in self.db.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tm_units' "
                    "AND sql IS NOT NULL"
                ).fetchall():
                    self.db.execute(f'DROP INDEX "{name}"')
                    self._dropped.append(sql)
            self._last_id = self._fts_upto
            try:
                self._read_units(reader, direction, origin, on_duplicate, report, reader_header_src, now)
            finally:
                self._bulk = None
            self._index_new()
            self._restore_indexes()  # on an error the rollback brings them back
            self._fts_hashsize(_FTS_DEFAULT_HASHSIZE)
            self.db.execute("DELETE FROM meta WHERE key = 'tm_fts_deferred'")

    def _fts_hashsize(self, size: int) -> None:
        """Set FTS5's ``hashsize`` of ``tm_fts`` (a setting stored in the index; speed only)."""
        with suppress(sqlite3.OperationalError):  # an SQLite whose FTS5 lacks the setting
            self.db.execute("INSERT INTO tm_fts(tm_fts, rank) VALUES ('hashsize', ?)", [size])

    def _read_units(
        self,
        reader: Any,
        direction: Callable[[TMXUnit], tuple[str, str] | None],
        origin: str | None,
        on_duplicate: str,
        report: TMImportReport,
        reader_header_src: list[str | None],
        now: str,
    ) -> None:
        batch: list[tuple[Any, ...]] = []  # rows in _INSERT_ROW's column order
        lines: list[int] = []  # the <tu> line of each row (for the report's duplicate_lines)
        for unit in reader:
            if reader_header_src[0] is None:
                reader_header_src[0] = reader.header.srclang or ""
            report.read += 1
            way = direction(unit)
            src_seg = unit.variant(way[0]) if way else None
            tgt_seg = unit.variant(way[1]) if way else None
            if way is None or src_seg is None or tgt_seg is None:
                report.incomplete += 1
                report.skipped += 1
                continue
            src_text = _clean(src_seg.text)
            tgt_text = _clean(tgt_seg.text)
            if not src_text or not tgt_text:
                report.incomplete += 1
                report.skipped += 1
                continue
            batch.append(_row_from_tmx(unit, src_seg, tgt_seg, src_text, tgt_text, way, origin, now))
            lines.append(unit.line)
            if len(batch) >= BATCH:
                self._store_batch(batch, lines, on_duplicate, report)
                batch, lines = [], []
        if batch:
            self._store_batch(batch, lines, on_duplicate, report)

    def _index_new(self) -> None:
        """Add the units stored since the last call to ``tm_fts`` (a deferred import's rows)."""
        self.db.execute(
            "INSERT INTO tm_fts(rowid, source_norm, target_norm) "
            "SELECT id, source_norm, target_norm FROM tm_units WHERE id > ?",
            [self._fts_upto],
        )
        self._fts_upto = int(self.db.execute("SELECT coalesce(max(id), 0) FROM tm_units").fetchone()[0])

    def _store_batch(
        self, batch: list[tuple[Any, ...]], lines: list[int], on_duplicate: str, report: TMImportReport
    ) -> None:
        # row: (source, target, sl, tl, sn, tn, note, origin, props, created, updated), see _row_from_tmx
        existing: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
        chunks: list[list[str]] = []
        where = "source_norm IN ({})"
        if self._bulk is not None:
            existing = self._bulk
        else:
            norms = sorted({r[4] for r in batch})
            if self._json_rows():
                chunks = [[json.dumps(norms, ensure_ascii=False)]]
                where = "source_norm IN (SELECT value FROM json_each(?))"
            else:
                chunks = [norms[i : i + 500] for i in range(0, len(norms), 500)]
        for chunk in chunks:
            for uid, sl, tl, sn, tn in self.db.execute(
                "SELECT id, source_lang, target_lang, source_norm, target_norm FROM tm_units "
                f"WHERE {where.format(','.join('?' * len(chunk)))} ORDER BY id",
                chunk,
            ):
                existing.setdefault((sl, tl, sn), []).append((uid, tn))
        inserts: list[tuple[Any, ...]] = []
        pending: dict[tuple[str, str, str], list[tuple[Any, ...]]] = {}
        for line, row in zip(lines, batch, strict=True):
            key, tn = (row[2], row[3], row[4]), row[5]
            stored = existing.get(key)
            queued = pending.get(key)
            if stored is None and queued is None:
                pending[key] = [row]
                inserts.append(row)
                continue
            report.duplicates += 1
            if len(report.duplicate_lines) < 100:
                report.duplicate_lines.append(line)
            same = any(t == tn for _u, t in stored or ()) or any(r[5] == tn for r in queued or ())
            if on_duplicate == "skip" or (on_duplicate == "keep" and same):
                report.skipped += 1
            elif on_duplicate == "keep":
                pending.setdefault(key, []).append(row)
                inserts.append(row)
            else:  # update: the newest unit with this source takes the new target
                if queued:
                    # an earlier row of this batch: replace it before it is written
                    idx = next(k for k, r in enumerate(inserts) if r is queued[-1])
                    inserts[idx] = row
                    queued[-1] = row
                    report.updated += 1
                else:
                    assert stored is not None
                    uid = stored[-1][0]
                    if uid > self._fts_upto:
                        # stored earlier in this import, not indexed yet: index it first,
                        # so the update trigger removes from tm_fts what is in tm_fts
                        self._index_new()
                    self.db.execute(
                        """UPDATE tm_units SET source = ?, target = ?, target_norm = ?, note = ?,
                            props = ?, updated = ? WHERE id = ?""",
                        [row[0], row[1], row[5], row[6], row[8], row[10], uid],
                    )
                    stored[-1] = (uid, tn)
                    report.updated += 1
        if inserts:
            self.db.conn.executemany(_INSERT_ROW, inserts)
            if self._bulk is None:
                self._index_new()
            else:
                # rowids of an INTEGER PRIMARY KEY go up by one from max(id) (we hold the write
                # lock); tm_fts is filled in one statement at the end of a bulk load
                first = self._last_id + 1
                self._last_id = int(self.db.execute("SELECT max(id) FROM tm_units").fetchone()[0])
                if self._last_id - first + 1 != len(inserts):
                    raise StoreError("tm_units ids are not consecutive during an import")
                for uid, row in enumerate(inserts, first):
                    self._bulk.setdefault((row[2], row[3], row[4]), []).append((uid, row[5]))
                if len(self._bulk) > BULK_UNITS:
                    self._end_bulk()
            report.added += len(inserts)

    def _end_bulk(self) -> None:
        """Leave a bulk load's in-memory duplicate map: build the indexes it dropped
        (one sort over the rows so far) and look duplicates up in the store from now on."""
        self._restore_indexes()
        self._bulk = None

    def _restore_indexes(self) -> None:
        """Build the ``tm_units`` indexes a bulk load dropped (if it has not yet)."""
        for sql in self._dropped:
            self.db.execute(sql)
        self._dropped.clear()

    def _json_rows(self) -> bool:
        """Whether this SQLite has ``json_each`` (JSON1: built in since 3.38, common before)."""
        if self._has_json is None:
            try:
                self.db.execute("SELECT count(*) FROM json_each('[1]')").fetchone()
                self._has_json = True
            except sqlite3.OperationalError:
                self._has_json = False
        return self._has_json

    def export_tmx(self, path: str | Path) -> int:
        """Write every unit to a TMX 1.4 file (atomically); returns the units written.

        Inline markup, ``prop``/``note`` and language codes with regions kept at
        import come back out; ``note`` and ``origin`` become ``<note>`` and
        ``<prop type="x-origin">``.
        """
        pairs = self.db.execute("SELECT DISTINCT source_lang FROM tm_units").fetchall()
        srclang = pairs[0][0] if len(pairs) == 1 else "*all*"
        with TMXWriter(path, srclang=srclang) as writer:
            for u in self.units():
                tmx = u.props.get("tmx", {}) if isinstance(u.props, dict) else {}
                s_meta = tmx.get("source", {})
                t_meta = tmx.get("target", {})
                s_lang = s_meta.get("lang") or u.source_lang
                t_lang = t_meta.get("lang") or u.target_lang
                attrs = {k: v for k, v in tmx.get("tu", {}).items() if k in _TU_ATTRS}
                attrs["tuid"] = attrs.get("tuid") or str(u.id)
                attrs["creationdate"] = tmx_date(u.created)
                attrs["changedate"] = tmx_date(u.updated)
                if srclang == "*all*":
                    attrs["srclang"] = s_lang
                else:
                    attrs.pop("srclang", None)
                notes = [u.note] if u.note else []
                props = [(str(t), str(v)) for t, v in tmx.get("props", [])]
                if u.origin:
                    props.append(("x-origin", u.origin))
                writer.write_unit(
                    [
                        (s_lang, u.source, _markup(s_meta, u.source)),
                        (t_lang, u.target, _markup(t_meta, u.target)),
                    ],
                    attrs=attrs,
                    props=props,
                    notes=notes,
                )
            return writer.count


# ---------------------------------------------------------------------- helpers

_UNIT_COLUMNS = (
    "source, target, source_lang, target_lang, source_norm, target_norm, note, origin, props, created, updated"
)
_INSERT_ROW = f"INSERT INTO tm_units ({_UNIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_UNIT_COLS = "id, source, target, source_lang, target_lang, note, origin, props, created, updated"
_TU_ATTRS = frozenset({
    "tuid", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationid", "changeid", "segtype", "o-tmf", "srclang",
})
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")


def _unit(row: tuple[Any, ...]) -> TMUnit:
    props: dict[str, Any] = {}
    if row[7]:
        try:
            loaded = json.loads(row[7])
            props = loaded if isinstance(loaded, dict) else {"value": loaded}
        except ValueError:
            props = {"value": row[7]}
    return TMUnit(row[0], row[1], row[2], row[3], row[4], row[5], row[6], props, row[8], row[9])


def _clean(text: str) -> str:
    """Trim the ends; inside, only line breaks with their indentation become a space (NBSP stays)."""
    if "\n" in text or "\r" in text:
        text = _LINE_BREAKS.sub(" ", text)
    return text.strip()


def _now() -> str:
    """The store's timestamp format (as ``strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`` in SQL)."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


class _TokenMemo(dict[str, str]):
    """token -> ``normalize(token, lang)``, filled on first use (the same words recur all the time)."""

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang: Lang = lang

    def __missing__(self, token: str) -> str:
        if len(self) >= _MEMO_SIZE:
            self.clear()
        value = self[token] = normalize(token, self.lang)
        return value


_MEMO_SIZE = 500_000
_MEMOS = {"ar": _TokenMemo("ar"), "en": _TokenMemo("en")}


def tokenwise_normalize(text: str, lang: Lang) -> str:
    """:func:`normalize`, one whitespace-separated token at a time through a memo.

    Exactly ``normalize(text, lang)``: normalization works per character (NFKC,
    one translation table, case) and then collapses whitespace, and none of
    its steps joins characters across whitespace, so normalizing the tokens
    apart and joining the non-empty results with one space gives the same
    string (``tests/test_tm.py`` checks this with hypothesis).  A TM's
    vocabulary is small next to its running text, so nearly every token is a
    dictionary hit and importing is several times faster.
    """
    return " ".join(filter(None, map(_MEMOS[lang].__getitem__, text.split())))


# The equivalence is checked on a probe at import time as well: if normalize()
# ever stops being token-local, the TM falls back to calling it on whole texts.
_TOKEN_PROBE = (
    "  إِبْرَاهِيمُ\u200c قال-لـ«بوتين»: ٢٠٢٤؛ ﺑﻮﺗﻴﻦ\tﻻ  Kim Jong-Un's ΟΔΟΣ Straße É\u0301 x\u00a0y ﷺ ¨a\n"
)
_TOKENWISE_OK = all(tokenwise_normalize(_TOKEN_PROBE, lang) == normalize(_TOKEN_PROBE, lang) for lang in ("ar", "en"))


def segment_norm(text: str, lang: str) -> str:
    """The normalized form of a TM segment as stored in ``source_norm``/``target_norm``.

    By the segment's declared language (``ar``, ``ar-SA`` … or anything else:
    English), not by its script: an English sentence quoting an Arabic name is
    still normalized as English.  Every writer of the TM (add, TMX import, a JSON
    Lines restore, renormalization) uses this one function.
    """
    side: Lang = "ar" if primary_lang(lang) == "ar" else "en"
    if _TOKENWISE_OK:
        return tokenwise_normalize(text, side)
    return normalize(text, side)


def _check_unit(source: str, target: str, source_lang: str, target_lang: str) -> tuple[str, str, str, str]:
    src, tgt = _clean(source or ""), _clean(target or "")
    if not src:
        raise InputError("empty source")
    if not tgt:
        raise InputError("empty target")
    sl, tl = primary_lang(source_lang), primary_lang(target_lang)
    for name, code in (("source_lang", sl), ("target_lang", tl)):
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise InputError(f"bad {name} {code!r}; use a language code such as ar or en")
    if sl == tl:
        raise InputError(f"source and target are both {sl!r}")
    for name, text, code in (("source", src, sl), ("target", tgt, tl)):
        if code == "ar" and not has_arabic(text):
            raise InputError(f"the {name} has no Arabic letters but its language is ar: {text!r}")
    return src, tgt, sl, tl


def _row_from_tmx(
    unit: TMXUnit,
    src_seg: Segment,
    tgt_seg: Segment,
    src_text: str,
    tgt_text: str,
    way: tuple[str, str],
    origin: str | None,
    now: str,
) -> tuple[Any, ...]:
    """A unit's row for ``tm_units``, in ``_INSERT_ROW``'s column order (dates missing: ``now``).

    What the columns do not hold (``<tu>`` attributes, props, notes of a variant,
    inline markup, a language code with a region) goes to ``props["tmx"]`` for export.
    """
    sl, tl = way
    meta: dict[str, Any] = {}
    attrs = unit.attrs
    if attrs:
        tu_attrs = {k: v for k, v in attrs.items() if k not in _TU_DATES}
        if tu_attrs:
            meta["tu"] = tu_attrs
    unit_origin = origin
    if unit.props:
        props = []
        for ptype, value in unit.props:
            if ptype == "x-origin" and origin is None:
                unit_origin = value
            else:
                props.append([ptype, value])
        if props:
            meta["props"] = props
    src_meta = _segment_meta(src_seg, src_text, sl)
    if src_meta:
        meta["source"] = src_meta
    tgt_meta = _segment_meta(tgt_seg, tgt_text, tl)
    if tgt_meta:
        meta["target"] = tgt_meta
    note = ("\n".join(n.strip() for n in unit.notes if n.strip()) or None) if unit.notes else None
    created = iso_date(attrs.get("creationdate")) or now
    updated = iso_date(attrs.get("changedate")) or created
    return (
        src_text,
        tgt_text,
        sl,
        tl,
        segment_norm(src_text, sl),
        segment_norm(tgt_text, tl),
        note,
        unit_origin,
        _to_json({"tmx": meta}) if meta else None,
        created,
        updated,
    )


_TU_DATES = ("creationdate", "changedate")


def _segment_meta(seg: Segment, text: str, primary: str) -> dict[str, Any] | None:
    """What a variant holds beyond its plain text in the unit's language (None: nothing)."""
    if seg.lang == primary and seg.markup is None and not seg.props and not seg.notes:
        return None  # the common case
    side: dict[str, Any] = {}
    if seg.lang != primary:
        side["lang"] = seg.lang
    if seg.markup is not None:
        side["markup"] = seg.markup
        side["text"] = text
    if seg.props:
        side["props"] = [list(p) for p in seg.props]
    if seg.notes:
        side["notes"] = seg.notes
    return side


def _to_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for the props of a unit (dicts, lists, strings).

    The stock encoder builds a new C encoder per call, which costs more than
    the whole rest of a unit's import; strings go through its C escaper here.
    """
    if type(value) is str:
        return _json_string(value)
    if type(value) is dict:
        return "{" + ", ".join([
            f"{_json_string(str(k))}: {_json_string(v) if type(v) is str else _to_json(v)}"
            for k, v in value.items()
        ]) + "}"
    if type(value) is list or type(value) is tuple:
        return "[" + ", ".join([_json_string(v) if type(v) is str else _to_json(v) for v in value]) + "]"
    return json.dumps(value, ensure_ascii=False)


def _markup(meta: dict[str, Any], text: str) -> str | None:
    markup = meta.get("markup")
    if markup and meta.get("text") == text:
        return str(markup)
    return None


def _surname_alias(canonical: str, aliases: list[str]) -> str | None:
    """The alias that is the canonical's last word ("Shoigu" of "Sergei Shoigu"), else the first."""
    if not aliases:
        return canonical.split()[-1] if " " in canonical else None
    last = canonical.split()[-1].casefold()
    for a in aliases:
        if a.casefold() == last:
            return a
    return sorted(aliases, key=len, reverse=True)[0]


def _contains(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


_PATTERNS: dict[tuple[str, str], re.Pattern[str]] = {}


def _word_pattern(spelling: str, lang: str) -> re.Pattern[str]:
    key = (spelling, lang)
    pat = _PATTERNS.get(key)
    if pat is None:
        body = r"[\s\-‐]+".join(re.escape(p) for p in spelling.split())
        pat = re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)
        if len(_PATTERNS) > 10000:
            _PATTERNS.clear()
        _PATTERNS[key] = pat
    return pat


__all__ = [
    "DEFAULT_MIN_SIMILARITY",
    "ON_DUPLICATE",
    "TMHit",
    "TMImportReport",
    "TMUnit",
    "TranslationMemory",
    "norm_fingerprint",
    "score_tagged",
    "segment_norm",
    "tokens",
    "tokenwise_normalize",
]
