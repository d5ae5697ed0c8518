"""Translation-memory benchmark: glossary's TM against translate-toolkit's matcher.

Run from the repository root (``pip install -e .[bench]``)::

    python benchmarks/tm.py                 # 100,000 units, 300 queries
    python benchmarks/tm.py --units 20000 --queries 100   # quicker

How the data is made (reproducible: ``random.Random(--seed)``, default 20240116)
    * Glossary: the bundled entities and places (``data/*.csv``), plus
      ``--persons`` (400) people whose first and last names are drawn from the
      Wikidata name list (``../shared/data/names/wikidata-names-ar-en.tsv``,
      ``--names``; frequency ≥ 3).  Without the list only the bundled people are used.
    * Units: 12 Arabic–English sentence templates written after the seed
      articles' sentences (receptions, talks, quotes, summits, visits,
      accusations), with slots for people, places, titles, topics, news
      agencies, weekdays, months, years and numbers.  Distinct sources only.
    * Queries: stored units, edited: half get 1–3 word edits (replace a
      non-name word by another word of the corpus vocabulary, delete one, or
      insert one), half get one person or place swapped for another of the same
      kind.  A query that equals some stored source is redrawn.  A query is
      answered right (top-1) when the first hit's normalized source is the
      edited unit's normalized source.
    * Ambiguous queries: a swap query can have more than one right answer, when
      another unit has the same template and non-name slots and differs from
      the query in no more names than the edited unit (see ``Evaluation``).
      Their number is reported, with top-1 over the other queries and "top-1
      or tie" (the first hit is the edited unit or an equally good one).

What is measured, in one run, on the same units and queries
    * glossary: ``tm.import_tmx`` of the generated TMX (units/s, including
      parsing, normalization, SQLite and FTS5 indexing); ``tm.search(q, limit=5,
      min_score=0)`` latency p50/p95 and top-1; and, untimed, candidate recall
      (the edited unit is among the units ``search`` scores: ``tm.candidates``).
    * translate-toolkit: ``translate.storage.tmx.tmxfile`` parsing of the same
      TMX plus ``matcher`` construction (units/s); ``matcher.matches(q)`` with
      ``max_candidates=5, min_similarity=30, max_length=1000`` (the default
      ``max_length=70`` would skip most of these sentences).

Results go to ``benchmarks/results/tm.json`` and are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from glossary import Glossary  # noqa: E402
from glossary.normalize import normalize  # noqa: E402
from glossary.tmx import TMXWriter  # noqa: E402

TITLES = [
    ("الرئيس", "President"), ("وزير الخارجية", "Foreign Minister"),
    ("وزيرة الخارجية", "Foreign Minister"), ("رئيس الوزراء", "Prime Minister"),
    ("وزير الدفاع", "Defense Minister"), ("الزعيم", "leader"), ("السفير", "Ambassador"),
]
TOPICS = [
    ("التعاون العسكري", "military cooperation"), ("الأزمة الأوكرانية", "the Ukrainian crisis"),
    ("العقوبات الدولية", "international sanctions"), ("الأمن الإقليمي", "regional security"),
    ("التجارة الثنائية", "bilateral trade"), ("الطاقة النووية", "nuclear energy"),
    ("البرنامج الصاروخي", "the missile program"), ("إمدادات الأسلحة", "arms supplies"),
    ("الاستقرار في آسيا", "stability in Asia"), ("تسوية شاملة وعادلة", "a comprehensive and fair settlement"),
    ("الاتفاقات المبرمة", "the agreements signed"), ("الأقمار الاصطناعية", "satellites"),
    ("المساعدات الإنسانية", "humanitarian aid"), ("الحدود المشتركة", "the shared border"),
    ("مفاوضات السلام", "peace negotiations"), ("أمن الطاقة", "energy security"),
    ("تبادل الأسرى", "a prisoner exchange"), ("التعاون الاقتصادي", "economic cooperation"),
]
AGENCIES = [
    ("وكالة سبوتنيك", "Sputnik"), ("وكالة رويترز", "Reuters"), ("وكالة الصحافة الفرنسية", "AFP"),
    ("وكالة تاس", "TASS"), ("وكالة أسوشيتد برس", "AP"), ("وكالة يونهاب", "Yonhap"),
]
DAYS = [
    ("الاثنين", "Monday"), ("الثلاثاء", "Tuesday"), ("الأربعاء", "Wednesday"), ("الخميس", "Thursday"),
    ("الجمعة", "Friday"), ("السبت", "Saturday"), ("الأحد", "Sunday"),
]
MONTHS = [
    ("يناير", "January"), ("فبراير", "February"), ("مارس", "March"), ("أبريل", "April"),
    ("مايو", "May"), ("يونيو", "June"), ("يوليو", "July"), ("أغسطس", "August"),
    ("سبتمبر", "September"), ("أكتوبر", "October"), ("نوفمبر", "November"), ("ديسمبر", "December"),
]
TEMPLATES = [
    ("استقبل {T} {P}، {D}، في {L} {T2} {P2} لبحث {X}.",
     "{T} {P} received {T2} {P2} in {L} on {D} to discuss {X}."),
    ("قال {P} إن {L} ستساعد {L2} في {X}، وفق {S}.",
     "{P} said {L} would help {L2} with {X}, according to {S}."),
    ("التقى {P} مع {P2} في {L} في {M} {Y} وبحثا {X}.",
     "{P} met {P2} in {L} in {M} {Y} and they discussed {X}."),
    ("أشار {T} {P} إلى أن المحادثات ستتطرق إلى {X} و{X2}.",
     "{T} {P} said the talks would cover {X} and {X2}."),
    ("وصل {P} إلى {L}، {D}، في زيارة رسمية تستمر {N} أيام لبحث {X}.",
     "{P} arrived in {L} on {D} for an official {N}-day visit to discuss {X}."),
    ("ونقلت وكالات أنباء عن {P} قوله إن {L} تدعم {X} و{X2}.",
     "News agencies quoted {P} as saying that {L} supports {X} and {X2}."),
    ("وأشاد {P} و{P2}، {D}، بعمق العلاقات بين {L} و{L2} في مجال {X}.",
     "{P} and {P2} on {D} praised the depth of relations between {L} and {L2} in {X}."),
    ("عقدت قمة بين {P} و{P2} في {L} في {M} {Y} لبحث {X}.",
     "A summit between {P} and {P2} was held in {L} in {M} {Y} to discuss {X}."),
    ("وافق {T} {P} على دعوة لزيارة {L} في {M} المقبل لبحث {X}.",
     "{T} {P} accepted an invitation to visit {L} next {M} to discuss {X}."),
    ("اتهمت {L} {L2} بتزويد {L3} بـ {N} صاروخا في {M} {Y}، وفق {S}.",
     "{L} accused {L2} of supplying {L3} with {N} missiles in {M} {Y}, according to {S}."),
    ("وقال {T} {P} إن {X} و{X2} ستكون على جدول أعمال القمة في {L}.",
     "{T} {P} said {X} and {X2} would be on the agenda of the summit in {L}."),
    ("ودعا {P} إلى {X} دون أي شروط مسبقة، في كلمة ألقاها في {L} {D}.",
     "{P} called for {X} without any preconditions in a speech in {L} on {D}."),
]


#: The slots that hold glossary entities (people and places): an entity swap changes one.
NAME_SLOTS = frozenset({"P", "P2", "L", "L2", "L3"})
TEMPLATE_SLOTS = [
    sorted({f for _t, f, _s, _c in string.Formatter().parse(ar) if f}) for ar, _en in TEMPLATES
]


def load_names(path: Path, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` people "First Last" from the Wikidata name-part list (Arabic label, English)."""
    if not path.exists() or count <= 0:
        return []
    parts = []
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if int(row["frequency"] or 0) >= 3 and row["english"].isalpha() and " " not in row["arabic"]:
                parts.append((row["english"].capitalize(), row["arabic"]))
    rng.shuffle(parts)
    people, seen = [], set()
    i = 0
    while len(people) < count and i + 1 < len(parts):
        (fe, fa), (le, la) = parts[i], parts[i + 1]
        i += 2
        en, ar = f"{fe} {le}", f"{fa} {la}"
        if en.lower() not in seen:
            seen.add(en.lower())
            people.append((en, ar))
    return people


