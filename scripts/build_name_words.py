"""Generate data/names-ar.txt: the words of real Arabic spellings of names, for the name-likeness model.

:mod:`glossary.name_likeness` tells a name from an ordinary Arabic word by comparing
a character model of names with one of common words.  The glossary's own names
feed the first; this file gives it a floor, so that a small glossary (a few
hundred names) still has a model of what names look like.

Source: ``data/names/wikidata-names-ar-en.tsv`` of the project's shared data folder
(English name parts with their Wikidata Arabic label and a count, from the
NETransliteration COLING 2018 release), licence CC0.  Every Arabic label is
normalized (:func:`glossary.normalize.normalize_arabic`) and split into words; the
distinct words of three letters or more are written one per line, sorted.

Usage::

    python scripts/build_name_words.py [--shared ../shared]           # writes data/names-ar.txt
    python scripts/build_name_words.py [--shared ../shared] --check   # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from glossary.normalize import has_arabic, normalize_arabic  # noqa: E402

OUT = ROOT / "data" / "names-ar.txt"


def build(shared: Path) -> str:
    words: set[str] = set()
    with open(shared / "data" / "names" / "wikidata-names-ar-en.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            for w in normalize_arabic(row["arabic"] or "").split():
                if len(w) >= 3 and has_arabic(w) and w.isalpha():
                    words.add(w)
    header = (
        "# Arabic words of Wikidata name labels (NETransliteration COLING 2018, CC0); "
        "scripts/build_name_words.py\n"
    )
    return header + "".join(w + "\n" for w in sorted(words))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder")
    ap.add_argument("--check", action="store_true", help="exit 1 if data/names-ar.txt is out of date")
    args = ap.parse_args()
    text = build(args.shared)
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT}: {text.count(chr(10)) - 1} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
