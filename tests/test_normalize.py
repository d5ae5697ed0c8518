"""Orthographic normalization: every class of the issue, with real spellings, plus properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.normalize import (
    collapse_spaces,
    has_arabic,
    has_latin,
    normalize,
    normalize_arabic,
    normalize_latin,
    script_of,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # hamza and alef forms
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمال", "امال"),
        ("ٱلله", "الله"),
        ("كيم جونغ أون", "كيم جونغ اون"),  # seed 001
        ("مؤمن", "مومن"),
        ("رئيس", "رييس"),
        ("أسماء", "اسما"),
        # alef maqsura / yeh, teh marbuta / heh
        ("مصطفى", "مصطفي"),
        ("كولبة", "كولبه"),
        # diacritics, shadda, tatweel
        ("مُحَمَّد", "محمد"),
        ("ونثمّن", "ونثمن"),
        ("بـوتـيـن", "بوتين"),
        # presentation forms pasted from PDFs (NFKC)
        ("ﺑﻮﺗﻴﻦ", "بوتين"),
        ("ﻻفروف", "لافروف"),
        # bidi and zero-width marks
        ("\u200fبوتين\u200e", "بوتين"),
        ("لا\u200cفروف", "لافروف"),
        ("بيسكوف\u061c", "بيسكوف"),
        ("بو\u200dتين", "بوتين"),
        # Persian / Urdu shapes of Arabic letters
        ("احمدی", "احمدي"),  # wikidata spelling of "ahmadi"
        ("کيم", "كيم"),
        ("زادە", "زاده"),
        # Arabic-Indic and Persian digits
        ("٢٠٢٤", "2024"),
        ("۲۰۲۴", "2024"),
        # hyphens and spacing inside names
        ("تشوي سون-هوي", "تشوي سون هوي"),  # seed 000
        ("بيونغ  يانغ", "بيونغ يانغ"),
    ],
)
def test_orthographic_variants_normalize_alike(a: str, b: str) -> None:
    assert normalize_arabic(a) == normalize_arabic(b)


def test_persian_sound_letters_are_kept_for_the_keys() -> None:
    # گ ڤ پ چ are other sounds, not other glyphs: normalization keeps them and
    # glossary.keys folds them with ج/غ, ف, ب, ش.
    assert normalize_arabic("گ ڤ پ چ") == "گ ڤ پ چ"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Choe Son-hui", "choe son hui"),
        ("  Pyong-Yang ", "pyong yang"),
        ("Šojgu", "sojgu"),
        ("Rodríguez", "rodriguez"),
        ("'Abd", "abd"),
        ("Jo Nesbø", "jo nesbo"),  # letters with no accent to strip (LATIN_FOLD)
        ("Lech WAŁĘSA", "lech walesa"),
        ("Læstadius", "laestadius"),
        ("Đoković", "dokovic"),
        ("Þórsdóttir", "thorsdottir"),
    ],
)
def test_latin_normalization(a: str, b: str) -> None:
    assert normalize_latin(a) == b


def test_script_detection() -> None:
    assert script_of("Sergei Lavrov") == "en"
    assert script_of("سيرغي لافروف") == "ar"
    assert has_arabic("Kim كيم") and has_latin("Kim كيم")
    assert normalize("Kim Jong-un") == "kim jong un"
    assert normalize("كيم جونغ-أون") == "كيم جونغ اون"
    assert collapse_spaces("  a \t b ") == "a b"


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_normalize_is_idempotent_and_total(text: str) -> None:
    for lang in ("ar", "en", None):
        once = normalize(text, lang)  # type: ignore[arg-type]
        assert normalize(once, lang) == once  # type: ignore[arg-type]


ARABIC_ALPHABET = st.text(
    alphabet=st.sampled_from(
        [
            *"ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئٱ ـ-",
            *("\u064e", "\u0651", "\u0652", "\u200f", "\u200c", "\ufe91", "گ", "ڤ", "پ", "چ", "ی", "٣"),
        ]
    )
)


@settings(max_examples=400, deadline=None)
@given(ARABIC_ALPHABET)
def test_arabic_normalization_idempotent_on_arabic_text(text: str) -> None:
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once
    assert "\u0651" not in once and "ـ" not in once and "\u200f" not in once


MIXED_SCRIPTS = st.text(
    alphabet=st.sampled_from([*"AÂâÉéñÑßaz ", "\ufeff", "\u200f", "\u00ad", *"بوتينأإآة", "\ufe91", "٣", "،"]),
    max_size=8,
)


@settings(max_examples=600, deadline=None)
@given(MIXED_SCRIPTS)
def test_normalize_with_the_script_detected_is_idempotent_on_mixed_scripts(text: str) -> None:
    """Issue 18, fault 13: a byte-order mark is no Arabic letter, so '\\ufeffÂ' is Latin (â, then a)."""
    once = normalize(text)
    assert normalize(once) == once


def test_a_byte_order_mark_does_not_make_a_spelling_arabic() -> None:
    assert normalize("\ufeffÂ") == "a" == normalize(normalize("\ufeffÂ"))
    assert normalize("Âء") == "a" == normalize("Â،")  # the fold removes the only Arabic characters
    assert script_of("\ufeffSergei") == "en"
