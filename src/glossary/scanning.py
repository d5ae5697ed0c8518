"""Finding entity mentions in running text, and rewriting them to the house spelling.

:meth:`glossary.Glossary.find_mentions` and :meth:`glossary.Glossary.normalize_text`
delegate here.  The scanner is an index built once per glossary state and
cached on the :class:`~glossary.Glossary` (rebuilt after any write, like the
matcher).

How a text is scanned
---------------------

1. **One byte per character.**  The text is encoded with a private 256-symbol
   alphabet (``codecs.charmap_encode`` with a built-in table, C speed): every
   Arabic letter, mark and punctuation sign the matcher knows gets its own
   byte, ASCII keeps its byte, anything else becomes one "unknown letter" byte.
   Byte offsets are therefore character offsets into the original ``str``.
2. **Folding with** ``bytes.translate``.  The *orthographic* fold is the one of
   :mod:`glossary.normalize` (hamza/alef forms, ى/ي, ة/ه, Persian shapes,
   Arabic-Indic digits); separators (whitespace, punctuation, quotes, brackets,
   hyphens, line breaks) become a space; marks that carry no letter (harakat,
   tatweel, bidi and zero-width characters, lone hamza) are deleted, with a
   sparse offset map back to the original.  The *phonetic* fold then maps each
   letter to its sound class from :mod:`glossary.keys`
   (``ARABIC_CONSONANT_CLASSES`` / ``ARABIC_VOWELS``: ج غ ق ك → one symbol …).
3. **Aho–Corasick** (pyahocorasick) over the phonetically folded text, *reversed*,
   with keys ``" " + name + " "`` preceded by every proclitic combination
   (:data:`PROCLITICS`).  Reversing lets all clitic variants of a name share
   the name's path in the automaton; the spaces on both sides mean a hit is
   always a whole word: a name is never found inside a longer word, and a name
   followed by any letter (a suffix it cannot take) is not that name.
4. **Verification.**  A hit whose orthographic form is a stored spelling scores
   like :meth:`~glossary.Glossary.lookup` does (100, ``exact`` or
   ``orthographic``; aliases ``ALIAS_FACTOR`` × 100; an article added or
   dropped costs ``ARTICLE_PENALTY``).  A hit that only agrees in sound classes
   is a spelling stored nowhere (بيونجيانج, سيرجي شويجو …): it is scored by the
   matcher itself (``Matcher.search``, same keys, same scores, cached per
   spelling) and reported with that lower score and reason.  Only name parts
   of :data:`PHONETIC_MIN_LETTERS` letters or more are looked for this way.
   What a word (the text of a proclitic and a name) resolves to depends on
   that text alone, so it is cached by it.
5. **Longest match wins**: candidates are taken leftmost first, longest first,
   never overlapping.  The hits of one word start are adjacent in the
   automaton's output (shortest first), so a word with a single candidate
   (nearly all of them) is decided as soon as it is seen; a longer name
   starting at the same word replaces it if it scores enough.

Texts of :data:`BULK_MIN_CHARS` characters or more take a faster road to the
same decisions.  A key without an inner space matches exactly one *word* of the
fold (a maximal run of non-separators), so only names of several words go
through an automaton (a second, small one holding just those keys, decided
hit by hit as above; the words they cover are theirs).  Every other word is
handled in bulk with numpy: its text is packed into 64-bit integers (the
encoding is one byte per character), hashed and looked up in a table of the
words already resolved (:class:`_WordTable`; the packed text is compared, so two
words sharing a hash are never confused); a word not seen yet is resolved once
per text (its fold looked up in the full automaton's trie, then as in step 4),
and the mentions are built from the table's columns.  Results are identical to
the hit-by-hit scan (the tests compare both).

Limits: vowel letters written or dropped (ديمتري / دميتري), different final
vowels (كوريا / كوريه) and the digraph تش / ش are only matched when the
spelling is stored (the folds keep one byte per character, so they cannot
express them); presentation forms (ﻻ, from PDFs) are not recognized in text.

Proclitics
----------

A word is ``conjunction? preposition? article? name`` with conjunctions و ف,
prepositions ب ل ك and the article ال, where ل + ال is written لل
(:data:`PROCLITICS`, 24 forms).  The article belongs to names that carry it
(الكرملين, الأمم المتحدة): بالكرملين is ب + الكرملين and للكرملين is ل + الكرملين
(the article's alef dropped); both are rewritten keeping that shape.  Before
a name that does not carry it the article is part of the kept prefix
(والبوتين = وال + بوتين), scored ``ARTICLE_PENALTY`` lower, as lookup does.

Rewriting
---------

A mention at or above the rewrite threshold (:data:`REWRITE_MIN_SCORE` unless
``min_score`` is given) is replaced by the entity's canonical Arabic spelling;
the proclitic is kept.  A short form (alias such as بوتين, لافروف) stays short:
it is rewritten to the matching part of the canonical name (شويجو → شويغو), not
expanded, unless ``expand_aliases`` is set.  When the mention and its
replacement have the same number of words, only the words are replaced and
whatever separated them in the text (a hyphen, quotes, a line break) is kept;
a stored longer wording that holds the canonical name as written
(وكالة سبوتنيك, جمهورية كوريا الشمالية) is left as it is.
Everything outside the replaced spans is left untouched, so normalizing twice
gives the same text as normalizing once.  Latin-script mentions of English
names are reported (reason ``english``) but never rewritten.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import product, repeat
from typing import Any, NamedTuple

import ahocorasick
import numpy as np

from .keys import ARABIC_CONSONANT_CLASSES, ARABIC_VOWELS, strip_article, token_keys
from .matching import ALIAS_FACTOR, ARTICLE_PENALTY, Hit, gc_paused
from .normalize import ARABIC_FOLD, DIACRITICS, DIGITS, INVISIBLE, NAME_PUNCTUATION

#: Mentions scoring below this are not reported unless ``min_score`` asks for less.
REPORT_MIN_SCORE = 75.0
#: Default threshold for rewriting a mention (phonetic level and above: the
#: letters differ only within one sound class, or the spelling is stored).
REWRITE_MIN_SCORE = 90.0
#: A spelling stored nowhere is looked for only when its name part has at least
#: this many letters: shorter words (مع, قال, بعد) sound like some stored name far
#: too often in running text.
PHONETIC_MIN_LETTERS = 5
#: Default annotation: the text of the mention, then the English name.
DEFAULT_ANNOTATION = "{surface} ({english})"

#: Proclitic combinations recognized before a name: conjunction (و ف),
#: preposition (ب ل ك), article (ال; ل + ال is written لل).
#: Maps the written prefix to ``(conjunction + preposition, has_article)``.
PROCLITICS: dict[str, tuple[str, bool]] = {}
for _conj, _prep, _art in product(("", "و", "ف"), ("", "ب", "ل", "ك"), (False, True)):
    _cp = _conj + _prep
    _written = _cp + ("ل" if _prep == "ل" else "ال") if _art else _cp
    PROCLITICS[_written] = (_cp, _art)

#: Most separator characters between two words of a stored multi-word name
#: still found in text (``"قاعدة "فوستوشني`` has two: a space and a quote).
MAX_GAP = 3

# --------------------------------------------------------------------------
# the byte alphabet
# --------------------------------------------------------------------------

_DELETE = 0x00  # output byte: character removed (marks, bidi controls)
_UNKNOWN = 0x01  # output byte: a letter of no interest (other scripts)
_SPACE = 0x20
_ERRORS = "glossary.scanning.unknown"

_ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
_EXTRA_LETTERS = [c for c in ARABIC_FOLD if c not in _ARABIC_LETTERS] + [
    c for c in "پچژڤڥڨگڭ" if c not in ARABIC_FOLD
]
_MARKS = sorted(
    c for c in DIACRITICS if 0x0640 <= ord(c) <= 0x0655 or ord(c) == 0x0670
)
_INVISIBLE = sorted(INVISIBLE)
_DIGITS = sorted(DIGITS)
_SEPARATORS = list("،؛؟٪٫٬٭۔") + list(
    "\u00a0«»‘’‚‛“”„‟‹›‐‑‒–—―…•·´\u202f\u2028\u2029"
)
_SPECIAL = _ARABIC_LETTERS + _EXTRA_LETTERS + _MARKS + _INVISIBLE + _DIGITS + _SEPARATORS


def _build_tables() -> tuple[Any, str, bytes, bytes]:
    slots = [*range(0x80, 0x100), *range(0x02, 0x09), *range(0x0E, 0x20)]
    decoding = [chr(i) for i in range(128)]
    decoding += [""] * 128
    for i in (*range(0x02, 0x09), *range(0x0E, 0x20)):
        decoding[i] = ""  # control characters give their bytes to Arabic (NUL stays: see charmap_build)
    chars = list(dict.fromkeys(_SPECIAL))
    if len(chars) > len(slots):  # pragma: no cover - a table edit that cannot fit
        raise RuntimeError("scanner alphabet overflow")
    byte_of: dict[str, int] = {}
    for ch, slot in zip(chars, slots, strict=False):
        decoding[slot] = ch
        byte_of[ch] = slot
    for i, ch in enumerate(decoding):
        if not ch:
            decoding[i] = chr(0xF700 + i)  # private-use placeholders: read as unknown letters
    for i in range(128):
        byte_of.setdefault(chr(i), i)
    table = "".join(decoding)
    enc = codecs.charmap_build(table)

    ortho = bytearray(range(256))
    for i, ch in enumerate(decoding):
        if 0xF700 <= ord(ch) <= 0xF7FF or i in (0x00, 0x01, 0x7F):
            ortho[i] = _UNKNOWN
        elif ch in _MARKS or ch in _INVISIBLE:
            ortho[i] = _DELETE
        elif ch in _DIGITS:
            ortho[i] = ord(DIGITS[ch])
        elif ch in _SEPARATORS or ch.isspace() or ch in NAME_PUNCTUATION:
            ortho[i] = _SPACE
        elif i < 128 and not ch.isalnum():
            ortho[i] = _SPACE  # other ASCII symbols: $ % = @ ^ …
        elif ch in ARABIC_FOLD:
            folded = ARABIC_FOLD[ch]
            ortho[i] = byte_of[folded] if folded else _DELETE
    phon = bytearray(range(256))
    reps: dict[str, int] = {}
    for letter, symbol in [*ARABIC_CONSONANT_CLASSES.items(), *ARABIC_VOWELS.items()]:
        if letter not in byte_of:
            continue
        rep = reps.setdefault(symbol, ortho[byte_of[letter]])
        phon[ortho[byte_of[letter]]] = rep
    return enc, table, bytes(ortho), bytes(phon)


_ENC, _DECODING, _ORTHO, _PHON = _build_tables()
_DEL_RE = re.compile(b"\x00")
_ORTHO_ARTICLE = codecs.charmap_encode("ال", "strict", _ENC)[0]
_GAP_RE = re.compile(b" {2,}")

def _unknown(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    return "\x7f" * (exc.end - exc.start), exc.end


codecs.register_error(_ERRORS, _unknown)


def fold_text(text: str) -> tuple[bytes, bytes, list[int] | None]:
    """Orthographic and phonetic byte folds of ``text`` and the deletion map.

    Byte ``i`` of the folds stands for character ``i + deleted_before(i)`` of
    the text, where the map lists, for each deleted character, the fold
    offset it was removed at (``None`` when nothing was deleted).
    """
    return _fold(text)[1:]


def _fold(text: str) -> tuple[bytes, bytes, bytes, list[int] | None]:
    """:func:`fold_text`, with the text's one-byte-per-character encoding in front."""
    enc = codecs.charmap_encode(text, _ERRORS, _ENC)[0]
    ortho = enc.translate(_ORTHO)
    adj: list[int] | None = None
    if b"\x00" in ortho:
        adj = [m.start() - k for k, m in enumerate(_DEL_RE.finditer(ortho))]
        ortho = ortho.replace(b"\x00", b"")
    return enc, ortho, ortho.translate(_PHON), adj