def build_glossary(db: Path, people: list[tuple[str, str]]) -> Glossary:
    g = Glossary.open(db, defaults=True)
    with g._write():
        for en, ar in people:
            if g.find_entity(english=en) is None and g.find_entity(arabic=ar) is None:
                try:
                    g.add(en, ar, kind="person", aliases=[ar.split()[-1], en.split()[-1]], source="bench")
                except Exception:  # a spelling clash with a bundled name: leave it out
                    continue
    return g


def make_units(g: Glossary, rng: random.Random, n: int):
    persons = [(e.arabic, e.english) for e in g.entities() if e.kind == "person"]
    places = [(e.arabic, e.english) for e in g.entities() if e.kind == "place" and "(" not in e.english]
    units: list[tuple[str, str]] = []
    # per unit: (template and the values of its other slots, its people and places)
    skeletons: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    seen: set[str] = set()
    tries = 0
    while len(units) < n and tries < n * 5:
        tries += 1
        ar_t, en_t = rng.choice(TEMPLATES)
        p1, p2 = rng.sample(persons, 2)
        l1, l2, l3 = rng.sample(places, 3)
        t1, t2 = rng.choice(TITLES), rng.choice(TITLES)
        x1, x2 = rng.sample(TOPICS, 2)
        s, d, m = rng.choice(AGENCIES), rng.choice(DAYS), rng.choice(MONTHS)
        y, num = str(rng.randint(1995, 2025)), str(rng.randint(2, 400))
        slots = {"P": p1, "P2": p2, "L": l1, "L2": l2, "L3": l3, "T": t1, "T2": t2, "X": x1,
                 "X2": x2, "S": s, "D": d, "M": m, "Y": (y, y), "N": (num, num)}
        ar = ar_t.format(**{k: v[0] for k, v in slots.items()})
        en = en_t.format(**{k: v[1] for k, v in slots.items()})
        key = normalize(ar, "ar")
        if key in seen:
            continue
        seen.add(key)
        units.append((ar, en))
        used = TEMPLATE_SLOTS[TEMPLATES.index((ar_t, en_t))]
        skeletons.append((
            (ar_t, *(slots[k][0] for k in used if k not in NAME_SLOTS)),
            tuple(slots[k][0] for k in used if k in NAME_SLOTS),
        ))
    return units, persons, places, skeletons


