"""Finding and rewriting entity mentions in running text (Glossary.find_mentions / normalize_text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_ENTITIES, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import Glossary
from glossary.matching import DEFAULT_MIN_SCORE as REPORT_MIN_SCORE
from glossary.matching import Matcher, NameRecord
from glossary.normalize import normalize
from glossary.recognition import PROCLITICS, REWRITE_MIN_SCORE, NameRow, Recognizer


@pytest.fixture(scope="module")
def g() -> Glossary:
    glossary = Glossary.open(":memory:", defaults=True)
    yield glossary
    glossary.close()


def found(g: Glossary, text: str) -> list[tuple[str, str, str]]:
    return [(m.prefix, m.surface, m.english) for m in g.find_mentions(text)]


def check_offsets(text: str, mentions: list) -> None:
    last = 0
    for m in mentions:
        assert text[m.start : m.end] == m.surface
        assert text[m.start - len(m.prefix) : m.start] == m.prefix
        assert m.start - len(m.prefix) >= last  # in order, never overlapping
        last = m.end


# ---------------------------------------------------------------- the seed articles



@pytest.mark.parametrize("name", sorted(SEED_ENTITIES))
def test_seed_articles_every_entity(g: Glossary, name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    mentions = g.find_mentions(text)
    check_offsets(text, mentions)
    assert {m.english for m in mentions} == SEED_ENTITIES[name]
    assert all(m.score >= REWRITE_MIN_SCORE for m in mentions)


def test_seed_articles_spell_the_four_names_identically(g: Glossary) -> None:
    out = {n: g.normalize_text((SEEDS / n).read_text(encoding="utf-8")).text for n in SEED_ENTITIES}
    for house, other in [
        ("بيونغ يانغ", "بيونج يانج"),
        ("سيرغي لافروف", "سيرجي لافروف"),
        ("دميتري بيسكوف", "ديمتري بيسكوف"),
        ("كيم جونغ أون", "كيم جونج أون"),
    ]:
        for text in out.values():
            assert house in text and other not in text


# ---------------------------------------------------------------- proclitics and the article


@pytest.mark.parametrize(
    ("text", "prefix", "surface", "english"),
    [
        ("لبوتين", "ل", "بوتين", "Vladimir Putin"),
        ("وبوتين", "و", "بوتين", "Vladimir Putin"),
        ("فلبوتين", "فل", "بوتين", "Vladimir Putin"),
        ("كموسكو", "ك", "موسكو", "Moscow"),
        ("وبموسكو", "وب", "موسكو", "Moscow"),
        ("بالكرملين", "ب", "الكرملين", "Kremlin"),
        ("والكرملين", "و", "الكرملين", "Kremlin"),
        ("فالكرملين", "ف", "الكرملين", "Kremlin"),
        ("كالكرملين", "ك", "الكرملين", "Kremlin"),
        ("وبالكرملين", "وب", "الكرملين", "Kremlin"),
        ("للكرملين", "ل", "لكرملين", "Kremlin"),
        ("وللكرملين", "ول", "لكرملين", "Kremlin"),
        ("للأمم المتحدة", "ل", "لأمم المتحدة", "United Nations"),
        ("ولافروف", "و", "لافروف", "Sergei Lavrov"),
        ("لبيونغ يانغ", "ل", "بيونغ يانغ", "Pyongyang"),
    ],
)
def test_proclitics(g: Glossary, text: str, prefix: str, surface: str, english: str) -> None:
    assert found(g, f"قال {text} أمس") == [(prefix, surface, english)]


def test_proclitic_table_has_the_combinations() -> None:
    for p in ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فل", "بال", "لل", "وال", "فال", "كال", "وبال", "ولل"):
        assert p in PROCLITICS
    assert PROCLITICS["لل"] == ("ل", True)
    assert PROCLITICS["وبال"] == ("وب", True)


def test_clitic_is_kept_when_rewriting(g: Glossary) -> None:
    assert g.normalize_text("وصل لبيونج يانج وبيونج يانج").text == "وصل لبيونغ يانغ وبيونغ يانغ"
    assert g.normalize_text("وسيرجي لافروف").text == "وسيرغي لافروف"


def test_article_dropped_and_added_cost_the_article_penalty(empty: Glossary) -> None:
    empty.add("Kremlin", "الكرملين", kind="organization")
    empty.add("Akkad", "عقاد", kind="place")
    (m,) = empty.find_mentions("قصر كرملين")
    assert (m.english, m.prefix, m.surface) == ("Kremlin", "", "كرملين")
    assert 90 <= m.score < 100
    (m,) = empty.find_mentions("والعقاد")
    assert (m.english, m.prefix, m.surface) == ("Akkad", "وال", "عقاد")
    assert 90 <= m.score < 100
    assert empty.normalize_text("والعقاد").text == "والعقاد"  # the article stays in the prefix


def test_lam_lam_article_names(g: Glossary) -> None:
    text = "عضو للجنة المركزية لحزب العمال الكوري"
    (m,) = g.find_mentions(text)
    assert m.english == "Central Committee of the Workers' Party of Korea"
    assert m.score == 100 and m.prefix == "ل"
    assert g.normalize_text(text).text == text


# ---------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    "text",
    ["بوتينا", "بوتينهم", "البوتينية", "سبوتين", "موسكوفي", "Xبوتين", "بوتين2", "2بوتين"],
)
def test_never_inside_a_longer_word(g: Glossary, text: str) -> None:
    """A stored name inside a longer word is not that name: at most a weak respelling, as lookup scores it
    (with its article, when the article went to the prefix: البوتينية is ال + بوتينية, scored as البوتينية)."""
    sentence = f"قال {text} أمس"
    for m in g.find_mentions(sentence):
        assert m.score < REWRITE_MIN_SCORE and not m.stored
        best = g.lookup(("ال" if m.prefix.endswith("ال") else "") + m.surface)[0]
        assert (best.entity_id, best.score) == (m.entity_id, m.score)
    assert g.normalize_text(sentence).text == sentence


def test_invalid_prefix_is_not_a_clitic(g: Glossary) -> None:
    assert g.find_mentions("جبوتين") == []  # ج is not a proclitic (it folds with ك phonetically)
    assert g.find_mentions("لالكرملين") == []


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ('في قاعدة "فوستوشني" الفضائية أمس', 'قاعدة "فوستوشني" الفضائية'),
        ("مع تشوي سون-هوي أمس", "تشوي سون-هوي"),
        ("مع تشوي سون\nهوي أمس", "تشوي سون\nهوي"),
        ("مع سيرغي\r\nلافروف", "سيرغي\r\nلافروف"),
        ("(كيم جونغ أون)", "كيم جونغ أون"),
        ("«بيونغ يانغ»", "بيونغ يانغ"),
    ],
)
def test_multiword_names_across_punctuation_and_lines(g: Glossary, text: str, surface: str) -> None:
    mentions = g.find_mentions(text)
    assert [m.surface for m in mentions] == [surface]
    check_offsets(text, mentions)
    # the separators inside the name are kept when the words are rewritten
    assert g.normalize_text(text).text == text


def test_longest_match_wins(g: Glossary) -> None:
    (m,) = g.find_mentions("استقبل فلاديمير بوتين")
    assert m.surface == "فلاديمير بوتين" and m.reason == "exact"
    (m,) = g.find_mentions("وشمال شرق آسيا")
    assert m.english == "Northeast Asia"


def test_marks_and_invisible_characters(g: Glossary) -> None:
    text = "قالَ لِبُوتِينَ و\u200fكيمْ جونغ أون"
    mentions = g.find_mentions(text)
    check_offsets(text, mentions)
    assert [(m.prefix, m.english) for m in mentions] == [("لِ", "Vladimir Putin"), ("و\u200f", "Kim Jong Un")]


def test_several_names_at_one_word_with_marks_inside(g: Glossary) -> None:
    # كيم starts كيم and كيم جونغ أون: the longest wins, marks inside the words move the offsets
    text = "قابل كيمْ جونغَ أون ثم كيمْ وَبوتينَ، ووزير الخارجية سيرغي لافروفَ"
    mentions = g.find_mentions(text)
    check_offsets(text, mentions)
    assert [(m.prefix, m.english) for m in mentions][:3] == [
        ("", "Kim Jong Un"), ("", "Kim Jong Un"), ("وَ", "Vladimir Putin"),
    ]
    # marks inside a name belong to it; a mark after its last letter stays outside
    assert mentions[0].surface == "كيمْ جونغَ أون" and mentions[1].surface == "كيم"
    assert mentions[-1].english == "Sergei Lavrov" and mentions[-1].surface.endswith("لافروف")


def test_cold_and_warm_scans_agree(g: Glossary) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    text += " بيونجيانج ولبيونجيانج سيرجي شويجو"
    warm = g.find_mentions(text)
    rewritten = g.normalize_text(text)
    assert g.find_mentions(text) == warm
    g.recognizer.clear_caches()
    assert g.recognizer.matcher_calls == 0
    assert g.normalize_text(text) == rewritten  # cold: rewrites computed afresh
    g.recognizer.clear_caches()
    assert g.find_mentions(text) == warm
    assert g.recognizer.matcher_calls > 0


# ---------------------------------------------------------------- spellings stored nowhere


def test_unstored_spelling_found_through_keys_with_lookup_score(g: Glossary) -> None:
    text = "وصل إلى بيونجيانج ولبيونجيانج"
    mentions = g.find_mentions(text)
    assert [(m.prefix, m.surface, m.english) for m in mentions] == [
        ("", "بيونجيانج", "Pyongyang"), ("ول", "بيونجيانج", "Pyongyang"),
    ]
    best = g.lookup("بيونجيانج")[0]
    for m in mentions:
        assert not m.stored
        assert (m.score, m.reason) == (best.score, best.reason)  # same keys, same scores
        assert m.score < 100


def test_unstored_spelling_rewritten_only_at_min_score(g: Glossary) -> None:
    text = "قال سيرجي شويجو"  # stored; and a phonetic variant nobody stored:
    assert g.normalize_text(text).text == "قال سيرغي شويغو"
    variant = "قال سيرقي شويقو"
    (m,) = g.find_mentions(variant)
    assert m.english == "Sergei Shoigu" and not m.stored and m.score < 100
    assert g.normalize_text(variant, min_score=m.score).text == "قال سيرغي شويغو"
    res = g.normalize_text(variant, min_score=m.score + 0.5)
    assert res.text == variant
    assert [x.replaced for x in res.mentions] == [False]  # reported, not rewritten


def test_min_score_filters_reported_mentions(g: Glossary) -> None:
    text = "بيونجيانج وبيونغ يانغ"
    assert len(g.find_mentions(text)) == 2
    assert [m.surface for m in g.find_mentions(text, min_score=100)] == ["بيونغ يانغ"]
    assert REPORT_MIN_SCORE <= REWRITE_MIN_SCORE


# ---------------------------------------------------------------- short forms


def test_short_forms_resolve_as_aliases_and_stay_short(g: Glossary) -> None:
    (m,) = g.find_mentions("قال ولافروف")
    assert (m.english, m.reason, m.prefix) == ("Sergei Lavrov", "alias", "و")
    assert m.score == 95
    assert g.normalize_text("وقال لافروف").text == "وقال لافروف"
    assert g.normalize_text("وقال شويجو").text == "وقال شويغو"  # spelled as in the canonical name
    assert g.normalize_text("وقال لافروف", expand_aliases=True).text == "وقال سيرغي لافروف"


def test_latin_mentions_reported_never_rewritten(g: Glossary) -> None:
    text = "16 يناير 2024 - Reuters"
    res = g.normalize_text(text)
    assert res.text == text
    assert [(m.english, m.replaced) for m in res.mentions] == [("Reuters", False)]


# ---------------------------------------------------------------- normalize_text


def test_normalize_text_reports_replacements(g: Glossary) -> None:
    res = g.normalize_text("زار بيونج يانج ثم بيونغ يانغ")
    assert res.text == "زار بيونغ يانغ ثم بيونغ يانغ"
    assert [(m.replaced, m.replacement) for m in res.mentions] == [(True, "بيونغ يانغ"), (False, None)]
    assert res.mentions[0].as_dict()["replaced"] is True


def test_annotate_first_mention_of_each_entity(g: Glossary) -> None:
    text = "زار بيونج يانج ثم بيونغ يانغ ولافروف"
    assert g.normalize_text(text, annotate=True).text == (
        "زار بيونج يانج (Pyongyang) ثم بيونغ يانغ ولافروف (Sergei Lavrov)"
    )
    assert g.normalize_text(text, annotate="{english}").text == "زار Pyongyang ثم بيونغ يانغ وSergei Lavrov"


def test_empty_and_nameless_text(g: Glossary) -> None:
    assert g.find_mentions("") == []
    assert g.normalize_text("").text == ""
    assert g.normalize_text("no names here 123").mentions == []



# ---------------------------------------------------------------- the index follows the store


def test_scanner_follows_writes(empty: Glossary, tmp_path: Path) -> None:
    eid = empty.add("Pyongyang", "بيونغ يانغ", kind="place")
    assert [m.english for m in empty.find_mentions("في بيونغ يانغ")] == ["Pyongyang"]
    empty.add_variant(eid, "فينغ يانغ")
    assert [m.surface for m in empty.find_mentions("في فينغ يانغ")] == ["فينغ يانغ"]
    other = Glossary.open(empty.path)  # another connection writes
    other.add("Seoul", "سيول", kind="place")
    other.close()
    assert [m.english for m in empty.find_mentions("في سيول")] == ["Seoul"]


def test_suggested_variants_and_review(empty: Glossary) -> None:
    eid = empty.add("Pyongyang", "بيونغ يانغ", kind="place", variants=["بيونغيانغ"])
    mentions = empty.find_mentions("في بيونجيانج")
    assert [m.stored for m in mentions] == [False]
    (nid,) = empty.suggest_variants(mentions, source="test")
    assert empty.suggest_variants(mentions) == []  # recorded once
    (s,) = empty.suggestions()
    assert (s.id, s.entity_id, s.text, s.status) == (nid, eid, "بيونجيانج", "suggested")
    empty.set_status(nid, "approved")
    (m,) = empty.find_mentions("في بيونجيانج")
    assert m.stored and m.score == 100


def test_ambiguous_spelling_prefers_a_canonical_one(empty: Glossary) -> None:
    a = empty.add("Harmen", "هارمن", kind="person")
    empty.add("Harman", "هارمان", kind="person", variants=["هارمن"])
    (m,) = empty.find_mentions("قال هارمن")
    assert m.entity_id == a
    assert empty.normalize_text("قال هارمن").text == "قال هارمن"


# ---------------------------------------------------------------- properties

_PIECES = [
    "بيونج يانج", "بيونغ يانغ", "لبيونجيانج", "سيرجي لافروف", "وبوتين", "لافروف", "بالكرملين",
    "للكرملين", "كيم جونج أون", "قاعدة \"فوستوشني\" الفضائية", "تشوي سون-هوي", "شويجو", "الاتحاد الروسي",
    "وكالة سبوتنيك", "Reuters", "2024", "١٢", "قال", "في", "الرئيس", "بوتينا", "،", ".", "\"", "\n", "\r\n",
    " ", "  ", "ـ", "َ", "\u200f", "abc", "😀", "ﻻ",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), max_size=25), st.booleans())
def test_normalizing_twice_is_normalizing_once(g: Glossary, pieces: list[str], spaced: bool) -> None:
    text = (" " if spaced else "").join(pieces)
    once = g.normalize_text(text).text
    assert g.normalize_text(once).text == once


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=25))
def test_text_outside_mentions_is_unchanged(g: Glossary, pieces: list[str]) -> None:
    text = " ".join(pieces)
    res = g.normalize_text(text)
    check_offsets(text, res.mentions)
    rebuilt, pos = [], 0
    for m in res.mentions:
        if m.replaced:
            rebuilt.append(text[pos : m.start])
            rebuilt.append(m.replacement)
            pos = m.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == res.text


# ---------------------------------------------------------------- lookups left out


def _made_recognizer(curated: bool) -> Recognizer:
    """Nasr stored without the article (النصر is a common word), two entities sharing هارمن, Putin."""
    spellings = [
        (1, 1, "نصر", "ar"), (2, 1, "Nasr", "en"), (3, 2, "هارمن", "ar"), (4, 2, "Harmen", "en"),
        (5, 3, "هارمن", "ar"), (6, 3, "Harman", "en"), (7, 4, "بوتين", "ar"), (8, 4, "Putin", "en"),
    ]
    matcher = Matcher([NameRecord(i, e, text, lang, "canonical") for i, e, text, lang in spellings])
    names = [
        NameRow(i, e, text, lang, "canonical", normalize(text, lang), None, curated)
        for i, e, text, lang in spellings
    ]
    entities = {1: ("Nasr", "نصر", "person"), 2: ("Harmen", "هارمن", "person"),
                3: ("Harman", "هارمن", "person"), 4: ("Vladimir Putin", "بوتين", "person")}
    return Recognizer(names, entities, matcher)


@pytest.mark.parametrize("curated", [False, True])
def test_lookups_left_out_change_no_mention(curated: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A common word that could only be a name after a title, the other readings of a stored spelling
    that stands alone, and the order of the entities sharing a spelling never chosen: with all of them
    looked up, every mention is the same."""
    text = "قال الرئيس النصر إن النصر قريب، وقال وبوتين وهارمن وبوتين والنصر ثم هارمن"
    rec = _made_recognizer(curated)
    fast = [(m.start, m.end, m.info) for m in rec.find(text, REPORT_MIN_SCORE)]
    fast_calls = rec.matcher_calls
    monkeypatch.setattr(Recognizer, "_needs_title", lambda self, w, r, entities: False)
    monkeypatch.setattr(Recognizer, "_stands_alone", staticmethod(lambda stored: False))
    ordered = Recognizer._info_of_entries
    monkeypatch.setattr(Recognizer, "_info_of_entries", lambda self, e, s, q, settle=True: ordered(self, e, s, q))
    rec = _made_recognizer(curated)
    assert [(m.start, m.end, m.info) for m in rec.find(text, REPORT_MIN_SCORE)] == fast
    assert fast_calls < rec.matcher_calls


def test_a_curated_spelling_added_later_lets_the_common_word_be_looked_up() -> None:
    rec = _made_recognizer(False)
    assert rec.find("إن النصر قريب", REPORT_MIN_SCORE) == [] and rec.matcher_calls == 0  # only after a title
    rec.matcher.add(NameRecord(9, 1, "Al Nasr", "en", "variant"))
    rec.add([NameRow(9, 1, "Al Nasr", "en", "variant", "al nasr", None, True)], {})
    rec.find("إن النصر قريب", REPORT_MIN_SCORE)
    assert rec.matcher_calls == 1
    rec.matcher.remove(9)
    rec.remove(9)
    rec.find("إن النصر قريب", REPORT_MIN_SCORE)
    assert rec.matcher_calls == 0
