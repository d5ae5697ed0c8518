"""Recognition: from running text to entity mentions, the one recognizer.

:meth:`glossary.Glossary.find_mentions`, :meth:`~glossary.Glossary.normalize_text`,
``glossary normalize`` and the translation memory (placeholder tagging, target
repair, concordance) all read text through :class:`Recognizer`.  It is built once
per glossary state and cached on the :class:`~glossary.Glossary`.

Data flows one way::

    text → words (offsets) → readings (proclitic + core) → candidate spans (keys)
         → scored spans (stored spelling, else Matcher.search) → precision guard
         → non-overlapping mentions → rewrites

Words
-----
A word is a maximal run of letters and digits of any script, with the marks,
tatweel and invisible characters inside it; everything else separates words
(space, punctuation, quotes, hyphens, line breaks), so a name is never found
inside a longer word.  Words of a name of several words may be separated by up
to :data:`MAX_GAP` characters of spaces, hyphens, quotes and brackets (and one
line break), never by sentence punctuation (، . ؛ : ! ?).

Readings
--------
An Arabic word is read as ``conjunction? preposition? article? core`` with the
conjunctions و ف, the prepositions ب ل ك and the article ال (ل + ال is written لل;
ل + اللجنة is written للجنة): :data:`PROCLITICS`, 24 written forms.  The conjunction
and preposition are kept outside the mention (``prefix``); an article read
before the core belongs to the mention (بالكرملين → ب + الكرملين), so a name is
looked up with it.

Candidates come from keys, never from a search per word
-------------------------------------------------------
* a **stored spelling** (normalized text equal to a stored one) is resolved from
  a table: score 100; a stored short form (alias) is scored by the matcher, which
  checks it against the English name as it checks any match below 99;
* the same with the **article** added or dropped (والعقاد for عقاد, كرملين for
  الكرملين; a common word never loses an article to become a name: دولي is not
  الدولي);
* names of **several words** are found from the consonant skeleton of their
  first word and checked word by word on skeletons (:mod:`glossary.keys`): a
  respelled word (سيرجي / سيرغي, بوتن / بوتين) keeps its skeleton, every word but
  one must keep its phonetic key, an uncommon word may carry an article its
  stored word lacks (الأرقم نجاتي), names of three words or more may have one word
  respelled beyond recognition, and a two-word name whose first word is (لودويج
  تشارلز for لودفيغ تشارلز) is found from its second; one whose first word is as
  stored (and no function word) and whose second, a rare word that looks like a name,
  is respelled beyond its skeleton (جيمس ماثيس for جيمس ماتيس) is looked up whole;
* **spacing**: one word spelling a stored name of two (بيونغيانغ), two words
  spelling a stored name of one;
* a word stored nowhere is a candidate only when it is *rare* (not a common
  word, see below) and a stored word *sounds like* it: same phonetic key or
  consonant skeleton (:meth:`glossary.matching.Matcher.sounds_like`).

Every candidate that is not a stored spelling is scored by
:meth:`glossary.matching.Matcher.search` itself, on the span's text: a span of
text and a ``lookup`` of that span agree on the entity and the score.

The precision guard
-------------------
Many names are ordinary words (على / علي "Ali", رئيس "Rais", صور "Tyre").  A
mention of one word standing alone needs evidence:

* its spelling's ``alone`` setting: ``'always'`` (always a mention), ``'never'``
  (only inside a longer name);
* otherwise how common the word is (:mod:`glossary.common_words`, wordfreq's
  Zipf frequency of the word as written and of its core): a word at least as
  common as :data:`~glossary.common_words.FUNCTION_ZIPF` (function words,
  the commonest nouns and verbs) is not a name on its own; a spelling from a
  bulk import (``curated`` false) must not be a common word
  (:data:`~glossary.common_words.COMMON_ZIPF`) either;
* a word behind a proclitic that is commoner as written than its core (with the article
  the core has: بالقاهرة, القاهرة) is that word, whoever stored the name: بيان "statement"
  is not ب + يان (Ian);
* a definite nisba word (ال…ي، ال…ية: الدولية، المصري) right after a definite word is an
  adjective agreeing with it (المنظمة الدولية، الحكومة المصرية), not a name;
* a word not stored that is a place's name with the nisba ending (التشيكي، سريلانكي from التشيك،
  سريلانكا), or a place stored without the article written with it and its own final ي (المالي),
  is the place's adjective, not the place (``Recognizer._place_adjective``);
* a title before it (:data:`TITLES`: الرئيس، وزير، الزعيم …) rescues a common word
  from a bulk import, if its letters look like a name's (:mod:`glossary.name_likeness`:
  رئيس الوزراء is no name);
* a spelling stored nowhere must be rare, and look more like a name than like an
  ordinary word, or differ from a stored spelling only within a sound class
  (:data:`SAME_SOUNDS_SCORE`);
* a spelling stored nowhere is not taken for a name whose spelling says ``alone =
  'stored'`` (whatever its length): only its stored spellings, up to orthography, are
  found in running text, while ``lookup`` answers respellings within one sound class
  (:data:`~glossary.matching.SAME_SOUNDS_SCORE`).  The bundled news lists' small places
  are stored so (``scripts/build_news.py``: ten thousand places under a million people,
  whose respellings collide with ordinary words: الجارين "the neighbours" is not غريان
  Gharyan); a user's own bulk import is not;
* a word just above the common threshold
  (:data:`~glossary.common_words.NAMELIKE_ZIPF`: names often written in news, أدامز
  Adams, أجاثا Agatha) may still be a name, stored in bulk or not, when its letters
  look like a name's;
* a common word from a bulk import is a name on its own when it is common *because*
  it is the name: an English name of an entity it may be (canonical or stored: Trump
  beside Donald Trump) is nearly as common in English
  (:data:`~glossary.common_words.NAME_ZIPF_GAP`: روسيا Russia, اسكتلندا Scotland) and
  the word has none of the inflected forms a noun or verb has in common use (the article
  added or dropped, a verb's prefix and suffixes: الدولار for دولار, شاركت for شارك);
  behind a proclitic, only when the word as written is rarer than its core (ولندن, not
  وصل "arrived" as و + صل).

Names of two or more words need no more evidence, except that a function word in a
respelled one counts only written with the name's own letters (عبد الله in عبد الله اوغلان;
ما إن "as soon as" is no respelling of معن Ma'an, فإن رئيس none of آن رايس Anne Rice), and
that their first word behind a proclitic obeys the proclitic rule above (فتنة بين is not
ف + توني بين Tony Benn).  A span two entities match
equally well (the same score) is reported ``ambiguous``, for the entity ``lookup``
puts first, and never rewritten.

Of the candidates starting at one word, the longest wins; of one extent, a
stored spelling, then the best score once each letter read as a proclitic has
cost :data:`PROCLITIC_COST`, then the shortest proclitic.

Lookups left out
----------------
A lookup whose answer could change no mention is not made (the mentions are the same
with it: ``benchmarks/same_answers.py`` and the tests compare them):

* the other readings of a word one of whose readings is a stored spelling that may stand
  alone: of a word's one-word candidates, that one is always chosen;
* a common word whose spelling is stored with the article added or dropped (النصر for a
  stored نصر), when none of the entities storing it has a curated spelling or one marked
  ``'always'``: whatever the lookup finds could only be a name after a title, so it is
  looked up only there;
* of a spelling several entities store, the order lookup gives them (which entity is
  reported) is asked only for a mention chosen.

Rewriting
---------
A mention at or above the rewrite threshold (:data:`REWRITE_MIN_SCORE` unless
``min_score`` is given) is replaced by the entity's canonical Arabic spelling;
the proclitic is kept.  A short form (alias such as بوتين, لافروف) stays short:
it is rewritten to the matching part of the canonical name (شويجو → شويغو), not
expanded, unless ``expand_aliases`` is set.  When the mention and its
replacement have the same number of words, only the words are replaced and
whatever separated them in the text (a hyphen, quotes, a line break) is kept; a
stored longer wording that holds the canonical name as written (وكالة سبوتنيك)
is left as it is.  Everything outside the replaced spans is left untouched, so
normalizing twice gives the same text as normalizing once.  Latin-script
mentions of English names are reported (reason ``english``) but never rewritten.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import product
from typing import TYPE_CHECKING, Any, NamedTuple

from . import name_likeness
from .common_words import COMMON_ZIPF, FUNCTION_ZIPF, NAME_ZIPF_GAP, NAMELIKE_ZIPF, english_zipf
from .common_words import zipf_normalized as word_zipf
from .keys import alternate_spelling, deletions, own_alef_lam, strip_article, token_keys
from .matching import ALIAS_FACTOR, SAME_SOUNDS_SCORE, Hit, Matcher, gc_paused, prefetch
from .models import Mention, MentionInfo, NormalizeResult
from .normalize import DIACRITICS, INVISIBLE, Lang, has_arabic, normalize

if TYPE_CHECKING:
    from .store.index_file import IndexFile, Part

#: Default threshold for rewriting a mention (phonetic level and above: the
#: letters differ only within one sound class, or the spelling is stored).
REWRITE_MIN_SCORE = 90.0
#: Of two readings of one word, each letter read as a proclitic must buy this much score:
#: و، ب، ل are also the first letters of many names.
PROCLITIC_COST = 5.0
#: Default annotation: the text of the mention, then the English name.
DEFAULT_ANNOTATION = "{surface} ({english})"
#: Most separator characters between two words of one name (``"قاعدة "فوستوشني`` has two).
MAX_GAP = 3
#: Words that announce a name after them: a common word right after one of these
#: may be a name on its own (الرئيس عباس).  Titles and offices as Arabic news write them.
TITLES: frozenset[str] = frozenset(
    normalize(t, "ar")
    for t in (
        "الرئيس", "رئيس", "الرئيسة", "الزعيم", "زعيم", "الملك", "الملكة", "الأمير", "الأميرة", "الشيخ",
        "السيد", "السيدة", "الوزير", "وزير", "الوزيرة", "وزيرة", "المستشار", "المستشارة", "الجنرال",
        "العقيد", "اللواء", "العميد", "الدكتور", "الدكتورة", "النائب", "السفير", "المبعوث", "المتحدث",
        "الناطق", "القائد", "المدرب", "اللاعب", "الكاتب", "الفنان", "الرئيس التنفيذي", "السلطان",
        "الإمام", "البابا", "الكاردينال", "المطران", "القس", "الحاخام", "الأمين", "المدير", "المندوب",
    )
    if " " not in t
)

#: Proclitic combinations recognized before a name: conjunction (و ف),
#: preposition (ب ل ك), article (ال; ل + ال is written لل).
#: Maps the written prefix to ``(conjunction + preposition, has_article)``.
PROCLITICS: dict[str, tuple[str, bool]] = {}
for _conj, _prep, _art in product(("", "و", "ف"), ("", "ب", "ل", "ك"), (False, True)):
    _cp = _conj + _prep
    PROCLITICS[_cp + ("ل" if _prep == "ل" else "ال") if _art else _cp] = (_cp, _art)
#: Written prefixes, longest first (the empty one last).
_PREFIXES = sorted(PROCLITICS, key=len, reverse=True)

# --------------------------------------------------------------------------
# words
# --------------------------------------------------------------------------

_LETTER = (
    "A-Za-z0-9\u00c0-\u024f\u0621-\u063a\u0641-\u064a\u0660-\u0669\u066e-\u06d3\u06d5"
    "\u06ee-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
)
_MARKS = frozenset(DIACRITICS | INVISIBLE)
_INSIDE = re.escape("".join(sorted(_MARKS)))
#: A word: a letter or digit, then letters, digits, marks and invisible characters.
_WORD_RE = re.compile(f"[{_LETTER}][{_LETTER}{_INSIDE}]*")
#: What may separate two words of one name: spaces, hyphens, quotes, brackets, marks, one line break.
_GAP_CHARS = f" \\t\u00a0\u202f\\-\u2010-\u2015_\"'`´‘’‚‛“”„‟«»‹›()\\[\\]{{}}<>{_INSIDE}"
_GAP_RE = re.compile(f"[{_GAP_CHARS}]*(?:\r?\n)?[{_GAP_CHARS}]*")
_DIGITS_ONLY = re.compile(r"^[0-9\u0660-\u0669\u06f0-\u06f9]+$")


def _joinable(gap: str) -> bool:
    """Can two words separated by ``gap`` belong to one name?"""
    return 0 < len(gap) <= MAX_GAP and _GAP_RE.fullmatch(gap) is not None


class _Reading(NamedTuple):
    """One way to read a word: proclitic kept outside, then the name's first word."""

    skip: int  #: characters of the word before the mention (the kept prefix)
    skip_all: int  #: characters of the whole written prefix (the article too, for a name without one)
    prefix: str  #: the kept prefix, normalized (conjunction + preposition)
    art: bool  #: the article was read out of the written prefix (بال, لل …)
    query: str  #: the name's first word as a lookup gets it (article included when read)
    zipf: float  #: how common the core (the word without its proclitic) is
    sk: str  #: consonant skeleton of ``query`` (names of several words start from it)
    pk: str  #: phonetic key of ``query``
    #: ``query``'s alef-lam is written with a hamza or madda: the name's own, never the article
    #: (keys.own_alef_lam), which normalization no longer shows
    own_al: bool = False


