"""The learned English→Arabic letter model: shipped, small, and it ranks renderings sensibly.

Pairs below are common names and the seed articles' names, not rows of any
benchmark set.
"""

from __future__ import annotations

import json
import os
import shutil
import sysconfig
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import transliteration
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


def _tokens() -> list[str]:
    """Name parts of the seed articles."""
    return ["سيرغي", "سيرجي", "لافروف", "بيسكوف", "دميتري", "ديمتري", "بيونغ", "يانغ", "شويغو",
            "كيم", "جونغ", "أون", "تشوي", "سون", "هوي", "فوستوشني", "ماريا", "زاخاروفا"]


def test_a_batch_gives_each_pair_exactly_its_own_fit() -> None:
    """The batched pass pads pairs to the longest: padding must never change a result."""
    english = ["sergei", "sergey", "lavrov", "peskov", "dmitry", "pyongyang", "shoigu", "kim", "jong",
               "un", "choe", "son", "hui", "vostochny", "maria", "zakharova", "x", "abcdefghijklmnopqrstu"]
    arabic = [normalize(t, "ar") for t in _tokens()]
    pairs = [(a, e) for a in arabic for e in english]
    m = model()
    batch = m.log_probs(pairs)
    assert batch == [m.log_prob(a, e) for a, e in pairs]  # the plain one-pair Viterbi, exactly
    assert m._log_probs_numpy(pairs) == batch  # the fallback too
    assert m.log_probs(pairs[5:6]) == batch[5:6]
    assert m._log_probs_numpy(pairs[5:6]) == batch[5:6]
    assert m.log_probs([]) == [] == m._log_probs_numpy([])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويپچژگڤة", min_size=1, max_size=14),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz'-", min_size=1, max_size=16),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_batched_viterbi_equals_the_plain_one(pairs: list[tuple[str, str]]) -> None:
    m = model()
    plain = [m.log_prob(a, e) for a, e in pairs]
    assert m.log_probs(pairs) == plain
    assert m._log_probs_numpy(pairs) == plain


def test_the_installed_package_has_the_compiled_kernel() -> None:
    """``pip install`` compiles ``glossary._fit`` (hatch_build.py) wherever a C compiler is;
    without it every lookup's fit runs in NumPy, a quarter of a lookup slower."""
    if os.environ.get("GLOSSARY_NO_KERNEL"):
        pytest.skip("installed with GLOSSARY_NO_KERNEL: the NumPy fallback is expected")
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        pytest.skip("no C compiler on this machine: the NumPy fallback is expected")
    assert transliteration.KERNEL == "c"


def test_the_kernel_rejects_ids_outside_its_tables() -> None:
    """Bad input to the compiled kernel is an error, never a read outside its tables."""
    kernel = pytest.importorskip("glossary._fit")
    m = model()
    eps, one, two = m._tables
    args = (eps, one, two, m._one_cols, m._two_cols, m.max_gram, m._none, m.max_chunk, 3)
    lattice, letters, chunks = m._grams("lavrov"), *m._columns("لافروف")
    assert kernel.log_probs(*args, [(lattice, letters, chunks)]) == [m.log_prob("لافروف", "lavrov")]
    huge = array("H", [65535] * m.max_gram).tobytes()
    with pytest.raises(ValueError, match="gram id"):
        kernel.log_probs(*args, [(lattice + huge, letters, chunks)])
    with pytest.raises(ValueError, match="letter id"):
        kernel.log_probs(*args, [(lattice, array("i", [-1] * 6).tobytes(), chunks)])
    with pytest.raises(ValueError, match="inconsistent"):
        kernel.log_probs(*args, [(lattice, letters, chunks + b"\0")])
    with pytest.raises(ValueError, match="inconsistent"):
        kernel.log_probs(eps, one[:-8], two, *args[3:], [])
