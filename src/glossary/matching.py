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

Multi-word names are scored token by token: the mean score of the aligned
token pairs, minus ``MIDDLE_PENALTY`` (10) for each dropped or added middle
token, ``EDGE_PENALTY`` (30) for each dropped or added first/last token, and
``ORDER_PENALTY`` (5) when the aligned tokens are in a different order.
A name stored with role ``alias`` scores ``ALIAS_FACTOR`` (0.95) of that and
says ``alias``: a short form resolves to its entity, below the full name.
Latin queries are matched against stored English names on the same scale and
say ``english`` (``exact`` when character for character).

``DEFAULT_MIN_SCORE`` (60) is the threshold below which nothing is returned;
pass ``min_score`` to change it.

Index
-----

Candidates never come from a scan: tokens are interned in a per-script
vocabulary, and the vocabulary is indexed by normalized form, phonetic key,
skeleton and the one-symbol deletions of the skeleton (a symmetric-deletion
index: two skeletons one edit apart share an entry).  Postings map a token to
the names that hold it.  All keys are computed once, when a name is added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .keys import TokenKeys, cross_key, cross_skeleton, deletions, strip_article, token_keys
from .normalize import Lang, has_arabic, normalize, script_of

#: Below this score nothing is returned unless the caller asks for less.
DEFAULT_MIN_SCORE = 60.0

#: Penalty for each stored/query token left unaligned in the middle of a name.
MIDDLE_PENALTY = 10.0
#: Penalty for each stored/query token left unaligned at the start or the end.
EDGE_PENALTY = 30.0
#: Penalty when the aligned tokens come in another order (Lavrov Sergei).
ORDER_PENALTY = 5.0
#: Score factor for names stored with role ``alias``.
ALIAS_FACTOR = 0.95
#: Score for a spelling that differs from a stored one only by spaces.
SPACING_SCORE = 99.0
#: Penalty for matching through a dropped definite article (العقاد / عقاد).
ARTICLE_PENALTY = 2.0

#: Most points a phonetic/fuzzy Arabic match loses when the entity's English
#: name does not sound like the query (cross-script check, see ``_hits``).
CROSS_WEIGHT = 10.0
#: How many of the best entities get the cross-script check.
CROSS_POOL = 20

#: Most English tokens the cross-script route looks at per Arabic query token.
MAX_CROSS_CANDIDATES = 600
#: Multi-word names scored per (one-word query, matching stored word), x limit.
PARTIAL_PER_TOKEN = 4
#: Candidate stored words per query word whose names are scored for multi-word queries.
MULTI_TOKEN_CANDIDATES = 10
#: Most names read from one stored word's postings for a multi-word query.
MAX_POSTINGS = 2000
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


@dataclass(frozen=True, slots=True)
class Hit:
    """The best-scoring stored spelling of one entity for a query."""

    entity_id: int
    name_id: int
    matched: str
    score: float
    reason: str
    role: str


def _ratio(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b) * 100.0


def token_score(q: TokenKeys, c: TokenKeys) -> tuple[float, int]:
    """Score (0..100) and level of a stored token ``c`` for a query token ``q``.

    Levels: 0 orthographic, 1 phonetic, 2 fuzzy (see the module's score table).
    """
    if q.norm == c.norm:
        return 100.0, _ORTHO
    if q.pk == c.pk:
        return 90.0 + 0.08 * _ratio(q.norm, c.norm), _PHONETIC
    pk_sim = _ratio(q.pk, c.pk)
    if q.sk == c.sk and q.sk:
        return 75.0 + 0.15 * pk_sim, _PHONETIC
    return 0.85 * (pk_sim + _ratio(q.sk, c.sk)) / 2.0, _FUZZY


