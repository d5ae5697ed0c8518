"""Matching: from a query spelling to scored candidate entities.

Contract used by :class:`glossary.Glossary` (keep it stable):

* ``Matcher(records)`` builds an in-memory index from :class:`NameRecord` rows;
  ``add(record)`` / ``add_many(records)`` / ``remove(name_id)`` keep it correct
  after writes.
* ``search(query, limit=5, min_score=DEFAULT_MIN_SCORE)`` returns :class:`Hit`
  objects, one per entity, best first, ``score`` in 0..100, ``reason`` one of
  exact / orthographic / phonetic / fuzzy / alias / english.

Score scale
-----------

Every stored name is split into tokens; each query token is compared with
the stored tokens through the three forms of :mod:`glossary.keys`
(normalized text, phonetic key, consonant skeleton):

======  ==============  =====================================================
score   reason          when
======  ==============  =====================================================
100     exact           the query is the stored spelling, character for character
100     orthographic    identical after :func:`glossary.normalize.normalize`
                        (hamza/alef, ى/ي, ة/ه, diacritics, tatweel, NFKC, bidi marks,
                        hyphens): أحمد / احمد, سون-هوي / سون هوي
99      orthographic    identical except for spaces between parts: بيونغيانغ / بيونغ يانغ
90–98   phonetic        same phonetic key: same consonant classes and vowels, letters
                        differ only within a class (سيرجي / سيرغي, بيونج / بيونغ);
                        graded by the similarity of the normalized forms
75–90   phonetic        same consonant skeleton, long vowels written or dropped
                        (ديمتري / دميتري, ويتكر / ويتاكر); graded by phonetic-key
                        similarity
≤ 85    fuzzy           edit-distance neighbours of the skeleton: 0.85 × the mean
                        rapidfuzz ratio of phonetic keys and skeletons
======  ==============  =====================================================

A few letters are not one sound but stand for one *Latin letter* read two
ways (:data:`glossary.keys.ARABIC_ALTERNATES`: ش/س for s, ث/ت for th, ف for a
consonant و, w read as v): a spelling that differs by them (بوشكو / بوسكو "Boško") matches at the
consonant-skeleton level at most (75–90, ``phonetic``), never as a same-sound
match.

Arabic queries are then checked against each candidate entity's *English*
name with the learned transliteration model (:mod:`glossary.transliteration`):
a match below 99 loses ``FIT_WEIGHT`` (15) points as the query becomes an
unlikely rendering of the English name (fit from the median to the 5th
percentile of real name pairs), and as much again by a fit twice as far below
(``FIT_MAX_BAD``: 30 at most; a query that is no rendering of the name at all
is then below the threshold).  An entity whose English names all have more
words than the query is fitted by their parts (a run of as many words: كيم for
Kim Jong Un; for a one-word query, the words written together: سريلانكا for
Sri Lanka); one the fit cannot reach loses up to ``CROSS_WEIGHT`` (10) by the
cheaper cross-key check.  Matches at 99 and 100 keep their score.  A phonetic
match can therefore fall to 45, a fuzzy one lower.  The best entities are checked ``CROSS_POOL`` (20) at a time until no
unchecked one can reach the first ``limit`` (a check only lowers a score), so
the order returned is that of the final scores.

Entities with equal scores are ordered by how likely each is the source of the
spelling: Bayes' rule, P(English | Arabic) ∝ P(Arabic | English) · P(English),
per letter, i.e. the fit plus the log of the entity's ``frequency`` (how often
its name is attested; unknown counts as 1) divided by the query's letters.
Wikidata gives one Arabic label to many English names (هارمن: Harman, Harmon,
Harmen …); the likeliest comes first, and of two equally likely renderings the
commoner name.  The prior only orders ties, it never changes a score: a
score says how well the spelling matches, not how common the name is.
Latin queries (no fit) order their ties by frequency alone.

Multi-word names are scored token by token: the mean score of the aligned
token pairs, minus ``MIDDLE_PENALTY`` (10) for each dropped or added middle
token, ``EDGE_PENALTY`` (30) for each dropped or added first/last token, and
``ORDER_PENALTY`` (5) when the aligned tokens are in a different order.
A name stored with role ``alias`` scores ``ALIAS_FACTOR`` (0.95) of that and
says ``alias``: a short form resolves to its entity, below the full name.
Latin queries are matched against stored English names on the same scale and
say ``english`` (``exact`` when character for character); as there is no fit,
a Latin match below 99 loses ``LATIN_WEIGHT`` (30) points as the letters of
query and name differ (Indel similarity from 83 down to 57: Sergey / Sergei
loses nothing, yousefi / Sofia 30), up to 60.

``DEFAULT_MIN_SCORE`` (65) is the threshold below which nothing is returned,
in lookups and in running text; pass ``min_score`` to change it.  It was set
by ``benchmarks/calibration.py`` on a calibration part of the data, where no
variant recall is lost.  Of person names the bundled glossary (16,558 entities)
does not hold, 8.6% (Arabic) and 3.8% (Latin) get an answer on the held-out
part, with the bars of :func:`answer_bar`, ``ONE_WORD_PENALTY`` and
``LATIN_SPREAD``.  What a score means, measured (share of first answers that
are right, per score band), is in the README.

Index
-----

Candidates never come from a scan: tokens are interned in a per-script
vocabulary, and the vocabulary is indexed by normalized form, phonetic key,
skeleton and the one-symbol deletions of the skeleton (a symmetric-deletion
index: two skeletons one edit apart share an entry).  Postings map a token to
the names that hold it.  All keys are computed once, when a name is added.
A multi-word query scores only the names found in the postings of (candidates
of) at least two of its words — a set intersection, not a scan of every name
holding a common word — and falls back to a few one-word-in-common names only
when fewer than ``limit`` names share two words with it; when none of those
scores well, it looks further down each word's candidates (still intersecting).
"""

from __future__ import annotations

import bisect
import gc
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, permutations
from typing import TYPE_CHECKING, Any

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .keys import (
    VOWEL_SYMBOLS,
    TokenKeys,
    alternate_spelling,
    cross_key,
    cross_skeleton,
    deletions,
    names_not_article,
    strip_article,
    token_keys,
)
from .normalize import Lang, has_arabic, normalize, script_of
from .transliteration import model as fit_model
from .transliteration import name_fits

if TYPE_CHECKING:
    from .store.index_file import IndexFile, Part

#: Below this score nothing is returned unless the caller asks for less: THE threshold of
#: lookups and running text alike.  Set by ``benchmarks/calibration.py`` so that a name the
#: glossary does not hold usually gets no answer (8.6% of Arabic and 3.8% of Latin person names
#: absent from the bundled glossary do) while no variant benchmark recall is lost.
DEFAULT_MIN_SCORE = 65.0

#: Penalty for each stored/query token left unaligned in the middle of a name.
MIDDLE_PENALTY = 10.0
#: Penalty for each stored/query token left unaligned at the start or the end.
EDGE_PENALTY = 30.0
#: Penalty when the aligned tokens come in another order (Lavrov Sergei).
ORDER_PENALTY = 5.0
#: More penalty when a one-word query matches one word of a longer name: a given name or a
#: surname on its own (سابرينا / Sabrina Carpenter, Daniel / Daniel Johnston) is shared by many
#: people, so it scores below the default threshold (a suggestion for a lower ``min_score``,
#: not an answer).  A short form that names one person is stored as an ``alias``.
ONE_WORD_PENALTY = 10.0
#: Score factor for names stored with role ``alias``.
ALIAS_FACTOR = 0.95
#: Score for a spelling that differs from a stored one only by spaces.
SPACING_SCORE = 99.0
#: Penalty for matching through a dropped definite article (العقاد / عقاد).
ARTICLE_PENALTY = 2.0

