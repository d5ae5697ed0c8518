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

import heapq
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from . import tmx_import
from .errors import InputError, NotFoundError
from .models import DEFAULT_MIN_SIMILARITY, TMHit, TMImportReport, TMUnit
from .normalize import fingerprint, has_arabic, normalize, script_of
from .segments import clean, segment_norm, tokens, tokenwise_normalize
from .store.tm_index import TMStore
from .tmx import TMXWriter, primary_lang, tmx_date
from .tmx_import import ON_DUPLICATE

if TYPE_CHECKING:
    from .glossary import Glossary
    from .recognition import Recognizer

DEFAULT_LIMIT = 5
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
#: Proclitics that may stick to a name: وبوتين, لموسكو, بموسكو.
PROCLITICS = "وبلفك"

_DIGITS = re.compile(r"\d+")
_ENTITY = "\x01"
_NUMBER = "\x02"


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
        #: the store layer's TM statements
        self.store: TMStore = glossary.store.tm
        self._writer = glossary.writer
        self._entities: _Entities | None = None
        self.last_import: TMImportReport | None = None
        self._df: dict[str, int] | None = None
        self._df_top = 0
        self._check_normalization()

    # ------------------------------------------------------------------ upkeep
    def _check_normalization(self) -> None:
        """Re-normalize every unit if :func:`normalize` changed since they were stored."""
        current = fingerprint()
        stored = self.store.norm_fingerprint()
        if stored == current:
            return
        with self._writer.transaction():
            if stored is not None:
                self.renormalize()
            self.store.set_norm_fingerprint(current)

    def renormalize(self) -> int:
        """Recompute ``source_norm``/``target_norm`` of every unit (the triggers re-index them)."""
        changed = 0
        with self._writer.transaction():
            for uid, src, tgt, sl, tl, sn, tn in self.store.norm_rows():
                new_s, new_t = segment_norm(src, sl), segment_norm(tgt, tl)
                if (new_s, new_t) != (sn, tn):
                    self.store.set_norms(uid, new_s, new_t)
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
        with self._writer.transaction():
            found = self.store.find_pair(sn, tn, sl, tl)
            if found is not None:
                self.store.touch_pair(found, src, tgt, note, origin)
                return found
            return self.store.insert_unit(src, tgt, sl, tl, sn, tn, note, origin)

    def remove(self, unit_id: int) -> None:
        """Delete one unit."""
        with self._writer.transaction():
            if not self.store.delete_unit(unit_id):
                raise NotFoundError(f"no translation unit with id {unit_id}")

    def get(self, unit_id: int) -> TMUnit:
        """One stored unit; raises :class:`NotFoundError` if there is none."""
        row = self.store.unit_row(unit_id)
        if row is None:
            raise NotFoundError(f"no translation unit with id {unit_id}")
        return _unit(row)

    def units(self) -> Iterator[TMUnit]:
        """Every unit in id order (streamed)."""
        last = 0
        while True:
            rows = self.store.unit_rows_after(last, 1000)
            if not rows:
                return
            for row in rows:
                yield _unit(row)
            last = rows[-1][0]

    def __len__(self) -> int:
        return self.store.count()

    def stats(self) -> dict[str, Any]:
        """Unit counts by language pair and origin, and the date range."""
        pairs, origins, first, last = self.store.stats()
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
        top = self.store.max_id()
        if self._df is None or top > self._df_top * 1.1 + 100 or top < self._df_top:
            self._df = self.store.doc_freqs()
            self._df_top = top
        return self._df, max(top, 1)

    def _candidates(
        self, q: _Tagged, toks: list[str], norm: str, lang: str, ents: _Entities
    ) -> list[tuple[Any, ...]]:
        """The units worth scoring, as ``(id, source, target, source_lang, target_lang,
        side_norm, note, origin, updated)`` rows (see "Candidates" in the module doc)."""
        ids: dict[int, None] = dict.fromkeys(self.store.same_source(norm, CANDIDATES))
        df, total = self._doc_freq()
        # 1. the same sentence with other names: every word of the query (entities and
        #    numbers aside), in one FTS5 AND query
        plain = {k for k, e in zip(q.keys, q.entities, strict=True) if e is None and k[0] != _NUMBER}
        words = sorted(plain, key=lambda t: (df.get(t, 0), t))[:SKELETON_TERMS]
        if words and any(e is not None or k[0] == _NUMBER for k, e in zip(q.keys, q.entities, strict=True)):
            for rid in self.store.holding_all(words, SKELETON_CANDIDATES):
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
            postings = self.store.holding(term)
            for rid in postings:
                weights[rid] = weights.get(rid, 0.0) + w
            read += len(postings)
            used += 1  # noqa: SIM113 (counts looked-up terms, not loop turns)
        for rid, _w in heapq.nlargest(CANDIDATES, weights.items(), key=itemgetter(1)):
            ids[rid] = None
        if not ids:
            return []
        if len(ids) > SCORED:
            # 3. pre-rank: token edit distance over the words (a word costs 1 in the
            #    score), plus over entity and number tokens weighted as a swap
            sides = self.store.sides(list(ids), lang)
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
        return self.store.candidate_rows(list(ids), lang)

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

        The phrase is looked for on the side in its own language; ``score`` is 100.  An Arabic
        word is found in its cliticized forms too: behind the article and the proclitics
        (:data:`glossary.recognition.PROCLITICS`: المحادثات, بالمحادثات, وللمحادثات for محادثات)
        and before an attached pronoun (:data:`PRONOUN_SUFFIXES`: محادثاتهم); a word asked for with its article
        finds the others and the bare word.  Other words are matched whole.
        """
        prepared = self._prepare(phrase) if limit > 0 else None
        if prepared is None:
            return []
        from .recognition import PROCLITICS as proclitics

        lang, _norm_q, _toks, ents, q = prepared
        parts: list[str | list[str]] = []  # a phrase, or phrases one of which will do ("x*": a prefix)
        stems: list[str | None] = []  # per key: an Arabic word's stem, found in any of its forms
        for key, eid, words in zip(q.keys, q.entities, q.words, strict=True):
            stem = _stem(key) if eid is None and lang == "ar" and key[0] != _NUMBER else None
            stems.append(stem)
            if stem is not None:
                parts.append([f"{p}{stem}*" for p in proclitics])
                continue
            if eid is None:
                parts.append(key[1:] if key[0] == _NUMBER else key)
                continue
            options = {words}
            for text in ents.spellings(eid, lang):
                n = " ".join(tokens(segment_norm(text, lang)))
                if n:
                    options.add(n)
            parts.append(sorted(options))
        rows = self.store.holding_phrases(parts, limit * 4 + 20)
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
            if _contains_forms(ents.tag(side).keys, q.keys, stems, proclitics):
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
        and ``target_lang`` force it.  A duplicate -- a unit whose languages,
        source and target are all those of a stored unit (or of one earlier in
        the file), after normalization -- is never stored twice.  A unit whose
        source is stored with another target is another translation: by
        default (``skip``, and ``keep``, the same) it is stored beside the
        other, so sources that differ only in punctuation or case keep their
        own targets; with ``update`` it replaces the stored target (the newest
        translation wins) and a duplicate refreshes the stored unit.
        ``last_import`` counts ``duplicates`` and ``alternatives``.
        The whole file is one transaction: an error imports nothing.
        ``last_import`` holds the :class:`TMImportReport`.

        Speed (:mod:`glossary.tmx_import`): units are normalized token by token
        through a memo (:func:`tokenwise_normalize`), stored ``BATCH`` at a time,
        and indexed in ``tm_fts`` once per batch; into an empty TM (a bulk load)
        ``tm_fts`` and ``tm_units``' indexes are built once at the end and
        duplicates are found in memory, for the first ``BULK_UNITS`` units (then
        in the store).  While it runs, Python's cyclic garbage collector is
        paused (nothing the import makes is in a reference cycle) and FTS5
        buffers up to ``IMPORT_FTS_HASHSIZE`` bytes of new terms per index segment.
        """
        report = tmx_import.import_tmx(
            self.store, self._writer.transaction, path, on_duplicate=on_duplicate,
            source_lang=source_lang, target_lang=target_lang, origin=origin, progress=progress,
        )
        self.last_import = report
        return report.imported

    def export_tmx(self, path: str | Path) -> int:
        """Write every unit to a TMX 1.4 file (atomically); returns the units written.

        Inline markup, ``prop``/``note`` and language codes with regions kept at
        import come back out; ``note`` and ``origin`` become ``<note>`` and
        ``<prop type="x-origin">``.
        """
        pairs = self.store.source_langs()
        srclang = pairs[0] if len(pairs) == 1 else "*all*"
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