def _to_text(folded: bytes) -> str:
    return codecs.charmap_decode(folded, "strict", _DECODING)[0]


# --------------------------------------------------------------------------
# public value types
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MentionInfo:
    """What a mention resolves to; shared by every mention of the same spelling."""

    entity_id: int
    english: str
    arabic: str
    score: float
    reason: str
    stored: bool = True  #: the spelling is in the glossary (False: found through its keys)
    lang: str = "ar"
    entry: Any = None


class Mention(NamedTuple):
    """One entity mention in a text.

    ``start``/``end`` are character offsets of the name in the original text;
    ``prefix`` is the proclitic written just before ``start`` and kept outside
    the name (``"ل"`` in لبوتين).  ``english``/``arabic`` are the entity's
    canonical spellings; ``score`` and ``reason`` are those of
    :meth:`glossary.Glossary.lookup`.  After :meth:`glossary.Glossary.normalize_text`,
    ``replaced`` says whether the span was rewritten and ``replacement`` is
    the text written in its place.
    """

    start: int
    end: int
    surface: str
    prefix: str
    info: MentionInfo
    replaced: bool = False
    replacement: str | None = None

    @property
    def entity_id(self) -> int:
        return self.info.entity_id

    @property
    def english(self) -> str:
        return self.info.english

    @property
    def arabic(self) -> str:
        return self.info.arabic

    @property
    def score(self) -> float:
        return self.info.score

    @property
    def reason(self) -> str:
        return self.info.reason

    @property
    def stored(self) -> bool:
        """True if the spelling is stored; False if it was found through its keys only."""
        return self.info.stored

    @property
    def lang(self) -> str:
        return self.info.lang

    def as_dict(self) -> dict[str, Any]:
        """The fields of the JSON report."""
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "prefix": self.prefix,
            "entity_id": self.entity_id,
            "english": self.english,
            "arabic": self.arabic,
            "score": round(self.score, 1),
            "reason": self.reason,
            "replaced": self.replaced,
            "replacement": self.replacement,
        }


