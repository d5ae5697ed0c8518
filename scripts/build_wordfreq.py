"""Generate data/wordfreq-{ar,en}.tsv: how common each word is, for the recognizer's precision guard.

Source (generation-time only; the runtime library never imports it): the
``wordfreq`` package (Robyn Speer et al.), its ``'best'`` Arabic word list, which
merges Wikipedia, subtitles, news, web text and social media.  wordfreq's data
is licensed CC BY-SA 4.0; the code Apache-2.0.

Only words written in Arabic script with a Zipf frequency of at least
``MIN_ZIPF`` (once per million words and more) are written: the recognizer needs to
know which spellings are *common words*, not the long tail.

The English list (``wordfreq-en.tsv``) answers the other question the guard asks of a
common Arabic word stored as a name: is the name about as common in English as the word
is in Arabic (اسكتلندا 3.4 and Scotland 4.7; رئيس 5.7 and Rais 1.7)?  It holds the
words of ``EN_MIN_LETTERS`` Latin letters or more with a Zipf frequency of at least
``EN_MIN_ZIPF`` (``MIN_ZIPF`` less the guard's gap), folded as the library folds English
(:func:`glossary.normalize.normalize_latin`).  Zipf frequency is
``log10`` of the frequency per billion words, as wordfreq defines it (في 7.5, قال 6.0,
بوتين 4.2).  Words are written in the library's orthographic normalization
(:func:`glossary.normalize.normalize_arabic`: hamza and alef forms, ى/ي, ة/ه
folded), the form the recognizer looks them up by; words that fold together keep
the highest frequency (على 7.18 and علي 6.14 are both written علي, 7.18).

Usage::

    pip install wordfreq
    python scripts/build_wordfreq.py            # writes data/wordfreq-ar.tsv and data/wordfreq-en.tsv
    python scripts/build_wordfreq.py --check    # exit 1 if a file is stale

The output is deterministic for a given wordfreq version (sorted by frequency,
then by word).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from importlib.metadata import version
from pathlib import Path

import wordfreq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from glossary.common_words import COMMON_ZIPF, NAME_MIN_LETTERS, NAME_ZIPF_GAP  # noqa: E402
from glossary.normalize import normalize_arabic, normalize_latin  # noqa: E402

OUT = ROOT / "data" / "wordfreq-ar.tsv"
OUT_EN = ROOT / "data" / "wordfreq-en.tsv"
#: Words rarer than this (Zipf) are left out: a word seen less than once per million words.
MIN_ZIPF = COMMON_ZIPF
#: English words rarer than this are left out: the guard compares them with Arabic words of MIN_ZIPF or more.
EN_MIN_ZIPF = MIN_ZIPF - NAME_ZIPF_GAP
EN_MIN_LETTERS = NAME_MIN_LETTERS
_ARABIC_WORD = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FF]+$")
_ENGLISH_WORD = re.compile(rf"^[a-z]{{{EN_MIN_LETTERS},}}$")


def build_english() -> str:
    freqs = wordfreq.get_frequency_dict("en", wordlist="best")
    best: dict[str, float] = {}
    for word, freq in freqs.items():
        if freq <= 0:
            continue
        zipf = round(math.log10(freq) + 9.0, 2)
        folded = normalize_latin(word)
        if zipf >= EN_MIN_ZIPF and _ENGLISH_WORD.match(folded) and zipf > best.get(folded, 0.0):
            best[folded] = zipf
    rows = sorted(((z, w) for w, z in best.items()), key=lambda r: (-r[0], r[1]))
    header = (
        f"# English word frequencies (Zipf) from wordfreq {version('wordfreq')}, 'best' list; "
        f"CC BY-SA 4.0; built by scripts/build_wordfreq.py (Zipf >= {EN_MIN_ZIPF}, "
        f"{EN_MIN_LETTERS} letters or more)\n"
        "word\tzipf\n"
    )
    return header + "".join(f"{w}\t{z:.2f}\n" for z, w in rows)


def build() -> str:
    freqs = wordfreq.get_frequency_dict("ar", wordlist="best")
    best: dict[str, float] = {}
    for word, freq in freqs.items():
        if freq <= 0 or not _ARABIC_WORD.match(word):
            continue
        zipf = round(math.log10(freq) + 9.0, 2)
        folded = normalize_arabic(word)
        if zipf >= MIN_ZIPF and folded and " " not in folded and zipf > best.get(folded, 0.0):
            best[folded] = zipf
    rows = sorted(((z, w) for w, z in best.items()), key=lambda r: (-r[0], r[1]))
    header = (
        f"# Arabic word frequencies (Zipf) from wordfreq {version('wordfreq')}, 'best' list; "
        f"CC BY-SA 4.0; built by scripts/build_wordfreq.py (Zipf >= {MIN_ZIPF})\n"
        "word\tzipf\n"
    )
    return header + "".join(f"{w}\t{z:.2f}\n" for z, w in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    args = ap.parse_args()
    stale = 0
    for out, text in ((OUT, build()), (OUT_EN, build_english())):
        if args.check:
            current = out.read_text(encoding="utf-8") if out.exists() else ""
            if current != text:
                print(f"{out} is out of date", file=sys.stderr)
                stale = 1
            continue
        out.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {out}: {text.count(chr(10)) - 2} words", file=sys.stderr)
    return stale


if __name__ == "__main__":
    raise SystemExit(main())