class _Side:
    """Vocabulary, key indexes and postings of one script.

    Every distinct normalized token gets an id; a token with a definite article
    also gets a second *key entry* for its bare form (العقاد -> عقاد), whose
    ``owner`` is the token.  The key indexes hold key-entry ids.
    """

    __slots__ = (
        "by_del", "by_norm", "by_pk", "by_sk", "by_xsk", "cross", "keys", "owner", "post1", "postm",
        "probe",
    )

    def __init__(self) -> None:
        self.keys: list[TokenKeys] = []  # key entry -> keys
        self.probe: list[str] = []  # key entry -> "pk|sk", for the fast first pass
        self.owner: list[int] = []  # key entry -> token id (itself unless a bare form)
        self.cross: list[str] = []  # key entry -> cross-script key
        self.by_norm: dict[str, int] = {}
        self.by_pk: dict[str, list[int]] = {}
        self.by_sk: dict[str, list[int]] = {}
        self.by_del: dict[str, list[int]] = {}
        self.by_xsk: dict[str, list[int]] = {}  # Latin tokens by cross skeleton (+ deletions)
        self.post1: dict[int, list[int]] = {}  # token -> slots of one-token names
        self.postm: dict[int, list[int]] = {}  # token -> slots of multi-token names

    def intern(self, token: str) -> int:
        tid = self.by_norm.get(token)
        if tid is not None:
            return tid
        tid = self._entry(token_keys(token), None)
        self.by_norm[token] = tid
        bare = strip_article(token)
        if bare is not None:
            self._entry(token_keys(bare), tid)
        return tid

    def _entry(self, k: TokenKeys, owner: int | None) -> int:
        vid = len(self.keys)
        self.keys.append(k)
        self.probe.append(k.pk + "|" + k.sk)
        self.owner.append(vid if owner is None else owner)
        xk = cross_key(k.pk)
        self.cross.append(xk)
        if owner is None and not has_arabic(k.norm):
            xs = cross_skeleton(xk)
            for d in {xs} | deletions(xs):
                self.by_xsk.setdefault(d, []).append(vid)
        self.by_pk.setdefault(k.pk, []).append(vid)
        self.by_sk.setdefault(k.sk, []).append(vid)
        for d in deletions(k.sk):
            self.by_del.setdefault(d, []).append(vid)
        return vid

    def candidates(self, token: str) -> dict[int, tuple[float, int]]:
        """Scored vocabulary tokens for one normalized query token.

        Gathers key entries from the key indexes (at most ``MAX_TOKEN_CANDIDATES``),
        keeps the ``KEEP_TOKEN_CANDIDATES`` closest by a one-pass C-level
        similarity of ``pk|sk`` (rapidfuzz), and scores only those exactly.
        A match through a bare form (either side's article dropped) loses
        ``ARTICLE_PENALTY``.
        """
        q = token_keys(token)
        forms = [q]
        bare = strip_article(token)
        if bare is not None:
            forms.append(token_keys(bare))
        exact = self.by_norm.get(token)
        vids: list[int] = [] if exact is None else [exact]
        for f in forms:
            for bucket in self._buckets(f):
                vids.extend(bucket)  # duplicates are cheaper to score twice than to remove
                if len(vids) >= MAX_TOKEN_CANDIDATES:
                    break
        del vids[MAX_TOKEN_CANDIDATES:]
        keys, owner = self.keys, self.owner
        if len(vids) > KEEP_TOKEN_CANDIDATES:
            probe = self.probe
            choices = [probe[v] for v in vids]
            chosen: dict[int, None] = {} if exact is None else {exact: None}
            for f in forms:
                for _, _, i in process.extract(
                    f.pk + "|" + f.sk, choices, scorer=Indel.normalized_similarity,
                    limit=KEEP_TOKEN_CANDIDATES,
                ):
                    chosen[vids[i]] = None
            vids = list(chosen)
        out: dict[int, tuple[float, int]] = {}
        for vid in vids:
            tid = owner[vid]
            ck = keys[vid]
            for i, f in enumerate(forms):
                s, lvl = token_score(f, ck)
                if i or tid != vid:
                    s -= ARTICLE_PENALTY
                old = out.get(tid)
                if old is None or s > old[0]:
                    out[tid] = (s, lvl)
        return out

    def _buckets(self, q: TokenKeys) -> Iterable[list[int]]:
        """Candidate lists, most promising first."""
        empty: list[int] = []
        yield self.by_pk.get(q.pk, empty)
        if not q.sk:
            return
        yield self.by_sk.get(q.sk, empty)
        yield self.by_del.get(q.sk, empty)  # stored skeleton has one more symbol
        dels = deletions(q.sk)
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
        self._en_slots: dict[int, list[int]] = {}  # entity -> slots of its English names
        self.add_many(records)

    def __len__(self) -> int:
        return len(self._slot_of)

    # ------------------------------------------------------------------ writes

    def add(self, record: NameRecord) -> None:
        """Index one stored spelling (replacing any earlier one with the same id)."""
        if record.name_id in self._slot_of:
            self.remove(record.name_id)
        lang: Lang = "ar" if record.lang == "ar" else "en"
        side = self._sides[lang]
        toks = tuple(side.intern(t) for t in normalize(record.text, lang).split())
        slot = len(self._name_id)
        self._slot_of[record.name_id] = slot
        self._name_id.append(record.name_id)
        self._entity.append(record.entity_id)
        self._text.append(record.text)
        self._role.append(record.role)
        self._lang.append(lang)
        self._toks.append(toks)
        post = side.post1 if len(toks) == 1 else side.postm
        for tid in set(toks):
            post.setdefault(tid, []).append(slot)
        if lang == "en":
            self._en_slots.setdefault(record.entity_id, []).append(slot)

    def add_many(self, records: Iterable[NameRecord]) -> None:
        """Index many spellings (same as calling :meth:`add` for each)."""
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
        en = self._en_slots.get(self._entity[slot])
        if en is not None and slot in en:
            en.remove(slot)

    # ------------------------------------------------------------------ reads

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
        cands = [side.candidates(t) for t in qtoks]
        scored: dict[int, tuple[float, int]] = {}  # slot -> (score, level)

        def offer(slot: int, score: float, level: int) -> None:
            old = scored.get(slot)
            if old is None or score > old[0]:
                scored[slot] = (score, level)

        if len(qtoks) == 1:
            c0 = cands[0]
            for tid, (s, lvl) in c0.items():
                for slot in side.post1.get(tid, ()):
                    offer(slot, s, lvl)
            # one query token against longer names: at most s - EDGE_PENALTY
            for tid, (s, _lvl) in self._top(c0):
                if s - EDGE_PENALTY < min_score:
                    break
                # every such name scores the same up to its length: a few suffice
                for slot in side.postm.get(tid, [])[: limit * PARTIAL_PER_TOKEN]:
                    self._score_slot(slot, cands, offer)
            self._split_query(side, qtoks[0], offer)
            if lang == "ar":
                self._cross_route(qtoks[0], offer)
        else:
            # the two query tokens with the shortest postings drive (a third may be
            # dropped or misspelled beyond repair); one-word names are partial matches
            tops = [self._top(c)[:MULTI_TOKEN_CANDIDATES] for c in cands]
            sizes = [sum(len(side.postm.get(t, ())) for t, _ in top) for top in tops]
            slots: set[int] = set()
            for i in sorted(range(len(tops)), key=sizes.__getitem__)[:2]:
                for t, _ in tops[i]:
                    slots.update(side.postm.get(t, [])[:MAX_POSTINGS])
            for top in tops:
                for t, _ in top:
                    slots.update(side.post1.get(t, ()))
            for slot in slots:
                self._score_slot(slot, cands, offer)
            # the parts written together: بيونغ يانغ -> بيونغيانغ
            for tid, (s, lvl) in side.candidates("".join(qtoks)).items():
                if s >= 100.0:
                    s, lvl = SPACING_SCORE, _ORTHO
                for slot in side.post1.get(tid, ()):
                    offer(slot, s, lvl)
        qcross = " ".join(cross_key(token_keys(t).pk) for t in qtoks)
        return self._hits(query, lang, qcross, scored, limit, min_score)

    @staticmethod
    def _top(c: dict[int, tuple[float, int]]) -> list[tuple[int, tuple[float, int]]]:
        return sorted(c.items(), key=lambda kv: -kv[1][0])[:KEEP_TOKEN_CANDIDATES]

    def _score_slot(
        self,
        slot: int,
        cands: list[dict[int, tuple[float, int]]],
        offer: object,
    ) -> None:
        toks = self._toks[slot]
        if not toks:
            return
        n, m = len(cands), len(toks)
        pairs = []
        for i, c in enumerate(cands):
            for j, tid in enumerate(toks):
                sl = c.get(tid)
                if sl is not None:
                    pairs.append((sl[0], sl[1], i, j))
        if not pairs:
            return
        pairs.sort(reverse=True)
        used_q: set[int] = set()
        used_n: set[int] = set()
        matched: list[tuple[float, int, int, int]] = []
        for p in pairs:
            if p[2] in used_q or p[3] in used_n:
                continue
            used_q.add(p[2])
            used_n.add(p[3])
            matched.append(p)
        score = sum(p[0] for p in matched) / len(matched)
        level = max(p[1] for p in matched)
        partial = False
        for j in range(m):
            if j not in used_n:
                partial = True
                score -= EDGE_PENALTY if j in (0, m - 1) else MIDDLE_PENALTY
        for i in range(n):
            if i not in used_q:
                partial = True
                score -= EDGE_PENALTY if i in (0, n - 1) else MIDDLE_PENALTY
        order = [p[3] for p in sorted(matched, key=lambda p: p[2])]
        if order != sorted(order):
            partial = True
            score -= ORDER_PENALTY
        if partial:
            level = _FUZZY
        offer(slot, score, level)  # type: ignore[operator]

    def _cross_route(self, token: str, offer: object) -> None:
        """Entities whose English name sounds like an Arabic query (back-transliteration).

        The query's cross-script key is looked up among English tokens sharing
        its cross skeleton up to one edit; the ``KEEP_CROSS`` closest score
        ``CROSS_ROUTE_FACTOR`` x the mean similarity of cross keys and skeletons
        (so at most 85: never above a direct Arabic phonetic match), reason
        phonetic when the skeletons agree, fuzzy otherwise.
        """
        en = self._sides["en"]
        qx = cross_key(token_keys(token).pk)
        qxs = cross_skeleton(qx)
        if len(qxs) < 2:
            return
        vids: list[int] = []
        for d in (qxs, *deletions(qxs)):
            vids.extend(en.by_xsk.get(d, ()))
            if len(vids) >= MAX_CROSS_CANDIDATES:
                break
        del vids[MAX_CROSS_CANDIDATES:]
        if not vids:
            return
        cross = en.cross
        for _, sim, i in process.extract(
            qx, [cross[v] for v in vids], scorer=Indel.normalized_similarity, limit=KEEP_CROSS
        ):
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
        qcross: str,
        scored: dict[int, tuple[float, int]],
        limit: int,
        min_score: float,
    ) -> list[Hit]:
        raw = query.strip()
        best: dict[int, tuple[float, int, int]] = {}  # entity -> (score, level, slot)
        entity = self._entity
        alias = self._role
        for slot, (score, level) in scored.items():
            if alias[slot] == "alias":
                score *= ALIAS_FACTOR
            if score < min_score:
                continue
            ent = entity[slot]
            old = best.get(ent)
            if old is None or score > old[0]:
                best[ent] = (score, level, slot)
        top = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[: max(limit, CROSS_POOL)]
        ranked = []
        for ent, (score, level, slot) in top:
            role = self._role[slot]
            text = self._text[slot]
            if role == "alias":
                reason = "alias"
            elif score >= 100.0 and raw == text:
                reason = "exact"
            elif lang == "en":
                reason = "english"
            else:
                reason = _LEVEL_NAME[level]
            ranked.append(Hit(ent, self._name_id[slot], text, float(score), reason, role))
        if lang == "ar" and self._en_slots:
            ranked = self._cross_check(qcross, ranked, limit, min_score)
        return ranked[:limit]

    def _cross_check(self, qcross: str, ranked: list[Hit], limit: int, min_score: float) -> list[Hit]:
        """Order Arabic matches by how well each entity's English name fits the query.

        A careful translator checks that an Arabic spelling is a plausible
        rendering of the English name.  Among the ``CROSS_POOL`` best entities,
        a phonetic or fuzzy match loses up to ``CROSS_WEIGHT`` points in
        proportion to how unlike the query its English name sounds (compared on
        :func:`glossary.keys.cross_key`); matches that score 100 keep their score
        and are only ordered by it.
        """
        side = self._sides["en"]
        pool = ranked[:CROSS_POOL]
        keyed = []
        for h in pool:
            sim = 0.0
            for slot in self._en_slots.get(h.entity_id, ()):
                toks = self._toks[slot]
                if toks:
                    sim = max(sim, _ratio(qcross, " ".join(side.cross[t] for t in toks)))
            score = h.score
            if score < 100.0:
                score = max(0.0, score - CROSS_WEIGHT * (1.0 - sim / 100.0))
                h = Hit(h.entity_id, h.name_id, h.matched, score, h.reason, h.role)
            if score >= min_score:
                keyed.append((-score, -sim, h.entity_id, h))
        keyed.sort(key=lambda k: k[:3])
        return [k[3] for k in keyed] + ranked[CROSS_POOL:]