def make_queries(units, persons, places, rng: random.Random, count: int, seen: set[str]):
    vocab = sorted({w for ar, _ in units[:5000] for w in ar.split() if len(w) > 2})
    person_ar = sorted({p[0] for p in persons})  # sorted: set order changes between runs
    place_ar = sorted({p[0] for p in places})
    queries = []
    while len(queries) < count:
        idx = rng.randrange(len(units))
        ar = units[idx][0]
        kind = "swap" if len(queries) % 2 else "edit"
        if kind == "swap":
            pool = [(name, persons) for name in person_ar if name in ar]
            pool += [(name, places) for name in place_ar if f" {name}" in f" {ar}"]
            if not pool:
                continue
            old, group = rng.choice(pool)
            new = rng.choice(group)[0]
            q = ar.replace(old, new, 1)
            swapped = (old, new)
        else:
            words = ar.split()
            for _ in range(rng.randint(1, 3)):
                j = rng.randrange(len(words))
                op = rng.random()
                if op < 0.5:
                    words[j] = rng.choice(vocab)
                elif op < 0.75 and len(words) > 4:
                    del words[j]
                else:
                    words.insert(j, rng.choice(vocab))
            q = " ".join(words)
            swapped = None
        if normalize(q, "ar") in seen or q == ar:
            continue
        queries.append({"query": q, "expected": idx, "kind": kind, "swapped": swapped})
    return queries


