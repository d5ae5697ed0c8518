"""Recognition benchmark: names in running text, precision, recall and first-pass speed.

Everything goes through the public API (``Glossary.open``, ``add``,
``import_file``, ``lookup``, ``find_mentions``), so the same functions measure
any revision of the code.  Four parts, in one run:

1. **Precision and recall on gold-annotated news.**  ``bench/anercorp-test.txt``
   (ANERCorp test split, one ``token TAG`` a line, BIO tags PERS/LOC/ORG/MISC)
   is rebuilt as running text: tokens joined by single spaces, a newline at
   each sentence break (a blank line), every gold span kept with its character
   offsets (2,285 spans: the 2,211 B- tags and 74 I- tags that continue no
   span, as conlleval counts them).  A reported mention is *right* when it overlaps a gold span;
   precision = right mentions / all mentions (mentions marked ``ambiguous``
   count as reported; the table says how many), recall = gold spans
   overlapped by at least one mention / all gold spans.  Glossaries: (a) the distinct gold
   strings alone, one entity each (kind from the tag: PERS person, LOC place,
   ORG organization, MISC other; English a placeholder ``gold0017``), added as a
   curated list (``import_file(..., curated=True)`` when that keyword exists,
   else one ``Glossary.add`` per string); (b) the same plus the 64,962 names of
   ``data/names/wikidata-names-ar-en.tsv`` imported in bulk (frequency column
   kept); (c) as (b) but with the gold strings imported in bulk too, to show
   what the curated signal contributes.  Gold strings without Arabic letters
   (CNN, IBM) cannot be stored and are skipped; their spans stay in the
   denominator.  Systems on the same text and glossary: ``find_mentions`` at
   its default threshold, and FlashText 2.7 ``extract_keywords(span_info=True)``
   over every stored Arabic spelling, Arabic letters and marks as word
   characters (the setup of ``benchmarks/normalize.py``, reused from there).
   Precision and recall are also given for the first and the second half of
   the sentences separately, so that rules tuned to one half show.

2. **Spellings not stored, in running text.**  Glossary: the Wikidata names in
   bulk.  For each row (query, expected_english) of ``bench/variants-dev.tsv``
   that ``lookup(query, limit=1)`` resolves to expected_english, the query is
   put into a sentence of the seed articles (fixed seed: sentence and word
   position), (i) bare and (ii) behind a proclitic (و ل ب وب; ل not before
   ال), and counts as found when ``find_mentions(sentence)`` returns a mention
   overlapping the query's span with that English.  The shares are also given
   for the spellings that are not common Arabic words (Zipf below 3 in the
   word table of the code measured): an ordinary word such as العرب (Arab) or
   السلام (Salam) is a name on its own only on further evidence, as the issue's
   precision guard asks of stored spellings.  (iii) Multi-word names:
   about 300 two-word names composed from a dev row's English (the respelled
   part) and another Wikidata name (drawn weighted by frequency), in random
   order, are added as extra entities (``Glossary.add``, English "A B", Arabic
   the two Wikidata spellings) to a separate store holding the Wikidata names
   too; each is put into a sentence with the dev part spelled as its dev
   query, and found when one mention covers the whole name with the composed
   English.  Only names whose respelled part ``lookup`` resolves on its own
   count.  Held-out, reported separately, the same procedure: rows of
   ``data/names/google-ar2en.tsv`` whose English is a Wikidata English name
   with another Arabic spelling, not in variants-dev (by normalized query or
   English), a fixed sample of at most 1,500, and names composed from them.
   Only 65 such rows exist (variants-dev was drawn from the same 1,668), so
   the held-out figures are of 65 spellings at most; the table gives n.

3. **Speed on new text.**  With the Wikidata store: a fresh process opens the
   store, builds the index (``find_mentions("x")``, timed apart), then times
   ``find_mentions`` over the ANERCorp text (25k words of news the process has
   never seen: a first pass) and again (second pass), then FlashText
   ``extract_keywords`` over the same text (its ``KeywordProcessor`` built
   before timing).  MB/s of UTF-8; the median of three fresh processes.  A
   fresh process rather than a fresh ``Glossary`` object, because module-level
   caches outlive the object and parts 1-2 have already seen this text.

4. ``--before REV``: parts 1-3 for an older commit too, in the same run.  A
   ``git worktree`` of REV is made in a temporary folder (removed at the end)
   and this script re-runs itself as a worker (``--worker``, JSON on stdout)
   with ``PYTHONPATH=<worktree>/src``; the code in the working tree runs the
   same way with ``PYTHONPATH=<repo>/src``.  The compiled transliteration
   kernel (``glossary._fit``, untracked) is copied into the worktree when its
   C source is the same at REV, so both revisions run it.

Tables are printed (before/after side by side with ``--before``) and written,
with everything else, to ``benchmarks/results/recognition.json``.  The machine
may be shared: compare the ratios of one run, not absolute speeds across runs.

Usage::

    python benchmarks/recognition.py [--shared PATH] [--before REV] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import gc
import importlib.util
import inspect
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import warnings
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glossary import Glossary

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "recognition.json"
NAMES = Path("data/names/wikidata-names-ar-en.tsv")
GOOGLE = Path("data/names/google-ar2en.tsv")
DEV = Path("bench/variants-dev.tsv")
ANER = Path("bench/anercorp-test.txt")
SEED = 20240116
PROCLITICS = ["و", "ل", "ب", "وب"]
KIND_OF_TAG = {"PERS": "person", "LOC": "place", "ORG": "organization", "MISC": "other"}
HELD_OUT_SAMPLE = 1500
COMPOSED_SAMPLE = 300
#: The same as benchmarks/normalize.py (used only if that file cannot be imported).
ARABIC_WORD_CHARS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0640, 0x0653)] + list(
    "پچژڤگیکۀە"
)

Span = tuple[int, int]


# ----------------------------------------------------------------------------- data (no project code)


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    tag: str
    text: str


@dataclass
class Corpus:
    text: str
    gold: list[Gold]  #: sorted and disjoint
    half: int  #: character offset where the second half of the sentences starts
    gold_starts: list[int] = field(init=False)
    gold_ends: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.gold_starts = [x.start for x in self.gold]
        self.gold_ends = [x.end for x in self.gold]


def read_anercorp(path: Path) -> Corpus:
    """Running text (tokens joined by spaces, a newline per sentence) and the gold spans.

    A span starts at B-X, or at an I-X that does not continue a span of type X.
    """
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if sentences[-1]:
                sentences.append([])
            continue
        sentences[-1].append((parts[0], parts[-1] if len(parts) >= 2 else "O"))
    sentences = [s for s in sentences if s]
    chunks: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = half = 0
    current: str | None = None  # type of the span being extended
    for i, sent in enumerate(sentences):
        if i == len(sentences) // 2:
            half = pos
        current = None
        for j, (token, tag) in enumerate(sent):
            if j:
                chunks.append(" ")
                pos += 1
            start, end = pos, pos + len(token)
            chunks.append(token)
            pos = end
            kind = tag[2:] if tag[:2] in ("B-", "I-") else None
            if kind is not None and tag.startswith("I-") and current == kind:
                spans[-1] = (spans[-1][0], end, kind)
            elif kind is not None:
                spans.append((start, end, kind))
            current = kind
        chunks.append("\n")
        pos += 1
    text = "".join(chunks)
    return Corpus(text, [Gold(s, e, k, text[s:e]) for s, e, k in spans], half)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


_AR_TABLE = str.maketrans(
    {
        **{c: None for c in "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"},
        **dict.fromkeys("أإآٱ", "ا"),
        "ى": "ي",
        "ة": "ه",
    }
)


def ar_key(text: str) -> str:
    """Diacritics and tatweel out, alef/yeh/teh-marbuta unified, spaces collapsed (data selection only)."""
    return " ".join(text.translate(_AR_TABLE).split())


def en_key(text: str) -> str:
    """Accents and case folded, punctuation as space (compares English names across revisions)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def has_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def seed_sentences() -> list[str]:
    """Sentences of the seed articles: at least four words, no Latin letters."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt")))
    parts = (p.strip() for p in re.split(r"(?<=[.!؟?:])\s+|\n+", text))
    return [p for p in parts if len(p.split()) >= 4 and not re.search(r"[A-Za-z]", p)]


@dataclass(frozen=True)
class Placed:
    """A name put into a sentence: ``text[start:end]`` is the name, a proclitic (if any) just before."""

    text: str
    start: int
    end: int


def place(name: str, sentences: Sequence[str], rng: random.Random, proclitic: str = "") -> Placed:
    words = rng.choice(sentences).split()
    at = rng.randint(0, len(words))
    before = " ".join(words[:at])
    after = " ".join(words[at:])
    lead = f"{before} {proclitic}" if before else proclitic
    start = len(lead)
    text = lead + name + (f" {after}" if after else "")
    return Placed(text, start, start + len(name))


def pick_proclitic(name: str, rng: random.Random) -> str:
    return rng.choice([p for p in PROCLITICS if not (p.endswith("ل") and name.startswith("ال"))])


@dataclass(frozen=True)
class Case:
    """One spelling to find in running text: the query (a respelled word) and where it was put."""

    query: str  #: the respelled single word, resolved with lookup on its own
    expected: str  #: English of the single-word entity the query should resolve to
    target: str  #: English of the entity the sentence should yield (expected, or the composed name)
    bare: Placed
    clitic: Placed
    clitic_prefix: str


def single_cases(rows: Sequence[tuple[str, str]], sentences: Sequence[str], seed: int) -> list[Case]:
    rng = random.Random(seed)
    out = []
    for query, expected in rows:
        prefix = pick_proclitic(query, rng)
        out.append(Case(query, expected, expected, place(query, sentences, rng),
                        place(query, sentences, rng, prefix), prefix))
    return out


@dataclass(frozen=True)
class Composed:
    english: str
    arabic: str
    case: Case


def composed_cases(
    rows: Sequence[tuple[str, str]],
    wikidata: Sequence[dict[str, str]],
    sentences: Sequence[str],
    n: int,
    seed: int,
) -> list[Composed]:
    """Two-word names: a row's English (respelled as its query) and another Wikidata name, in random order."""
    rng = random.Random(seed)
    arabic_of: dict[str, str] = {}
    for r in wikidata:
        arabic_of.setdefault(en_key(r["english"]), r["arabic"].strip())
    english_keys = {en_key(r["english"]) for r in wikidata}
    others = [r for r in wikidata if " " not in r["arabic"].strip() and r["arabic"].strip()]
    weights = [max(1, int(r.get("frequency") or 1)) for r in others]
    pool = [(q, e) for q, e in rows if en_key(e) in arabic_of and " " not in q.strip()
            and " " not in arabic_of[en_key(e)]]
    rng.shuffle(pool)
    out: list[Composed] = []
    seen: set[str] = set()
    for query, expected in pool:
        if len(out) == n:
            break
        other = rng.choices(others, weights=weights, k=1)[0]
        if en_key(other["english"]) == en_key(expected):
            continue
        first = rng.random() < 0.5
        pair_en = [expected, other["english"].strip()]
        pair_ar = [arabic_of[en_key(expected)], other["arabic"].strip()]
        pair_q = [query, other["arabic"].strip()]
        if not first:
            pair_en.reverse()
            pair_ar.reverse()
            pair_q.reverse()
        english = " ".join(pair_en)
        if en_key(english) in seen or en_key(english) in english_keys:
            continue
        seen.add(en_key(english))
        spoken = " ".join(pair_q)
        prefix = pick_proclitic(spoken, rng)
        case = Case(query, expected, english, place(spoken, sentences, rng),
                    place(spoken, sentences, rng, prefix), prefix)
        out.append(Composed(english, " ".join(pair_ar), case))
    return out


