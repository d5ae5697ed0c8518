"""The learned English→Arabic letter model: shipped, small, and it ranks renderings sensibly.

Pairs below are common names and the seed articles' names, not rows of any
benchmark set.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.normalize import normalize
from glossary.transliteration import MODEL_PATH, UNSEEN, Model, fit, model, name_fit


def f(arabic: str, english: str) -> float:
    return fit(normalize(arabic, "ar"), normalize(english, "en"))


def test_model_ships_small_and_documents_its_source() -> None:
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size < 3 * 2**20
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert "learn_transliteration.py" in data["about"]
    assert "variants-dev" in data["source"]  # the exclusion is recorded with the model
    assert {"a", "b", "^a", "a$"} <= set(data["table"])
    for row in data["table"].values():
        assert all(0 < p <= 1 for p in row.values())
        assert sum(row.values()) <= 1.0001


@pytest.mark.parametrize(
    ("arabic", "good", "bad"),
    [
        ("سيرغي", "sergei", "cyril"),
        ("لافروف", "lavrov", "laurent"),
        ("بيسكوف", "peskov", "pickford"),
        ("بوتين", "putin", "burton"),
        ("شويغو", "shoigu", "chavez"),
        ("كارمن", "carmen", "karim"),
        ("ماريا", "maria", "mario"),
        ("جيمس", "james", "jonas"),
        ("ميشيل", "michel", "mitchell"),
    ],
)
def test_the_right_english_name_fits_better(arabic: str, good: str, bad: str) -> None:
    assert f(arabic, good) > f(arabic, bad)


def test_fit_scale() -> None:
    assert UNSEEN <= f("لافروف", "lavrov") <= 0
    assert f("لافروف", "lavrov") > -1.0  # a usual rendering
    assert f("لافروف", "xqz") < -2.0  # not a rendering at all
    assert fit("", "lavrov") == UNSEEN and fit("لافروف", "") == UNSEEN
    assert fit("lavrov", "lavrov") == UNSEEN  # Latin on the Arabic side


def test_name_fit_is_token_by_token() -> None:
    a, e = normalize("سيرغي لافروف", "ar"), normalize("Sergey Lavrov", "en")
    both = name_fit(a, e)
    assert both is not None
    assert both == pytest.approx((f("سيرغي", "sergey") + f("لافروف", "lavrov")) / 2)
    assert name_fit(a, "lavrov") is None


def test_model_is_loaded_once() -> None:
    assert model() is model()


def test_tiny_table_by_hand() -> None:
    m = Model({"^": {"": 1.0}, "$": {"": 1.0}, "b": {"ب": 0.9, "": 0.1}, "o": {"و": 0.6, "": 0.4}})
    assert m.log_prob("بو", "bo") == pytest.approx(0.0 + 0.0 + -0.10536 + -0.51083, abs=1e-4)
    assert m.log_prob("ب", "bo") == pytest.approx(-0.10536 + -0.91629, abs=1e-4)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12), st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=12))
def test_fit_never_raises(arabic: str, english: str) -> None:
    assert UNSEEN <= fit(normalize(arabic, "ar"), english) <= 0


def test_floor_gives_exact_fits_above_it_and_bounds_below() -> None:
    from glossary.transliteration import clear_caches

    pairs = [("هارمن", "harman"), ("هارمن", "hartman"), ("كارمن", "karim"), ("بيسكوف", "peskov")]
    m = model()
    for arabic, english in pairs:
        exact = m.log_prob(arabic, english)
        for floor in (exact - 1.0, exact - 1e-9, exact + 1e-9, exact + 0.5, 0.0):
            got = m.log_prob(arabic, english, floor)
            if got >= floor:
                assert got == exact
            else:
                assert got >= exact  # an upper bound, below the floor
        clear_caches()
        plain = fit(arabic, english)
        clear_caches()
        assert fit(arabic, english, plain - 0.01) == plain
        clear_caches()
        assert fit(arabic, english, plain + 0.01) < plain + 0.01
    both = name_fit("سيرغي لافروف", "sergei lavrov")
    assert both is not None
    assert name_fit("سيرغي لافروف", "sergei lavrov", both - 0.01) == pytest.approx(both)
    bounded = name_fit("سيرغي لافروف", "sergei lavrov", both + 0.01)
    assert bounded is not None and bounded < both + 0.01