@dataclass(slots=True)
class _Word:
    """What a word of running text can be, computed once per distinct word."""

    norm: str
    lang: str  #: "ar", "en", or "" (digits only: never a name on its own)
    zipf: float
    readings: list[_Reading]
    sk: str  #: consonant skeleton of the normalized word (names of several words are checked on it)
    pk: str  #: phonetic key of the normalized word
    rare: bool  #: neither the word nor any reading's core is a common word (Zipf < COMMON_ZIPF)
    uncommon: bool  #: ... nor one of the commoner words (Zipf < NAMELIKE_ZIPF)
    #: (pk, sk) of the word without its article (الغزالي for a stored غزالي), if it has one
    bare: tuple[str, str] | None = None
    #: the word is a title (:data:`TITLES`), as written or as one of its readings
    title: bool = False
    #: the word begins with an alef-lam written with a hamza or madda: the name's own, not the article
    own_al: bool = False
    #: what the word alone resolves to, per reporting threshold (computed when first needed)
    alone: dict[float, list[_Candidate]] = field(default_factory=dict)
    #: the readings a stored name of several words may start with (computed when first needed)
    starts: list[_Reading] | None = None
    #: per reporting threshold: True if the word can take part in no candidate whatever its
    #: neighbours (starts no name, ends no respelled two-word name, is not rare, alone resolves
    #: to nothing), so that a scan passes over it at once the next time it meets it
    quiet: dict[float, bool] = field(default_factory=dict)
    #: the thresholds at which ``alone`` holds a candidate not looked up yet (``_Candidate.pending``)
    pending: set[float] = field(default_factory=set)


def _letters_offset(word: str, letters: int) -> int:
    """Offset in ``word`` just past its first ``letters`` letters and the marks on them."""
    if letters == 0:
        return 0
    seen = 0
    for i, ch in enumerate(word):
        if ch in _MARKS:
            continue
        if seen == letters:
            return i
        seen += 1
    return len(word)


def _analyze(word: str) -> _Word:
    if _DIGITS_ONLY.match(word):
        return _Word(normalize(word, "en"), "", 0.0, [], "", "", False, False)
    arabic = has_arabic(word)
    lang: Lang = "ar" if arabic else "en"
    norm = normalize(word, lang)
    if not norm or " " in norm or norm == "ال":  # the article written apart is no name
        return _Word(norm, "", 0.0, [], "", "", False, False)
    z = word_zipf(norm) if arabic else 0.0
    keys = token_keys(norm)
    if not arabic:
        reading = _Reading(0, 0, "", False, norm, 0.0, keys.sk, keys.pk)
        return _Word(norm, lang, z, [reading], keys.sk, keys.pk, True, True)
    readings: list[_Reading] = []
    # the letters of a written prefix, as the text writes them (marks inside skipped)
    stripped = _unmarked(word)
    own_al = own_alef_lam(stripped)
    for written in _PREFIXES:
        if written and not (norm.startswith(written) and stripped.startswith(written)):
            continue
        core = norm[len(written):]
        if len(core) < 2:
            continue
        cp, art = PROCLITICS[written]
        if not art and cp.endswith("ل") and core.startswith("ال"):
            continue  # ل + ال is written لل: لالكرملين is no word
        core_zipf = word_zipf(core) if written else z
        whole = _letters_offset(word, len(written))
        if art:
            # بال + كرملين: the article belongs to the name; للكرملين: ل + الكرملين
            readings.append(_reading(_letters_offset(word, len(cp)), whole, cp, "ال" + core, core_zipf))
        else:
            k = keys if not written else token_keys(core)
            own = own_alef_lam(stripped[len(written):]) if written else own_al
            readings.append(_Reading(whole, whole, cp, False, core, core_zipf, k.sk, k.pk, own))
            if cp.endswith("ل") and core.startswith("ل") and len(core) > 3:
                # للجنة = ل + اللجنة (the article's alef and one lam are not written)
                readings.append(_reading(_letters_offset(word, len(cp)), whole, cp, "ال" + core, core_zipf))
    common = max([z, *(r.zipf for r in readings)])
    stripped_article = None if own_al else strip_article(norm)
    bare = None
    if stripped_article is not None:
        b = token_keys(stripped_article)
        bare = (b.pk, b.sk)
    title = norm in TITLES or any(r.query in TITLES for r in readings)
    return _Word(
        norm, lang, z, readings, keys.sk, keys.pk, common < COMMON_ZIPF, common < NAMELIKE_ZIPF, bare, title, own_al
    )


def _reading_at(w: _Word, skip: int) -> _Reading:
    """The reading of ``w`` whose mention starts ``skip`` characters in (its prefix, with or without the
    article); the word as written if none does."""
    found = next((r for r in w.readings if skip in (r.skip, r.skip_all)), None)
    return found if found is not None else _Reading(0, 0, "", False, w.norm, w.zipf, w.sk, w.pk, w.own_al)