@dataclass
class NormalizeResult:
    """What :meth:`glossary.Glossary.normalize_text` returns."""

    text: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(m.replaced for m in self.mentions)


@dataclass(frozen=True, slots=True)
class ScanName:
    """A stored, approved spelling as the scanner indexes it."""

    name_id: int
    entity_id: int
    text: str
    lang: str
    role: str
    norm: str


# --------------------------------------------------------------------------
# the index
# --------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Entry:
    entity_id: int
    name_id: int
    text: str
    role: str
    lang: str
    score: float
    has_article: bool
    rank: tuple[float, int, int]
    text_bare_lam: bool = False  # bare form starts with ل (اللجنة): ل + ال + ل is written لل
    short: str | None = None  # rewrite of an alias (None: the canonical spelling)


_ROLE_RANK = {"canonical": 0, "variant": 1, "alias": 2}


class Scanner:
    """The running-text index of one glossary state (see the module doc)."""

    def __init__(
        self,
        names: Iterable[ScanName],
        entities: dict[int, tuple[str, str]],
        search: Callable[[str], Hit | None] | None = None,
    ) -> None:
        self.entities = entities
        self._search = search
        self._phonetic_cache: dict[tuple[bytes, bool], Hit | None] = {}
        self._cache: dict[str, list[Any]] = {}  # text of a word (proclitic + name) -> what it resolves to
        self._words = _WordTable()
        # ortho bytes of a name form -> [best full-form entry, best bare-form entry]
        self._exact: dict[bytes, list[_Entry | None]] = {}
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._multi = ahocorasick.Automaton(ahocorasick.STORE_INTS)  # the keys of several words only
        by_entity_alias: dict[int, list[str]] = {}
        prefixes = [(fold_text(p)[0], p, cp, art) for p, (cp, art) in PROCLITICS.items()]
        self._prefix: dict[bytes, tuple[str, bool]] = {o: (cp, art) for o, _, cp, art in prefixes}
        keys = 0
        # (no settling collection: the index is mostly C-level automata the collector does not see)
        with gc_paused():
            for name in names:
                if name.entity_id not in entities:
                    continue
                if name.lang == "ar":
                    keys += self._add_arabic(name, prefixes)
                    if name.role == "alias":
                        by_entity_alias.setdefault(name.entity_id, []).append(name.text)
                else:
                    keys += self._add_english(name)
            self.size = keys
            if keys:
                self._automaton.make_automaton()
            if len(self._multi):
                self._multi.make_automaton()
            for pair in self._exact.values():
                for e in pair:
                    if e is not None and e.role == "alias" and e.short is None:
                        e.short = _short_form(e.text, entities[e.entity_id][1], by_entity_alias.get(e.entity_id, []))

    # ------------------------------------------------------------------ building
    def _entry(self, name: ScanName, has_article: bool, bare: bool) -> _Entry:
        score = 100.0 * (ALIAS_FACTOR if name.role == "alias" else 1.0)
        rank = (-score, _ROLE_RANK.get(name.role, 3), name.entity_id)
        return _Entry(name.entity_id, name.name_id, name.text, name.role, name.lang, score, has_article, rank)

    def _offer(self, ortho: bytes, entry: _Entry, slot: int) -> None:
        pair = self._exact.setdefault(ortho, [None, None])
        old = pair[slot]
        if old is None or entry.rank < old.rank:
            pair[slot] = entry

    def _add_key(self, phon: bytes, prefix: bytes, value_len: int) -> None:
        key = (b" " + prefix + phon + b" ")[::-1].decode("latin-1")
        old = self._automaton.get(key, None)
        if old is not None and old >> 12 <= len(prefix):
            return  # the same letters read with a shorter proclitic (a longer name) win
        value = (len(prefix) << 12) | value_len
        self._automaton.add_word(key, value)
        if b" " in phon:
            self._multi.add_word(key, value)

    def _add_arabic(self, name: ScanName, prefixes: list[tuple[bytes, str, str, bool]]) -> int:
        tokens = name.norm.split()
        if not tokens:
            return 0
        bare_first = strip_article(tokens[0])
        forms = [(" ".join(tokens), bare_first is not None, False)]
        if bare_first is not None:
            forms.append((" ".join([bare_first, *tokens[1:]]), True, True))
        added = 0
        for form, has_article, bare in forms:
            ortho, phon, _ = fold_text(form)
            if not ortho or b"\x01" in ortho:
                continue
            entry = self._entry(name, has_article, bare)
            entry.text_bare_lam = bare and form.startswith("ل")
            self._offer(ortho, entry, 1 if bare else 0)
            allowed = [
                p for p in prefixes
                if bare or not has_article or (not p[3] and not p[2].endswith("ل"))
            ]
            for variant in _gap_variants(phon):
                if len(variant) >= 4096:
                    continue
                for pre_ortho, _, _, _ in allowed:
                    self._add_key(variant, pre_ortho.translate(_PHON), len(variant))
                    added += 1
        return added

    def _add_english(self, name: ScanName) -> int:
        ortho, _, _ = fold_text(name.text)
        form = b" ".join(ortho.split())
        if len(form) < 2 or b"\x01" in form or any(b >= 0x80 or b < 0x20 for b in form):
            return 0
        self._offer(form, self._entry(name, False, False), 0)
        added = 0
        for variant in _gap_variants(form):
            self._add_key(variant, b"", len(variant))
            added += 1
        return added

    def clear_caches(self) -> None:
        """Forget every resolved spelling and matcher score (the next scan is a cold one)."""
        self._cache.clear()
        self._words = _WordTable()
        self._phonetic_cache.clear()

    @property
    def matcher_calls(self) -> int:
        """Distinct spellings scored by the matcher since the last :meth:`clear_caches`."""
        return len(self._phonetic_cache)

    # ------------------------------------------------------------------ scanning
    def find(self, text: str, min_score: float = REPORT_MIN_SCORE) -> list[Mention]:
        """Every mention scoring at least ``min_score``, in order, non-overlapping."""
        if not self.size or not text:
            return []
        with gc_paused():  # hundreds of thousands of small objects: collections would cost more than the scan
            return self._find(text, min_score)[0]

    def _find(
        self, text: str, min_score: float, rewrite_at: float | None = None, expand_aliases: bool = False
    ) -> tuple[list[Mention], list[str] | None]:
        """Mentions, and with ``rewrite_at`` the pieces of the rewritten text (None: unchanged)."""
        if len(self._cache) > _CACHE_MAX:
            self._cache.clear()
        if len(self._words) > _CACHE_MAX:
            self._words = _WordTable()
        threshold = 101.0 if rewrite_at is None else rewrite_at
        floor = min_score if min_score > -1e308 else -1e308  # rejected hits score -inf (also for NaN)
        if len(text) < BULK_MIN_CHARS:
            out = self._scan(text, floor, threshold, expand_aliases)
        else:
            out = self._scan_bulk(text, floor, threshold, expand_aliases)
        if rewrite_at is None:
            return out, None
        pieces: list[str] = []
        add = pieces.append
        pos = 0
        for m in out:
            if m.replaced:
                add(text[pos : m.start])
                add(m.replacement)  # type: ignore[arg-type]
                pos = m.end
        if not pieces:
            return out, None
        add(text[pos:])
        return out, pieces

    def _scan(self, text: str, floor: float, threshold: float, expand_aliases: bool) -> list[Mention]:
        """One Aho–Corasick pass over the whole text, hit by hit (short texts)."""
        ortho, phon, adj_list = fold_text(text)
        n1 = len(phon) + 1
        rev = (b" " + phon + b" ")[::-1].decode("latin-1")
        hits = list(self._automaton.iter(rev))  # by end in the reversed text
        hits.reverse()  # by word start, ascending; the names at one word start come shortest first
        return self._walk(hits, n1, text, ortho, adj_list or [], floor, threshold, expand_aliases)[0]

    def _walk(
        self, hits: list[tuple[int, int]], n1: int, text: str, ortho: bytes, adj: list[int],
        floor: float, threshold: float, expand_aliases: bool,
    ) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Decide the automaton's hits in order: leftmost first, longest first, never overlapping.

        Returns the mentions and, for each, where its word (proclitic and name) is in the fold.
        """
        out: list[Mention] = []
        append = out.append
        spans: list[tuple[int, int]] = []
        cache = self._cache
        cache_get = cache.get
        resolve = self._resolve
        mention = self._mention
        extent = _EXTENT
        nadj = len(adj)
        di = 0  # deletions at or before ``ws`` (word starts only grow)
        nd = adj[0] if adj else _NEVER  # the next deletion after ``ws``
        last = -1  # end (in the fold) of the last accepted mention
        lj = -1  # its hit position
        for j, v in hits:
            ws = n1 - j
            # a hit starting inside the last mention is dropped, unless it is a longer name
            # starting where the last mention starts: that one wins if it scores enough
            longer = ws < last
            if longer:
                if j != lj:
                    continue
            elif ws >= nd:
                while di < nadj and adj[di] <= ws:
                    di += 1
                nd = adj[di] if di < nadj else _NEVER
            ne = ws + extent[v]
            tws = ws + di
            tne = ne + bisect_right(adj, ne - 1) if nd < ne else ne + di
            word = text[tws:tne]
            r = cache_get(word)
            if r is None:
                r = cache[word] = resolve(ortho, ws, v, word) or _REJECTED
            if r[0] < floor:
                continue
            if longer:
                out.pop()
                spans.pop()
            last = ne
            lj = j
            spans.append((ws, ne))
            append(mention(r, tws, tne, threshold, expand_aliases))
        return out, spans

    def _mention(self, r: list[Any], start: int, end: int, threshold: float, expand_aliases: bool) -> Mention:
        """The mention of a resolved word (``r``, see :meth:`_resolve`) at ``start:end`` of the text,
        with its rewrite when it scores ``threshold`` or more and reads otherwise."""
        repl = self._replacement(r, expand_aliases) if r[0] >= threshold else ""
        return tuple.__new__(Mention, (start + r[1], end, r[2], r[3], r[4], bool(repl), repl or None))

    def _replacement(self, r: list[Any], expand_aliases: bool) -> str:
        """The rewrite of a resolved word ("" when it is written as it should be), cached in ``r``."""
        slot = 6 if expand_aliases else 5
        repl = r[slot]
        if repl is None:
            repl = self._rewrite(r[4], r[2], r[3], expand_aliases)
            r[slot] = repl = "" if repl == r[2] else repl
        return str(repl)

    def _scan_bulk(self, text: str, floor: float, threshold: float, expand_aliases: bool) -> list[Mention]:
        """The same decisions for a long text, word by word in numpy (see the module doc)."""
        enc, ortho, phon, deleted = _fold(text)
        adj_list = deleted or []
        adj = None if deleted is None else np.array(deleted, np.int64)
        n = len(phon)
        # 1. names of several words: their own (small) automaton, decided hit by hit
        extra: list[Mention] = []
        spans: list[tuple[int, int]] = []
        if len(self._multi):
            rev = (b" " + phon + b" ")[::-1].decode("latin-1")
            hits = list(self._multi.iter(rev))
            hits.reverse()
            extra, spans = self._walk(hits, n + 1, text, ortho, adj_list, floor, threshold, expand_aliases)
        # 2. every word of the text (a maximal run of non-separators in the fold)
        edge = np.ones(n + 2, np.int8)
        edge[1:-1] = np.frombuffer(phon, np.uint8) == _SPACE
        step = np.diff(edge)
        ws = np.flatnonzero(step == -1)
        ne = np.flatnonzero(step == 1)
        if extra:  # words inside (or at the start of) a name of several words are part of it
            covered = np.zeros(len(ws) + 1, np.int32)
            bounds = np.searchsorted(ws, np.array(spans, np.int64))
            np.add.at(covered, bounds[:, 0], 1)
            np.add.at(covered, bounds[:, 1], -1)
            keep = np.cumsum(covered[:-1]) == 0
            ws, ne = ws[keep], ne[keep]
        if adj is not None:  # fold offsets -> text offsets: add the characters deleted before
            tws = ws + np.cumsum(np.bincount(np.searchsorted(ws, adj), minlength=len(ws) + 1))[:-1]
            tne = ne + np.cumsum(np.bincount(np.searchsorted(ne, adj, "right"), minlength=len(ne) + 1))[:-1]
        else:
            tws, tne = ws, ne
        tlen = tne - tws
        # 3. each word's text, packed into up to _WORDS uint64 (exact: the encoding is one byte per
        # character, and a word holding a byte the encoding shares is never a name), and hashed
        short = np.flatnonzero(tlen <= 8 * _WORDS)
        longer = np.flatnonzero(tlen > 8 * _WORDS)
        s_tws, s_len = tws[short], tlen[short]
        buf = np.frombuffer(enc + bytes(8 * _WORDS + 8), np.uint8)
        view = np.ndarray((len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))
        packed = [view[s_tws] & _MASKS[np.minimum(s_len, 8)]]
        for k in range(1, _WORDS):
            w = np.zeros(len(short), np.uint64)
            sel = np.flatnonzero(s_len > 8 * k)
            if len(sel):
                w[sel] = view[s_tws[sel] + 8 * k] & _MASKS[np.minimum(s_len[sel] - 8 * k, 8)]
            packed.append(w)
        hashes = _hash(packed, s_len)
        # 4. what each word resolves to: known words in bulk, new ones once each
        table = self._words
        slots = table.lookup(hashes)
        absent = np.flatnonzero(slots < 0)
        if len(absent):
            uniq, first, inverse = np.unique(hashes[absent], return_index=True, return_inverse=True)
            reps = absent[first]
            word_of = self._word
            resolved = [
                word_of(ortho, phon, w_ws, w_ne, text[w_tws : w_tws + w_len])
                for w_ws, w_ne, w_tws, w_len in zip(
                    ws[short[reps]].tolist(), ne[short[reps]].tolist(), s_tws[reps].tolist(),
                    s_len[reps].tolist(), strict=True,
                )
            ]
            new_slots = table.add(resolved, [p[reps] for p in packed], s_len[reps])
            table.insert(uniq, new_slots)
            slots[absent] = new_slots[inverse.reshape(-1)]
        found = np.flatnonzero(slots >= 0)
        s = slots[found]
        f_len = s_len[found]
        same = (table.length[s] == f_len) & (table.packed[0][s] == packed[0][found])
        for k in range(1, _WORDS):
            sel = np.flatnonzero(f_len > 8 * k)
            same[sel] &= table.packed[k][s[sel]] == packed[k][found[sel]]
        slots[found[~same]] = -1  # a hash shared by two different words: decided one by one
        odd = np.concatenate((short[slots < 0], longer))
        if len(odd):
            odd.sort()
            for i in odd.tolist():
                w_ws, w_ne, w_tws, w_tne = int(ws[i]), int(ne[i]), int(tws[i]), int(tne[i])
                word = text[w_tws:w_tne]
                r = self._word(ortho, phon, w_ws, w_ne, word)
                if r[0] >= floor:
                    spans.append((w_ws, w_ne))
                    extra.append(self._mention(r, w_tws, w_tne, threshold, expand_aliases))
        # 5. the mentions: words scoring at least ``floor``
        ok = np.flatnonzero(slots >= 0)
        s = slots[ok]
        score = table.score[s]
        acc = score >= floor
        ok, s, score = ok[acc], s[acc], score[acc]
        idx = short[ok]
        a_tws = tws[idx]
        out = list(
            map(
                tuple.__new__, repeat(Mention),
                zip(
                    (a_tws + table.st[s]).tolist(), tne[idx].tolist(), table.surface[s].tolist(),
                    table.prefix[s].tolist(), table.info[s].tolist(), repeat(False), repeat(None),
                ),
            )
        )
        if threshold <= 100.0:  # rewriting: the words at or above the threshold that read otherwise
            mode = 1 if expand_aliases else 0
            need = np.flatnonzero(score >= threshold)
            state = table.rewrite[mode]
            unknown = np.unique(s[need][state[s[need]] < 0])
            for slot in unknown.tolist():
                state[slot] = 1 if self._replacement(table.r[slot], expand_aliases) else 0
            rs = table.r
            new = tuple.__new__
            for i, slot in zip(need[state[s[need]] == 1].tolist(), s[need][state[s[need]] == 1].tolist(),
                               strict=True):
                m = out[i]
                out[i] = new(Mention, (m[0], m[1], m[2], m[3], m[4], True, rs[slot][5 + mode]))
        if extra:  # merge the names of several words and the words decided one by one, by position
            order = sorted(range(len(extra)), key=spans.__getitem__)
            at = np.searchsorted(ws[idx], np.array([spans[k][0] for k in order], np.int64)).tolist()
            merged: list[Mention] = []
            pos = 0
            for k, p in zip(order, at, strict=True):
                merged += out[pos:p]
                merged.append(extra[k])
                pos = p
            merged += out[pos:]
            out = merged
        return out

    def _word(self, ortho: bytes, phon: bytes, ws: int, ne: int, word: str) -> list[Any]:
        """What one word of the text (the fold's ``ws:ne``) resolves to, cached by its text."""
        r = self._cache.get(word)
        if r is None:
            v = self._automaton.get((b" " + phon[ws:ne] + b" ")[::-1].decode("latin-1"), None)
            r = self._cache[word] = (None if v is None else self._resolve(ortho, ws, v, word)) or _REJECTED
        return r

    def _resolve(self, ortho: bytes, ws: int, v: int, word: str) -> list[Any] | None:
        """What a hit is: ``[score, name start - word start in the text, surface, prefix, info,
        rewrite, rewrite expanding aliases]`` (the rewrites filled in when first needed), or None.

        ``word`` is the text of the proclitic and the name.
        """
        res = self._resolve_info(ortho, ws, v, word)
        if res is None:
            return None
        start, info = res
        return [info.score, start, word[start:], word[:start], info, None, None]

    def _resolve_info(self, ortho: bytes, ws: int, v: int, word: str) -> tuple[int, MentionInfo] | None:
        plen = v >> 12
        ns = ws + plen
        ne = ns + (v & 0xFFF)
        if plen:
            pinfo = self._prefix.get(ortho[ws:ns])
            if pinfo is None:
                return None
            cp, art = pinfo
        else:
            cp, art = "", False
        so = ortho[ns:ne]
        if b"  " in so:
            so = _GAP_RE.sub(b" ", so)
        pair = self._exact.get(so)
        entry = None
        score = 0.0
        start = plen
        if pair is not None:
            full, bare = pair
            if art:
                if bare is not None:  # بال + كرملين = ب + الكرملين
                    entry, score = bare, bare.score
                    start = len(cp)
                elif full is not None and not full.has_article:
                    entry, score = full, full.score - ARTICLE_PENALTY
            elif full is not None:
                if not (full.has_article and cp.endswith("ل")):
                    entry, score = full, full.score
            elif bare is not None:
                if cp.endswith("ل") and bare.text_bare_lam:  # ل + اللجنة = للجنة
                    entry, score = bare, bare.score
                else:
                    entry, score = bare, bare.score - ARTICLE_PENALTY
        if entry is None and art:
            start = len(cp)
        if start and len(word) != ne - ws:  # marks deleted inside the word: fold -> text offset
            wadj = fold_text(word)[2] or []
            start += bisect_right(wadj, start)
        if entry is not None:
            if score < entry.score and self._search is not None:
                # article added or dropped: the matcher's own score, as lookup gives
                hit = self._phonetic(so, art)
                if hit is not None and hit.entity_id == entry.entity_id:
                    score = min(score, hit.score)
            eng, ara = self.entities[entry.entity_id]
            info = MentionInfo(entry.entity_id, eng, ara, score, "", True, entry.lang, entry)
            return start, _with_reason(info, word[start:])
        # a spelling stored nowhere: ask the matcher (same keys, same scores)
        core = so[2:] if so.startswith(_ORTHO_ARTICLE) else so
        if len(core) - core.count(b" ") < PHONETIC_MIN_LETTERS:
            return None  # short words agree with some name in sound classes too often (مع, قال)
        hit = self._phonetic(so, art)
        if hit is None or hit.entity_id not in self.entities:
            return None
        eng, ara = self.entities[hit.entity_id]
        return start, MentionInfo(hit.entity_id, eng, ara, hit.score, hit.reason, False, "ar")

    def _phonetic(self, so: bytes, art: bool) -> Hit | None:
        key = (so, art)
        try:
            return self._phonetic_cache[key]
        except KeyError:
            pass
        hit = None
        if self._search is not None:
            query = _to_text(so)
            if art:
                query = "ال" + query
            hit = self._search(query)
        self._phonetic_cache[key] = hit
        return hit

    def normalize(
        self,
        text: str,
        min_score: float = REWRITE_MIN_SCORE,
        annotate: str | None = None,
        expand_aliases: bool = False,
    ) -> NormalizeResult:
        """Rewrite (or, with ``annotate``, annotate) every mention at or above ``min_score``."""
        with gc_paused():
            return self._normalize(text, min_score, annotate, expand_aliases)

    def _normalize(
        self, text: str, min_score: float, annotate: str | None, expand_aliases: bool
    ) -> NormalizeResult:
        if not self.size or not text:
            return NormalizeResult(text, [])
        if annotate is None:
            found, pieces = self._find(text, min(min_score, REPORT_MIN_SCORE), min_score, expand_aliases)
            return NormalizeResult(text if pieces is None else "".join(pieces), found)
        mentions = self.find(text, min(min_score, REPORT_MIN_SCORE))
        out: list[str] = []
        pos = 0
        seen: set[int] = set()
        for idx, m in enumerate(mentions):
            info = m.info
            if info.score < min_score or info.lang != "ar" or info.entity_id in seen:
                continue
            seen.add(info.entity_id)
            note = annotate.format(
                surface=m.surface, english=info.english, arabic=info.arabic,
                entity_id=info.entity_id, prefix=m.prefix,
            )
            if note == m.surface:
                continue
            out += [text[pos : m.start], note]
            pos = m.end
            mentions[idx] = m._replace(replaced=True, replacement=note)
        if not out:
            return NormalizeResult(text, mentions)
        out.append(text[pos:])
        return NormalizeResult("".join(out), mentions)

    def _rewrite(self, info: MentionInfo, surface: str, prefix: str, expand_aliases: bool) -> str:
        """The canonical spelling written in place of ``surface`` (see the module doc)."""
        if info.lang != "ar":
            return surface  # Latin mentions are reported, never rewritten
        target = info.arabic
        if info.reason == "alias" and not expand_aliases:
            entry = info.entry
            if entry is not None and entry.short:
                target = entry.short
        cp, art = PROCLITICS.get(_normalize_prefix(prefix), ("", False))
        if target.startswith("ال") and len(target) > 3:
            if art:  # the article is already in the prefix: وال + الصين -> والصين
                target = target[2:]
            elif cp.endswith("ل"):  # ل + الكرملين is written للكرملين, ل + اللجنة للجنة
                target = target[2:] if target[2] == "ل" else target[1:]
        have, want = _fold_words(surface), _fold_words(target)
        if len(have) > len(want) and any(
            have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1)
        ):
            return surface  # a longer wording holding the name as written (وكالة سبوتنيك)
        return _keep_separators(surface, target)