def held_out_rows(
    shared: Path, wikidata: Sequence[dict[str, str]], dev: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Google rows whose English is a Wikidata name spelled otherwise in Arabic, not in the dev set."""
    spellings: dict[str, set[str]] = {}
    for r in wikidata:
        spellings.setdefault(en_key(r["english"]), set()).add(ar_key(r["arabic"]))
    dev_queries = {ar_key(q) for q, _ in dev}
    dev_english = {en_key(e) for _, e in dev}
    pool: dict[tuple[str, str], tuple[str, str]] = {}
    for r in read_tsv(shared / GOOGLE):
        arabic, english = (r.get("arabic") or "").strip(), (r.get("english") or "").strip()
        ek, ak = en_key(english), ar_key(arabic)
        if not ak or not has_arabic(arabic) or re.search(r"[A-Za-z]", arabic) or ek not in spellings:
            continue
        if ak in spellings[ek] or ak in dev_queries or ek in dev_english:
            continue
        pool.setdefault((ak, ek), (arabic, english))
    rows = [pool[k] for k in sorted(pool)]
    return random.Random(SEED).sample(rows, min(HELD_OUT_SAMPLE, len(rows)))


# ----------------------------------------------------------------------------- project side (worker)


def open_store(path: Path) -> Glossary:
    from glossary import Glossary

    return Glossary.open(path)


def import_bulk(g: Glossary, path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # merged and skipped rows are warned about
        g.import_file(path, skip_bad_rows=True)


def add_gold(g: Glossary, gold: dict[str, str], tsv: Path, curated: bool) -> dict[str, Any]:
    """Store each distinct gold string as one entity: curated (a list a person made) or in bulk."""
    from glossary.errors import InputError

    has_curated = "curated" in inspect.signature(g.import_file).parameters
    if not curated or has_curated:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kw: dict[str, Any] = {"curated": True} if curated else {}
            g.import_file(tsv, skip_bad_rows=True, **kw)
        report = g.last_import
        skipped = len(report.bad_rows) if report is not None else 0
        return {"how": "import_file(curated=True)" if curated else "import_file", "skipped": skipped}
    skipped = 0
    for i, (text, kind) in enumerate(gold.items()):
        try:
            g.add(f"gold{i:04d}", text, kind=kind)
        except InputError:
            skipped += 1
    return {"how": "add", "skipped": skipped}


def gold_strings(corpus: Corpus) -> dict[str, str]:
    """Each distinct gold string of the corpus with its kind (the first tag it carries)."""
    gold: dict[str, str] = {}
    for x in corpus.gold:
        gold.setdefault(x.text, KIND_OF_TAG.get(x.tag, "other"))
    return gold


def dev_rows(shared: Path) -> list[tuple[str, str]]:
    """``variants-dev.tsv`` as (query, expected English)."""
    return [(r["query"].strip(), r["expected_english"].strip()) for r in read_tsv(shared / DEV)]


def write_gold_tsv(gold: dict[str, str], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        w.writerow(["english", "arabic", "kind"])
        w.writerows((f"gold{i:04d}", text, kind) for i, (text, kind) in enumerate(gold.items()))


def flashtext_processor(g: Glossary) -> Any:
    """benchmarks/normalize.py's FlashText setup; a faithful copy over the public API if it will not load."""
    try:
        spec = importlib.util.spec_from_file_location("_bench_normalize", REPO / "benchmarks" / "normalize.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.flashtext_processor(g)
    except Exception:  # fall back to the copy below
        from flashtext import KeywordProcessor

        kp = KeywordProcessor()
        for ch in ARABIC_WORD_CHARS:
            kp.add_non_word_boundary(ch)
        for entity in g.entities():
            for n in entity.names:
                if n.lang == "ar" and n.status == "approved":
                    kp.add_keyword(n.text, entity.english)
        return kp


def overlapping(corpus: Corpus, s: int, e: int) -> range:
    """Indexes of the gold spans overlapping [s, e) (gold spans are sorted and disjoint)."""
    return range(bisect_right(corpus.gold_ends, s), bisect_left(corpus.gold_starts, e))


def score_spans(spans: Sequence[Span], corpus: Corpus, lo: int = 0, hi: int | None = None) -> dict[str, Any]:
    """Precision and recall of ``spans`` starting in [lo, hi) against the gold spans starting there."""
    hi = len(corpus.text) if hi is None else hi
    gold = [i for i, x in enumerate(corpus.gold) if lo <= x.start < hi]
    covered: set[int] = set()
    right = total = 0
    for s, e in spans:
        if not lo <= s < hi:
            continue
        total += 1
        hits = overlapping(corpus, s, e)
        covered.update(hits)
        right += bool(hits)
    found = len(covered.intersection(gold))
    return {
        "mentions": total,
        "right": right,
        "gold": len(gold),
        "found": found,
        "precision": right / total if total else 0.0,
        "recall": found / len(gold) if gold else 0.0,
    }


def evaluate_text(spans: Sequence[Span], corpus: Corpus) -> dict[str, Any]:
    wrong = Counter(corpus.text[s:e] for s, e in spans if not overlapping(corpus, s, e))
    return {**score_spans(spans, corpus), "first_half": score_spans(spans, corpus, 0, corpus.half),
            "second_half": score_spans(spans, corpus, corpus.half), "top_wrong": wrong.most_common(8)}


def recognize(g: Glossary, corpus: Corpus) -> dict[str, Any]:
    mentions = g.find_mentions(corpus.text)
    spans = [(m.start, m.end) for m in mentions]
    out = evaluate_text(spans, corpus)
    out["ambiguous"] = sum(bool(getattr(m, "ambiguous", False)) for m in mentions)
    kp = flashtext_processor(g)
    found = kp.extract_keywords(corpus.text, span_info=True)
    return {"find_mentions": out, "flashtext": evaluate_text([(s, e) for _, s, e in found], corpus)}


def resolves(g: Glossary, query: str, expected: str) -> bool:
    hits = g.lookup(query, limit=1)
    return bool(hits) and en_key(hits[0].english) == en_key(expected)


def found_in(g: Glossary, placed: Placed, target: str, whole: bool) -> bool:
    """A mention with the target English over the name: overlapping it, or covering all of it."""
    key = en_key(target)
    for m in g.find_mentions(placed.text):
        if en_key(m.english) != key:
            continue
        if whole and m.start <= placed.start and m.end >= placed.end:
            return True
        if not whole and m.start < placed.end and placed.start < m.end:
            return True
    return False


def running_text(g: Glossary, cases: Sequence[Case], lookup_store: Glossary, whole: bool) -> dict[str, Any]:
    """Of the cases whose query ``lookup`` resolves on its own, the share found in sentences."""
    from glossary.common_words import COMMON_ZIPF, zipf

    resolved = [c for c in cases if resolves(lookup_store, c.query, c.expected)]
    bare = [found_in(g, c.bare, c.target, whole) for c in resolved]
    clitic = [found_in(g, c.clitic, c.target, whole) for c in resolved]
    n = len(resolved)
    out: dict[str, Any] = {
        "cases": len(cases),
        "lookup_resolves": n,
        "found_bare": sum(bare),
        "found_proclitic": sum(clitic),
        "bare": sum(bare) / n if n else 0.0,
        "proclitic": sum(clitic) / n if n else 0.0,
    }
    # the same share of the spellings that are not common Arabic words (Zipf < 3 in the word table
    # of the code measured): a common word stands alone only on further evidence (the precision guard)
    rare = [i for i, c in enumerate(resolved) if zipf(c.query) < COMMON_ZIPF]
    k = len(rare)
    out["not_common"] = {
        "lookup_resolves": k,
        "found_bare": sum(bare[i] for i in rare),
        "found_proclitic": sum(clitic[i] for i in rare),
        "bare": sum(bare[i] for i in rare) / k if k else 0.0,
        "proclitic": sum(clitic[i] for i in rare) / k if k else 0.0,
    }
    if whole:  # the respelled full name, looked up on its own
        out["lookup_full_name"] = sum(
            resolves(g, c.bare.text[c.bare.start:c.bare.end], c.target) for c in resolved
        ) / (n or 1)
    return out


def speed_once(db: Path, corpus: Corpus) -> dict[str, float]:
    """One fresh process: index build, first and second pass of find_mentions, FlashText."""
    mb = len(corpus.text.encode("utf-8")) / 1e6
    g = open_store(db)
    gc.collect()
    t = time.perf_counter()
    g.find_mentions("x")
    index_s = time.perf_counter() - t
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    n = len(g.find_mentions(corpus.text))
    first_s, first_cpu = time.perf_counter() - t, time.process_time() - c
    gc.collect()
    t = time.perf_counter()
    g.find_mentions(corpus.text)
    second_s = time.perf_counter() - t
    kp = flashtext_processor(g)
    gc.collect()
    t = time.perf_counter()
    kp.extract_keywords(corpus.text, span_info=True)
    flash_s = time.perf_counter() - t
    return {"index_s": index_s, "first_mb_s": mb / first_s, "first_cpu_mb_s": mb / first_cpu,
            "second_mb_s": mb / second_s, "flashtext_mb_s": mb / flash_s, "mentions": n}


def write_result(path: Path, result: dict[str, Any], start: float) -> None:
    """Stamp a benchmark's result with the commit and the machine, write it as JSON, say where."""
    result.update({
        "head": git("rev-parse", "--short", "HEAD"),
        "src_changed_since_head": git("status", "--porcelain", "--", "src"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "seconds": round(time.perf_counter() - start, 1),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(REPO) if path.is_relative_to(REPO) else path} in {result['seconds']:.0f}s")


def log(msg: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def worker(shared: Path, tmp: Path, src: Path, repeat: int) -> dict[str, Any]:
    import glossary
    from glossary import Glossary

    where = Path(glossary.__file__).resolve()
    if src.resolve() not in where.parents:
        raise SystemExit(f"glossary imported from {where}, not from {src}")
    kernel = "compiled" if importlib.util.find_spec("glossary._fit") is not None else "numpy"
    result: dict[str, Any] = {"glossary_module": str(where), "fit_kernel": kernel,
                              "import_file_curated": "curated" in inspect.signature(Glossary.import_file).parameters}
    corpus = read_anercorp(shared / ANER)
    gold = gold_strings(corpus)
    gold_tsv = tmp / "gold.tsv"
    write_gold_tsv(gold, gold_tsv)
    wikidata = read_tsv(shared / NAMES)

    base = tmp / "wikidata.db"
    t = time.perf_counter()
    g = open_store(base)
    import_bulk(g, shared / NAMES)
    stats = g.stats()
    g.close()
    result["wikidata"] = {"import_s": time.perf_counter() - t, "entities": stats["entities"], "names": stats["names"]}
    log(f"Wikidata store: {stats['entities']:,} entities in {result['wikidata']['import_s']:.1f}s")

    # 1. precision / recall
    part1: dict[str, Any] = {"gold_spans": len(corpus.gold), "gold_strings": len(gold),
                             "text_mb": len(corpus.text.encode("utf-8")) / 1e6}
    for label, copy_base, curated in (("a", False, True), ("b", True, True), ("c", True, False)):
        db = tmp / f"gold-{label}.db"
        if copy_base:
            shutil.copyfile(base, db)
        g = open_store(db)
        how = add_gold(g, gold, gold_tsv, curated)
        t = time.perf_counter()
        part1[label] = {"gold_added": how, **recognize(g, corpus)}
        g.close()
        fm, ft = part1[label]["find_mentions"], part1[label]["flashtext"]
        log(f"ANERCorp ({label}): find_mentions P {fm['precision']:.3f} R {fm['recall']:.3f}, "
            f"FlashText P {ft['precision']:.3f} R {ft['recall']:.3f} ({time.perf_counter() - t:.1f}s)")
    result["anercorp"] = part1

    # 2. spellings not stored, in running text
    dev = dev_rows(shared)
    held = held_out_rows(shared, wikidata, dev)
    sents = seed_sentences()
    dev_single = single_cases(dev, sents, SEED)
    held_single = single_cases(held, sents, SEED + 1)
    dev_multi = composed_cases(dev, wikidata, sents, COMPOSED_SAMPLE, SEED + 2)
    held_multi = composed_cases(held, wikidata, sents, COMPOSED_SAMPLE, SEED + 3)
    t = time.perf_counter()
    g = open_store(base)
    part2: dict[str, Any] = {"seed_sentences": len(sents), "held_out_rows": len(held)}
    part2["dev"] = running_text(g, dev_single, g, whole=False)
    part2["held_out"] = running_text(g, held_single, g, whole=False)
    multi_db = tmp / "composed.db"
    shutil.copyfile(base, multi_db)
    gm = open_store(multi_db)
    for c in dev_multi + held_multi:
        gm.add(c.english, c.arabic, kind="person")
    part2["dev_multiword"] = running_text(gm, [c.case for c in dev_multi], g, whole=True)
    part2["held_out_multiword"] = running_text(gm, [c.case for c in held_multi], g, whole=True)
    g.close()
    gm.close()
    result["running_text"] = part2
    log(f"spellings in running text ({time.perf_counter() - t:.1f}s): "
        + ", ".join(f"{k} {v['bare']:.3f}/{v['proclitic']:.3f}" for k, v in part2.items() if isinstance(v, dict)))

    # 3. speed, each repetition in a fresh process
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--speed-worker", str(base), "--shared", str(shared)],
            check=True, capture_output=True, text=True, env=os.environ.copy(),
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    speed = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    speed["first_vs_flashtext"] = speed["first_mb_s"] / speed["flashtext_mb_s"]
    speed["second_vs_flashtext"] = speed["second_mb_s"] / speed["flashtext_mb_s"]
    result["speed"] = {"median": speed, "runs": runs, "text_mb": part1["text_mb"]}
    log(f"speed: first pass {speed['first_mb_s']:.2f} MB/s, second {speed['second_mb_s']:.2f}, "
        f"FlashText {speed['flashtext_mb_s']:.2f}")
    return result


# ----------------------------------------------------------------------------- orchestration and report


def run_worker(label: str, src: Path, shared: Path, repeat: int) -> dict[str, Any]:
    print(f"{label}: measuring with PYTHONPATH={src}", file=sys.stderr, flush=True)
    env = {**os.environ, "PYTHONPATH": str(src)}
    with tempfile.TemporaryDirectory(prefix="recognition-") as tmp:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", "--src", str(src), "--tmp", tmp,
             "--shared", str(shared), "--repeat", str(repeat)],
            check=True, stdout=subprocess.PIPE, text=True, env=env,
        )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout.strip()


def with_worktree(rev: str, shared: Path, repeat: int) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="recognition-before-"))
    tree = tmp / "tree"
    git("worktree", "add", "--detach", str(tree), rev)
    try:
        kernel = "numpy fallback"
        if not git("diff", rev, "--", "src/glossary/_fit.c"):
            for so in (REPO / "src" / "glossary").glob("_fit*.so"):
                shutil.copy2(so, tree / "src" / "glossary" / so.name)
                kernel = "compiled (copied, same _fit.c)"
        result = run_worker(f"before ({rev})", tree / "src", shared, repeat)
        result["fit_kernel_setup"] = kernel
        return result
    finally:
        git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(tmp, ignore_errors=True)


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], digits: int = 3) -> str:
    """A Markdown table: text left-aligned, numbers right-aligned, floats to ``digits`` places."""
    cells = [[(f"{v:.{digits}f}" if isinstance(v, float) else str(v), isinstance(v, str)) for v in r] for r in rows]
    widths = [max(len(h), *(len(r[i][0]) for r in cells)) for i, h in enumerate(header)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) if left else c.rjust(w) for (c, left), w in zip(r, widths, strict=True))
            + " |" for r in cells]
    return "\n".join([line, sep, *body])


