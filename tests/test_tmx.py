"""TMX reading and writing: versions, languages, inline markup, attacks, errors, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import Glossary
from glossary.errors import InputError
from glossary.tmx import TMXWriter, primary_lang, read_tmx

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parents[1] / "seeds"

TMX14 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="AR-SA" datatype="plaintext">
    <prop type="x-project">seeds</prop>
  </header>
  <body>
    <tu tuid="7" creationdate="20240116T101500Z">
      <note>from the seeds</note>
      <prop type="x-domain">news</prop>
      <tuv xml:lang="ar-SA"><seg>وصلت وزيرة الخارجية إلى <bpt i="1">&lt;b&gt;</bpt>موسكو<ept
        i="1">&lt;/b&gt;</ept></seg></tuv>
      <tuv xml:lang="EN-us"><prop type="x-status">final</prop><seg>The foreign minister arrived in <bpt
        i="1">&lt;b&gt;</bpt>Moscow<ept i="1">&lt;/b&gt;</ept><ph x="2">&lt;br/&gt;</ph></seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>English only</seg></tuv>
    </tu>
  </body>
</tmx>
"""

TMX11 = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.1">
  <header creationtool="old" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="EN" srclang="*all*" datatype="plaintext"/>
  <body>
    <tu><tuv lang="EN-GB"><seg>Putin met <hi type="b">Lavrov</hi> in Moscow</seg></tuv>
        <tuv lang="AR-EG"><seg>التقى بوتين مع لافروف في موسكو<ut>{1}</ut></seg></tuv></tu>
  </body>
