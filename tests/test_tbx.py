"""TBX: v3 TBX-Basic export structure, lossless re-import, v2 read by translate-toolkit,
translate-toolkit output imported, foreign TBX mapped, hostile XML refused (issue 6)."""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from glossary import Glossary, GlossaryWarning, InputError, exchange, tbx

ttbx = pytest.importorskip("translate.storage.tbx")

NS = {"t": tbx.TBX3_NAMESPACE}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SEED_CSV = (
    "english,arabic,kind,variants,aliases,note,source\n"
    "Vladimir Putin,فلاديمير بوتين,person,,بوتين|Putin,President of Russia,seeds\n"
    "Sergei Lavrov,سيرغي لافروف,person,سيرجي لافروف|Sergey Lavrov,لافروف|Lavrov,Russian foreign minister,seeds\n"
    "Pyongyang,بيونغ يانغ,place,بيونج يانج|بيونغيانغ,,capital of North Korea & <DPRK>,seeds\n"
    "Kremlin,الكرملين,organization,الكريملن,,,\n"
    "pandemic,جائحة,other,,,,TICO-19\n"
)


def comparable(g: Glossary) -> list[dict[str, Any]]:
    """The lossless dump without timestamps (TBX carries no timestamps)."""
    out = []
    for r in exchange.dump_records(g):
        r = {k: v for k, v in r.items() if k not in ("created", "updated")}
        if "names" in r:
            r["names"] = [{k: v for k, v in n.items() if k != "created"} for n in r["names"]]
        out.append(r)
    return out


@pytest.fixture
def seeded(tmp_path: Path, empty: Glossary) -> Glossary:
    f = tmp_path / "seed.csv"
    f.write_text(SEED_CSV, encoding="utf-8")
    empty.import_file(f)
    eid = empty.find_entity(english="Pyongyang") or 0
    empty.add_variant(eid, "بيونجيانج", status="suggested", source="review")
    return empty


@pytest.fixture
def filled_export(tmp_path: Path, filled: Glossary) -> tuple[Glossary, Path, Path]:
    v3, v2 = tmp_path / "bundled.tbx", tmp_path / "bundled-v2.tbx"
    assert filled.export_file(v3) == filled.stats()["entities"]
    assert filled.export_file(v2, format="tbx2") == filled.stats()["entities"]
    return filled, v3, v2


