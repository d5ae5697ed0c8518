"""Translation-memory segments as stored: cleaned, normalized and split into tokens.

Every writer of the TM (:meth:`glossary.tm.TranslationMemory.add`, the TMX import
in :mod:`glossary.tmx_import`, a JSON Lines restore in :mod:`glossary.exchange`,
renormalization) stores a segment's ``source_norm``/``target_norm`` through
:func:`segment_norm`, and the TM's scorer and FTS5 index see its :func:`tokens`.
"""

from __future__ import annotations

import re

from .normalize import Lang, normalize
from .tmx import primary_lang

_TOKEN = re.compile(r"\w+")
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")



def tokens(norm: str) -> list[str]:
    """Word tokens of normalized text (what the index and the scorer see)."""
    return _TOKEN.findall(norm)


def clean(text: str) -> str:
    """Trim the ends; inside, only line breaks with their indentation become a space (NBSP stays)."""
    if "\n" in text or "\r" in text:
        text = _LINE_BREAKS.sub(" ", text)
    return text.strip()


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


__all__ = ["clean", "segment_norm", "tokens", "tokenwise_normalize"]