#: Most points a phonetic/fuzzy Arabic match loses when the entity's English
#: name does not sound like the query (cheap cross-key check, see ``_fit_check``).
CROSS_WEIGHT = 10.0
#: A spelling marked ``alone='stored'`` answers a lookup only at this score or more: as stored,
#: up to orthography, or respelled within one sound class (سيرجي / سيرغي).  The ten thousand
#: places of the bundled gazetteer would otherwise answer most names the glossary does not hold
#: (a surname looked up finds some small town that sounds like it).  The recognizer asks the same
#: of a one-word spelling stored nowhere that looks more like an ordinary word than like a name.
SAME_SOUNDS_SCORE = 90.0


def answer_bar(role: str, alone: str | None, curated: bool) -> float:
    """The least score at which a stored spelling answers (:attr:`NameRecord.bar`).

    :data:`SAME_SOUNDS_SCORE` for a spelling marked ``alone='stored'`` and for a short form
    imported in bulk (an ``alias`` not curated: the bundled news people's surnames, taken from
    their full names by rule).  A surname is shared by many people and a respelled one is more
    often someone else (جواد / Djawadi, Bridgman / Brightman), so it answers as stored, up to
    orthography, or respelled within one sound class (ترامب / ترامپ).  Everything else: 0.
    """
    if alone == "stored" or (role == "alias" and not curated):
        return SAME_SOUNDS_SCORE
    return 0.0


#: How many of the best entities get the cross-script check at a time (see ``_fit_check``).
CROSS_POOL = 20
#: Most entities checked for one lookup: beyond them, scores stay unchecked.
MAX_FIT_POOL = 200
#: Most points a match loses when the query is an unlikely rendering of the
#: entity's English name (learned fit, see ``_fit_check``); the second figure is
#: for orthographic matches (99, 100), which keep their score and are only ordered.
FIT_WEIGHT = 15.0
FIT_WEIGHT_ORTHO = 0.0
#: Fit (per-letter log probability) of a typical and of a poor (worst 5%) real
#: name pair, measured on the model's own training pairs (model file ``fit_quantiles``).
FIT_GOOD = -0.10
FIT_POOR = -0.85
#: Below ``FIT_POOR`` the loss goes on at the same rate, up to this many times the
#: ``FIT_GOOD``..``FIT_POOR`` span (2: at most 2 x ``FIT_WEIGHT``, reached at a fit of -1.6).
#: (1, with ``FIT_PARTS`` False, ``LATIN_WEIGHT`` 0 and a threshold of 60, is the scoring
#: before calibration, which ``benchmarks/calibration.py`` measures beside it.)
FIT_MAX_BAD = 2.0
#: A one-word Arabic query whose best answer is a weak sound-alike -- a phonetic or fuzzy
#: match below ``WEAK_BELOW`` that the query renders poorly (fit below ``FIT_POOR``; not an
#: alias, whose fit is taken against part of a longer name) -- has
#: every such answer lowered by ``WEAK_DROP`` points: below the default threshold, so it gets
#: no answer (مولي is no rendering of Mali).  Beside a better answer they keep their score, as
#: alternatives.  On the dev set 30% of the first answers it removes were right; on names the
#: bundled glossary lacks it removes a third of the answers (``benchmarks/calibration.py``).
WEAK_BELOW = 80.0
WEAK_DROP = 15.0
#: Fit a query against the parts of longer English names (see ``_fit_parts``) rather than
#: only the cheaper cross-key check.
FIT_PARTS = True
#: Latin queries: points a match below 99 loses as the query's letters differ from the
#: matched English name (Indel similarity 0..100 from ``LATIN_GOOD`` down to ``LATIN_POOR``,
#: and on at that rate up to ``FIT_MAX_BAD`` spans).  Good and poor are the median and the
#: 5th percentile similarity of real Latin respellings the matcher finds (Google
#: romanizations against the Wikidata English of the same Arabic, calibration part).
LATIN_WEIGHT = 30.0
LATIN_GOOD = 83.0
LATIN_POOR = 57.0
#: Latin queries: a match below 99 is also put this many times as far below 99 (89 -> 86.5,
#: 75 -> 69).  Latin answers below 90 were right half as often as Arabic ones of the same score
#: (``benchmarks/calibration.py``, calibration parts: 80-89 right 34% against 70%), so the same
#: score would promise more than it holds; spread, a score means about the same in both scripts.
LATIN_SPREAD = 1.25

#: Most English tokens the cross-script route looks at per Arabic query token.
MAX_CROSS_CANDIDATES = 600
#: Multi-word names scored per (one-word query, matching stored word), x limit.
PARTIAL_PER_TOKEN = 4
#: Candidate stored words per query word whose names are scored for multi-word queries.
MULTI_TOKEN_CANDIDATES = 10
#: Most names read from one stored word's postings for a multi-word query.
MAX_POSTINGS = 50_000
#: Most multi-word names scored for one multi-word query (those sharing two words with it).
MAX_MULTI_SLOTS = 3000
#: A multi-word query looks beyond each word's ``MULTI_TOKEN_CANDIDATES`` best stored
#: words when no name scores this much (every word matched at the phonetic-key level).
WIDE_BELOW = 90.0
#: English tokens kept by the cross-script route per Arabic query token.
KEEP_CROSS = 20
#: Score factor of the cross-script route (an English name that sounds like the query).
CROSS_ROUTE_FACTOR = 0.85

#: Most vocabulary tokens scored per query token (candidate cap).
MAX_TOKEN_CANDIDATES = 1000
#: Vocabulary tokens per query token that get the full score (closest first).
KEEP_TOKEN_CANDIDATES = 60

_PHONETIC, _FUZZY, _ORTHO = 1, 2, 0
_LEVEL_NAME = {_ORTHO: "orthographic", _PHONETIC: "phonetic", _FUZZY: "fuzzy"}


@dataclass(frozen=True, slots=True)
class NameRecord:
    """A stored spelling as the matcher sees it."""

    name_id: int
    entity_id: int
    text: str
    lang: str
    role: str
    #: How often the entity is attested (its ``frequency``; 0 when unknown).
    frequency: int = 0
    #: The least score at which this spelling answers (:func:`answer_bar`): :data:`SAME_SOUNDS_SCORE`
    #: for a gazetteer entry marked ``alone='stored'`` and for a bulk-imported short form.
    bar: float = 0.0


@dataclass(frozen=True, slots=True)
class Hit:
    """The best-scoring stored spelling of one entity for a query."""

    entity_id: int
    name_id: int
    matched: str
    score: float
    reason: str
    role: str


#: Objects made while the collector was paused beyond which :func:`gc_paused` moves them to the oldest generation.
PROMOTE_AFTER = 100_000


@contextmanager
def gc_paused(settle: int | None = None) -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are made that are not garbage.

    Each collection of the oldest generation walks all of them again, and those
    come more often as the heap grows: half of the time of building a 65k-name
    index went to them, and more than scanning a long text.  With ``settle``, if
    more than that many objects were made, one full collection runs at the end
    (the matcher's build: its objects are then settled as part of the build, not
    by a pause of a second in the middle of the first lookups).  Without it, more than
    :data:`PROMOTE_AFTER` objects made (a first pass over a text: the words analysed and the
    index entries read, kept as caches) are moved to the oldest generation as they are
    (``gc.freeze()`` then ``gc.unfreeze()``: two list splices) rather than walked by the next
    young collection, which took a twentieth of a first pass; not when the program froze
    objects of its own (``gc.get_freeze_count()``), which stay frozen.  The collector's
    state is restored (a caller who disabled it keeps it off).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    before = gc.get_count()[0]  # objects made since the last collection (it keeps counting while paused)
    try:
        yield
    finally:
        made = gc.get_count()[0] - before
        if settle is None and made > PROMOTE_AFTER and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()
        if settle is not None and made > settle:
            gc.collect()