</tmx>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="ar" datatype="plaintext"/>
<body><tu><tuv xml:lang="ar"><seg>&lol3;</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>
"""


def seed_sentences(n: int = 6) -> list[str]:
    """The first ``n`` distinct lines of eight words or more of the first seed article."""
    text = (SEEDS / "000_3fdc54752f1556f2.txt").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if len(ln.split()) >= 8]
    return list(dict.fromkeys(lines))[:n]


@pytest.fixture
def g(default_copy: Glossary) -> Glossary:
    """A default store (a copy of the one first use makes: the bundled glossary and its index)."""
    return default_copy


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_primary_lang() -> None:
    assert primary_lang("AR-EG") == "ar"
    assert primary_lang("en_US") == "en"
    assert primary_lang("") == ""


def test_reader_keeps_markup_props_notes(tmp_path: Path) -> None:
    units = list(read_tmx(write(tmp_path, "a.tmx", TMX14)))
    assert len(units) == 2
    u = units[0]
    ar, en = u.variant("ar"), u.variant("en")
    assert ar is not None and en is not None
    assert ar.text == "وصلت وزيرة الخارجية إلى موسكو"
    assert en.text == "The foreign minister arrived in Moscow"
    assert en.markup is not None and '<ph x="2">&lt;br/&gt;</ph>' in en.markup
    assert en.props == [("x-status", "final")]
    assert u.notes == ["from the seeds"] and u.props == [("x-domain", "news")]
    assert u.line == 9


def test_legacy_lang_and_all_srclang(g: Glossary, tmp_path: Path) -> None:
    n = g.tm.import_tmx(write(tmp_path, "old.tmx", TMX11))
    assert n == 1
    unit = next(g.tm.units())
    # *all*: the TM's default direction ar -> en; hi content is text, ut content is not
    assert (unit.source_lang, unit.target_lang) == ("ar", "en")
    assert unit.source == "التقى بوتين مع لافروف في موسكو"
    assert unit.target == "Putin met Lavrov in Moscow"


def test_utf16_file(g: Glossary, tmp_path: Path) -> None:
    text = TMX11.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert g.tm.import_tmx(write(tmp_path, "u16.tmx", text, "utf-16")) == 1


def test_import_report_and_direction(g: Glossary, tmp_path: Path) -> None:
    assert g.tm.import_tmx(write(tmp_path, "a.tmx", TMX14)) == 1
    rep = g.tm.last_import
    assert rep is not None and rep.read == 2 and rep.incomplete == 1
    hit = g.tm.search("وصلت وزيرة الخارجية إلى موسكو")[0]
    assert hit.score == 100 and hit.target == "The foreign minister arrived in Moscow"


@pytest.mark.parametrize(
    ("mode", "added", "updated", "skipped", "target"),
    [("skip", 1, 0, 0, "new"), ("update", 0, 1, 0, "new"), ("keep", 1, 0, 0, "new")],
)
def test_duplicates(
    g: Glossary, tmp_path: Path, mode: str, added: int, updated: int, skipped: int, target: str
) -> None:
    src = seed_sentences(1)[0]
    g.tm.add(src, "old")
    p = tmp_path / "d.tmx"
    with TMXWriter(p) as w:
        w.write_unit([("ar", src, None), ("en", "new", None)])
    g.tm.import_tmx(p, on_duplicate=mode)
    rep = g.tm.last_import
    assert rep is not None
    # another translation of a stored source: stored beside it (skip, keep) or replacing it (update)
    assert (rep.added, rep.updated, rep.skipped, rep.duplicates, rep.alternatives) == (added, updated, skipped, 0, 1)
    assert g.tm.search(src, min_score=100)[0].target == target
    assert len(g.tm) == 1 + added


def test_identical_pair_never_stored_twice(g: Glossary, tmp_path: Path) -> None:
    src = seed_sentences(1)[0]
    g.tm.add(src, "same")
    p = tmp_path / "d.tmx"
    with TMXWriter(p) as w:
        w.write_unit([("ar", src, None), ("en", "same", None)])
    g.tm.import_tmx(p, on_duplicate="keep")
    assert len(g.tm) == 1


def test_bad_flag(g: Glossary, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="on_duplicate"):
        g.tm.import_tmx(write(tmp_path, "a.tmx", TMX14), on_duplicate="merge")


def test_malformed_xml_names_line_and_imports_nothing(g: Glossary, tmp_path: Path) -> None:
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", '<tmx version="1.4">',
             '<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
             'adminlang="en" srclang="ar" datatype="plaintext"/>', "<body>"]
    for s in seed_sentences(3):
        lines.append(f'<tu><tuv xml:lang="ar"><seg>{s}</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu>')
    lines.append('<tu><tuv xml:lang="ar"><seg>broken</tuv></tu>')  # line 8
    lines.append("</body></tmx>")
    p = write(tmp_path, "bad.tmx", "\n".join(lines))
    with pytest.raises(InputError) as info:
        g.tm.import_tmx(p)
    assert info.value.line == 8
    assert str(info.value).startswith(f"{p}:8: malformed XML")
    assert len(g.tm) == 0


def test_billion_laughs_refused(g: Glossary, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="entity"):
        g.tm.import_tmx(write(tmp_path, "lol.tmx", BILLION_LAUGHS))
    assert len(g.tm) == 0


def test_not_tmx_and_missing(g: Glossary, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a TMX file"):
        g.tm.import_tmx(write(tmp_path, "x.tmx", "<xliff/>"))
    with pytest.raises(InputError, match="no such file"):
        g.tm.import_tmx(tmp_path / "missing.tmx")


def test_export_valid_against_dtd(g: Glossary, tmp_path: Path) -> None:
    etree = pytest.importorskip("lxml.etree")
    g.tm.import_tmx(write(tmp_path, "a.tmx", TMX14))
    g.tm.import_tmx(write(tmp_path, "old.tmx", TMX11))
    for s in seed_sentences(4):
        g.tm.add(s, "translation & <notes> \x01", note="checked", origin="seeds")
    g.tm.add("Putin arrived", "وصل بوتين", source_lang="en", target_lang="ar")
    out = tmp_path / "out.tmx"
    assert g.tm.export_tmx(out) == 7
    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    doc = etree.parse(str(out))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    text = out.read_text(encoding="utf-8")
    assert '<bpt i="1">&lt;b&gt;</bpt>' in text  # inline markup comes back out
    assert 'xml:lang="ar-SA"' in text and 'xml:lang="EN-us"' in text
    assert '<prop type="x-domain">news</prop>' in text
    assert 'srclang="*all*"' in text  # mixed directions


def test_translate_toolkit_round_trip(g: Glossary, tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    sentences = seed_sentences(5)
    for i, s in enumerate(sentences):
        g.tm.add(s, f"English {i} & <b>", origin="seeds")
    out = tmp_path / "out.tmx"
    g.tm.export_tmx(out)
    with out.open("rb") as f:
        store = tmx.tmxfile(f, sourcelanguage="ar", targetlanguage="en")
    pairs = [(u.source, u.target) for u in store.units]
    assert pairs == [(s, f"English {i} & <b>") for i, s in enumerate(sentences)]
    # and back: a file written by translate-toolkit imports into a fresh store
    tt = tmx.tmxfile(sourcelanguage="ar", targetlanguage="en")
    for s, t in pairs:
        tt.addtranslation(s, "ar", t, "en")
    back = tmp_path / "tt.tmx"
    back.write_bytes(bytes(tt))
    g2 = Glossary.open(tmp_path / "g2.db")
    assert g2.tm.import_tmx(back) == 5
    assert [(u.source, u.target) for u in g2.tm.units()] == pairs


def test_own_round_trip_keeps_everything(g: Glossary, tmp_path: Path) -> None:
    g.tm.import_tmx(write(tmp_path, "a.tmx", TMX14))
    g.tm.add(seed_sentences(1)[0], "x", note="n", origin="o")
    out = tmp_path / "out.tmx"
    g.tm.export_tmx(out)
    g2 = Glossary.open(tmp_path / "g2.db")
    g2.tm.import_tmx(out)
    a = [(u.source, u.target, u.note, u.origin, u.source_lang) for u in g.tm.units()]
    b = [(u.source, u.target, u.note, u.origin, u.source_lang) for u in g2.tm.units()]
    assert a == b
    out2 = tmp_path / "out2.tmx"
    g2.tm.export_tmx(out2)
    assert "<ept i=\"1\">" in out2.read_text(encoding="utf-8")


def test_streaming_progress(g: Glossary, tmp_path: Path) -> None:
    p = tmp_path / "big.tmx"
    sentences = seed_sentences(6)
    with TMXWriter(p) as w:
        for i in range(3000):
            w.write_unit([("ar", f"{sentences[i % 6]} {i}", None), ("en", f"unit {i}", None)])
    seen: list[tuple[int, int]] = []
    assert g.tm.import_tmx(p, progress=lambda d, t: seen.append((d, t))) == 3000
    assert seen[-1][0] == seen[-1][1] == p.stat().st_size


def test_markup_is_rebuilt_from_the_first_inline_element(tmp_path: Path) -> None:
    """Text before the first inline element is kept in the markup; code content is not text."""
    ar = next(iter(read_tmx(write(tmp_path, "a.tmx", TMX14)))).variant("ar")
    assert ar is not None
    assert ar.markup == 'وصلت وزيرة الخارجية إلى <bpt i="1">&lt;b&gt;</bpt>موسكو<ept i="1">&lt;/b&gt;</ept>'
    assert ar.text == "وصلت وزيرة الخارجية إلى موسكو"


@pytest.mark.parametrize("root", ["<tuv xml:lang='ar'><seg>x</seg></tuv>", "<seg>x</seg>", "<tu/>"])
def test_misplaced_root_is_not_tmx(tmp_path: Path, root: str) -> None:
    with pytest.raises(InputError, match="not a TMX file"):
        list(read_tmx(write(tmp_path, "x.tmx", root)))