class Evaluation:
    """Top-1 scoring, with the queries that have no single right answer counted apart.

    A swap query (one person or place of unit *u* replaced by another) is
    *ambiguous* when another stored unit *v* has the same template and the same
    non-name slots as *u* and differs from the query in no more names than *u*
    does: *u* and *v* are then equally good answers for any entity-aware scorer
    (same words, one name off), and which one comes first is a tie.  The
    benchmark reports how many queries are ambiguous, top-1 over the others,
    and "top-1 or tie" (the first hit is *u* or one of its tie-mates).
    """

    def __init__(self, units, queries, skeletons) -> None:
        self.queries = queries
        self.units = units
        by_skeleton: dict[tuple[str, ...], list[int]] = {}
        for i, (skel, _names) in enumerate(skeletons):
            by_skeleton.setdefault(skel, []).append(i)
        self.mates: list[set[int]] = []
        for q in queries:
            exp = q["expected"]
            skel, names = skeletons[exp]
            mates: set[int] = set()
            if q["swapped"]:
                old, new = q["swapped"]
                q_names = list(names)
                if old in q_names:
                    q_names[q_names.index(old)] = new
                for j in by_skeleton[skel]:
                    if j != exp and sum(a != b for a, b in zip(skeletons[j][1], q_names, strict=True)) <= 1:
                        mates.add(j)
            self.mates.append(mates)
        self.ambiguous_count = sum(1 for m in self.mates if m)

    def accuracy(self, tops: list[int | None]) -> dict[str, float]:
        """``tops``: the unit index of each query's first hit (None: no hit)."""
        ok = [t == q["expected"] for t, q in zip(tops, self.queries, strict=True)]
        tie = [o or (t in m) for o, t, m in zip(ok, tops, self.mates, strict=True)]

        def share(flags: list[bool], keep: list[bool]) -> float:
            chosen = [f for f, k in zip(flags, keep, strict=True) if k]
            return sum(chosen) / max(1, len(chosen))

        every = [True] * len(ok)
        return {
            "top1": share(ok, every),
            "top1_edit": share(ok, [q["kind"] == "edit" for q in self.queries]),
            "top1_swap": share(ok, [q["kind"] == "swap" for q in self.queries]),
            "top1_unambiguous": share(ok, [not m for m in self.mates]),
            "top1_or_tie": share(tie, every),
        }


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--persons", type=int, default=400)
    ap.add_argument("--seed", type=int, default=20240116)
    ap.add_argument("--names", type=Path, default=ROOT.parent / "shared/data/names/wikidata-names-ar-en.tsv")
    ap.add_argument("--no-ttk", action="store_true", help="skip translate-toolkit")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/tm.json")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="tm-bench-"))
    people = load_names(args.names, rng, args.persons)
    g = build_glossary(work / "glossary.db", people)
    units, persons, places, skeletons = make_units(g, rng, args.units)
    tmx_path = work / "units.tmx"
    with TMXWriter(tmx_path, srclang="ar") as w:
        for i, (ar, en) in enumerate(units):
            w.write_unit([("ar", ar, None), ("en", en, None)], attrs={"tuid": str(i)})
    seen = {normalize(ar, "ar") for ar, _ in units}
    queries = make_queries(units, persons, places, rng, args.queries, seen)
    print(f"{len(units)} units, {len(queries)} queries, {len(persons)} people, {len(places)} places, "
          f"TMX {tmx_path.stat().st_size / 1e6:.1f} MB", file=sys.stderr)

    results: dict[str, dict[str, float | int]] = {}
    ev = Evaluation(units, queries, skeletons)

    # ---- glossary
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    t0, c0 = time.perf_counter(), time.process_time()
    g.tm.import_tmx(tmx_path)
    import_s, import_cpu = time.perf_counter() - t0, time.process_time() - c0
    g.tm.search(queries[0]["query"])  # warm the entity index
    lat, tops = [], []
    for q in queries:
        t = time.perf_counter()
        hits = g.tm.search(q["query"], limit=5, min_score=0)
        lat.append((time.perf_counter() - t) * 1000)
        tops.append(hits[0].unit_id - 1 if hits else None)  # unit ids follow file order here
    # diagnostics, not timed: is the edited unit among the candidates scored at all?
    recall = [q["expected"] + 1 in set(g.tm.candidates(q["query"])) for q in queries]
    results["glossary"] = {
        **ev.accuracy(tops),
        "candidate_recall": sum(recall) / len(recall),
        "p50_ms": statistics.median(lat),
        "p95_ms": pct(lat, 95),
        "import_units_per_s": len(units) / import_s,
        "import_units_per_cpu_s": len(units) / import_cpu,  # what other processes do not change
    }

    # ---- translate-toolkit
    if not args.no_ttk:
        from translate.search.match import matcher
        from translate.storage import base
        from translate.storage.tmx import tmxfile

        # matcher keeps a heap of (similarity, unit); on equal similarity heapq
        # compares the units and fails (TypeError).  Give units an arbitrary order.
        base.TranslationUnit.__lt__ = lambda a, b: id(a) < id(b)  # type: ignore[method-assign]

        t0, c0 = time.perf_counter(), time.process_time()
        with tmx_path.open("rb") as f:
            store = tmxfile(f, sourcelanguage="ar", targetlanguage="en")
        m = matcher(store, max_candidates=5, min_similarity=30, max_length=1000)
        ttk_import, ttk_cpu = time.perf_counter() - t0, time.process_time() - c0
        index = {normalize(ar, "ar"): i for i, (ar, _en) in enumerate(units)}
        lat, tops = [], []
        for q in queries:
            t = time.perf_counter()
            hits = m.matches(q["query"])
            lat.append((time.perf_counter() - t) * 1000)
            tops.append(index.get(normalize(hits[0].source, "ar")) if hits else None)
        results["translate-toolkit"] = {
            **ev.accuracy(tops),
            "p50_ms": statistics.median(lat),
            "p95_ms": pct(lat, 95),
            "import_units_per_s": len(units) / ttk_import,
            "import_units_per_cpu_s": len(units) / ttk_cpu,
        }

    report = {
        "units": len(units),
        "queries": len(queries),
        "ambiguous_swaps": ev.ambiguous_count,
        "seed": args.seed,
        "people_in_glossary": len(persons),
        "places_in_glossary": len(places),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        # other processes on the machine slow the timings (1-minute load average, before the
        # glossary's TMX import and at the end of the run)
        "load_average_before_import": round(load_before, 2) if load_before is not None else None,
        "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "results": {k: {m: round(v, 4) for m, v in r.items()} for k, r in results.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{ev.ambiguous_count} of {len(queries)} queries are ambiguous (see Evaluation)")
    print("| system | top-1 | top-1 edits | top-1 swaps | top-1 unambiguous | top-1 or tie | "
          "p50 ms | p95 ms | import units/s | import units/CPU-s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['top1']:.3f} | {r['top1_edit']:.3f} | {r['top1_swap']:.3f} | "
              f"{r['top1_unambiguous']:.3f} | {r['top1_or_tie']:.3f} | "
              f"{r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['import_units_per_s']:,.0f} | "
              f"{r['import_units_per_cpu_s']:,.0f} |")
    print(f"glossary candidate recall (edited unit among the units scored): "
          f"{results['glossary']['candidate_recall']:.3f}")
    if "translate-toolkit" in results:
        a, b = results["glossary"], results["translate-toolkit"]
        print(f"glossary/translate-toolkit: top-1 {a['top1'] / b['top1']:.3f}x, "
              f"p50 {b['p50_ms'] / a['p50_ms']:.0f}x faster, "
              f"import {a['import_units_per_s'] / b['import_units_per_s']:.2f}x")
    g.close()


if __name__ == "__main__":
    main()