# --------------------------------------------------------------------------- TBX v3 structure
def test_v3_export_is_well_formed_tbx_basic(tmp_path: Path, seeded: Glossary) -> None:
    out = tmp_path / "glossary.tbx"
    assert seeded.export_file(out) == 5
    root = ET.parse(out).getroot()
    assert root.tag == f"{{{tbx.TBX3_NAMESPACE}}}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    assert root.find("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p", NS) is not None
    concepts = root.findall("t:text/t:body/t:conceptEntry", NS)
    assert len(concepts) == 5
    for concept, entity in zip(concepts, seeded.entities(), strict=True):
        assert concept.get("id") == f"e{entity.id}"
        assert concept.findtext("t:descrip[@type='subjectField']", namespaces=NS) == entity.kind
        assert concept.findtext("t:note", namespaces=NS) == entity.note
        langs = [ls.get(XML_LANG) for ls in concept.findall("t:langSec", NS)]
        assert langs == ["en", "ar"]
        terms = concept.findall("t:langSec/t:termSec", NS)
        assert len(terms) == len(entity.names)  # one term per spelling
        for lang_sec in concept.findall("t:langSec", NS):
            first = lang_sec.find("t:termSec", NS)
            assert first is not None
            canonical = entity.english if lang_sec.get(XML_LANG) == "en" else entity.arabic
            assert first.findtext("t:term", namespaces=NS) == canonical
            assert first.findtext("t:termNote[@type='administrativeStatus']", namespaces=NS) == (
                "preferredTerm-admn-sts"
            )
    # TBX-Basic dialect rules (TBX-Basic_DCA.sch): placement and picklists
    for note in root.iter(f"{{{tbx.TBX3_NAMESPACE}}}termNote"):
        assert note.get("type") in ("partOfSpeech", "administrativeStatus", "termType")
    statuses = {n.text for n in root.iterfind(".//t:termNote[@type='administrativeStatus']", NS)}
    assert statuses == {"preferredTerm-admn-sts", "admittedTerm-admn-sts"}
    types = {n.text for n in root.iterfind(".//t:termNote[@type='termType']", NS)}
    assert types <= {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"}
    for parent in root.iter():
        for child in parent:
            if child.tag.endswith("}termNote"):
                assert parent.tag.endswith("}termSec")
            if child.get("type") == "subjectField":
                assert parent.tag.endswith("}conceptEntry")


def test_v3_roles_aliases_part_of_speech_and_suggested(tmp_path: Path, seeded: Glossary) -> None:
    out = tmp_path / "glossary.tbx"
    seeded.export_file(out)
    root = ET.parse(out).getroot()

    def term(text: str) -> ET.Element:
        for sec in root.iterfind(".//t:termSec", NS):
            if sec.findtext("t:term", namespaces=NS) == text:
                return sec
        raise AssertionError(text)

    def notes(text: str) -> dict[str, str | None]:
        sec = term(text)
        return {n.get("type", ""): n.text for n in sec.findall("t:termNote", NS)}

    assert notes("بوتين") == {"partOfSpeech": "properNoun",
                              "administrativeStatus": "admittedTerm-admn-sts", "termType": "shortForm"}
    assert notes("سيرجي لافروف")["termType"] == "variant"
    assert notes("جائحة")["partOfSpeech"] == "noun"  # a term, not a name
    assert term("بيونجيانج").findtext("t:note", namespaces=NS) == tbx.SUGGESTED_NOTE
    assert term("بيونجيانج").findtext("t:admin[@type='source']", namespaces=NS) == "review"


def test_v3_and_v2_reimport_losslessly(tmp_path: Path, seeded: Glossary) -> None:
    for fmt in ("tbx", "tbx2"):
        out = tmp_path / f"glossary-{fmt}.tbx"
        seeded.export_file(out, format=fmt)
        copy = Glossary.open(tmp_path / f"{fmt}.db")
        assert copy.import_file(out) == 5
        assert comparable(copy) == comparable(seeded)
        assert copy.suggestions()[0].text == "بيونجيانج"
        assert copy.lookup("بيونج يانج")[0].english == "Pyongyang"
        copy.close()


def test_bundled_glossary_round_trips_through_tbx(filled_export: tuple[Glossary, Path, Path],
                                                  tmp_path: Path) -> None:
    filled, v3, _ = filled_export
    copy = Glossary.open(tmp_path / "copy.db")
    copy.import_file(v3)
    assert comparable(copy) == comparable(filled)
    copy.close()


# --------------------------------------------------------------------------- translate-toolkit
def test_v2_export_is_read_by_translate_toolkit_with_every_term(
    filled_export: tuple[Glossary, Path, Path],
) -> None:
    filled, _, v2 = filled_export
    store = ttbx.tbxfile.parsefile(str(v2))
    units = store.units
    entities = list(filled.entities())
    assert len(units) == len(entities)
    for unit, entity in zip(units, entities, strict=True):
        assert unit.source == entity.english
        assert [t.text for t in unit.get_source_terms()] == entity.spellings("en")
        assert [t.text for t in unit.get_target_terms()] == entity.spellings("ar")
        assert unit.get_source_terms()[0].administrative_status == "preferredTerm-admn-sts"
    tt_terms = {t.text for u in units for t in (*u.get_source_terms(), *u.get_target_terms())}
    assert tt_terms == {n.text for e in entities for n in e.names}


def test_tbx_written_by_translate_toolkit_imports(tmp_path: Path, empty: Glossary) -> None:
    store = ttbx.tbxfile(sourcelanguage="en", targetlanguage="ar")
    unit = store.addsourceunit("Dmitry Peskov")
    unit.settarget("دميتري بيسكوف")
    unit.addnote("Kremlin spokesman", origin="translator")
    unit = store.addsourceunit("Pyongyang")
    unit.settarget("بيونغ يانغ")
    unit.set_target_terms(["بيونغ يانغ", "بيونج يانج"])
    out = tmp_path / "from-toolkit.tbx"
    store.savefile(str(out))
    assert b"<martif" in out.read_bytes() and b"<!DOCTYPE martif" in out.read_bytes()
    assert empty.import_file(out) == 2
    peskov = empty.entity(empty.find_entity(english="Dmitry Peskov") or 0)
    assert (peskov.arabic, peskov.note) == ("دميتري بيسكوف", "Kremlin spokesman")
    assert empty.lookup("بيونج يانج")[0].english == "Pyongyang"


# --------------------------------------------------------------------------- foreign TBX
FOREIGN_V3 = """<?xml version="1.0" encoding="utf-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>MultiTerm export</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="subjectField">Health</descrip>
      <langSec xml:lang="en">
        <descripGrp><descrip type="definition">A worldwide epidemic.</descrip>
          <admin type="source">WHO</admin></descripGrp>
        <termSec><term>pandemic</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="ar-SA">
        <termSec><term>وباء عالمي</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
        <termSec><term>جائحة</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="fr"><termSec><term>pandémie</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <langSec xml:lang="en">
        <termSec><term>World Health Organization</term></termSec>
        <termSec><term>WHO</term><termNote type="termType">acronym</termNote></termSec>
      </langSec>
      <langSec xml:lang="ar"><termSec><term>منظمة <hi>الصحة</hi> العالمية</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_foreign_tbx_basic_maps_statuses_term_types_and_languages(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "multiterm.tbx"
    f.write_text(FOREIGN_V3, encoding="utf-8")
    with pytest.warns(GlossaryWarning, match="ignored terms in language fr"):
        assert empty.import_file(f) == 2
    pandemic = empty.entity(empty.find_entity(english="pandemic") or 0)
    assert pandemic.arabic == "جائحة"  # the preferred term, though listed second
    assert pandemic.spellings("ar", "variant") == ["وباء عالمي"]
    assert pandemic.note == "subject field: Health\nA worldwide epidemic."
    who = empty.entity(empty.find_entity(english="World Health Organization") or 0)
    assert who.arabic == "منظمة الصحة العالمية"  # inline markup flattened
    assert who.spellings("en", "alias") == ["WHO"]
    assert empty.last_import is not None and empty.last_import.ignored_languages == ["fr"]


# --------------------------------------------------------------------------- hostile and bad XML
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
  <conceptEntry id="c1">
    <langSec xml:lang="en"><termSec><term>&lol2;</term></termSec></langSec>
    <langSec xml:lang="ar"><termSec><term>موسكو</term></termSec></langSec>
  </conceptEntry>
</body></text></tbx>
"""


def test_entity_expansion_attack_is_refused(tmp_path: Path, seeded: Glossary) -> None:
    f = tmp_path / "lol.tbx"
    f.write_text(BILLION_LAUGHS, encoding="utf-8")
    before = comparable(seeded)
    with pytest.raises(InputError, match=r"lol.tbx:3: refused: the file declares the XML entity 'lol'"):
        seeded.import_file(f, skip_bad_rows=True)
    assert comparable(seeded) == before


def test_external_entity_is_refused(tmp_path: Path, empty: Glossary) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    f = tmp_path / "xxe.tbx"
    f.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>&xxe;</term></tig>"
        "</langSet></termEntry></body></text></martif>\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"xxe.tbx:2: refused: the file declares the XML entity 'xxe'"):
        empty.import_file(f)
    assert empty.stats()["entities"] == 0


def test_malformed_xml_names_the_line_and_imports_nothing(tmp_path: Path, seeded: Glossary) -> None:
    good = tmp_path / "good.tbx"
    seeded.export_file(good, format="tbx2")
    lines = good.read_text(encoding="utf-8").splitlines()
    # unclose the term of the third concept: the parser notices at that term's </tig>
    k = [i for i, line in enumerate(lines) if "<term>" in line][6]
    lines[k] = lines[k].replace("</term>", "")
    closing = next(i for i in range(k, len(lines)) if "</tig>" in lines[i]) + 1
    bad = tmp_path / "broken.tbx"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    empty = Glossary.open(tmp_path / "new.db")
    with pytest.raises(InputError, match=rf"broken.tbx:{closing}: not well-formed XML \(mismatched tag\)"):
        empty.import_file(bad, skip_bad_rows=True)
    assert empty.stats()["entities"] == 0
    empty.close()


def test_not_tbx_and_empty_files(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "memory.tbx"
    f.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><body/></tmx>\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"memory.tbx:2: not a TBX file: the root element is <tmx>"):
        empty.import_file(f)
    e = tmp_path / "empty.tbx"
    e.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty.tbx:1: empty file"):
        empty.import_file(e)


def test_concept_without_arabic_is_skipped_and_reported(tmp_path: Path, empty: Glossary) -> None:
    f = tmp_path / "partial.tbx"
    f.write_text(
        '<?xml version="1.0"?>\n<martif type="TBX" xml:lang="en"><text><body>\n'
        '<termEntry id="a"><langSet xml:lang="en"><tig><term>Moscow</term></tig></langSet>\n'
        '<langSet xml:lang="ar"><tig><term>موسكو</term></tig></langSet></termEntry>\n'
        '<termEntry id="b"><langSet xml:lang="en"><tig><term>Kyiv</term></tig></langSet>\n'
        '<langSet xml:lang="ar"><tig><term></term></tig></langSet></termEntry>\n'
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    # a multilingual termbase has concepts without Arabic: those with it are imported (issue 18, fault 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert empty.import_file(f) == 1
    assert any("partial.tbx:5: concept 'b' has no Arabic term" in str(w.message) for w in caught)
    assert empty.last_import is not None and len(empty.last_import.incomplete) == 1
    assert "1 concept without both English and Arabic skipped" in empty.last_import.summary()


def test_reader_streams_concepts_with_their_lines(tmp_path: Path, seeded: Glossary) -> None:
    out = tmp_path / "glossary.tbx"
    seeded.export_file(out)
    text = out.read_text(encoding="utf-8").splitlines()
    reader = tbx.read_tbx(out)
    seen = [(line, node.attrs["id"]) for line, node in reader]
    assert reader.version == 3
    assert [i for _, i in seen] == [f"e{e.id}" for e in seeded.entities()]
    for line, ident in seen:
        assert f'id="{ident}"' in text[line - 1]