def _with_reason(info: MentionInfo, surface: str) -> MentionInfo:
    """``info`` with the reason of a stored spelling's match (it depends on the exact text)."""
    entry = info.entry
    if entry is None:
        reason = "orthographic"
    elif entry.role == "alias":
        reason = "alias"
    elif entry.lang == "en":
        reason = "exact" if surface == entry.text else "english"
    elif info.score >= 100.0 and surface == entry.text:
        reason = "exact"
    else:
        reason = "orthographic"
    return MentionInfo(info.entity_id, info.english, info.arabic, info.score, reason,
                       info.stored, info.lang, entry)


#: What a hit that is no mention resolves to (scores below any threshold).
_REJECTED: list[Any] = [float("-inf"), 0, "", "", None, "", ""]
_NEVER = 1 << 62
#: Texts of at least this many characters are scanned word by word in bulk (numpy); shorter ones
#: hit by hit (the same decisions; fewer fixed costs).
BULK_MIN_CHARS = 2000
#: Distinct words remembered before the caches start afresh.
_CACHE_MAX = 500_000
#: Words of up to 8 * _WORDS characters are looked up in bulk (longer ones one by one).
_WORDS = 4
_MASKS = np.array([(1 << (8 * i)) - 1 for i in range(8)] + [(1 << 64) - 1], np.uint64)
_MIX = [np.uint64(c) for c in (
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD,
)]