def _commoner_as_written(w: _Word, reading: _Reading) -> bool:
    """Is a word read behind a proclitic a common word commoner as written than its core (counted with
    the article it has: بالقاهرة against القاهرة)?  Then it is that word: بيان "statement" is not ب + يان,
    كنت "I was" not ك + نت."""
    return w.zipf >= COMMON_ZIPF and w.zipf > max(reading.zipf, word_zipf(reading.query))


def _unmarked(text: str) -> str:
    """Text as written, without its marks (diacritics, tatweel, invisible characters)."""
    return "".join(ch for ch in text if ch not in _MARKS)


def _as_written(norm: str, own_al: bool) -> str:
    """A normalized word as a lookup must get it: with the hamza of its own alef-lam, which
    normalization folds away and the matcher reads in the spelling as written (see keys.own_alef_lam)."""
    return "أ" + norm[1:] if own_al else norm


def _lookup_text(r: _Reading, rest: Iterable[_Word] = ()) -> str:
    """The text a lookup of a span gets: reading ``r`` of its first word, then the ``rest`` of its words."""
    return " ".join([_as_written(r.query, r.own_al), *(_as_written(w.norm, w.own_al) for w in rest)])


def _inflects(word: str, own_al: bool) -> bool:
    """Has the word an inflected form in common use, as nouns and verbs have and names do not?
    (الأمير: أمير; دولار: الدولار; شارك "took part": شاركت، يشارك; not اسكتلندا، لندن)"""
    return any(word_zipf(f) >= COMMON_ZIPF for f in _inflected(word, own_al))


def _inflected(word: str, own_al: bool) -> list[str]:
    """Forms of an Arabic word a noun or verb takes and a name does not: the article added or dropped
    (not a name's own alef-lam: ألفريد), a verb's imperfect prefix, past-tense and plural suffixes
    after a final consonant (شاركت، شاركوا، شاركات; not سوريات, which a name ending in ا makes)."""
    out = ["ي" + word]
    if not own_al:
        out.append(word[2:] if word.startswith("ال") else "ال" + word)
    if word[-1:] not in _VOWEL_LETTERS:
        out += [word + "ت", word + "وا", word + "ات"]
    return out


_VOWEL_LETTERS = frozenset("اويه")


def _reading(skip: int, skip_all: int, prefix: str, query: str, zipf: float) -> _Reading:
    """A reading whose name starts with the article read out of the written prefix."""
    k = token_keys(query)
    return _Reading(skip, skip_all, prefix, True, query, zipf, k.sk, k.pk)


@dataclass(frozen=True, slots=True)
class NameRow:
    """A stored, approved spelling as the recognizer indexes it."""

    name_id: int
    entity_id: int
    text: str
    lang: str
    role: str
    norm: str
    alone: str | None = None  #: 'always', 'never', 'stored' (only as stored), or None (the guard decides)
    curated: bool = True  #: added or approved by a person (False: a bulk import)


# --------------------------------------------------------------------------
# the index
# --------------------------------------------------------------------------

_ROLE_RANK = {"canonical": 0, "variant": 1, "alias": 2}
#: A stored name of several words with each word's (phonetic key, skeleton).
_MultiName = tuple["NameRow", tuple[tuple[str, str], ...]]


@dataclass(slots=True, eq=False)
class _Entry:
    name: NameRow
    score: float
    rank: tuple[float, int, int]


def _entry(name: NameRow) -> _Entry:
    score = 100.0 * (ALIAS_FACTOR if name.role == "alias" else 1.0)
    return _Entry(name, score, (-score, _ROLE_RANK.get(name.role, 3), name.entity_id))


def _row_encode(n: NameRow) -> tuple[Any, ...]:
    return (n.name_id, n.entity_id, n.text, n.lang, n.role, n.norm, n.alone, n.curated)


def _row_decode(v: tuple[Any, ...]) -> NameRow:
    return NameRow(*v)


def _multi_encode(names: list[_MultiName]) -> list[tuple[int, tuple[tuple[str, str], ...]]]:
    return [(nm.name_id, keys) for nm, keys in names]


def _multi_decode(v: list[tuple[int, tuple[tuple[str, str], ...]]], names: dict[int, NameRow]) -> list[_MultiName]:
    return [(names[i], keys) for i, keys in v if i in names]


def _trusted(name: NameRow) -> bool:
    """May a match on this spelling stand alone even as a common word (see Recognizer._alone_ok)?"""
    return name.curated or name.alone == "always"


def _pair_key(key: tuple[int, str]) -> str:
    return f"{key[0]}|{key[1]}"


@dataclass(slots=True)
class _Candidate:
    first: int  #: index of the first word
    last: int  #: index of the last word
    skip: int  #: characters of the first word kept outside (the prefix)
    prefix: str
    info: MentionInfo
    name: NameRow | None  #: the stored spelling matched (its alone/curated settings)
    needs_context: bool = False  #: a one-word name that is a common word: only after a title
    attributive: bool = False  #: ال + a nisba ending (الدولية، المصري): an adjective after a definite word
    #: not looked up yet: a reading whose candidate, whatever the lookup finds, could only stand after a title,
    #: with the entities it must resolve to (see Recognizer._needs_title); resolved where a title precedes it
    pending: tuple[_Reading, frozenset[int]] | None = None
    #: a stored spelling of several entities reported as the first of them until chosen: the arguments
    #: of Recognizer._info_of_entries that put them in lookup's order (see Recognizer._settled)
    ties: tuple[list[_Entry], str, str] | None = None


#: The info of a candidate not looked up yet (never reported: resolved or dropped in ``_candidates``).
_PENDING = MentionInfo(0, "", "", 0.0, "", False)