def _ratio(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b) * 100.0


def skeleton_score(pk_sim: float) -> float:
    """The score of a same-skeleton match (75–90), graded by the phonetic keys' similarity (0–100)."""
    return 75.0 + 0.15 * pk_sim


def token_score(q: TokenKeys, c: TokenKeys) -> tuple[float, int]:
    """Score (0..100) and level of a stored token ``c`` for a query token ``q``.

    Levels: 0 orthographic, 1 phonetic, 2 fuzzy (see the module's score table).
    """
    if q.norm == c.norm:
        return 100.0, _ORTHO
    if q.pk == c.pk:
        return 90.0 + 0.08 * _ratio(q.norm, c.norm), _PHONETIC
    pk_sim = _ratio(q.pk, c.pk)
    # the same skeleton, and both start with a vowel or neither (Arabic writes a word's first
    # vowel: تالي is no spelling of إيطاليا, Italy)
    if q.sk == c.sk and q.sk and (q.pk[:1] in VOWEL_SYMBOLS) == (c.pk[:1] in VOWEL_SYMBOLS):
        return skeleton_score(pk_sim), _PHONETIC
    return 0.85 * (pk_sim + _ratio(q.sk, c.sk)) / 2.0, _FUZZY

#: The key entries filed under one key, and beside them the string each is first
#: compared by (``pk|sk``, or the cross key).  The strings are copies made for
#: the bucket, allocated together: a lookup reads up to a thousand of them, and
#: reading one shared copy per entry, scattered over the heap, cost three times
#: as much as comparing them.
_Bucket = tuple[list[int], list[str]]
#: A ranked entity before it becomes a :class:`Hit`: (entity, slot, score, reason).
_Ranked = tuple[int, int, float, str]
_NO_BUCKET: _Bucket = ([], [])


def prefetch(container: Any, keys: Iterable[Any]) -> None:
    """Read these entries of a container opened lazily from an index file together, in one query
    (:mod:`glossary.store.index_file`); nothing to do for an in-memory one (a plain dict, set or list).
    The recognizer and the name-likeness model use it too."""
    fetch = getattr(container, "prefetch", None)
    if fetch is not None:
        fetch(keys)


def _file(index: dict[str, _Bucket], key: str, vid: int, text: str) -> None:
    bucket = index.get(key)
    if bucket is None:
        bucket = index[key] = ([], [])
    bucket[0].append(vid)
    bucket[1].append(text)


class _Side:
    """Vocabulary, key indexes and postings of one script.

    Every distinct normalized token gets an id; a token with a definite article
    also gets a second *key entry* for its bare form (العقاد -> عقاد), whose
    ``owner`` is the token.  The key indexes hold buckets of key-entry ids.
    """

    __slots__ = (
        "alts", "by_del", "by_norm", "by_pk", "by_sk", "by_xsk", "cross", "keys", "owner", "post1", "postm",
    )

    def __init__(self) -> None:
        self.keys: list[TokenKeys] = []  # key entry -> keys
        self.owner: list[int] = []  # key entry -> token id (itself unless a bare or alternate form)
        self.alts: set[int] = set()  # key entries of alternate spellings (keys.ARABIC_ALTERNATES)
        self.cross: list[str] = []  # key entry -> cross-script key
        self.by_norm: dict[str, int] = {}
        self.by_pk: dict[str, _Bucket] = {}
        self.by_sk: dict[str, _Bucket] = {}
        self.by_del: dict[str, _Bucket] = {}
        self.by_xsk: dict[str, _Bucket] = {}  # Latin tokens by cross skeleton (+ deletions)
        self.post1: dict[int, list[int]] = {}  # token -> slots of one-token names
        self.postm: dict[int, list[int]] = {}  # token -> slots of multi-token names

    #: persisted containers (besides the key entries' keys, owner and cross key, read together)
    _PERSISTED = ("by_norm", "by_pk", "by_sk", "by_del", "by_xsk", "post1", "postm")

    def parts(self, ns: str) -> list[Part]:
        """The containers, for :meth:`IndexFile.write`."""
        from .store.index_file import Columns

        entries = Columns([self.keys, self.owner, self.cross], [tuple, None, None])
        return [
            (f"{ns}.entries", entries, None, None), (f"{ns}.alts", self.alts, None, None),
            *((f"{ns}.{attr}", getattr(self, attr), None, None) for attr in self._PERSISTED),
        ]

    @classmethod
    def opened(cls, index: IndexFile, ns: str) -> _Side:
        """The side as an index file holds it: every container read lazily."""
        from .store.index_file import LazyDict, LazyRecords, LazySet

        side = cls.__new__(cls)
        entries = LazyRecords(index, f"{ns}.entries", [lambda v: TokenKeys(*v), None, None], [tuple, None, None])
        side.keys, side.owner, side.cross = entries.column(0), entries.column(1), entries.column(2)
        side.alts = LazySet(index, f"{ns}.alts")
        for attr in cls._PERSISTED:
            setattr(side, attr, LazyDict(index, f"{ns}.{attr}"))
        return side

    def intern(self, token: str, *, article: bool = True) -> int:
        """The id of a normalized token, added with its key entries if new.

        ``article`` False: the token was written with its own alef-lam (ألبانيا), which is no article
        to drop; the same token written ال later (البانيا) gets its bare entry then.
        """
        bare = strip_article(token) if article else None
        tid = self.by_norm.get(token)
        if tid is not None:
            if bare is not None and not self._has_bare(tid, bare):
                self._entry(token_keys(bare), tid)
            return tid
        tid = self._entry(token_keys(token), None)
        self.by_norm[token] = tid
        if bare is not None:
            self._entry(token_keys(bare), tid)
        alt = alternate_spelling(token)
        if alt is not None:
            # matched by equal phonetic key or skeleton only: no deletion entries
            self.alts.add(self._entry(token_keys(alt), tid, neighbours=False))
        return tid

    def _has_bare(self, tid: int, bare: str) -> bool:
        """Has token ``tid`` a key entry for its form without the article?"""
        bucket = self.by_pk.get(token_keys(bare).pk)
        return bucket is not None and any(self.owner[v] == tid and v != tid for v in bucket[0])

    def _entry(self, k: TokenKeys, owner: int | None, *, neighbours: bool = True) -> int:
        vid = len(self.keys)
        self.keys.append(k)
        self.owner.append(vid if owner is None else owner)
        xk = cross_key(k.pk)
        self.cross.append(xk)
        if owner is None and not has_arabic(k.norm):
            fit_model().prepare(k.norm)  # the fit's lattice of this English token, computed once
            xs = cross_skeleton(xk)
            for d in {xs} | deletions(xs):
                _file(self.by_xsk, d, vid, (xk + " ")[:-1])  # a copy of its own
        # each bucket gets its own copy of the "pk|sk" string (a new concatenation)
        _file(self.by_pk, k.pk, vid, k.pk + "|" + k.sk)
        _file(self.by_sk, k.sk, vid, k.pk + "|" + k.sk)
        if neighbours:
            for d in deletions(k.sk):
                _file(self.by_del, d, vid, k.pk + "|" + k.sk)
        return vid

    def candidates(
        self, token: str, q: TokenKeys | None = None, *, article: bool = True
    ) -> dict[int, tuple[float, int]]:
        """Scored vocabulary tokens for one normalized query token.

        Gathers key entries from the key indexes (at most ``MAX_TOKEN_CANDIDATES``),
        keeps the ``KEEP_TOKEN_CANDIDATES`` closest by a one-pass C-level
        similarity of ``pk|sk`` (rapidfuzz), and scores only those exactly.
        A match through a bare form (either side's article dropped) loses
        ``ARTICLE_PENALTY``.  ``q`` is ``token_keys(token)`` if the caller has it.
        """
        if q is None:
            q = token_keys(token)
        forms = [q]
        bare = strip_article(token) if article else None
        if bare is not None:
            forms.append(token_keys(bare))
        alt = alternate_spelling(token)
        if alt is not None:
            forms.append(token_keys(alt))  # the last form: an alternate spelling
        self._prefetch_buckets(forms)  # (from an index file: every bucket it may read, in one query a table)
        exact = self.by_norm.get(token)
        vids: list[int] = []
        choices: list[str] = []
        if exact is not None:
            vids.append(exact)
            choices.append(q.pk + "|" + q.sk)
        for f in forms[: len(forms) - (alt is not None)]:
            # an alternate spelling only counts by equal phonetic key or skeleton:
            # its two buckets come right after the query's own
            for ids, texts in self._buckets(f, forms[-1] if f is q and alt is not None else None):
                vids.extend(ids)  # duplicates are cheaper to score twice than to remove
                choices.extend(texts)
                if len(vids) >= MAX_TOKEN_CANDIDATES:
                    break
        del vids[MAX_TOKEN_CANDIDATES:]
        keys, owner = self.keys, self.owner
        if len(vids) > KEEP_TOKEN_CANDIDATES:
            del choices[MAX_TOKEN_CANDIDATES:]
            chosen: dict[int, None] = {} if exact is None else {exact: None}
            for f in forms:
                for _, _, i in process.extract(
                    f.pk + "|" + f.sk, choices, scorer=Indel.normalized_similarity,
                    limit=KEEP_TOKEN_CANDIDATES,
                ):
                    chosen[vids[i]] = None
            vids = list(chosen)
        prefetch(keys, vids)  # (an index read from its file: these entries in one query)
        prefetch(keys, [owner[v] for v in vids])
        prefetch(self.alts, vids)
        out: dict[int, tuple[float, int]] = {}
        alts, last = self.alts, len(forms) - 1 if alt is not None else -1
        for vid in vids:
            tid = owner[vid]
            ck = keys[vid]
            alt_entry = vid in alts
            for i, f in enumerate(forms):
                if i == last or alt_entry:
                    # an alternate letter (ش for س, ث for ت, ف for و): at best the same
                    # consonant skeleton (never a fuzzy match), graded by the real phonetic keys
                    if f.pk != ck.pk and (f.sk != ck.sk or not f.sk):
                        continue
                    s, lvl = skeleton_score(_ratio(q.pk, keys[tid].pk)), _PHONETIC
                else:
                    s, lvl = token_score(f, ck)
                    if i or tid != vid:
                        s -= ARTICLE_PENALTY
                old = out.get(tid)
                if old is None or s > old[0]:
                    out[tid] = (s, lvl)
        return out

    def _prefetch_buckets(self, forms: list[TokenKeys]) -> None:
        """Read the buckets :meth:`_buckets` may ask for, for every form of a query token, together."""
        skeletons = [k for f in forms if f.sk for k in (f.sk, *deletions(f.sk))]
        prefetch(self.by_pk, [f.pk for f in forms])
        prefetch(self.by_sk, skeletons)  # a skeleton and its deletions are looked up in both
        prefetch(self.by_del, skeletons)

    def _buckets(self, q: TokenKeys, alt: TokenKeys | None = None) -> Iterable[_Bucket]:
        """Candidate buckets, most promising first (``alt``: an alternate spelling's two)."""
        empty = _NO_BUCKET
        yield self.by_pk.get(q.pk, empty)
        if q.sk:
            yield self.by_sk.get(q.sk, empty)
        if alt is not None:
            yield self.by_pk.get(alt.pk, empty)
            yield self.by_sk.get(alt.sk, empty)
        if not q.sk:
            return
        yield self.by_del.get(q.sk, empty)  # stored skeleton has one more symbol
        dels = sorted(deletions(q.sk))  # a fixed order: the candidate cap must not depend on hashing
        for d in dels:
            yield self.by_sk.get(d, empty)  # query skeleton has one more symbol
        if len(q.sk) >= 3:
            for d in dels:
                yield self.by_del.get(d, empty)  # one symbol substituted


