"""Generate data/wordfreq-ar.tsv: how common each Arabic word is, for the recognizer's precision guard.

Source (generation-time only; the runtime library never imports it): the
``wordfreq`` package (Robyn Speer et al.), its ``'best'`` Arabic word list, which
merges Wikipedia, subtitles, news, web text and social media.  wordfreq's data
is licensed CC BY-SA 4.0; the code Apache-2.0.

Only words written in Arabic script with a Zipf frequency of at least
``MIN_ZIPF`` (once per million words and more) are written: the recognizer needs to
know which spellings are *common words*, not the long tail.  Zipf frequency is
``log10`` of the frequency per billion words, as wordfreq defines it (في 7.5, قال 6.0,
بوتين 4.2).  Words are written in the library's orthographic normalization
(:func:`glossary.normalize.normalize_arabic`: hamza and alef forms, ى/ي, ة/ه
folded), the form the recognizer looks them up by; words that fold together keep
the highest frequency (على 7.18 and علي 6.14 are both written علي, 7.18).

Usage::

    pip install wordfreq
    python scripts/build_wordfreq.py            # writes data/wordfreq-ar.tsv
    python scripts/build_wordfreq.py --check    # exit 1 if the file is stale

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
from glossary.normalize import normalize_arabic  # noqa: E402

OUT = ROOT / "data" / "wordfreq-ar.tsv"
#: Words rarer than this (Zipf) are left out: a word seen less than once per million words.
MIN_ZIPF = 3.0
_ARABIC_WORD = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FF]+$")


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
    ap.add_argument("--check", action="store_true", help="exit 1 if data/wordfreq-ar.tsv is out of date")
    args = ap.parse_args()
    text = build()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT}: {text.count(chr(10)) - 2} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