def _hash(packed: list[Any], length: Any) -> Any:
    """A 64-bit hash (never 0) of words packed into uint64 and their lengths (numpy arrays)."""
    h = packed[0] * _MIX[0]
    for k in range(1, len(packed)):
        h ^= packed[k] * _MIX[k]
    h ^= length.astype(np.uint64) * _MIX[4]
    h ^= h >> np.uint64(31)
    h *= _MIX[0]
    h ^= h >> np.uint64(29)
    return h | np.uint64(1)


class _WordTable:
    """The words of running text already resolved, looked up in bulk.

    An open-addressing hash table (numpy) from a word's hash to a slot; each slot keeps the word's
    packed text and length (a hit is checked against them, so a hash shared by two words never
    mixes them up) and what the word resolves to: score, where the name starts, surface, prefix,
    info, and whether its rewrites differ from the text (-1: not computed yet).
    """

    def __init__(self) -> None:
        self.bits = 12
        self.keys = np.zeros(1 << self.bits, np.uint64)  # hashes; 0: empty
        self.vals = np.zeros(1 << self.bits, np.int64)  # slots
        self.r: list[list[Any]] = []
        self._alloc(256)

    def _alloc(self, cap: int) -> None:
        n = len(self.r)
        old = self.__dict__.get("length")

        def grow(arr: Any, fill: Any, dtype: Any) -> Any:
            new = np.full(cap, fill, dtype)
            if arr is not None:
                new[:n] = arr[:n]
            return new

        get = self.__dict__.get
        self.length = grow(old, 0, np.int64)
        self.hashes = grow(get("hashes"), 0, np.uint64)
        self.packed = [grow(p, 0, np.uint64) for p in get("packed", [None] * _WORDS)]
        self.score = grow(get("score"), 0.0, np.float64)
        self.st = grow(get("st"), 0, np.int64)
        self.surface = grow(get("surface"), None, object)
        self.prefix = grow(get("prefix"), None, object)
        self.info = grow(get("info"), None, object)
        self.rewrite = [grow(a, -1, np.int8) for a in get("rewrite", [None, None])]

    def __len__(self) -> int:
        return len(self.r)

    def add(self, rs: list[list[Any]], packed: list[Any], length: Any) -> Any:
        """New slots for words (placed in the table by :meth:`insert`)."""
        start = len(self.r)
        end = start + len(rs)
        if end > len(self.length):
            cap = len(self.length)
            while end > cap:
                cap *= 2
            self._alloc(cap)
        self.r += rs
        self.length[start:end] = length
        for k, w in enumerate(packed):
            self.packed[k][start:end] = w
        self.score[start:end] = [r[0] for r in rs]
        self.st[start:end] = [r[1] for r in rs]
        for k, col in enumerate((self.surface, self.prefix, self.info), 2):
            col[start:end] = [r[k] for r in rs]
        for mode in (0, 1):
            self.rewrite[mode][start:end] = [-1 if r[5 + mode] is None else 1 if r[5 + mode] else 0 for r in rs]
        return np.arange(start, end)

    def insert(self, hashes: Any, slots: Any) -> None:
        """Place new slots under their hashes (distinct, and not in the table yet)."""
        self.hashes[slots] = hashes
        if 2 * len(self.r) > len(self.keys):  # keep the table at most half full
            while 2 * len(self.r) > (1 << self.bits):
                self.bits += 1
            self.keys = np.zeros(1 << self.bits, np.uint64)
            self.vals = np.zeros(1 << self.bits, np.int64)
            slots = np.arange(len(self.r))
            hashes = self.hashes[: len(self.r)]
        keys = self.keys
        mask = (1 << self.bits) - 1
        pos = (hashes >> np.uint64(64 - self.bits)).astype(np.intp)
        pending = np.arange(len(hashes))
        while len(pending):
            free = pending[keys[pos[pending]] == 0]
            _, first = np.unique(pos[free], return_index=True)
            won = free[first]
            keys[pos[won]] = hashes[won]
            self.vals[pos[won]] = slots[won]
            pending = np.setdiff1d(pending, won, assume_unique=True)
            taken = pending[keys[pos[pending]] != 0]
            pos[taken] = (pos[taken] + 1) & mask

    def lookup(self, hashes: Any) -> Any:
        """The slot of each hash (-1: not in the table)."""
        out = np.full(len(hashes), -1, np.int64)
        keys, vals = self.keys, self.vals
        mask = (1 << self.bits) - 1
        pos = (hashes >> np.uint64(64 - self.bits)).astype(np.intp)
        k = keys.take(pos)
        hit = k == hashes
        out[hit] = vals.take(pos[hit])
        more = np.flatnonzero(~hit & (k != 0))
        while len(more):  # linear probing
            p = (pos[more] + 1) & mask
            pos[more] = p
            k = keys.take(p)
            hit = k == hashes[more]
            out[more[hit]] = vals.take(p[hit])
            more = more[~hit & (k != 0)]
        return out