GLOSSARIES = {"a": "gold (curated)", "b": "gold (curated) + 65k", "c": "gold (bulk) + 65k"}


def report(runs: dict[str, dict[str, Any]], repeat: int) -> str:
    out = []
    rows = []
    for key, name in GLOSSARIES.items():
        for system in ("find_mentions", "flashtext"):
            for rev, r in runs.items():
                if system == "flashtext" and rev != list(runs)[-1]:
                    continue  # the same spellings whichever code stored them: shown once
                m = r["anercorp"][key][system]
                rows.append([name, "FlashText" if system == "flashtext" else f"find_mentions, {rev}",
                             m["mentions"], m.get("ambiguous", ""), m["precision"], m["recall"],
                             m["first_half"]["precision"], m["first_half"]["recall"],
                             m["second_half"]["precision"], m["second_half"]["recall"]])
    any_run = next(iter(runs.values()))["anercorp"]
    out.append(f"1. ANERCorp test: {any_run['gold_spans']:,} gold spans, {any_run['gold_strings']:,} distinct "
               "gold strings; right = overlaps a gold span")
    out.append(table(["glossary", "system", "mentions", "ambiguous", "P", "R", "P 1st half", "R 1st half",
                      "P 2nd half", "R 2nd half"], rows))
    for rev, r in runs.items():
        wrong = r["anercorp"]["b"]["find_mentions"]["top_wrong"][:6]
        out.append(f"   most frequent wrong mentions, gold + 65k, {rev}: "
                   + ", ".join(f"{s} {n}" for s, n in wrong))
    rows = []
    labels = {"dev": "dev, one word", "held_out": "held-out, one word",
              "dev_multiword": "dev, two words (one respelled)", "held_out_multiword": "held-out, two words"}
    for key, name in labels.items():
        for rev, r in runs.items():
            m = r["running_text"][key]
            rare = m.get("not_common", {})
            rows.append([name, rev, m["cases"], m["lookup_resolves"], m["bare"], m["proclitic"],
                         rare.get("lookup_resolves", ""), rare.get("bare", ""), rare.get("proclitic", ""),
                         m.get("lookup_full_name", "")])
    out.append("\n2. Spellings not stored, in running text (65k Wikidata names): share of the spellings "
               "lookup resolves that find_mentions finds in a sentence; then the same of those that are "
               "not common Arabic words (Zipf < 3)")
    out.append(table(["set", "code", "cases", "lookup resolves", "found bare", "found w/ proclitic",
                      "not common: n", "found bare", "found w/ proclitic", "lookup full name"], rows))
    rows = []
    for rev, r in runs.items():
        s = r["speed"]["median"]
        rows.append([rev, s["index_s"], s["first_mb_s"], s["second_mb_s"], s["flashtext_mb_s"],
                     s["first_vs_flashtext"], s["second_vs_flashtext"], int(s["mentions"])])
    text_mb = next(iter(runs.values()))["speed"]["text_mb"]
    out.append(f"\n3. Speed, 65k names, ANERCorp text ({text_mb:.2f} MB), median of {repeat} fresh processes")
    out.append(table(["code", "index build s", "1st pass MB/s", "2nd pass MB/s", "FlashText MB/s",
                      "1st / FlashText", "2nd / FlashText", "mentions"], rows, digits=2))
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                    help="the shared data folder (default: ../shared beside the repo)")
    ap.add_argument("--before", metavar="REV", help="also measure this older commit (e.g. 85871ea)")
    ap.add_argument("--repeat", type=int, default=3, help="fresh processes per speed measurement (default 3)")
    ap.add_argument("--json", type=Path, default=RESULTS, help=f"where to write JSON (default {RESULTS})")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--speed-worker", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    shared = args.shared.resolve()

    if args.speed_worker:
        print(json.dumps(speed_once(args.speed_worker, read_anercorp(shared / ANER))))
        return 0
    if args.worker:
        print(json.dumps(worker(shared, args.tmp, args.src, args.repeat), ensure_ascii=False))
        return 0

    start = time.perf_counter()
    load = os.getloadavg()
    runs: dict[str, dict[str, Any]] = {}
    if args.before:
        runs[f"before {args.before}"] = with_worktree(args.before, shared, args.repeat)
    runs["working tree"] = run_worker("working tree", REPO / "src", shared, args.repeat)
    text = report(runs, args.repeat)
    print(text)
    result = {
        "head": git("rev-parse", "--short", "HEAD"),
        "before": git("rev-parse", "--short", args.before) if args.before else None,
        "src_changed_since_head": git("status", "--porcelain", "--", "src"),
        "runs": runs,
        "table": text,
        "seed": SEED,
        "load_average_start": [round(x, 2) for x in load],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "seconds": round(time.perf_counter() - start, 1),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    dirty = " + uncommitted changes under src/" if result["src_changed_since_head"] else ""
    print(f"\nload average {' '.join(f'{x:.2f}' for x in load)} at start, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end ({os.cpu_count()} CPUs); "
          f"working tree = HEAD {result['head']}{dirty}")
    print(f"written {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json} "
          f"in {result['seconds']:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
