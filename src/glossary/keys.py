"""Transliteration keys: the spellings a *listener* would call the same name.

:mod:`glossary.normalize` folds what a reader calls the same letter (أ/ا, ة/ه).
This module goes one step further and folds what Arabic writers use for the
same *foreign sound*, so that سيرجي and سيرغي ("Sergei"), بيونج and بيونغ
("Pyong"), ديمتري and دميتري ("Dmitry") get equal keys.  Every rule is a
table below, with examples; the functions only apply the tables.

Two keys are computed for every normalized token:

``phonetic_key`` (the *pk*)
    Consonants folded to a sound class (one upper-case Latin letter each),
    long-vowel letters kept as ``a`` / ``i`` / ``u``, the ending of the word
    (ـا ـه ـة ـى ـي) folded to ``e``, runs of the same symbol collapsed.
    Equal pks mean "the same transliteration of the same sound sequence".

    >>> phonetic_key("سيرجي"), phonetic_key("سيرغي")
    ('SiRGe', 'SiRGe')
    >>> phonetic_key("تشوي"), phonetic_key("شوي")
    ('Co', 'Co')

``skeleton`` (the *sk*)
    The pk without any vowel: the consonant skeleton.  Equal skeletons mean
    "same consonants, vowels written or dropped differently", which is how
    most transliteration variants differ (ديمتري / دميتري, ويتكر / ويتاكر).

    >>> skeleton("ديمتري"), skeleton("دميتري")
    ('DMTR', 'DMTR')

Latin spellings get keys on the same alphabet (``latin_phonetic_key``,
``latin_skeleton``), so ``Sergey`` / ``Sergei`` and ``Shoygu`` / ``Shoigu``
meet; :func:`token_keys` picks the right pair of functions by script.

Contract for other modules (the running-text scanner reuses these):

* :func:`phonetic_key`, :func:`skeleton` — keys of one *normalized* token.
* :func:`token_keys` — ``TokenKeys(norm, pk, sk)`` of one normalized token, any script.
* :func:`name_keys` — the :class:`TokenKeys` of every token of a normalized name.
* :func:`strip_article` — the token without a leading ال (or None).
* :func:`alternate_spelling` — the token with ش/ث/و written س/ت/ف (or None): the
  letters one Latin letter gets when it is read two ways (:data:`ARABIC_ALTERNATES`).
* :func:`deletions` — the one-symbol deletions of a key (neighbour lookups).
* :func:`cross_key`, :func:`cross_skeleton` — Arabic and Latin keys on one
  alphabet, to compare an Arabic spelling with an English name.

All functions take *normalized* text (output of :func:`glossary.normalize.normalize`);
they never raise and are idempotent-friendly (keys of keys are stable).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .normalize import DIACRITICS, INVISIBLE, has_arabic, normalize

# --------------------------------------------------------------------------
# Arabic tables
# --------------------------------------------------------------------------

#: Letter pairs that spell one foreign sound; replaced before the letter classes.
#: ``"تشوي" -> "چوي"`` (Choe), ``"دجيبوتي" -> "جيبوتي"`` (Djibouti).
ARABIC_DIGRAPHS: dict[str, str] = {
    "تش": "چ",  # ch: تشوي / چوي / شوي
    "دج": "ج",  # dj: دجيبوتي / جيبوتي
}

#: Consonant sound classes.  Each class lists the letters Arabic writers use
#: for one foreign sound; the key keeps only the class symbol.
#:
#: ====  ===================  ===================================================
#: key   letters              examples (same name, different letters)
#: ====  ===================  ===================================================
#: G     ج غ ق ك گ ڨ ڭ         سيرجي / سيرغي (Sergei), بيونج / بيونغ, أرتيجاس / أرتيغاس
#: F     ف ڤ ڥ                 فيكتور / ڤيكتور (Victor)
#: B     ب پ                   پول / بول (Paul)
#: C     ش چ (and تش)          تشوي / شوي / چوي (Choe)
#: S     س ص ث ز ذ ظ           بلازا / بلاثا (Plaza), إرميس / أرميص (Ermes)
#: T     ت ط                   تومسون / طومسون (Thomson)
#: D     د ض                   دي / ضي
#: H     ح ه (not word-final)  هيس / حيس
#: X     خ                     خوان (Juan)
#: R L M N                     themselves
#: ====  ===================  ===================================================
ARABIC_CONSONANT_CLASSES: dict[str, str] = {
    **dict.fromkeys("جغقكگڨڭ", "G"),
    **dict.fromkeys("فڤڥ", "F"),
    **dict.fromkeys("بپ", "B"),
    **dict.fromkeys("شچ", "C"),
    **dict.fromkeys("سصثزذظژ", "S"),
    **dict.fromkeys("تط", "T"),
    **dict.fromkeys("دض", "D"),
    **dict.fromkeys("حه", "H"),
    "خ": "X",
    "ر": "R",
    "ل": "L",
    "م": "M",
    "ن": "N",
}

#: Long-vowel letters (and ع, which transliterations write or drop like a vowel:
#: عدس / أديس "Ades", العقاد / الأكدي "Akkad") become vowel symbols: kept in the
#: phonetic key, dropped from the skeleton.
ARABIC_VOWELS: dict[str, str] = {"ا": "a", "ع": "a", "و": "u", "ي": "i"}

#: Word endings that spell the same final vowel: ـا ـه ـة ـى ـي (after
#: normalization ة->ه and ى->ي).  ``ميكا / ميكاه`` (Micah), ``كولبة / كولبي`` (Kolbe),
#: ``فونته / فونتي`` (Fonte).  A final run of these letters becomes ``e`` (``o``
#: when it holds و: ``رينو / رينوه``).
ARABIC_ENDING_LETTERS: frozenset[str] = frozenset("اهةيىو")

#: Letters Arabic writers use *instead of* another class for one Latin letter,
#: because the Latin letter is pronounced differently in different source
#: languages.  Not a sound class (س and ش are different sounds), but the same
#: written name: Latin ``s`` is [ʃ] in Hungarian, in Slavic ``š`` written
#: without its háček, in German ``st``/``sp`` and Portuguese final ``s``
#: (بوسكو / بوشكو "Bosko", راكوسي / راكوشي "Rakosi", بايستر / بايشتر "Beister");
#: Latin ``th`` is [t] in most European languages and [θ] in English and Greek
#: (باتوري / باثوري "Bathory", كاترين / كاثرين "Catherine", هورفات / هورفاث);
#: Latin ``w`` is [v] in German, Dutch and Polish, so where و is a consonant
#: (before ا or ي) others write ف (والتر / فالتر "Walter", واغنر / فاغنر "Wagner",
#: سوين / سفين "Swen / Sven": the issue's "v: ف ڤ و").
#: :func:`alternate_spelling` replaces each letter by its alternate; the matcher
#: compares that spelling too, at the consonant-skeleton level.
ARABIC_ALTERNATES: dict[str, str] = {
    "ش": "س",  # s read [ʃ]: Boško, János, Stein
    "ث": "ت",  # th read [t] or [θ]: Bathory, Catherine
    "و": "ف",  # w read [v] (German, Dutch, Polish): Walter, Wagner
}
#: ... except the ش of the digraph تش (ch, č: روزيتشكا "Ruzicka" is not "-tsk-"),
#: and و only as a consonant (before a long vowel): بوسكو keeps its و.
_ALTERNATE_RE = re.compile("(?<!ت)ش|ث|و(?=[اي])")

#: The definite article some names carry and some writers drop (الخجا / خوجة).
ARABIC_ARTICLE = "ال"

_ARABIC_DIGRAPH_RE = re.compile("|".join(map(re.escape, ARABIC_DIGRAPHS)))

# --------------------------------------------------------------------------
# Latin tables
# --------------------------------------------------------------------------

#: Latin letter groups rewritten to one class symbol, longest first.
#: ``sergey / sergei / sergej``, ``shoygu / shoigu``, ``choe / choi / chhoe``.
LATIN_DIGRAPHS: dict[str, str] = {
    "tsch": "C", "sch": "C", "tch": "C", "ch": "C", "sh": "C", "ş": "C", "š": "C",
    "dzh": "J", "zh": "J", "dj": "J",
    "kh": "X", "gh": "G", "ph": "F", "th": "T", "dh": "D",
    "ck": "K", "qu": "K", "ts": "S", "tz": "S", "x": "KS",
}

#: Single Latin letters: consonant class (upper case) or vowel (lower case).
#: e/i/y fold to ``i`` and o/u to ``u`` (Choe / Choi, Yuriy / Yurii).
LATIN_LETTERS: dict[str, str] = {
    "b": "B", "p": "P", "c": "K", "k": "K", "q": "K", "g": "G", "j": "J",
    "d": "D", "t": "T", "f": "F", "v": "V", "w": "V", "s": "S", "z": "S",
    "h": "H", "l": "L", "m": "M", "n": "N", "r": "R",
    "a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u",
}

_LATIN_DIGRAPH_RE = re.compile("|".join(sorted(map(re.escape, LATIN_DIGRAPHS), key=len, reverse=True)))
_SOFT_C = re.compile(r"c(?=[eiy])")
_J_AS_VOWEL = re.compile(r"(?<=[aeiouy])j(?![aeiouy])")  # sergej, aleksej
_RUNS = re.compile(r"(.)\1+")
#: The vowel symbols of the phonetic keys (everything else in a key is a consonant class).
VOWEL_SYMBOLS: frozenset[str] = frozenset("aiueo")
_LATIN_SKIP = VOWEL_SYMBOLS | {"H"}  # h is written or not in romanizations: Chhoe / Choe
_DROP_VOWELS = str.maketrans("", "", "".join(sorted(VOWEL_SYMBOLS)))
_DROP_LATIN_SKIP = str.maketrans("", "", "".join(sorted(_LATIN_SKIP)))


class TokenKeys(NamedTuple):
    """The three forms of one token the matcher compares."""

    norm: str  #: orthographically normalized token
    pk: str  #: phonetic key (consonant classes + vowels)
    sk: str  #: consonant skeleton


def _collapse(key: str) -> str:
    return _RUNS.sub(r"\1", key)


def phonetic_key(token: str) -> str:
    """Phonetic key of one normalized Arabic token (see module doc).

    >>> phonetic_key("بيونغ"), phonetic_key("بيونج")
    ('BiuNG', 'BiuNG')
    >>> phonetic_key("كولبة") == phonetic_key("كولبي")
    True
    """
    if not token:
        return ""
    if not has_arabic(token):
        return latin_phonetic_key(token)
    text = _ARABIC_DIGRAPH_RE.sub(lambda m: ARABIC_DIGRAPHS[m.group(0)], token)
    # ending: a final run of vowel letters (and a final ه) is one final vowel
    end = len(text)
    while end > 1 and text[end - 1] in ARABIC_ENDING_LETTERS:
        end -= 1
    ending = text[end:]
    if len(text) < 3 or not ending:  # too short to have an ending, or none
        stem, final = text, ""
    else:
        stem, final = text[:end], ("o" if "و" in ending else "e")
    out = []
    for ch in stem:
        sym = ARABIC_CONSONANT_CLASSES.get(ch) or ARABIC_VOWELS.get(ch)
        out.append(sym if sym is not None else ch)
    out.append(final)
    return _collapse("".join(out))


def skeleton(token: str) -> str:
    """Consonant skeleton of one normalized token: its phonetic key without vowels, a consonant
    written twice in a row once (a vowel letter dropped between two of one class joins them).

    >>> skeleton("ويتكر") == skeleton("ويتاكر")
    True
    >>> skeleton("طاجكستان") == skeleton("طاجيكستان")  # ج and ك are one class (g)
    True
    """
    if not has_arabic(token):
        return latin_skeleton(token)
    return _skeleton_of(phonetic_key(token))


def _skeleton_of(pk: str) -> str:
    """The skeleton of an Arabic phonetic key: vowels dropped, then a repeated consonant once."""
    return _collapse(pk.translate(_DROP_VOWELS))


def latin_phonetic_key(token: str) -> str:
    """Phonetic key of one normalized Latin token, on the Arabic key alphabet.

    >>> latin_phonetic_key("sergey"), latin_phonetic_key("sergei"), latin_phonetic_key("sergej")
    ('SiRGi', 'SiRGi', 'SiRGi')
    >>> latin_phonetic_key("shoygu") == latin_phonetic_key("shoigu")
    True
    """
    if not token:
        return ""
    text = _J_AS_VOWEL.sub("i", _SOFT_C.sub("s", token))
    text = _LATIN_DIGRAPH_RE.sub(lambda m: LATIN_DIGRAPHS[m.group(0)], text)
    return _collapse("".join(LATIN_LETTERS.get(ch, ch) for ch in text))


def latin_skeleton(token: str) -> str:
    """Consonant skeleton of a Latin token: vowels and h dropped.

    >>> latin_skeleton("choe"), latin_skeleton("chhoi")
    ('C', 'C')
    """
    pk = latin_phonetic_key(token)
    return pk.translate(_DROP_LATIN_SKIP)


def strip_article(token: str) -> str | None:
    """The token without its definite article, when it has one and something is left.

    >>> strip_article("العقاد"), strip_article("الان"), strip_article("لافروف")
    ('عقاد', None, None)
    """
    if token.startswith(ARABIC_ARTICLE) and len(token) >= len(ARABIC_ARTICLE) + 3:
        return token[len(ARABIC_ARTICLE):]
    return None


#: Alefs that never begin the definite article: ال is written with a plain alef (hamzat al-wasl), so an
#: alef-lam written with a hamza or madda is the name's own (ألفارو Alvaro, إلكين Elkin, آلتيج Altig).
NOT_ARTICLE_ALEFS = frozenset("أإآ")


def names_not_article(text: str) -> frozenset[str]:
    """The normalized words of ``text`` (as written) whose alef-lam cannot be the article.

    Normalization folds أ to ا, so the spelling as written is the only place this shows.

    >>> sorted(names_not_article("ألفارو العقاد إِلكين"))
    ['الفارو', 'الكين']
    """
    return frozenset(normalize(word, "ar") for word in text.split() if own_alef_lam(word))


def own_alef_lam(word: str) -> bool:
    """Does a word, as written, begin with an alef-lam that cannot be the article (marks skipped)?

    >>> own_alef_lam("أَلفارو"), own_alef_lam("الفارو"), own_alef_lam("أمل")
    (True, False, False)
    """
    letters = ""
    for ch in word:
        if ch not in DIACRITICS and ch not in INVISIBLE:
            letters += ch
            if len(letters) == 2:
                return letters[0] in NOT_ARTICLE_ALEFS and letters[1] == "ل"
    return False


def alternate_spelling(token: str) -> str | None:
    """The token with each :data:`ARABIC_ALTERNATES` letter replaced, when it has one.

    A letter of a digraph (تش: ch) is not replaced: روزيتشكا is "Ruzicka".

    >>> alternate_spelling("بوشكو"), alternate_spelling("باثوري"), alternate_spelling("بوسكو")
    ('بوسكو', 'باتوري', None)
    >>> alternate_spelling("روزيتشكا") is None, alternate_spelling("والتر")
    (True, 'فالتر')
    """
    alt = _ALTERNATE_RE.sub(lambda m: ARABIC_ALTERNATES[m.group(0)], token)
    return alt if alt != token else None


def token_keys(token: str) -> TokenKeys:
    """``TokenKeys(norm, pk, sk)`` of one normalized token, Arabic or Latin.

    >>> token_keys("سيرغي")
    TokenKeys(norm='سيرغي', pk='SiRGe', sk='SRG')
    >>> token_keys("shoigu")
    TokenKeys(norm='shoigu', pk='CuiGu', sk='CG')
    """
    if has_arabic(token):
        pk = phonetic_key(token)
        return TokenKeys(token, pk, _skeleton_of(pk))
    pk = latin_phonetic_key(token)
    return TokenKeys(token, pk, pk.translate(_DROP_LATIN_SKIP))


def name_keys(normalized_name: str) -> list[TokenKeys]:
    """Keys of every token of a normalized name.

    >>> [k.sk for k in name_keys("كيم جونغ اون")]
    ['GM', 'GNG', 'N']
    """
    return [token_keys(t) for t in normalized_name.split()]


#: Folds Arabic and Latin phonetic keys onto one alphabet, so that an Arabic
#: spelling can be compared with an English one: the classes Arabic script
#: cannot tell apart are merged on the Latin side too (k/g/j -> K: ج غ ق ك;
#: p/b -> B: ب; v/f -> F: ف), and the final vowels e/o fold to i/u.
#: ``cross_key(phonetic_key("رودريغيز")) == "RuDRiKiS"``,
#: ``cross_key(latin_phonetic_key("rodriguez")) == "RuDRiKuiS"``.
CROSS_FOLD: dict[str, str] = {"G": "K", "J": "K", "P": "B", "V": "F", "e": "i", "o": "u"}
_CROSS_TABLE = str.maketrans(CROSS_FOLD)


def cross_key(pk: str) -> str:
    """Map a phonetic key (Arabic or Latin) onto the shared cross-script alphabet.

    >>> cross_key(phonetic_key("بريان")), cross_key(latin_phonetic_key("bryan"))
    ('BRiaN', 'BRiaN')
    """
    return _collapse(pk.translate(_CROSS_TABLE))


def cross_skeleton(xkey: str) -> str:
    """A cross-script key without vowels and h: what survives every romanization.

    >>> cross_skeleton(cross_key(latin_phonetic_key("perot")))
    'BRT'
    """
    return xkey.translate(_DROP_LATIN_SKIP)


def deletions(key: str) -> set[str]:
    """All strings made by deleting one symbol from ``key`` (none for keys of length < 2).

    Two keys within one edit of each other share an entry of
    ``{key} | deletions(key)``; the matcher indexes skeletons this way.

    >>> sorted(deletions("DMTR"))
    ['DMR', 'DMT', 'DTR', 'MTR']
    """
    if len(key) < 2:
        return set()
    return {key[:i] + key[i + 1:] for i in range(len(key))}