#: Automaton value -> proclitic + name length.
_EXTENT = [(v >> 12) + (v & 0xFFF) for v in range((1 + max(map(len, PROCLITICS))) << 12)]


def _normalize_prefix(prefix: str) -> str:
    return _to_text(fold_text(prefix)[0])


def _gap_variants(form: bytes) -> list[bytes]:
    """The form with 1..MAX_GAP separators between its words (few words only)."""
    words = form.split(b" ")
    gaps = len(words) - 1
    if gaps == 0:
        return [form]
    widths = range(1, MAX_GAP + 1) if gaps <= 2 else range(1, 3) if gaps <= 3 else range(1, 2)
    out = []
    for combo in product(widths, repeat=gaps):
        parts = [words[0]]
        for w, word in zip(combo, words[1:], strict=True):
            parts.append(b" " * w + word)
        out.append(b"".join(parts))
    return out


_TOKEN_RE = re.compile(r"[^\s" + re.escape("".join(sorted(NAME_PUNCTUATION | set(_SEPARATORS)))) + r"]+")


def _keep_separators(surface: str, target: str) -> str:
    """``target``'s words in place of ``surface``'s, keeping the text between them."""
    words = list(_TOKEN_RE.finditer(surface))
    new = target.split()
    if len(words) != len(new) or len(words) < 2:
        return target
    out = []
    pos = 0
    for m, w in zip(words, new, strict=True):
        out.append(surface[pos : m.start()])
        out.append(w)
        pos = m.end()
    out.append(surface[pos:])
    return "".join(out)


def _short_form(alias: str, canonical: str, aliases: list[str]) -> str:
    """How a short form is written: as the matching words of the canonical name,
    else as the first alias that sounds the same, else as stored."""
    want = [token_keys(t).sk for t in _fold_words(alias)]
    if not want:
        return alias
    words = canonical.split()
    folded = [_fold_words(w) for w in words]
    for i in range(len(words) - len(want) + 1):
        window = folded[i : i + len(want)]
        if all(len(f) == 1 for f in window) and [token_keys(f[0]).sk for f in window] == want:
            return " ".join(words[i : i + len(want)])
    for other in aliases:
        if [token_keys(t).sk for t in _fold_words(other)] == want:
            return other
    return alias


def _fold_words(text: str) -> list[str]:
    return _to_text(fold_text(text)[0]).split()


__all__ = [
    "BULK_MIN_CHARS",
    "DEFAULT_ANNOTATION",
    "PROCLITICS",
    "REPORT_MIN_SCORE",
    "REWRITE_MIN_SCORE",
    "Mention",
    "NormalizeResult",
    "ScanName",
    "Scanner",
    "fold_text",
]