class Recognizer:
    """The running-text index of one glossary state (see the module doc)."""

    def __init__(
        self,
        names: Iterable[NameRow],
        entities: dict[int, tuple[str, str, str]],
        matcher: Matcher,
    ) -> None:
        self.entities = entities
        self.matcher = matcher
        self._names: dict[int, NameRow] = {}
        self._exact: dict[str, list[_Entry]] = {}  # normalized spelling -> its entries, best first
        # names of several words: first word's skeleton -> number of words -> skeletons of the
        # other words (with names of three words or more, also with any one of them "*": a word
        # respelled beyond its skeleton) -> the names, with each word's (pk, sk)
        self._multi: dict[str, dict[int, dict[tuple[str, ...], list[_MultiName]]]] = {}
        self._seconds: dict[str, set[str]] = {}  # first word's skeleton -> second words' skeletons
        self._by_second: dict[str, list[_MultiName]] = {}  # two-word names by their second word's skeleton
        self._thirds: dict[str, set[str]] = {}  # ... -> third words' (names of three words or more)
        self._joined: set[str] = set()  # skeletons of names of several words written as one word
        self._single_sk: set[str] = set()  # sk of one-word Arabic spellings (two words spelling one)
        #: entity -> how many of its spellings may stand alone as a common word (curated, or marked 'always')
        self._trusted: dict[int, int] = {}
        self.spellings: dict[tuple[int, str], set[str]] = {}  # (entity, lang) -> texts
        self.aliases: dict[tuple[int, str], list[str]] = {}
        self._words: dict[str, _Word] = {}
        self._resolved: dict[tuple[str, float], tuple[Hit, ...]] = {}
        self._shorts: dict[int, str] = {}
        self._gaps: dict[str, bool] = {}
        self._ties: dict[str, list[int]] = {}
        self._pairs: dict[tuple[str, str], bool] = {}  # two words: do they spell a stored one-word name?
        # (first word, second word, threshold) -> two-word names found with the first word respelled
        self._second_cache: dict[tuple[str, str, float], list[tuple[int, str, MentionInfo, NameRow | None]]] = {}
        # ... and with the second respelled beyond its skeleton (see _first_candidates): its lookup, if one
        self._first_cache: dict[tuple[str, str, float], tuple[MentionInfo, NameRow | None] | None] = {}
        #: first word -> the keys of the second words of the two-word names it starts (see _near_a_second)
        self._seconds_near: dict[str, tuple[set[tuple[str, str]], set[str]]] = {}
        self._looks: Any = None
        self._likeness: dict[str, float] = {}  # word -> looks_like_a_name (the guard asks again per reading)
        self._settled_info: dict[tuple[str, str], MentionInfo] = {}  # (spelling, surface) -> see _settled
        #: moves whenever what the recognizer finds may have changed (a caller's cache keys on it)
        self.generation = 0
        with gc_paused():
            for name in names:
                if name.entity_id in entities and name.norm:
                    self._add(name)
            for entries in self._exact.values():
                entries.sort(key=lambda e: e.rank)
        by_alias = {k: v for k, v in self.aliases.items() if k[1] == "ar"}
        for nid, name in self._names.items():
            if name.role == "alias" and name.lang == "ar":
                canonical = entities[name.entity_id][1]
                self._shorts[nid] = _short_form(name.text, canonical, by_alias.get((name.entity_id, "ar"), []))
        #: every normalized word of every stored spelling (the TM treats them as cheap to change)
        self.vocabulary: set[str] = {w for n in self._names.values() for w in n.norm.split()}
        if any(n.lang == "ar" for n in self._names.values()):
            self.looks_like_a_name("")  # its models are part of the index

    # ------------------------------------------------------------------ the index file
    #: containers written to the index file: (attribute, kind, encode value, decode value, encode key)
    def _persisted(self) -> list[tuple[str, str, Any, Any, Any]]:
        names = self._names
        multi_enc = _multi_encode
        return [
            ("entities", "dict", None, None, None),
            ("_names", "dict", _row_encode, _row_decode, None),
            ("_exact", "dict", lambda es: [e.name.name_id for e in es],
             lambda ids: [_entry(names[i]) for i in ids if i in names], None),
            ("_multi", "dict", lambda by: {k: {r: multi_enc(v) for r, v in t.items()} for k, t in by.items()},
             lambda by: {k: {r: _multi_decode(v, names) for r, v in t.items()} for k, t in by.items()}, None),
            ("_seconds", "dict", None, None, None),
            ("_by_second", "dict", multi_enc, lambda v: _multi_decode(v, names), None),
            ("_thirds", "dict", None, None, None),
            ("_joined", "set", None, None, None),
            ("_single_sk", "set", None, None, None),
            ("_trusted", "dict", None, None, None),
            ("spellings", "dict", None, None, _pair_key),
            ("aliases", "dict", None, None, _pair_key),
            ("_shorts", "dict", None, None, None),
            ("vocabulary", "set", None, None, None),
        ]

    def index_parts(self) -> list[Part]:
        """Every container of the recognizer, for :meth:`glossary.store.index_file.IndexFile.write`."""
        self.looks_like_a_name("")  # built whatever the glossary holds: names may be added later
        parts: list[Part] = [
            (f"r{attr}", getattr(self, attr), enc, kenc) for attr, _, enc, _, kenc in self._persisted()
        ]
        return parts + self._looks.parts("r.looks")

    @classmethod
    def from_index(cls, index: IndexFile, matcher: Matcher) -> Recognizer:
        """The recognizer an index file holds, read lazily (see :mod:`glossary.store.index_file`)."""
        from .store.index_file import LazyDict, LazySet

        r = cls([], {}, matcher)
        r._names = LazyDict(index, "r_names", _row_decode, _row_encode)
        for attr, kind, enc, dec, kenc in r._persisted():
            if attr == "_names":
                continue
            ns = f"r{attr}"
            lazy: Any = LazySet(index, ns, kenc) if kind == "set" else LazyDict(index, ns, dec, enc, kenc)
            if attr == "_exact":
                lazy.before_decode = r._read_names
            setattr(r, attr, lazy)
        r._looks = name_likeness.NameLikeness.from_index(index, "r.looks")
        return r

    def _read_names(self, entries: list[list[int]]) -> None:
        """Read the spellings of these :attr:`_exact` entries (ids) and their entities together."""
        ids = [i for ids in entries for i in ids]
        prefetch(self._names, ids)
        owners = [self._names[i].entity_id for i in ids if i in self._names]
        prefetch(self.entities, owners)
        prefetch(self._trusted, owners)

    def add(self, names: Iterable[NameRow], entities: dict[int, tuple[str, str, str]]) -> None:
        """Index spellings added since the index was built (their entities' display fields too)."""
        for eid, info in entities.items():  # item by item: a lazily read dict must see each write
            self.entities[eid] = info
        new = [n for n in names if n.entity_id in self.entities and n.norm]
        for name in new:
            if name.name_id in self._names:
                self.remove(name.name_id)
        with gc_paused():
            for name in new:
                fresh = [w for w in name.norm.split() if w not in self.vocabulary]
                self._add(name)
                for w in fresh:
                    self.vocabulary.add(w)
                    if name.lang == "ar" and self._looks is not None:
                        self._looks.add(w)
            for name in new:
                self._exact[name.norm].sort(key=lambda e: e.rank)
        for name in new:
            if name.role == "alias" and name.lang == "ar":
                canonical = self.entities[name.entity_id][1]
                aliases = self.aliases.get((name.entity_id, "ar"), [])
                self._shorts[name.name_id] = _short_form(name.text, canonical, aliases)
        self.clear_caches()

    def remove(self, name_id: int) -> None:
        """Forget one spelling (unknown ids are ignored).  The prefilters (the sets of skeletons
        that may start or continue a name) keep its keys: a candidate they let through is
        still looked up in the tables below, which no longer hold it."""
        name = self._names.get(name_id)
        if name is None:
            return
        self._forget_multi(name)
        self._names.pop(name_id)
        if _trusted(name):
            left = self._trusted.get(name.entity_id, 0) - 1
            if left > 0:
                self._trusted[name.entity_id] = left
            else:
                self._trusted.pop(name.entity_id, None)
        pair = (name.entity_id, name.lang)
        texts = self.spellings.get(pair)
        if texts is not None:
            texts.discard(name.text)
            self.spellings[pair] = texts
        if name.role == "alias":
            aliases = self.aliases.get(pair)
            if aliases is not None and name.text in aliases:
                aliases.remove(name.text)
                self.aliases[pair] = aliases
        self._shorts.pop(name_id, None)
        entries = self._exact.get(name.norm)
        if entries is not None:
            kept = [e for e in entries if e.name.name_id != name_id]
            if kept:
                self._exact[name.norm] = kept
            else:
                self._exact.pop(name.norm)
        self.clear_caches()

    def _forget_multi(self, name: NameRow) -> None:
        """Take a name of several words out of the tables that find it by its words' skeletons."""
        name_id = name.name_id
        words = name.norm.split()
        if len(words) > 1:
            keys = [token_keys(w) for w in words]
            firsts = {keys[0].sk}
            bare = strip_article(words[0]) if name.lang == "ar" else None
            if bare is not None:
                firsts.add(token_keys(bare).sk)
            for first in firsts:
                by_size = self._multi.get(first)
                if by_size is None:
                    continue
                for table in by_size.values():
                    for rest in list(table):
                        table[rest] = [m for m in table[rest] if m[0].name_id != name_id]
                self._multi[first] = by_size
            if len(words) == 2:
                second = keys[1].sk
                lst = self._by_second.get(second)
                if lst is not None:
                    self._by_second[second] = [m for m in lst if m[0].name_id != name_id]

    def set_entity(self, entity_id: int, info: tuple[str, str, str]) -> None:
        """An entity's English, Arabic or kind changed: mentions report the new ones."""
        if entity_id in self.entities:
            self.entities[entity_id] = info
            self.clear_caches()

    def _add(self, name: NameRow) -> None:
        self._names[name.name_id] = name
        if _trusted(name):
            self._trusted[name.entity_id] = self._trusted.get(name.entity_id, 0) + 1
        self.spellings.setdefault((name.entity_id, name.lang), set()).add(name.text)
        if name.role == "alias":
            self.aliases.setdefault((name.entity_id, name.lang), []).append(name.text)
        self._exact.setdefault(name.norm, []).append(_entry(name))
        words = tuple(name.norm.split())
        if len(words) == 1:
            if name.lang == "ar":
                self._single_sk.add(token_keys(words[0]).sk)
            return
        keys = tuple((k.pk, k.sk) for k in map(token_keys, words))
        self._add_multi(name, keys)
        bare = strip_article(words[0]) if name.lang == "ar" else None
        if bare is not None:
            k = token_keys(bare)
            self._add_multi(name, ((k.pk, k.sk), *keys[1:]))
        if name.lang == "ar":
            self._joined.add(token_keys("".join(words)).sk)

    def looks_like_a_name(self, word: str) -> float:
        """:class:`~glossary.name_likeness.NameLikeness` of a normalized word against this glossary's names."""
        if self._looks is None:
            self._looks = name_likeness.NameLikeness(
                t for n in self._names.values() if n.lang == "ar" for t in n.norm.split()
            )
        got = self._likeness.get(word)
        if got is None:
            if len(self._likeness) > 500_000:
                self._likeness.clear()
            got = self._likeness[word] = self._looks(word)
        return got

    def _namelike(self, word: str) -> bool:
        """Do a word's letters look more like a name's than like an ordinary word's
        (:data:`~glossary.name_likeness.NAMELIKE_BAR`)?"""
        return self.looks_like_a_name(word) >= name_likeness.NAMELIKE_BAR

    @property
    def size(self) -> int:
        """How many spellings the recognizer holds (0: it finds nothing)."""
        return len(self._names)

    def _add_multi(self, name: NameRow, keys: tuple[tuple[str, str], ...]) -> None:
        by_size = self._multi.setdefault(keys[0][1], {}).setdefault(len(keys), {})
        rest = tuple(k[1] for k in keys[1:])
        self._seconds.setdefault(keys[0][1], set()).add(rest[0])
        if len(keys) == 2:  # a two-word name whose first word is respelled beyond its skeleton
            self._by_second.setdefault(rest[0], []).append((name, keys))
        if len(keys) >= 3:
            self._thirds.setdefault(keys[0][1], set()).add(rest[1])
        by_size.setdefault(rest, []).append((name, keys))
        if len(keys) >= 3:
            for j in range(len(rest)):
                by_size.setdefault((*rest[:j], "*", *rest[j + 1 :]), []).append((name, keys))

    # ------------------------------------------------------------------ caches
    def clear_caches(self) -> None:
        """Forget every analysed word and matcher answer (the next pass is a first pass)."""
        self.generation += 1
        self._words.clear()
        self._resolved.clear()
        self._gaps.clear()
        self._ties.clear()
        self._pairs.clear()
        self._second_cache.clear()
        self._first_cache.clear()
        self._seconds_near.clear()
        self._likeness.clear()
        self._settled_info.clear()

    @property
    def matcher_calls(self) -> int:
        """Distinct spans scored by the matcher since the last :meth:`clear_caches`."""
        return len(self._resolved)

    def _word(self, word: str) -> _Word:
        w = self._words.get(word)
        if w is None:
            if len(self._words) > 500_000:
                self._words.clear()
            w = self._words[word] = _analyze(word)
        return w

    # ------------------------------------------------------------------ resolving spans
    def _info_of_entries(
        self, entries: list[_Entry], surface: str, query: str, settle: bool = True
    ) -> tuple[MentionInfo, NameRow, bool]:
        """A stored spelling: its entity (lookup's first when several share it), score and reason.

        Without ``settle``, spellings of several entities that score 99 or more whose order is not
        known yet are reported as the first of them, and the third item is True: which one lookup puts
        first changes nothing but the entity reported (its score, reason class and the guard's settings
        are those of all of them), so it is asked only for a candidate chosen (:meth:`_settled`).
        """
        best = entries[0]
        top = [e for e in entries if e.score == best.score]
        ambiguous = len({e.name.entity_id for e in top}) > 1
        order: list[int] | None = None
        if ambiguous:
            # equally good spellings of several entities: the order lookup gives them
            order = self._ties.get(query)
            if order is None and (settle or best.score < 99.0):  # (an alias's score is its entity's)
                order = self._ties[query] = self.matcher.order_ties(
                    query, [e.name.name_id for e in top], best.score
                )
            if order:
                best = next((e for e in top if e.name.entity_id == order[0]), best)
        name = best.name
        score = best.score
        if score < 99.0:  # an alias (95): lookup checks it against the English name, as any match below 99
            hits = self._search(query, 0.0)
            hit = next((h for h in hits if h.entity_id == name.entity_id), None)
            if hit is not None:
                score = hit.score
        if ambiguous:  # the guard judges the spelling: what any of its owners says for it
            alones = {e.name.alone for e in top}
            alone = "always" if "always" in alones else alones.pop() if len(alones) == 1 else None
            name = NameRow(name.name_id, name.entity_id, name.text, name.lang, name.role, name.norm,
                           alone, any(e.name.curated for e in top))
        if name.role == "alias":
            reason = "alias"
        elif name.lang == "en":
            reason = "exact" if surface == name.text else "english"
        else:
            reason = "exact" if surface == name.text else "orthographic"
        eng, ara, kind = self.entities[name.entity_id]
        info = MentionInfo(name.entity_id, eng, ara, score, reason, True, name.lang,
                           self._shorts.get(name.name_id), ambiguous, kind)
        return info, name, ambiguous and order is None

    def _settled(self, c: _Candidate) -> _Candidate:
        """A chosen candidate with the entity lookup puts first among those its stored spelling names."""
        if c.ties is None:
            return c
        entries, surface, query = c.ties
        info = self._settled_info.get((query, surface))
        if info is None:
            info = self._settled_info[query, surface] = self._info_of_entries(entries, surface, query)[0]
        return replace(c, info=info, ties=None)

    def _search(self, query: str, floor: float) -> tuple[Hit, ...]:
        """The matcher's two best hits for ``query`` (normalized, each word :func:`_as_written`)."""
        key = (query, floor)
        hits = self._resolved.get(key)
        if hits is None:
            hits = self._resolved[key] = tuple(self.matcher.search(query, limit=2, min_score=floor))
        return hits

    def _info_of_hits(self, hits: tuple[Hit, ...]) -> tuple[MentionInfo, NameRow | None] | None:
        if not hits or hits[0].entity_id not in self.entities:
            return None
        top = hits[0]
        ambiguous = len(hits) > 1 and hits[1].score == top.score
        name = self._names.get(top.name_id)
        stored = name is not None and top.score >= 100.0 and top.reason in ("exact", "orthographic", "english")
        eng, ara, kind = self.entities[top.entity_id]
        lang = name.lang if name is not None else ("ar" if has_arabic(top.matched) else "en")
        short = self._shorts.get(top.name_id) if top.reason == "alias" else None
        info = MentionInfo(top.entity_id, eng, ara, top.score, top.reason, stored, lang, short, ambiguous, kind)
        return info, name

    # ------------------------------------------------------------------ candidates
    def _candidates(
        self, text: str, spans: list[tuple[int, int]], words: list[_Word], floor: float
    ) -> list[_Candidate]:
        """Every scored span worth reporting, before overlaps are settled."""
        out: list[_Candidate] = []
        n = len(words)
        gaps = self._gaps
        joinable: list[bool | None] = [None] * n

        def join(i: int) -> bool:
            """Can words ``i`` and ``i + 1`` belong to one name?"""
            ok = joinable[i]
            if ok is None:
                gap = text[spans[i][1] : spans[i + 1][0]]
                ok = gaps.get(gap)
                if ok is None:
                    ok = gaps[gap] = _joinable(gap)
                joinable[i] = ok
            return ok

        multi = self._multi
        for i, w in enumerate(words):
            if not w.readings or w.quiet.get(floor):
                continue
            starts = w.starts
            if starts is None:
                starts = w.starts = [r for r in w.readings if r.sk in multi]
                if w.bare is not None and w.uncommon and w.bare[1] in multi:
                    # الأرقم نجاتي for a stored أرقم نجاتي: the name looked up as written
                    starts.append(_Reading(0, 0, "", False, w.norm, w.zipf, w.bare[1], w.bare[0]))
            if i + 1 < n:
                # names of several words starting here: the second word's skeleton (as written, or
                # an uncommon word's without its article), or the second respelled and the third's
                if starts:
                    nxt = words[i + 1]
                    bare_sk = nxt.bare[1] if nxt.bare is not None and nxt.uncommon else None
                    third = words[i + 2].sk if i + 2 < n else ""
                    for r in starts:
                        seconds = self._seconds[r.sk]
                        if (
                            (nxt.sk in seconds or bare_sk in seconds or third in self._thirds.get(r.sk, ()))
                            and join(i)
                        ):
                            out.extend(self._multi_candidates(text, spans, words, join, i, r, floor))
                        elif (
                            nxt.rare and nxt.lang == "ar" and r.zipf < FUNCTION_ZIPF and join(i)
                            and self._namelike(nxt.norm)
                        ):
                            out.extend(self._first_candidates(i, r, nxt, floor))
                # two rare words spelling a stored name of one (بيونغ يانغ / بيونغيانغ)
                nxt = words[i + 1]
                if w.rare and nxt.rare and w.lang == "ar" and nxt.lang == "ar" and join(i):
                    for r in w.readings:
                        pair = self._pairs.get((r.query, nxt.norm))
                        if pair is None:
                            pair = self._pairs[(r.query, nxt.norm)] = (
                                token_keys(r.query + nxt.norm).sk in self._single_sk
                            )
                        if pair:
                            res = self._info_of_hits(self._search(_lookup_text(r, (nxt,)), floor))
                            if res is not None:
                                out.append(_Candidate(i, i + 1, r.skip, r.prefix, res[0], res[1]))
            # a two-word name whose first word (rare) is respelled beyond its skeleton: لودويج تشارلز
            second = w.lang == "ar" and w.sk in self._by_second
            if i and second and words[i - 1].rare and join(i - 1):
                out.extend(self._second_candidates(text, spans, words, i, floor))
            # the word alone (what it resolves to depends on the word only: cached on it)
            alone = w.alone.get(floor)
            if alone is None:
                alone = w.alone[floor] = self._alone(text[spans[i][0] : spans[i][1]], w, floor)
                w.quiet[floor] = not (starts or second or w.rare or alone)
                if any(c.pending is not None for c in alone):
                    w.pending.add(floor)
            if floor in w.pending:
                titled = i > 0 and words[i - 1].title and join(i - 1)
                alone = self._resolve(alone, text[spans[i][0] : spans[i][1]], w, floor, titled)
            if alone and i and words[i - 1].norm.startswith("ال") and words[i - 1].zipf < FUNCTION_ZIPF and join(i - 1):
                # ال + nisba right after a definite word is an adjective: المنظمة الدولية، الحكومة المصرية
                # (not after إلى, إلا, normalized الي، الا: function words, no nouns: إلى السعودية)
                alone = [c for c in alone if not c.attributive]
            for c in alone:
                out.append(_Candidate(i, i, c.skip, c.prefix, c.info, c.name, c.needs_context, ties=c.ties))
        # a respelling nobody stored of a spelling found only as stored (the bundled news lists)
        return [
            c for c in out
            if (c.info.stored or c.name is None or c.name.alone != "stored")
            and (c.first == c.last or self._words_kept(c, text, spans, words))
        ]

    @staticmethod
    def _words_kept(c: _Candidate, text: str, spans: list[tuple[int, int]], words: list[_Word]) -> bool:
        """May the words of a candidate of several words be read as that name?

        * Its first word behind a proclitic is not a common word commoner as written than its core
          (:func:`_commoner_as_written`): فتنة بين is not ف + Tony Benn, as بيان alone is not ب + Ian.
        * In a respelled name, every function word (في، من، إن، على: Zipf
          :data:`~glossary.common_words.FUNCTION_ZIPF` or more, never a name alone) is a word of the
          name as stored, written with the same letters (the hamza and the final ى told apart, only
          marks dropped): عبد الله اوغلان keeps الله, but على شن is not Ella Chen (علي), فإن رئيس not
          Anne Rice (آن) and أي لاعب من not Lee Tae-min (إي تاي من).
        """
        first = _reading_at(words[c.first], c.skip)
        if c.skip and _commoner_as_written(words[c.first], first):
            return False
        if c.info.stored or c.name is None:
            return True
        # (composed first: a hamza written as a mark on its alef is the same letter)
        own = {_unmarked(unicodedata.normalize("NFC", w)) for w in _WORD_RE.findall(c.name.text)}
        for k in range(c.first, c.last + 1):
            zipf = first.zipf if k == c.first else words[k].zipf
            if zipf >= FUNCTION_ZIPF:
                start = spans[k][0] + (c.skip if k == c.first else 0)
                if _unmarked(unicodedata.normalize("NFC", text[start : spans[k][1]])) not in own:
                    return False
        return True

    def _resolve(
        self, alone: list[_Candidate], token: str, w: _Word, floor: float, titled: bool
    ) -> list[_Candidate]:
        """A word's candidates with those not looked up yet looked up after a title, dropped elsewhere
        (they would only wait for one: see :meth:`_needs_title`), in their place."""
        out: list[_Candidate] = []
        for c in alone:
            if c.pending is None:
                out.append(c)
            elif titled:
                self._owned(out, token, w, c.pending[0], floor, c.pending[1])
        return out

    def _alone(self, token: str, w: _Word, floor: float) -> list[_Candidate]:
        """What one word resolves to on its own, one candidate per reading (word indexes left 0)."""
        stored = [self._stored_reading(token, w, r, floor) for r in w.readings]
        settled = self._stands_alone(stored)
        out: list[_Candidate] = []
        for r, found in zip(w.readings, stored, strict=True):
            if found is not None:
                out += found
            elif not settled:
                self._looked_up(out, token, w, r, floor)
        return out

    @staticmethod
    def _stands_alone(stored: list[list[_Candidate] | None]) -> bool:
        """Is one of a word's stored spellings (candidates of its readings) always chosen over its other readings?

        A stored spelling the guard lets stand alone is: of the one-word candidates of a word, _settle
        puts stored spellings first and takes the first that needs no title, and _candidates drops none
        of them except an attributive adjective after a definite word.  The other readings' candidates
        could then never be chosen, and are not looked up.
        """
        return any(not c.needs_context and not c.attributive for found in stored if found for c in found)

    def _stored_reading(self, token: str, w: _Word, r: _Reading, floor: float) -> list[_Candidate] | None:
        """The candidate of a reading that is a stored spelling (none below ``floor``); None: it is not one."""
        first = r.query
        entries = self._exact.get(first)
        if entries is None:
            return None
        out: list[_Candidate] = []
        surface = _trim(token[r.skip :])
        info, name, unsettled = self._info_of_entries(entries, surface, first, settle=False)
        if info.score >= floor:
            self._keyed(out, token, w, r, (info, name), (entries, surface, first) if unsettled else None)
        return out

    def _looked_up(self, out: list[_Candidate], token: str, w: _Word, r: _Reading, floor: float) -> None:
        """Add the candidate of a reading stored nowhere as written, if the matcher finds one worth it."""
        first = r.query
        # a stored spelling with the article added or dropped (والعقاد: وال + عقاد; قصر كرملين)
        other = (first[2:] if r.art else "ال" + first) if w.lang == "ar" and len(first) >= 3 else ""
        # without the article a common word is that word (دولي، شرق، رأي for الدولي، الشرق، الرأي)
        owners = self._exact.get(other) if r.art or r.zipf < COMMON_ZIPF else None
        if owners is not None:
            entities = frozenset(e.name.entity_id for e in owners)
            if self._needs_title(w, r, entities):  # looked up only where a title precedes the word
                out.append(_Candidate(0, 0, r.skip, r.prefix, _PENDING, None, True, pending=(r, entities)))
            else:
                self._owned(out, token, w, r, floor, entities)
            return
        # a rare word that sounds like a stored spelling (see "The precision guard")
        if not w.uncommon or w.lang != "ar" or len(first) < 3:
            return
        spaced = r.sk in self._joined or (r.art and token_keys(first[2:]).sk in self._joined)
        namelike = spaced or self._namelike(first)
        if not (w.rare or namelike):
            return  # a word seen once per million words or more must look like a name
        # a rare word that looks like a name is looked up even when no stored Arabic spelling
        # sounds like it: its English name may (ماتارازو Matarazzo, through the transliteration model)
        if spaced or (w.rare and namelike) or self.matcher.sounds_like(first, same_sounds=not namelike):
            # a word that does not look like a name counts only as the same sounds: the matcher
            # is asked for nothing less (it then skips what cannot score that much)
            res = self._info_of_hits(
                self._search(_lookup_text(r), floor if namelike else max(floor, SAME_SOUNDS_SCORE))
            )
            self._keyed(out, token, w, r, res)

    def _owned(
        self, out: list[_Candidate], token: str, w: _Word, r: _Reading, floor: float, entities: frozenset[int]
    ) -> None:
        """Add the candidate of a reading whose spelling is stored with the article added or dropped,
        if the lookup of the reading finds one of the entities that store it."""
        res = self._info_of_hits(self._search(_lookup_text(r), floor))
        if res is not None and res[0].entity_id in entities:
            self._keyed(out, token, w, r, res)

    def _needs_title(self, w: _Word, r: _Reading, entities: frozenset[int]) -> bool:
        """Could the candidate :meth:`_owned` gives this reading only stand after a title, whatever its lookup finds?

        Its hit is a spelling of one of ``entities`` (or there is no candidate), and every spelling the
        recognizer holds, the one a hit names included, is counted in :attr:`_trusted` when it is curated or
        marked 'always' (the matcher and the recognizer index the same approved spellings; one with no
        normalized form has no token and is never a hit).  With none counted for ``entities``, :meth:`_alone_ok`
        of the candidate is :meth:`_guard` of the word, not curated, with the article kept in the name or
        left in the prefix (``r.skip`` or ``r.skip_all``, as :meth:`_keyed` chooses by the hit), or False
        ('never').  When neither says True, the candidate needs a title before the word: elsewhere
        :meth:`_settle` drops it without looking at what it found.
        """
        if w.lang != "ar" or any(self._trusted.get(e, 0) for e in entities):
            return False
        return all(self._guard(w, skip, False, entities) is not True for skip in (r.skip, r.skip_all))

    def _keyed(
        self, out: list[_Candidate], token: str, w: _Word, r: _Reading,
        res: tuple[MentionInfo, NameRow | None] | None, ties: tuple[list[_Entry], str, str] | None = None,
    ) -> None:
        """Add the candidate of a resolved word, if the precision guard lets it be one."""
        if res is None:
            return
        info, name = res
        skip = r.skip
        if r.art and name is not None and not name.norm.startswith("ال"):
            skip = r.skip_all  # وال + عقاد: the article stays with the prefix
        if not info.stored and info.kind == "place" and self._place_adjective(r.query, info.entity_id):
            return
        c = _Candidate(0, 0, skip, r.prefix, info, name, ties=ties)
        ok = self._alone_ok(c, w, token)
        if ok is not False:
            c.needs_context = ok is None
            c.attributive = (
                not r.prefix and r.query.startswith("ال") and r.query.endswith(("ي", "يه")) and len(r.query) >= 5
                and (name is None or name.alone != "always")
            )
            out.append(c)

    def _place_adjective(self, query: str, entity: int) -> bool:
        """Is ``query`` (a word not stored) the nisba adjective of place ``entity`` rather than a spelling of it?

        The adjective is the place's name with ي (ية) for its ending ا or يا, or after its last letter:
        (ال)تشيكي from التشيك، إندونيسي from إندونيسيا، سريلانكي from سريلانكا، أرجنتيني from الأرجنتين.  It sounds
        like the place (a lookup of it answers the place), and is "the Czech", not Czechia.  A place
        stored without the article and written with it, with its own final ي, is the adjective too
        (المالي: "the Malian", or "the financial", never Mali).
        """
        stem = query[:-2] if query.endswith("يه") else query[:-1] if query.endswith("ي") else ""
        bare = strip_article(stem) or stem
        if len(bare) < 2:
            return False
        forms = {bare, bare + "ا", bare + "يا"}
        for text in self.spellings.get((entity, "ar"), ()):
            norm = normalize(text, "ar")
            if (strip_article(norm) or norm) in forms or (query.startswith("ال") and query[2:] == norm):
                return True
        return False

    def _multi_candidates(
        self, text: str, spans: list[tuple[int, int]], words: list[_Word], join: Callable[[int], bool],
        i: int, r: _Reading, floor: float,
    ) -> list[_Candidate]:
        """Names of several words starting with reading ``r`` of word ``i``: one candidate per length."""
        out: list[_Candidate] = []
        n = len(words)
        for size, table in self._multi[r.sk].items():
            last = i + size - 1
            if last >= n or not all(join(k) for k in range(i, last)):
                continue
            names: list[_MultiName] = []
            for rest in _rests(words, i + 1, last):
                names += table.get(rest, ())
                if size >= 3:
                    for j in range(len(rest)):
                        names += table.get((*rest[:j], "*", *rest[j + 1 :]), ())
            # every word but one sounds the same (same phonetic key), not only the same consonants
            pks = [(r.pk,), *(_pks(words[k]) for k in range(i + 1, last + 1))]
            names = [
                (nm, ks) for nm, ks in dict.fromkeys(names)
                if sum(k[0] in p for p, k in zip(pks, ks, strict=True)) >= size - 1
            ]
            if not names:
                continue
            query = " ".join([r.query, *(words[k].norm for k in range(i + 1, last + 1))])
            entries = self._exact.get(query)
            if entries is not None:
                surface = _trim(text[spans[i][0] + r.skip : spans[last][1]])
                info, found, unsettled = self._info_of_entries(entries, surface, query, settle=False)
                if info.score >= floor:
                    out.append(_Candidate(i, last, r.skip, r.prefix, info, found,
                                          ties=(entries, surface, query) if unsettled else None))
                continue
            res = self._info_of_hits(self._search(_lookup_text(r, words[i + 1 : last + 1]), floor))
            if res is not None and res[0].entity_id in {nm.entity_id for nm, _ in names}:
                out.append(_Candidate(i, last, r.skip, r.prefix, res[0], res[1]))
        return out

    def _first_candidates(self, i: int, r: _Reading, nxt: _Word, floor: float) -> list[_Candidate]:
        """A two-word name whose first word is reading ``r`` as stored and whose second (``nxt``, rare) is
        respelled beyond its skeleton (جيمس ماثيس for a stored جيمس ماتيس): the lookup of the two decides.
        (Asked only when ``nxt`` looks like a name and ``r`` is no function word: في، من، قال start a few
        stored names and precede many rare words.)"""
        key = (r.query, nxt.norm, floor)
        if key not in self._first_cache:
            res = None
            if self._near_a_second(r, nxt):
                res = self._info_of_hits(self._search(_lookup_text(r, (nxt,)), floor))
                stored = res[1].norm.split() if res is not None and res[1] is not None else []
                if len(stored) != 2 or stored[0] != r.query:
                    res = None
            self._first_cache[key] = res
        found = self._first_cache[key]
        return [] if found is None else [_Candidate(i, i + 1, r.skip, r.prefix, found[0], found[1])]

    def _near_a_second(self, r: _Reading, nxt: _Word) -> bool:
        """Is ``nxt`` a key neighbour of the second word of a stored two-word name whose first word is
        ``r.query``: the same phonetic key or skeleton (the word, without its article, or with its
        alternate letters: ش for س), or skeletons one edit apart -- the keys the matcher finds a word's
        candidates by?  Only then is the lookup of the two words asked: a first name stores hundreds of
        surnames, and most rare words after it are none of them."""
        near = self._seconds_near.get(r.query)
        if near is None:
            near = self._seconds_near[r.query] = self._keys_of_seconds(r)
        sounds, edits = near
        if not sounds:
            return False
        if nxt.sk in edits or any(d in edits for d in deletions(nxt.sk)):
            return True
        forms = [nxt.norm, strip_article(nxt.norm), alternate_spelling(nxt.norm)]
        return any(
            ("p", k.pk) in sounds or ("s", k.sk) in sounds for k in (token_keys(f) for f in forms if f)
        )

    def _keys_of_seconds(self, r: _Reading) -> tuple[set[tuple[str, str]], set[str]]:
        """For :meth:`_near_a_second`: the phonetic keys and skeletons (and those of their alternate
        spellings) of the second words of the two-word names stored with first word ``r.query``, and
        their skeletons with and without each one symbol."""
        sounds: set[tuple[str, str]] = set()
        edits: set[str] = set()
        for names in self._multi.get(r.sk, {}).get(2, {}).values():
            for nm, keys in names:
                words = nm.norm.split()
                if len(words) != 2 or words[0] != r.query:
                    continue
                pk, sk = keys[1]
                sounds.update((("p", pk), ("s", sk)))
                edits.add(sk)
                edits.update(deletions(sk))
                alt = alternate_spelling(words[1])
                if alt is not None:
                    k = token_keys(alt)
                    sounds.update((("p", k.pk), ("s", k.sk)))
        return sounds, edits

    def _second_candidates(
        self, text: str, spans: list[tuple[int, int]], words: list[_Word], i: int, floor: float
    ) -> list[_Candidate]:
        """Two-word names whose second word is word ``i`` (same sounds) and whose first is respelled."""
        w, prev = words[i], words[i - 1]
        key = (prev.norm, w.norm, floor)
        found = self._second_cache.get(key)
        if found is None:
            found = []
            names = [(nm, ks) for nm, ks in self._by_second[w.sk] if ks[1][0] == w.pk]
            wanted = {nm.entity_id for nm, _ in names}
            for r in prev.readings if names else ():
                if not self._namelike(r.query):
                    continue  # a respelled name still looks like a name
                res = self._info_of_hits(self._search(_lookup_text(r, (w,)), floor))
                if res is not None and res[0].entity_id in wanted:
                    found.append((r.skip, r.prefix, res[0], res[1]))
            self._second_cache[key] = found
        return [_Candidate(i - 1, i, skip, prefix, info, name) for skip, prefix, info, name in found]

    # ------------------------------------------------------------------ the guard
    def _alone_ok(self, c: _Candidate, w: _Word, token: str) -> bool | None:
        """May a one-word candidate be a mention on its own? (see "The precision guard")

        True: yes; None: only after a title; False: no.
        """
        name = c.name
        alone = name.alone if name is not None else None
        if alone == "always":
            return True
        if alone == "never":
            return False
        if w.lang != "ar":  # a Latin word alone is a name when written as one: Reuters, CNN (not "the")
            return token[c.skip : c.skip + 1].isupper()
        # every entity the spelling may be (its owners, before ties are settled)
        entities = (c.info.entity_id,) if c.ties is None else tuple(e.name.entity_id for e in c.ties[0])
        return self._guard(w, c.skip, name.curated if name is not None else True, entities)

    def _english_of(self, entities: Iterable[int]) -> list[str]:
        """The English names of ``entities``, canonical and stored (Trump beside Donald Trump)."""
        out: list[str] = []
        for e in entities:
            if e in self.entities:
                out.append(self.entities[e][0])
            out.extend(self.spellings.get((e, "en"), ()))
        return out

    def _guard(self, w: _Word, skip: int, curated: bool, entities: Iterable[int] = ()) -> bool | None:
        """:meth:`_alone_ok` of an Arabic word read from ``skip`` on, by how common it is (and how
        common in English the names of the ``entities`` it may be are)."""
        reading = _reading_at(w, skip)
        query = reading.query
        common = max(w.zipf, reading.zipf)
        if common >= FUNCTION_ZIPF:
            return False
        if skip and _commoner_as_written(w, reading):
            return False
        if curated or common < COMMON_ZIPF:
            return True
        if (skip == 0 or w.zipf <= reading.zipf) and not _inflects(query, reading.own_al) and any(
            english_zipf(e) >= common - NAME_ZIPF_GAP for e in self._english_of(entities)
        ):
            # common because it is the name: an English name of it nearly as common in English
            # (اسكتلندا / Scotland; not رئيس / Rais); with a proclitic, only when the word as
            # written is rarer than without it
            return True
        if common < NAMELIKE_ZIPF and self._namelike(query):
            return True  # a name often written (أدامز Adams) rather than a word, by its letters
        return None

    # ------------------------------------------------------------------ scanning
    def find(self, text: str, min_score: float) -> list[Mention]:
        """Every mention scoring at least ``min_score``, in order, non-overlapping."""
        with gc_paused():  # its objects are not garbage; collections would walk the whole index
            return self._find(text, min_score, None, False)[0]

    def segment(self, text: str, min_score: float) -> list[tuple[str, int | None]]:
        """``text`` as words and mentions, in order: ``(normalized text, entity id or None)``.

        A mention (its proclitic included) is one item however many words it
        spans; every other word is one item with no entity.  The translation
        memory compares segments this way, so every spelling of one entity is
        the same token.
        """
        with gc_paused():
            _spans, words, chosen = self._scan(text, min_score)
        out: list[tuple[str, int | None]] = []
        k = 0
        i = 0
        while i < len(words):
            c = chosen[k] if k < len(chosen) else None
            if c is not None and c.first == i:
                out.append((" ".join(w.norm for w in words[c.first : c.last + 1]), c.info.entity_id))
                i = c.last + 1
                k += 1
                continue
            if words[i].norm:
                out.append((words[i].norm, None))
            i += 1
        return out

    def _scan(
        self, text: str, min_score: float
    ) -> tuple[list[tuple[int, int]], list[_Word], list[_Candidate]]:
        """The words of ``text`` (offsets, analyses) and the mentions chosen among them."""
        if not text:
            return [], [], []
        floor = float(min_score) if min_score == min_score else 0.0  # NaN: everything
        matches = list(_WORD_RE.finditer(text))
        spans = [m.span() for m in matches]
        words = [self._word(m.group()) for m in matches]
        if not self.size:
            return spans, words, []
        self._prefetch(words)
        cands = self._candidates(text, spans, words, floor)
        return spans, words, [self._settled(c) for c in self._settle(cands, text, spans, words)]

    def _prefetch(self, words: list[_Word]) -> None:
        """Opened from an index file: read the entries that words seen for the first time will be
        looked up by (stored spellings, names of several words, joined spellings), a query per table
        rather than one per word.  Nothing to do in memory."""
        if not hasattr(self._exact, "prefetch"):
            return
        fresh = [w for w in {id(w): w for w in words}.values() if not w.alone and w.readings]
        if not fresh:
            return
        spellings: list[str] = []
        sks: list[str] = []
        for w in fresh:
            sks.append(w.sk)
            for r in w.readings:
                spellings.append(r.query)
                sks.append(r.sk)
                if w.lang == "ar" and len(r.query) >= 3:
                    spellings.append(r.query[2:] if r.art else "ال" + r.query)
        prefetch(self._exact, spellings)
        prefetch(self._multi, sks)
        prefetch(self._by_second, [w.sk for w in fresh])
        prefetch(self._joined, sks)
        # the letters of the uncommon Arabic words no stored spelling is: the guard may ask how much
        # each looks like a name (see _alone)
        self._looks.prefetch(
            r.query for w in fresh if w.uncommon and w.lang == "ar"
            for r in w.readings if len(r.query) >= 3 and r.query not in self._exact
        )

    def _find(
        self, text: str, min_score: float, rewrite_at: float | None, expand_aliases: bool
    ) -> tuple[list[Mention], str | None]:
        if not self.size or not text:
            return [], None
        spans, _words, chosen = self._scan(text, min_score)
        mentions: list[Mention] = []
        pieces: list[str] = []
        pos = 0
        for c in chosen:
            start = spans[c.first][0] + c.skip
            end = spans[c.last][1]
            surface = text[start:end]
            trimmed = _trim(surface)
            end -= len(surface) - len(trimmed)
            prefix = text[spans[c.first][0] : start]
            m = Mention(start, end, trimmed, prefix, c.info)
            if rewrite_at is not None and c.info.score >= rewrite_at and not c.info.ambiguous:
                repl = self._rewrite(c.info, trimmed, prefix, expand_aliases)
                if repl != trimmed:
                    m = m._replace(replaced=True, replacement=repl)
                    pieces += [text[pos:start], repl]
                    pos = end
            mentions.append(m)
        if not pieces:
            return mentions, None
        pieces.append(text[pos:])
        return mentions, "".join(pieces)

    def _settle(
        self, cands: list[_Candidate], text: str, spans: list[tuple[int, int]], words: list[_Word]
    ) -> list[_Candidate]:
        """Leftmost first, longest first, never overlapping; one-word names pass the guard."""
        # longest first; of one extent, a stored spelling first, then the best score once each letter
        # read as a proclitic has cost PROCLITIC_COST (باجت is not ب + اجت), then the shortest proclitic
        cands.sort(key=lambda c: (c.first, c.first - c.last, not c.info.stored,
                                  PROCLITIC_COST * len(c.prefix) - c.info.score, c.skip))
        accepted: list[_Candidate] = []
        waiting: list[_Candidate] = []
        end = -1
        for c in cands:
            if c.first <= end:
                continue
            if c.needs_context:
                waiting.append(c)
                continue
            accepted.append(c)
            end = c.last
        if waiting:
            taken = {k for c in accepted for k in range(c.first, c.last + 1)}
            for c in waiting:
                if c.first in taken:
                    continue
                if self._in_context(c, text, spans, words, taken):
                    accepted.append(c)
                    taken.add(c.first)
            accepted.sort(key=lambda c: c.first)
        return accepted

    def _in_context(
        self, c: _Candidate, text: str, spans: list[tuple[int, int]], words: list[_Word], taken: set[int]
    ) -> bool:
        """A common word is a name right after a title (الرئيس عباس, الوزير ...)."""
        i = c.first
        if i == 0 or i - 1 in taken or not words[i - 1].title or not _joinable(text[spans[i - 1][1] : spans[i][0]]):
            return False
        # a title is followed by a name or by a noun (رئيس الوزراء، وزير الخارجية): the word must look like a name
        return self._namelike(_reading_at(words[i], c.skip).query)

    # ------------------------------------------------------------------ rewriting
    def normalize(
        self,
        text: str,
        min_score: float = REWRITE_MIN_SCORE,
        annotate: str | None = None,
        expand_aliases: bool = False,
        report_min_score: float | None = None,
    ) -> NormalizeResult:
        """Rewrite (or, with ``annotate``, annotate) every mention at or above ``min_score``."""
        floor = min(min_score, report_min_score) if report_min_score is not None else min_score
        if annotate is not None:
            check_annotation(annotate)
        if annotate is None:
            with gc_paused():
                found, new = self._find(text, floor, min_score, expand_aliases)
            return NormalizeResult(text if new is None else new, found)
        mentions = self.find(text, floor)
        out: list[str] = []
        pos = 0
        seen: set[int] = set()
        for idx, m in enumerate(mentions):
            info = m.info
            if info.score < min_score or info.lang != "ar" or info.entity_id in seen or info.ambiguous:
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
        if info.reason == "alias" and not expand_aliases and info.short:
            target = info.short
        cp, art = PROCLITICS.get(normalize(prefix, "ar") if prefix else "", ("", False))
        if target.startswith("ال") and len(target) > 3:
            if art:  # the article is already in the prefix: وال + الصين -> والصين
                target = target[2:]
            elif cp.endswith("ل"):  # ل + الكرملين is written للكرملين, ل + اللجنة للجنة
                target = target[2:] if target[2] == "ل" else target[1:]
        have, want = normalize(surface, "ar").split(), normalize(target, "ar").split()
        if len(have) > len(want) and any(
            have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1)
        ):
            return surface  # a longer wording holding the name as written (وكالة سبوتنيك)
        out = _keep_separators(surface, target)
        if _unmarked(surface) == out:
            return surface  # the house spelling with marks on it: the marks stay
        return out