_TU_ATTRS = frozenset({
    "tuid", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationid", "changeid", "segtype", "o-tmf", "srclang",
})
def _unit(row: tuple[Any, ...]) -> TMUnit:
    props: dict[str, Any] = {}
    if row[7]:
        try:
            loaded = json.loads(row[7])
            props = loaded if isinstance(loaded, dict) else {"value": loaded}
        except ValueError:
            props = {"value": row[7]}
    return TMUnit(row[0], row[1], row[2], row[3], row[4], row[5], row[6], props, row[8], row[9])


def _check_unit(source: str, target: str, source_lang: str, target_lang: str) -> tuple[str, str, str, str]:
    src, tgt = clean(source or ""), clean(target or "")
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


#: Attached pronouns an Arabic word of a concordance is found with (محادثاتهم for محادثات); the
#: proclitics it is found behind are the recognizer's (:data:`glossary.recognition.PROCLITICS`).
PRONOUN_SUFFIXES: frozenset[str] = frozenset(("", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "ي", "نا"))


def _stem(word: str) -> str:
    """The word a concordance looks for in every form: an Arabic word without its article
    (المحادثات finds محادثات and بالمحادثات too); a short word keeps it (ال in الم is no article)."""
    return word[2:] if word.startswith("ال") and len(word) >= 5 else word


def _form_of(token: str, stem: str, proclitics: Iterable[str]) -> bool:
    """Whether ``token`` is ``stem`` behind one of ``proclitics`` and before one of :data:`PRONOUN_SUFFIXES`."""
    for p in proclitics:
        if token.startswith(p) and token.startswith(stem, len(p)) and token[len(p) + len(stem) :] in PRONOUN_SUFFIXES:
            return True
    return False


def _contains_forms(hay: list[str], needle: list[str], stems: list[str | None], proclitics: Iterable[str]) -> bool:
    """:func:`_contains` where a needle key with a stem matches any form of it (:func:`_form_of`)."""
    n = len(needle)
    for i in range(len(hay) - n + 1):
        if all(
            h == k or (stem is not None and _form_of(h, stem, proclitics))
            for h, k, stem in zip(hay[i : i + n], needle, stems, strict=True)
        ):
            return True
    return False


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
    "TranslationMemory",
    "score_tagged",
    "segment_norm",
    "tokens",
    "tokenwise_normalize",
]