class Matcher:
    """An index over stored spellings that answers lookups without scanning the store."""

    def __init__(self, records: Iterable[NameRecord] = ()) -> None:
        self._sides: dict[str, _Side] = {"ar": _Side(), "en": _Side()}
        self._slot_of: dict[int, int] = {}
        self._name_id: list[int] = []
        self._entity: list[int] = []
        self._text: list[str] = []
        self._role: list[str] = []
        self._lang: list[str] = []
        self._toks: list[tuple[int, ...] | None] = []
        self._bar: list[float] = []  # slot -> the least score it answers at (see NameRecord.bar)
        self._en_slots: dict[int, list[int]] = {}  # entity -> slots of its English names
        #: entity -> its English names as (words, normalized text, cross key), made when first needed
        #: (written whole to an index file: a lookup reads one entry per entity, not its names' words)
        self._en_names: dict[int, list[tuple[int, str, str]]] = {}
        self._prior: dict[int, float] = {}  # entity -> log of its frequency (absent: unknown)
        self.add_many(records)

    def __len__(self) -> int:
        return len(self._slot_of)

    # ------------------------------------------------------------------ the index file
    #: what a stored name is, one entry per slot (read together)
    _SLOTS = ("_name_id", "_entity", "_text", "_role", "_lang", "_toks", "_bar")
    _PERSISTED = ("_slot_of", "_en_slots", "_prior", "_en_names")

    def index_parts(self) -> list[Part]:
        """Every container of the index, for :meth:`glossary.store.index_file.IndexFile.write`."""
        from .store.index_file import Columns

        for ent in self._en_slots:
            if ent not in self._en_names:
                self._en_names[ent] = self._english_names(ent)
        slots = Columns([getattr(self, attr) for attr in self._SLOTS], [None] * len(self._SLOTS))
        return [
            *self._sides["ar"].parts("m.ar"), *self._sides["en"].parts("m.en"), ("m.slots", slots, None, None),
            *((f"m{attr}", getattr(self, attr), None, None) for attr in self._PERSISTED),
        ]

    @classmethod
    def from_index(cls, index: IndexFile) -> Matcher:
        """The matcher an index file holds, read lazily: opening it costs nothing, a lookup
        reads only the entries it touches."""
        from .store.index_file import LazyDict, LazyRecords

        m = cls.__new__(cls)
        m._sides = {"ar": _Side.opened(index, "m.ar"), "en": _Side.opened(index, "m.en")}
        slots = LazyRecords(index, "m.slots", [None] * len(cls._SLOTS), [None] * len(cls._SLOTS))
        for j, attr in enumerate(cls._SLOTS):
            setattr(m, attr, slots.column(j))
        for attr in cls._PERSISTED:
            setattr(m, attr, LazyDict(index, f"m{attr}"))
        return m

    # ------------------------------------------------------------------ writes

    def add(self, record: NameRecord) -> None:
        """Index one stored spelling (replacing any earlier one with the same id)."""
        if record.name_id in self._slot_of:
            self.remove(record.name_id)
        lang: Lang = "ar" if record.lang == "ar" else "en"
        side = self._sides[lang]
        own = names_not_article(record.text) if lang == "ar" else frozenset()
        toks = tuple(side.intern(t, article=t not in own) for t in normalize(record.text, lang).split())
        slot = len(self._name_id)
        self._slot_of[record.name_id] = slot
        self._name_id.append(record.name_id)
        self._entity.append(record.entity_id)
        self._text.append(record.text)
        self._role.append(record.role)
        self._lang.append(lang)
        self._toks.append(toks)
        self._bar.append(record.bar)
        post = side.post1 if len(toks) == 1 else side.postm
        for tid in set(toks):
            post.setdefault(tid, []).append(slot)
        if lang == "en":
            self._en_slots.setdefault(record.entity_id, []).append(slot)
            self._en_names.pop(record.entity_id, None)
        self.set_frequency(record.entity_id, record.frequency)

    def add_many(self, records: Iterable[NameRecord]) -> None:
        """Index many spellings (same as calling :meth:`add` for each)."""
        with gc_paused(settle=50_000):
            for record in records:
                self.add(record)

    def remove(self, name_id: int) -> None:
        """Forget one stored spelling; unknown ids are ignored."""
        slot = self._slot_of.pop(name_id, None)
        if slot is None:
            return
        toks = self._toks[slot]
        side = self._sides[self._lang[slot]]
        if toks:
            post = side.post1 if len(toks) == 1 else side.postm
            for tid in set(toks):
                lst = post.get(tid)
                if lst is not None and slot in lst:
                    lst.remove(slot)
        self._toks[slot] = None
        self._en_names.pop(self._entity[slot], None)
        en = self._en_slots.get(self._entity[slot])
        if en is not None and slot in en:
            en.remove(slot)

    def set_frequency(self, entity_id: int, frequency: int) -> None:
        """An entity's attested frequency changed (its prior between equal matches)."""
        if frequency > 1:
            self._prior[entity_id] = math.log(frequency)
        else:
            self._prior.pop(entity_id, None)

    # ------------------------------------------------------------------ reads

    def sounds_like(self, token: str, *, same_sounds: bool = False) -> bool:
        """True if a stored token of the same script sounds like ``token`` (a normalized word).

        Same normalized form, phonetic key or consonant skeleton (with
        ``same_sounds``: form or phonetic key only), also through the token's
        bare form (article dropped) or alternate spelling: the evidence a
        *phonetic* or better match needs.  Edit-distance neighbours (fuzzy
        matches) do not count.  The recognizer asks this before it sends a word
        of running text to :meth:`search`.
        """
        side = self._sides["ar" if has_arabic(token) else "en"]
        forms = [token]
        bare = strip_article(token)
        if bare is not None:
            forms.append(bare)
        alt = alternate_spelling(token)
        if alt is not None:
            forms.append(alt)
        for form in forms:
            if form in side.by_norm:
                return True
            k = token_keys(form)
            if k.pk in side.by_pk or (not same_sounds and k.sk and k.sk in side.by_sk):
                return True
        return False

    def order_ties(self, query: str, name_ids: Iterable[int], score: float) -> list[int]:
        """Entities of stored spellings that all match ``query`` at ``score``, in :meth:`search`'s order.

        A spelling several entities share (هارمن: Harman, Harmen, Harmon) scores
        the same for each; :meth:`search` orders them by how likely each is the
        source of the spelling (the fit, then the entity's frequency).  This is that
        ordering alone, without looking for candidates: the recognizer reports the
        entity a lookup of the span would put first.
        """
        lang = script_of(query)
        qnorm = normalize(query, lang)
        top: list[tuple[float, float, int, int, int]] = []
        seen: set[int] = set()
        name_ids = list(name_ids)
        prefetch(self._slot_of, name_ids)  # (from an index file: each table in one query)
        prefetch(self._entity, [self._slot_of[nid] for nid in name_ids if nid in self._slot_of])
        for nid in name_ids:
            slot = self._slot_of.get(nid)
            if slot is None or self._entity[slot] in seen:
                continue
            ent = self._entity[slot]
            seen.add(ent)
            top.append((-score, -self._prior.get(ent, 0.0), ent, _ORTHO, slot))
        top.sort()
        if lang == "ar" and self._en_slots:
            ranked = self._fit_check(qnorm, query, top, len(top), 0.0)
        else:
            ranked = [self._ranked(item, query.strip(), lang) for item in top]
        return [r[0] for r in ranked]

    def search(
        self, query: str, *, limit: int = 5, min_score: float = DEFAULT_MIN_SCORE
    ) -> list[Hit]:
        """Entities whose stored spellings match ``query``, best first, one hit each."""
        lang = script_of(query)
        qnorm = normalize(query, lang)
        if not qnorm or limit <= 0:
            return []
        side = self._sides[lang]
        qtoks = qnorm.split()
        qkeys = [token_keys(t) for t in qtoks]
        named = names_not_article(query) if lang == "ar" else frozenset()
        cands = [side.candidates(t, k, article=t not in named) for t, k in zip(qtoks, qkeys, strict=True)]
        scored: dict[int, tuple[float, int]] = {}  # slot -> (score, level)

        def offer(slot: int, score: float, level: int) -> None:
            old = scored.get(slot)
            if old is None or score > old[0]:
                scored[slot] = (score, level)

        if len(qtoks) == 1:
            c0 = cands[0]
            post1 = side.post1
            prefetch(post1, c0)
            for tid, found in c0.items():
                for slot in post1.get(tid, ()):  # a one-word name is in one token's postings:
                    scored[slot] = found  # offered once, nothing to compare with yet
            # one query token against longer names: at most s - EDGE_PENALTY - ONE_WORD_PENALTY
            reach = {t: v for t, v in c0.items() if v[0] - EDGE_PENALTY - ONE_WORD_PENALTY >= min_score}
            for tid, _ in self._top(reach):
                # every such name scores the same up to its length: a few suffice
                for slot in side.postm.get(tid, [])[: limit * PARTIAL_PER_TOKEN]:
                    self._score_slot(slot, cands, offer)
            self._split_query(side, qtoks[0], offer)
            if lang == "ar" and min_score <= 100.0 * CROSS_ROUTE_FACTOR:  # (it scores at most that)
                self._cross_route(qkeys[0], offer)
        else:
            self._multi(side, qtoks, cands, limit, min_score, offer)
        return self._hits(query, lang, qnorm, scored, limit, min_score)

    def _multi(
        self,
        side: _Side,
        qtoks: list[str],
        cands: list[dict[int, tuple[float, int]]],
        limit: int,
        min_score: float,
        offer: object,
    ) -> None:
        """Multi-word query: score only names that hold candidates of two query words.

        Each query word's ``MULTI_TOKEN_CANDIDATES`` best stored words give a set
        of multi-word names (their postings).  Names in the intersection of two
        of those sets (for the three words with the shortest postings, so one
        misspelled-beyond-repair word is tolerated) are scored; only if that
        leaves fewer than ``limit`` names are partial matches (one word in
        common) added, a few per stored word.  One-word names holding a query
        word are partial matches too, and are always scored.  If no name then
        scores ``WIDE_BELOW`` (90: every word matched at least by phonetic key),
        a word may be spelled too differently for its stored form to be among its
        best candidates: the names of its further candidates (up to
        ``KEEP_TOKEN_CANDIDATES``) that hold another word's candidate are scored too.
        """
        wide = [self._top(c) for c in cands]
        tops = [w[:MULTI_TOKEN_CANDIDATES] for w in wide]
        postm = side.postm
        sizes = [sum(len(postm.get(t, ())) for t, _ in top) for top in tops]
        order = sorted(range(len(tops)), key=sizes.__getitem__)[:3]
        # each word's postings are probed against the sets of the words before it
        # (shortest postings first); a word's set is built only when another word
        # is probed against it (the last word's, often the largest, rarely is)
        prefetch(postm, (t for top in tops for t, _ in top))
        prefetch(side.post1, (t for top in tops for t, _ in top))
        posts_of = [self._postings(postm, tops[i]) for i in order]
        built: dict[int, set[int]] = {}

        def word_set(rank: int) -> set[int]:
            got = built.get(rank)
            if got is None:
                got = built[rank] = set(chain.from_iterable(posts_of[rank]))
            return got

        slots: set[int] = set()
        for rank in range(1, len(order)):
            for before in range(rank):
                slots.update(word_set(before).intersection(chain.from_iterable(posts_of[rank])))
        if len(slots) > MAX_MULTI_SLOTS:
            slots = set(sorted(slots)[:MAX_MULTI_SLOTS])
        if len(slots) < limit:
            for i in order[:2]:
                for t, _ in tops[i]:
                    slots.update(postm.get(t, ())[: limit * PARTIAL_PER_TOKEN])
        for top in tops:
            for t, _ in top:
                slots.update(side.post1.get(t, ()))
        if min_score > 100.0 - 2 * EDGE_PENALTY:
            # A name of several words holding a candidate of one query word only leaves a
            # first or last word unmatched on both sides: 40 at most, never returned.  Most
            # partial matches are such names; a set lookup per word is cheaper than scoring.
            toks_of = self._toks
            kept = []
            for slot in slots:
                toks = toks_of[slot]
                if toks and len(toks) > 1:
                    held = 0  # query words with a candidate among the name's words
                    for c in cands:
                        for t in toks:
                            if t in c:
                                held += 1
                                break
                        if held > 1:
                            break
                    if held < 2:
                        continue
                kept.append(slot)
            scoring: Iterable[int] = kept  # in the set's order: equal offers resolve as before
        else:
            scoring = slots
        prefetch(self._toks, scoring)
        top_score = max((self._score_slot(slot, cands, offer) for slot in scoring), default=0.0)
        if top_score < WIDE_BELOW:
            # No name matches every word at the phonetic-key level: perhaps a word is
            # spelled too differently for its stored form to be among its best
            # candidates.  Its further candidates' names, if they hold another word's
            # candidate, are scored too.
            more: set[int] = set()
            for rank, i in enumerate(order):
                posts = self._postings(postm, wide[i][MULTI_TOKEN_CANDIDATES:])
                if posts:
                    for r2 in range(len(order)):
                        if r2 != rank:
                            more.update(word_set(r2).intersection(chain.from_iterable(posts)))
            more -= slots
            if len(more) > MAX_MULTI_SLOTS:
                more = set(sorted(more)[:MAX_MULTI_SLOTS])
            for slot in more:
                self._score_slot(slot, cands, offer)
        # the parts written together: بيونغ يانغ -> بيونغيانغ (same spelling or same phonetic key)
        q = token_keys("".join(qtoks))
        vids = list(side.by_pk.get(q.pk, _NO_BUCKET)[0])
        exact = side.by_norm.get(q.norm)
        if exact is not None:
            vids.append(exact)
        alts = side.alts
        for vid in vids[:MAX_TOKEN_CANDIDATES]:
            if vid in alts:  # an alternate letter is never a 99
                continue
            s, lvl = token_score(q, side.keys[vid])
            if s >= 100.0:
                s, lvl = SPACING_SCORE, _ORTHO
            for slot in side.post1.get(side.owner[vid], ()):
                offer(slot, s, lvl)  # type: ignore[operator]

    @staticmethod
    def _postings(post: dict[int, list[int]], top: list[tuple[int, tuple[float, int]]]) -> list[list[int]]:
        """The postings of the tokens of ``top`` (each cut to ``MAX_POSTINGS``)."""
        out = []
        for t, _ in top:
            p = post.get(t)
            if p:
                out.append(p if len(p) <= MAX_POSTINGS else p[:MAX_POSTINGS])
        return out

    @staticmethod
    def _top(c: dict[int, tuple[float, int]]) -> list[tuple[int, tuple[float, int]]]:
        return sorted(c.items(), key=lambda kv: -kv[1][0])[:KEEP_TOKEN_CANDIDATES]

    def _score_slot(
        self,
        slot: int,
        cands: list[dict[int, tuple[float, int]]],
        offer: object,
    ) -> float:
        """Score one stored name for the query tokens' candidates, offer it, return the score."""
        toks = self._toks[slot]
        if not toks:
            return 0.0
        pairs = [
            (sl[0], sl[1], i, j)
            for i, c in enumerate(cands)
            for j, tid in enumerate(toks)
            if (sl := c.get(tid)) is not None
        ]
        if not pairs:
            return 0.0
        n, m = len(cands), len(toks)
        if len(pairs) == 1:
            score, level, i, j = pairs[0]
            used_q, used_n = 1 << i, 1 << j
            partial = swapped = False
        else:
            pairs.sort(reverse=True)
            used_q = used_n = 0  # bit sets of aligned query / stored tokens
            total = 0.0
            level = 0
            matched: list[tuple[int, int]] = []
            for s, lvl, i, j in pairs:
                if used_q >> i & 1 or used_n >> j & 1:
                    continue
                used_q |= 1 << i
                used_n |= 1 << j
                matched.append((i, j))
                total += s
                if lvl > level:
                    level = lvl
            score = total / len(matched)
            partial = False
            matched.sort()
            swapped = any(matched[k][1] > matched[k + 1][1] for k in range(len(matched) - 1))
        if used_n != (1 << m) - 1:
            partial = True
            for j in range(m):
                if not used_n >> j & 1:
                    score -= EDGE_PENALTY if j in (0, m - 1) else MIDDLE_PENALTY
        if used_q != (1 << n) - 1:
            partial = True
            for i in range(n):
                if not used_q >> i & 1:
                    score -= EDGE_PENALTY if i in (0, n - 1) else MIDDLE_PENALTY
        if n == 1 < m:
            score -= ONE_WORD_PENALTY
        if swapped:
            partial = True
            score -= ORDER_PENALTY
        if partial:
            level = _FUZZY
        offer(slot, score, level)  # type: ignore[operator]
        return score

    def _cross_route(self, q: TokenKeys, offer: object) -> None:
        """Entities whose English name sounds like an Arabic query (back-transliteration).

        The query's cross-script key is looked up among English tokens sharing
        its cross skeleton up to one edit; the ``KEEP_CROSS`` closest score
        ``CROSS_ROUTE_FACTOR`` x the mean similarity of cross keys and skeletons
        (so at most 85: never above a direct Arabic phonetic match), reason
        phonetic when the skeletons agree, fuzzy otherwise.
        """
        en = self._sides["en"]
        qx = cross_key(q.pk)
        qxs = cross_skeleton(qx)
        if len(qxs) < 2:
            return
        vids: list[int] = []
        choices: list[str] = []
        keys = (qxs, *sorted(deletions(qxs)))
        prefetch(en.by_xsk, keys)
        for d in keys:
            ids, texts = en.by_xsk.get(d, _NO_BUCKET)
            vids.extend(ids)
            choices.extend(texts)
            if len(vids) >= MAX_CROSS_CANDIDATES:
                break
        del vids[MAX_CROSS_CANDIDATES:]
        del choices[MAX_CROSS_CANDIDATES:]
        if not vids:
            return
        cross = en.cross
        kept = process.extract(qx, choices, scorer=Indel.normalized_similarity, limit=KEEP_CROSS)
        # (from an index file: only the kept entries are read, in one query each)
        prefetch(cross, [vids[i] for _, _, i in kept])
        prefetch(en.post1, [vids[i] for _, _, i in kept])
        for _, sim, i in kept:
            vid = vids[i]
            xs = cross_skeleton(cross[vid])
            score = CROSS_ROUTE_FACTOR * (sim * 100.0 + _ratio(qxs, xs)) / 2.0
            level = _PHONETIC if xs == qxs else _FUZZY
            for slot in en.post1.get(vid, ()):
                offer(slot, score, level)  # type: ignore[operator]

    def _split_query(self, side: _Side, token: str, offer: object) -> None:
        """A query written as one word against names stored in two: بيونغيانغ."""
        if len(token) < 4:
            return
        prefetch(side.by_norm, (part for k in range(2, len(token) - 1) for part in (token[:k], token[k:])))
        for k in range(2, len(token) - 1):
            a = side.by_norm.get(token[:k])
            b = side.by_norm.get(token[k:])
            if a is None or b is None:
                continue
            posts = side.postm.get(a, ())
            if not posts:
                continue
            bset = set(side.postm.get(b, ()))
            for slot in posts:
                if slot in bset and self._toks[slot] == (a, b):
                    offer(slot, SPACING_SCORE, _ORTHO)  # type: ignore[operator]

    def _hits(
        self,
        query: str,
        lang: str,
        qnorm: str,
        scored: dict[int, tuple[float, int]],
        limit: int,
        min_score: float,
    ) -> list[Hit]:
        raw = query.strip()
        best: dict[int, tuple[float, int, int]] = {}  # entity -> (score, level, slot)
        entity = self._entity
        alias = self._role
        # a slot below min_score even as it is (ALIAS_FACTOR only lowers a score that is not
        # negative) is never an answer: its row is not read (from an index file, a third of them)
        reachable = [slot for slot, (score, _) in scored.items() if max(score, score * ALIAS_FACTOR) >= min_score]
        prefetch(entity, reachable)
        bar = self._bar
        for slot in reachable:
            score, level = scored[slot]
            if alias[slot] == "alias":
                score *= ALIAS_FACTOR
            if score < min_score or (score < bar[slot] and level != _ORTHO):  # (the checks below only lower)
                continue
            ent = entity[slot]
            old = best.get(ent)
            if old is None or score > old[0]:
                best[ent] = (score, level, slot)
        prior = self._prior
        prefetch(prior, best)
        top = sorted([(-score, -prior.get(ent, 0.0), ent, level, slot) for ent, (score, level, slot) in best.items()])
        if lang == "ar" and self._en_slots:
            ranked = self._fit_check(qnorm, query, top, limit, min_score)
        elif lang == "en" and LATIN_WEIGHT > 0.0:
            ranked = self._latin_check(qnorm, raw, top, limit, min_score)
        else:
            ranked = [self._ranked(item, raw, lang) for item in top[:limit]]
        return [
            Hit(ent, self._name_id[slot], self._text[slot], score, reason, self._role[slot])
            for ent, slot, score, reason in ranked[:limit]
        ]

    def _ranked(self, item: tuple[float, float, int, int, int], raw: str, lang: str) -> _Ranked:
        """A sorted entry of :meth:`_hits` as (entity, slot, score, reason)."""
        neg, _, ent, level, slot = item
        score = -neg
        if self._role[slot] == "alias":
            reason = "alias"
        elif score >= 100.0 and raw == self._text[slot]:
            reason = "exact"
        elif lang == "en":
            reason = "english"
        else:
            reason = _LEVEL_NAME[level]
        return (ent, slot, float(score), reason)

    def _latin_check(
        self, qnorm: str, raw: str, top: list[tuple[float, float, int, int, int]], limit: int, min_score: float
    ) -> list[_Ranked]:
        """Re-score Latin matches below 99 by how many letters the query shares with the matched name.

        A Latin respelling of a name keeps most of its letters (Sergey / Sergei,
        Shoygu / Shoigu); an unrelated name that happens to share its consonants
        (yousefi / Sofia) does not.  A match loses ``LATIN_WEIGHT`` points as
        the Indel similarity of the normalized query and matched name falls from
        ``LATIN_GOOD`` to ``LATIN_POOR``, and further at the same rate down to
        ``FIT_MAX_BAD`` spans, as an Arabic match does by its fit.  The check only
        lowers a score, so it stops once the next entity cannot reach the first ``limit``.
        """
        keys, toks_of = self._sides["en"].keys, self._toks
        kept: list[tuple[float, float, int, int, str]] = []
        finals: list[float] = []  # negated final scores, sorted (best first)
        for item in top:
            reach = -finals[limit - 1] if len(finals) >= limit else min_score
            if -item[0] < reach:
                break
            ent, slot, score, reason = self._ranked(item, raw, "en")
            toks = toks_of[slot]
            if score < SPACING_SCORE and toks:
                sim = _ratio(qnorm, " ".join([keys[t].norm for t in toks]))
                bad = min(FIT_MAX_BAD, max(0.0, (LATIN_GOOD - sim) / (LATIN_GOOD - LATIN_POOR)))
                score = max(0.0, SPACING_SCORE - (SPACING_SCORE - score + LATIN_WEIGHT * bad) * LATIN_SPREAD)
            if score < min_score or (score < self._bar[slot] and item[3] != _ORTHO):
                continue
            kept.append((-score, item[1], ent, slot, reason))
            bisect.insort(finals, -score)
        kept.sort()
        return [(ent, slot, -neg, reason) for neg, _, ent, slot, reason in kept]

    @staticmethod
    def _fit_parts(named: list[tuple[int, str, str]], width: int, same: list[str]) -> list[str]:
        """What the fit compares a query of ``width`` words with, beyond the names of as many words.

        The fit pairs words by position, so a name of two or three words is also
        tried in every other order (لافروف سيرغي for Sergey Lavrov: the order
        already costs ``ORDER_PENALTY``).  When no English name has ``width``
        words (``same`` is empty): every run of ``width`` consecutive words of a
        longer name (كيم for Kim Jong Un, كوكوس for Cocos Islands) and, for a
        one-word query, each longer name's words written together (سريلانكا for
        Sri Lanka, العيون for El Aaiun).
        """
        if same:
            if not 1 < width <= 3:
                return same
            return list(dict.fromkeys(" ".join(p) for text in same for p in permutations(text.split())))
        out: dict[str, None] = {}
        for words, text, _ in named:
            if words <= width:
                continue
            toks = text.split()
            for i in range(words - width + 1):
                out[" ".join(toks[i : i + width])] = None
            if width == 1:
                out["".join(toks)] = None
        return list(out)

    def _prefetch_english(self, entities: list[int]) -> None:
        """Read these entities' English names together (an index read from its file): as written when it
        was built, else (an entity whose English names changed since) what :meth:`_english_names` needs."""
        if not entities or not hasattr(self._en_slots, "prefetch"):
            return
        prefetch(self._en_names, entities)
        entities = [ent for ent in entities if ent not in self._en_names]
        if not entities:
            return
        prefetch(self._en_slots, entities)
        slots = [slot for ent in entities for slot in self._en_slots.get(ent, ())]
        prefetch(self._toks, slots)
        prefetch(self._sides["en"].keys, (t for slot in slots for t in self._toks[slot] or ()))

    def _english_names(self, ent: int) -> list[tuple[int, str, str]]:
        """An entity's English names as (words, normalized text, cross key): what the fit and
        the cross-key check compare a query with."""
        en = self._sides["en"]
        keys, cross, toks_of = en.keys, en.cross, self._toks
        return [
            (len(toks), " ".join([keys[t].norm for t in toks]), " ".join([cross[t] for t in toks]))
            for slot in self._en_slots.get(ent, ())
            if (toks := toks_of[slot])
        ]

    @staticmethod
    def _weak_answers(
        keyed: list[tuple[float, float, int, int, str]], weak: dict[int, float], min_score: float
    ) -> list[tuple[float, float, int, int, str]]:
        """The checked answers once it is known whether the best of them is a weak sound-alike.

        ``keyed`` ranks weak answers ``WEAK_DROP`` points down (``weak``: their own scores).  If
        an answer that is not weak scores at least as well as the best weak one, the weak ones
        get their own scores back (alternatives beside it); otherwise they stay down, and those
        now below ``min_score`` go.  The checks stopped early only on dropped scores, so
        whichever way it goes, nothing unchecked could have entered the first answers.
        """
        strong = max((-item[0] for item in keyed if item[2] not in weak), default=-1.0)
        if strong >= max(weak.values()):
            return [(-weak.get(ent, -neg), likely, ent, slot, reason) for neg, likely, ent, slot, reason in keyed]
        return [item for item in keyed if -item[0] >= min_score]

    def _fit_check(
        self,
        qnorm: str,
        query: str,
        top: list[tuple[float, float, int, int, int]],
        limit: int,
        min_score: float,
    ) -> list[_Ranked]:
        """Re-score Arabic matches by how likely the query renders each entity's English name.

        A careful translator checks that an Arabic spelling is a plausible
        rendering of the English name.  The best entities, ``CROSS_POOL`` (20) at
        a time, get the learned transliteration fit
        (:func:`glossary.transliteration.name_fits`, best over the entity's English
        names with as many words as the query, in any order, or their parts: see
        ``_fit_parts``) and lose ``FIT_WEIGHT`` points as it falls from ``FIT_GOOD``
        to ``FIT_POOR`` (the median and the 5th percentile fit of the model's own
        training pairs), and on at that rate up to ``FIT_MAX_BAD`` times as much.  An
        entity whose English names the fit cannot reach gets the cheaper cross-script check
        instead: it loses up to ``CROSS_WEIGHT`` points as the cross keys differ.
        Orthographic matches (99, 100) keep their score (``FIT_WEIGHT_ORTHO`` is 0):
        the fit only orders them.  Entities without an English name keep their score.
        Equal scores are ordered by fit plus the entity's log frequency per letter
        (the posterior, see the module docstring).

        A check only lowers a score, so the pool grows, 20 entities at a time, until
        the next unchecked entity scores below the ``limit``-th checked one: then
        none further can reach the first ``limit``, and the order returned is that
        of the final scores.  (A query whose neighbours all fit badly could check
        hundreds; ``MAX_FIT_POOL`` bounds it, and what lies beyond keeps its score.)
        Within a batch, an entity that cannot reach the first ``limit`` even at its
        present score is dropped before the fit.

        A one-word query's weak sound-alikes (``WEAK_BELOW``) are ranked ``WEAK_DROP`` points
        down while checking, and keep that loss only if the best answer is one of them
        (:meth:`_weak_answers`): the first answers do not depend on ``limit`` or ``min_score``.
        """
        raw = query.strip()
        qcross = ""
        width = len(qnorm.split())
        letters = len(qnorm) + 1  # the fit is per letter, a word's end counted as one
        prior = self._prior
        en_names = self._en_names
        keyed: list[tuple[float, float, int, int, str]] = []  # checked: (-score, -likely, ...)
        finals: list[float] = []  # the checked scores, best first
        # weak sound-alikes (see WEAK_BELOW) are ranked dropped; their own score is kept aside,
        # given back at the end unless the best answer is one of them
        weak: dict[int, float] = {}
        drop = WEAK_DROP if width == 1 else 0.0
        at = 0
        while at < len(top) and at < MAX_FIT_POOL:
            reach = finals[limit - 1] if len(finals) >= limit else min_score  # to enter the first ``limit``
            if -top[at][0] < reach:
                break  # nothing unchecked can reach the first ``limit`` any more (sorted: nor later)
            pool = []
            self._prefetch_english([item[2] for item in top[at : at + CROSS_POOL]])
            for item in top[at : at + CROSS_POOL]:
                if -item[0] < reach:
                    break
                ent, slot, h_score, reason = self._ranked(item, raw, "ar")
                sim = 0.0
                named = en_names.get(ent)
                if named is None:
                    named = en_names[ent] = self._english_names(ent)
                # the names the fit can score (as many words as the query)
                english = [text for words, text, _ in named if words == width]
                if FIT_PARTS:  # a short form, a name written as one word, words in another order
                    english = self._fit_parts(named, width, english)
                if named and not english:  # no fit: the cheaper cross-key check
                    qcross = qcross or " ".join(cross_key(token_keys(t).pk) for t in qnorm.split())
                    sim = max(_ratio(qcross, xkey) for _, _, xkey in named)
                weight = FIT_WEIGHT_ORTHO if h_score >= SPACING_SCORE else FIT_WEIGHT
                # (99 and 100 keep their score: the check only orders them, as the fit does)
                proxy = h_score - CROSS_WEIGHT * (1.0 - sim / 100.0) if named and h_score < SPACING_SCORE else h_score
                low = h_score - weight * FIT_MAX_BAD if english else proxy  # the least the final score can be
                ortho = item[3] == _ORTHO
                if not ortho and low < WEAK_BELOW:
                    low -= drop
                pool.append((ent, slot, h_score, reason, sim, english, weight, proxy, low, ortho))
            at += CROSS_POOL
            lows = sorted([p[8] for p in pool] + finals, reverse=True)
            bar = max(min_score, lows[limit - 1] if len(lows) >= limit else min_score)
            pool = [p for p in pool if p[2] >= bar]
            fitted = name_fits(qnorm, [e for p in pool for e in p[5]])
            done = 0
            for ent, slot, h_score, reason, sim, english, weight, proxy, _low, ortho in pool:
                fits = [f for f in fitted[done : done + len(english)] if f is not None]
                done += len(english)
                best = max(fits) if fits else None
                if best is not None:
                    bad = min(FIT_MAX_BAD, max(0.0, (FIT_GOOD - best) / (FIT_GOOD - FIT_POOR)))
                    score = max(0.0, h_score - weight * bad)
                else:
                    score = max(0.0, proxy)
                if score < min_score or (score < self._bar[slot] and not ortho):
                    continue
                likely = (best if best is not None else sim / 100.0 - 99.0) + prior.get(ent, 0.0) / letters
                if (drop and not ortho and reason != "alias" and score < WEAK_BELOW
                        and best is not None and best < FIT_POOR):  # a weak sound-alike
                    weak[ent] = score
                    score -= drop
                keyed.append((-score, -likely, ent, slot, reason))
                if score >= min_score:
                    finals.append(score)
            finals.sort(reverse=True)
        if weak:
            keyed = self._weak_answers(keyed, weak, min_score)
        keyed.sort()
        out = [(ent, slot, -neg, reason) for neg, _, ent, slot, reason in keyed]
        if len(out) < limit:  # beyond MAX_FIT_POOL: unchecked, with their present scores
            out += [self._ranked(item, raw, "ar") for item in top[at : at + limit - len(out)]]
        return out