def _pks(w: _Word) -> tuple[str, ...]:
    """The phonetic keys a word of a longer name may have: as written, and (an uncommon word: not
    الكورية for كوريا) without its article."""
    return (w.pk,) if w.bare is None or not w.uncommon else (w.pk, w.bare[0])


def _rests(words: list[_Word], first: int, last: int) -> list[tuple[str, ...]]:
    """The skeletons of words ``first..last``, each as written or without its article (at most 4 tuples)."""
    out: list[tuple[str, ...]] = [()]
    for k in range(first, last + 1):
        w = words[k]
        options = (w.sk,) if w.bare is None or not w.uncommon or len(out) >= 4 else (w.sk, w.bare[1])
        out = [(*o, sk) for o in out for sk in options]
    return out


#: The fields an annotation format may use (``--annotate "{surface} ({english})"``).
ANNOTATION_FIELDS: tuple[str, ...] = ("surface", "english", "arabic", "entity_id", "prefix")


def check_annotation(fmt: str) -> str:
    """``fmt`` if it uses only :data:`ANNOTATION_FIELDS`, plainly; ValueError otherwise.

    A format string is code: ``{english.__class__}`` would read attributes and
    ``{english:>99999999999}`` would allocate without bound.  Only the named
    fields, without attribute, index, conversion or format spec, are accepted.

    >>> check_annotation("{surface} ({english})")
    '{surface} ({english})'
    """
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise ValueError(f"bad format {fmt!r} ({exc})") from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in ANNOTATION_FIELDS or spec or conversion:
            raise ValueError(
                f"bad format {fmt!r}: only {', '.join('{' + f + '}' for f in ANNOTATION_FIELDS)} may be used, "
                "without anything after the name"
            )
    return fmt


def _trim(surface: str) -> str:
    """A span without the marks and invisible characters after its last letter."""
    end = len(surface)
    while end and surface[end - 1] in _MARKS:
        end -= 1
    return surface[:end]


def _keep_separators(surface: str, target: str) -> str:
    """``target``'s words in place of ``surface``'s, keeping the text between them."""
    words = list(_WORD_RE.finditer(surface))
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
    want = [token_keys(t).sk for t in normalize(alias, "ar").split()]
    if not want:
        return alias
    words = canonical.split()
    folded = [normalize(w, "ar").split() for w in words]
    for i in range(len(words) - len(want) + 1):
        window = folded[i : i + len(want)]
        if all(len(f) == 1 for f in window) and [token_keys(f[0]).sk for f in window] == want:
            return " ".join(words[i : i + len(want)])
    for other in aliases:
        if [token_keys(t).sk for t in normalize(other, "ar").split()] == want:
            return other
    return alias


__all__ = [
    "DEFAULT_ANNOTATION",
    "MAX_GAP",
    "PROCLITICS",
    "REWRITE_MIN_SCORE",
    "TITLES",
    "NameRow",
    "Recognizer",
    "check_annotation",
]
